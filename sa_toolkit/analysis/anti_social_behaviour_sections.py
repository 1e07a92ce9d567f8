"""Anti-social behaviour (priority 3): the sections of incidents and residents' perceptions of
``notebooks/03_anti_social_behaviour``.

Each function takes the report's shared data
(:class:`~sa_toolkit.analysis.anti_social_behaviour_report.ASBReport`, read once by
``prepare``) and returns a :class:`~sa_toolkit.analysis.sections.Section`: its tables
(small counts hidden), notes and charts with their titles and alt text, or the note that
says the data were not supplied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from sa_toolkit import charts, disclosure
from sa_toolkit.analysis import anti_social_behaviour as asb
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.report_tables import html_table

if TYPE_CHECKING:
    from sa_toolkit.analysis.anti_social_behaviour_report import ASBReport

SURVEY_SOURCE = "Residents' survey (weighted; 95% Wilson intervals on the effective sample size)"
NAME = "03_anti_social_behaviour"


@dataclass
class Maps:
    """Maps drawn by :mod:`sa_toolkit.maps`, which save their own files (and show a note
    instead when there are no boundaries): ``draw(cfg, output_dir, **arguments)``."""

    draw: Callable[..., Any]
    cfg: Any
    arguments: dict[str, Any]

    def show_in(self, output_dir) -> None:
        self.draw(self.cfg, output_dir, **self.arguments)


# ----------------------------------------------------------------------------- incidents


def source_table(by_source: pd.DataFrame, year, compared: bool, threshold: int) -> pd.DataFrame:
    """Incidents by source last year and this, the change and its test, as the board reads
    it: sources named in words (``Police``, ``All sources``), significance as yes or no,
    counts below ``threshold`` in either year (and the change and test worked out from
    them) hidden, with the next smallest source when one alone would be given away by the
    All sources total.

    ``by_source`` is :func:`~sa_toolkit.analysis.anti_social_behaviour.source_changes`
    indexed by source; without a comparison (``compared`` False) only this year's counts.
    """
    previous_label = year.previous().label
    changes = by_source.reset_index()
    changes["source"] = [asb.SOURCE_LABELS.get(s, str(s).capitalize()) for s in changes["source"]]
    changes["change_%"] = changes["change"].round(1)
    changes["significant"] = changes["significant"].map({True: "yes", False: "no"})
    shown = ["source", "before", "after", "change_%", "p_value", "significant"]
    if not compared:
        shown = ["source", "after"]
    table = changes[shown].rename(columns={"before": previous_label, "after": year.label})
    # both years' counts are hidden when small, and the All sources row is their sum: a
    # single hidden source is protected by hiding the next smallest (secondary suppression)
    for column in [previous_label, year.label] if compared else [year.label]:
        table = disclosure.mask_small_counts(
            table,
            column,
            threshold,
            derived=["change_%", "p_value"] if compared else [],
            total_row=("source", asb.SOURCE_LABELS["all sources"]),
        )
    return table


def source_test_note(by_source: pd.DataFrame, significance_level: float) -> str:
    """How the table's changes are tested, in the words of the framework's methods notes
    (:func:`sa_toolkit.indicators.overdispersion.methods_text`): against how much the
    same count has varied before, at the configured significance level."""
    text = (
        "Significance: each change is tested against how much the same count has varied "
        "before (from its monthly figures), so it allows for real-world variation beyond "
        "chance; a change is called significant when a change as large would arise by chance "
        f"less than {significance_level * 100:g} times in 100 "
        f"({(1 - significance_level) * 100:g}% confidence)."
    )
    tested = by_source["before"].notna() & by_source["p_value"].notna()
    if (by_source.loc[tested, "variation"] == "chance only").any():
        text += (
            " Where less than a complete year of monthly figures came before, a change is "
            "tested against chance variation alone."
        )
    return text


def incidents_by_source(report: ASBReport) -> Section:
    """Incidents by category and source this year (or the note that the partners' extract
    was not supplied), the months compared, incidents by source with the change and its
    test, and the monthly trend by source."""
    cfg, threshold, place = report.cfg, report.threshold, report.place
    section = Section()
    if report.police_only:
        section.add(
            pc.absent(
                "asb_incidents",
                "council and housing incidents and the category of each incident",
                cfg,
                instead=f"Incidents below are those recorded by the police ({asb.SOURCE_POLICE}).",
            )
        )
    else:
        table = disclosure.suppress_counts(
            asb.by_source_category(report.incidents, cfg.year), threshold
        )
        section.add(
            html_table(
                table.display().rename_axis("Category"),
                caption=(
                    "Anti-social behaviour incidents by category and source, "
                    f"{place}, {cfg.year.label}"
                ),
                notes=[table.note],
            )
        )
    section.add(pc.coverage_note(report.comparison.note()))
    section.extend(pc.coverage_note(caveat) for caveat in report.caveats)
    if not report.compared and not report.comparison.has_previous:
        section.add(pc.not_available(f"Change on {report.previous_label}", report.previous_label))
    section.add(
        html_table(
            source_table(report.by_source, cfg.year, report.compared, threshold),
            caption=f"Anti-social behaviour incidents by source, {place}",
            formats={"p_value": 3},
            # without last year there is no change to test, so no note on the test
            notes=[source_test_note(report.by_source, cfg.significance_level)]
            if report.compared
            else [],
        )
    )
    total = report.by_source.loc["all sources"]
    title = yc.change_finding(
        f"Anti-social behaviour incidents in {cfg.year.label}",
        total["before"],
        total["after"],
        "",
        total.to_dict(),
        threshold=threshold,
        compared_with=report.previous_label,
    )
    who = (
        "recorded by the police"
        if report.police_only
        else "reported to the police, council and housing providers"
    )
    return section.add(
        Chart(
            charts.monthly_trend,
            {
                "monthly": report.monthly,
                "title": title.split(";")[0].rstrip("."),
                "subtitle": f"Incidents per month by source, {place}, {report.period}",
                "source": report.source,
                "measure": "Incidents",
            },
            f"{NAME}_trend_by_source",
            f"Line chart of monthly anti-social behaviour incidents {who} in {place}, "
            f"{report.period}, with 12-month averages and financial-year totals. "
            + report.headline(),
        )
    )


def seasonality(report: ASBReport) -> Section:
    """Average incidents per calendar month over the complete financial years (nothing
    when no year is complete)."""
    season = report.season
    if not len(season):
        return Section()
    sentence = asb.season_sentence(season)
    years_text = asb.financial_years_text(int(season["years"].iloc[0]))
    return Section().add(
        Chart(
            charts.bar_chart,
            {
                "values": season.set_index("month")["mean"],
                "title": sentence.rstrip("."),
                "subtitle": (
                    f"Average incidents per calendar month, all sources, {report.place}, "
                    f"{years_text} to {report.year.label}"
                ),
                "source": report.source,
                "sort": False,
                "reference": float(season["mean"].mean()),
                "reference_label": "Monthly average",
                "xlabel": "Average incidents",
            },
            f"{NAME}_seasonality",
            "Bar chart of average anti-social behaviour incidents by calendar month. " + sentence,
        )
    )


def hotspots(report: ASBReport) -> Section:
    """The ten places with most incidents and their rates, locations by number of
    incidents, and (without boundary files for maps) a hexagon density map."""
    from sa_toolkit import maps

    cfg, threshold, place, places = report.cfg, report.threshold, report.place, report.places
    wards = report.wards
    shown_wards = wards[["ward", "incidents", "value", "lower", "upper", "share"]].rename(
        columns={"value": "rate_per_1000", "share": "share_%"}
    )
    section = Section().add(
        html_table(
            disclosure.mask_small_counts(
                shown_wards.head(10),
                "incidents",
                threshold,
                derived=["rate_per_1000", "lower", "upper", "share_%"],
            ),
            caption=(
                f"The ten {places.plural} with most anti-social behaviour incidents, "
                f"{place}, {cfg.year.label}"
            ),
            headers={
                "ward": places.title,
                "rate_per_1000": "Rate per 1,000",
                "share_%": "Share of incidents (%)",
            },
            formats={"rate_per_1000": 1, "lower": 1, "upper": 1, "share_%": 1},
            notes=[
                f"Rate per 1,000 residents (mid-{wards.attrs.get('population_year', '')} "
                "estimates); lower and upper: 95% interval (Byar's method).",
                f"Incidents without a location are not counted in any {places.noun}.",
                *([places.note] if places.note else []),
            ],
        )
    )
    bands = report.repeats["bands"].rename(
        columns={"incidents_per_location": "incidents at the location"}
    )
    band_table = disclosure.suppress_counts(
        bands.set_index("incidents at the location"), threshold, row_totals=False
    )
    section.add(
        html_table(
            band_table.display().rename_axis("Incidents at the location"),
            caption=(
                f"Locations by number of anti-social behaviour incidents, {place}, {cfg.year.label}"
            ),
            notes=[
                band_table.note,
                "A location is an LSOA and its anonymised location description; "
                "no location is named.",
            ],
        )
    )
    this_year = report.this_year
    located = this_year.dropna(subset=["longitude", "latitude"])
    if len(located) < threshold or maps.map_layers(cfg) is not None:  # else the maps
        return section
    subtitle = (
        f"Anti-social behaviour incidents per hexagon (hexagons with {threshold} or more), "
        f"{place}, {cfg.year.label}"
    )
    if len(this_year) > len(located):
        subtitle += f"; {len(this_year) - len(located):,} incidents without coordinates left out"
    sentence = report.hotspot_sentence()
    return section.add(
        Chart(
            charts.density_map,
            {
                "longitude": located["longitude"],
                "latitude": located["latitude"],
                "title": sentence.split(";")[0],
                "subtitle": subtitle,
                "source": report.source,
                "min_count": threshold,
                "labels": asb.ward_labels(located, report.lookup, wards["ward"].head(3)),
                "colorbar_label": "Incidents per hexagon",
            },
            f"{NAME}_density_map",
            "Map of anti-social behaviour incident density. " + sentence,
        )
    )


def priority_maps(report: ASBReport) -> Section:
    """Incidents per 1,000 residents by ward and LSOA and where they cluster, on the
    partnership's boundaries (a note naming the files when there are none)."""
    from sa_toolkit import maps

    return Section().add(
        Maps(
            maps.priority_maps,
            report.cfg,
            {
                "events": report.this_year,
                "what": "Anti-social behaviour",
                "name": f"{NAME}_asb",
                "source": report.source,
                "count_label": "Incidents",
            },
        )
    )


# ----------------------------------------------------------------------------- survey


def perceptions(report: ASBReport) -> Section:
    """Residents seeing each strand as a big problem by wave, the change between the last
    two waves, and the strand named most by ward; the note when there is no survey."""
    place = report.place
    waves, change = report.waves, report.strand_change
    section = Section()
    if len(waves):
        sentence = asb.survey_sentence(change) if len(change) else ""
        section.add(
            Chart(
                asb.strands_chart,
                {
                    "waves": waves,
                    "title": sentence.split(";")[0].rstrip(".")
                    if len(change)
                    else "Residents' perceptions of anti-social behaviour",
                    "subtitle": (
                        "% of residents saying each is a very or fairly big problem, by survey "
                        f"wave, {place}"
                    ),
                    "source": SURVEY_SOURCE,
                },
                f"{NAME}_perceptions",
                "Chart of the share of residents seeing each anti-social behaviour strand as a "
                "big problem, by survey wave. " + sentence,
            )
        )
    if len(change):
        section.extend(_strand_change_parts(report))
    if report.survey is None:
        section.add(
            pc.absent(
                "residents_survey", "residents' perceptions of anti-social behaviour", report.cfg
            )
        )
    return section


def _latest_top_strand(waves: pd.DataFrame) -> tuple[int, pd.DataFrame, str]:
    """The latest wave, its rows by strand, and the strand residents name most often."""
    latest_wave = int(waves["wave"].max())
    latest = waves[waves["wave"] == latest_wave].set_index("strand")
    return latest_wave, latest, latest["value"].idxmax()


def _strand_change_parts(report: ASBReport) -> list:
    """The change table, and the most-named strand by ward (chart and table)."""
    place, threshold, cfg = report.place, report.threshold, report.cfg
    change = report.strand_change
    shown = change[
        ["label", "before", "after", "change", "lower", "upper", "p_value", "significant"]
    ].rename(
        columns={
            "label": "strand",
            "before": f"{change['before_wave'].iloc[0]} (%)",
            "after": f"{change['after_wave'].iloc[0]} (%)",
            "change": "change (pp)",
        }
    )
    shown["significant"] = shown["significant"].map({True: "yes", False: "no"})
    change_table = html_table(
        shown,
        caption=(
            "Anti-social behaviour seen as a very or fairly big problem, change between "
            f"survey waves, {place}"
        ),
        formats={"p_value": 3},
        notes=[
            "Weighted percentages; change in percentage points with Newcombe's interval; "
            "z test on the Kish effective sample sizes, "
            f"{cfg.significance_level * 100:g}% level."
        ],
    )
    latest_wave, latest, top_strand = _latest_top_strand(report.waves)
    overall = latest.loc[top_strand, "value"]
    by_ward = asb.strands_by_ward(report.survey, report.lookup, latest_wave)
    ward_sentence = asb.ward_strand_sentence(
        by_ward, top_strand, overall, threshold, cfg.significance_level
    )
    strand = asb.STRANDS[top_strand].lower()
    ward_chart = Chart(
        asb.ward_strand_chart,
        {
            "long": by_ward,
            "strand": top_strand,
            "overall": overall,
            "threshold": threshold,
            "title": ward_sentence,
            "subtitle": (
                f"% of residents saying {strand} is a very or fairly big problem, by ward, "
                f"{place}, survey wave {latest_wave}"
            ),
            "source": SURVEY_SOURCE,
        },
        f"{NAME}_perceptions_by_ward",
        f"Chart of the share of residents seeing {strand} as a big problem in each ward, "
        f"with 95% intervals. {ward_sentence}.",
    )
    ward_table = html_table(
        asb.ward_strand_table(report.survey, report.lookup, latest_wave, threshold),
        formats={c: 0 for c in asb.STRANDS.values()},
        caption=(
            "% of residents seeing each strand as a very or fairly big problem, by ward, "
            f"{place}, survey wave {latest_wave}"
        ),
        notes=[
            f"Wards with fewer than {threshold} respondents are not shown; small ward samples "
            "give wide intervals (see the survey table in the safer communities report).",
            f"[c]: a percentage that stands for fewer than {threshold} of the ward's "
            "respondents, not shown to protect privacy.",
        ],
    )
    return [change_table, ward_chart, ward_table]


def perceptions_map(report: ASBReport) -> Section:
    """The strand residents name most often, mapped by ward (nothing without a survey)."""
    from sa_toolkit import maps

    if not len(report.waves):
        return Section()
    wave, _, strand = _latest_top_strand(report.waves)
    return Section().add(
        Maps(
            maps.survey_ward_map,
            report.cfg,
            {
                "survey": report.survey,
                "question": strand,
                "what": f"{asb.STRANDS[strand]} seen as a big problem",
                "name": f"{NAME}_perceptions",
                "source": SURVEY_SOURCE,
                "wave": wave,
                "min_respondents": pc.MIN_RESPONDENTS,
            },
        )
    )
