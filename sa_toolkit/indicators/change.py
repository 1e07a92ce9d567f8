"""Change between two periods, with a significance test.

Counts and rates: relative change in % (``(actual - baseline) / baseline * 100``), tested
as two Poisson counts with their populations (exact conditional binomial test; equal
populations assumed when none are given); when the counts vary more than Poisson
(a :class:`~sa_toolkit.indicators.overdispersion.Dispersion` estimated from the monthly
series, ``dispersion_from_monthly``), a quasi-Poisson score test with that dispersion.
Percentages: change in percentage points,
tested as two proportions with their sample sizes (two-sided z test on the pooled
proportion), with Newcombe's hybrid-score interval for the difference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import (
    check_confidence,
    check_counts,
    check_denominators,
    check_frame,
    with_outputs,
)
from sa_toolkit.indicators.overdispersion import Dispersion, quasi_poisson_test
from sa_toolkit.indicators.proportion import wilson_limits

RELATIVE_UNITS = {"count", "rate_per_1000", "rate_per_10000", "rate_per_100000", "ratio"}
POINT_UNITS = {"percent"}
POISSON_TEST = "relative change; exact conditional test of two Poisson counts"
QUASI_POISSON_TEST = (
    "relative change; quasi-Poisson test allowing for extra variation (dispersion {phi:.2f}, {how})"
)
PROPORTIONS_TEST = "percentage-point change; two-proportion z test, Newcombe interval"


def change_unit(unit: str) -> str:
    """``%`` for counts, rates and ratios; ``pp`` for percentages."""
    if unit in POINT_UNITS:
        return "pp"
    if unit in RELATIVE_UNITS:
        return "%"
    raise ArgumentError(
        f"unknown unit {unit!r}; expected one of {', '.join(sorted(RELATIVE_UNITS | POINT_UNITS))}"
    )


def simple_change(baseline: float, actual: float, unit: str) -> float:
    """Relative % change (counts, rates) or percentage-point change (percentages).

    NaN when either value is missing, or for a relative change from a zero baseline.
    """
    if baseline is None or actual is None or np.isnan(baseline) or np.isnan(actual):
        return np.nan
    if change_unit(unit) == "pp":
        return actual - baseline
    if baseline == 0:
        return np.nan
    return (actual - baseline) / baseline * 100


def _rate_ratio(share: float, baseline_pop: float, actual_pop: float) -> float:
    """Rate ratio from the actual period's share of the two counts."""
    if share >= 1:
        return np.inf
    return share / (1 - share) * baseline_pop / actual_pop


def poisson_change(
    data: pd.DataFrame,
    baseline_count: str,
    actual_count: str,
    baseline_population: str | None = None,
    actual_population: str | None = None,
    confidence: float = 0.95,
    dispersion: Dispersion | None = None,
) -> pd.DataFrame:
    """Relative change in a rate between two periods, with an exact test.

    With a ``dispersion`` above 1 the test and interval allow for that extra-Poisson
    variation (:func:`~sa_toolkit.indicators.overdispersion.quasi_poisson_test`).

    Conditional on the total k = x0 + x1, x1 is binomial with p = N1 / (N0 + N1) when the
    two rates are equal. The two-sided p-value is the binomial test's; the interval for
    the rate ratio comes from the Clopper-Pearson interval for p. ``value`` is the change
    in % of the rate; a zero baseline count gives no relative change (NaN) but a p-value.
    """
    fn = "poisson_change"
    check_frame(data, [baseline_count, actual_count, baseline_population, actual_population], fn)
    confidence = check_confidence(confidence, fn)
    if (baseline_population is None) != (actual_population is None):
        raise ArgumentError(f"{fn}: give both populations or neither")
    x0 = check_counts(data, baseline_count, fn).to_numpy()
    x1 = check_counts(data, actual_count, fn).to_numpy()
    if np.any(x0 != np.round(x0)) or np.any(x1 != np.round(x1)):
        raise ArgumentError(f"{fn}: counts must be whole numbers for an exact Poisson test")
    if baseline_population is None:
        n0 = np.ones_like(x0)
        n1 = np.ones_like(x1)
    else:
        n0 = check_denominators(data, baseline_population, fn).to_numpy()
        n1 = check_denominators(data, actual_population, fn).to_numpy()
    rate0, rate1 = x0 / n0, x1 / n1
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(x0 > 0, (rate1 - rate0) / rate0 * 100, np.nan)
    if dispersion is not None and dispersion.extra:
        p_q, lower_q, upper_q = quasi_poisson_test(
            x0, x1, n0, n1, dispersion.phi, dispersion.df, confidence
        )
        method = QUASI_POISSON_TEST.format(phi=dispersion.phi, how=dispersion.method)
        out = with_outputs(data, value, lower_q, upper_q, confidence, method)
        out["change_unit"] = "%"
        out["p_value"] = p_q
        out["significant"] = out["p_value"] < (1 - confidence)
        return out
    p_values, lower, upper = [], [], []
    for a, b, pa, pb in zip(x0, x1, n0, n1, strict=True):
        k = int(a + b)
        share = pb / (pa + pb)
        if k == 0:
            p_values.append(1.0)
            lower.append(np.nan)
            upper.append(np.nan)
            continue
        test = stats.binomtest(int(b), k, share)
        p_values.append(test.pvalue)
        ci = test.proportion_ci(confidence_level=confidence, method="exact")
        # p/(1-p) is the count ratio; divide by the population ratio for the rate ratio
        lower.append((_rate_ratio(ci.low, pa, pb) - 1) * 100 if a > 0 else np.nan)
        upper.append((_rate_ratio(ci.high, pa, pb) - 1) * 100 if a > 0 else np.nan)
    out = with_outputs(data, value, lower, upper, confidence, POISSON_TEST)
    out["change_unit"] = "%"
    out["p_value"] = p_values
    out["significant"] = out["p_value"] < (1 - confidence)
    return out


DSR_TEST = (
    "relative change; test of the ratio of two directly standardised rates on the log scale "
    "(variances from their intervals)"
)


def dsr_change(
    data: pd.DataFrame,
    baseline: str,
    baseline_lower: str,
    baseline_upper: str,
    actual: str,
    actual_lower: str,
    actual_upper: str,
    value_confidence: float = 0.95,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Relative change between two directly standardised rates, with a test.

    A DSR is a weighted sum of age-specific rates, so its variance is not its count's:
    each rate's variance on the log scale is taken from its interval at
    ``value_confidence`` (Dobson limits, :func:`sa_toolkit.indicators.dsr`),
    v = ((ln upper - ln lower) / (2 z))^2; z = ln(actual / baseline) / sqrt(v0 + v1),
    two-sided normal p-value; the interval of the ratio is exp(ln ratio +/- z_c sqrt(v0 + v1)).
    """
    fn = "dsr_change"
    cols = [baseline, baseline_lower, baseline_upper, actual, actual_lower, actual_upper]
    check_frame(data, cols, fn)
    confidence = check_confidence(confidence, fn)
    value_confidence = check_confidence(value_confidence, fn)
    b, bl, bu, a, al, au = (
        pd.to_numeric(data[c], errors="coerce").to_numpy(dtype="float64") for c in cols
    )
    if (np.nan_to_num(np.minimum.reduce([b, bl, a, al]), nan=1.0) <= 0).any():
        raise ArgumentError(f"{fn}: rates and lower limits must be above zero for a ratio test")
    z_value_confidence = stats.norm.ppf(0.5 + value_confidence / 2)
    var = ((np.log(bu) - np.log(bl)) / (2 * z_value_confidence)) ** 2 + (
        (np.log(au) - np.log(al)) / (2 * z_value_confidence)
    ) ** 2
    log_ratio = np.log(a / b)
    z = log_ratio / np.sqrt(var)
    p_value = 2 * stats.norm.sf(np.abs(z))
    half = stats.norm.ppf(0.5 + confidence / 2) * np.sqrt(var)
    out = with_outputs(
        data,
        (np.exp(log_ratio) - 1) * 100,
        (np.exp(log_ratio - half) - 1) * 100,
        (np.exp(log_ratio + half) - 1) * 100,
        confidence,
        DSR_TEST,
    )
    out["change_unit"] = "%"
    out["p_value"] = p_value
    out["significant"] = out["p_value"] < (1 - confidence)
    return out


def proportion_change(
    data: pd.DataFrame,
    baseline_numerator: str,
    baseline_denominator: str,
    actual_numerator: str,
    actual_denominator: str,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Percentage-point change between two proportions, with a test.

    p-value: two-sided z test with the pooled proportion,
    z = (p1 - p0) / sqrt(p(1-p)(1/n0 + 1/n1)). Interval: Newcombe's method 10 (hybrid
    score) from the two Wilson intervals. ``value``, ``lower``, ``upper`` in points.
    """
    fn = "proportion_change"
    cols = [baseline_numerator, baseline_denominator, actual_numerator, actual_denominator]
    check_frame(data, cols, fn)
    confidence = check_confidence(confidence, fn)
    x0 = check_counts(data, baseline_numerator, fn).to_numpy()
    n0 = check_denominators(data, baseline_denominator, fn).to_numpy()
    x1 = check_counts(data, actual_numerator, fn).to_numpy()
    n1 = check_denominators(data, actual_denominator, fn).to_numpy()
    if (x0 > n0).any() or (x1 > n1).any():
        raise ArgumentError(f"{fn}: a numerator exceeds its denominator")
    p0, p1 = x0 / n0, x1 / n1
    l0, u0 = wilson_limits(x0, n0, confidence)
    l1, u1 = wilson_limits(x1, n1, confidence)
    diff = p1 - p0
    lower = diff - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    upper = diff + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    pooled = (x0 + x1) / (n0 + n1)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, 0.0)
    p_value = 2 * stats.norm.sf(np.abs(z))
    out = with_outputs(data, diff * 100, lower * 100, upper * 100, confidence, PROPORTIONS_TEST)
    out["change_unit"] = "pp"
    out["p_value"] = p_value
    out["significant"] = out["p_value"] < (1 - confidence)
    return out


def change(
    data: pd.DataFrame,
    baseline: str,
    actual: str,
    unit: str,
    baseline_denominator: str | None = None,
    actual_denominator: str | None = None,
    confidence: float = 0.95,
    dispersion: Dispersion | None = None,
) -> pd.DataFrame:
    """Change between two periods for any indicator unit.

    For counts, ``baseline`` and ``actual`` are the counts (optionally with populations);
    for rates they are the counts and the denominators are required; for percentages
    they are the numerators and the denominators (sample sizes) are required.
    """
    fn = "change"
    kind = change_unit(unit)
    if kind == "pp":
        if baseline_denominator is None or actual_denominator is None:
            raise ArgumentError(
                f"{fn}: a change in a percentage needs both sample sizes "
                "(baseline_denominator, actual_denominator)"
            )
        return proportion_change(
            data, baseline, baseline_denominator, actual, actual_denominator, confidence
        )
    if unit.startswith("rate") and (baseline_denominator is None or actual_denominator is None):
        raise ArgumentError(f"{fn}: a change in a rate needs both populations")
    return poisson_change(
        data, baseline, actual, baseline_denominator, actual_denominator, confidence, dispersion
    )
