"""Over-representation: a group's share of victims (or suspects) over its population share."""

from __future__ import annotations

import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import (
    check_confidence,
    check_counts,
    check_frame,
    with_outputs,
)
from sa_toolkit.indicators.proportion import wilson_limits

METHOD = "ratio of shares; Wilson interval on the group's share, population share fixed"


def over_representation(
    data: pd.DataFrame, group: str, count: str, population: str, confidence: float = 0.95
) -> pd.DataFrame:
    """Ratio of each group's share of the count to its share of the population.

    1 means proportionate; 2 means twice the group's population share. The interval
    treats the population share as known (census-based) and uses the Wilson interval of
    the count share.

    Returns the data plus ``count_share, population_share`` and the output columns.
    """
    fn = "over_representation"
    check_frame(data, [group, count, population], fn)
    confidence = check_confidence(confidence, fn)
    x = check_counts(data, count, fn)
    pop = check_counts(data, population, fn)
    if x.sum() <= 0:
        raise ArgumentError(f"{fn}: column '{count}' sums to zero; there is nothing to compare")
    if (pop <= 0).any():
        row = pop[pop <= 0].index[0]
        raise ArgumentError(
            f"{fn}: population column '{population}' must be above zero; row {row} holds {pop[row]:g}"
        )
    total = x.sum()
    count_share = x / total
    pop_share = pop / pop.sum()
    lo, hi = wilson_limits(x.to_numpy(), [total] * len(x), confidence)
    out = data.copy()
    out["count_share"] = count_share
    out["population_share"] = pop_share
    return with_outputs(
        out, count_share / pop_share, lo / pop_share, hi / pop_share, confidence, METHOD
    )
