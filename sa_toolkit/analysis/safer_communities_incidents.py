"""The safer communities report's sections on recorded incidents (hate crime, fires, road
casualties) and its population context, as ``06_safer_communities`` shows them.

Each function takes the report's shared results
(:class:`~sa_toolkit.analysis.safer_communities_report.SaferCommunitiesReport`, computed
once by its ``prepare``) and returns a :class:`~sa_toolkit.analysis.sections.Section`; the
notebook imports them through :mod:`sa_toolkit.analysis.safer_communities_report`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sa_toolkit import charts, disclosure, findings, report_tables
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis.sections import Chart, Section

if TYPE_CHECKING:
    from sa_toolkit.analysis.safer_communities_report import SaferCommunitiesReport

#: the indicators whose series breaks start the road casualty chart
KSI_SERIES = ["ksi_casualties", "NI47"]


def _no_change_note(fy):
    previous = fy.previous().label
    return pc.not_available(f"Change on {previous}", previous)


# ----------------------------------------------------------------------------- hate crime


def _strand_chart(report: SaferCommunitiesReport, counts: pd.Series) -> Chart:
    fy, hate = report.cfg.year, report.hate
    top = counts.idxmax()
    return Chart(
        charts.bar_chart,
        {
            "values": counts,
            "title": f"{top} was the strand of {counts[top] / hate['this_year'] * 100:.0f}% of "
            f"hate crimes in {fy.label}",
            "subtitle": "Hate crimes by monitored strand (a crime can have more than one), "
            f"{report.place}, {fy.label}",
            "source": "Police crime recording system extract (hate crime flags)",
            "xlabel": "Hate crimes",
        },
        "06_safer_communities_hate_crime_strands",
        f"Bar chart of {hate['this_year']:,} hate crimes in {fy.label} by strand: "
        + "; ".join(f"{k} {v:,.0f}" for k, v in counts.items()),
    )


def hate_crime_section(report: SaferCommunitiesReport) -> Section:
    """Hate crimes by monitored strand: a chart of this year's published counts (when any)
    and the table of both years with small counts suppressed; the change is "not
    available" when the extract holds nothing for last year."""
    fy, hate = report.cfg.year, report.hate
    if hate is None:
        return Section().add(pc.absent("crime_incidents", "the hate crime breakdown", report.cfg))
    section = Section()
    strands = disclosure.suppress_counts(hate["by_strand"], report.threshold, row_totals=False)
    counts = strands.published_values()[fy.label].drop("Total").dropna()
    if counts.sum() > 0:
        section.add(_strand_chart(report, counts))
    if hate["has_comparison"]:
        years = (
            f"{fy.previous().label} and {fy.label} "
            f"({hate['last_year']:,} and {hate['this_year']:,} hate crimes)"
        )
    else:
        section.add(_no_change_note(fy))
        years = f"{fy.label} ({hate['this_year']:,} hate crimes)"
    table = report_tables.html_table(
        strands.display().rename(index={"Total": "Total strand flags"}).rename_axis("Strand"),
        caption=f"Hate crimes by monitored strand, {report.place}, {years}",
        notes=[
            "A crime flagged with more than one strand counts in each, so the strand flags add up "
            "to more than the number of hate crimes.",
            strands.note,
        ],
    )
    return section.add(table)


# ----------------------------------------------------------------------------- fires


def _fire_title_and_alt(report: SaferCommunitiesReport, primary: pd.Series) -> tuple[str, str]:
    fy, threshold = report.cfg.year, report.threshold
    this_year = disclosure.safe_count(primary["this_year"], threshold)
    if not report.fire["has_comparison"]:
        # a sentence's first word: "Fewer than 5 primary fires ...", as the key finding
        opening = this_year[:1].upper() + this_year[1:]
        return (
            f"{opening} primary fires were attended in {fy.label}",
            f"{opening} primary fires in {fy.label}.",
        )
    # the change sentence without its bracketed detail, as a chart title
    change = findings.change_sentence(
        "Primary fires",
        primary["last_year"],
        primary["this_year"],
        unit="fires",
        threshold=threshold,
    )
    title = change.split(" (")[0].rstrip(".") + f" in {fy.label}"
    alt = (
        f"{this_year} primary fires in {fy.label} against "
        f"{disclosure.safe_count(primary['last_year'], threshold)} the year before."
    )
    return title, alt


def _fire_table(report: SaferCommunitiesReport, shown: pd.DataFrame, compared: str):
    fy, threshold = report.cfg.year, report.threshold
    return report_tables.html_table(
        shown.drop(columns="significant"),
        caption=f"Fires and fire casualties, {report.place}, {compared}{fy.label}; "
        "rates per 100,000 residents",
        formats={
            "rate_last": 1,
            "rate_this": 1,
            "lower": 1,
            "upper": 1,
            "change": "{:+.0f}%",
            "p_value": "{:.3f}",
        },
        headers={
            "last_year": fy.previous().label,
            "this_year": fy.label,
            "rate_last": f"Rate {fy.previous().label}",
            "rate_this": f"Rate {fy.label}",
            "lower": "95% CI lower",
            "upper": "95% CI upper",
            "p_value": "p-value",
        },
        notes=[
            disclosure.suppression_note(threshold),
            "Deliberate fires are reported per 10,000 residents in the anti-social behaviour "
            "report.",
        ],
    )


def fires_section(report: SaferCommunitiesReport) -> Section:
    """Fires per month (chart) and fires and casualties this year and last with rates per
    100,000 (table, small counts and what is worked out from them hidden); the change is
    "not available" when the extract holds nothing for last year."""
    fy, threshold, fire = report.cfg.year, report.threshold, report.fire
    if fire is None:
        return Section().add(pc.absent("fire_incidents", "fire figures", report.cfg))
    section = Section()
    table, monthly = fire["table"], fire["monthly"]
    title, alt = _fire_title_and_alt(report, table.set_index("measure").loc["Primary fires"])
    if len(monthly):
        first, last = monthly.index[0].strftime("%B %Y"), monthly.index[-1].strftime("%B %Y")
        chart = Chart(
            charts.monthly_trend,
            {
                "monthly": monthly,
                "title": title,
                "subtitle": f"Fires attended per month, {report.place}, {first} to {last}",
                "source": "Fire and rescue service Incident Recording System",
                "measure": "Fires",
            },
            "06_safer_communities_fires_trend",
            f"Line chart of primary and secondary fires per month in {report.place}: " + alt,
        )
        section.add(chart)
    derived = [c for c in ["rate_this", "lower", "upper", "change", "p_value"] if c in table]
    shown = disclosure.mask_small_counts(table, "this_year", threshold, derived=derived)
    if fire["has_comparison"]:
        shown = disclosure.mask_small_counts(
            shown, "last_year", threshold, derived=["rate_last", "change"]
        )
        compared = f"{fy.previous().label} and "
    else:
        section.add(_no_change_note(fy))
        compared = ""
    return section.add(_fire_table(report, shown, compared))


# ----------------------------------------------------------------------------- roads


def _ksi_drawn(report: SaferCommunitiesReport) -> pd.DataFrame:
    """The years drawn (from the latest series break, if any) with counts below the
    threshold blanked (a gap) and written "fewer than N" for the alt text."""
    roads, threshold = report.roads, report.threshold
    breaks = [int(k[:4]) for k in pc.breaks_for(KSI_SERIES, report.cfg.raw_dir)]
    first_year = max([b for b in breaks if b <= roads["year"].max()], default=roads["year"].min())
    shown = roads[roads["year"] >= first_year].astype({"year": str})
    small = shown["casualties"].between(1, threshold - 1)
    shown.loc[small, ["value", "lower", "upper"]] = float("nan")
    shown["count_text"] = (
        shown["casualties"].map("{:,}".format).mask(small, f"fewer than {threshold}")
    )
    return shown


def _ksi_title(report: SaferCommunitiesReport, last: pd.Series) -> str:
    target = report.ksi_target
    count = disclosure.safe_count(int(last["casualties"]), report.threshold).capitalize()
    title = f"{count} people were killed or seriously injured on the roads in {last['year']}"
    if target is None:
        return title
    met = "within" if last["casualties"] <= target else "above"
    return title + f", {met} the target of {target:,.0f}"


def road_casualties_section(report: SaferCommunitiesReport) -> Section:
    """Killed or seriously injured road casualties by year, all ages and children, against
    the framework's target (chart), or the note that the figures were not supplied."""
    if not len(report.roads):
        what = "road casualty figures"
        return Section().add(pc.absent("road_casualties", what, report.cfg))
    shown = _ksi_drawn(report)
    last = shown[shown["group"] == "All ages"].iloc[-1]
    chart = Chart(
        pc.interval_chart,
        {
            "values": shown,
            "x": "year",
            "series": "group",
            "title": _ksi_title(report, last),
            "subtitle": "Killed or seriously injured road casualties with 95% Poisson intervals, "
            f"{report.place}, calendar years {shown['year'].iloc[0]} to {last['year']}",
            "source": "Department for Transport, reported road casualties (STATS19)",
            "ylabel": "Casualties",
            "reference": report.ksi_target,
            "reference_label": "Target (all ages)",
        },
        "06_safer_communities_road_casualties",
        "Chart of killed or seriously injured road casualties by year, all ages and children: "
        + "; ".join(f"{r.group} {r.year}: {r.count_text}" for r in shown.itertuples()),
    )
    return Section().add(chart)


# ----------------------------------------------------------------------------- population


def population_section(report: SaferCommunitiesReport) -> Section:
    """Residents by age group at the baseline and assessed mid-years, with the change
    (context for the rates); empty without population estimates, as the section is
    context, not a measure (the rates that need them say so themselves)."""
    people = report.people
    if not len(people):
        return Section()
    first, last = people.attrs["years"]
    if first == last:  # the baseline is the assessed year: one estimate, no change
        people, years_shown = people.drop(columns=["last", "change"]), f"mid-{first}"
    else:
        years_shown = f"mid-{first} and mid-{last}"
    table = report_tables.html_table(
        people.rename(columns={"first": f"Mid-{first}", "last": f"Mid-{last}"}),
        caption=f"Residents by age group, {report.place}, {years_shown}",
        formats={"change": "{:+.1f}%"},
        headers={"age_group": "Age group", "change": "Change"},
        notes="Rates per 100,000 and per 1,000 in this report use the mid-year estimate of "
        "each financial year's start (the nearest one when there is none for that year).",
    )
    return Section().add(table)
