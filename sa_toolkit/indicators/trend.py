"""Recent trend, Fingertips style: weighted regression over the last five points.

Each point is weighted by the inverse of its variance, taken from its confidence
interval (variance = ((upper - lower) / (2 z))^2). The slope of the weighted least
squares line has standard error sqrt(1 / sum(w (x - xbar_w)^2)); the trend is
significant when |slope / se| exceeds the two-sided normal quantile of the confidence
level (99.8% by default, as Fingertips uses for recent trends).

Real series vary about their trend by more than their intervals allow (a count of
thousands has a narrow Poisson interval, but the year-to-year variation of recorded
crime is several per cent). So the points' scatter about the line is checked first:
when it exceeds what their intervals explain (Cochran's Q above its degrees of freedom),
an additive between-period variance tau^2 is estimated (DerSimonian-Laird moment
estimator for a meta-regression), the weights become 1 / (variance + tau^2), and the
slope is tested with the Knapp-Hartung adjustment against Student's t on points - 2
degrees of freedom, so that a handful of points does not overstate certainty. When the
scatter is within chance the Fingertips test above is used unchanged.
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
WLS_RANDOM = (
    "weighted least squares on the last {n} points with extra between-period variation "
    "(DerSimonian-Laird, Knapp-Hartung t test)"
)


def _wls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float, float, np.ndarray]:
    """Slope, its variance sqrt-less (1 / Sxx), intercept at xbar, fitted values."""
    xbar = (w * x).sum() / w.sum()
    ybar = (w * y).sum() / w.sum()
    sxx = (w * (x - xbar) ** 2).sum()
    slope = (w * (x - xbar) * (y - ybar)).sum() / sxx
    return slope, 1 / sxx, ybar, ybar + slope * (x - xbar)


def _slope_test(
    x: np.ndarray, y: np.ndarray, variance: np.ndarray
) -> tuple[float, float, float, float]:
    """Slope, standard error, degrees of freedom (inf = normal) and tau^2."""
    w = 1 / variance
    slope, var_slope, _, fitted = _wls(x, y, w)
    df = x.size - 2
    q = (w * (y - fitted) ** 2).sum()
    if q <= df:
        return slope, float(np.sqrt(var_slope)), np.inf, 0.0
    design = np.column_stack([np.ones_like(x), x])
    weighted = design * w[:, None]
    hat = weighted @ np.linalg.solve(design.T @ weighted, weighted.T)
    trace = w.sum() - np.trace(hat)
    tau2 = (q - df) / trace
    w_star = 1 / (variance + tau2)
    slope, var_slope, _, fitted = _wls(x, y, w_star)
    q_star = (w_star * (y - fitted) ** 2).sum() / df
    return slope, float(np.sqrt(var_slope * max(q_star, 1.0))), float(df), float(tau2)


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
    log_scale: bool = False,
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
    log_scale : bool
        Fit the line to log(value), with each point's variance from its log interval:
        for rates and counts, whose changes are proportional (a rate doubling every year
        is a straight line on this scale). ``slope`` is then the change in log(value) per
        period. Every value and lower limit must be above zero.

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
    values, lowers, uppers = (numeric(data, c, fn) for c in (value, lower, upper))
    if log_scale:
        if ((values <= 0) | (lowers <= 0)).any():
            raise ArgumentError(f"{fn}: a log-scale trend needs values and lower limits above zero")
        values, lowers, uppers = np.log(values), np.log(lowers), np.log(uppers)
    frame["_v"] = values
    frame["_se"] = (uppers - lowers) / (2 * z_value(value_confidence))
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
            row.update(slope=np.nan, se=np.nan, z=np.nan, p_value=np.nan, tau2=np.nan)
            row["half_width"] = np.nan
            row["method"] = WLS.format(n=points)
            row["trend"] = "cannot be calculated"
        else:
            x = np.arange(len(g), dtype="float64")
            y = g["_v"].to_numpy()
            slope, se, df, tau2 = _slope_test(x, y, g["_se"].to_numpy() ** 2)
            z = slope / se
            p_value = 2 * (stats.norm.sf(abs(z)) if np.isinf(df) else stats.t.sf(abs(z), df))
            crit = z_crit if np.isinf(df) else stats.t.ppf(0.5 + confidence / 2, df)
            row.update(slope=slope, se=se, z=z, p_value=p_value, tau2=tau2)
            row["half_width"] = crit * se
            row["method"] = (WLS if tau2 == 0 else WLS_RANDOM).format(n=points)
            row["trend"] = trend_label(slope, p_value < 1 - confidence, polarity)
        rows.append(row)
    out = pd.DataFrame(rows)
    methods = out.pop("method")
    half = out.pop("half_width")
    result = with_outputs(
        out, out["slope"], out["slope"] - half, out["slope"] + half, confidence, ""
    )
    result["method"] = methods.to_numpy()
    return result
