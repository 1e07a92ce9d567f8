"""Benchmark: reading a national LSOA boundary layer at ingest.

ONS publishes England and Wales' 35,672 LSOAs (2021) in one file; an analyst who downloads
it rather than their area's extract makes ``sa ingest`` read all of it to keep their
partnership's 170 or so and the neighbours. No national file is kept in the repository:
this script synthesises one of the same size (Voronoi cells of random points over England's
extent, edges densified to about 40 vertices a polygon as the generalised "BGC" layers)
as longitude/latitude GeoJSON, then times :func:`sa_toolkit.ingest.boundaries.ingest_boundaries`
for a partnership of 170 LSOAs in the middle, and the same call again (unchanged files
are not read again).

Usage: ``python benchmarks/boundaries_national.py [--lsoas 35672]``
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work" / "boundaries"


def synthesise(path: Path, n: int, seed: int = 1) -> list[str]:
    """Write ``n`` LSOA polygons as ONS-style GeoJSON; return the codes."""
    import geopandas as gpd
    import shapely

    rng = np.random.default_rng(seed)
    # England and Wales' British National Grid extent, roughly
    x = rng.uniform(150_000, 650_000, n)
    y = rng.uniform(20_000, 650_000, n)
    points = shapely.multipoints(np.column_stack([x, y]))
    box = shapely.box(150_000, 20_000, 650_000, 650_000)
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=box))
    cells = shapely.intersection(cells, box)
    side = np.sqrt(box.area / n)
    cells = shapely.segmentize(cells, side / 7)
    codes = [f"E01{i:06d}" for i in range(len(cells))]
    frame = gpd.GeoDataFrame(
        {
            "LSOA21CD": codes,
            "LSOA21NM": [f"Area {i // 5:04d}{'ABCDE'[i % 5]}" for i in range(len(cells))],
        },
        geometry=cells,
        crs=27700,
    ).to_crs(4326)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"})
    centre = shapely.Point(400_000, 335_000)
    order = np.argsort(shapely.distance(cells, centre))
    return [codes[i] for i in order[:170]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lsoas", type=int, default=35_672)
    args = parser.parse_args()
    from sa_toolkit.ingest.boundaries import BOUNDARY_DIR, ingest_boundaries

    shutil.rmtree(WORK, ignore_errors=True)
    path = WORK / "raw" / BOUNDARY_DIR / "LSOA_2021_EW_BGC_V5.geojson"
    t0 = time.perf_counter()
    partnership = synthesise(path, args.lsoas)
    made = time.perf_counter() - t0
    cfg = SimpleNamespace(
        raw_dir=WORK / "raw",
        processed_dir=WORK / "processed",
        partnership_code="E22999999",
        lsoas=tuple(partnership),
    )
    t0 = time.perf_counter()
    summary = ingest_boundaries(cfg)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = ingest_boundaries(cfg)
    second = time.perf_counter() - t0
    size = path.stat().st_size / 1e6
    kept = summary.outputs["lsoa_2021.parquet"]
    print(
        f"national LSOA layer: {args.lsoas:,} polygons, {size:.0f} MB GeoJSON (made in {made:.1f} s)"
    )
    print(
        f"  ingest: {first:.1f} s; kept {kept['in_partnership']} in the partnership + "
        f"{kept['features'] - kept['in_partnership']} neighbours"
    )
    print(f"  again, unchanged: {second:.2f} s (skipped: {again.skipped})")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
