"""Proven re-offending (Ministry of Justice definitions): rate and frequency."""

from __future__ import annotations

import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import check_counts, check_frame
from sa_toolkit.indicators.proportion import proportion
from sa_toolkit.indicators.rate import rate


def reoffending_rate(
    data: pd.DataFrame, offenders: str, reoffenders: str, confidence: float = 0.95
) -> pd.DataFrame:
    """Proven re-offending rate: % of the cohort who re-offend (Wilson interval)."""
    result = proportion(data, reoffenders, offenders, confidence=confidence, multiplier=100)
    result["method"] = "proven re-offending rate (% of cohort), Wilson score"
    return result


def reoffending_frequency(
    data: pd.DataFrame,
    reoffenders: str,
    reoffences: str,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Average number of re-offences per re-offender, with a Poisson interval on re-offences.

    A cohort with no re-offenders has no frequency: that is an error here, because the
    MoJ measure is defined per re-offender.
    """
    fn = "reoffending_frequency"
    check_frame(data, [reoffenders, reoffences], fn)
    r = check_counts(data, reoffenders, fn)
    n = check_counts(data, reoffences, fn)
    if (n < r).any():
        row = (n < r)[n < r].index[0]
        raise ArgumentError(
            f"{fn}: row {row} has fewer re-offences ({n[row]:g}) than re-offenders ({r[row]:g})"
        )
    result = rate(data, reoffences, reoffenders, per=1, confidence=confidence)
    result["method"] = "re-offences per re-offender; " + result["method"].astype(str)
    return result
