"""The 00 Overview report, section by section, as its notebook shows it.

The notebook reads as the report's outline: :func:`prepare` reads the data once into an
:class:`OverviewReport`, then each heading calls one function here that returns a
:class:`~sa_toolkit.analysis.sections.Section` (its tables, notes and charts, in order)
and :func:`~sa_toolkit.analysis.sections.show` draws it. The wording of captions, notes
and alt texts, the choice of what a year without data shows, and disclosure control are
all made here, where they are tested.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown

from sa_toolkit import charts, disclosure, findings
from sa_toolkit.analysis import overview_findings
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis.overview_cost import (
    cost_by_year,
    cost_chart,
    cost_display,
    cost_partial_note,
    cost_sentence,
)
from sa_toolkit.analysis.overview_data import (
    MSG_SOURCE,
    STREET_SOURCE,
    OverviewData,
    load_overview,
    top_wards,
)
from sa_toolkit.analysis.overview_framework import (
    framework_display,
    framework_not_computed,
    framework_sentence,
    framework_summary,
    performance_framework,
    write_framework_download,
)
from sa_toolkit.analysis.overview_matrix import matrix_display, matrix_key, priority_matrix
from sa_toolkit.analysis.overview_msg import (
    msg_comparison,
    msg_display,
    msg_funnel,
    msg_funnel_note,
    msg_has_last_year,
)
from sa_toolkit.analysis.overview_trend import (
    crime_mix,
    crime_trend,
    mix_display,
    series_breaks_for,
    trend_chart_title,
    trend_frame,
)
from sa_toolkit.analysis.priority_common import absent, coverage_note, not_available
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.config import Config
from sa_toolkit.disclosure import suppression_note
from sa_toolkit.report_tables import html_table

#: the catalogue indicators whose series breaks mark the trend chart
TREND_INDICATORS = ["total_crime_rate", "asb_rate"]


@dataclass
class OverviewReport:
    """Everything the overview's sections show, computed once by :func:`prepare`.

    Attributes
    ----------
    cfg : Config
        The configuration with the notebook's parameters applied.
    framework : DataFrame
        The performance framework of every priority (``build_framework`` rows).
    data : OverviewData
        The street-level counts, lookup, MSG table and populations, read once.
    summary : dict
        :func:`~sa_toolkit.analysis.overview_framework.framework_summary` of ``framework``.
    trend : dict
        :func:`~sa_toolkit.analysis.overview_trend.crime_trend`: this year against last.
    msg_table : DataFrame
        :func:`~sa_toolkit.analysis.overview_msg.msg_comparison` (empty without MSG data).
    cost : dict or None
        :func:`~sa_toolkit.analysis.overview_cost.cost_by_year`; None when it could not be
        estimated (the reason is ``data.cost_reason``).
    matrix : DataFrame
        :func:`~sa_toolkit.analysis.overview_matrix.priority_matrix`.
    """

    cfg: Config
    framework: pd.DataFrame
    data: OverviewData
    summary: dict
    trend: dict
    msg_table: pd.DataFrame
    cost: dict | None
    matrix: pd.DataFrame

    @property
    def threshold(self) -> int:
        return self.cfg.suppression_threshold

    @property
    def name(self) -> str:
        return self.cfg.partnership_short_name


def prepare(ctx) -> OverviewReport:
    """Read the overview's data once and compute what its sections share.

    ``ctx`` is the notebook's :class:`~sa_toolkit.notebook_params.NotebookContext` (any
    object with a ``cfg``). The framework and the street-level counts are read through
    one :class:`~sa_toolkit.indicators.computations.DataSource`, so the street table is
    read once.
    """
    from sa_toolkit.indicators.computations import DataSource

    cfg = ctx.cfg
    source = DataSource.from_config(cfg)
    framework = performance_framework(cfg, source)
    data = load_overview(cfg, source)
    msg_table = msg_comparison(data.msg, cfg)
    cost = cost_by_year(data)
    return OverviewReport(
        cfg=cfg,
        framework=framework,
        data=data,
        summary=framework_summary(framework),
        trend=crime_trend(data),
        msg_table=msg_table,
        cost=cost,
        matrix=priority_matrix(data, msg_table, cost),
    )


def key_findings(report: OverviewReport) -> list[str]:
    """Three to six findings, the first the headline on total recorded crime
    (:func:`~sa_toolkit.analysis.overview_findings.key_findings`)."""
    return overview_findings.key_findings(
        report.trend, report.summary, report.msg_table, report.cost, report.matrix, report.cfg
    )


# ----------------------------------------------------------------------------- framework


@dataclass
class FrameworkDownloads:
    """The links above the framework table: the framework workbook, written into the
    report folder as the section is shown (small counts hidden), and the run's measure
    workbook when ``sa run`` wrote it there (a notebook run on its own has none)."""

    framework: pd.DataFrame
    threshold: int
    cfg: Config

    def show_in(self, output_dir) -> None:
        from IPython.display import display

        from sa_toolkit import measures

        workbook = write_framework_download(self.framework, output_dir, self.threshold, self.cfg)
        display(
            HTML(
                f'<p><a href="{workbook.name}" download>Download the performance framework '
                f"(Excel, {len(self.framework)} indicators)</a></p>"
            )
        )
        measure_book = Path(output_dir) / measures.PUBLISHED_XLSX
        if measure_book.is_file():
            display(
                HTML(
                    f'<p><a href="{measure_book.name}" download>Download every measure of this '
                    "assessment (Excel: value, 95% interval, numerator, denominator, definition "
                    "and source)</a></p>"
                )
            )


def framework_section(report: OverviewReport) -> Section:
    """The download links and the framework table (or why no indicator was computed)."""
    cfg, threshold, frame = report.cfg, report.threshold, report.framework
    section = Section().add(FrameworkDownloads(frame, threshold, cfg))
    if frame.empty:
        return section.add(coverage_note(framework_not_computed(frame)))
    return section.add(
        html_table(
            framework_display(frame, threshold),
            caption=(
                f"Performance framework, {report.name}, {cfg.year.previous().label} to "
                f"{cfg.year.label}"
            ),
            rag_columns="Traffic light",
            notes=[
                f"Counts below {threshold} are shown as <{threshold}.",
                framework_sentence(report.summary, cfg.year.label),
                *pf.methods_notes(cfg),
            ],
        )
    )


# ----------------------------------------------------------------------------- MSG


def msg_section(report: OverviewReport) -> Section:
    """The Most Similar Group table and funnel plot, or the note that no MSG table was
    supplied; without last year's MSG figures the table keeps this year's columns only."""
    cfg, data, threshold = report.cfg, report.data, report.threshold
    previous = cfg.year.previous().label
    section = Section()
    if not data.msg_supplied:
        return section.add(
            absent("msg_crime", "the Most Similar Group comparison and its funnel plot", cfg)
        )
    if msg_has_last_year(report.msg_table):
        what = (
            f"rates per 1,000 residents, rank and % change in offences, {previous} and "
            f"{cfg.year.label}"
        )
    else:
        section.add(not_available(f"Change on {previous}", previous))
        what = f"rates per 1,000 residents and rank, {cfg.year.label}"
    section.add(
        html_table(
            msg_display(report.msg_table, cfg, threshold),
            caption=f"{report.name} against its Most Similar Group: {what}",
            notes=[f"Source: {MSG_SOURCE}.", suppression_note(threshold)],
        )
    )
    funnel = msg_funnel(data.msg, cfg)
    if funnel is None:  # the partnership is not in this year's MSG table
        return section
    return section.add(
        msg_funnel_chart(funnel, cfg),
        HTML(f"<p class='note'>{html.escape(msg_funnel_note(funnel))}</p>"),
    )


def msg_funnel_chart(funnel: dict, cfg: Config) -> Chart:
    """The funnel plot of :func:`~sa_toolkit.analysis.overview_msg.msg_funnel`, with its alt
    text (the partnership's rate, position and rank)."""
    name = cfg.partnership_short_name
    return Chart(
        charts.funnel_plot,
        {
            "points": funnel["points"],
            "limits": funnel["limits"],
            "title": funnel["title"],
            "subtitle": (
                "Recorded crime per 1,000 residents by partnership population, Most Similar "
                f"Group, {cfg.year.label}"
            ),
            "source": MSG_SOURCE,
            "average": funnel["average"],
            "highlight": funnel["highlight"],
            "xlabel": "Resident population",
        },
        "00_overview_msg_funnel",
        f"Funnel plot of recorded crime rates for the {funnel['members']} Most Similar Group "
        f"partnerships in {cfg.year.label}: {name} at {funnel['value']:.1f} per 1,000 is "
        f"{funnel['where']} the group average of {funnel['average']:.1f}, ranked "
        f"{findings.ordinal(funnel['rank'])} (1 = highest rate).",
    )


# ----------------------------------------------------------------------------- trend and mix


def trend_section(report: OverviewReport) -> Section:
    """The monthly chart of recorded crime and ASB, the notes on the months compared and the
    comparison's caveats, and the table of crime by type."""
    cfg, trend, threshold = report.cfg, report.trend, report.threshold
    previous = cfg.year.previous().label
    section = Section().add(trend_chart(trend, cfg))
    # always shown: an empty note shows nothing, a like-for-like comparison says its months
    section.add(coverage_note(trend["months_note"]))
    section.extend(coverage_note(caveat) for caveat in trend["caveats"])
    if not trend["compared"] and not trend["too_few_months"]:
        section.add(not_available(f"Change on {previous}", previous))
    years = f"{previous} and {cfg.year.label}" if trend["compared"] else cfg.year.label
    return section.add(
        html_table(
            mix_display(crime_mix(report.data, threshold), cfg, threshold),
            caption=f"Recorded crime by type, {report.name}, {years}",
            notes=[f"Source: {STREET_SOURCE}.", suppression_note(threshold)],
        )
    )


def trend_chart(trend: dict, cfg: Config) -> Chart:
    """Monthly recorded crime and police-recorded ASB on one chart, the series breaks of
    their indicators marked, with the year's totals (and last year's) in the alt text."""
    name = cfg.partnership_short_name
    previous = cfg.year.previous().label
    both = trend_frame(trend)

    def count(n) -> str:  # a whole partnership's total can be small in a tiny one
        return disclosure.safe_count(n, cfg.suppression_threshold)

    if trend["compared"]:
        totals = (
            f" against {count(trend['crime_last'])} in {previous}; {count(trend['asb_this'])} "
            f"anti-social behaviour incidents against {count(trend['asb_last'])}."
        )
    else:
        # last year not compared: no data for it, or too few months in common
        why = "too few months to compare" if trend.get("too_few_months") else "no data"
        totals = (
            f" and {count(trend['asb_this'])} anti-social behaviour incidents ({why} for "
            f"{previous})."
        )
    return Chart(
        charts.monthly_trend,
        {
            "monthly": both,
            "title": trend_chart_title(trend, cfg.year.label),
            "subtitle": (
                "Recorded offences (all types except anti-social behaviour) and police-recorded "
                f"anti-social behaviour incidents per month, {name}, {trend['period']}"
            ),
            "source": STREET_SOURCE,
            "breaks": series_breaks_for(TREND_INDICATORS, both.index, cfg.raw_dir),
            "measure": "Number",
        },
        "00_overview_crime_trend",
        f"Line chart of monthly recorded crime and police-recorded anti-social behaviour in "
        f"{name}, {trend['period']}, with 12-month averages and financial-year totals: "
        f"{count(trend['crime_this'])} offences in {cfg.year.label}" + totals,
    )


# ----------------------------------------------------------------------------- cost of crime


def cost_section(report: OverviewReport) -> Section:
    """The cost of crime chart and table, or why it could not be estimated."""
    cfg, cost = report.cfg, report.cost
    if cost is None:
        reason = html.escape(report.data.cost_reason)
        return Section().add(HTML(f"<p>The cost of crime could not be estimated: {reason}.</p>"))
    notes = [
        "Not costed (no Home Office unit cost): " + (", ".join(cost["uncosted"]) or "none") + ".",
        "Unit costs: " + "; ".join(cost["cost_source"]) + ".",
        cost_partial_note(cost),
    ]
    notes += [note for note in (cost["price_note"], cost["unverified"]) if note]
    return Section().add(
        Chart(
            cost_chart,
            {"cost": cost, "cfg": cfg},
            "00_overview_cost_of_crime",
            f"Stacked bar chart of the estimated cost of crime by offence group from "
            f"{cost['first']} to {cost['last']} at {cost['price_year']} prices. "
            f"{cost_sentence(cost)}",
        ),
        html_table(
            cost_display(cost),
            caption=(
                f"Estimated cost of crime by offence group, £ million at {cost['price_year']} "
                f"prices, {report.name}"
            ),
            notes=notes,
        ),
    )


# ----------------------------------------------------------------------------- matrix, close


def matrix_section(report: OverviewReport) -> Section:
    """The priority-setting matrix with its scoring key."""
    threshold = report.threshold
    return Section().add(
        html_table(
            matrix_display(report.matrix, threshold),
            caption=f"Priority-setting matrix, {report.name}, {report.cfg.year.label}",
            notes=[matrix_key(), suppression_note(threshold)],
        )
    )


def recommendations(report: OverviewReport) -> Section:
    """The closing block: what worsened or missed its target, where crime concentrates, and
    the categories the matrix scores high."""
    return Section().add(
        overview_findings.implications_text(
            report.summary,
            report.matrix,
            top_wards(report.data),
            compared=report.summary["assessed"] > 0 or bool(report.trend["compared"]),
        )
    )


def geography_section(report: OverviewReport) -> Section:
    """About the data: the place level and the police records outside the lookup."""
    from sa_toolkit.geography import reader_notes

    notes = reader_notes(report.cfg.processed_dir, report.cfg.partnership_code)
    if not notes:
        return Section().add(
            Markdown("Every police record with a location lies in an LSOA of the geography lookup.")
        )
    return Section().add(Markdown("\n".join(f"- {note}" for note in notes)))
