"""Violent crime: monthly series, the year's measures and their change on last year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.violent_crime_data import (
    ViolentCrimeData,
    measure_mask,
    population_by_lsoa,
)
from sa_toolkit.coverage import with_gaps
from sa_toolkit.disclosure import is_small


def monthly_counts(data: ViolentCrimeData, chart: str | None = None) -> pd.DataFrame:
    """Offences per month, one column per measure (label), every month present; a month
    the source does not hold is NaN (a gap in the chart, never a zero)."""
    chosen = data.measures if chart is None else data.measures[data.measures["chart"] == chart]
    out = {}
    for _, definition in chosen.iterrows():
        rows = data.incidents[measure_mask(data.incidents, definition)]
        out[definition["label"]] = rows.groupby("month").size().reindex(data.months, fill_value=0)
    frame = pd.DataFrame(out, index=data.months).fillna(0).astype(int)
    frame.index.name = "month"
    if data.compare is not None and not data.compare.coverage.months.empty:
        held = data.compare.coverage.months
        if not data.months.isin(held).all():
            frame = with_gaps(frame, data.compare.coverage)
    return frame


def year_summary(data: ViolentCrimeData, confidence: float | None = None) -> pd.DataFrame:
    """Each measure in the comparison year and the assessed year, with rates and the change.

    Returns
    -------
    DataFrame
        ``measure, label, polarity, indicator_id, previous, actual, change`` (% change in
        the count), ``rate_change`` (% change in the rate), ``p_value, significant`` (exact
        test of two Poisson rates, population-adjusted; quasi-Poisson where the measure's
        monthly series varies beyond chance), ``value, lower, upper`` (rate per 1,000
        residents in the assessed year), ``population, method``. ``confidence`` defaults
        to 1 - ``performance.significance_level``.
    """
    from sa_toolkit.indicators import poisson_change, rate

    if confidence is None:
        confidence = 1 - float(getattr(data.cfg, "significance_level", 0.05))

    previous = data.year.previous()
    # like for like: the months both years hold (data.year_rows)
    this_rows, last_rows = data.year_rows(data.year), data.year_rows(previous)
    pop_now = float(population_by_lsoa(data, data.year)[0].sum())
    pop_before = float(population_by_lsoa(data, previous)[0].sum())
    if not data.has_comparison:
        return _summary_without_comparison(data, this_rows, pop_now, confidence)
    rows = []
    for _, d in data.measures.iterrows():
        rows.append(
            {
                "measure": d["measure"],
                "label": d["label"],
                "polarity": d["polarity"],
                "indicator_id": d["indicator_id"],
                "previous": int(measure_mask(last_rows, d).sum()),
                "actual": int(measure_mask(this_rows, d).sum()),
                "population_before": pop_before,
                "population": pop_now,
            }
        )
    frame = pd.DataFrame(rows)
    tested = pd.concat(
        [
            poisson_change(
                frame.iloc[[i]],
                "previous",
                "actual",
                "population_before",
                "population",
                confidence=confidence,
                dispersion=_measure_dispersion(data, d),
            )  # fmt: skip
            for i, (_, d) in enumerate(data.measures.iterrows())
        ]
    )
    frame["change"] = [
        findings.percent_change(b, a) if b else np.nan
        for b, a in zip(frame["previous"], frame["actual"], strict=True)
    ]
    frame["rate_change"] = tested["value"]
    frame["p_value"] = tested["p_value"]
    frame["significant"] = tested["p_value"] < 1 - confidence
    rates = rate(frame, "actual", "population", per=1000, confidence=confidence)
    for column in ("value", "lower", "upper", "method"):
        frame[column] = rates[column]
    return frame.set_index("measure", drop=False)


def _measure_dispersion(data: ViolentCrimeData, measure: pd.Series):
    """The measure's extra-Poisson variation, from its monthly counts before the year."""
    from sa_toolkit.indicators.overdispersion import dispersion_before

    incidents = data.incidents
    if incidents is None or len(incidents) == 0 or "month" not in incidents:
        return None
    months = pd.PeriodIndex(incidents["month"], freq="M")
    if not (months < data.year.first_month).any():
        return None
    hits = measure_mask(incidents, measure).to_numpy()
    span = pd.period_range(months.min(), data.year.first_month - 1, freq="M")
    monthly = pd.Series(hits, index=months).groupby(level=0).sum().reindex(span, fill_value=0)
    # months with no incident rows at all are missing, not zero (isin, not a set of
    # boxed Periods: that took half a second per measure on a quarter-million rows)
    monthly = monthly[monthly.index.isin(months.unique())]
    return dispersion_before(monthly, data.year.first_month)


def _summary_without_comparison(data, this_rows, population: float, confidence: float):
    # No data for the comparison year: its counts and every change are unknown (NaN), not 0.
    from sa_toolkit.indicators import rate

    frame = pd.DataFrame(
        {
            "measure": data.measures["measure"].to_numpy(),
            "label": data.measures["label"].to_numpy(),
            "polarity": data.measures["polarity"].to_numpy(),
            "indicator_id": data.measures["indicator_id"].to_numpy(),
            "previous": np.nan,
            "actual": [int(measure_mask(this_rows, d).sum()) for _, d in data.measures.iterrows()],
            "population_before": np.nan,
            "population": population,
        }
    )
    frame["change"] = frame["rate_change"] = frame["p_value"] = np.nan
    frame["significant"] = False
    rates = rate(frame, "actual", "population", per=1000, confidence=confidence)
    for column in ("value", "lower", "upper", "method"):
        frame[column] = rates[column]
    return frame.set_index("measure", drop=False)


def direction(row: pd.Series) -> str:
    """``"worse"``, ``"better"`` or ``"no judgement"`` of a significant change, by polarity."""
    if not row["significant"] or row["polarity"] == "none":
        return "no judgement"
    rose = row["actual"] > row["previous"]
    return "worse" if rose == (row["polarity"] == "lower_is_better") else "better"


def trend_title(
    summary: pd.DataFrame, measures: list[str], year_label: str, threshold: int = 0
) -> str:
    """A finding for a trend chart: the measure with the largest change and its direction.

    A change from or to a count below ``threshold`` is not given as a percentage (with the
    other count it would give the small one away), so such measures are not picked.
    """
    rows = summary.loc[measures]
    small = is_small(rows["previous"], threshold) | is_small(rows["actual"], threshold)
    changes = rows["change"].where(~small).dropna()
    if changes.empty:
        return f"Violent crime measures in {year_label}"
    top = changes.abs().idxmax()
    row = rows.loc[top]
    pct = row["change"]
    if round(pct) == 0:
        return (
            f"{row['label']} was about level in {year_label}; the largest change of these measures"
        )
    verb = "rose" if pct > 0 else "fell"
    others = [m for m in measures if m != top]
    same = [
        summary.loc[m, "label"].lower()
        for m in others
        if not small[measures.index(m)]
        if not pd.isna(summary.loc[m, "change"])
        and np.sign(summary.loc[m, "change"]) == np.sign(pct)
    ]
    tail = f"; {', '.join(same)} also {verb}" if same else ""
    return f"{row['label']} {verb} {findings.format_percent(pct)} in {year_label}{tail}"


def series_breaks_for_priority(priority: str = "violent_crime", raw_dir=None) -> pd.DataFrame:
    """Rows of ``series_breaks.csv`` (package and, with ``raw_dir``, the partnership's own)
    for the priority's indicators that make years not comparable (for ``monthly_trend``)."""
    from sa_toolkit.indicators.catalogue import load_catalogue, load_series_breaks

    catalogue = load_catalogue()
    ids = set(catalogue.index[catalogue["priority"] == priority])
    breaks = load_series_breaks(raw_dir=raw_dir)
    keep = breaks["indicator"].isin(ids) & (breaks["effect"] == "not_comparable")
    return breaks[keep].reset_index(drop=True)
