"""The violent crime report (``notebooks/01_violent_crime``), one function per heading.

:func:`prepare` reads the data once and computes what several sections share (the year
summary, the framework rows, the places, times and people); each section function then
returns a :class:`~sa_toolkit.analysis.sections.Section` with its tables, notes and
charts in display order, worded and with small counts suppressed. The notebook only
places them under its headings:

>>> report = prepare(ctx)                                   # doctest: +SKIP
>>> show(trends(report), ctx.output_dir)                    # doctest: +SKIP

A section whose data were not supplied returns the note that says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from sa_toolkit import charts, findings, report_tables
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import violent_crime_findings
from sa_toolkit.analysis.priority_common import absent, coverage_note, not_available
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.analysis.violent_crime_data import (
    NEEDS_INCIDENTS,
    SOURCE_POLICE,
    ViolentCrimeData,
    focus_incidents,
    load,
)
from sa_toolkit.analysis.violent_crime_findings import framework_rows, implications
from sa_toolkit.analysis.violent_crime_people import (
    age_profiles,
    age_sentence,
    night_sentence,
    shares_and_repeats,
    temporal,
)
from sa_toolkit.analysis.violent_crime_places import (
    concentration_summary,
    peer_funnel,
    peer_sentence,
    place_table,
)

# the sections on where violence happens, named here with the others for the notebook
from sa_toolkit.analysis.violent_crime_report_places import FIGURE
from sa_toolkit.analysis.violent_crime_report_places import PriorityMaps as PriorityMaps
from sa_toolkit.analysis.violent_crime_report_places import area_maps as area_maps
from sa_toolkit.analysis.violent_crime_report_places import concentration as concentration
from sa_toolkit.analysis.violent_crime_report_places import density as density
from sa_toolkit.analysis.violent_crime_report_places import hotspot_tables as hotspot_tables
from sa_toolkit.analysis.violent_crime_tables import (
    framework_display,
    people_display,
    ratios_display,
    summary_display,
)
from sa_toolkit.analysis.violent_crime_trends import (
    monthly_counts,
    series_breaks_for_priority,
    trend_title,
    year_summary,
)
from sa_toolkit.disclosure import safe_count, suppression_note

#: the monthly trend charts, each of the measures whose ``chart`` column names it
TREND_CHARTS = ("volume", "serious")


@dataclass
class ViolentCrimeReport:
    """The report's data and the results its sections share, each computed once.

    ``data`` is what :func:`~sa_toolkit.analysis.violent_crime_data.load` read; the other
    attributes are the results of the calculation functions of the same names
    (``summary``: :func:`year_summary`, ``framework``: :func:`framework_rows`,
    ``peers``: :func:`peer_funnel`, ``wards``/``lsoas``: :func:`place_table`, ``conc``:
    :func:`concentration_summary`, ``times``: :func:`temporal`, ``ages``:
    :func:`age_profiles`, ``people``: :func:`shares_and_repeats`, ``focus``: the assessed
    year's :func:`focus_incidents`).
    """

    data: ViolentCrimeData
    summary: pd.DataFrame
    framework: pd.DataFrame
    peers: dict
    wards: pd.DataFrame
    lsoas: pd.DataFrame
    conc: pd.DataFrame
    times: dict
    ages: dict
    people: pd.DataFrame
    focus: pd.DataFrame

    @property
    def cfg(self):
        return self.data.cfg

    @property
    def place_name(self) -> str:
        return self.data.area_name

    @property
    def year_label(self) -> str:
        return self.data.year.label

    @property
    def previous_label(self) -> str:
        return self.data.year.previous().label


def prepare(ctx) -> ViolentCrimeReport:
    """Read the report's tables once (``ctx`` from ``notebook_params.notebook_context``)
    and compute what the sections share."""
    data = load(ctx.cfg)
    return from_data(data)


def from_data(data: ViolentCrimeData, framework: pd.DataFrame | None = None) -> ViolentCrimeReport:
    """The report of data already read (``framework``: rows already computed, else
    :func:`framework_rows`)."""
    return ViolentCrimeReport(
        data=data,
        summary=year_summary(data),
        framework=framework_rows(data) if framework is None else framework,
        peers=peer_funnel(data),
        wards=place_table(data, "ward"),
        lsoas=place_table(data, "lsoa"),
        conc=concentration_summary(data),
        times=temporal(data),
        ages=age_profiles(data),
        people=shares_and_repeats(data),
        focus=focus_incidents(data),
    )


# ----------------------------------------------------------------------------- findings


def key_findings(report: ViolentCrimeReport) -> list[str]:
    """Three to six key findings, the violence headline first (for ``show_key_findings``)."""
    return violent_crime_findings.key_findings(
        report.data,
        report.summary,
        report.framework,
        peers=report.peers,
        conc=report.conc,
        wards=report.wards,
        times=report.times,
        people=report.people,
    )


# ----------------------------------------------------------------------------- trends


def trend_alt(report: ViolentCrimeReport, measures: list[str]) -> str:
    """A trend chart's alt text: what it draws and each measure's two yearly totals
    (counts below the threshold given as "fewer than")."""
    data, summary, threshold = report.data, report.summary, report.data.threshold
    what = ", ".join(data.measures.loc[measures, "label"].str.lower())
    if data.has_comparison:
        totals = "; ".join(
            f"{summary.loc[m, 'label']} {safe_count(summary.loc[m, 'previous'], threshold)}"
            f" to {safe_count(summary.loc[m, 'actual'], threshold)}"
            for m in measures
        )
        totals = f"{report.previous_label} to {report.year_label}: {totals}"
    else:
        totals = f"{report.year_label}: " + "; ".join(
            f"{summary.loc[m, 'label']} {safe_count(summary.loc[m, 'actual'], threshold)}"
            for m in measures
        )
    return (
        f"Line chart of monthly recorded {what} in {report.place_name}, {data.period}, "
        f"with 12-month averages and financial-year totals. {totals}."
    )


def trends(report: ViolentCrimeReport) -> Section:
    """Monthly offences of the volume measures and of the serious ones, with series breaks;
    first, with the open police data only, what they cannot show."""
    data, cfg = report.data, report.cfg
    breaks = series_breaks_for_priority(raw_dir=cfg.raw_dir)
    section = Section()
    if data.source != "incidents":
        section.add(
            absent(
                "crime_incidents",
                NEEDS_INCIDENTS,
                cfg,
                instead=f"Violence and sexual offences and robbery are counted from {SOURCE_POLICE} instead.",
            )
        )
    for chart in TREND_CHARTS:
        measures = list(data.measures.index[data.measures["chart"] == chart])
        section.add(
            Chart(
                charts.monthly_trend,
                {
                    "monthly": monthly_counts(data, chart),
                    "title": trend_title(
                        report.summary, measures, report.year_label, data.threshold
                    ),
                    "subtitle": f"Recorded offences per month, {report.place_name}, {data.period}",
                    "source": data.source_note,
                    "breaks": breaks,
                },
                f"{FIGURE}_trend_{chart}",
                trend_alt(report, measures),
            )
        )
    return section


# ----------------------------------------------------------------------------- rates


def rates(report: ViolentCrimeReport) -> Section:
    """The measures' counts, change and rates per 1,000, after the notes on missing months,
    series breaks and a comparison year the data do not hold."""
    data = report.data
    section = Section([coverage_note(data.months_note)])
    section.extend(coverage_note(caveat) for caveat in data.caveats())
    if not data.has_comparison and not data.compare.has_previous:
        section.add(not_available(f"Change on {report.previous_label}", report.previous_label))
    compared = f"{report.previous_label} and " if data.has_comparison else ""
    change = ", change" if data.has_comparison else ""
    section.add(
        report_tables.html_table(
            summary_display(report.summary, data),
            caption=f"Violent crime measures, {report.place_name}, {compared}{report.year_label}: "
            f"offences{change} and rate per 1,000 residents",
            notes=[
                suppression_note(data.threshold),
                f"Source: {data.source_note}; ONS mid-year population estimates.",
            ],
        )
    )
    return section


# ----------------------------------------------------------------------------- peers

#: the funnel's verdict on the partnership, as the chart title words it
FUNNEL_POSITION = {"similar": "within", "worse": "above", "better": "below"}


def most_similar_group(report: ViolentCrimeReport) -> Section:
    """The funnel plot of violence rates in the Most Similar Group, or why there is none."""
    data, peers = report.data, report.peers
    if peers["own"] is not None:
        word = FUNNEL_POSITION[peers["own"]["comparison"]]
        return Section(
            [
                Chart(
                    charts.funnel_plot,
                    {
                        "points": peers["points"],
                        "limits": peers["limits"],
                        "title": f"{report.place_name}'s violence rate is {word} the range "
                        "expected around its peers' average",
                        "subtitle": "Violence and sexual offences per 1,000 residents, "
                        f"Most Similar Group, {report.year_label}",
                        "source": "Home Office recorded crime by Community Safety Partnership "
                        "(Most Similar Group)",
                        "average": peers["average"],
                        "highlight": report.place_name,
                    },
                    f"{FIGURE}_funnel",
                    "Funnel plot: " + peer_sentence(data, peers),
                )
            ]
        )
    if not data.msg_supplied:
        return Section([absent("msg_crime", "the Most Similar Group comparison", report.cfg)])
    return Section(
        [
            findings.HtmlBlock(
                f"<p>The Most Similar Group table has no violence figures for {report.year_label}.</p>"
            )
        ]
    )


# ----------------------------------------------------------------------------- times and people


def when(report: ViolentCrimeReport) -> Section:
    """The heat map of offences by hour and weekday, or (open police data) why there is none."""
    data, times = report.data, report.times
    if times["table"] is not None:
        return Section(
            [
                Chart(
                    charts.heat_map,
                    {
                        "table": times["table"],
                        "title": f"{findings.format_percent(times['night_share'] * 100)} of "
                        "violence happened on Friday and Saturday nights, in "
                        f"{findings.format_percent(times['night_hours_share'] * 100)} of the week",
                        "subtitle": "Violence against the person by hour and weekday, "
                        f"{report.place_name}, {report.year_label}",
                        "source": data.source_note,
                    },
                    f"{FIGURE}_heat_map",
                    "Heat map of offences by hour and weekday. " + night_sentence(times),
                )
            ]
        )
    if data.source != "incidents":
        return Section([absent("crime_incidents", "offences by hour and weekday", report.cfg)])
    return Section()


def victims_and_suspects(report: ViolentCrimeReport) -> Section:
    """The age profile of victims and suspects against residents, and the over-represented
    age groups; or why it cannot be drawn."""
    data, ages = report.data, report.ages
    if ages["shares"] is not None:
        sentence = age_sentence(ages["ratios"])
        return Section(
            [
                Chart(
                    charts.age_profile,
                    {
                        "shares": ages["shares"],
                        # the first clause of the sentence: the victims' finding
                        "title": sentence.rstrip(".").split(";")[0],
                        "subtitle": "Share of victims, suspects and residents by age, violence "
                        f"against the person, {report.place_name}, {report.year_label}",
                        "source": f"{data.source_note}; ONS mid-year population estimates",
                    },
                    f"{FIGURE}_ages",
                    "Bar chart of the age profile of victims and suspects against residents. "
                    + sentence,
                ),
                report_tables.html_table(
                    ratios_display(ages["ratios"], data.threshold),
                    caption="Over-representation of age groups among victims and suspects of "
                    f"violence, {report.place_name}, {report.year_label}",
                    notes=[
                        suppression_note(data.threshold),
                        "Ratio: the group's share of victims (or suspects) divided by its share "
                        "of residents.",
                    ],
                ),
            ]
        )
    if data.source != "incidents":
        return Section([absent("crime_incidents", "the ages of victims and suspects", report.cfg)])
    if ages.get("missing"):
        return Section([Markdown(ages["missing"])])
    return Section()


def domestic_abuse(report: ViolentCrimeReport) -> Section:
    """Domestic abuse and alcohol-related shares of violence and repeat victimisation."""
    data, people = report.data, report.people
    if not people.empty:
        return Section(
            [
                report_tables.html_table(
                    people_display(people, data),
                    caption="Domestic abuse, repeat victimisation and alcohol-related violence, "
                    f"{report.place_name}, {report.year_label}",
                    notes=[
                        suppression_note(data.threshold),
                        "Intervals: Wilson score; change in a share tested with a two-sided z test.",
                    ],
                )
            ]
        )
    if data.source != "incidents":
        return Section(
            [
                absent(
                    "crime_incidents",
                    "domestic abuse, repeat victimisation and alcohol-related violence",
                    report.cfg,
                )
            ]
        )
    return Section()


# ----------------------------------------------------------------------------- framework


def framework_section(report: ViolentCrimeReport) -> Section:
    """The violent crime rows of the performance framework, each light with its reason."""
    if report.framework.empty:
        return Section()
    return Section(
        [
            report_tables.html_table(
                framework_display(report.framework),
                caption=f"Violent crime performance framework, {report.previous_label} to "
                f"{report.year_label}",
                rag_columns="Traffic light",
                notes=pf.methods_notes(report.cfg),
            )
        ]
    )


def recommendations(report: ViolentCrimeReport) -> Section:
    """The closing block: recommendations for the rolling plan, with their reasons."""
    return Section(
        [
            findings.implications(
                **implications(
                    report.data, report.summary, report.framework, report.wards, report.times
                )
            )
        ]
    )
