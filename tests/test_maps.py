"""Maps: overdispersed funnel flags (hand-worked), rates by area, classes, label placement,
and drawing on the real Sunderland layers (skipped without ../shared/real-data)."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon

from sa_toolkit import charts, maps
from sa_toolkit.errors import ArgumentError
from sa_toolkit.ingest.boundaries import BOUNDARY_DIR, ingest_boundaries

REPO = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ funnel flags
def test_overdispersed_flags_match_hand_worked_spiegelhalter_arithmetic():
    counts = [10, 20, 30, 100]
    pops = [1000, 1000, 1000, 1000]
    flags = maps.overdispersed_flags(counts, pops, confidence=0.95)
    # partnership rate 160 / 4000 = 0.04; expected 40 in each area
    assert flags.attrs["average"] == pytest.approx(40.0)  # per 1,000
    z = [2 * (math.sqrt(o) - math.sqrt(40)) for o in counts]
    assert flags["z"].tolist() == pytest.approx(z)
    # Winsorised at the 10th and 90th percentiles (linear interpolation between the 4 z's)
    lo = z[0] + 0.3 * (z[1] - z[0])
    hi = z[2] + 0.7 * (z[3] - z[2])
    phi = sum(min(max(v, lo), hi) ** 2 for v in z) / 4
    assert flags.attrs["phi"] == pytest.approx(phi)
    assert flags.attrs["overdispersed"]  # 4 * phi > 3
    # additive random effects: w = 1 / s^2 = 4 E = 160 in every area
    tau2 = (4 * phi - 3) / (4 * 160 - 4 * 160**2 / (4 * 160))
    assert flags.attrs["tau2"] == pytest.approx(tau2)
    half = 1.959963985 * math.sqrt(1 / 160 + tau2)
    assert flags["upper"].tolist() == pytest.approx([40 * (1 + half) ** 2] * 4)
    # sqrt(100/40) = 1.58 is above 1 + half only if half < 0.58
    assert flags["above"].tolist() == [False, False, False, math.sqrt(2.5) > 1 + half]


def test_multiplicative_widens_by_root_phi():
    counts, pops = [10, 20, 30, 100], [1000] * 4
    flags = maps.overdispersed_flags(counts, pops, confidence=0.998, method="multiplicative")
    phi = flags.attrs["phi"]
    half = 3.090232306 * math.sqrt(phi / 160)
    assert flags["upper"].tolist() == pytest.approx([40 * (1 + half) ** 2] * 4)


def test_without_overdispersion_the_limits_are_poisson():
    counts, pops = [40, 41, 39, 40, 40], [1000] * 5
    flags = maps.overdispersed_flags(counts, pops, confidence=0.998)
    assert not flags.attrs["overdispersed"]
    assert flags.attrs["method"] == "Poisson"
    expected = 40.0
    half = 3.090232306 / (2 * math.sqrt(expected))
    assert flags["upper"].iloc[0] == pytest.approx(40 * (1 + half) ** 2)


def test_overdispersion_keeps_chance_from_flagging_many_areas():
    """Counts with real between-area variation (gamma-Poisson): a plain Poisson funnel
    flags many areas, the overdispersed funnel few."""
    rng = np.random.default_rng(7)
    pops = rng.integers(1200, 2500, 400).astype(float)
    true_rates = rng.gamma(shape=4, scale=0.05 / 4, size=400)  # mean 0.05, CV 0.5
    counts = rng.poisson(true_rates * pops)
    flags = maps.overdispersed_flags(counts, pops, confidence=0.998)
    theta = counts.sum() / pops.sum()
    poisson_flagged = (2 * (np.sqrt(counts) - np.sqrt(theta * pops)) > 3.09).sum()
    assert flags.attrs["overdispersed"]
    assert poisson_flagged > 20
    assert flags["above"].sum() < poisson_flagged / 3


def test_bad_inputs_are_refused():
    with pytest.raises(ArgumentError, match="populations"):
        maps.overdispersed_flags([1, 2], [10, 0])
    with pytest.raises(ArgumentError, match="method"):
        maps.overdispersed_flags([1, 2], [10, 10], method="other")


# ------------------------------------------------------------------ classes
def test_quantile_classes_are_rounded_and_stated():
    breaks = maps.class_breaks(np.arange(1, 101), 5)
    # quintiles of 1..100: 20.8, 40.6, 60.4, 80.2 -> two significant figures
    assert breaks == [21, 41, 60, 80]
    assert maps.class_labels(breaks) == [
        "under 21",
        "21 to under 41",
        "41 to under 60",
        "60 to under 80",
        "80 and over",
    ]
    assert maps.class_labels([2.5, 7.5]) == ["under 2.5", "2.5 to under 7.5", "7.5 and over"]
    assert maps.class_labels([32, 39], "%") == ["under 32%", "32% to under 39%", "39% and over"]
    assert maps.class_breaks([1, 2, 3], scheme="fixed", breaks=[10, 5]) == [5, 10]


# ------------------------------------------------------------------ rates by area
def _square(x, y, size=1000):
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


def _toy_layers():
    """Four LSOAs in a row, two wards of two each; a fifth LSOA is a neighbour."""
    lsoas = gpd.GeoDataFrame(
        {
            "code": ["L1", "L2", "L3", "L4", "N1"],
            "name": ["A 001A", "A 001B", "A 002A", "A 002B", "B 001A"],
            "in_partnership": [True, True, True, True, False],
            "vintage": "2021",
        },
        geometry=[_square(430000 + 1000 * i, 550000) for i in range(5)],
        crs=27700,
    )
    wards = gpd.GeoDataFrame(
        {"code": ["W1", "W2"], "name": ["West", "East"], "in_partnership": [True, True]},
        geometry=[_square(430000, 550000, 2000), _square(432000, 550000, 2000)],
        crs=27700,
    )
    points = lsoas.geometry.representative_point()
    lsoas["ward_code"] = [
        "W1" if p.x < 432000 else ("W2" if p.x < 434000 else None) for p in points
    ]
    return maps.MapLayers(
        lsoas=lsoas,
        wards=wards,
        outline=shapely.box(430000, 550000, 434000, 551000),
        lsoa_vintage="2021",
        data_codes=frozenset({"L1", "L2", "L3", "L4", "L9"}),
    )


def test_area_rates_by_lsoa_and_ward_by_hand():
    layers = _toy_layers()
    counts = pd.Series({"L1": 30, "L2": 3, "L3": 0, "L9": 7, "N1": 50})
    population = pd.Series({"L1": 1500.0, "L2": 1000.0, "L3": 2000.0})
    lsoa = maps.area_rates(counts, population, layers, "lsoa", threshold=5)
    by = lsoa.set_index("code")
    assert by.loc["L1", "value"] == pytest.approx(20.0)  # 30 / 1,500 * 1,000
    assert by.loc["L2", "status"] == "suppressed"  # 3 < 5
    assert by.loc["L3", "value"] == 0 and by.loc["L3", "status"] == "shown"
    assert by.loc["L4", "status"] == "missing"  # no population figure
    assert "N1" not in by.index  # a neighbour's LSOA is not the partnership's
    # L9 is the partnership's (in the lookup) but has no polygon: 7 events not mapped
    assert lsoa.attrs["codes_without_polygon"] == 1
    assert lsoa.attrs["events_without_polygon"] == 7
    ward = maps.area_rates(counts, population, layers, "ward", threshold=5).set_index("name")
    assert ward.loc["West", "count"] == 33
    assert ward.loc["West", "value"] == pytest.approx(33 / 2500 * 1000)
    assert ward.loc["East", "value"] == pytest.approx(0.0)  # L3 0 of 2,000; L4 unknown
    table = maps.area_table(lsoa, 5, "lsoa", "Offences")
    row = table.set_index("LSOA").loc["A 001B"]
    assert row["Offences"] == "<5" and row["Rate per 1,000"] == "[c]"
    assert table.set_index("LSOA").loc["A 002B", "Rate per 1,000"] == "no data"


# ------------------------------------------------------------------ drawing
def test_labels_never_overlap():
    layers = _toy_layers()
    areas = maps.area_rates(
        pd.Series({"L1": 30, "L3": 9}),
        pd.Series(1000.0, index=["L1", "L2", "L3", "L4"]),
        layers,
        "lsoa",
    )
    fig = maps.choropleth(
        areas, layers, title="t", subtitle="s", source="x", label_top=0, threshold=5
    )
    ax = fig.axes[0]
    same_place = pd.DataFrame(
        {"x": [431000.0] * 6, "y": [550500.0] * 6, "label": [f"Ward number {i}" for i in range(6)]}
    )
    omitted = maps.place_labels(ax, same_place)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().startswith("Ward")]
    assert len(boxes) + len(omitted) == 6
    assert len(boxes) >= 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def _real_data() -> Path:
    for candidate in (REPO.parent / "shared" / "real-data", Path("/work/shared/real-data")):
        if (candidate / "boundaries").is_dir():
            return candidate
    pytest.skip("the real-data folder (../shared/real-data/boundaries) is not on this machine")


@pytest.fixture(scope="module")
def sunderland(tmp_path_factory):
    """Sunderland's real 2011 LSOAs and 2013 and 2022 wards, ingested; no ward lookup."""
    real = _real_data()
    tmp = tmp_path_factory.mktemp("sunderland")
    folder = tmp / "raw" / BOUNDARY_DIR
    folder.mkdir(parents=True)
    for name in (
        "LSOA_2011_BGC_Sunderland_E08000024.json",
        "Wards_2013_Sunderland_E08000024.json",
        "Wards_December_2022_BSC_North_of_England.geojson",
    ):
        (folder / name).symlink_to(real / "boundaries" / name)
    lookup = pd.read_csv(real / "geography" / "LSOA11_CCG20_LAD20_EN_LU_April2020.csv", dtype=str)
    codes = lookup.loc[lookup["LAD20CD"] == "E08000024", "LSOA11CD"]
    cfg = SimpleNamespace(
        raw_dir=tmp / "raw",
        processed_dir=tmp / "processed",
        partnership_code="E22000248",
        lsoas=tuple(codes),
    )
    ingest_boundaries(cfg)
    layers = maps.load_layers(cfg.processed_dir, pd.DataFrame({"lsoa_code": codes}), 2013)
    # one month of real street-level crime in Sunderland's LSOAs
    with zipfile.ZipFile(real / "police_uk" / "northumbria-2013-06-to-2014-06.zip") as z:
        name = next(n for n in z.namelist() if n.endswith("2013-09-northumbria-street.csv"))
        with z.open(name) as f:
            street = pd.read_csv(f)
    street = street[street["LSOA code"].isin(set(codes))].rename(
        columns={"LSOA code": "lsoa_code", "Longitude": "longitude", "Latitude": "latitude"}
    )
    return SimpleNamespace(layers=layers, street=street, tmp=tmp, codes=set(codes))


def test_real_lsoas_are_placed_in_the_2013_wards_by_a_point_inside(sunderland):
    layers = sunderland.layers
    # the lookup has no wards: the vintage nearest 2013/14 is used, LSOAs placed spatially
    assert layers.ward_vintage == "2013"
    assert "point inside each LSOA" in layers.ward_rule
    own = layers.partnership_lsoas
    assert len(own) == 185
    assert own["ward_code"].notna().all()
    assert own["ward_code"].nunique() == 25
    # each LSOA's representative point lies in its ward's polygon
    wards = layers.wards.set_index("code").geometry
    points = own.geometry.representative_point()
    assert all(wards[w].contains(p) for w, p in zip(own["ward_code"], points, strict=True))


def test_real_maps_draw_with_every_ward_named(sunderland, tmp_path):
    layers, street = sunderland.layers, sunderland.street
    violence = street[street["Crime type"] == "Violence and sexual offences"]
    counts = violence.groupby("lsoa_code").size()
    population = pd.Series(1600.0, index=sorted(sunderland.codes))
    for level in ("ward", "lsoa"):
        areas = maps.area_rates(counts, population, layers, level, threshold=5)
        fig = maps.choropleth(
            areas,
            layers,
            level=level,
            threshold=5,
            title=maps.map_title(areas, "Violence", level),
            subtitle="Violence per 1,000 residents, Sunderland, September 2013",
            source="data.police.uk",
        )
        assert "Contains OS data © Crown copyright" in fig.sa_source
        paths = charts.save_and_show(
            fig, f"real_{level}", "Map of violence by area, test.", tmp_path, show=False
        )
        assert paths["png"].stat().st_size > 10_000 and paths["svg"].is_file()
    fig = maps.hotspot_map(
        violence["longitude"],
        violence["latitude"],
        layers,
        title="Violence concentrated in the city centre",
        subtitle="Offences per hexagon",
        source="data.police.uk",
        min_count=5,
    )
    # all of Sunderland's 25 ward names fit without overlapping
    assert fig.sa_omitted_labels == []
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_text() and t.get_text() != "N"]
    assert len(labels) == 25
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    # points are the force's: those outside Sunderland's boundary are counted, not drawn
    assert fig.sa_points_outside < len(violence) * 0.02


def test_hotspot_with_no_hexagon_above_the_threshold_says_so():
    from pyproj import Transformer

    layers = _toy_layers()
    to_lonlat = Transformer.from_crs(27700, 4326, always_xy=True)
    # three points spread over the partnership: no hexagon holds 5
    lon, lat = to_lonlat.transform([430500, 432000, 433500], [550500, 550500, 550500])
    with pytest.raises(ArgumentError, match="no hexagon holds 5"):
        maps.hotspot_map(lon, lat, layers, title="t", subtitle="s", source="x", min_count=5)
    fig = maps.hotspot_map(lon, lat, layers, title="t", subtitle="s", source="x", min_count=1)
    assert fig.sa_points_outside == 0


# ------------------------------------------------------------------ the measure in words
def _survey_areas(concern: str) -> pd.DataFrame:
    areas = pd.DataFrame(
        {
            "code": ["W1", "W2", "W3", "W4"],
            "name": ["North", "South", "East", "West"],
            "count": [120, 90, 80, 10],
            "value": [81.0, 52.0, 66.0, 40.0],
            "lower": [75.0, 44.0, 58.0, 20.0],
            "upper": [86.0, 60.0, 73.0, 62.0],
            "status": ["shown", "shown", "shown", "suppressed"],
            # the partnership is 68%: North's interval is above it, South's below it
            "above": [concern == "above", concern == "below", False, False],
        }
    )
    areas.attrs.update(
        average=68.0,
        value_label="% of residents",
        unit_suffix="%",
        measure_word="percentage",
        concern=concern,
    )
    return areas


def test_survey_maps_name_a_percentage_not_a_rate():
    areas = _survey_areas("above")
    title = maps.map_title(areas, "Feeling unsafe", "ward")
    assert title == (
        "Feeling unsafe was significantly above the partnership percentage in one ward, North"
    )
    alt = maps.map_alt_text(areas, "Feeling unsafe", "ward")
    assert "Highest percentages: North 81.0%; East 66.0%; South 52.0%." in alt
    assert "rate" not in title + alt
    table = maps.area_table(areas, 0, "ward", "Respondents")
    assert "Above partnership percentage" in table.columns
    assert table["Ward"].tolist()[:3] == ["North", "East", "South"]


def test_where_low_is_the_concern_the_lowest_come_first_and_below_is_outlined():
    areas = _survey_areas("below")
    title = maps.map_title(areas, "Feeling safe after dark", "ward")
    assert title == (
        "Feeling safe after dark was significantly below the partnership percentage in one "
        "ward, South"
    )
    alt = maps.map_alt_text(areas, "Feeling safe after dark", "ward")
    assert "Lowest percentages: South 52.0%; East 66.0%; North 81.0%." in alt
    assert "1 ward significantly below it (outlined)" in alt
    table = maps.area_table(areas, 0, "ward", "Respondents")
    assert table.columns[-1] == "Below partnership percentage"
    assert table["Ward"].tolist()[:3] == ["South", "East", "North"]
    assert table.loc[table["Ward"] == "South", "Below partnership percentage"].item() == "yes"
