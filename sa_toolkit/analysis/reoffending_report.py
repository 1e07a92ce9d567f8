"""The sections of the re-offending report (``05_reoffending``), as the notebook shows them.

:func:`prepare` reads the report's tables once and computes what every section shares
(:class:`ReoffendingReport`); each section function then returns a
:class:`~sa_toolkit.analysis.sections.Section` (its tables, notes and charts, with titles,
alt text and disclosure control applied) for the notebook to show under its heading.
The calculations themselves are in :mod:`sa_toolkit.analysis.reoffending`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from sa_toolkit import charts, disclosure, findings, report_tables
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import reoffending as ro
from sa_toolkit.analysis.sections import Chart, Section

if TYPE_CHECKING:
    from sa_toolkit.config import Config

COHORT_SOURCE = "Ministry of Justice proven re-offending; local IOM scheme"
#: a suspect age band over-represented by more than this (times its share of residents)
#: is named in the recommendations
OVER_REPRESENTED = 1.5
#: the cohort measures drawn, left as gaps where they rest on too few re-offenders
DRAWN_MEASURES = [
    "rate",
    "rate_lower",
    "rate_upper",
    "frequency",
    "frequency_lower",
    "frequency_upper",
]
#: the latest cohort year's table: its columns, and those worked out from the re-offenders
COHORT_COLUMNS = [
    "cohort",
    "offenders",
    "reoffenders",
    "reoffences",
    "rate",
    "rate_lower",
    "rate_upper",
    "frequency",
    "trend",
]
COHORT_DERIVED = ["reoffences", "rate", "rate_lower", "rate_upper", "frequency"]


@dataclass
class ReoffendingReport:
    """What the re-offending report's sections share, computed once by :func:`prepare`.

    ``rates`` and ``trends`` are :func:`~sa_toolkit.analysis.reoffending.cohort_rates` and
    ``cohort_trends``; ``probation`` is :func:`~sa_toolkit.analysis.reoffending.probation`;
    ``ages`` is :func:`~sa_toolkit.analysis.reoffending.offender_ages`; ``latest`` is the
    latest complete cohort year up to the assessed one (None when there is none).
    """

    cfg: Config
    framework: pd.DataFrame
    rates: pd.DataFrame
    trends: pd.DataFrame
    probation: dict
    ages: pd.DataFrame
    latest: str | None

    @property
    def threshold(self) -> int:
        return self.cfg.suppression_threshold

    @property
    def place(self) -> str:
        return self.cfg.partnership_short_name


def build(cfg, framework, reoffending, probation_outcomes, incidents, population):
    """The report's shared results from its tables (any of them None when not supplied)."""
    fy = cfg.year
    rates = ro.cohort_rates(reoffending, cfg.partnership_code, fy)
    return ReoffendingReport(
        cfg=cfg,
        framework=framework,
        rates=rates,
        trends=ro.cohort_trends(rates),
        probation=ro.probation(probation_outcomes, cfg.partnership_code, fy),
        ages=ro.offender_ages(incidents, population, fy),
        latest=ro.latest_cohort_year(rates, fy),
    )


def prepare(ctx) -> ReoffendingReport:
    """Read the report's tables once (the partnership's LSOAs only) and compute its results."""
    from sa_toolkit.tables import partnership_lsoas

    cfg = ctx.cfg
    store = ro.load(cfg, partnership_lsoas(cfg))
    framework = pc.priority_framework(cfg, "reoffending", store)
    return build(
        cfg,
        framework,
        store.get("reoffending"),
        store.get("probation_outcomes"),
        store.get("crime_incidents"),
        store.get("population"),
    )


# ----------------------------------------------------------------------------- key findings


def key_findings(report: ReoffendingReport) -> list[str]:
    """The report's key findings, then the count of its traffic lights."""
    fy = report.cfg.year
    found = ro.key_findings(
        report.rates, report.trends, report.probation, report.ages, fy, report.threshold
    ) or [f"No complete re-offending cohort or probation year is available up to {fy.label}."]
    return found + [pc.rag_counts_sentence(report.framework, "reducing re-offending")]


# ----------------------------------------------------------------------------- sections


def framework_section(report: ReoffendingReport) -> Section:
    """The performance framework table of the priority's indicators."""
    return Section().add(
        pf.framework_html(
            report.framework,
            report.cfg,
            "Reducing re-offending indicators",
            notes=[
                "Proven re-offending is published about 18 months after the cohort's year: "
                "a blank actual means the assessed year's cohort is not yet available."
            ],
        )
    )


def _rates_drawn(report: ReoffendingReport) -> pd.DataFrame:
    # a point resting on fewer re-offenders than the threshold is not drawn (a gap)
    rates = report.rates
    small = rates["reoffenders"] < max(report.threshold, 1)
    shown = rates.copy()
    shown.loc[small, DRAWN_MEASURES] = float("nan")
    return shown


def _rate_chart(report: ReoffendingReport, shown: pd.DataFrame, now: pd.DataFrame) -> Chart:
    chart = shown.rename(columns={"rate": "value", "rate_lower": "lower", "rate_upper": "upper"})
    if len(now):
        top = now["value"].idxmax()
        title = (
            f"The {top.lower()} cohort re-offended most: {now.loc[top, 'value']:.0f}% "
            f"re-offended in {report.latest}"
        )
    else:
        title = "Proven re-offending rate by cohort"
    alt = "Chart of proven re-offending rates with 95% intervals by cohort and year: " + "; ".join(
        f"{r.cohort} {r.financial_year} {r.value:.0f}%"
        for r in chart.dropna(subset=["value"]).itertuples()
    )
    return Chart(
        pc.interval_chart,
        {
            "values": chart,
            "x": "financial_year",
            "series": "cohort",
            "title": title,
            "subtitle": f"Proven re-offending rate (% of cohort), 95% intervals, {report.place}, "
            "cohorts by financial year (the Integrated Offender Management cohort is a subset "
            "of all offenders)",
            "source": COHORT_SOURCE,
            "ylabel": "% re-offending",
            "percent": True,
        },
        "05_reoffending_rate",
        alt,
    )


def _frequency_chart(report: ReoffendingReport, shown: pd.DataFrame, now: pd.DataFrame) -> Chart:
    chart = shown.rename(
        columns={"frequency": "value", "frequency_lower": "lower", "frequency_upper": "upper"}
    )
    if ro.PPO in now.index and now.loc[ro.PPO, "frequency"] > 0:
        title = (
            f"Integrated Offender Management re-offenders committed "
            f"{now.loc[ro.PPO, 'frequency']:.1f} proven re-offences each in the "
            f"{report.latest} cohort"
        )
    else:
        title = "Re-offences per re-offender by cohort"
    alt = (
        "Chart of proven re-offences per re-offender with 95% intervals by cohort and year: "
        + "; ".join(
            f"{r.cohort} {r.financial_year} {r.value:.1f}"
            for r in chart.dropna(subset=["value"]).itertuples()
        )
    )
    return Chart(
        pc.interval_chart,
        {
            "values": chart,
            "x": "financial_year",
            "series": "cohort",
            "title": title,
            "subtitle": f"Proven re-offences per re-offender, 95% intervals, {report.place}, "
            "cohorts by financial year",
            "source": COHORT_SOURCE,
            "ylabel": "Re-offences per re-offender",
        },
        "05_reoffending_frequency",
        alt,
    )


def _cohort_table(report: ReoffendingReport):
    rates = report.rates
    table = rates[rates["financial_year"] == report.latest].merge(
        report.trends, on="cohort", how="left"
    )
    table = disclosure.mask_small_counts(
        table[COHORT_COLUMNS], "reoffenders", report.threshold, derived=COHORT_DERIVED
    )
    return report_tables.html_table(
        table,
        caption=f"Proven re-offending by cohort, {report.place}, {report.latest} cohort",
        formats={
            "rate": "{:.1f}%",
            "rate_lower": "{:.1f}%",
            "rate_upper": "{:.1f}%",
            "frequency": "{:.2f}",
        },
        headers={
            "rate": "Rate",
            "rate_lower": "95% CI lower",
            "rate_upper": "95% CI upper",
            "frequency": "Re-offences per re-offender",
            "trend": "Trend (weighted regression, 99.8%)",
        },
        notes=[
            "The Integrated Offender Management cohort is a subset of the adult and juvenile "
            "cohorts, so the rows do not add up.",
            disclosure.suppression_note(report.threshold),
        ],
    )


def cohort_section(report: ReoffendingReport) -> Section:
    """Proven re-offending rate and frequency by cohort (two charts and the latest year's
    table), or the note that no complete cohort is available up to the assessed year."""
    if report.latest is None:
        what = f"a complete re-offending cohort up to {report.cfg.year.label}"
        return Section().add(pc.absent("reoffending", what, report.cfg))
    shown = _rates_drawn(report)
    # the latest cohort year's drawn points, by cohort: the charts' titles name them
    now = shown[shown["financial_year"] == report.latest].dropna(subset=["rate"])
    now = now.set_index("cohort").rename(columns={"rate": "value"})
    return Section().add(
        _rate_chart(report, shown, now),
        _frequency_chart(report, shown, now),
        _cohort_table(report),
    )


def probation_section(report: ReoffendingReport) -> Section:
    """Employment and settled accommodation at the end of orders: by year (chart) and, in
    the latest year, by order type and age (table); or the note that they were not supplied."""
    probation, place, threshold = report.probation, report.place, report.threshold
    by_year = probation["by_year"]
    if not len(by_year):
        return Section().add(pc.absent("probation_outcomes", "probation outcomes", report.cfg))
    latest_year = probation["latest_year"]
    last = by_year[by_year["financial_year"] == latest_year].set_index("outcome")
    chart = Chart(
        pc.interval_chart,
        {
            "values": by_year,
            "x": "financial_year",
            "series": "outcome",
            "title": f"{last.loc['In employment', 'value']:.0f}% were in employment and "
            f"{last.loc['In settled accommodation', 'value']:.0f}% in settled accommodation "
            f"at the end of supervision in {latest_year}",
            "subtitle": f"% of orders and licences ended, 95% intervals, {place}, "
            "by financial year",
            "source": "Probation Service performance data",
            "ylabel": "% of terminations",
            "percent": True,
        },
        "05_reoffending_probation_outcomes",
        "Chart of the percentage of offenders in employment and in settled accommodation at "
        "the end of their order or licence by year: "
        + "; ".join(f"{r.outcome} {r.financial_year} {r.value:.0f}%" for r in by_year.itertuples()),
    )
    groups = probation["by_group"].assign(
        order_type=lambda f: f["order_type"].str.replace("_", " ").str.capitalize()
    )
    columns = ["outcome", "order_type", "age_group", "terminations", "count"]
    groups = disclosure.mask_small_counts(
        groups[[*columns, "value", "lower", "upper"]],
        "terminations",
        threshold,
        derived=["count", "value", "lower", "upper"],
    )
    groups = disclosure.mask_small_counts(
        groups, "count", threshold, derived=["value", "lower", "upper"]
    )
    table = report_tables.html_table(
        groups,
        caption=f"Outcomes at the end of supervision by order type and age, {place}, {latest_year}",
        formats={"value": "{:.0f}%", "lower": "{:.0f}%", "upper": "{:.0f}%"},
        headers={
            "count": "With the outcome",
            "value": "Percent",
            "lower": "95% CI lower",
            "upper": "95% CI upper",
        },
        notes=disclosure.suppression_note(threshold),
    )
    return Section().add(chart, table)


def age_profile_section(report: ReoffendingReport) -> Section:
    """Suspects' ages against residents aged 10 and over (a chart), or the note that the
    incident extract was not supplied or holds too few suspects to show."""
    ages, threshold = report.ages, report.threshold
    if not len(ages) or ages["suspects"].sum() < max(threshold, 1):
        what = "the age profile of suspects"
        return Section().add(pc.absent("crime_incidents", what, report.cfg))
    profile = ages.set_index("age_band")[["count_share", "population_share"]].rename(
        columns={"count_share": "Suspects", "population_share": "Population"}
    )
    top = ages.loc[ages["value"].idxmax()]
    chart = Chart(
        charts.age_profile,
        {
            "shares": profile,
            "title": f"People aged {top['age_band']} were {top['count_share']:.0%} of suspects, "
            f"{top['value']:.1f} times their share of residents",
            "subtitle": "Share of suspects (recorded crimes with a known suspect age) and of "
            f"residents aged 10 and over, by age, {report.place}, {report.cfg.year.label}",
            "source": "Police crime recording system extract; ONS mid-year population estimates",
        },
        "05_reoffending_offender_age_profile",
        "Bar chart of the age profile of suspects against residents aged 10 and over: "
        + "; ".join(
            f"{r.age_band} {r.count_share:.0%} of suspects, {r.population_share:.0%} of residents"
            for r in ages.itertuples()
        ),
    )
    return Section().add(chart)


def recommendations(report: ReoffendingReport) -> Section:
    """The recommendations for the rolling plan: the framework's concerns, cohorts whose
    rate rose significantly, worsening trends and over-represented suspect ages."""
    cfg, rates, ages = report.cfg, report.rates, report.ages
    concerns = pf.framework_concerns(report.framework)
    worsened, missed = concerns["worsened"], concerns["missed_target"]
    compared = pf.assessed_indicators(report.framework) > 0 or len(report.trends) > 0
    for cohort in (ro.ADULT, ro.JUVENILE, ro.PPO):
        change = ro.rate_change(rates, cohort, cfg.year, cfg.significance_level)
        compared = compared or bool(change)
        if change and change["significant"] and change["change_pp"] > 0:
            worsened.append(
                f"{cohort} proven re-offending rate (+{change['change_pp']:.1f} points, "
                f"{change['year']} cohort)"
            )
    worsening = report.trends[report.trends["trend"].astype(str).str.contains("worse")]
    notes = [f"{r.cohort}: re-offending is {r.trend}" for r in worsening.itertuples()]
    over = ages[ages["value"] > OVER_REPRESENTED] if len(ages) else ages
    if len(over):
        notes.append(
            f"Suspects aged {' and '.join(over['age_band'])} are over-represented against the "
            f"population (up to {over['value'].max():.1f} times their share of residents aged 10+)"
        )
    return Section().add(
        findings.implications(
            worsened=worsened, missed_target=missed, notes=notes, compared=compared
        )
    )
