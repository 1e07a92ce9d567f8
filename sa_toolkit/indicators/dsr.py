"""Directly standardised rates (European Standard Population 2013) with Dobson limits."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import (
    DATA_DIR,
    check_confidence,
    check_counts,
    check_frame,
    check_positive_number,
    group_key,
    group_values,
    numeric,
    with_outputs,
)
from sa_toolkit.indicators.rate import poisson_limits

DOBSON = "directly standardised rate, Dobson method (ESP 2013)"


@cache
def _esp2013() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "esp2013.csv", dtype={"age_band": "string"})


def european_standard_population() -> pd.DataFrame:
    """The European Standard Population 2013 weights (``age_band, weight``), from data."""
    return _esp2013().copy()


def dsr(
    data: pd.DataFrame,
    count: str,
    population: str,
    age_band: str,
    group_cols: str | list[str] | None = None,
    per: float = 100000,
    confidence: float = 0.95,
    standard: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Directly standardised rate per ``per`` with Dobson et al. (1991) confidence limits.

    DSR = sum(w_i * O_i / n_i) / sum(w_i); the limits scale the Poisson limits of the
    total count O = sum(O_i) (Byar / exact, as for crude rates) by
    sqrt(var(DSR) / O), where var(DSR) = sum(w_i^2 O_i / n_i^2) / (sum w_i)^2.

    Parameters
    ----------
    data : DataFrame
        One row per age band (per group), with counts and populations.
    count, population, age_band : str
        Column names; age bands are matched to the standard's ``age_band``.
    standard : DataFrame, optional
        ``age_band, weight``; by default ESP 2013 (19 bands, 0-4 ... 90+).
    """
    fn = "dsr"
    groups = [group_cols] if isinstance(group_cols, str) else list(group_cols or [])
    check_frame(data, [count, population, age_band, *groups], fn)
    confidence = check_confidence(confidence, fn)
    per = check_positive_number(per, "per", fn)
    std = european_standard_population() if standard is None else standard
    check_frame(std, ["age_band", "weight"], fn)
    frame = data[groups + [age_band]].copy()
    frame["_o"] = check_counts(data, count, fn)
    frame["_n"] = numeric(data, population, fn)
    if frame["_n"].isna().any() or (frame["_n"] <= 0).any():
        row = frame.index[(frame["_n"].isna() | (frame["_n"] <= 0)).to_numpy()][0]
        raise ArgumentError(
            f"{fn}: population column '{population}' must be above zero in every age band; "
            f"row {row} holds {data[population].loc[row]!r}"
        )
    weights = dict(zip(std["age_band"].astype(str), std["weight"].astype(float), strict=True))
    bands = frame[age_band].astype(str)
    unknown = sorted(set(bands) - set(weights))
    if unknown:
        raise ArgumentError(
            f"{fn}: age band(s) {unknown} are not in the standard population; expected "
            f"{', '.join(weights)}"
        )
    frame["_w"] = bands.map(weights).astype(float)
    total_w = sum(weights.values())
    key = group_key(groups)
    rows = []
    for name, g in frame.groupby(key, dropna=False, observed=True, sort=True):
        if g[age_band].astype(str).nunique() != len(weights) or len(g) != len(weights):
            raise ArgumentError(
                f"{fn}: group {name!r} must have exactly one row for each of the "
                f"{len(weights)} age bands of the standard population"
            )
        o, n, w = g["_o"].to_numpy(), g["_n"].to_numpy(), g["_w"].to_numpy()
        rows.append(
            {
                **group_values(groups, name),
                "total_count": o.sum(),
                "total_pop": n.sum(),
                "_dsr": (w * o / n).sum() / total_w,
                "_var": (w**2 * o / n**2).sum() / total_w**2,
            }
        )
    out = pd.DataFrame(rows)
    o_total = out["total_count"].to_numpy(dtype="float64")
    o_lower, o_upper = poisson_limits(o_total, confidence)
    value = out["_dsr"].to_numpy()
    var = out["_var"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(o_total > 0, np.sqrt(var / np.maximum(o_total, 1)), 0.0)
    lower = value + scale * (o_lower - o_total)
    upper = value + scale * (o_upper - o_total)
    out = out.drop(columns=["_dsr", "_var"])
    # as PHE: a DSR on fewer than 10 events is too unstable to publish
    few = o_total < 10
    method = np.where(few, "not calculated: fewer than 10 events", DOBSON)
    value, lower, upper = (np.where(few, np.nan, a) for a in (value, lower, upper))
    return with_outputs(out, value * per, lower * per, upper * per, confidence, method)
