"""Boundary ingest: ONS layers as downloaded (real files from ../shared/real-data and
hand-made ones), recognised by their code property, cut to the partnership."""

from __future__ import annotations

import hashlib
import html
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon

from sa_toolkit import report_index
from sa_toolkit.errors import InputFileError
from sa_toolkit.ingest.boundaries import (
    BOUNDARY_DIR,
    ingest_boundaries,
    read_boundary_file,
    recognise,
)

REPO = Path(__file__).resolve().parents[1]


def _real_data() -> Path:
    for candidate in (REPO.parent / "shared" / "real-data", Path("/work/shared/real-data")):
        if (candidate / "boundaries").is_dir():
            return candidate
    pytest.skip("the real-data folder (../shared/real-data/boundaries) is not on this machine")


SUNDERLAND_LAD = "E08000024"


def _sunderland_lsoas(real: Path) -> set[str]:
    lookup = pd.read_csv(real / "geography" / "LSOA11_CCG20_LAD20_EN_LU_April2020.csv", dtype=str)
    return set(lookup.loc[lookup["LAD20CD"] == SUNDERLAND_LAD, "LSOA11CD"])


@pytest.mark.parametrize(
    "name, level, vintage, features, crs",
    [
        ("LSOA_2011_BGC_Sunderland_E08000024.json", "lsoa", "2011", 185, "EPSG:4326"),
        ("MSOA_2011_BGC_Sunderland_E08000024.json", "msoa", "2011", 36, "EPSG:4326"),
        ("Wards_2013_Sunderland_E08000024.json", "ward", "2013", 25, "EPSG:4326"),
        # README: 1,560 features; a code appearing twice is kept once and counted
        ("Wards_December_2022_BSC_North_of_England.geojson", "ward", "2022", 1560, "EPSG:4326"),
        ("LAD_December_2022_UK_BUC.geojson", "lad", "2022", 374, "EPSG:27700"),
    ],
)
def test_each_real_layer_is_recognised_and_put_in_british_national_grid(
    name, level, vintage, features, crs
):
    path = _real_data() / "boundaries" / name
    (layer,) = read_boundary_file(path)
    assert (layer.level, layer.vintage) == (level, vintage)
    assert len(layer.frame) + layer.duplicate_codes == features
    assert layer.crs_in == crs
    assert layer.frame.crs.to_epsg() == 27700
    # every British National Grid coordinate of England is within these bounds
    minx, miny, maxx, maxy = layer.frame.total_bounds
    assert -200_000 < minx and maxx < 700_000 and 0 <= miny and maxy < 1_300_000


def test_real_lsoas_and_local_authority_agree_across_crs():
    """The LSOA layer (lon/lat) and the LAD layer (metres) describe the same place."""
    real = _real_data()
    (lsoa,) = read_boundary_file(real / "boundaries" / "LSOA_2011_BGC_Sunderland_E08000024.json")
    (lad,) = read_boundary_file(real / "boundaries" / "LAD_December_2022_UK_BUC.geojson")
    union = lsoa.frame.union_all()
    sunderland = lad.frame.loc[lad.frame["code"] == SUNDERLAND_LAD].union_all()
    # ONS Standard Area Measurements give Sunderland about 137 km2 (land)
    assert 125e6 < union.area < 150e6
    overlap = union.intersection(sunderland).area / union.union(sunderland).area
    assert overlap > 0.9  # generalised (clipped vs ultra-generalised) outlines of one area


def _real_project(tmp_path: Path, real: Path, names: list[str]):
    """A raw folder linking (never copying) the real boundary files, and a config whose
    partnership is Sunderland by its LSOA codes (the lookup there has no wards)."""
    folder = tmp_path / "raw" / BOUNDARY_DIR
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).symlink_to(real / "boundaries" / name)
    return SimpleNamespace(
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        partnership_code="E22000248",
        lsoas=tuple(sorted(_sunderland_lsoas(real))),
    )


def test_real_layers_are_cut_to_sunderland_and_its_neighbours(tmp_path):
    real = _real_data()
    cfg = _real_project(tmp_path, real, sorted(p.name for p in (real / "boundaries").iterdir()))
    summary = ingest_boundaries(cfg)
    out = cfg.processed_dir / "boundaries"
    lsoa = gpd.read_parquet(out / "lsoa_2011.parquet")
    assert lsoa.crs.to_epsg() == 27700
    assert int(lsoa["in_partnership"].sum()) == 185
    wards_2013 = gpd.read_parquet(out / "ward_2013.parquet")
    assert int(wards_2013["in_partnership"].sum()) == 25
    # the 2022 wards of North of England: Sunderland's 25 in, neighbours' wards beside them
    wards_2022 = gpd.read_parquet(out / "ward_2022.parquet")
    inside = wards_2022[wards_2022["in_partnership"]]
    assert len(inside) == 25
    assert set(inside["lad_code"]) == {SUNDERLAND_LAD}
    assert len(wards_2022) < 100  # not the 1,560 of the region
    lads = gpd.read_parquet(out / "lad_2022.parquet")
    assert set(lads.loc[lads["in_partnership"], "code"]) == {SUNDERLAND_LAD}
    # Gateshead, South Tyneside and County Durham border Sunderland
    assert {"E08000037", "E08000023", "E06000047"} <= set(lads["code"])
    # every Sunderland LSOA of the data has a polygon
    assert summary.matching["lsoa"]["codes_without_polygon"] == 0
    log = json.loads((cfg.processed_dir / "_boundaries_log.json").read_text())
    assert log["outline_from"] == "LSOA 2011"
    # provenance: each file's checksum as read, and the run log's table of boundary files
    for entry in log["files"]:
        raw = (real / "boundaries" / Path(entry["file"]).name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
    section = report_index._boundary_section(report_index.load_boundary_files(cfg.processed_dir))
    for entry in log["files"]:
        assert html.escape(entry["file"]) in section and entry["sha256"] in section
    assert "LSOA 2011" in section and "Ward 2013" in section and "Ward 2022" in section
    assert f"{len(lsoa)} (185 in the partnership, {len(lsoa) - 185} neighbours)" in section
    assert "185 of the partnership's 185 codes in the data have a polygon" in section
    again = ingest_boundaries(cfg)
    assert again.skipped


def test_codes_without_polygons_and_polygons_without_data_are_counted(tmp_path):
    real = _real_data()
    cfg = _real_project(tmp_path, real, ["LSOA_2011_BGC_Sunderland_E08000024.json"])
    (layer,) = read_boundary_file(real / "boundaries" / "LSOA_2011_BGC_Sunderland_E08000024.json")
    union = layer.frame.geometry.buffer(1).union_all()
    edge = shapely.union_all([part.exterior for part in shapely.get_parts(union)]).buffer(10)
    interior = sorted(layer.frame.loc[~layer.frame.intersects(edge), "code"])[:2]
    codes = sorted(_sunderland_lsoas(real) - set(interior))
    # the data name three LSOAs not in the file (a 2021 split, say) and lack two of the file's
    cfg.lsoas = tuple(codes + ["E01099991", "E01099992", "E01099993"])
    summary = ingest_boundaries(cfg)
    match = summary.matching["lsoa"]
    assert match["codes_in_data"] == 186
    assert match["codes_without_polygon"] == 3
    assert match["polygons_without_data"] == 2
    assert any("3 of the partnership's 186 codes have no polygon" in w for w in summary.warnings)


def _square(x, y, size=1000):
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


def test_geojson_in_metres_without_crs_member_is_read_as_british_national_grid(tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"lsoa21cd": f"E0100000{i}", "lsoa21nm": f"Town 00{i}A"},
            "geometry": _square(430000 + 1000 * i, 550000).__geo_interface__,
        }
        for i in range(3)
    ]
    path = tmp_path / "download (3).geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    (layer,) = read_boundary_file(path)
    assert (layer.level, layer.vintage, layer.code_column) == ("lsoa", "2021", "lsoa21cd")
    assert layer.crs_in == "EPSG:27700"
    assert layer.frame.total_bounds.tolist() == [430000, 550000, 433000, 551000]
    assert list(layer.frame["name"]) == ["Town 000A", "Town 001A", "Town 002A"]


def test_geopackage_layers_and_zipped_shapefile(tmp_path):
    wards = gpd.GeoDataFrame(
        {"WD19CD": ["E05000001", "E05000002"], "WD19NM": ["North", "South"]},
        geometry=[_square(430000, 551000), _square(430000, 550000)],
        crs=27700,
    )
    lads = gpd.GeoDataFrame(
        {"LAD19CD": ["E08000001"]}, geometry=[_square(430000, 550000, 2000)], crs=27700
    )
    gpkg = tmp_path / "boundaries.gpkg"
    wards.to_file(gpkg, layer="wards", driver="GPKG")
    lads.to_file(gpkg, layer="lads", driver="GPKG")
    levels = {(lay.level, lay.vintage, len(lay.frame)) for lay in read_boundary_file(gpkg)}
    assert levels == {("ward", "2019", 2), ("lad", "2019", 1)}

    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    wards.to_crs(4326).to_file(shp_dir / "Wards.shp")
    archive = tmp_path / "Wards_May_2019.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in shp_dir.iterdir():
            z.write(part, f"Wards_May_2019/{part.name}")
    (layer,) = read_boundary_file(archive)
    assert (layer.level, layer.vintage) == ("ward", "2019")
    assert layer.frame.crs.to_epsg() == 27700
    # back in metres within a metre of where they were drawn
    assert abs(layer.frame.total_bounds - [430000, 550000, 431000, 552000]).max() < 1


def test_unrecognised_and_broken_files_name_the_file(tmp_path):
    path = tmp_path / "parks.geojson"
    gpd.GeoDataFrame({"park": ["A"]}, geometry=[_square(0, 0)], crs=27700).to_file(path)
    with pytest.raises(InputFileError) as err:
        read_boundary_file(path, "geography/boundaries/parks.geojson")
    text = str(err.value)
    assert "parks.geojson" in text and "park" in text and "LSOA21CD" in text
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(InputFileError, match="broken.geojson"):
        read_boundary_file(broken)
    bad_zip = tmp_path / "x.zip"
    bad_zip.write_bytes(b"not a zip")
    with pytest.raises(InputFileError, match="zip"):
        read_boundary_file(bad_zip)


def test_code_properties_pick_the_finest_level():
    assert recognise(["WD22CD", "LAD22CD", "WD22NM"]) == (
        "ward",
        "2022",
        "WD22CD",
        "WD22NM",
        "LAD22CD",
    )
    assert recognise(["objectid", "LSOA11CD"])[:2] == ("lsoa", "2011")
    assert recognise(["ctyua19cd"])[:2] == ("lad", "2019")
    assert recognise(["name", "code"]) is None
