"""The partnership's boundary layers for maps, read from ``data/processed/boundaries/``.

:func:`load_layers` picks, per level, the vintage that matches most of the data's codes
(the lookup's LSOAs and wards); where no ward code matches (a lookup without wards, or
wards of another year), the ward vintage nearest the assessed year is used and each LSOA is
placed in the ward holding its representative point (a point inside the LSOA, the centroid
when that lies inside).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sa_toolkit.paths import PROCESSED_BOUNDARY_DIR

#: the line every map and the text under it carry (OS and ONS boundary licence terms)
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right; Contains public sector "
    "information licensed under the Open Government Licence v3.0"
)
#: what a run without boundary files tells the reader
MISSING_BOUNDARIES = (
    "Maps on the partnership's own boundaries are not drawn: the raw data hold no boundary "
    "files. Adding the Office for National Statistics LSOA and ward boundary files (GeoJSON, "
    "GeoPackage or zipped Shapefile from the Open Geography Portal) to the geography "
    "boundaries folder of the raw data adds choropleth and hotspot maps."
)


@dataclass
class MapLayers:
    """Boundary layers of the partnership and its neighbours, in British National Grid.

    ``lsoas``: ``code, name, ward_code, ward_name, in_partnership, geometry``;
    ``wards``: ``code, name, in_partnership, geometry``; ``outline``: the partnership (a
    shapely geometry); ``ward_rule``: how LSOAs were placed in wards.
    """

    lsoas: object
    wards: object | None
    outline: object
    lsoa_vintage: str
    ward_vintage: str = ""
    ward_rule: str = ""
    notes: list[str] = field(default_factory=list)
    #: the partnership's LSOA codes in the data (the lookup); empty when unknown
    data_codes: frozenset = frozenset()

    @property
    def partnership_lsoas(self):
        return self.lsoas[self.lsoas["in_partnership"]]

    @property
    def partnership_wards(self):
        return self.wards[self.wards["in_partnership"]] if self.wards is not None else None


def boundary_layers_available(processed_dir) -> dict[str, list[Path]]:
    """The processed boundary files by level (``{"lsoa": [...], "ward": [...]}``)."""
    # the folder's name is kept in sa_toolkit.paths: importing the ingest package would
    # bring polars into every report kernel that draws a map
    folder = Path(processed_dir) / PROCESSED_BOUNDARY_DIR
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        level = path.stem.split("_")[0]
        found.setdefault(level, []).append(path)
    return found


def _best(paths: list[Path], codes: set[str], year: int | None):
    """The layer matching most ``codes``; else the vintage nearest ``year``."""
    import geopandas as gpd

    frames = [gpd.read_parquet(p) for p in paths]
    scored = [(int(f["code"].isin(codes).sum()), f) for f in frames]
    top = max(s for s, _ in scored)
    if top > 0:
        candidates = [f for s, f in scored if s == top]
    else:
        candidates = [f for _, f in scored]
    if year is not None:
        candidates.sort(
            key=lambda f: (abs(int(f["vintage"].iloc[0]) - year), -int(f["vintage"].iloc[0]))
        )
    else:
        candidates.sort(key=lambda f: -int(f["vintage"].iloc[0]))
    return candidates[0], top


def load_layers(processed_dir, lookup: pd.DataFrame | None = None, year: int | None = None):
    """The partnership's LSOA and ward layers, or None without LSOA boundaries.

    Parameters
    ----------
    processed_dir : path-like
    lookup : DataFrame, optional
        The partnership's rows of the lookup (``lsoa_code`` and, when known, ``ward_code``,
        ``ward_name``).
    year : int, optional
        The assessed year's start: the ward vintage used when no ward code matches.
    """
    import geopandas as gpd
    import shapely

    available = boundary_layers_available(processed_dir)
    if not available.get("lsoa"):
        return None
    lookup = lookup if lookup is not None else pd.DataFrame(columns=["lsoa_code"])
    lookup = lookup.astype({c: "string" for c in lookup.columns if c != "source_line"})
    lsoa_codes = set(lookup["lsoa_code"].dropna())
    lsoas, matched = _best(available["lsoa"], lsoa_codes, year)
    if lsoa_codes and matched == 0:
        return None
    lsoas = lsoas.copy()
    if lsoa_codes:
        # the lookup says which LSOAs are the partnership's
        lsoas["in_partnership"] = lsoas["code"].isin(lsoa_codes)
    outline = shapely.union_all(
        shapely.buffer(lsoas.loc[lsoas["in_partnership"]].geometry.values, 0.5)
    )
    layers = MapLayers(
        lsoas=lsoas, wards=None, outline=outline, lsoa_vintage=str(lsoas["vintage"].iloc[0])
    )
    layers.data_codes = frozenset(lsoa_codes)
    lsoas["ward_code"] = pd.Series(pd.NA, index=lsoas.index, dtype="string")
    lsoas["ward_name"] = pd.Series(pd.NA, index=lsoas.index, dtype="string")
    if not available.get("ward"):
        layers.notes.append("No ward boundary file: maps show LSOAs only.")
        return layers
    ward_codes = set(lookup["ward_code"].dropna()) if "ward_code" in lookup else set()
    wards, ward_matched = _best(available["ward"], ward_codes, year)
    wards = wards.copy()
    layers.ward_vintage = str(wards["vintage"].iloc[0])
    if ward_codes and ward_matched:
        wards["in_partnership"] = wards["code"].isin(ward_codes) | wards["in_partnership"]
        by_lsoa = lookup.drop_duplicates("lsoa_code").set_index("lsoa_code")["ward_code"]
        lsoas["ward_code"] = lsoas["code"].map(by_lsoa).astype("string")
        layers.ward_rule = "the lookup"
    else:
        points = gpd.GeoDataFrame(
            {"lsoa": lsoas["code"]}, geometry=lsoas.geometry.representative_point(), crs=lsoas.crs
        )
        joined = points.sjoin(wards[["code", "geometry"]], predicate="within", how="left")
        joined = joined[~joined.index.duplicated()]
        lsoas["ward_code"] = joined["code"].astype("string")
        layers.ward_rule = (
            f"a point inside each LSOA within the {layers.ward_vintage} ward boundaries "
            "(the lookup gives no wards matching them)"
        )
    names = wards.set_index("code")["name"]
    lsoas["ward_name"] = lsoas["ward_code"].map(names).astype("string")
    layers.wards = wards
    layers.lsoas = lsoas
    return layers
