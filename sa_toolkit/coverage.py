"""Which months each source holds, and the like-for-like rule for years with gaps.

A month absent from a source is **missing**, never zero: data.police.uk publishes one file
per force and month, and a download without a month's folder says nothing about that
month's crime. The rule every report and the performance framework follow:

- A year's total is the sum of the months present, and says how many (``"10 of 12 months;
  April and May 2013 missing from the police data"``).
- A year-on-year comparison uses only the calendar months present in **both** years (like
  for like) and says which were left out. When fewer than :data:`MIN_MONTHS_COMPARED`
  months are left, the years are not compared: nine months is three quarters of a year,
  the least that still spans most of the seasonal cycle of crime and anti-social
  behaviour (peaks in summer, troughs in winter); below it a change would mostly measure
  which season happened to be kept.
- Seasonality and concentration use complete months only; a monthly seasonal profile uses
  complete financial years only, so that no calendar month is averaged over fewer years
  than the others.

Which months a source holds depends on how it is published. data.police.uk is one file
per force and month (:data:`MONTHLY_FILES`): a month without a file is missing. A monthly
count table (the treatment extract) has a row for every month it covers: a month without
rows is missing too. An event extract (crime, ASB or fire incidents) is one file covering
a period: a month inside it without any event is a month with none (a quiet month for
fires in a small area), so such a source holds every month from its first to its last.

The month sets come from :func:`sa_toolkit.tables.table_months` (the ``period=YYYY-MM``
folders of a processed table), so nothing is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from sa_toolkit.periods import FinancialYear, financial_year_of

#: a comparison of two years needs at least this many calendar months present in both
MIN_MONTHS_COMPARED = 9

#: plain names of the month-partitioned sources, as a report says them
SOURCE_NAMES = {
    "police_street": "the police data",
    "police_outcomes": "the police outcomes data",
    "police_stop_search": "the stop and search data",
    "crime_incidents": "the crime incident extract",
    "asb_incidents": "the anti-social behaviour incident extract",
    "fire_incidents": "the fire incident extract",
    "treatment_monthly": "the drug and alcohol treatment extract",
}


#: sources where every month held has its own rows (a month without rows is missing)
MONTHLY_FILES = frozenset(
    {"police_street", "police_outcomes", "police_stop_search", "treatment_monthly"}
)


def source_name(table: str) -> str:
    """``"the police data"`` for ``police_street``; other tables by their own name."""
    return SOURCE_NAMES.get(table, f"the {table.replace('_', ' ')} data")


def _months(months: Iterable) -> pd.PeriodIndex:
    values = pd.Series(list(months) if not isinstance(months, pd.Series) else months).dropna()
    return pd.PeriodIndex(values, freq="M").unique().sort_values()


def months_in_words(months: Iterable) -> str:
    """``"April and May 2013"``, ``"April 2020 and January 2022"``, ``"April, May and June 2013"``.

    Months of the same calendar year share the year; groups are joined in date order.
    """
    idx = _months(months)
    groups: list[str] = []
    for year in sorted(set(idx.year)):
        names = [m.strftime("%B") for m in idx if m.year == year]
        groups.append(f"{_join(names)} {year}")
    return _join(groups)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def runs(months: Iterable) -> list[tuple[pd.Period, pd.Period]]:
    """Consecutive runs ``[(first, last), ...]`` of a set of months."""
    idx = _months(months)
    out: list[tuple[pd.Period, pd.Period]] = []
    for month in idx:
        if out and month == out[-1][1] + 1:
            out[-1] = (out[-1][0], month)
        else:
            out.append((month, month))
    return out


def span_in_words(months: Iterable) -> str:
    """``"June 2013 to June 2014"`` (first to last month), ``"no months"`` when empty."""
    idx = _months(months)
    if idx.empty:
        return "no months"
    if idx[0] == idx[-1]:
        return idx[0].strftime("%B %Y")
    return f"{idx[0].strftime('%B %Y')} to {idx[-1].strftime('%B %Y')}"


@dataclass(frozen=True)
class Coverage:
    """The months a source holds, and the months missing between its first and last."""

    table: str
    months: pd.PeriodIndex

    @classmethod
    def of(cls, table: str, months: Iterable) -> Coverage:
        """The coverage of ``table`` from the months its rows fall in: those months for a
        source published month by month (:data:`MONTHLY_FILES`), else every month from
        the first to the last (an event extract's quiet month is a month with none)."""
        held = _months(months)
        if table in MONTHLY_FILES or held.empty:
            return cls(table, held)
        return cls(table, pd.period_range(held[0], held[-1], freq="M"))

    @property
    def name(self) -> str:
        return source_name(self.table)

    @property
    def gaps(self) -> pd.PeriodIndex:
        """Months missing inside the span (first month to last)."""
        if self.months.empty:
            return self.months
        full = pd.period_range(self.months[0], self.months[-1], freq="M")
        return full[~full.isin(self.months)]

    def present_in(self, year: FinancialYear) -> pd.PeriodIndex:
        return self.months[(self.months >= year.first_month) & (self.months <= year.last_month)]

    def missing_in(self, year: FinancialYear) -> pd.PeriodIndex:
        """The months of ``year`` the source does not hold (all twelve when it holds none)."""
        return year.months[~year.months.isin(self.months)]

    def complete_years(self) -> list[FinancialYear]:
        """Financial years with all twelve months present."""
        if self.months.empty:
            return []
        first, last = financial_year_of(self.months[0]), financial_year_of(self.months[-1])
        years = [first.next(n) for n in range(last.start_year - first.start_year + 1)]
        return [y for y in years if len(self.present_in(y)) == 12]

    def gaps_sentence(self) -> str:
        """``"April 2020 and January 2022 missing from the police data."`` (``""`` when none)."""
        gaps = self.gaps
        if gaps.empty:
            return ""
        return f"{months_in_words(gaps)} missing from {self.name}."

    def summary(self, years: Iterable[FinancialYear] = ()) -> str:
        """One line for the index: the span, the number of months, the gaps inside it named,
        and the months of ``years`` (e.g. the assessed year and the one before) not held."""
        if self.months.empty:
            return "no months"
        text = f"{span_in_words(self.months)} ({len(self.months)} months)"
        gaps = self.gaps
        text += (
            "; no month missing in between"
            if gaps.empty
            else f"; {len(gaps)} missing in between: {months_in_words(gaps)}"
        )
        for year in years:
            absent = self.missing_in(year)
            outside = absent[~absent.isin(gaps)]
            if len(absent) == 12:
                text += f"; no month of {year.label}"
            elif len(outside):
                text += f"; {year.label} lacks {months_in_words(outside)}"
        return text


def table_coverage(table: str, processed_dir) -> Coverage:
    """The months a month-partitioned processed table holds (no file is read)."""
    from sa_toolkit.tables import table_months

    return Coverage.of(table, table_months(table, processed_dir))


@dataclass(frozen=True)
class YearComparison:
    """How two financial years of a source are compared under the like-for-like rule.

    ``this_months`` / ``last_months`` are the months summed for each year: the calendar
    months present in both when ``compared``; otherwise every month each year holds (a
    year's own total, never set against the other). ``missing`` lists the months of either
    year the source lacks.
    """

    year: FinancialYear
    previous: FinancialYear
    coverage: Coverage
    this_months: pd.PeriodIndex
    last_months: pd.PeriodIndex
    compared: bool
    #: why the years are not compared ("" when they are)
    reason: str = ""

    @property
    def missing(self) -> pd.PeriodIndex:
        both = self.previous.months.append(self.year.months).sort_values()
        return both[~both.isin(self.coverage.months)]

    @property
    def n_months(self) -> int:
        return len(self.this_months)

    @property
    def like_for_like(self) -> bool:
        """True when months were left out of the comparison."""
        return self.compared and self.n_months < 12

    @property
    def has_previous(self) -> bool:
        return not self.last_months.empty

    def note(self) -> str:
        """What the comparison (or the year's total) is based on; ``""`` when complete.

        ``"Like for like: 10 months compared (June to March); April and May 2013 missing
        from the police data."``
        """
        if not self.compared:
            return self.reason
        missing = self.missing if self.has_previous else self.coverage.missing_in(self.year)
        if missing.empty:
            return ""
        gaps = f"{months_in_words(missing)} missing from {self.coverage.name}"
        if not self.has_previous:
            return f"{self.year.label}: {self.n_months} of 12 months; {gaps}."
        left_out = self.year.months[~self.year.months.isin(self.this_months)]
        names = _join([m.strftime("%B") for m in left_out])
        # the same words whichever of the two years is computed first (the framework
        # computes a baseline against its actual year)
        first, second = sorted((self.previous, self.year))
        return (
            f"Like for like: the same {self.n_months} months of {first.label} and "
            f"{second.label} compared ({names} left out of both); {gaps}."
        )

    def total(self, monthly: pd.Series, which: str = "this") -> float:
        """Sum of ``monthly`` (indexed by month) over the year's compared months."""
        months = self.this_months if which == "this" else self.last_months
        values = pd.Series(monthly)
        values.index = pd.PeriodIndex(values.index, freq="M")
        return float(values[values.index.isin(months)].sum())

    def rows(self, frame: pd.DataFrame, column: str = "month", which: str = "this"):
        """Rows of ``frame`` whose ``column`` month is one of the compared months."""
        months = self.this_months if which == "this" else self.last_months
        return frame[pd.PeriodIndex(frame[column], freq="M").isin(months)]


def compare_years(
    coverage: Coverage,
    year: FinancialYear,
    previous: FinancialYear | None = None,
    *,
    alone: bool = False,
) -> YearComparison:
    """The like-for-like comparison of ``year`` with ``previous`` (default the year before).

    - both years hold months: the calendar months present in both are compared; fewer than
      :data:`MIN_MONTHS_COMPARED` -> ``compared=False`` with the reason;
    - ``previous`` holds none: ``year`` alone, its months present (``has_previous`` False);
      fewer than :data:`MIN_MONTHS_COMPARED` -> ``compared=False`` (a year's total from a
      few months is not shown as the year's);
    - ``year`` holds none: ``compared=False``.

    ``previous`` may be any other year (the framework computes a baseline against its
    actual year); ``alone=True`` takes ``year`` on its own, as if ``previous`` held nothing.
    """
    previous = year.previous() if previous is None else previous
    empty = pd.PeriodIndex([], freq="M")
    this = coverage.present_in(year)
    last = empty if alone else coverage.present_in(previous)
    if this.empty:
        reason = f"no data for {year.label} in {coverage.name}"
        return YearComparison(year, previous, coverage, empty, empty, False, reason)
    if last.empty:
        if len(this) < MIN_MONTHS_COMPARED:
            reason = (
                f"{year.label} is not a whole year's figure: {coverage.name} hold only "
                f"{len(this)} of its 12 months (at least {MIN_MONTHS_COMPARED} needed for a "
                f"year's value); {months_in_words(coverage.missing_in(year))} missing."
            )
            return YearComparison(year, previous, coverage, this, empty, False, reason)
        return YearComparison(year, previous, coverage, this, empty, True)
    shift = year.start_year - previous.start_year
    common = this[this.isin(last + 12 * shift)]
    if len(common) < MIN_MONTHS_COMPARED:
        both = previous.months.append(year.months)
        reason = (
            f"{previous.label} and {year.label} not compared: only {len(common)} calendar "
            f"months are in {coverage.name} for both years (at least {MIN_MONTHS_COMPARED} "
            f"needed); {months_in_words(both[~both.isin(coverage.months)])} missing."
        )
        return YearComparison(year, previous, coverage, this, last, False, reason)
    return YearComparison(year, previous, coverage, common, common - 12 * shift, True)


def with_gaps(monthly: pd.Series | pd.DataFrame, coverage: Coverage):
    """``monthly`` with every month the source does not hold set to missing (NaN), for
    charts and averages: a month without data is a gap, not a zero."""
    out = monthly.astype("float64")
    absent = ~pd.PeriodIndex(out.index, freq="M").isin(coverage.months)
    return out.mask(pd.Series(absent, index=out.index), axis=0)
