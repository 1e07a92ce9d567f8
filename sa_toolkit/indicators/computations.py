"""Indicator values computed from the processed tables.

The catalogue (``indicators.yml``) names a function here and its parameters under
``computation``; :func:`compute` runs it for a financial year. Each function returns a
:class:`Computed` with the value and, where there is one, the count and denominator that
the significance test of the change needs. A table that is not there, or a year it does
not cover, raises :class:`NotComputable` with a plain reason that the framework shows
as a note (never a traceback).

Monthly tables follow the like-for-like rule of :mod:`sa_toolkit.coverage`, the same as
the reports: :func:`compute` is told the year the value will be compared with, and a
year's value then counts only the calendar months present in both years (``months_note``
says which were left out); with fewer than ``coverage.MIN_MONTHS_COMPARED`` in common,
or a year alone holding fewer, the value is not computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit.errors import UserError
from sa_toolkit.periods import FinancialYear


class NotComputable(Exception):
    """The data needed for an indicator are not available; the message says why."""


@dataclass(frozen=True)
class Computed:
    value: float
    count: float | None = None
    denominator: float | None = None
    note: str = ""
    #: the data period behind the value when it is not the financial year (e.g. "wave 2025")
    period: str = ""
    #: the months counted when not the whole year (like for like; ``coverage``)
    months_note: str = ""
    #: the value's 95% interval, for values whose test is not on a count (a DSR)
    lower: float | None = None
    upper: float | None = None


@dataclass
class DataSource:
    """Where computations read their tables, and which area they compute for."""

    processed_dir: Path | None
    lsoas: list[str]
    area_code: str
    reader: Callable[..., pd.DataFrame] | None = None
    _cache: dict = field(default_factory=dict, repr=False)
    #: set by :func:`compute`: the year the value is compared with (None: the year alone)
    compared_with: FinancialYear | None = field(default=None, repr=False)
    #: set by :func:`compute`: notes on the months counted (``coverage``)
    months_notes: list[str] = field(default_factory=list, repr=False)

    @classmethod
    def from_config(cls, cfg) -> DataSource:
        from sa_toolkit.tables import partnership_lsoas

        try:
            lsoas = partnership_lsoas(cfg)
        except UserError:
            lsoas = []
        return cls(cfg.processed_dir, lsoas, cfg.partnership_code)

    def read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        key = (name, tuple(columns) if columns else None)
        if key not in self._cache:
            reader = self.reader
            if reader is None:
                from sa_toolkit.tables import read_table as reader
            try:
                self._cache[key] = reader(name, self.processed_dir, columns=columns)
            except UserError as exc:
                raise NotComputable(str(exc)) from None
        return self._cache[key]


def _in_year(frame: pd.DataFrame, year: FinancialYear, column: str = "month") -> pd.DataFrame:
    months = pd.PeriodIndex(frame[column], freq="M")
    return frame[(months >= year.first_month) & (months <= year.last_month)]


def _year_rows(
    src: DataSource, frame: pd.DataFrame, year: FinancialYear, table: str, key: tuple = ()
) -> pd.DataFrame:
    """Rows of ``frame`` (every year of a monthly table) counted for ``year`` under the
    like-for-like rule (:func:`sa_toolkit.coverage.compare_years`) against
    ``src.compared_with``; the note on the months counted goes to ``src.months_notes``.
    ``key`` tells apart frames of one table filtered differently (a substance group)."""
    from sa_toolkit.coverage import Coverage, compare_years

    coverage = _memo(
        src,
        ("_coverage", table, *key),
        lambda: Coverage.of(table, pd.PeriodIndex(frame["month"], freq="M").unique()),
    )
    other = src.compared_with
    cmp = (
        compare_years(coverage, year, alone=True)
        if other is None or other == year
        else compare_years(coverage, year, other)
    )
    if not cmp.compared:
        raise NotComputable(cmp.reason)
    text = cmp.note()
    if text and text not in src.months_notes:
        src.months_notes.append(text)
    if len(cmp.this_months) == 12:
        return _in_year(frame, year)
    return frame[pd.PeriodIndex(frame["month"], freq="M").isin(cmp.this_months)]


def _months_key(src: DataSource, year: FinancialYear) -> tuple:
    # memo keys of year-filtered rows: the comparison decides which months are counted
    other = src.compared_with
    return (year.label,) if other is None else (year.label, other.label)


def _local(frame: pd.DataFrame, src: DataSource, column: str = "lsoa_code") -> pd.DataFrame:
    if not src.lsoas:
        raise NotComputable("the partnership's LSOAs are unknown (partnership.lsoas or the lookup)")
    # isin on the category column itself: converting it to text first costs ten times more
    return frame[frame[column].isin(src.lsoas)]


def _area(frame: pd.DataFrame, src: DataSource, table: str) -> pd.DataFrame:
    rows = frame[frame["area_code"].astype(str) == src.area_code]
    if rows.empty:
        raise NotComputable(f"{table} has no rows for area {src.area_code}")
    return rows


def population(
    src: DataSource, year: FinancialYear, ages: tuple[int, int] | None = None
) -> tuple[float, str]:
    """Partnership population at mid-year ``year.start_year`` (else the nearest estimate,
    :func:`sa_toolkit.periods.nearest_mid_year`, named in the note)."""
    # every rate asks for it (about 150 times a run): found once per year and age band
    return _memo(src, ("_population", year.label, ages), lambda: _population(src, year, ages))


def _population(
    src: DataSource, year: FinancialYear, ages: tuple[int, int] | None
) -> tuple[float, str]:
    from sa_toolkit.periods import nearest_mid_year

    table = _local(src.read("population", ["year", "lsoa_code", "age_min", "population"]), src)
    used, note = nearest_mid_year(table["year"].unique(), year)
    if used is None:
        raise NotComputable("the population table holds no estimate for the partnership")
    rows = table[table["year"] == used]
    if ages is not None and rows["age_min"].isna().all():
        raise NotComputable(
            f"the population estimates are totals only: a rate for ages {ages[0]}-{ages[1]} "
            "needs the estimates by single year of age (ONS small area population estimates)"
        )
    if ages is not None:
        rows = rows[(rows["age_min"] >= ages[0]) & (rows["age_min"] <= ages[1])]
    return float(rows["population"].sum()), note


def _rate(count: float, pop: float, per: float, note: str) -> Computed:
    if pop <= 0:
        raise NotComputable("the population is zero")
    return Computed(count / pop * per, count, pop, note)


def _memo(src: DataSource, key: tuple, make: Callable[[], object]):
    # Many indicators filter the same table to the same year and area: filter once per run.
    if key not in src._cache:
        src._cache[key] = make()
    return src._cache[key]


def _street_kinds(src: DataSource, year: FinancialYear) -> pd.Series:
    street = src.read("police_street", ["month", "lsoa_code", "crime_type"])
    street = _year_rows(src, street, year, "police_street")
    return _local(street, src)["crime_type"].astype(str)


def _memo_rows(src: DataSource, key: tuple, make: Callable[[], object]):
    """:func:`_memo` for rows chosen by :func:`_year_rows`: the months note is kept with
    them, so every indicator computed from the memo carries it."""

    def make_with_note():
        before = len(src.months_notes)
        value = make()
        return value, src.months_notes[before:]

    value, notes = _memo(src, key, make_with_note)
    for text in notes:
        if text not in src.months_notes:
            src.months_notes.append(text)
    return value


def police_crime_count(src: DataSource, year: FinancialYear, crime_types) -> Computed:
    kinds = _memo_rows(
        src, ("_street_kinds", *_months_key(src, year)), lambda: _street_kinds(src, year)
    )
    if crime_types == "all_crime":
        selected = kinds != "Anti-social behaviour"
    else:
        selected = kinds.isin(list(crime_types))
    return Computed(float(selected.sum()), float(selected.sum()))


def police_crime_rate(
    src: DataSource, year: FinancialYear, crime_types, per: float = 1000
) -> Computed:
    count = police_crime_count(src, year, crime_types).value
    pop, note = population(src, year)
    return _rate(count, pop, per, note)


def _incidents(src: DataSource, year: FinancialYear) -> pd.DataFrame:
    def make() -> pd.DataFrame:
        in_year = _year_rows(src, src.read("crime_incidents"), year, "crime_incidents")
        return _local(in_year, src)

    return _memo_rows(src, ("_incidents", *_months_key(src, year)), make)


def incident_flag_count(src: DataSource, year: FinancialYear, flag: str) -> Computed:
    rows = _incidents(src, year)
    n = float(rows[flag].fillna(False).astype(bool).sum())
    return Computed(n, n)


def incident_flag_rate(
    src: DataSource, year: FinancialYear, flag: str, per: float = 1000
) -> Computed:
    n = incident_flag_count(src, year, flag).value
    pop, note = population(src, year)
    return _rate(n, pop, per, note)


def incident_offence_count(
    src: DataSource, year: FinancialYear, column: str, values: list[str]
) -> Computed:
    """Incidents whose ``column`` (e.g. the Home Office ``offence_code``) is one of ``values``."""
    rows = _incidents(src, year)
    wanted = {str(v) for v in values}
    n = float(rows[column].astype("string").isin(wanted).fillna(False).sum())
    return Computed(n, n)


def incident_offence_rate(
    src: DataSource, year: FinancialYear, column: str, values: list[str], per: float = 1000
) -> Computed:
    n = incident_offence_count(src, year, column, values).value
    pop, note = population(src, year)
    return _rate(n, pop, per, note)


def young_victims_count(
    src: DataSource, year: FinancialYear, crime_types, max_age: int = 17
) -> Computed:
    rows = _incidents(src, year)
    ages = pd.to_numeric(rows["victim_age"], errors="coerce")
    chosen = rows["crime_type"].astype(str).isin(list(crime_types)) & (ages <= max_age)
    n = float(chosen.sum())
    return Computed(n, n)


def asb_incident_rate(
    src: DataSource, year: FinancialYear, per: float = 1000, subcategory: str | None = None
) -> Computed:
    rows = _year_rows(src, src.read("asb_incidents"), year, "asb_incidents")
    rows = _local(rows, src)
    if subcategory:
        rows = rows[rows["subcategory"].astype(str).str.lower() == subcategory.lower()]
    pop, note = population(src, year)
    return _rate(float(len(rows)), pop, per, note)


def fire_rate(
    src: DataSource,
    year: FinancialYear,
    per: float = 10000,
    incident_type: str | None = None,
    motive: str | None = None,
) -> Computed:
    rows = _year_rows(src, src.read("fire_incidents"), year, "fire_incidents")
    rows = _local(rows, src)
    if incident_type:
        rows = rows[rows["incident_type"].astype(str) == incident_type]
    if motive:
        rows = rows[rows["motive"].astype(str) == motive]
    pop, note = population(src, year)
    return _rate(float(len(rows)), pop, per, note)


def fire_casualty_rate(
    src: DataSource, year: FinancialYear, measure: str, per: float = 100000
) -> Computed:
    rows = _year_rows(src, src.read("fire_incidents"), year, "fire_incidents")
    rows = _local(rows, src)
    rows = rows[rows["incident_type"].astype(str) == "primary"]
    n = float(pd.to_numeric(rows[measure], errors="coerce").fillna(0).sum())
    pop, note = population(src, year)
    return _rate(n, pop, per, note)


def _cohort_year(quarters: pd.PeriodIndex) -> pd.Index:
    """The financial year (its starting calendar year) of each calendar-quarter cohort."""
    return pd.Index(quarters.year - (quarters.quarter == 1).astype(int))


def _cohort(
    src: DataSource,
    year: FinancialYear,
    cohort: str,
    ppo: bool | None,
    before_cohort: str | None = None,
) -> tuple[pd.DataFrame, str]:
    """The latest complete financial-year cohort (four calendar quarters) whose quarters
    end by the end of ``year`` (with ``before_cohort``, the complete one before it), and
    its label.

    Proven re-offending is published a year and more after the cohort starts, so a year's
    assessment reads the latest complete cohort, as the reports do, never part of one.
    """
    table = _area(src.read("reoffending"), src, "reoffending")
    table = table[table["cohort"].astype(str) == cohort]
    # the prolific and priority offenders' rows are a subset of the cohort's all-offender
    # row (ppo false): the whole cohort is that row alone, never the two added
    table = table[table["ppo"].astype(bool) == bool(ppo)]
    quarters = pd.PeriodIndex(table["cohort_quarter"].astype(str), freq="Q")
    starts = _cohort_year(quarters)
    limit = (
        year.start_year
        if before_cohort is None
        else FinancialYear.parse(before_cohort).start_year - 1
    )
    ended = quarters.end_time <= year.last_month.end_time
    counts = (
        pd.Series(quarters[ended & (starts <= limit)])
        .groupby(starts[ended & (starts <= limit)])
        .nunique()
    )
    complete = counts[counts == 4].index
    if not len(complete):
        raise NotComputable(
            f"reoffending has no complete {cohort} cohort (four quarters) "
            f"for {FinancialYear(limit).label} or earlier"
        )
    chosen = FinancialYear(int(max(complete)))
    return table[starts == chosen.start_year], chosen.label


def reoffending_rate(
    src: DataSource,
    year: FinancialYear,
    cohort: str,
    ppo: bool | None = None,
    before_cohort: str | None = None,
) -> Computed:
    rows, label = _cohort(src, year, cohort, ppo, before_cohort)
    offenders, reoffenders = float(rows["offenders"].sum()), float(rows["reoffenders"].sum())
    if offenders <= 0:
        raise NotComputable("the re-offending cohort is empty")
    return Computed(
        reoffenders / offenders * 100, reoffenders, offenders, f"{label} cohort",
        period=f"cohort {label}",
    )  # fmt: skip


def reoffending_frequency(
    src: DataSource,
    year: FinancialYear,
    cohort: str,
    ppo: bool | None = None,
    before_cohort: str | None = None,
) -> Computed:
    rows, label = _cohort(src, year, cohort, ppo, before_cohort)
    reoffenders, reoffences = float(rows["reoffenders"].sum()), float(rows["reoffences"].sum())
    if reoffenders <= 0:
        raise NotComputable("no re-offenders in the cohort: the frequency is undefined")
    return Computed(
        reoffences / reoffenders, reoffences, reoffenders, f"{label} cohort",
        period=f"cohort {label}",
    )  # fmt: skip


def _fte(src: DataSource, year: FinancialYear) -> pd.DataFrame:
    table = _area(src.read("youth_first_time_entrants"), src, "youth_first_time_entrants")
    quarters = pd.PeriodIndex(table["quarter"].astype(str), freq="Q")
    first = pd.Period(year.start, freq="Q")
    rows = table[(quarters >= first) & (quarters <= first + 3)]
    if len(rows) < 4:
        raise NotComputable(
            f"youth_first_time_entrants covers {len(rows)} of 4 quarters of {year.label}"
        )
    return rows


def first_time_entrants_count(src: DataSource, year: FinancialYear) -> Computed:
    n = float(_fte(src, year)["first_time_entrants"].sum())
    return Computed(n, n)


def first_time_entrants_rate(src: DataSource, year: FinancialYear) -> Computed:
    rows = _fte(src, year)
    n = float(rows["first_time_entrants"].sum())
    pop = float(rows["population_10_17"].mean())
    return _rate(n, pop, 100000, "")


def alcohol_admissions_dsr(src: DataSource, year: FinancialYear) -> Computed:
    from sa_toolkit.indicators.dsr import dsr

    table = _area(src.read("alcohol_admissions"), src, "alcohol_admissions")
    rows = table[table["financial_year"].astype(str) == year.label]
    if rows.empty:
        raise NotComputable(f"alcohol_admissions has no rows for {year.label}")
    by_band = rows.groupby(rows["age_band"].astype(str), observed=True)[
        ["admissions", "population"]
    ].sum()
    result = dsr(by_band.reset_index(), "admissions", "population", "age_band")
    # the DSR's significance test is not the crude Poisson one: no count is passed on, its
    # interval is (the framework tests the ratio of two DSRs from their intervals)
    return Computed(
        float(result["value"][0]), None, None, "directly standardised (ESP 2013)",
        lower=float(result["lower"][0]), upper=float(result["upper"][0]),
    )  # fmt: skip


def _treatment(src: DataSource, year: FinancialYear, substance_group: str | None) -> pd.DataFrame:
    table = _area(src.read("treatment_monthly"), src, "treatment_monthly")
    if substance_group:
        table = table[table["substance_group"].astype(str) == substance_group]
    return _year_rows(src, table, year, "treatment_monthly", (substance_group,))


def _monthly_mean(rows: pd.DataFrame, column: str) -> float:
    return float(rows.groupby("month", observed=True)[column].sum().mean())


def treatment_effective_count(
    src: DataSource, year: FinancialYear, substance_group: str | None = None
) -> Computed:
    """Average monthly number in effective treatment over the year.

    NDTMS counts distinct people in the 12 months; a monthly extract cannot, so the
    monthly average stands in for it (consistent from year to year, lower in level).
    """
    rows = _treatment(src, year, substance_group)
    n = round(_monthly_mean(rows, "in_effective_treatment"))
    return Computed(float(n), float(n), None, "average monthly number")


def treatment_completion_percent(
    src: DataSource, year: FinancialYear, substance_group: str = "opiate"
) -> Computed:
    """Successful completions in the year as % of the average monthly number in treatment."""
    rows = _treatment(src, year, substance_group)
    done = float(rows["successful_completions"].sum())
    total = _monthly_mean(rows, "in_treatment")
    if total <= 0:
        raise NotComputable("no one in treatment")
    return Computed(done / total * 100, done, total, "completions / average monthly caseload")


def probation_percent(src: DataSource, year: FinancialYear, outcome: str) -> Computed:
    table = _area(src.read("probation_outcomes"), src, "probation_outcomes")
    quarters = pd.PeriodIndex(table["quarter"].astype(str), freq="Q")
    first = pd.Period(year.start, freq="Q")
    rows = table[(quarters >= first) & (quarters <= first + 3)]
    total = float(rows["terminations"].sum())
    if total <= 0:
        raise NotComputable(f"probation_outcomes has no terminations in {year.label}")
    n = float(rows[outcome].sum())
    return Computed(n / total * 100, n, total)


def _wave(src: DataSource, year: FinancialYear, before_wave: int | None = None) -> pd.DataFrame:
    """The survey wave in effect in a financial year: the latest whose fieldwork year is at
    most the year's closing calendar year (or, with ``before_wave``, the wave before that)."""
    table = src.read("residents_survey")
    waves = pd.to_numeric(table["wave"], errors="coerce")
    limit = year.start_year + 1 if before_wave is None else before_wave - 1
    eligible = waves[waves <= limit]
    if eligible.empty:
        raise NotComputable(f"no residents' survey wave in {limit} or earlier")
    return table[waves == eligible.max()]


def _weighted_share(mask: pd.Series, weights: pd.Series, wave: int) -> Computed:
    w = weights.astype("float64")
    if w.sum() <= 0:
        raise NotComputable("no survey answers")
    share = float((w * mask).sum() / w.sum())
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    note = f"survey wave {wave}, weighted; effective sample size {n_eff:.0f}"
    return Computed(share * 100, share * n_eff, n_eff, note, period=f"wave {wave}")


def survey_percent(
    src: DataSource,
    year: FinancialYear,
    question: str,
    answers: list[str],
    before_wave: int | None = None,
) -> Computed:
    """Weighted % of those answering (not "Don't know") who gave one of ``answers``."""
    rows = _wave(src, year, before_wave)
    wave = int(pd.to_numeric(rows["wave"]).max())
    answer = rows[question].astype("string").str.strip()
    valid = answer.notna() & (answer != "") & (answer != "Don't know")
    rows, answer = rows[valid], answer[valid]
    return _weighted_share(answer.isin(answers).astype(float), rows["weight"], wave)


ASB_STRANDS = (
    "asb_noisy_neighbours", "asb_teenagers_hanging_around", "asb_rubbish_litter",
    "asb_vandalism_graffiti", "asb_drug_use_dealing", "asb_drunk_rowdy", "asb_abandoned_vehicles",
)  # fmt: skip
ASB_SCORES = {
    "Very big problem": 3, "Fairly big problem": 2, "Not a very big problem": 1, "Not a problem at all": 0,
}  # fmt: skip


def survey_asb_high(
    src: DataSource, year: FinancialYear, before_wave: int | None = None
) -> Computed:
    """NI 17: score each of seven strands 0-3; a total above 11 of 21 is a high level."""
    rows = _wave(src, year, before_wave)
    wave = int(pd.to_numeric(rows["wave"]).max())
    scores = pd.DataFrame({s: rows[s].astype("string").map(ASB_SCORES) for s in ASB_STRANDS})
    complete = scores.notna().all(axis=1)
    total = scores[complete].astype(float).sum(axis=1)
    return _weighted_share((total > 11).astype(float), rows.loc[complete, "weight"], wave)


def road_casualties_count(
    src: DataSource, year: FinancialYear, age_group: str | None = None
) -> Computed:
    table = _area(src.read("road_casualties"), src, "road_casualties")
    # STATS19 is by calendar year: the financial year's figure is its starting calendar year's
    rows = table[pd.to_numeric(table["year"]) == year.start_year]
    rows = rows[rows["severity"].astype(str).isin(["fatal", "serious"])]
    if age_group:
        rows = rows[rows["age_group"].astype(str) == age_group]
    if rows.empty and not (pd.to_numeric(table["year"]) == year.start_year).any():
        raise NotComputable(f"road_casualties has no rows for {year.start_year}")
    n = float(rows["casualties"].sum())
    return Computed(
        n, n, None, f"calendar year {year.start_year}", period=f"calendar year {year.start_year}"
    )


#: computations whose data come in waves: the baseline is the wave before the actual's
WAVE_COMPUTATIONS = {"survey_percent", "survey_asb_high"}
#: computations on the latest complete re-offending cohort: the baseline is the cohort
#: before the actual's
COHORT_COMPUTATIONS = {"reoffending_rate", "reoffending_frequency"}


def before_period(function: str, period: str) -> dict:
    """The parameter that asks ``function`` for the wave or cohort before ``period``
    (``"wave 2025"``, ``"cohort 2023/24"``)."""
    last = period.split()[-1]
    if function in WAVE_COMPUTATIONS:
        return {"before_wave": int(last)}
    return {"before_cohort": last}


COMPUTATIONS: dict[str, Callable[..., Computed]] = {
    f.__name__: f
    for f in (
        police_crime_count, police_crime_rate, incident_flag_count, incident_flag_rate,
        incident_offence_count, incident_offence_rate,
        young_victims_count, asb_incident_rate, fire_rate, fire_casualty_rate, reoffending_rate,
        reoffending_frequency, first_time_entrants_count, first_time_entrants_rate,
        alcohol_admissions_dsr, treatment_effective_count, treatment_completion_percent,
        probation_percent, survey_percent, survey_asb_high, road_casualties_count,
    )
}  # fmt: skip


def compute(
    spec: dict,
    src: DataSource,
    year: FinancialYear,
    compared_with: FinancialYear | None = None,
) -> Computed:
    """Run the catalogue's ``computation`` spec for one year.

    ``compared_with``: the year the value will be compared with; monthly tables then count
    only the calendar months both years hold (``coverage``), named in ``months_note``.
    """
    params = {k: v for k, v in spec.items() if k != "function"}
    function = COMPUTATIONS[spec["function"]]
    src.compared_with, src.months_notes = compared_with, []
    try:
        result = function(src, year, **params)
    except NotComputable:
        raise
    except (KeyError, ValueError, TypeError) as exc:
        raise NotComputable(f"{spec['function']} could not use the data ({exc})") from None
    finally:
        src.compared_with = None
    if src.months_notes:
        result = replace(result, months_note=" ".join(src.months_notes))
    if result.value is None or not np.isfinite(result.value):
        raise NotComputable(f"{spec['function']} gave no value for {year.label}")
    return result
