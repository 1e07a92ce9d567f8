"""The alcohol sections of the drugs and alcohol report: alcohol-related violence, hospital
admissions, and residents' perceptions of drunk or rowdy behaviour and of drug use.

Each function takes the :class:`~sa_toolkit.analysis.drugs_alcohol_report.DrugsAlcoholReport`
that :func:`~sa_toolkit.analysis.drugs_alcohol_report.prepare` computed once and returns
the :class:`~sa_toolkit.analysis.sections.Section` of one heading of ``04_drugs_and_alcohol``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from IPython.display import HTML

from sa_toolkit import charts, disclosure, findings, report_tables
from sa_toolkit.analysis import drugs_alcohol as da
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis.sections import Chart, Section

if TYPE_CHECKING:
    from sa_toolkit.analysis.drugs_alcohol_report import DrugsAlcoholReport

NAME = "04_drugs_and_alcohol"
#: wards shown in the chart and table of alcohol-related violence
TOP_WARDS = 10


def alcohol_violence_section(report: DrugsAlcoholReport) -> Section:
    """Alcohol-related violence in the ten wards with most, and the night-time share.

    A sentence instead when the incident extract holds none in the year.
    """
    cfg, violence = report.cfg, report.violence
    if violence is None:
        return Section().add(pc.absent("crime_incidents", "alcohol-related violence", cfg))
    fy, place, threshold = cfg.year, report.place, report.threshold
    if not violence["count"]:
        return Section().add(
            HTML(
                "<p>No violence against the person flagged as alcohol-related was recorded "
                f"in {place} in {fy.label}.</p>"
            )
        )
    wards = violence["wards"]
    top = wards.iloc[0]
    chart = Chart(
        charts.bar_chart,
        {
            "values": wards.head(TOP_WARDS).set_index("ward_name")["alcohol_related"],
            "title": f"{top['ward_name']} had {findings.format_percent(top['share_of_all'])}"
            f" of alcohol-related violence; {findings.format_percent(violence['night_share'])} "
            "was on Friday and Saturday nights",
            "subtitle": "Alcohol-related violence against the person, top 10 wards, "
            f"{place}, {fy.label}",
            "source": "Police crime recording system extract (alcohol flag)",
            "highlight": top["ward_name"],
            "xlabel": "Offences",
            "threshold": threshold,
        },
        f"{NAME}_alcohol_violence_wards",
        "Bar chart of alcohol-related violence in the ten wards with most: "
        f"{top['ward_name']} {disclosure.safe_count(top['alcohol_related'], threshold)} "
        f"offences of {disclosure.safe_count(violence['count'], threshold)}.",
    )
    # a small count is hidden with the shares that would give it away
    shown = disclosure.mask_small_counts(
        wards.head(TOP_WARDS),
        "alcohol_related",
        threshold,
        derived=["share_of_ward_violence", "share_of_all"],
    )
    shown = disclosure.mask_small_counts(
        shown, "violence", threshold, derived=["share_of_ward_violence"]
    )
    table = report_tables.html_table(
        shown,
        caption=f"Alcohol-related violence by ward (top 10), {place}, {fy.label}",
        formats={"share_of_ward_violence": "{:.0f}%", "share_of_all": "{:.0f}%"},
        headers={
            "ward_name": "Ward",
            "alcohol_related": "Alcohol-related",
            "violence": "All violence",
            "share_of_ward_violence": "% of ward's violence",
            "share_of_all": "% of all alcohol-related",
        },
        notes=[
            "Friday and Saturday nights (22:00 to 03:00) are 6% of the week's hours but held "
            f"{violence['night_share']:.0f}% of alcohol-related violence and "
            f"{violence['night_share_other']:.0f}% of other violence.",
            disclosure.suppression_note(threshold),
        ],
    )
    return Section().add(chart, table)


def admissions_section(report: DrugsAlcoholReport) -> Section:
    """The age-standardised alcohol-related admission rate by year, persons and each sex."""
    cfg, admissions = report.cfg, report.admissions
    rates = admissions.dropna(subset=["value"])
    if not len(rates):
        return Section().add(pc.absent("alcohol_admissions", "the admission rate", cfg))
    fy = cfg.year
    persons = rates[rates["sex"] == "Persons"]
    rate_now = persons[persons["financial_year"] == fy.label]
    title = "Alcohol-related admissions: age-standardised rate by year"
    if len(rate_now):
        rate_first = persons.iloc[0]
        # the change sentence without its bracketed rates, then the five-year trend
        title = (
            findings.change_sentence(
                "The alcohol-related admission rate",
                rate_first["value"],
                rate_now.iloc[0]["value"],
                unit="",
            ).split(" (")[0]
            + f" between {rate_first['financial_year']} and {fy.label}; five-year trend: "
            + da.admissions_trend(admissions)
        )
    return Section().add(
        Chart(
            pc.interval_chart,
            {
                "values": rates,
                "x": "financial_year",
                "series": "sex",
                "title": title,
                "subtitle": "Admissions per 100,000, directly standardised (ESP 2013), "
                f"95% intervals, {report.place}",
                "source": "OHID Local Alcohol Profiles; Hospital Episode Statistics",
                "ylabel": "Per 100,000",
            },
            f"{NAME}_alcohol_admissions_dsr",
            "Chart of alcohol-related hospital admission rates per 100,000 by year for "
            "persons, females and males, with 95% confidence intervals: "
            + "; ".join(
                f"{r.financial_year} {r.value:.0f} per 100,000" for r in persons.itertuples()
            ),
        )
    )


def perceptions_section(report: DrugsAlcoholReport) -> Section:
    """Residents seeing drunk or rowdy behaviour and drug use or dealing as a big problem:
    by survey wave, and by ward in the latest wave."""
    cfg, views = report.cfg, report.views
    if views is None:
        return Section().add(pc.absent("residents_survey", "survey perceptions", cfg))
    place = report.place
    by_wave = views["by_wave"]
    latest = by_wave[by_wave["wave"].astype(int) == views["latest_wave"]].sort_values("value")
    most = latest.iloc[-1]
    chart = Chart(
        pc.interval_chart,
        {
            "values": by_wave,
            "x": "wave",
            "series": "question",
            "title": f"{findings.format_percent(most['value'])} of residents see "
            f"{most['question'].lower()} as a big problem ({views['latest_wave']})",
            "subtitle": "Residents saying a very or fairly big problem (%, weighted), "
            f"95% intervals, {place}, survey waves",
            "source": "Residents' survey (base includes Don't know)",
            "ylabel": "% saying a big problem",
            "percent": True,
        },
        f"{NAME}_perceptions",
        "Chart of the percentage of residents seeing drunk or rowdy behaviour and drug use or "
        "dealing as a big problem in each survey wave: "
        + "; ".join(f"{r.question} {r.wave}: {r.value:.0f}%" for r in by_wave.itertuples()),
    )
    table = report_tables.html_table(
        pc.survey_ward_table(views["by_ward"], pc.ward_names(report.store.get("lookup"))),
        caption="Residents seeing each as a very or fairly big problem by ward: "
        f"% (95% interval), {place}, wave {views['latest_wave']}",
        notes=f"Wards with fewer than {pc.MIN_RESPONDENTS} answers are not shown.",
    )
    return Section().add(chart, table)
