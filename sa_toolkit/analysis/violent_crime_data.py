"""Violent crime (priority 1): the measures, the data read once, and the selections.

The first of the violent crime modules (:mod:`sa_toolkit.analysis.violent_crime` names them
all): the other calculations (``violent_crime_trends``, ``_places``, ``_people``,
``_findings``, ``_tables``) and the report's sections (``violent_crime_report``) work on
the :class:`ViolentCrimeData` that :func:`load` returns.

The measures (violence against the person, serious violence, robbery, knife and gun
crime, domestic abuse, sexual offences) are defined in
``sa_toolkit/data/violent_crime_measures.csv`` as a column of the partner
``crime_incidents`` extract and the values that select a crime (an offence group, offence
descriptions, or a flag). :func:`load` reads each table once, for the partnership's LSOAs
and the months the report needs; every other function works on what it returns and gives
frames, numbers and sentences for the notebook to show.

Examples
--------
>>> data = load(cfg)                                   # doctest: +SKIP
>>> summary = year_summary(data)                       # doctest: +SKIP
>>> key_findings(data, summary, framework_rows(data))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sa_toolkit.coverage import Coverage, YearComparison, compare_years
from sa_toolkit.errors import ArgumentError
from sa_toolkit.paths import PACKAGE_DATA_DIR
from sa_toolkit.periods import FinancialYear

#: the crimes a hotspot, time or age analysis looks at
FOCUS = "violence_against_the_person"
#: Friday and Saturday nights, the night-time economy's peak (a window belongs to the day it starts)
NIGHT_TIME_ECONOMY = {"window": ("22:00", "03:00"), "weekdays": ["Friday", "Saturday"]}
#: age bands for victims and suspects, on the population table's five-year bands
AGE_BANDS = ((0, 14), (15, 19), (20, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200))
INCIDENT_COLUMNS = [
    "month", "recorded_date", "offence_start", "offence_end", "offence_group", "offence_code",
    "offence_description", "lsoa_code", "longitude", "latitude", "domestic_abuse",
    "alcohol_related", "knife_or_sharp_instrument", "firearm", "serious_youth_violence",
    "victim_id", "victim_age", "suspect_age",
]  # fmt: skip
POLICE_COLUMNS = ["month", "lsoa_code", "longitude", "latitude", "crime_type"]
MSG_GROUP = "Violence and sexual offences"
SOURCE_INCIDENTS = "partnership crime incidents extract (police recorded crime)"
SOURCE_POLICE = "data.police.uk street-level crime (open data)"
#: the focus of hotspot analyses when only the open police data are there
POLICE_FOCUS = "violence_and_sexual_offences"
#: what the open police data cannot show (the crime incident extract's flags, times and ages)
NEEDS_INCIDENTS = (
    "serious violence, knife and gun crime, domestic abuse, and violence against the person "
    "apart from sexual offences"
)


def load_measures(source: str = "incidents") -> pd.DataFrame:
    """The measure definitions: ``sa_toolkit/data/violent_crime_measures.csv`` (the crime
    incident extract), or with ``source="police"`` ``violent_crime_police_measures.csv``
    (data.police.uk crime types, used when no incident extract was supplied)."""
    name = (
        "violent_crime_police_measures.csv" if source == "police" else "violent_crime_measures.csv"
    )
    path = PACKAGE_DATA_DIR / name
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return table.set_index("measure", drop=False)


@dataclass
class ViolentCrimeData:
    """Everything the report needs, read once.

    Attributes
    ----------
    year : FinancialYear
        The assessed year; ``year.previous()`` is the comparison year.
    incidents : DataFrame
        Crime incidents in the partnership's LSOAs from ``months[0]`` to the year's end.
    areas : DataFrame
        ``lsoa_code, lsoa_name, ward_code, ward_name`` of the partnership's LSOAs.
    population : DataFrame
        ``year, lsoa_code, age_min, population`` (the partnership's LSOAs).
    msg : DataFrame
        MSG recorded crime for :data:`MSG_GROUP` (members of the Most Similar Group).
    unlocated : int
        Incidents in the period without an LSOA (cannot be placed in the partnership).
    """

    year: FinancialYear
    incidents: pd.DataFrame
    areas: pd.DataFrame
    population: pd.DataFrame
    msg: pd.DataFrame
    months: pd.PeriodIndex
    area_name: str = "the partnership"
    area_code: str = ""
    threshold: int = 5
    unlocated: int = 0
    measures: pd.DataFrame = field(default_factory=load_measures)
    cfg: object = None
    #: ``"incidents"`` (the partner crime incident extract) or ``"police"`` (data.police.uk
    #: street-level crime, when no incident extract was supplied)
    source: str = "incidents"
    #: MSG table supplied (False: no peer comparison can be made)
    msg_supplied: bool = True
    #: False when the data hold nothing for ``year.previous()`` (the assessed year is the
    #: first of the data), or too few of the same months (``coverage``): changes on last
    #: year are then "not available"
    has_comparison: bool = True
    #: the like-for-like comparison of the source's months (None: every month held)
    compare: YearComparison | None = None

    @property
    def months_note(self) -> str:
        """What the year's figures count when months are missing (``""`` when none)."""
        return self.compare.note() if self.compare is not None else ""

    def caveats(self, short: bool = False) -> list[str]:
        """Series breaks and events (COVID-19 restrictions, counting rule changes) that the
        comparison with last year spans, for the measures' indicators (``short``: the
        one-line notes for a headline)."""
        from sa_toolkit.indicators.catalogue import (
            comparison_caveats,
            comparison_flags,
            load_series_breaks,
        )

        if not self.has_comparison:
            return []
        ids = [str(i) for i in self.measures["indicator_id"] if str(i).strip()]
        if self.source == "police":  # the open data's category is this indicator's
            ids.append("violence_and_sexual_offences_rate")
        ids = ids or ["*"]
        breaks = load_series_breaks(raw_dir=getattr(self.cfg, "raw_dir", None))
        text = comparison_flags if short else comparison_caveats
        return text(ids, self.year.previous(), self.year, breaks)

    def year_rows(self, year: FinancialYear) -> pd.DataFrame:
        """Incidents counted for the assessed or the comparison year: the months both hold
        (like for like, :mod:`sa_toolkit.coverage`); another year: all its months."""
        cmp = self.compare
        if cmp is not None and year in (cmp.year, cmp.previous):
            months = cmp.this_months if year == cmp.year else cmp.last_months
            return self.incidents[self.incidents["month"].isin(months)]
        return in_year(self.incidents, year)

    @property
    def comparison(self) -> FinancialYear | None:
        """The year compared with, None when the data hold nothing for it."""
        return self.year.previous() if self.has_comparison else None

    @property
    def focus(self) -> str:
        """The measure hotspot, time and age analyses look at."""
        return FOCUS if self.source == "incidents" else POLICE_FOCUS

    @property
    def focus_label(self) -> str:
        return str(self.measures.loc[self.focus, "label"])

    @property
    def source_note(self) -> str:
        return SOURCE_INCIDENTS if self.source == "incidents" else SOURCE_POLICE

    @property
    def period(self) -> str:
        return f"{self.months[0].strftime('%B %Y')} to {self.months[-1].strftime('%B %Y')}"


def load(cfg, threshold: int | None = None) -> ViolentCrimeData:
    """Read the incidents, lookup, population and MSG tables for the report (once each)."""
    from sa_toolkit.analysis.priority_common import table_supplied
    from sa_toolkit.tables import partnership_lsoas, read_table, table_months

    lsoas = partnership_lsoas(cfg)
    first = min(cfg.baseline_year, cfg.year.previous()).first_month
    source = "incidents" if table_supplied("crime_incidents", cfg.processed_dir) else "police"
    table = "crime_incidents" if source == "incidents" else "police_street"
    held = table_months(table, cfg.processed_dir)
    compare = compare_years(Coverage.of(table, held), cfg.year)
    if held:
        # months before the data begin are not shown as months without crime
        first = max(first, min(held[0], cfg.year.first_month))
    months = pd.period_range(first, cfg.year.last_month, freq="M")
    incidents = read_table(
        "crime_incidents" if source == "incidents" else "police_street",
        cfg.processed_dir,
        columns=INCIDENT_COLUMNS if source == "incidents" else POLICE_COLUMNS,
        filters=[
            ("month", ">=", first.start_time.date()),
            ("month", "<=", cfg.year.last_month.start_time.date()),
        ],
    )
    located = incidents["lsoa_code"].notna()
    local = incidents[incidents["lsoa_code"].astype(str).isin(lsoas)].reset_index(drop=True)
    areas = read_table(
        "lookup",
        cfg.processed_dir,
        columns=["lsoa_code", "lsoa_name", "ward_code", "ward_name", "place_level"],
        filters=[("lsoa_code", "in", lsoas)],
    )
    population = read_table(
        "population",
        cfg.processed_dir,
        columns=["year", "lsoa_code", "age_min", "population"],
        # every mid-year: population_by_lsoa takes the year's own, else the latest earlier,
        # else the earliest (a year before the first estimate published, e.g. Census 2021)
        filters=[("lsoa_code", "in", lsoas)],
    )
    msg_columns = ["area_code", "area_name", "area_type", "financial_year", "offence_group"]
    msg_columns += ["offences", "population"]
    msg_supplied = table_supplied("msg_crime", cfg.processed_dir)
    msg = (
        read_table(
            "msg_crime",
            cfg.processed_dir,
            columns=msg_columns,
            filters=[("offence_group", "==", MSG_GROUP)],
        )
        if msg_supplied
        else pd.DataFrame(columns=msg_columns)
    )
    return ViolentCrimeData(
        year=cfg.year,
        incidents=local,
        areas=areas,
        population=population,
        msg=msg,
        months=months,
        area_name=cfg.partnership_short_name or cfg.partnership_code,
        area_code=cfg.partnership_code,
        threshold=int(threshold if threshold is not None else cfg.suppression_threshold),
        unlocated=int((~located).sum()),
        measures=load_measures(source),
        cfg=cfg,
        source=source,
        msg_supplied=msg_supplied,
        has_comparison=compare.compared and compare.has_previous,
        compare=compare,
    )


# ----------------------------------------------------------------------------- selections


def measure_mask(incidents: pd.DataFrame, definition: pd.Series) -> pd.Series:
    """True for the incidents a measure counts."""
    column = definition["column"]
    if column not in incidents.columns:
        raise ArgumentError(
            f"violent crime measure '{definition['measure']}' needs column '{column}' "
            "in crime_incidents"
        )
    values = [v.strip() for v in str(definition["values"]).split(";") if v.strip()]
    if values == ["True"]:
        return incidents[column].astype("boolean").fillna(False).astype(bool)
    return incidents[column].astype(str).isin(values)


def in_year(incidents: pd.DataFrame, year: FinancialYear) -> pd.DataFrame:
    months = incidents["month"]
    return incidents[(months >= year.first_month) & (months <= year.last_month)]


def focus_incidents(data: ViolentCrimeData, year: FinancialYear | None = None) -> pd.DataFrame:
    """Violence against the person (:data:`FOCUS`; with the police data only, violence and
    sexual offences) in the assessed year (or ``year``)."""
    rows = data.year_rows(year or data.year)
    return rows[measure_mask(rows, data.measures.loc[data.focus])]


def population_by_lsoa(data: ViolentCrimeData, year: FinancialYear) -> tuple[pd.Series, int]:
    """Population per LSOA at mid-year ``year.start_year`` and the mid-year used (the nearest
    estimate when the year has none: :func:`sa_toolkit.periods.nearest_mid_year`)."""
    from sa_toolkit.periods import nearest_mid_year

    used, _ = nearest_mid_year(data.population["year"].unique(), year)
    if used is None:
        raise ArgumentError("the population table holds no estimate for the partnership")
    rows = data.population[data.population["year"] == used]
    by_lsoa = rows.groupby(rows["lsoa_code"].astype(str))["population"].sum()
    return by_lsoa.astype(float), used
