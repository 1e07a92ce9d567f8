"""Boundary files for the demo, in the layout ONS publishes them.

Demo Borough has LSOA centroids but no real polygons. Its LSOA polygons are the Voronoi
cells of those centroids (so every LSOA holds its own centroid, and the demo's incidents,
placed around the centroids, fall in or near their LSOA), cut to an outline drawn around
all the demo LSOAs; wards and local authorities are the union of their LSOAs' cells.

Written to ``data/raw/geography/boundaries/`` as an analyst would download them:

- ``LSOA_2021_EW_BGC_Demo.geojson``: ``LSOA21CD, LSOA21NM``, longitude/latitude (RFC 7946,
  no ``crs`` member), as the ONS Open Geography portal's GeoJSON;
- ``Wards_December_2024_Boundaries_UK_BGC_Demo.geojson``: ``WD24CD, WD24NM, LAD24CD,
  LAD24NM`` in British National Grid with a ``crs`` member;
- ``LAD_December_2024_Boundaries_UK_BGC_Demo.geojson``: ``LAD24CD, LAD24NM``, lon/lat.
"""

from __future__ import annotations

from pathlib import Path

from sa_toolkit.demo.geography import Geography

BOUNDARY_DIR = Path("geography") / "boundaries"
FILES = {
    "lsoa": "LSOA_2021_EW_BGC_Demo.geojson",
    "ward": "Wards_December_2024_Boundaries_UK_BGC_Demo.geojson",
    "lad": "LAD_December_2024_Boundaries_UK_BGC_Demo.geojson",
}
#: the outline runs this far beyond the outermost LSOA centroids (metres)
OUTLINE_MARGIN = 500.0


def lsoa_polygons(geo: Geography):
    """The demo LSOAs as Voronoi cells of their centroids, in British National Grid."""
    import geopandas as gpd
    import shapely

    lsoas = geo.lsoas
    points = gpd.GeoSeries(
        gpd.points_from_xy(lsoas["longitude"], lsoas["latitude"]), crs=4326
    ).to_crs(27700)
    outline = shapely.buffer(
        shapely.convex_hull(shapely.multipoints(points.values)), OUTLINE_MARGIN
    )
    # a rounded outline reads as a place, not a polygon with corners at the centroids
    outline = shapely.simplify(outline, 50)
    cells = shapely.voronoi_polygons(shapely.multipoints(points.values), extend_to=outline)
    cells = gpd.GeoSeries(list(shapely.get_parts(cells)), crs=27700)
    # voronoi_polygons does not keep the input order: match each cell to its centroid
    index = gpd.GeoDataFrame(geometry=points).sjoin(
        gpd.GeoDataFrame(geometry=cells), predicate="within"
    )
    geometry = cells.iloc[index.sort_index()["index_right"].to_numpy()].intersection(outline)
    return gpd.GeoDataFrame(
        lsoas[["lsoa_code", "lsoa_name", "ward_code", "ward_name", "lad_code", "csp_name"]],
        geometry=geometry.to_numpy(),
        crs=27700,
    )


def write_boundaries(raw_dir: Path, geo: Geography) -> dict[str, Path]:
    """Write the demo's LSOA, ward and local authority boundary files; return their paths."""
    folder = Path(raw_dir) / BOUNDARY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    cells = lsoa_polygons(geo)
    written = {}
    lsoa = cells.rename(columns={"lsoa_code": "LSOA21CD", "lsoa_name": "LSOA21NM"})
    written["lsoa"] = folder / FILES["lsoa"]
    lsoa[["LSOA21CD", "LSOA21NM", "geometry"]].to_crs(4326).to_file(
        written["lsoa"], driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"}
    )
    wards = cells.dissolve(by=["ward_code", "ward_name", "lad_code", "csp_name"], as_index=False)
    wards = wards.rename(
        columns={
            "ward_code": "WD24CD",
            "ward_name": "WD24NM",
            "lad_code": "LAD24CD",
            "csp_name": "LAD24NM",
        }
    )
    written["ward"] = folder / FILES["ward"]
    wards[["WD24CD", "WD24NM", "LAD24CD", "LAD24NM", "geometry"]].to_file(
        written["ward"], driver="GeoJSON", engine="pyogrio"
    )
    lads = cells.dissolve(by=["lad_code", "csp_name"], as_index=False).rename(
        columns={"lad_code": "LAD24CD", "csp_name": "LAD24NM"}
    )
    written["lad"] = folder / FILES["lad"]
    lads[["LAD24CD", "LAD24NM", "geometry"]].to_crs(4326).to_file(
        written["lad"], driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"}
    )
    return written
