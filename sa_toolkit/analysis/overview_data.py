"""What the 00 Overview report reads, once, and the small helpers every part of it uses.

:func:`load_overview` reads the street-level counts through the same
:class:`~sa_toolkit.indicators.computations.DataSource` cache that the performance
framework uses, with the lookup (for ward names) and the Most Similar Group table, into
one :class:`OverviewData` that the trend, mix, cost, matrix and findings share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.config import Config
from sa_toolkit.coverage import Coverage, YearComparison, compare_years
from sa_toolkit.errors import UserError
from sa_toolkit.periods import FinancialYear, financial_year_label, financial_year_of

ASB = "Anti-social behaviour"
ALL_CRIME = "All crime"
STREET_SOURCE = "data.police.uk street-level crime"
MSG_SOURCE = "Home Office, police recorded crime by Most Similar Group"
#: years of the trend of each category's rate (the priority-setting matrix)
TREND_YEARS = 5


@dataclass
class OverviewData:
    """What the overview reads, once.

    Attributes
    ----------
    counts : DataFrame
        Partnership street-level counts, one row per month (``period[M]``, every month;
        NaN in a month the police data do not hold: a gap, not a zero
        from the first year needed to the assessment year's March) and one column per
        crime type, ASB included.
    lsoa_counts : Series
        Crimes (not ASB) in the assessment year by LSOA code.
    wards : Series
        Ward name by LSOA code (empty when there is no lookup).
    msg : DataFrame
        The ``msg_crime`` table.
    populations : dict
        Partnership population by financial-year label (``None`` when not known).
    """

    cfg: Config
    counts: pd.DataFrame
    lsoa_counts: pd.Series
    wards: pd.Series
    msg: pd.DataFrame
    populations: dict[str, float | None]
    source: object = None
    notes: list[str] = field(default_factory=list)
    #: why the cost of crime could not be estimated (set by :func:`cost_by_year`)
    cost_reason: str = ""
    #: False when no MSG table was supplied (``msg`` is then empty)
    msg_supplied: bool = True
    #: the months the (force-wide) police data hold
    coverage: Coverage | None = None

    @property
    def police(self) -> Coverage:
        if self.coverage is not None:
            return self.coverage
        # built without one (tests, callers of old): the months that hold counts
        return Coverage.of("police_street", self.counts.index[self.counts.notna().any(axis=1)])

    def comparison(self) -> YearComparison:
        """The assessed year against the one before, like for like."""
        return compare_years(self.police, self.cfg.year)


def first_year_needed(cfg: Config) -> FinancialYear:
    """The earliest year any part of the overview uses (baseline, last year, trend)."""
    return min(cfg.baseline_year, cfg.year.previous(TREND_YEARS - 1), cfg.year.previous())


def street_month_counts(
    street: pd.DataFrame, months: pd.PeriodIndex, coverage: Coverage | None = None
) -> pd.DataFrame:
    """Counts by month and crime type, every month of ``months`` present (0 if none).

    With ``coverage``, a month the police data do not hold is NaN (missing), not 0.
    """
    months = pd.PeriodIndex(months, freq="M")
    rows = street[street["month"].isin(months)]
    counts = pd.crosstab(rows["month"], rows["crime_type"].astype(str))
    counts = counts.reindex(index=months, fill_value=0).astype("int64")
    counts.index.name = "month"
    counts.columns.name = None
    if coverage is not None and not months.isin(coverage.months).all():
        counts = counts.astype("float64")
        counts.loc[~months.isin(coverage.months), :] = np.nan
    return counts


def load_overview(cfg: Config, source=None) -> OverviewData:
    """Read the street-level counts, the lookup and the MSG table for the overview.

    Parameters
    ----------
    cfg : Config
    source : DataSource, optional
        Shared with :func:`performance_framework` so the street table is read once.
    """
    from sa_toolkit.indicators.computations import DataSource, NotComputable, population
    from sa_toolkit.tables import read_table

    src = source if source is not None else DataSource.from_config(cfg)
    if not src.lsoas:
        raise UserError(
            f"the partnership's LSOAs are unknown: no lookup row has CSP code "
            f"{cfg.partnership_code} (partnership.code) and partnership.lsoas is empty"
        )
    try:
        street = src.read("police_street", ["month", "lsoa_code", "crime_type"])
    except NotComputable as exc:
        raise UserError(str(exc)) from None
    # the months of the force's download: a month it lacks is missing, not zero
    coverage = Coverage.of("police_street", pd.PeriodIndex(street["month"], freq="M").unique())
    street = street[street["lsoa_code"].astype(str).isin(src.lsoas)]
    # months before the police data begin are left out, not counted as zero
    start = first_year_needed(cfg).first_month
    if len(street):
        start = max(start, financial_year_of(street["month"].min()).first_month)
    months = pd.period_range(start, cfg.year.last_month, freq="M")
    counts = street_month_counts(street, months, coverage)
    this_year = street[
        street["month"].isin(cfg.year.months) & (street["crime_type"].astype(str) != ASB)
    ]
    lsoa_counts = this_year["lsoa_code"].astype(str).value_counts()
    try:
        lookup = src.read("lookup", ["lsoa_code", "ward_name"])
        wards = pd.Series(
            lookup["ward_name"].astype(str).to_numpy(), index=lookup["lsoa_code"].astype(str)
        )
        wards = wards[~wards.index.duplicated()]
    except NotComputable:
        wards = pd.Series(dtype="object")
    from sa_toolkit.analysis.priority_common import table_supplied

    msg_columns = ["area_code", "area_name", "area_type", "financial_year", "offence_group",
                   "offences", "population"]  # fmt: skip
    msg_supplied = table_supplied("msg_crime", cfg.processed_dir)
    msg = (
        read_table("msg_crime", cfg.processed_dir, columns=msg_columns)
        if msg_supplied
        else pd.DataFrame({c: pd.Series(dtype=float if c in ("offences", "population") else str)
                           for c in msg_columns})
    )  # fmt: skip
    # plain text once: the MSG table is filtered some sixty times
    msg = msg.astype({c: str for c in msg.columns if c not in ("offences", "population")})
    populations: dict[str, float | None] = {}
    notes: list[str] = []
    first = first_year_needed(cfg)
    fy = first
    while fy <= cfg.year:
        try:
            pop, note = population(src, fy)
            populations[fy.label] = pop
            if note:
                notes.append(f"{fy.label}: {note}")
        except NotComputable:
            populations[fy.label] = None
        fy = fy.next()
    return OverviewData(
        cfg, counts, lsoa_counts, wards, msg, populations, src, notes, msg_supplied=msg_supplied,
        coverage=coverage,
    )  # fmt: skip


def year_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Monthly counts summed by financial year (rows labelled ``2024/25``), over the months
    present (see :func:`complete_years` for the years with all twelve)."""
    labels = financial_year_label(counts.index).to_numpy()
    return counts.groupby(labels).sum()


def complete_years(data: OverviewData) -> list[str]:
    """Labels of the financial years whose twelve months are all in the police data."""
    return [y.label for y in data.police.complete_years()]


def comparison_totals(data: OverviewData, cmp: YearComparison) -> pd.DataFrame:
    """Counts by crime type over the compared months: rows ``this`` and ``last``."""
    counts = data.counts
    return (
        pd.DataFrame(
            {
                "this": counts[counts.index.isin(cmp.this_months)].sum(),
                "last": counts[counts.index.isin(cmp.last_months)].sum(),
            }
        )
        .T.round()
        .astype("int64")
    )


def crime_columns(counts: pd.DataFrame) -> list[str]:
    """The crime types of the counts: every column but ASB (not part of recorded crime)."""
    return [c for c in counts.columns if c != ASB]


def percent_change(before: float, after: float) -> float | None:
    """``(after - before) / before * 100``; None when ``before`` is 0 or None."""
    return None if not before else (after - before) / before * 100


def signed_percent(p: float | None) -> str:
    """A change as the tables show it: ``+4%``, ``-0.5%``; ``n/a`` when there is none."""
    return (
        "n/a"
        if p is None or (isinstance(p, float) and math.isnan(p))
        else (findings.format_signed_percent(p))
    )


def top_wards(data: OverviewData, n: int = 3) -> list[str]:
    """The wards with most recorded crime this year, each with its share."""
    counts = data.lsoa_counts
    total = int(counts.sum())
    if not total or data.wards.empty:
        return []
    wards = counts.groupby(data.wards.reindex(counts.index).fillna("Unknown ward")).sum()
    wards = wards.sort_values(ascending=False).head(n)
    return [
        f"{ward} ({findings.format_percent(c / total * 100)} of recorded crime)"
        for ward, c in wards.items()
        if c
    ]
