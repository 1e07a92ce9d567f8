"""Argument checks and output columns shared by every statistic.

Every statistic validates its arguments before computing and raises
:class:`sa_toolkit.errors.ArgumentError` with a plain message naming the column and
the first offending row, as PHEindicatormethods does.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

from sa_toolkit.errors import ArgumentError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
OUTPUT_COLUMNS = ["value", "lower", "upper", "confidence", "method"]


def check_frame(data: object, columns: Iterable[str | None], function: str) -> pd.DataFrame:
    """The data must be a DataFrame holding every named column."""
    if not isinstance(data, pd.DataFrame):
        raise ArgumentError(
            f"{function}: data must be a pandas DataFrame, not {type(data).__name__}"
        )
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        raise ArgumentError(
            f"{function}: column(s) {', '.join(repr(c) for c in missing)} not in the data; "
            f"the data has {', '.join(map(str, data.columns))}"
        )
    return data


def check_confidence(confidence: float, function: str) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise ArgumentError(f"{function}: confidence must be a number such as 0.95")
    if not 0.9 <= float(confidence) < 1:
        raise ArgumentError(
            f"{function}: confidence must be from 0.9 to below 1 (e.g. 0.95 or 0.998), "
            f"found {confidence}"
        )
    return float(confidence)


def _first_bad(mask: pd.Series) -> object:
    return mask[mask].index[0]


def numeric(data: pd.DataFrame, column: str, function: str) -> pd.Series:
    """The column as floats; text that is not a number is an error naming the row."""
    values = pd.to_numeric(data[column], errors="coerce").astype("float64")
    bad = values.isna() & data[column].notna()
    if bad.any():
        row = _first_bad(bad)
        raise ArgumentError(
            f"{function}: column '{column}' must hold numbers; row {row} holds "
            f"{data[column].loc[row]!r}"
        )
    return values


def check_counts(data: pd.DataFrame, column: str, function: str) -> pd.Series:
    """Counts: present, whole-valued is not required (weighted counts), never negative."""
    values = numeric(data, column, function)
    if values.isna().any():
        raise ArgumentError(
            f"{function}: column '{column}' is missing a value in row {_first_bad(values.isna())}; "
            "counts must be given (use 0 for none)"
        )
    if (values < 0).any():
        row = _first_bad(values < 0)
        raise ArgumentError(
            f"{function}: column '{column}' must not be negative; row {row} holds {values[row]}"
        )
    return values


def check_denominators(data: pd.DataFrame, column: str, function: str) -> pd.Series:
    """Denominators: present and above zero (a rate or share of nothing is undefined)."""
    values = numeric(data, column, function)
    if values.isna().any():
        raise ArgumentError(
            f"{function}: denominator column '{column}' is missing in row "
            f"{_first_bad(values.isna())}; a rate or proportion needs its denominator"
        )
    if (values <= 0).any():
        row = _first_bad(values <= 0)
        raise ArgumentError(
            f"{function}: denominator column '{column}' must be above zero; row {row} holds "
            f"{values[row]:g}"
        )
    return values


def check_positive_number(value: object, name: str, function: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ArgumentError(f"{function}: {name} must be a number above zero, found {value!r}")
    return float(value)


def z_value(confidence: float) -> float:
    """Two-sided normal quantile, e.g. 1.959964 for 95%."""
    return float(norm.ppf(1 - (1 - confidence) / 2))


def with_outputs(
    data: pd.DataFrame,
    value: object,
    lower: object,
    upper: object,
    confidence: float,
    method: object,
) -> pd.DataFrame:
    """A copy of the data with the standard output columns (replacing any present)."""
    result = data.copy()
    result["value"] = np.asarray(value, dtype="float64")
    result["lower"] = np.asarray(lower, dtype="float64")
    result["upper"] = np.asarray(upper, dtype="float64")
    result["confidence"] = confidence
    result["method"] = method
    return result


def group_key(groups: list[str]):
    """A groupby key: the group columns, or one group for the whole frame."""
    return groups if groups else (lambda _: 0)


def group_values(groups: list[str], name: object) -> dict:
    """The group columns' values for one group of a groupby (empty without groups)."""
    if not groups:
        return {}
    values = name if isinstance(name, tuple) else (name,)
    return dict(zip(groups, values, strict=True))
