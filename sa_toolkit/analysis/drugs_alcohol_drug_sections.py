"""The drug sections of the drugs and alcohol report: offences, their maps, stop and search
and treatment.

Each function takes the :class:`~sa_toolkit.analysis.drugs_alcohol_report.DrugsAlcoholReport`
that :func:`~sa_toolkit.analysis.drugs_alcohol_report.prepare` computed once and returns
the :class:`~sa_toolkit.analysis.sections.Section` of one heading of ``04_drugs_and_alcohol``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.display import HTML

from sa_toolkit import charts, disclosure, findings, maps, report_tables
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis.sections import Chart, Section

if TYPE_CHECKING:
    from sa_toolkit.analysis.drugs_alcohol_report import DrugsAlcoholReport

NAME = "04_drugs_and_alcohol"
#: the labels of NDTMS substance groups in the treatment chart and table
SUBSTANCE_LABELS = {
    "opiate": "Opiate",
    "non_opiate": "Non-opiate",
    "alcohol": "Alcohol only",
    "non_opiate_and_alcohol": "Non-opiate and alcohol",
}
INTERVAL_FORMATS = {"value": "{:.1f}%", "lower": "{:.1f}%", "upper": "{:.1f}%"}


def drug_offences_section(report: DrugsAlcoholReport) -> Section:
    """Possession and supply offences: the monthly trend and the table by kind."""
    cfg, offences = report.cfg, report.offences
    if offences is None:
        return Section().add(pc.absent("crime_incidents", "the breakdown of drug offences", cfg))
    fy, place, threshold = cfg.year, report.place, report.threshold
    monthly = offences["monthly"]
    total = offences["table"].set_index("kind").loc["All drug offences"]
    this_year = disclosure.safe_count(total["this_year"], threshold)
    if offences["has_comparison"]:
        # the change sentence without its bracketed counts and significance clause
        title = (
            findings.change_sentence(
                "Drug offences", total["last_year"], total["this_year"], threshold=threshold
            )
            .split(" (")[0]
            .rstrip(".")
            + f" in {fy.label}"
        )
        alt = (
            f"{this_year} drug offences in {fy.label} against "
            f"{disclosure.safe_count(total['last_year'], threshold)} in {fy.previous().label}."
        )
    else:
        title = f"{this_year} drug offences were recorded in {fy.label}"
        alt = f"{this_year} drug offences in {fy.label}."
    section = Section().add(
        Chart(
            charts.monthly_trend,
            {
                "monthly": monthly,
                "title": title,
                "subtitle": f"Recorded drug offences per month by kind, {place}, "
                f"{monthly.index[0].strftime('%B %Y')} to {monthly.index[-1].strftime('%B %Y')}",
                "source": "Police crime recording system extract "
                "(Home Office offence codes 92A-92E)",
                "breaks": pc.breaks_for(["drug_offences_rate"], cfg.raw_dir),
            },
            f"{NAME}_drug_offences_trend",
            f"Line chart of monthly possession and supply offences in {place}: " + alt,
        )
    )
    shown = offences["table"].rename(
        columns={"last_year": fy.previous().label, "this_year": fy.label}
    )
    compared_years = (fy.previous().label, fy.label)
    if not offences["has_comparison"]:
        section.add(pc.not_available(f"Change on {fy.previous().label}", fy.previous().label))
        shown = shown[["kind", fy.label]]
        compared_years = (fy.label,)
    for column in compared_years:
        shown = disclosure.mask_small_counts(
            shown,
            column,
            threshold,
            derived=[c for c in ("change", "p_value") if c in shown],
            total_row=("kind", "All drug offences"),
        )
    if "significant" in shown:
        shown["significant"] = shown["significant"].map({True: "yes", False: "no"})
    return section.add(
        report_tables.html_table(
            shown,
            caption=f"Drug offences by kind, {place}, {' and '.join(compared_years)}",
            formats={"change": "{:+.1f}%", "p_value": "{:.3f}"},
            headers={"kind": "Offence", "change": "Change", "p_value": "p-value (exact test)"},
            notes=disclosure.suppression_note(threshold),
        )
    )


@dataclass
class PriorityMaps:
    """A measure's maps (ward and LSOA rates, hotspots), drawn and saved when shown.

    :func:`sa_toolkit.maps.priority_maps` displays its own figures, tables and notes (and
    the note naming the boundary files when there are none), so it is called at the
    moment the section is shown, in its place in the report.
    """

    cfg: Any
    events: pd.DataFrame
    what: str
    name: str
    source: str

    def show_in(self, output_dir) -> bool:
        return maps.priority_maps(
            self.cfg,
            output_dir,
            self.events,
            what=self.what,
            name=self.name,
            source=self.source,
        )


def drug_offence_maps(report: DrugsAlcoholReport) -> Section:
    """Maps of the year's drug offences in data.police.uk (rates by ward and LSOA, hotspots)."""
    cfg = report.cfg
    street = report.store.get("police_street")
    if street is None:
        return Section().add(pc.absent("police_street", "maps of drug offences", cfg))
    fy = cfg.year
    drugs = street[
        (street["crime_type"].astype(str) == "Drugs")
        & street["lsoa_code"].astype(str).isin(set(report.lsoas))
        & (street["month"] >= fy.first_month)
        & (street["month"] <= fy.last_month)
    ]
    return Section().add(
        PriorityMaps(
            cfg,
            drugs,
            what="Drug offences",
            name=f"{NAME}_drug_offences",
            source="data.police.uk street-level crime",
        )
    )


def stop_and_search_section(report: DrugsAlcoholReport) -> Section:
    """Stop and search for drugs: the share by outcome and the action and find rates."""
    cfg, searches = report.cfg, report.searches
    if searches is None:
        return Section().add(pc.absent("police_stop_search", "stop and search", cfg))
    fy, place, threshold = cfg.year, report.place, report.threshold
    n_search = searches["this_year"]
    where = "in the partnership" if searches["scope"] == "partnership" else "force-wide"
    if not n_search:
        return Section().add(HTML(f"<p>No stop and search for drugs {where} in {fy.label}.</p>"))
    if n_search < threshold:
        # shares of so few searches would give away the number with each outcome
        return Section().add(
            HTML(
                f"<p>There were {disclosure.safe_count(n_search, threshold)} stop and searches "
                f"for drugs {where} in {fy.label}: too few to show by outcome.</p>"
            )
        )
    outcomes = pc.combine_small(
        searches["outcomes"].set_index("outcome")["searches"], threshold, "Other outcomes"
    )
    share = outcomes / n_search * 100
    first = outcomes.index[0].lower().removeprefix("a ").removesuffix(" disposal")
    chart = Chart(
        charts.bar_chart,
        {
            "values": share,
            "title": f"{findings.format_percent(share.iloc[0])} of drug searches {where} "
            f"ended with {first}",
            "subtitle": "Share of stop and searches for controlled drugs by outcome (%), "
            f"{place}, {fy.label}",
            "source": "data.police.uk stop and search",
            "value_format": "{:.0f}%",
            "xlabel": "% of searches",
        },
        f"{NAME}_drug_search_outcomes",
        f"Bar chart of the outcomes of {n_search:,} stop and searches for drugs {where} in "
        f"{fy.label}; the most common was {outcomes.index[0]} ({share.iloc[0]:.0f}%).",
    )
    placed = (
        f"Searches are placed in the partnership by their coordinates (nearest LSOA); "
        f"{searches['no_coordinates']:,} drug searches in the force data had no coordinates."
        if searches["scope"] == "partnership"
        else "No search could be placed by its coordinates: figures are for the whole force."
    )
    rates = searches["rates"][["measure", "numerator", "searches", "value", "lower", "upper"]]
    # the searches without the outcome are hidden when few, and with them what reveals them
    rates = disclosure.mask_small_counts(
        rates.assign(rest=rates["searches"] - rates["numerator"]),
        "rest",
        threshold,
        derived=["numerator", "value", "lower", "upper"],
    )
    rates = disclosure.mask_small_counts(
        rates, "numerator", threshold, derived=["value", "lower", "upper"]
    ).drop(columns="rest")
    rates = disclosure.mask_small_counts(
        rates, "searches", threshold, derived=["numerator", "value", "lower", "upper"]
    )

    def count(n) -> str:
        return disclosure.safe_count(n, threshold)

    if searches["last_year"] is not None and searches["months_note"]:
        last_year = (
            f" ({count(searches['this_year_compared'])} searches against "
            f"{count(searches['last_year'])} in {fy.previous().label}, the same months)"
        )
    elif searches["last_year"] is not None:
        last_year = f" ({count(searches['last_year'])} searches in {fy.previous().label})"
    else:
        last_year = ""
    table = report_tables.html_table(
        rates,
        caption=f"Stop and search for drugs {where}: outcomes, {fy.label}" + last_year,
        formats=INTERVAL_FORMATS,
        headers={
            "numerator": "Searches",
            "searches": "Of all searches",
            "value": "Percent",
            "lower": "95% CI lower",
            "upper": "95% CI upper",
        },
        notes=[placed, searches["months_note"]],
    )
    return Section().add(chart, table)


def treatment_section(report: DrugsAlcoholReport) -> Section:
    """Successful completions by substance group, the caseload table and penetration."""
    cfg, treatment, pen = report.cfg, report.treatment, report.penetration
    fy, place, threshold = cfg.year, report.place, report.threshold
    section = Section()
    if not len(treatment):
        section.add(pc.absent("treatment_monthly", "treatment activity", cfg))
    else:
        labelled = treatment.assign(
            substance_group=treatment["substance_group"].map(SUBSTANCE_LABELS)
        )
        section.add(_completions_chart(labelled, fy, place, threshold))
        section.add(_caseload_table(labelled, place, threshold))
    if pen is not None:
        section.add(
            HTML(
                f"<p>Penetration: an average of "
                f"{disclosure.safe_count(round(pen['in_treatment']), threshold)} opiate clients "
                f"a month were in treatment in {fy.label}, {pen['value']:.0f}% of the "
                f"{pen['estimate']:,.0f} opiate users estimated for {pen['estimate_year']} "
                f"(95% interval of the estimate {pen['estimate_lower']:,.0f} to "
                f"{pen['estimate_upper']:,.0f}, so {pen['lower']:.0f}% to {pen['upper']:.0f}%)."
                "</p>"
            )
        )
    return section


def _completions_chart(labelled: pd.DataFrame, fy, place: str, threshold: int):
    """The completion rates by substance group, or the note that they are too few to show."""
    # a completion rate of a small number in treatment (or of few completions) is not drawn
    few = [
        disclosure.share_is_disclosive(round(c), round(n), threshold)
        for c, n in zip(labelled["successful_completions"], labelled["in_treatment"], strict=True)
    ]
    drawn = labelled.copy()
    drawn.loc[few, ["value", "lower", "upper"]] = float("nan")
    now = drawn[drawn["year"] == fy.label].dropna(subset=["value"]).sort_values("value")
    if not len(now):
        return HTML(
            f"<p>Too few clients in each substance group in {fy.label} to show completion "
            "rates.</p>"
        )
    return Chart(
        pc.interval_chart,
        {
            "values": drawn,
            "x": "substance_group",
            "series": "year",
            "title": f"{now.iloc[0]['substance_group']} clients completed treatment least often "
            f"({findings.format_percent(now.iloc[0]['value'])} in {fy.label})",
            "subtitle": "Successful completions as % of the average monthly number in "
            f"treatment, with 95% intervals, {place}, {fy.previous().label} and {fy.label}",
            "source": "National Drug Treatment Monitoring System (NDTMS), partnership extract",
            "ylabel": "Successful completions (%)",
            "percent": True,
            "connect": False,
        },
        f"{NAME}_treatment_completions",
        "Chart of successful completion percentages with intervals by substance group: "
        + "; ".join(f"{r.substance_group} {r.value:.0f}%" for r in now.itertuples()),
    )


def _caseload_table(labelled: pd.DataFrame, place: str, threshold: int):
    """Adults in treatment and successful completions by year and substance group."""
    treated = labelled[
        ["year", "substance_group", "in_treatment", "successful_completions"]
        + ["value", "lower", "upper"]
    ]
    # a share of a small number in treatment, or a small number of completions, is hidden
    treated = disclosure.mask_small_counts(
        treated.assign(in_treatment=treated["in_treatment"].round()),
        "in_treatment",
        threshold,
        derived=["successful_completions", "value", "lower", "upper"],
    )
    treated = disclosure.mask_small_counts(
        treated, "successful_completions", threshold, derived=["value", "lower", "upper"]
    )
    return report_tables.html_table(
        treated,
        caption=f"Adults in treatment (average per month) and successful completions, {place}",
        notes=disclosure.suppression_note(threshold),
        formats=INTERVAL_FORMATS,
        headers={
            "substance_group": "Substance",
            "value": "Completed (%)",
            "lower": "95% CI lower",
            "upper": "95% CI upper",
        },
    )
