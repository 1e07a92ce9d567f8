"""Crude rates with confidence intervals: Byar's method, exact Poisson below 10 events."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PHStatsMethods.confidence_intervals import byars_lower, byars_upper, exact_upper

from sa_toolkit.indicators._common import (
    check_confidence,
    check_counts,
    check_denominators,
    check_frame,
    check_positive_number,
    with_outputs,
)

BYAR = "Byar's method"
EXACT = "exact Poisson (fewer than 10 events)"


def poisson_limits(counts: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Confidence limits for Poisson counts, in events.

    Byar's approximation from 10 events, exact (chi-squared) limits below, as in
    PHEindicatormethods; the limits come from PHStatsMethods. A count of zero has a lower
    limit of zero and the exact upper limit (3.69 events at 95%).
    """
    counts = np.asarray(counts, dtype="float64")
    # Each library call costs a normal quantile; counts repeat (funnel limits, areas with
    # the same count), so each distinct count is computed once.
    distinct, position = np.unique(counts, return_inverse=True)
    lower = np.array([byars_lower(c, confidence) if c > 0 else 0.0 for c in distinct])
    upper = np.array(
        [byars_upper(c, confidence) if c > 0 else exact_upper(0, confidence) for c in distinct]
    )
    return lower[position].reshape(counts.shape), upper[position].reshape(counts.shape)


def rate(
    data: pd.DataFrame,
    count: str,
    denominator: str,
    per: float = 100000,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Rate per ``per`` of the denominator, with Byar's / exact Poisson limits.

    Parameters
    ----------
    data : DataFrame
        One row per area or period.
    count : str
        Column of event counts (0 allowed, never negative or missing).
    denominator : str
        Column of populations (above zero).
    per : number
        Multiplier: 1000 for a rate per 1,000 population.
    confidence : float
        Confidence level, 0.9 to below 1.

    Returns
    -------
    DataFrame
        The data plus ``value, lower, upper, confidence, method``.

    Examples
    --------
    >>> rate(pd.DataFrame({"n": [65], "pop": [100]}), "n", "pop", per=100).value[0]
    65.0
    """
    fn = "rate"
    check_frame(data, [count, denominator], fn)
    confidence = check_confidence(confidence, fn)
    per = check_positive_number(per, "per", fn)
    events = check_counts(data, count, fn).to_numpy()
    pop = check_denominators(data, denominator, fn).to_numpy()
    lower, upper = poisson_limits(events, confidence)
    method = np.where(events < 10, EXACT, BYAR)
    return with_outputs(
        data, events / pop * per, lower / pop * per, upper / pop * per, confidence, method
    )
