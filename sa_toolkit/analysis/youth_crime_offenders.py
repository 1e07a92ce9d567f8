"""Youth crime (priority 2): the section on young offenders' re-offending, employment and
accommodation (juvenile proven re-offending cohorts and probation outcomes by age).

Part of the report's sections (:mod:`~sa_toolkit.analysis.youth_crime_report`); reads the
:class:`~sa_toolkit.analysis.youth_crime_data.YouthCrimeReport`. Kept apart as its
disclosure control (rates of small cohorts) is the report's most involved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sa_toolkit import disclosure, findings
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.report_tables import html_table

if TYPE_CHECKING:
    from sa_toolkit.analysis.youth_crime_data import YouthCrimeReport

#: what no dataset supplied can show, said under the section whatever was supplied
LIMITS = findings.HtmlBlock(
    "<p><strong>What the data cannot show.</strong> Probation outcomes cover adults (18 and over) only "
    "and record employment, not education or training; education, training or employment and the "
    "accommodation of children aged 10-17 at the end of youth justice orders (the Youth Justice Board "
    "key performance indicators) are not in the data supplied and appear in the framework as tbc.</p>"
)
RATE_COLUMNS = ["rate_%", "rate_lower", "rate_upper"]
FREQUENCY_COLUMNS = ["reoffences_per_reoffender", "frequency_lower", "frequency_upper"]
#: (count, percentage) pairs of the probation table: a small count, or a small remainder
#: of the orders ending, hides its percentage and interval
PROBATION_SHARES = [
    ("in_employment", "employment"),
    ("not_employed", "employment"),
    ("in_settled_accommodation", "accommodation"),
    ("not_settled", "accommodation"),
]
PROBATION_COLUMNS = [
    "age_group",
    "terminations",
    "employment",
    "employment_lower",
    "employment_upper",
    "accommodation",
    "accommodation_lower",
    "accommodation_upper",
]


def young_offenders(report: YouthCrimeReport) -> Section:
    """Juvenile re-offending (chart and table), employment and accommodation at the end of
    probation by age (table and chart), each with its "not supplied" note, and what the
    data cannot show."""
    section = Section()
    if len(report.cohorts):
        section.extend(reoffending_parts(report.cohorts, report.trends, report))
    elif not report.reoffending_supplied:
        section.add(pc.absent("reoffending", "juvenile re-offending", report.cfg))
    if not report.probation_supplied:
        section.add(
            pc.absent(
                "probation_outcomes",
                "employment and accommodation at the end of probation",
                report.cfg,
            )
        )
    if len(report.probation):
        section.extend(probation_parts(report.probation, report))
    return section.add(LIMITS)


def reoffending_parts(cohorts: pd.DataFrame, trends: dict, report: YouthCrimeReport) -> list:
    """The juvenile re-offending chart and table of the cohorts (``yc.juvenile_reoffending``)."""
    threshold, place = report.threshold, report.place
    # a rate of a small cohort, or of few re-offenders, would give the counts away: not drawn
    few = [
        disclosure.share_is_disclosive(r, n, threshold)
        for r, n in zip(cohorts["reoffenders"], cohorts["offenders"], strict=True)
    ]
    drawn = cohorts.copy()
    drawn.loc[few, ["rate", "rate_lower", "rate_upper"]] = float("nan")
    chart = Chart(
        yc.interval_chart,
        {
            "labels": drawn["year"],
            "series": {
                "Re-offending rate": (drawn["rate"], drawn["rate_lower"], drawn["rate_upper"])
            },
            "title": (
                f"Juvenile proven re-offending: {trends['rate']} "
                f"({cohorts['year'].iloc[0]} to {cohorts['year'].iloc[-1]} cohorts)"
            ),
            "subtitle": f"% of young offenders re-offending within 12 months, by cohort year, {place}",
            "source": "Ministry of Justice proven re-offending statistics (juvenile cohort)",
            "ylabel": "% re-offending",
        },
        "02_youth_crime_juvenile_reoffending",
        "Chart of the juvenile re-offending rate by cohort year with 95% intervals: "
        + ", ".join(
            f"{y} " + ("not shown (too few offenders)" if pd.isna(r) else f"{r:.0f}%")
            for y, r in zip(drawn["year"], drawn["rate"], strict=True)
        )
        + f". Trend: {trends['rate']}.",
    )
    shown = cohorts.rename(columns={"rate": "rate_%", "frequency": "reoffences_per_reoffender"})
    # the offenders not re-offending are a count too: small, they give the re-offenders away
    shown = shown.assign(not_reoffending=shown["offenders"] - shown["reoffenders"])
    shown = disclosure.mask_small_counts(
        shown,
        "offenders",
        threshold,
        derived=["reoffenders", "reoffences", *RATE_COLUMNS, *FREQUENCY_COLUMNS],
    )
    shown = disclosure.mask_small_counts(
        shown, "not_reoffending", threshold, derived=["reoffenders", *RATE_COLUMNS]
    ).drop(columns="not_reoffending")
    shown = disclosure.mask_small_counts(shown, "reoffences", threshold, derived=FREQUENCY_COLUMNS)
    shown = disclosure.mask_small_counts(
        shown, "reoffenders", threshold, derived=[*RATE_COLUMNS, *FREQUENCY_COLUMNS]
    )
    table = html_table(
        shown,
        caption=f"Juvenile proven re-offending by cohort year, {place}",
        formats={"reoffences_per_reoffender": 2, "frequency_lower": 2, "frequency_upper": 2},
        notes=[
            f"Trend of the rate: {trends['rate']}; of the frequency: {trends['frequency']} "
            "(weighted regression, 99.8%).",
            "Cohorts are followed for 12 months plus 6 months for convictions, so the latest "
            "cohort is about 18 months old.",
        ],
    )
    return [chart, table]


def probation_parts(probation: pd.DataFrame, report: YouthCrimeReport) -> list:
    """The latest year's probation outcomes by age (table) and employment by age (chart).

    A percentage that would let a reader work out a count below the threshold (few orders
    ending, or few in or out of work or settled accommodation) is hidden in the table and
    not drawn, as the re-offending rates are.
    """
    threshold = report.threshold
    latest = probation[probation["year"] == probation["year"].max()]
    shown = disclosure.mask_small_counts(
        latest[PROBATION_COLUMNS + ["in_employment", "in_settled_accommodation"]].assign(
            not_employed=latest["terminations"] - latest["in_employment"],
            not_settled=latest["terminations"] - latest["in_settled_accommodation"],
        ),
        "terminations",
        threshold,
        derived=PROBATION_COLUMNS[2:],
    )
    for count, measure in PROBATION_SHARES:
        derived = [measure, f"{measure}_lower", f"{measure}_upper"]
        shown = disclosure.mask_small_counts(shown, count, threshold, derived=derived)
    shown = shown[PROBATION_COLUMNS]
    table = html_table(
        shown,
        caption=(
            "Employment and settled accommodation at the end of probation by age, "
            f"{report.place}, {latest['year'].iloc[0]}"
        ),
        notes=["Percentages of orders ending; lower and upper: 95% Wilson interval."],
    )
    # employment of few orders ending, or of few in or out of work: not drawn
    few = [
        disclosure.share_is_disclosive(x, n, threshold)
        for x, n in zip(probation["in_employment"], probation["terminations"], strict=True)
    ]
    drawn = probation.copy()
    drawn.loc[few, ["employment", "employment_lower", "employment_upper"]] = float("nan")
    young = drawn[drawn["age_group"] == "18-24"]
    older = drawn[drawn["age_group"] == "25+"]
    chart = Chart(
        yc.interval_chart,
        {
            "labels": young["year"],
            "series": {
                "Aged 18-24": (
                    young["employment"],
                    young["employment_lower"],
                    young["employment_upper"],
                ),
                "Aged 25 and over": (
                    older["employment"],
                    older["employment_lower"],
                    older["employment_upper"],
                ),
            },
            "title": yc.employment_title(probation, threshold),
            "subtitle": (
                "% of probation orders ending with the person in employment, by age, "
                f"{report.place}, {report.period}"
            ),
            "source": "HM Prison and Probation Service probation outcomes",
            "ylabel": "% in employment",
        },
        "02_youth_crime_probation_employment",
        yc.probation_sentence(probation, report.cfg.significance_level, threshold),
    )
    return [table, chart]
