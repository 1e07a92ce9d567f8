"""How concentrated offences are among small areas: top-share, Lorenz curve, Gini.

Areas with no offences must be included (pass ``all_areas``): leaving them out
understates concentration, because the Lorenz curve starts at the first area with an
offence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import check_counts, check_frame, with_outputs


def _area_counts(
    data: pd.DataFrame, area: str, count: str | None, all_areas: Iterable[str] | None, fn: str
) -> pd.Series:
    check_frame(data, [area, count], fn)
    if count is None:
        counts = data.groupby(area, observed=True, dropna=True).size().astype("float64")
    else:
        values = check_counts(data, count, fn)
        counts = values.groupby(data[area], observed=True, dropna=True).sum()
    counts.index = counts.index.astype(str)
    if all_areas is not None:
        areas = pd.Index([str(a) for a in all_areas]).unique()
        outside = counts.index.difference(areas)
        if len(outside):
            raise ArgumentError(
                f"{fn}: {len(outside)} area(s) in the data are not in all_areas, e.g. {outside[0]}"
            )
        counts = counts.reindex(areas, fill_value=0.0)
    if len(counts) == 0 or counts.sum() <= 0:
        raise ArgumentError(f"{fn}: there are no offences to measure concentration of")
    return counts


def lorenz_curve(
    data: pd.DataFrame,
    area: str,
    count: str | None = None,
    all_areas: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Cumulative share of areas (least to most offences) against share of offences.

    ``count`` is a column of counts per row; without it each row is one offence.
    Starts at (0, 0) and ends at (1, 1).
    """
    counts = _area_counts(data, area, count, all_areas, "lorenz_curve")
    ordered = np.sort(counts.to_numpy())
    n = len(ordered)
    return pd.DataFrame(
        {
            "share_of_areas": np.concatenate([[0.0], np.arange(1, n + 1) / n]),
            "share_of_offences": np.concatenate([[0.0], np.cumsum(ordered) / ordered.sum()]),
        }
    )


def gini(
    data: pd.DataFrame, area: str, count: str | None = None, all_areas: Iterable[str] | None = None
) -> float:
    """Gini coefficient: 1 - sum over areas of (X_k - X_k-1)(Y_k + Y_k-1) on the Lorenz curve.

    0 when every area has the same count; (n-1)/n when one area has them all.
    """
    curve = lorenz_curve(data, area, count, all_areas)
    x = curve["share_of_areas"].to_numpy()
    y = curve["share_of_offences"].to_numpy()
    return float(1 - np.sum(np.diff(x) * (y[1:] + y[:-1])))


def concentration(
    data: pd.DataFrame,
    area: str,
    count: str | None = None,
    all_areas: Iterable[str] | None = None,
    top_shares: tuple[float, ...] = (0.01, 0.05, 0.10),
) -> pd.DataFrame:
    """Share of offences in the top 1%, 5% and 10% of areas, and the Gini coefficient.

    The top p% is the ceil(p x number of areas) areas with most offences (at least one),
    so the share is never understated for small partnerships.

    Returns
    -------
    DataFrame
        One row per measure: ``measure, areas, areas_in_top, offences`` and the standard
        output columns (descriptive statistics: ``lower``/``upper`` are empty).
    """
    fn = "concentration"
    counts = _area_counts(data, area, count, all_areas, fn)
    for p in top_shares:
        if not 0 < p < 1:
            raise ArgumentError(f"{fn}: top shares must be between 0 and 1, found {p}")
    ordered = np.sort(counts.to_numpy())[::-1]
    total = ordered.sum()
    rows = []
    for p in top_shares:
        k = max(1, math.ceil(round(p * len(ordered), 9)))
        rows.append(
            {
                "measure": f"share in top {p * 100:g}% of areas",
                "areas": len(ordered),
                "areas_in_top": k,
                "offences": total,
                "_v": ordered[:k].sum() / total,
            }
        )
    rows.append(
        {
            "measure": "Gini coefficient",
            "areas": len(ordered),
            "areas_in_top": np.nan,
            "offences": total,
            "_v": gini(pd.DataFrame({"a": counts.index, "n": counts.to_numpy()}), "a", "n"),
        }
    )
    out = pd.DataFrame(rows)
    methods = [m if m == "Gini coefficient" else "share of offences" for m in out["measure"]]
    return with_outputs(out.drop(columns="_v"), out["_v"], np.nan, np.nan, np.nan, methods)
