"""Extra-Poisson variation: how much more counts vary than pure chance would make them.

Recorded crime counts of hundreds or thousands vary from year to year, and from area to
area, by more than Poisson variation allows (recording practice, the weather, one
operation, a new estate). Tests that assume pure Poisson variation call most such
movements "significant". Two estimates are made here, each in plain statistics:

* **Between areas** (funnel plots, peer and ward comparisons): Spiegelhalter (2005),
  *Funnel plots for comparing institutional performance*, Statistics in Medicine 24,
  and *Handling over-dispersion of performance indicators*, Quality and Safety in Health
  Care 14 — the method of NHS England/PHE funnel-plot guidance and the FunnelPlotR
  package. Each area's count O against the count E expected at the group rate gives a
  z-score on the square-root scale, z = 2 (sqrt(O) - sqrt(E)). With 30 or more areas
  (wards, LSOAs) the z-scores are winsorised (the lowest and highest 10% set to the 10th
  and 90th percentile values) so that a few outlying areas do not set the yardstick for
  the rest; with fewer (a Most Similar Group of 15) they are not, because clipping even
  one area at each end biases phi low (simulated: 9% of stable peers flagged at a
  nominal 5% with winsorising, 3.7% without); phi = mean(z^2). When
  I areas give I phi > I - 1, the additive random-effects variance is the
  DerSimonian-Laird estimate tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w),
  w = 4 E, and the limits are 1 +/- z_alpha sqrt(1 / (4 E) + tau^2) on the
  sqrt(ratio) scale, squared back and times the group rate.

* **Between years** (year-on-year changes): a quasi-Poisson dispersion phi (the variance
  of a year's count is phi times its mean) estimated from the monthly series. With four
  or more complete financial years, phi is the Pearson chi-squared of the yearly totals
  about a log-linear trend divided by its degrees of freedom (years - 2); with fewer, it
  is the Pearson chi-squared of the monthly counts about the independence model (month
  of year x financial year) over (12 - 1)(years - 1): extra variation between months,
  which is a lower bound for the variation between years and said so. phi is never
  below 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import check_confidence

WINSOR_FRACTION = 0.1
MIN_AREAS_TO_WINSORISE = 30
MIN_YEARS_FOR_YEARLY = 4


@dataclass(frozen=True)
class AreaOverdispersion:
    """Overdispersion of a group of areas about the group rate (Spiegelhalter 2005)."""

    phi: float  # mean winsorised squared z-score (1 = Poisson)
    tau2: float  # additive random-effects variance on the sqrt(ratio) scale (0 = none)
    areas: int

    @property
    def adjusted(self) -> bool:
        return self.tau2 > 0

    def describe(self) -> str:
        if not self.adjusted:
            return (
                f"the {self.areas} areas vary no more than chance alone would make them, "
                "so the limits are the Poisson ones"
            )
        return (
            f"the {self.areas} areas vary more than chance alone would make them "
            f"(dispersion {self.phi:.1f} times Poisson), so the limits are widened for "
            "that real-world variation (Spiegelhalter's random-effects method)"
        )


def _winsorise(z: np.ndarray, fraction: float) -> np.ndarray:
    if fraction <= 0 or z.size < 3:
        return z
    low, high = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, low, high)


def area_overdispersion(
    observed: np.ndarray | pd.Series,
    expected: np.ndarray | pd.Series,
    winsor_fraction: float | None = None,
) -> AreaOverdispersion:
    """phi and tau^2 for counts ``observed`` against ``expected`` (Spiegelhalter 2005).

    ``winsor_fraction`` None: 10% at each end for 30 or more areas, none for fewer.
    """
    fn = "area_overdispersion"
    obs = np.asarray(observed, dtype="float64")
    exp = np.asarray(expected, dtype="float64")
    if obs.shape != exp.shape or obs.size == 0:
        raise ArgumentError(f"{fn}: observed and expected must be the same non-empty length")
    if np.isnan(obs).any() or (obs < 0).any():
        raise ArgumentError(f"{fn}: observed counts must be zero or above")
    if np.isnan(exp).any() or (exp <= 0).any():
        raise ArgumentError(f"{fn}: expected counts must be above zero")
    n = obs.size
    if n < 3:
        return AreaOverdispersion(1.0, 0.0, n)
    if winsor_fraction is None:
        winsor_fraction = WINSOR_FRACTION if n >= MIN_AREAS_TO_WINSORISE else 0.0
    z = 2 * (np.sqrt(obs) - np.sqrt(exp))
    phi = float(np.mean(_winsorise(z, winsor_fraction) ** 2))
    w = 4 * exp
    denominator = w.sum() - (w**2).sum() / w.sum()
    tau2 = max(0.0, (n * phi - (n - 1)) / denominator) if denominator > 0 else 0.0
    return AreaOverdispersion(phi, tau2, n)


def ratio_limits(
    expected: np.ndarray | pd.Series, tau2: float, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Limits for observed / expected at ``confidence``, widened by ``tau2``.

    With ``tau2`` = 0 these are the square-root normal approximation to Poisson limits.
    """
    exp = np.asarray(expected, dtype="float64")
    z = stats.norm.ppf(0.5 + confidence / 2)
    half = z * np.sqrt(1 / (4 * exp) + tau2)
    lower = np.clip(1 - half, 0, None) ** 2
    return lower, (1 + half) ** 2


def ratio_z(observed: np.ndarray, expected: np.ndarray, tau2: float) -> np.ndarray:
    """An area's z-score on the sqrt(ratio) scale allowing for ``tau2``."""
    obs = np.asarray(observed, dtype="float64")
    exp = np.asarray(expected, dtype="float64")
    return (np.sqrt(obs / exp) - 1) / np.sqrt(1 / (4 * exp) + tau2)


@dataclass(frozen=True)
class Dispersion:
    """Quasi-Poisson dispersion of yearly counts: variance = phi x mean."""

    phi: float
    df: float  # degrees of freedom of the estimate (inf when phi is taken as 1)
    method: str
    years: int

    @property
    def extra(self) -> bool:
        return self.phi > 1

    def describe(self) -> str:
        if self.method == "poisson":
            return "pure Poisson variation assumed (too few complete years to estimate more)"
        if self.method == "yearly":
            basis = f"the variation of the {self.years} complete years' totals about their trend"
        else:
            basis = (
                f"the month-to-month variation over {self.years} complete year(s) "
                "(a lower bound: fewer than four complete years)"
            )
        return f"counts vary {self.phi:.1f} times as much as pure chance, from {basis}"


POISSON = Dispersion(1.0, math.inf, "poisson", 0)


def _complete_years(monthly: pd.Series) -> np.ndarray:
    """12 x years array of the complete financial years' monthly counts (April first)."""
    series = pd.Series(monthly).dropna()
    if series.empty:
        return np.empty((12, 0))
    counts = series.to_numpy(dtype="float64")
    if (counts < 0).any():
        raise ArgumentError("dispersion: monthly counts must be zero or above")
    ordinal = pd.PeriodIndex(series.index, freq="M").asi8 - 3  # months from April 1970
    years, position = np.divmod(ordinal, 12)
    first = years.min()
    table = np.zeros((12, years.max() - first + 1))
    seen = np.zeros_like(table)
    np.add.at(table, (position, years - first), counts)
    np.add.at(seen, (position, years - first), 1)
    return table[:, (seen > 0).all(axis=0)]


def _loglinear_pearson(totals: np.ndarray) -> float:
    """Pearson chi-squared of counts about a Poisson log-linear trend (IRLS)."""
    t = np.arange(totals.size, dtype="float64")
    x = np.column_stack([np.ones_like(t), t - t.mean()])
    beta = np.array([math.log(max(totals.mean(), 1e-9)), 0.0])
    for _ in range(50):
        mu = np.exp(x @ beta)
        z = x @ beta + (totals - mu) / mu
        step = np.linalg.solve(x.T @ (mu[:, None] * x), x.T @ (mu * z))
        if np.allclose(step, beta, rtol=0, atol=1e-10):
            beta = step
            break
        beta = step
    mu = np.exp(x @ beta)
    return float(((totals - mu) ** 2 / mu).sum())


def dispersion_from_monthly(monthly: pd.Series) -> Dispersion:
    """Quasi-Poisson dispersion of yearly counts, estimated from a monthly series.

    ``monthly`` is indexed by month (``Period[M]``, dates or ``YYYY-MM`` text); a month
    that is missing (absent or NaN) is missing, not zero, and its financial year is not
    used. See the module docstring for the two estimates. To test a change into year Y,
    pass the months up to the end of the year before (:func:`dispersion_before`), so the
    change being tested does not widen its own yardstick (simulated false "significant"
    rate at a nominal 5%: 3-4% so, under 1% with year Y included).
    """
    table = _complete_years(monthly)
    years = table.shape[1]
    if years >= MIN_YEARS_FOR_YEARLY:
        totals = table.sum(axis=0)
        if totals.min() > 0:
            df = years - 2
            phi = _loglinear_pearson(totals) / df
            return Dispersion(max(phi, 1.0), df, "yearly", years)
    if years >= 2:
        counts = table
        expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()
        if (expected > 0).all():
            df = 11 * (years - 1)
            phi = float(((counts - expected) ** 2 / expected).sum()) / df
            return Dispersion(max(phi, 1.0), df, "monthly", years)
    if years == 1:
        counts = table[:, 0]
        if counts.mean() > 0:
            phi = float(((counts - counts.mean()) ** 2).sum() / counts.mean()) / 11
            return Dispersion(max(phi, 1.0), 11, "monthly", 1)
    return POISSON


def dispersion_from_totals(totals: list[float] | np.ndarray) -> Dispersion:
    """The yearly estimate of :func:`dispersion_from_monthly` from complete years' totals
    (oldest first); pure Poisson (``POISSON``) with fewer than four years or a zero year."""
    values = np.asarray(totals, dtype="float64")
    if values.size < MIN_YEARS_FOR_YEARLY or values.min() <= 0:
        return POISSON
    df = values.size - 2
    return Dispersion(max(_loglinear_pearson(values) / df, 1.0), df, "yearly", int(values.size))


def dispersion_before(monthly: pd.Series, year_start: pd.Period | str) -> Dispersion:
    """:func:`dispersion_from_monthly` on the months before ``year_start`` (a month)."""
    series = pd.Series(monthly).dropna()
    index = pd.PeriodIndex(series.index, freq="M")
    return dispersion_from_monthly(series[index < pd.Period(year_start, freq="M")])


def quasi_poisson_test(
    baseline: np.ndarray,
    actual: np.ndarray,
    baseline_population: np.ndarray,
    actual_population: np.ndarray,
    phi: float | np.ndarray,
    df: float | np.ndarray,
    confidence: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p-values and rate-ratio limits (as % change) allowing for dispersion ``phi``.

    ``phi`` and ``df`` are a :class:`Dispersion`'s (or one per row).

    Conditional on the total k, the actual count has mean k p and variance
    phi k p (1 - p) when the rates are equal (p = N1 / (N0 + N1)): a score test,
    referred to Student's t with the dispersion's degrees of freedom. The interval is
    log(RR) +/- t sqrt(phi (1/x0 + 1/x1)).
    """
    confidence = check_confidence(confidence, "quasi_poisson_test")
    x0, x1 = np.asarray(baseline, float), np.asarray(actual, float)
    n0, n1 = np.asarray(baseline_population, float), np.asarray(actual_population, float)
    k = x0 + x1
    p = n1 / (n0 + n1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(k > 0, (x1 - k * p) / np.sqrt(phi * k * p * (1 - p)), 0.0)
        p_values = 2 * stats.t.sf(np.abs(z), df)
        crit = stats.t.ppf(0.5 + confidence / 2, df)
        log_rr = np.log((x1 / n1) / (x0 / n0))
        half = crit * np.sqrt(phi * (1 / x0 + 1 / x1))
        ok = (x0 > 0) & (x1 > 0)
        lower = np.where(ok, (np.exp(log_rr - half) - 1) * 100, np.nan)
        upper = np.where(ok, (np.exp(log_rr + half) - 1) * 100, np.nan)
    return p_values, lower, upper


def methods_text(significance_level: float) -> str:
    """How significance is tested, in plain words, for a report's notes."""
    confidence = (1 - significance_level) * 100
    return (
        "Statistical significance. Crime counts go up and down from year to year by more "
        "than chance alone, so every test here allows for that real-world variation: "
        "changes between years are tested against how much the same count has varied "
        "before (from its monthly figures); trends against how much the yearly figures "
        "scatter about the line; comparisons with similar partnerships, wards or "
        "neighbourhoods against funnel limits widened for the spread seen across the whole "
        "group (Spiegelhalter's method, as used in NHS and public health funnel plots), so "
        "many places are judged together rather than one test each. A change is called "
        f"significant when a change as large would arise by chance less than "
        f"{significance_level * 100:g} times in 100 ({confidence:g}% confidence); five-year "
        "trends use the stricter 99.8% level of the public health profiles."
    )
