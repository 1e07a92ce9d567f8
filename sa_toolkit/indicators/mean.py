"""Means with Student's t confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import check_confidence, check_frame, numeric, with_outputs

STUDENT_T = "Student's t"


def mean(
    data: pd.DataFrame,
    value: str,
    group_cols: str | list[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Mean of ``value`` (per group) with a t interval: mean +/- t(n-1) * sd / sqrt(n).

    Returns one row per group with ``count, sd`` and the standard output columns.
    Missing values are left out and counted in ``missing``; a group needs at least two
    values for an interval.
    """
    fn = "mean"
    groups = [group_cols] if isinstance(group_cols, str) else list(group_cols or [])
    check_frame(data, [value, *groups], fn)
    confidence = check_confidence(confidence, fn)
    values = numeric(data, value, fn)
    frame = data[groups].copy() if groups else pd.DataFrame(index=data.index)
    frame["_v"] = values
    if groups:
        grouped = frame.groupby(groups, dropna=False, observed=True)["_v"]
        summary = grouped.agg(["count", "mean", "std", "size"]).reset_index()
    else:
        v = frame["_v"]
        summary = pd.DataFrame(
            {"count": [v.count()], "mean": [v.mean()], "std": [v.std()], "size": [len(v)]}
        )
    if (summary["count"] < 2).any():
        raise ArgumentError(
            f"{fn}: every group needs at least two values of '{value}' for a t interval"
        )
    n = summary["count"].to_numpy(dtype="float64")
    sd = summary["std"].to_numpy(dtype="float64")
    half = stats.t.ppf(1 - (1 - confidence) / 2, n - 1) * sd / np.sqrt(n)
    m = summary["mean"].to_numpy(dtype="float64")
    out = summary[groups].copy() if groups else pd.DataFrame(index=summary.index)
    out["count"] = summary["count"].astype("int64")
    out["missing"] = (summary["size"] - summary["count"]).astype("int64")
    out["sd"] = sd
    return with_outputs(out, m, m - half, m + half, confidence, STUDENT_T)
