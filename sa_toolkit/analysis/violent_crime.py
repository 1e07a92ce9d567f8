"""Violent crime (priority 1): the calculations behind ``notebooks/01_violent_crime``.

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

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.coverage import Coverage, YearComparison, compare_years, with_gaps
from sa_toolkit.disclosure import is_small, safe_count, share_is_disclosive
from sa_toolkit.errors import ArgumentError
from sa_toolkit.geography import place_level
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


# ----------------------------------------------------------------------------- trends


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


# ----------------------------------------------------------------------------- peers


def peer_funnel(data: ViolentCrimeData) -> dict:
    """The Most Similar Group comparison of violence and sexual offences per 1,000.

    Returns a dict with ``points`` (label, denominator, value), ``limits`` (funnel),
    ``average`` and ``own`` (the partnership's row of ``peer_comparison``), or ``None``
    values when the MSG table has no row for the year.
    """
    from sa_toolkit.indicators import funnel_limits, peer_comparison

    members = list(getattr(data.cfg, "msg_members", ()) or [])
    msg = data.msg[data.msg["financial_year"].astype(str) == data.year.label]
    msg = msg[msg["area_type"].astype(str) == "csp"]
    if members:
        msg = msg[msg["area_code"].astype(str).isin(members)]
    msg = msg.assign(area_code=msg["area_code"].astype(str), area_name=msg["area_name"].astype(str))
    if msg.empty or data.area_code not in set(msg["area_code"]):
        return {"points": None, "limits": None, "average": None, "own": None}
    compared = peer_comparison(
        msg.reset_index(drop=True),
        "area_code",
        "lower_is_better",
        count="offences",
        denominator="population",
        per=1000,
    )
    average = float(compared["peer_average"].iloc[0])
    lo, hi = compared["population"].min(), compared["population"].max()
    grid = np.linspace(lo * 0.8, hi * 1.1, 80)
    limits = funnel_limits(grid, average, per=1000).rename(
        columns={"population": "denominator", "lower_99_8": "lower_998", "upper_99_8": "upper_998"}
    )
    points = pd.DataFrame(
        {
            "label": np.where(
                compared["area_code"] == data.area_code, data.area_name, compared["area_name"]
            ),
            "denominator": compared["population"].astype(float),
            "value": compared["value"],
        }
    )
    own = compared[compared["area_code"] == data.area_code].iloc[0]
    return {"points": points, "limits": limits, "average": average, "own": own}


def peer_sentence(data: ViolentCrimeData, peers: dict) -> str | None:
    own = peers["own"]
    if own is None:
        return None
    text = findings.rank_sentence(
        data.area_name,
        int(own["rank"]),
        int(own["members"]),
        subject=f"violence and sexual offences in {data.year.label}",
    ).rstrip(".")
    position = {"above": "above", "below": "below", "equal": "equal to"}[own["above_below"]]
    verdict = {
        "similar": "not significantly different",
        "worse": "significantly worse",
        "better": "significantly better",
    }[own["comparison"]]
    return (
        f"{text}: {findings.format_number(own['value'], 1)} offences per 1,000 residents, "
        f"{position} the peer average of {findings.format_number(peers['average'], 1)} "
        f"({verdict})."
    )


# ----------------------------------------------------------------------------- places


def place_table(data: ViolentCrimeData, level: str = "lsoa", year: FinancialYear | None = None):
    """Violence against the person by LSOA or ward: count, share, rate per 1,000 with interval.

    Every place of the partnership appears (0 when it had none).
    """
    from sa_toolkit.indicators import rate

    year = year or data.year
    if level not in ("lsoa", "ward"):
        raise ArgumentError(f"place_table: level must be 'lsoa' or 'ward', not {level!r}")
    rows = focus_incidents(data, year)
    counts = rows.groupby(rows["lsoa_code"].astype(str)).size()
    pop, _ = population_by_lsoa(data, year)
    areas = data.areas.assign(
        lsoa_code=data.areas["lsoa_code"].astype(str),
        lsoa_name=data.areas["lsoa_name"].astype(str),
        ward_name=data.areas["ward_name"].astype(str),
    )
    areas = areas.assign(
        offences=areas["lsoa_code"].map(counts).fillna(0).astype(int),
        population=areas["lsoa_code"].map(pop).fillna(0.0),
    )
    if level == "ward":
        table = areas.groupby("ward_name", as_index=False)[["offences", "population"]].sum()
        table = table.rename(columns={"ward_name": "place"})
    else:
        table = areas[["lsoa_name", "ward_name", "offences", "population"]].rename(
            columns={"lsoa_name": "place", "ward_name": "ward"}
        )
    table = table[table["population"] > 0].reset_index(drop=True)
    total = table["offences"].sum()
    table["share"] = table["offences"] / total * 100 if total else 0.0
    rated = rate(table, "offences", "population", per=1000)
    for column in ("value", "lower", "upper"):
        table[column] = rated[column]
    return table.rename(columns={"value": "rate"})


def top_places(table: pd.DataFrame, by: str = "offences", n: int = 10, min_count: int = 10):
    """The ``n`` places with most offences (``by="offences"``) or the highest rate.

    Rates rank only places with at least ``min_count`` offences: a rate on a handful of
    offences in a small population is too unstable to rank.
    """
    if by == "rate":
        table = table[table["offences"] >= min_count]
    return table.sort_values([by, "offences"], ascending=False).head(n).reset_index(drop=True)


def concentration_summary(data: ViolentCrimeData) -> pd.DataFrame:
    """Share of violence in the top 1/5/10% of LSOAs and the Gini coefficient."""
    from sa_toolkit.indicators import concentration

    rows = focus_incidents(data)
    all_lsoas = data.areas["lsoa_code"].astype(str).tolist()
    return concentration(
        pd.DataFrame({"lsoa": rows["lsoa_code"].astype(str)}), "lsoa", all_areas=all_lsoas
    )


def concentration_sentence(data: ViolentCrimeData, conc: pd.DataFrame, wards: pd.DataFrame):
    top5 = conc[conc["measure"] == "share in top 5% of areas"].iloc[0]
    text = (
        f"The {int(top5['areas_in_top'])} LSOAs with most {data.focus_label.lower()} "
        f"(the top 5% of {int(top5['areas'])}) held {findings.format_percent(top5['value'] * 100)} "
        f"of it in {data.year.label}"
    )
    if not wards.empty and wards["offences"].sum() > 0:
        top = wards.sort_values("offences", ascending=False).iloc[0]
        share = (
            ""  # the share of a small count gives it away
            if is_small([top["offences"]], data.threshold)[0]
            else f", {findings.format_percent(top['share'])}"
        )
        text += (
            f"; {place_level(data.areas).named(top['place'])} had the most "
            f"({safe_count(top['offences'], data.threshold)} offences{share})"
        )
    return text + "."


# ----------------------------------------------------------------------------- times


def temporal(data: ViolentCrimeData) -> dict:
    """Hour x weekday profile of violence (aoristic where start and end differ).

    Returns ``table`` (weekday x hour offences), ``night_share`` (the share on Friday and
    Saturday nights, :data:`NIGHT_TIME_ECONOMY`), ``night_hours_share`` (that window's
    share of the week's hours) and ``peak`` (weekday, hour) of the busiest hour.
    """
    from sa_toolkit.indicators import temporal_profile, window_share

    if data.source != "incidents":  # the open data have no times
        return {"table": None, "night_share": None, "night_hours_share": None, "peak": None}
    rows = focus_incidents(data)
    if rows.empty:
        return {"table": None, "night_share": None, "night_hours_share": None, "peak": None}
    rows = rows.reset_index(drop=True)
    profile = temporal_profile(rows, "offence_start", "offence_end")
    table = profile.pivot_table(
        index="weekday", columns="hour", values="offences", observed=False, aggfunc="sum"
    )
    window = window_share(rows, "offence_start", end="offence_end", **NIGHT_TIME_ECONOMY)
    first, last = (int(t[:2]) for t in NIGHT_TIME_ECONOMY["window"])
    hours = (last - first) % 24 * len(NIGHT_TIME_ECONOMY["weekdays"])
    peak = profile.loc[profile["offences"].idxmax()]
    return {
        "table": table,
        "night_share": float(window["value"].iloc[0]),
        "night_hours_share": hours / 168,
        "peak": (str(peak["weekday"]), int(peak["hour"])),
    }


def night_sentence(times: dict) -> str | None:
    if times["night_share"] is None:
        return None
    days = " and ".join(NIGHT_TIME_ECONOMY["weekdays"])
    start, end = NIGHT_TIME_ECONOMY["window"]
    return (
        f"{days} nights ({start} to {end}) saw {findings.format_percent(times['night_share'] * 100)} "
        f"of violence against the person, in {findings.format_percent(times['night_hours_share'] * 100)} "
        f"of the week's hours; the busiest hour was {times['peak'][0]} "
        f"{times['peak'][1]:02d}:00 to {(times['peak'][1] + 1) % 24:02d}:00."
    )


# ----------------------------------------------------------------------------- people


def band_label(low: int, high: int) -> str:
    return f"{low}+" if high >= 200 else f"{low}-{high}"


def age_bands(ages: pd.Series) -> pd.Series:
    """Band ages into :data:`AGE_BANDS` (missing ages stay missing)."""
    edges = [low for low, _ in AGE_BANDS] + [1000]
    labels = [band_label(low, high) for low, high in AGE_BANDS]
    return pd.cut(pd.to_numeric(ages, errors="coerce"), edges, right=False, labels=labels)


POPULATION_AGES_NEEDED = (
    "The ages of victims and suspects cannot be compared with the residents' ages: the population "
    "estimates supplied are totals only. Add the ONS small area population estimates by single "
    "year of age to the population folder."
)


def age_profiles(data: ViolentCrimeData) -> dict:
    """Victims' and suspects' ages against the population's, with over-representation.

    Returns ``shares`` (index: band; columns Victims, Suspects, Population as fractions)
    and ``ratios`` (band, group, count, count_share, population_share, value, lower,
    upper: the over-representation ratio with its Wilson interval); ``None`` when no
    age is known.
    """
    from sa_toolkit.indicators import over_representation

    if data.source != "incidents":  # the open data have no ages
        return {"shares": None, "ratios": None}
    rows = focus_incidents(data)
    pop_rows = data.population[data.population["year"] == population_by_lsoa(data, data.year)[1]]
    pop = pop_rows.groupby(age_bands(pop_rows["age_min"]), observed=False)["population"].sum()
    if pop.sum() == 0 and pop_rows["population"].sum() > 0:
        # population totals without ages: nothing to compare the ages with
        return {"shares": None, "ratios": None, "missing": POPULATION_AGES_NEEDED}
    shares = {}
    ratios = []
    for group, column in (("Victims", "victim_age"), ("Suspects", "suspect_age")):
        counts = rows.groupby(age_bands(rows[column]), observed=False).size().reindex(pop.index)
        counts = counts.fillna(0).astype(int)
        if counts.sum() == 0:
            continue
        shares[group] = counts / counts.sum()
        frame = pd.DataFrame(
            {
                "band": pop.index.astype(str),
                "count": counts.to_numpy(),
                "population": pop.to_numpy(),
            }
        )
        # a band with no residents (a tiny area) has no share to compare with
        frame = frame[frame["population"] > 0].reset_index(drop=True)
        if frame["count"].sum() == 0:
            continue
        result = over_representation(frame, "band", "count", "population")
        ratios.append(result.assign(group=group))
    if not shares:
        return {"shares": None, "ratios": None}
    shares["Population"] = pop / pop.sum()
    table = pd.DataFrame(shares)
    table.index = table.index.astype(str)
    return {"shares": table, "ratios": pd.concat(ratios, ignore_index=True)}


def most_over_represented(ratios: pd.DataFrame, group: str) -> pd.Series | None:
    """The band whose share of the group most exceeds its population share (interval above 1)."""
    rows = ratios[(ratios["group"] == group) & (ratios["lower"] > 1)]
    return None if rows.empty else rows.sort_values("value", ascending=False).iloc[0]


def age_sentence(ratios: pd.DataFrame | None) -> str | None:
    if ratios is None:
        return None
    parts = []
    for group in ("Victims", "Suspects"):
        top = most_over_represented(ratios, group)
        if top is not None:
            parts.append(
                f"{group.lower()} aged {top['band']} were {findings.format_number(top['value'], 1)} "
                f"times their share of residents ({findings.format_percent(top['count_share'] * 100)} "
                f"against {findings.format_percent(top['population_share'] * 100)})"
            )
    if not parts:
        return "No age group of victims or suspects was significantly over-represented."
    return findings._sentence("; ".join(parts))


def shares_and_repeats(data: ViolentCrimeData) -> pd.DataFrame:
    """Domestic-abuse and alcohol-related shares of violence (this year and last), and
    repeat victimisation of domestic abuse, each with its interval.

    Returns one row per measure: ``measure, numerator, denominator, value, lower, upper``
    (percent), ``previous`` (last year's %), ``change`` (pp), ``p_value, significant``
    and ``unlinked`` (repeat victimisation: incidents without a victim id).
    """
    from sa_toolkit.indicators import proportion, proportion_change, repeat_victimisation

    if data.source != "incidents":  # the open data have no flags or victim ids
        return pd.DataFrame(columns=["measure", "numerator", "denominator", "value"])
    previous = data.year.previous()
    rows = []
    for label, flag in (
        ("Domestic abuse", "domestic_abuse"),
        ("Alcohol-related", "alcohol_related"),
    ):
        now, before = focus_incidents(data), focus_incidents(data, previous)
        x1 = int(now[flag].astype("boolean").fillna(False).sum())
        x0 = int(before[flag].astype("boolean").fillna(False).sum())
        rows.append(
            {
                "measure": f"{label} share of violence against the person",
                "numerator": x1, "denominator": len(now), "x0": x0, "n0": len(before),
            }
        )  # fmt: skip
    frame = pd.DataFrame(rows)
    frame = frame[(frame["denominator"] > 0) & (frame["n0"] > 0)].reset_index(drop=True)
    out = []
    if not data.has_comparison:
        # no comparison year in the data: this year's shares only, changes not available
        frame = pd.DataFrame(rows)
        frame = frame[frame["denominator"] > 0].reset_index(drop=True)
        if not frame.empty:
            shares = proportion(frame, "numerator", "denominator", multiplier=100)
            shares["previous"] = shares["change"] = shares["p_value"] = np.nan
            shares["significant"] = False
            shares["unlinked"] = np.nan
            out.append(shares.drop(columns=["x0", "n0"]))
    elif not frame.empty:
        shares = proportion(frame, "numerator", "denominator", multiplier=100)
        level = float(getattr(data.cfg, "significance_level", 0.05))
        changes = proportion_change(
            frame, "x0", "n0", "numerator", "denominator", confidence=1 - level
        )
        shares["previous"] = frame["x0"] / frame["n0"] * 100
        shares["change"] = changes["value"]
        shares["p_value"] = changes["p_value"]
        shares["significant"] = changes["significant"]
        shares["unlinked"] = np.nan
        out.append(shares.drop(columns=["x0", "n0"]))
    abuse = data.year_rows(data.year)
    abuse = abuse[abuse["domestic_abuse"].astype("boolean").fillna(False)].reset_index(drop=True)
    if abuse["victim_id"].astype("string").str.strip().replace("", pd.NA).notna().any():
        repeats = repeat_victimisation(
            abuse, "victim_id", "recorded_date", data.year.start, months=12
        )
        out.append(
            pd.DataFrame(
                {
                    "measure": ["Domestic abuse victims with 2+ crimes in the year"],
                    "numerator": repeats["repeat_victims"],
                    "denominator": repeats["victims"],
                    "value": repeats["value"] * 100,
                    "lower": repeats["lower"] * 100,
                    "upper": repeats["upper"] * 100,
                    "confidence": repeats["confidence"],
                    "method": repeats["method"],
                    "unlinked": repeats["unlinked_incidents"],
                }
            )
        )
    if not out:
        return pd.DataFrame(columns=["measure", "numerator", "denominator", "value"])
    return pd.concat(out, ignore_index=True).set_index("measure", drop=False)


def domestic_abuse_sentence(people: pd.DataFrame, threshold: int = 0) -> str | None:
    share_key = "Domestic abuse share of violence against the person"
    repeat_key = "Domestic abuse victims with 2+ crimes in the year"
    if share_key not in people.index:
        return None
    share = people.loc[share_key]
    text = findings.share_sentence(
        "Domestic abuse",
        share["numerator"],
        "violence against the person",
        share["denominator"],
        threshold=threshold,
    ).rstrip(".")
    if repeat_key in people.index:
        rep = people.loc[repeat_key]
        if share_is_disclosive(rep["numerator"], rep["denominator"], threshold):
            return text + (
                f"; {safe_count(rep['numerator'], threshold)} of its identified victims were "
                "victims more than once in the year."
            )
        text += (
            f"; {findings.format_percent(rep['value'])} of its identified victims "
            f"({findings.format_number(rep['numerator'])} of {findings.format_number(rep['denominator'])}) "
            "were victims more than once in the year"
        )
    return text + "."


# ----------------------------------------------------------------------------- framework


def framework_rows(data: ViolentCrimeData) -> pd.DataFrame:
    """The performance framework's rows for the violent crime priority (computed from data).

    Uses :func:`sa_toolkit.framework.build_framework` on the violent crime part of the
    catalogue; the incidents already read serve the framework's reads of
    ``crime_incidents`` (same rows), so the table is not read twice.
    """
    from sa_toolkit.framework import build_framework
    from sa_toolkit.indicators.catalogue import load_catalogue
    from sa_toolkit.indicators.computations import DataSource
    from sa_toolkit.tables import read_table

    cfg = data.cfg
    if data.year == cfg.year:
        from sa_toolkit.analysis import priority_framework as pf
        from sa_toolkit.measures import wait_for_run_measures

        wait_for_run_measures()
        if pf.shared_framework(cfg) is not None:
            # under sa run: the run's rows, computed once for every report (sa_toolkit.measures)
            return pf.priority_framework(cfg, "violent_crime", enter_missing=False)
    catalogue = load_catalogue()
    catalogue = catalogue[catalogue["priority"] == "violent_crime"]

    def reader(name, processed_dir, columns=None):
        if name == "crime_incidents" and data.source == "incidents":
            frame = data.incidents
            return frame if columns is None else frame[list(columns)]
        return read_table(name, processed_dir, columns=columns)

    from sa_toolkit.indicators.catalogue import load_series_breaks
    from sa_toolkit.targets import load_targets

    source = DataSource.from_config(cfg)
    source.reader = reader
    return build_framework(
        year=data.year,
        catalogue=catalogue,
        data=source,
        # the package's breaks and the partnership's own, as the run's framework
        series_breaks=load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None)),
        tolerance=cfg.amber_tolerance,
        significance_level=cfg.significance_level,
        targets=load_targets(cfg),
    )


def framework_display(rows: pd.DataFrame) -> pd.DataFrame:
    """The framework rows as a report table: values, change, traffic light and reason."""
    from sa_toolkit.framework import format_target

    def number(value, unit):
        if isinstance(value, str) or value is None or pd.isna(value):
            return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        from sa_toolkit.measures import format_value

        return format_value(value, unit)  # the one precision of every report

    out = pd.DataFrame(
        {
            "Indicator": rows["name"].astype(str),
            "Baseline": [number(v, u) for v, u in zip(rows["baseline"], rows["unit"], strict=True)],
            "Actual": [number(v, u) for v, u in zip(rows["actual"], rows["unit"], strict=True)],
            "Change": [
                "" if pd.isna(c) else f"{c:+.1f}{' pp' if cu == 'pp' else '%'}"
                for c, cu in zip(rows["change"], rows["change_unit"], strict=True)
            ],
            "Target": [
                format_target(t, tt, u)
                for t, tt, u in zip(rows["target"], rows["target_type"], rows["unit"], strict=True)
            ],
            "Significant": rows["significant"].astype(str),
            "Traffic light": rows["rag"].replace("", None),
            "Assessment": rows["rag_label"].astype(str),
        }
    )
    return out


# ----------------------------------------------------------------------------- findings


def _target_row(frame_rows: pd.DataFrame, indicator_id: str) -> pd.Series | None:
    if not indicator_id or frame_rows is None or frame_rows.empty:
        return None
    rows = frame_rows[frame_rows["indicator_id"] == indicator_id]
    return None if rows.empty else rows.iloc[0]


def measure_sentence(
    row: pd.Series, framework: pd.DataFrame | None = None, subject=None, threshold: int = 0
) -> str:
    """The change of one measure in counts, against its framework target where it has one."""
    target_row = _target_row(framework, row["indicator_id"])
    target = None
    if target_row is not None and target_row["target_type"] == "relative_change":
        target = target_row["target"]
        target = None if target is None or pd.isna(target) else float(target)
    return findings.change_sentence(
        subject or row["label"],
        row["previous"],
        row["actual"],
        target=target,
        significant=bool(row["significant"]),
        lower_is_better=row["polarity"] != "higher_is_better",
        threshold=threshold,
    )


def level_sentence(row: pd.Series, data: ViolentCrimeData, note: bool = True) -> str:
    """The measure's count and rate in the assessed year, for a year without a comparison:
    "In 2020/21, 412 offences of violence against the person were recorded (3.2 per 1,000
    residents). Change on 2019/20 not available: no data for 2019/20." (suppressed below
    the threshold)."""
    from sa_toolkit.analysis.priority_common import not_available_text
    from sa_toolkit.disclosure import is_small

    count = row["actual"]
    if is_small([count], data.threshold)[0]:
        text = f"In {data.year.label}, fewer than {data.threshold} offences of {row['label'].lower()} were recorded."
    else:
        text = (
            f"In {data.year.label}, {findings.format_number(count)} offences of "
            f"{row['label'].lower()} were recorded "
            f"({findings.format_number(row['value'], 1)} per 1,000 residents)."
        )
    if note:
        previous = data.year.previous().label
        text += " " + not_available_text(f"Change on {previous}", previous)
    return text


def key_findings(
    data: ViolentCrimeData,
    summary: pd.DataFrame,
    framework: pd.DataFrame | None,
    *,
    peers: dict | None = None,
    conc: pd.DataFrame | None = None,
    wards: pd.DataFrame | None = None,
    times: dict | None = None,
    people: pd.DataFrame | None = None,
) -> list[str]:
    """Three to six key findings, the violence headline first."""
    previous = data.year.previous()
    if not data.has_comparison:
        out = [level_sentence(summary.loc[data.focus], data)]
        if "knife_crime" in summary.index:
            out.append(level_sentence(summary.loc["knife_crime"], data, note=False))
    else:
        out = [
            measure_sentence(
                summary.loc[data.focus],
                framework,
                subject=f"Between {previous.label} and {data.year.label}, {data.focus_label.lower()}",
                threshold=data.threshold,
            )
        ]
        if "knife_crime" in summary.index:
            out.append(
                measure_sentence(summary.loc["knife_crime"], framework, threshold=data.threshold)
            )
    worse = [
        m
        for m in summary.index
        if m not in (data.focus, "knife_crime") and direction(summary.loc[m]) == "worse"
    ]
    if worse:
        worst = max(worse, key=lambda m: summary.loc[m, "change"])
        out.append(measure_sentence(summary.loc[worst], framework, threshold=data.threshold))
    optional = [
        peer_sentence(data, peers) if peers else None,
        concentration_sentence(data, conc, wards)
        if conc is not None and wards is not None
        else None,
        domestic_abuse_sentence(people, data.threshold) if people is not None else None,
        night_sentence(times) if times else None,
    ]
    out.extend(s for s in optional if s)
    if data.months_note:  # months missing: the headline says what was compared
        out[0] = f"{out[0].rstrip()} {data.months_note}"
    flags = data.caveats(short=True)
    if flags:  # the comparison spans COVID-19 restrictions or a counting rule change
        out[0] = f"{out[0].rstrip()} {' '.join(flags)}"
    return out[:6]


def implications(
    data: ViolentCrimeData,
    summary: pd.DataFrame,
    framework: pd.DataFrame | None,
    wards: pd.DataFrame | None = None,
    times: dict | None = None,
    n_places: int = 3,
) -> dict:
    """Arguments for :func:`sa_toolkit.findings.implications`, computed.

    ``worsened``: measures whose rise is statistically significant (not domestic abuse,
    where more reporting is sought); ``missed_target``: framework rows rated amber or red
    against a target; ``places``: the wards with most violence; ``times``: the night-time
    economy window and the busiest hour.
    """
    worsened = []
    for _, row in summary.iterrows():
        if direction(row) == "worse":
            if is_small([row["previous"], row["actual"]], data.threshold).any():
                # no percentage: with the other count it would give the small one away
                worsened.append(
                    f"{row['label']} (from {safe_count(row['previous'], data.threshold)} to "
                    f"{safe_count(row['actual'], data.threshold)})"
                )
                continue
            worsened.append(
                f"{row['label']} ({findings.format_signed_percent(row['change'])}, "
                f"{findings.format_number(row['previous'])} to {findings.format_number(row['actual'])})"
            )
    missed = []
    if framework is not None and not framework.empty:
        untargeted = framework[
            (framework["target_type"] == "none")
            & (framework["significant"] == "yes")
            & (framework["rag"] == "R")
        ]
        for _, row in untargeted.iterrows():
            worsened.append(
                f"{row['name']} ({findings.format_signed_percent(row['change'])} in the "
                "performance framework)"
            )
        targeted = framework[
            (framework["target_type"] != "none") & framework["rag"].isin(["R", "A"])
        ]
        for _, row in targeted.iterrows():
            missed.append(f"{row['name']}: {row['rag_label']}")
    places = []
    if wards is not None and wards["offences"].sum() > 0:
        for _, row in wards.sort_values("offences", ascending=False).head(n_places).iterrows():
            named = place_level(data.areas).named(row["place"])
            if is_small([row["offences"]], data.threshold)[0]:
                # the share and rate of a small count give it away: neither is given
                places.append(
                    f"{named}: {safe_count(row['offences'], data.threshold)} offences of "
                    f"{data.focus_label.lower()}"
                )
                continue
            places.append(
                f"{named}: {findings.format_number(row['offences'])} offences of "
                f"{data.focus_label.lower()} ({findings.format_percent(row['share'])}), "
                f"{findings.format_number(row['rate'], 1)} per 1,000 residents"
            )
    time_items = []
    if times and times["night_share"] is not None:
        days = " and ".join(NIGHT_TIME_ECONOMY["weekdays"])
        start, end = NIGHT_TIME_ECONOMY["window"]
        time_items.append(
            f"{days} nights, {start} to {end}: {findings.format_percent(times['night_share'] * 100)} "
            f"of violence in {findings.format_percent(times['night_hours_share'] * 100)} of the week"
        )
        day, hour = times["peak"]
        time_items.append(f"busiest hour {day} {hour:02d}:00 to {(hour + 1) % 24:02d}:00")
    return {"worsened": worsened, "missed_target": missed, "places": places, "times": time_items}


def significance_text(p_value: float) -> str:
    """``p = 0.003`` style text for tables."""
    if p_value is None or (isinstance(p_value, float) and math.isnan(p_value)):
        return ""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


# ----------------------------------------------------------------------------- report tables


def summary_display(summary: pd.DataFrame, data: ViolentCrimeData) -> pd.DataFrame:
    """The year summary as a report table, small counts and what they reveal suppressed."""
    from sa_toolkit.disclosure import SECONDARY_MARKER, is_small

    previous, current = data.year.previous().label, data.year.label
    if not data.has_comparison:
        return _level_display(summary, data)
    small = is_small(summary["previous"], data.threshold) | is_small(
        summary["actual"], data.threshold
    )
    rows = []
    for (_, row), hide in zip(summary.iterrows(), small, strict=True):

        def count(value):
            return f"<{data.threshold}" if is_small([value], data.threshold)[0] else value

        rows.append(
            {
                "Measure": row["label"],
                previous: count(row["previous"]),
                current: count(row["actual"]),
                "Change": SECONDARY_MARKER
                if hide
                else (
                    "n/a"
                    if pd.isna(row["change"])
                    else findings.format_signed_percent(row["change"])
                ),
                "Significance of change": SECONDARY_MARKER
                if hide
                else significance_text(row["p_value"]),
                "Rate per 1,000": SECONDARY_MARKER
                if hide
                else findings.format_number(row["value"], 2),
                "95% interval": SECONDARY_MARKER
                if hide
                else f"{row['lower']:.2f} to {row['upper']:.2f}",
            }
        )
    return pd.DataFrame(rows)


def _level_display(summary: pd.DataFrame, data: ViolentCrimeData) -> pd.DataFrame:
    # the assessed year only (no comparison year in the data): counts and rates
    from sa_toolkit.disclosure import SECONDARY_MARKER, is_small

    small = is_small(summary["actual"], data.threshold)
    return pd.DataFrame(
        {
            "Measure": summary["label"].to_numpy(),
            data.year.label: [
                f"<{data.threshold}" if hide else int(v)
                for v, hide in zip(summary["actual"], small, strict=True)
            ],
            "Rate per 1,000": [
                SECONDARY_MARKER if hide else findings.format_number(v, 2)
                for v, hide in zip(summary["value"], small, strict=True)
            ],
            "95% interval": [
                SECONDARY_MARKER if hide else f"{lo:.2f} to {hi:.2f}"
                for lo, hi, hide in zip(summary["lower"], summary["upper"], small, strict=True)
            ],
        }
    )


def places_display(
    table: pd.DataFrame, threshold: int, place: str = "LSOA", ward: str = "Ward"
) -> pd.DataFrame:
    """A hotspot table (from :func:`place_table` / :func:`top_places`) for the report."""
    from sa_toolkit.disclosure import mask_small_counts

    out = pd.DataFrame(
        {
            place: table["place"].astype(str),
            **({ward: table["ward"].astype(str)} if "ward" in table.columns else {}),
            "Offences": table["offences"].astype(int),
            "Share of partnership (%)": table["share"].round(1),
            "Rate per 1,000": table["rate"].round(1),
            "95% interval": [
                f"{lo:.1f} to {hi:.1f}"
                for lo, hi in zip(table["lower"], table["upper"], strict=True)
            ],
        }
    )
    return mask_small_counts(
        out,
        "Offences",
        threshold,
        derived=["Share of partnership (%)", "Rate per 1,000", "95% interval"],
    )


def ratios_display(ratios: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Over-representation by age band for the report (small counts suppressed)."""
    from sa_toolkit.disclosure import mask_small_counts

    out = pd.DataFrame(
        {
            "Group": ratios["group"],
            "Age band": ratios["band"],
            "Count": ratios["count"].astype(int),
            "Share (%)": (ratios["count_share"] * 100).round(1),
            "Population share (%)": (ratios["population_share"] * 100).round(1),
            # the ratio with the decimals of its interval, so the interval visibly holds it
            "Ratio": [f"{v:.2f}" for v in ratios["value"]],
            "95% interval": [
                f"{lo:.2f} to {hi:.2f}"
                for lo, hi in zip(ratios["lower"], ratios["upper"], strict=True)
            ],
        }
    )
    return mask_small_counts(
        out, "Count", threshold, derived=["Share (%)", "Ratio", "95% interval"]
    )


def people_display(people: pd.DataFrame, data: ViolentCrimeData) -> pd.DataFrame:
    """Domestic-abuse and alcohol shares and repeat victimisation for the report."""
    from sa_toolkit.disclosure import SECONDARY_MARKER, is_small

    rows = []
    for _, row in people.iterrows():
        hide = bool(is_small([row["numerator"]], data.threshold)[0])
        previous = row.get("previous", np.nan)
        rows.append(
            {
                "Measure": row["measure"],
                "Count": f"<{data.threshold}" if hide else int(row["numerator"]),
                "Out of": int(row["denominator"]),
                "Per cent": SECONDARY_MARKER if hide else findings.format_number(row["value"], 1),
                "95% interval": SECONDARY_MARKER
                if hide
                else f"{row['lower']:.1f} to {row['upper']:.1f}",
                f"{data.year.previous().label} (%)": ""
                if pd.isna(previous)
                else findings.format_number(previous, 1),
                "Significance of change": ""
                if pd.isna(row.get("p_value", np.nan))
                else significance_text(float(row["p_value"])),
            }
        )
    out = pd.DataFrame(rows)
    if not data.has_comparison:  # no data for last year: no empty comparison columns
        out = out.drop(columns=[f"{data.year.previous().label} (%)", "Significance of change"])
    return out


def ward_label_points(data: ViolentCrimeData, wards: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Where to name the ``n`` wards with most violence on the density map: the mean
    position of their offences (``longitude, latitude, label``)."""
    rows = focus_incidents(data)
    names = data.areas.assign(lsoa_code=data.areas["lsoa_code"].astype(str)).set_index("lsoa_code")[
        "ward_name"
    ]
    rows = rows.assign(ward=rows["lsoa_code"].astype(str).map(names).astype(str))
    top = wards.sort_values("offences", ascending=False).head(n)
    top = top[top["offences"] > 0]["place"].astype(str).tolist()
    points = rows[rows["ward"].isin(top)].groupby("ward")[["longitude", "latitude"]].mean()
    points = points.dropna().reindex([w for w in top if w in points.index])
    return points.reset_index().rename(columns={"ward": "label"})
