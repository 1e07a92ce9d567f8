"""Boundary files: read ONS boundary layers as downloaded, keep the partnership's area.

``sa ingest`` calls :func:`ingest_boundaries` after the tabular datasets (it needs the
processed ``lookup`` to know the partnership's LSOAs, wards and local authority). Every file
under ``data/raw/geography/boundaries/`` is read, whatever its name: GeoJSON (with or
without a ``crs`` member; longitude/latitude or British National Grid), GeoPackage (every
layer) and zipped Shapefiles. A layer is recognised by its ONS code property, matched
case-insensitively: ``LSOA11CD``/``LSOA21CD`` (LSOAs), ``MSOA11CD``/``MSOA21CD``, ``WD13CD``
… ``WD24CD`` (wards, any year) and ``LAD22CD``/``LA..CD``/``CTYUA..CD`` (local authorities).

Each layer keeps only the features in the partnership (at least half of the feature's area
inside the partnership's outline, or its code in the lookup) and its neighbours (touching
the outline), in British National Grid (EPSG:27700), as GeoParquet
``data/processed/boundaries/<level>_<vintage>.parquet`` with columns ``code, name, level,
vintage, lad_code, in_partnership, source_file, geometry``. The run is logged in
``data/processed/_boundaries_log.json`` with, per level, the partnership's codes in the data
without a polygon and the polygons without data.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sa_toolkit.errors import InputFileError
from sa_toolkit.paths import PROCESSED_BOUNDARY_DIR

BOUNDARY_DIR = Path("geography") / "boundaries"
OUTPUT_DIR = PROCESSED_BOUNDARY_DIR
LOG_NAME = "_boundaries_log.json"
BNG = 27700
LOG_VERSION = 2  # 2: each file's SHA-256 in the log (the run log's provenance)
#: file name endings read as boundary files
SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".shp")
#: ONS code properties, finest level first: (level, regular expression)
CODE_PROPERTIES = (
    ("lsoa", re.compile(r"^lsoa(\d{2})cd$", re.IGNORECASE)),
    ("msoa", re.compile(r"^msoa(\d{2})cd$", re.IGNORECASE)),
    ("ward", re.compile(r"^wd(\d{2})cd$", re.IGNORECASE)),
    ("lad", re.compile(r"^(?:lad|la|ltla|ctyua|utla)(\d{2})cd$", re.IGNORECASE)),
)
LEVEL_NAMES = {"lsoa": "LSOA", "msoa": "MSOA", "ward": "ward", "lad": "local authority"}
#: features touching the partnership's outline within this distance are its neighbours
NEIGHBOUR_METRES = 250.0
#: a feature is in the partnership when at least this share of its area lies inside
INSIDE_SHARE = 0.5


@dataclass
class BoundaryLayer:
    """One recognised layer of one file, in British National Grid."""

    file: str
    layer: str | None
    level: str
    vintage: str
    code_column: str
    crs_in: str
    frame: object  # geopandas.GeoDataFrame: code, name, lad_code, geometry
    dropped_no_geometry: int = 0
    duplicate_codes: int = 0


@dataclass
class BoundarySummary:
    """What :func:`ingest_boundaries` read, kept and could not match."""

    files: list[dict] = field(default_factory=list)
    outputs: dict[str, dict] = field(default_factory=dict)
    matching: dict[str, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped: bool = False
    seconds: float = 0.0


def boundary_files(raw_dir: Path) -> list[Path]:
    """Every boundary file under ``raw/geography/boundaries/`` (any name), sorted."""
    folder = Path(raw_dir) / BOUNDARY_DIR
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


def _sources(path: Path) -> list[tuple[str, str | None]]:
    """``(path for pyogrio, layer)`` pairs to read from one file."""
    import pyogrio

    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".shp")]
                members += [
                    m for m in archive.namelist() if m.lower().endswith((".geojson", ".gpkg"))
                ]
        except zipfile.BadZipFile as exc:
            raise InputFileError(str(path), f"not a readable zip archive ({exc})") from exc
        if not members:
            raise InputFileError(
                str(path), "the zip archive holds no Shapefile (.shp), GeoJSON or GeoPackage"
            )
        return [(f"/vsizip/{path}/{m}", None) for m in members]
    if suffix == ".gpkg":
        try:
            return [(str(path), str(name)) for name, _ in pyogrio.list_layers(path)]
        except Exception as exc:  # noqa: BLE001 - any GDAL fault is the file's
            raise InputFileError(str(path), f"not a readable GeoPackage ({exc})") from exc
    return [(str(path), None)]


def recognise(columns) -> tuple[str, str, str, str | None, str | None] | None:
    """The layer's level from its ONS code property.

    Returns ``(level, vintage, code_column, name_column, lad_column)`` for the finest
    level found (a ward layer also carrying ``LAD22CD`` is a ward layer), or None.
    """
    found = []
    for column in columns:
        for rank, (level, pattern) in enumerate(CODE_PROPERTIES):
            match = pattern.match(str(column))
            if match:
                found.append((rank, level, match.group(1), str(column)))
    if not found:
        return None
    rank, level, year, code_column = min(found)
    name_column = next(
        (c for c in columns if str(c).lower() == code_column.lower()[:-2] + "nm"), None
    )
    lad_column = next((c for _, lvl, _, c in sorted(found) if lvl == "lad"), None)
    vintage = f"20{year}" if int(year) < 70 else f"19{year}"
    return level, vintage, code_column, name_column, lad_column if level != "lad" else None


def _to_bng(frame, display: str):
    """The frame in British National Grid, telling lon/lat from metres by the coordinates
    when the file's CRS is missing or wrong (a GeoJSON without a crs member is read as
    lon/lat by GDAL even when its coordinates are eastings and northings)."""
    minx, miny, maxx, maxy = frame.total_bounds
    metres = max(abs(minx), abs(maxx), abs(miny), abs(maxy)) > 400
    if metres:
        if frame.crs is None or frame.crs.is_geographic:
            frame = frame.set_crs(BNG, allow_override=True)
    elif frame.crs is None or not frame.crs.is_geographic:
        frame = frame.set_crs(4326, allow_override=True)
    crs_in = frame.crs.to_string()
    if frame.crs.to_epsg() != BNG:
        frame = frame.to_crs(BNG)
    return frame, crs_in


def read_boundary_file(path: Path, display: str | None = None) -> list[BoundaryLayer]:
    """Read every recognised layer of one boundary file.

    Raises
    ------
    InputFileError
        The file cannot be read, or no layer carries an ONS code property.
    """
    import geopandas as gpd
    import shapely

    display = display or path.name
    layers: list[BoundaryLayer] = []
    unrecognised: list[str] = []
    for source, layer in _sources(path):
        try:
            frame = gpd.read_file(source, layer=layer, engine="pyogrio")
        except Exception as exc:  # noqa: BLE001 - any GDAL fault is the file's
            raise InputFileError(
                display,
                f"not a readable boundary file ({exc})",
                expected="GeoJSON, GeoPackage or zipped Shapefile as published by ONS",
            ) from exc
        found = recognise([c for c in frame.columns if c != "geometry"])
        if found is None:
            unrecognised.append(", ".join(str(c) for c in frame.columns if c != "geometry"))
            continue
        level, vintage, code_column, name_column, lad_column = found
        has_geometry = frame.geometry.notna() & ~frame.geometry.is_empty
        dropped = int((~has_geometry).sum())
        frame = frame[has_geometry]
        if frame.empty:
            raise InputFileError(display, "no feature has a geometry")
        frame, crs_in = _to_bng(frame, display)
        out = gpd.GeoDataFrame(
            {
                "code": frame[code_column].astype("string").str.strip(),
                "name": (
                    frame[name_column].astype("string")
                    if name_column
                    else frame[code_column].astype("string")
                ),
                "lad_code": (
                    frame[lad_column].astype("string")
                    if lad_column
                    else pd.Series(pd.NA, index=frame.index, dtype="string")
                ),
            },
            geometry=shapely.make_valid(frame.geometry.values),
            crs=BNG,
        )
        duplicates = int(out["code"].duplicated().sum())
        out = out[~out["code"].duplicated() & out["code"].notna()].reset_index(drop=True)
        layers.append(
            BoundaryLayer(
                display, layer, level, vintage, code_column, crs_in, out, dropped, duplicates
            )
        )
    if not layers:
        raise InputFileError(
            display,
            "no ONS code property found (properties: " + "; ".join(unrecognised) + ")",
            expected="a code property such as LSOA11CD, LSOA21CD, MSOA21CD, WD22CD or LAD22CD",
        )
    return layers


@dataclass(frozen=True)
class Partnership:
    """The partnership's codes at each level, from the configuration and the lookup."""

    code: str
    lsoas: frozenset
    wards: frozenset
    lads: frozenset
    #: places named by MSOA (no ward lookup): the lookup's place codes are MSOA codes
    msoas: frozenset = frozenset()

    def codes(self, level: str) -> frozenset:
        return {"lsoa": self.lsoas, "ward": self.wards, "msoa": self.msoas, "lad": self.lads}.get(
            level, frozenset()
        )


def partnership_codes(cfg) -> Partnership:
    """The partnership's LSOA, ward and local authority codes (lookup and configuration)."""
    from sa_toolkit.tables import read_table

    lsoas: set[str] = {str(c) for c in cfg.lsoas}
    wards: set[str] = set()
    lads: set[str] = {cfg.partnership_code}
    try:
        lookup = read_table("lookup", cfg.processed_dir)
    except Exception:  # noqa: BLE001 - no lookup: the configured LSOAs alone
        lookup = pd.DataFrame(columns=["lsoa_code", "csp_code"])
    lookup = lookup.astype({c: "string" for c in lookup.columns if c != "source_line"})
    mine = lookup[lookup["csp_code"] == cfg.partnership_code] if "csp_code" in lookup else lookup
    if lsoas:
        mine = lookup[lookup["lsoa_code"].isin(lsoas)]
    else:
        lsoas = set(mine["lsoa_code"].dropna())
    msoas: set[str] = set()
    # the lookup's place column holds wards only when a ward lookup was supplied; without
    # one it holds MSOAs (or LSOAs), which no ward layer can match by code
    levels = set(mine["place_level"].dropna().astype(str)) if "place_level" in mine else {"ward"}
    places = wards if levels == {"ward"} else msoas if levels == {"MSOA"} else set()
    for column, target in (("ward_code", places), ("lad_code", lads)):
        if column in mine:
            target |= set(mine[column].dropna())
    # an MSOA named from its LSOAs' names (no MSOA lookup) has no ONS code to match
    msoas = {c for c in msoas if re.fullmatch(r"[EW]02\d{6}", c)}
    return Partnership(
        cfg.partnership_code,
        frozenset(lsoas),
        frozenset(wards),
        frozenset(lads),
        frozenset(msoas),
    )


def partnership_outline(layers: list[BoundaryLayer], partnership: Partnership):
    """The partnership's outline (a shapely geometry in BNG) and what it was built from.

    From the LSOA layer matching most of the partnership's LSOAs, else the local authority,
    else the wards; None when no layer holds a partnership code.
    """
    import shapely

    best = None
    for level in ("lsoa", "lad", "ward"):
        codes = partnership.codes(level)
        for layer in layers:
            if layer.level != level or not codes:
                continue
            hits = layer.frame[layer.frame["code"].isin(codes)]
            if len(hits) and (best is None or len(hits) > best[0]):
                best = (len(hits), hits, f"{LEVEL_NAMES[level]} {layer.vintage}")
        if best is not None:
            outline = shapely.union_all(shapely.buffer(best[1].geometry.values, 1.0))
            # holes are areas the data lack (an LSOA missing from the lookup), not another place
            outline = shapely.union_all(
                [shapely.Polygon(part.exterior) for part in shapely.get_parts(outline)]
            )
            return outline, best[2]
    return None, ""


def cut_to_partnership(layer: BoundaryLayer, outline, partnership: Partnership):
    """Features of the partnership and its neighbours, with ``in_partnership``."""
    import shapely

    frame = layer.frame
    near = frame.iloc[
        frame.sindex.query(shapely.buffer(outline, NEIGHBOUR_METRES), predicate="intersects")
    ].copy()
    near = near.sort_index()
    area = near.geometry.area
    inside = near.geometry.intersection(outline).area / area.where(area > 0)
    own = near["code"].isin(partnership.codes(layer.level))
    near["in_partnership"] = own | (inside.fillna(0) >= INSIDE_SHARE)
    return near.reset_index(drop=True)


def _state_key(files: list[Path], partnership: Partnership) -> str:
    digest = hashlib.sha256(f"v{LOG_VERSION}|{partnership.code}".encode())
    for codes in (partnership.lsoas, partnership.wards, partnership.lads, partnership.msoas):
        digest.update(("|".join(sorted(codes)) + "#").encode())
    for path in files:
        st = path.stat()
        digest.update(f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _matching(outputs: dict[str, object], partnership: Partnership) -> dict[str, dict]:
    """Per level: the partnership's codes in the data without a polygon, and polygons of
    the partnership without data (codes not in the lookup)."""
    result = {}
    for level in ("lsoa", "msoa", "ward"):
        codes = partnership.codes(level)
        frames = [f for key, f in outputs.items() if key.startswith(level + "_")]
        if not frames or not codes:
            continue
        # the vintage matching most codes is the one maps use
        frame = max(frames, key=lambda f: int(f["code"].isin(codes).sum()))
        polygons = set(frame.loc[frame["in_partnership"], "code"])
        missing = sorted(codes - set(frame["code"]))
        extra = sorted(polygons - codes)
        result[level] = {
            "vintage": str(frame["vintage"].iloc[0]),
            "codes_in_data": len(codes),
            "codes_with_polygon": len(codes) - len(missing),
            "codes_without_polygon": len(missing),
            "examples_without_polygon": missing[:10],
            "polygons_without_data": len(extra),
            "examples_polygons_without_data": extra[:10],
        }
    return result


def ingest_boundaries(cfg, console=None) -> BoundarySummary:
    """Read the boundary files of ``cfg.raw_dir``; write the partnership's layers.

    Unchanged files (same names, sizes and times, same partnership codes) are not read
    again. Without boundary files, earlier outputs are removed and maps fall back to the
    density plots.
    """
    t0 = time.perf_counter()
    raw_dir, processed_dir = Path(cfg.raw_dir), Path(cfg.processed_dir)
    out_dir = processed_dir / OUTPUT_DIR
    log_path = processed_dir / LOG_NAME
    files = boundary_files(raw_dir)
    summary = BoundarySummary()
    if not files:
        shutil.rmtree(out_dir, ignore_errors=True)
        log_path.unlink(missing_ok=True)
        return summary
    partnership = partnership_codes(cfg)
    key = _state_key(files, partnership)
    previous = _read_log(processed_dir)
    if previous.get("key") == key and all(
        (out_dir / name).is_file() for name in previous.get("outputs", {})
    ):
        summary = BoundarySummary(
            files=previous["files"],
            outputs=previous["outputs"],
            matching=previous["matching"],
            warnings=previous.get("warnings", []),
            skipped=True,
        )
        summary.seconds = time.perf_counter() - t0
        _print(console, summary)
        return summary

    layers: list[BoundaryLayer] = []
    for path in files:
        t1 = time.perf_counter()
        display = str(path.relative_to(raw_dir))
        read = read_boundary_file(path, display)
        layers += read
        checksum = _sha256(path)
        for layer in read:
            summary.files.append(
                {
                    "file": display,
                    "sha256": checksum,
                    "layer": layer.layer,
                    "level": layer.level,
                    "vintage": layer.vintage,
                    "code_property": layer.code_column,
                    "crs": layer.crs_in,
                    "features": len(layer.frame) + layer.duplicate_codes,
                    "without_geometry": layer.dropped_no_geometry,
                    "duplicate_codes": layer.duplicate_codes,
                    "seconds": round(time.perf_counter() - t1, 3),
                }
            )
    outline, built_from = partnership_outline(layers, partnership)
    outputs: dict[str, object] = {}
    if outline is None:
        summary.warnings.append(
            f"no boundary feature matches the partnership ({partnership.code}): none of its "
            f"{len(partnership.lsoas)} LSOA codes, {len(partnership.wards)} ward codes or local "
            "authority codes is in the boundary files; check the partnership code and the "
            "boundaries' vintage (maps are not drawn)"
        )
    else:
        for layer in layers:
            cut = cut_to_partnership(layer, outline, partnership)
            cut["level"] = layer.level
            cut["vintage"] = layer.vintage
            cut["source_file"] = layer.file
            name = f"{layer.level}_{layer.vintage}.parquet"
            if name in outputs:
                merged = pd.concat([outputs[name], cut], ignore_index=True)
                cut = merged[~merged["code"].duplicated()].reset_index(drop=True)
            outputs[name] = cut
        for entry, layer in zip(summary.files, layers, strict=True):
            kept = outputs[f"{layer.level}_{layer.vintage}.parquet"]
            kept = kept[kept["source_file"] == layer.file]
            entry["kept"] = len(kept)
            entry["in_partnership"] = int(kept["in_partnership"].sum())
            entry["neighbours"] = int((~kept["in_partnership"]).sum())
    staging = processed_dir / f".{OUTPUT_DIR}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    columns = ["code", "name", "level", "vintage", "lad_code", "in_partnership", "source_file"]
    for name, frame in outputs.items():
        frame[[*columns, "geometry"]].to_parquet(staging / name, index=False)
        summary.outputs[name] = {
            "features": len(frame),
            "in_partnership": int(frame["in_partnership"].sum()),
        }
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)
    summary.matching = _matching(outputs, partnership)
    for level, m in summary.matching.items():
        if m["codes_without_polygon"] or m["polygons_without_data"]:
            summary.warnings.append(
                f"{LEVEL_NAMES[level]} boundaries ({m['vintage']}): "
                f"{m['codes_without_polygon']} of the partnership's {m['codes_in_data']} codes "
                f"have no polygon; {m['polygons_without_data']} polygons in the partnership "
                "have no data"
            )
    summary.seconds = time.perf_counter() - t0
    log = {
        "version": LOG_VERSION,
        "key": key,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "outline_from": built_from,
        "seconds": round(summary.seconds, 3),
        "files": summary.files,
        "outputs": summary.outputs,
        "matching": summary.matching,
        "warnings": summary.warnings,
    }
    log_path.write_text(json.dumps(log, indent=1), encoding="utf-8")
    _print(console, summary)
    return summary


def _read_log(processed_dir: Path) -> dict:
    try:
        return json.loads((Path(processed_dir) / LOG_NAME).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def boundaries_log(processed_dir) -> dict:
    """The last boundary ingest's log (empty when none)."""
    return _read_log(Path(processed_dir))


def _print(console, summary: BoundarySummary) -> None:
    if console is None:
        return
    state = "unchanged" if summary.skipped else f"{summary.seconds:.1f} s"
    kept = ", ".join(
        f"{name.removesuffix('.parquet')} {o['in_partnership']} in the partnership "
        f"+ {o['features'] - o['in_partnership']} neighbours"
        for name, o in summary.outputs.items()
    )
    console.print(f"Boundaries: {len(summary.files)} layers read ({state}); {kept or 'none kept'}")
    for warning in summary.warnings:
        console.print(f"[yellow]Boundaries: {warning}[/]")
