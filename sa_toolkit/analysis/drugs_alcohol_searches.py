"""Priority 4, drugs and alcohol: stop and search for controlled drugs and its outcomes.

Searches are placed in the partnership by their coordinates (nearest LSOA centroid of the
street-level crimes); without coordinates the figures are force-wide. Part of the
calculations behind ``04_drugs_and_alcohol`` (re-exported by
:mod:`sa_toolkit.analysis.drugs_alcohol`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit.analysis.priority_common import year_of_month

DRUG_SEARCH = "Controlled drugs"
NO_FURTHER_ACTION = "A no further action disposal"


def lsoa_centroids(street: pd.DataFrame) -> pd.DataFrame:
    """Mean coordinates of the street-level crimes of each LSOA (a stand-in for centroids)."""
    if street is None:
        return pd.DataFrame(columns=["lsoa_code", "longitude", "latitude"])
    located = street.dropna(subset=["longitude", "latitude", "lsoa_code"])
    return (
        located.groupby(located["lsoa_code"].astype(str))[["longitude", "latitude"]]
        .mean()
        .rename_axis("lsoa_code")
        .reset_index()
    )


def place_points(
    lon, lat, centroids: pd.DataFrame, max_km: float = 1.5, chunk: int = 4096
) -> pd.Series:
    """The LSOA of the nearest centroid of each point (None beyond ``max_km`` or no coordinates)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(len(lon), None, dtype=object)
    if centroids.empty or not len(lon):
        return pd.Series(out)
    c_lon = centroids["longitude"].to_numpy(dtype=float)
    c_lat = centroids["latitude"].to_numpy(dtype=float)
    codes = centroids["lsoa_code"].astype(str).to_numpy()
    kx = 111.32 * np.cos(np.deg2rad(np.nanmean(c_lat)))
    ok = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    for start in range(0, len(ok), chunk):
        idx = ok[start : start + chunk]
        dx = (lon[idx, None] - c_lon[None, :]) * kx
        dy = (lat[idx, None] - c_lat[None, :]) * 110.57
        d2 = dx**2 + dy**2
        nearest = d2.argmin(axis=1)
        close = d2[np.arange(len(idx)), nearest] <= max_km**2
        out[idx[close]] = codes[nearest[close]]
    return pd.Series(out)


def drug_searches(searches: pd.DataFrame, street: pd.DataFrame, lsoas, year) -> dict:
    """Stop and search for controlled drugs in the partnership, with its outcomes.

    Searches are placed in the partnership by their coordinates (nearest LSOA centroid
    of the street-level crimes, within 1.5 km); without coordinates, or when none can be
    placed, the figures are force-wide and ``scope`` says so. None without the table.
    """
    from sa_toolkit.indicators import proportion

    if searches is None:
        return None
    drugs = searches[searches["object_of_search"].astype(str) == DRUG_SEARCH]
    placed = place_points(drugs["longitude"], drugs["latitude"], lsoa_centroids(street))
    placed.index = drugs.index
    n_placed = int(placed.notna().sum())
    if n_placed:
        local = drugs[placed.isin(list(lsoas)).to_numpy()]
        scope = "partnership"
    else:
        local = drugs
        scope = "force"
    no_coords = int((drugs["longitude"].isna() | drugs["latitude"].isna()).sum())
    fy = year_of_month(local["month"]) if len(local) else np.array([], dtype=int)
    this = local[fy == year.start_year]
    last = local[fy == year.start_year - 1]
    outcome = this["outcome"].astype(str).replace("nan", "Not recorded")
    outcomes = outcome.value_counts().rename_axis("outcome").reset_index(name="searches")
    linked = this["outcome_linked_to_object_of_search"].astype(str).str.lower() == "true"
    found = (outcome != NO_FURTHER_ACTION) & (outcome != "Not recorded")
    rates = pd.DataFrame(
        {
            "measure": [
                "Action taken (any outcome other than no further action)",
                "Outcome linked to the object of the search (drugs found)",
            ],
            "numerator": [int(found.sum()), int(linked.sum())],
            "searches": [len(this), len(this)],
        }
    )
    if len(this):
        rates = proportion(rates, "numerator", "searches", multiplier=100)
    else:
        rates = rates.assign(value=np.nan, lower=np.nan, upper=np.nan)
    from sa_toolkit.coverage import Coverage, compare_years

    # last year like for like: the months the force's stop and search data hold in both
    # years (sa_toolkit.coverage); None when last year has none or too few of them
    cmp = compare_years(
        Coverage.of("police_stop_search", pd.PeriodIndex(searches["month"], freq="M").unique()),
        year,
    )
    compared = cmp.compared and cmp.has_previous
    return {
        "scope": scope,
        "this_year": len(this),
        # None: the stop and search data hold nothing (or too little) for last year
        "last_year": len(cmp.rows(last, "month", "last")) if compared else None,
        "this_year_compared": len(cmp.rows(this, "month", "this")) if compared else None,
        "months_note": cmp.note() if cmp.has_previous or len(cmp.this_months) else "",
        "no_coordinates": no_coords,
        "outcomes": outcomes,
        "rates": rates,
    }
