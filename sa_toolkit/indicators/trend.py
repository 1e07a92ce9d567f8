"""Recent trend, Fingertips style: weighted regression over the last five points.

Each point is weighted by the inverse of its variance, taken from its confidence
interval (variance = ((upper - lower) / (2 z))^2). The slope of the weighted least
squares line has standard error sqrt(1 / sum(w (x - xbar_w)^2)); the trend is
significant when |slope / se| exceeds the two-sided normal quantile of the confidence
level (99.8% by default, as Fingertips uses for recent trends).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import (
    check_confidence,
    check_frame,
    group_key,
    group_values,
    numeric,
    with_outputs,
    z_value,
)

POLARITIES = {"lower_is_better", "higher_is_better", "none", None}
WLS = "weighted least squares on the last {n} points (inverse-variance weights)"


def trend_label(slope: float, significant: bool, polarity: str | None) -> str:
    """Fingertips-style wording, e.g. ``increasing and getting worse``."""
    if not significant:
        return "no significant change"
    direction = "increasing" if slope > 0 else "decreasing"
    if polarity in (None, "none"):
        return direction
    better = (slope < 0) == (polarity == "lower_is_better")
    return f"{direction} and getting {'better' if better else 'worse'}"


def trend(
    data: pd.DataFrame,
    period: str,
    value: str = "value",
    lower: str = "lower",
    upper: str = "upper",
    group_cols: str | list[str] | None = None,
    polarity: str | None = None,
    points: int = 5,
    confidence: float = 0.998,
    value_confidence: float = 0.95,
) -> pd.DataFrame:
    """Trend over the last ``points`` periods of each group.

    Parameters
    ----------
    data : DataFrame
        One row per period (per group) with a value and its confidence limits at
        ``value_confidence`` (e.g. the output of :func:`rate`).
    period : str
        Sortable period column (financial-year labels sort correctly).
    polarity : str
        ``lower_is_better``, ``higher_is_better`` or ``none``.

    Returns
    -------
    DataFrame
        One row per group: ``points_used, slope, se, z, p_value, trend`` and ``value``
        (the slope per period) with its ``lower``/``upper`` at ``confidence``. Groups
        with fewer than ``points`` periods get ``trend`` "cannot be calculated".
    """
    fn = "trend"
    groups = [group_cols] if isinstance(group_cols, str) else list(group_cols or [])
    check_frame(data, [period, value, lower, upper, *groups], fn)
    confidence = check_confidence(confidence, fn)
    value_confidence = check_confidence(value_confidence, fn)
    if polarity not in POLARITIES:
        raise ArgumentError(
            f"{fn}: polarity must be lower_is_better, higher_is_better or none, not {polarity!r}"
        )
    if points < 3:
        raise ArgumentError(f"{fn}: a trend needs at least 3 points, not {points}")
    frame = data[groups + [period]].copy()
    frame["_v"] = numeric(data, value, fn)
    frame["_se"] = (numeric(data, upper, fn) - numeric(data, lower, fn)) / (
        2 * z_value(value_confidence)
    )
    if (frame["_se"] <= 0).any():
        raise ArgumentError(
            f"{fn}: every point needs an interval wider than zero (upper above lower) to weight it"
        )
    z_crit = z_value(confidence)
    rows = []
    key = group_key(groups)
    for name, g in frame.groupby(key, dropna=False, observed=True, sort=True):
        g = g.dropna(subset=["_v", "_se"]).sort_values(period).tail(points)
        row = group_values(groups, name)
        row["points_used"] = len(g)
        if len(g) < points:
            row.update(slope=np.nan, se=np.nan, z=np.nan, p_value=np.nan)
            row["trend"] = "cannot be calculated"
        else:
            x = np.arange(len(g), dtype="float64")
            w = 1 / g["_se"].to_numpy() ** 2
            y = g["_v"].to_numpy()
            xbar = (w * x).sum() / w.sum()
            ybar = (w * y).sum() / w.sum()
            sxx = (w * (x - xbar) ** 2).sum()
            slope = (w * (x - xbar) * (y - ybar)).sum() / sxx
            se = np.sqrt(1 / sxx)
            z = slope / se
            row.update(slope=slope, se=se, z=z, p_value=2 * stats.norm.sf(abs(z)))
            row["trend"] = trend_label(slope, abs(z) > z_crit, polarity)
        rows.append(row)
    out = pd.DataFrame(rows)
    return with_outputs(
        out,
        out["slope"],
        out["slope"] - z_crit * out["se"],
        out["slope"] + z_crit * out["se"],
        confidence,
        WLS.format(n=points),
    )
