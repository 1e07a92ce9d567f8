"""Peer benchmarking against the Most Similar Group (MSG).

Rank 1 is the worst in the group (the 2009 MSG table's convention): the highest value
when lower is better, the lowest when higher is better. The peer average is the
group's pooled rate (total events / total population) when counts and populations are
given, otherwise the mean of the members' values.

Members of a group differ by more than chance (counts of thousands are not Poisson),
so "better / similar / worse" is read from a funnel whose limits allow for that
real-world variation (Spiegelhalter 2005; :mod:`sa_toolkit.indicators.overdispersion`):
a member is "similar" when its rate lies within the limits at its own population,
otherwise "better" or "worse" by polarity. When the members vary no more than chance
the limits are the Poisson limits (Byar / exact) of the count expected at the peer
average. Given only values and intervals, the same random-effects allowance is made on
the value scale (DerSimonian-Laird tau^2 about the mean).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import (
    check_confidence,
    check_counts,
    check_denominators,
    check_frame,
    numeric,
    z_value,
)
from sa_toolkit.indicators.overdispersion import (
    AreaOverdispersion,
    area_overdispersion,
    ratio_limits,
)
from sa_toolkit.indicators.rate import poisson_limits, rate


def _check_polarity(polarity: str, fn: str) -> None:
    if polarity not in ("lower_is_better", "higher_is_better"):
        raise ArgumentError(
            f"{fn}: polarity must be lower_is_better or higher_is_better to rank peers, "
            f"not {polarity!r}"
        )


def peer_comparison(
    data: pd.DataFrame,
    area: str,
    polarity: str,
    count: str | None = None,
    denominator: str | None = None,
    per: float = 1000,
    value: str = "value",
    lower: str = "lower",
    upper: str = "upper",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Rank, peer average, above/below and better/similar/worse for each member.

    Give ``count`` and ``denominator`` to compute the rates (with intervals) here, or a
    frame already holding ``value, lower, upper``.

    ``confidence`` is both the members' intervals and the funnel limits that decide
    "similar" (pass ``1 - performance.significance_level``).

    Returns
    -------
    DataFrame
        The data plus ``value, lower, upper, confidence, method, rank, members,
        peer_average, above_below, limit_lower, limit_upper, comparison``;
        ``attrs["overdispersion"]`` is the :class:`AreaOverdispersion` (or, for given
        values, ``attrs["tau2"]`` on the value scale).
    """
    fn = "peer_comparison"
    _check_polarity(polarity, fn)
    confidence = check_confidence(confidence, fn)
    if count is not None or denominator is not None:
        check_frame(data, [area, count, denominator], fn)
        result = rate(data, count, denominator, per=per, confidence=confidence)
        events = check_counts(data, count, fn)
        pop = check_denominators(data, denominator, fn)
        average = events.sum() / pop.sum() * per
        od = area_overdispersion(events, average * pop / per) if average > 0 else None
        tau2 = od.tau2 if od is not None else 0.0
        limits = funnel_limits(pop, average, per, (confidence,), tau2=tau2)
        result["limit_lower"] = limits.iloc[:, 1].to_numpy()
        result["limit_upper"] = limits.iloc[:, 2].to_numpy()
        result.attrs["overdispersion"] = od or AreaOverdispersion(1.0, 0.0, len(result))
    else:
        check_frame(data, [area, value, lower, upper], fn)
        result = data.copy()
        for col in (value, lower, upper):
            result[col] = numeric(data, col, fn)
        result = result.rename(columns={value: "value", lower: "lower", upper: "upper"})
        average = result["value"].mean()
        if "confidence" not in result:
            result["confidence"] = confidence
        if "method" not in result:
            result["method"] = "given"
        se = (result["upper"] - result["lower"]).to_numpy() / (2 * z_value(confidence))
        tau2 = _value_scale_tau2(result["value"].to_numpy(), se)
        half = z_value(confidence) * np.sqrt(se**2 + tau2)
        result["limit_lower"] = average - half
        result["limit_upper"] = average + half
        result.attrs["tau2"] = tau2
    if result[area].duplicated().any():
        raise ArgumentError(f"{fn}: each area must appear once; '{area}' has duplicates")
    worst_first = polarity == "lower_is_better"
    result["rank"] = result["value"].rank(ascending=not worst_first, method="min").astype("int64")
    result["members"] = len(result)
    result["peer_average"] = average
    result["above_below"] = np.select(
        [result["value"] > average, result["value"] < average], ["above", "below"], "equal"
    )
    contains = (result["limit_lower"] <= result["value"]) & (
        result["value"] <= result["limit_upper"]
    )
    higher = result["value"] > average
    better = ~higher if worst_first else higher
    result["comparison"] = np.where(contains, "similar", np.where(better, "better", "worse"))
    return result


def _value_scale_tau2(values: np.ndarray, se: np.ndarray) -> float:
    """DerSimonian-Laird between-member variance of values with standard errors ``se``."""
    ok = np.isfinite(values) & np.isfinite(se) & (se > 0)
    y, w = values[ok], 1 / se[ok] ** 2
    if y.size < 3:
        return 0.0
    mean = (w * y).sum() / w.sum()
    q = (w * (y - mean) ** 2).sum()
    denominator = w.sum() - (w**2).sum() / w.sum()
    return max(0.0, (q - (y.size - 1)) / denominator) if denominator > 0 else 0.0


def funnel_limits(
    populations: pd.Series | np.ndarray,
    average_rate: float,
    per: float = 1000,
    confidences: tuple[float, ...] = (0.95, 0.998),
    tau2: float = 0.0,
) -> pd.DataFrame:
    """Funnel-plot control limits around ``average_rate`` for each population.

    ``tau2`` is the additive random-effects variance of
    :func:`~sa_toolkit.indicators.overdispersion.area_overdispersion` (the
    ``tau2`` of ``peer_comparison(...).attrs["overdispersion"]``): with it the limits
    are Spiegelhalter's overdispersed limits; without (0) the Poisson limits.

    Returns a frame with ``population`` and ``lower_95``/``upper_95`` (and
    ``lower_99_8``/``upper_99_8``), in the rate's unit.
    """
    fn = "funnel_limits"
    pop = np.asarray(populations, dtype="float64")
    if pop.size == 0 or np.isnan(pop).any() or (pop <= 0).any():
        raise ArgumentError(f"{fn}: populations must all be above zero")
    if not np.isfinite(average_rate) or average_rate < 0:
        raise ArgumentError(f"{fn}: the average rate must be zero or above")
    expected = average_rate * pop / per
    out = pd.DataFrame({"population": pop})
    if not np.isfinite(tau2) or tau2 < 0:
        raise ArgumentError(f"{fn}: tau2 must be zero or above")
    for c in confidences:
        check_confidence(c, fn)
        tag = f"{c * 100:g}".replace(".", "_")
        if tau2 > 0:
            lo, hi = ratio_limits(np.maximum(expected, 1e-12), tau2, c)
            out[f"lower_{tag}"] = lo * average_rate
            out[f"upper_{tag}"] = hi * average_rate
        else:
            lo, hi = poisson_limits(expected, c)
            out[f"lower_{tag}"] = lo / pop * per
            out[f"upper_{tag}"] = hi / pop * per
    return out


def compare_to_reference(
    values: pd.Series | np.ndarray,
    lower: pd.Series | np.ndarray,
    upper: pd.Series | np.ndarray,
    reference: float,
    confidence: float = 0.95,
    value_confidence: float = 0.95,
) -> tuple[np.ndarray, float]:
    """Which of many areas (wards, LSOAs) differ from ``reference``, judged together.

    One test per area would flag several of twenty wards by chance and ignore that areas
    really differ; instead the areas' spread beyond their own intervals is estimated
    once (DerSimonian-Laird tau^2 on the value scale, the additive random-effects
    allowance of Spiegelhalter's overdispersed funnel) and an area differs when it lies
    outside reference +/- z sqrt(se^2 + tau^2). Returns ``(-1 below / 0 / +1 above per
    area, tau2)``.
    """
    fn = "compare_to_reference"
    confidence = check_confidence(confidence, fn)
    value_confidence = check_confidence(value_confidence, fn)
    v = np.asarray(values, dtype="float64")
    se = (np.asarray(upper, dtype="float64") - np.asarray(lower, dtype="float64")) / (
        2 * z_value(value_confidence)
    )
    tau2 = _value_scale_tau2(v, se)
    half = z_value(confidence) * np.sqrt(se**2 + tau2)
    side = np.where(v > reference + half, 1, np.where(v < reference - half, -1, 0))
    return side, tau2
