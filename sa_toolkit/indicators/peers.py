"""Peer benchmarking against the Most Similar Group (MSG).

Rank 1 is the worst in the group (the 2009 MSG table's convention): the highest value
when lower is better, the lowest when higher is better. The peer average is the
group's pooled rate (total events / total population) when counts and populations are
given, otherwise the mean of the members' values. An area is "similar" when its
confidence interval contains the peer average, otherwise "better" or "worse" by
polarity. Funnel-plot limits are the Poisson limits (Byar / exact) of the count
expected at the peer average for each member's population.
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

    Returns
    -------
    DataFrame
        The data plus ``value, lower, upper, confidence, method, rank, members,
        peer_average, above_below, comparison``.
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
    if result[area].duplicated().any():
        raise ArgumentError(f"{fn}: each area must appear once; '{area}' has duplicates")
    worst_first = polarity == "lower_is_better"
    result["rank"] = result["value"].rank(ascending=not worst_first, method="min").astype("int64")
    result["members"] = len(result)
    result["peer_average"] = average
    result["above_below"] = np.select(
        [result["value"] > average, result["value"] < average], ["above", "below"], "equal"
    )
    contains = (result["lower"] <= average) & (average <= result["upper"])
    higher = result["value"] > average
    better = ~higher if worst_first else higher
    result["comparison"] = np.where(contains, "similar", np.where(better, "better", "worse"))
    return result


def funnel_limits(
    populations: pd.Series | np.ndarray,
    average_rate: float,
    per: float = 1000,
    confidences: tuple[float, ...] = (0.95, 0.998),
) -> pd.DataFrame:
    """Funnel-plot control limits around ``average_rate`` for each population.

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
    for c in confidences:
        check_confidence(c, fn)
        lo, hi = poisson_limits(expected, c)
        tag = f"{c * 100:g}".replace(".", "_")
        out[f"lower_{tag}"] = lo / pop * per
        out[f"upper_{tag}"] = hi / pop * per
    return out
