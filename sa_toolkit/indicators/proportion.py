"""Proportions with Wilson score confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PHStatsMethods.confidence_intervals import wilson_lower, wilson_upper

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import (
    check_confidence,
    check_counts,
    check_denominators,
    check_frame,
    check_positive_number,
    with_outputs,
)

WILSON = "Wilson score"


def wilson_limits(
    numerators: np.ndarray, denominators: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits (as fractions), from PHStatsMethods."""
    lower = np.array(
        [wilson_lower(x, n, confidence) for x, n in zip(numerators, denominators, strict=True)]
    )
    upper = np.array(
        [wilson_upper(x, n, confidence) for x, n in zip(numerators, denominators, strict=True)]
    )
    return lower, upper


def proportion(
    data: pd.DataFrame,
    numerator: str,
    denominator: str,
    confidence: float = 0.95,
    multiplier: float = 1,
) -> pd.DataFrame:
    """Proportion ``numerator / denominator`` with a Wilson score interval.

    Parameters
    ----------
    data : DataFrame
    numerator, denominator : str
        Column names; the numerator may not exceed the denominator.
    confidence : float
    multiplier : number
        1 for a fraction, 100 for a percentage.

    Returns
    -------
    DataFrame
        The data plus ``value, lower, upper, confidence, method``.
    """
    fn = "proportion"
    check_frame(data, [numerator, denominator], fn)
    confidence = check_confidence(confidence, fn)
    multiplier = check_positive_number(multiplier, "multiplier", fn)
    x = check_counts(data, numerator, fn).to_numpy()
    n = check_denominators(data, denominator, fn).to_numpy()
    if (x > n).any():
        row = data.index[np.argmax(x > n)]
        raise ArgumentError(
            f"{fn}: numerator '{numerator}' exceeds denominator '{denominator}' in row {row} "
            f"({x[np.argmax(x > n)]:g} > {n[np.argmax(x > n)]:g}); a proportion cannot exceed 1"
        )
    lower, upper = wilson_limits(x, n, confidence)
    return with_outputs(
        data, x / n * multiplier, lower * multiplier, upper * multiplier, confidence, WILSON
    )
