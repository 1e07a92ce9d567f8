"""Youth crime (priority 2): the report's sections, as ``notebooks/02_youth_crime`` shows them.

:func:`prepare` (from :mod:`~sa_toolkit.analysis.youth_crime_data`) reads the report's
data once into one :class:`YouthCrimeReport`; each section function here turns it into the
:class:`~sa_toolkit.analysis.sections.Section` under one heading of the report: its
tables, notes and charts in order, with titles, alt texts and disclosure control. A
dataset that was not supplied gives its section the note that says so. The calculations
are in :mod:`~sa_toolkit.analysis.youth_crime`, the sentences in
:mod:`~sa_toolkit.analysis.youth_crime_text`; the offenders' section (re-offending and
probation) in :mod:`~sa_toolkit.analysis.youth_crime_offenders`.
"""

from __future__ import annotations

import pandas as pd

from sa_toolkit import charts, disclosure, findings
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.analysis.sections import Chart, Section

# the notebook's first call (the data, read once) and its re-offending section live apart
from sa_toolkit.analysis.youth_crime_data import YouthCrimeReport, prepare  # noqa: F401
from sa_toolkit.analysis.youth_crime_offenders import young_offenders  # noqa: F401
from sa_toolkit.framework import row_target
from sa_toolkit.report_tables import html_table

#: the wards a robbery chart shows at most
ROBBERY_WARDS_SHOWN = 8


# ----------------------------------------------------------------------------- key findings


def key_findings(report: YouthCrimeReport) -> list[str]:
    """Up to six key findings, most important first (the first is the report's headline)."""
    cfg, threshold, inc = report.cfg, report.threshold, report.incidents
    key = []
    if inc is not None:
        victims = inc.young_change.loc["Victims 10-17"]
        key += [
            yc.change_finding(
                f"Serious youth violence victims in {cfg.year.label}",
                inc.syv_before,
                inc.syv.iloc[-1],
                "victims",
                inc.syv_test,
                target=row_target(report.framework, "LI2", "relative_change"),
                threshold=threshold,
                compared_with=report.previous_label,
            ),
            yc.change_finding(
                f"Victims aged 10-17 in {cfg.year.label}",
                victims["before"],
                victims["after"],
                "victims",
                victims.to_dict(),
                threshold=threshold,
                compared_with=report.previous_label,
            ),
        ]
    if len(report.fte):
        key.append(yc.fte_sentence(report.fte, threshold, report.framework_row("NI111")))
    if inc is not None:
        key.append(yc.after_school_sentence(inc.peak))
    if len(report.cohorts):
        key.append(yc.reoffending_sentence(report.cohorts, report.trends, threshold))
    places = inc.robbery_places if inc is not None else pd.DataFrame()
    if len(places) and places["victims"].sum() >= threshold:
        top = places.iloc[0]
        key.append(
            findings.share_sentence(
                f"{top['ward']} ward",
                top["victims"],
                f"robberies of 10-17 year olds in {cfg.year.label}",
                places["victims"].sum(),
                unit="victims",
                threshold=threshold,
            )
        )
    if not key:
        key.append(
            pc.missing_text("crime_incidents", "Young victims and suspects", cfg)
            + " The youth justice and re-offending extracts were not supplied either."
        )
    return key[:6]


# ----------------------------------------------------------------------------- sections


def framework_section(report: YouthCrimeReport) -> Section:
    """The youth crime rows of the performance framework, year before against year."""
    return Section().add(
        pf.framework_html(report.framework, report.cfg, "Youth crime performance framework")
    )


def young_victims(report: YouthCrimeReport) -> Section:
    """Victims and suspects aged 10-17 and 18-24: monthly chart and yearly table."""
    cfg, inc, previous = report.cfg, report.incidents, report.previous_label
    if inc is None:
        return Section().add(
            pc.absent(
                "crime_incidents",
                "victims and suspects aged 10-24 (the open police data hold no ages)",
                cfg,
            )
        )
    section = Section()
    change = inc.young_change
    if inc.compared:
        # the title names the series that changed most
        top = change["change"].abs().idxmax()
        title = yc.change_finding(
            f"{top.replace(' ', ' aged ', 1)} in {cfg.year.label}",
            change.loc[top, "before"],
            change.loc[top, "after"],
            "",
            change.loc[top].to_dict(),
            threshold=report.threshold,
        ).rstrip(".")
        values = " ".join(
            f"{m}: {yc.count_text(r['before'], report.threshold)} in {previous}, "
            f"{yc.count_text(r['after'], report.threshold)} in {cfg.year.label}."
            for m, r in change.iterrows()
        )
    else:
        section.add(pc.not_available(f"Change on {previous}", previous))
        top = change["after"].idxmax()
        title = f"{top.replace(' ', ' aged ', 1)} were the largest group in {cfg.year.label}"
        values = " ".join(
            f"{m}: {yc.count_text(r['after'], report.threshold)} in {cfg.year.label}."
            for m, r in change.iterrows()
        )
    section.add(
        Chart(
            charts.monthly_trend,
            {
                "monthly": inc.young,
                "title": title,
                "subtitle": (
                    f"Victims and suspects aged 10-17 and 18-24 per month, {report.place}, "
                    f"{inc.period}"
                ),
                "source": report.incidents_source,
                "measure": "People",
            },
            "02_youth_crime_young_victims_suspects",
            "Line chart of monthly victims and suspects aged 10-17 and 18-24 in "
            f"{report.place}, {inc.period}. " + values,
        )
    )
    table = disclosure.suppress_counts(
        inc.young_years, report.threshold, row_totals=False, column_totals=False
    )
    return section.add(
        html_table(
            table.display(),
            caption=f"Victims and suspects aged 10-24 by financial year, {report.place}",
            notes=[table.note, "One victim or suspect per recorded incident; ages as recorded."],
        )
    )


def serious_violence(report: YouthCrimeReport) -> Section:
    """Serious youth violence victims by financial year (counts below the threshold not drawn)."""
    cfg, inc = report.cfg, report.incidents
    if inc is None:
        return Section().add(
            pc.absent(
                "crime_incidents",
                "serious youth violence (the open police data hold no ages or offence codes)",
                cfg,
            )
        )
    shown = yc.publishable(inc.syv, report.threshold)
    title = yc.change_finding(
        "Serious youth violence victims",
        inc.syv_before,
        inc.syv.iloc[-1],
        "",
        inc.syv_test,
        threshold=report.threshold,
        compared_with=report.previous_label,
    ).rstrip(".")
    return Section().add(
        Chart(
            charts.bar_chart,
            {
                "values": shown,
                "title": title,
                "subtitle": (
                    "Victims of serious youth violence per financial year, "
                    f"{report.place}, {inc.period}"
                ),
                "source": report.incidents_source,
                "sort": False,
                "highlight": cfg.year.label,
                "xlabel": "Victims",
            },
            "02_youth_crime_serious_youth_violence",
            "Bar chart of serious youth violence victims per financial year: "
            + yc.counts_text(shown, report.threshold)
            + ".",
        )
    )


def first_time_entrants(report: YouthCrimeReport) -> Section:
    """First-time entrants aged 10-17 by financial year, with the rate per 100,000."""
    fte, threshold = report.fte, report.threshold
    if not len(fte):
        if not report.fte_supplied:
            return Section().add(
                pc.absent("youth_first_time_entrants", "first-time entrants", report.cfg)
            )
        return Section().add(
            findings.HtmlBlock("<p>No first-time entrants data cover a whole financial year.</p>")
        )
    target = row_target(report.framework, "NI111", "level")
    shown = yc.publishable(fte.set_index("year")["entrants"], threshold)
    # the chart's title is the key finding's first clause
    title = (
        yc.fte_sentence(fte, threshold, report.framework_row("NI111"))
        .split(":")[0]
        .split(";")[0]
        .rstrip(".")
    )
    chart = Chart(
        charts.bar_chart,
        {
            "values": shown,
            "title": title,
            "subtitle": (
                f"First-time entrants aged 10-17 per financial year, {report.place}, "
                f"{report.period}"
            ),
            "source": "Youth Justice Board first time entrants (PNC)",
            "sort": False,
            "highlight": fte["year"].iloc[-1],
            "reference": target,
            "reference_label": "NI 111 target",
            "xlabel": "First-time entrants",
        },
        "02_youth_crime_first_time_entrants",
        "Bar chart of first-time entrants per financial year: "
        + yc.counts_text(shown, threshold)
        + (f"; target {target:g}." if target is not None else "."),
    )
    table = disclosure.mask_small_counts(
        fte[["year", "entrants", "population_10_17", "value", "lower", "upper"]].rename(
            columns={"value": "rate_per_100000", "population_10_17": "population aged 10-17"}
        ),
        "entrants",
        threshold,
        derived=["rate_per_100000", "lower", "upper"],
    )
    return Section().add(
        chart,
        html_table(
            table,
            caption=f"First-time entrants and rate per 100,000 aged 10-17, {report.place}",
            headers={"rate_per_100000": "Rate per 100,000"},
            formats={"population aged 10-17": 0, "rate_per_100000": 1, "lower": 1, "upper": 1},
            notes=["Lower and upper: 95% confidence interval (Byar's method; exact below 10)."],
        ),
    )


def after_school_peak(report: YouthCrimeReport) -> Section:
    """Offences against 10-17 year olds by hour, school days against other days."""
    cfg, inc = report.cfg, report.incidents
    if inc is None:
        return Section().add(
            pc.absent(
                "crime_incidents",
                "the after-school peak (the open police data hold no times or ages)",
                cfg,
            )
        )
    sentence = yc.after_school_sentence(inc.peak)
    return Section().add(
        Chart(
            yc.hourly_chart,
            {
                "hourly": inc.peak["hourly"],
                "title": sentence.split("(")[0].rstrip(" ,."),
                "subtitle": (
                    "Share of offences against victims aged 10-17 by hour of day, school days "
                    f"and other days, {report.place}, {cfg.year.label}"
                ),
                "source": (
                    f"{report.incidents_source}; school days: Monday to Friday outside school "
                    "holidays"
                ),
            },
            "02_youth_crime_after_school_peak",
            "Line chart of the hourly share of offences against 10-17 year olds on school days "
            "and other days. " + sentence,
        )
    )


def youth_robbery(report: YouthCrimeReport) -> Section:
    """Robbery of and by young people by year, and the wards of robbery victims aged 10-17."""
    cfg, inc, threshold = report.cfg, report.incidents, report.threshold
    if inc is None:
        return Section().add(
            pc.absent(
                "crime_incidents",
                "robbery of and by young people (the open police data hold no ages)",
                cfg,
            )
        )
    robbery = inc.robbery.set_index("year").rename(
        columns={
            "victims_10_17": "victims aged 10-17",
            "victims_18_24": "victims aged 18-24",
            "suspects_10_17": "suspects aged 10-17",
        }
    )
    counts = disclosure.suppress_counts(
        robbery[["victims aged 10-17", "victims aged 18-24", "suspects aged 10-17"]],
        threshold,
        row_totals=False,
        column_totals=False,
    )
    shown = counts.display()
    shown.insert(0, "robberies", [disclosure.safe_cell(n, threshold) for n in robbery["robberies"]])
    # a share of a suppressed count would give the count away
    shown["victims aged 10-17 (% of robberies)"] = [
        "[c]" if suppressed else f"{share:.0f}%"
        for suppressed, share in zip(
            counts.status["victims aged 10-17"], robbery["share_victims_10_17"], strict=True
        )
    ]
    section = Section().add(
        html_table(
            shown.rename_axis("year"),
            caption=f"Robbery and young people by financial year, {report.place}",
            notes=[counts.note],
        )
    )
    places = inc.robbery_places
    places = places[places["victims"] >= max(threshold, 1)].head(ROBBERY_WARDS_SHOWN)
    if not len(places):
        return section
    return section.add(
        Chart(
            charts.bar_chart,
            {
                "values": places.set_index("ward")["victims"],
                "title": (
                    f"{places.iloc[0]['ward']} had the most robberies of 10-17 year olds in "
                    f"{cfg.year.label}"
                ),
                "subtitle": (
                    f"Robbery victims aged 10-17 by ward (wards with {threshold} or more), "
                    f"{report.place}, {cfg.year.label}"
                ),
                "source": report.incidents_source,
                "xlabel": "Victims",
            },
            "02_youth_crime_youth_robbery_wards",
            "Bar chart of robbery victims aged 10-17 by ward: "
            + ", ".join(f"{w} {n}" for w, n in zip(places["ward"], places["victims"], strict=True))
            + ".",
        )
    )


def recommendations(report: YouthCrimeReport) -> Section:
    """The report's recommendations for the rolling plan, from what worsened, where and when."""
    threshold, inc = report.threshold, report.incidents
    concerns = pf.framework_concerns(report.framework)
    worsened = list(concerns["worsened"])
    places, times = [], []
    if inc is not None:
        for measure, r in inc.young_change.iterrows():
            if r["significant"] and r["after"] > r["before"]:
                worsened.append(rise_text(measure, r["before"], r["after"], r["change"], threshold))
        places = [
            f"{r['ward']} ({r['share']:.0f}% of robberies of 10-17 year olds)"
            for _, r in inc.robbery_places.head(3).iterrows()
            if r["victims"] >= threshold
        ]
        peak = inc.peak
        if peak["significant"] and peak["ratio"] > 1:
            times.append(
                f"15:00 to 18:00 on school days ({peak['school_share'] * 100:.0f}% of school-day "
                "offences against 10-17 year olds)"
            )
    return Section().add(
        findings.implications(
            worsened=worsened,
            missed_target=concerns["missed_target"],
            places=places,
            times=times,
            compared=pf.assessed_indicators(report.framework) > 0
            or (inc is not None and pf.compared_rows(inc.young_change)),
        )
    )


def rise_text(measure: str, before, after, change: float, threshold: int) -> str:
    """A significant rise for the recommendations: "Victims 10-17 (+50%, 30 to 45)"; a count
    below the threshold is "fewer than N" and the % left out (it would give the count away)."""
    if any(disclosure.is_small([before, after], threshold)):
        return (
            f"{measure} ({yc.count_text(before, threshold)} to {yc.count_text(after, threshold)})"
        )
    return f"{measure} (+{change:.0f}%, {int(before):,} to {int(after):,})"
