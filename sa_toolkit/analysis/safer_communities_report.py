"""The sections of the safer communities report (``06_safer_communities``), as the notebook
shows them.

:func:`prepare` reads the report's tables once and computes what every section shares
(:class:`SaferCommunitiesReport`); each section function then returns a
:class:`~sa_toolkit.analysis.sections.Section` (its tables, notes, charts and map, with
titles, alt text and disclosure control applied) for the notebook to show under its
heading. The calculations themselves are in :mod:`sa_toolkit.analysis.safer_communities`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from sa_toolkit import findings, report_tables
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import safer_communities as sc
from sa_toolkit.analysis.safer_communities_incidents import (  # re-exported: the notebook takes every section from here
    fires_section,
    hate_crime_section,
    population_section,
    road_casualties_section,
)
from sa_toolkit.analysis.sections import Chart, Section

if TYPE_CHECKING:
    from sa_toolkit.config import Config

__all__ = [
    "SaferCommunitiesReport",
    "SurveyWardMap",
    "build",
    "cohesion_section",
    "feeling_safe_map",
    "feeling_safe_section",
    "fires_section",
    "framework_section",
    "hate_crime_section",
    "key_findings",
    "lowest_wards_after_dark",
    "population_section",
    "prepare",
    "recommendations",
    "road_casualties_section",
]

#: the survey question the ward map and the lowest wards are about
AFTER_DARK = "safe_after_dark"
#: the framework's killed or seriously injured indicator (its target is drawn on the chart)
KSI_INDICATOR = "NI47"


@dataclass
class SaferCommunitiesReport:
    """What the safer communities report's sections share, computed once by :func:`prepare`.

    ``safety`` and ``community`` are the survey measures of
    :mod:`~sa_toolkit.analysis.safer_communities` (``survey_measures``, None without survey
    answers) and ``*_change`` their ``wave_change``; ``hate``, ``fire``, ``roads`` and ``people`` are ``hate_crime``,
    ``fires``, ``road_casualties`` and ``population_change``; ``lowest_wards`` names the
    two wards where fewest residents feel safe after dark ("Ward (41%)"), and
    ``ksi_target`` is the framework's level target of killed or seriously injured
    casualties (None without one).
    """

    cfg: Config
    framework: pd.DataFrame
    survey: pd.DataFrame | None
    safety: dict | None
    community: dict | None
    safety_change: pd.DataFrame
    community_change: pd.DataFrame
    hate: dict | None
    fire: dict | None
    roads: pd.DataFrame
    people: pd.DataFrame
    ward_names: pd.Series
    lowest_wards: list[str]
    ksi_target: float | None

    @property
    def threshold(self) -> int:
        return self.cfg.suppression_threshold

    @property
    def place(self) -> str:
        return self.cfg.partnership_short_name


def lowest_wards_after_dark(safety: dict | None, ward_names: pd.Series, n: int = 2) -> list[str]:
    """The ``n`` wards where fewest residents feel safe after dark in the latest wave, as
    ``"Name (41%)"``, among wards with enough answers to show (none without the survey)."""
    if not safety:
        return []
    by_ward = safety["by_ward"]
    after_dark = by_ward[
        (by_ward["question"] == sc.SAFETY[AFTER_DARK])
        & (by_ward["respondents"] >= pc.MIN_RESPONDENTS)
    ].sort_values("value")
    return [
        f"{ward_names.get(r.ward_code, r.ward_code)} ({r.value:.0f}%)"
        for r in after_dark.head(n).itertuples()
    ]


def build(
    cfg, framework, survey, incidents, fire_incidents, road_casualties, population, lookup
) -> SaferCommunitiesReport:
    """The report's shared results from its tables (any of them None when not supplied)."""
    from sa_toolkit.framework import row_target

    fy, level = cfg.year, cfg.significance_level
    safety = sc.survey_measures(survey, sc.SAFETY, fy)
    community = sc.survey_measures(survey, sc.COMMUNITY, fy)
    names = pc.ward_names(lookup)
    return SaferCommunitiesReport(
        cfg=cfg,
        framework=framework,
        survey=survey,
        safety=safety,
        community=community,
        safety_change=sc.wave_change(safety["by_wave"] if safety else None, level),
        community_change=sc.wave_change(community["by_wave"] if community else None, level),
        hate=sc.hate_crime(incidents, fy, level),
        fire=sc.fires(fire_incidents, population, fy, level),
        roads=sc.road_casualties(road_casualties, cfg.partnership_code, fy),
        people=sc.population_change(population, cfg.baseline_year.start_year, fy.start_year),
        ward_names=names,
        lowest_wards=lowest_wards_after_dark(safety, names),
        ksi_target=row_target(framework, KSI_INDICATOR, "level"),
    )


def prepare(ctx) -> SaferCommunitiesReport:
    """Read the report's tables once (the partnership's LSOAs only) and compute its results."""
    from sa_toolkit.tables import partnership_lsoas

    cfg = ctx.cfg
    store = sc.load(cfg, partnership_lsoas(cfg))
    framework = pc.priority_framework(cfg, "safer_communities", store)
    return build(
        cfg,
        framework,
        store.get("residents_survey"),
        store.get("crime_incidents"),
        store.get("fire_incidents"),
        store.get("road_casualties"),
        store.get("population"),
        store.get("lookup"),
    )


# ----------------------------------------------------------------------------- key findings


def key_findings(report: SaferCommunitiesReport) -> list[str]:
    """The report's key findings, then the count of its traffic lights."""
    return sc.key_findings(
        report.safety_change,
        report.community_change,
        " and ".join(report.lowest_wards),
        report.hate,
        report.roads,
        report.ksi_target,
        report.fire["table"] if report.fire else None,
        report.cfg.year,
        report.threshold,
    ) + [pc.rag_counts_sentence(report.framework, "safer communities")]


# ----------------------------------------------------------------------------- sections


def framework_section(report: SaferCommunitiesReport) -> Section:
    """The performance framework table of the priority's indicators."""
    return Section().add(
        pf.framework_html(report.framework, report.cfg, "Safer communities indicators")
    )


def _after_dark_title(changes: pd.DataFrame) -> str:
    if not len(changes):
        return "Feeling safe during the day and after dark"
    dark = changes.set_index("question").loc[sc.SAFETY[AFTER_DARK]]
    return (
        f"Feeling safe after dark {'rose' if dark['change'] > 0 else 'fell'} from "
        f"{dark['before']:.0f}% to {dark['after']:.0f}%"
        + (" (a significant change)" if dark["significant"] else " (not a significant change)")
    )


def feeling_safe_section(report: SaferCommunitiesReport) -> Section:
    """Feeling safe during the day and after dark by survey wave (chart) and by ward in the
    latest wave (table), or the note that the survey was not supplied."""
    safety = report.safety
    if safety is None:
        what = "the survey measure of feeling safe"
        return Section().add(pc.absent("residents_survey", what, report.cfg))
    by_wave = safety["by_wave"]
    chart = Chart(
        pc.interval_chart,
        {
            "values": by_wave,
            "x": "wave",
            "series": "question",
            "title": _after_dark_title(report.safety_change),
            "subtitle": "Residents feeling very or fairly safe outside in their local area "
            f"(%, weighted), 95% intervals, {report.place}, survey waves",
            "source": "Residents' survey",
            "ylabel": "% feeling safe",
            "percent": True,
        },
        "06_safer_communities_feeling_safe",
        "Chart of the percentage of residents feeling safe during the day and after dark in each "
        "survey wave: "
        + "; ".join(f"{r.question} {r.wave}: {r.value:.0f}%" for r in by_wave.itertuples()),
    )
    table = report_tables.html_table(
        pc.survey_ward_table(safety["by_ward"], report.ward_names),
        caption=f"Residents feeling safe by ward: % (95% interval), {report.place}, "
        f"wave {safety['latest_wave']}",
        notes=f"Sorted by feeling safe during the day. Wards with fewer than "
        f"{pc.MIN_RESPONDENTS} answers are not shown.",
    )
    return Section().add(chart, table)


@dataclass
class SurveyWardMap:
    """A ward map of one survey measure, drawn by :func:`sa_toolkit.maps.survey_ward_map`
    when shown (it saves its own files, or says which boundary files would add it)."""

    cfg: Config
    survey: pd.DataFrame
    question: str
    what: str
    name: str
    source: str
    wave: int
    concern: str = "below"

    def show_in(self, output_dir) -> bool:
        from sa_toolkit import maps

        return maps.survey_ward_map(
            self.cfg,
            output_dir,
            self.survey,
            self.question,
            what=self.what,
            name=self.name,
            source=self.source,
            wave=self.wave,
            min_respondents=pc.MIN_RESPONDENTS,
            concern=self.concern,
        )


def feeling_safe_map(report: SaferCommunitiesReport) -> Section:
    """Where residents feel least safe after dark, on the ward boundaries (nothing without
    the survey: :func:`feeling_safe_section` then says it was not supplied)."""
    if report.safety is None:
        return Section()
    return Section().add(
        SurveyWardMap(
            report.cfg,
            report.survey,
            AFTER_DARK,
            what="Feeling safe after dark",
            name="06_safer_communities_safe_after_dark",
            source="Residents' survey (weighted; 95% Wilson intervals on the effective sample "
            "size)",
            wave=int(report.safety["latest_wave"]),
        )
    )


def _lowest_measure_title(latest: pd.DataFrame, wave: int) -> str:
    lowest = latest.iloc[0]
    if lowest["question"] == sc.COMMUNITY["police_council_deal_with_asb"]:
        return (
            f"Only {lowest['value']:.0f}% agree that the police and council deal with "
            f"crime and ASB ({wave})"
        )
    return f"{lowest['question']}: lowest of the three measures at {lowest['value']:.0f}%"


def cohesion_section(report: SaferCommunitiesReport) -> Section:
    """Cohesion, satisfaction with the area and confidence in the police and council by
    survey wave (chart) and their change between the last two waves (table)."""
    community = report.community
    if community is None:
        what = "the survey measures of cohesion and confidence"
        return Section().add(pc.absent("residents_survey", what, report.cfg))
    by_wave, wave = community["by_wave"], community["latest_wave"]
    latest = by_wave[by_wave["wave"].astype(int) == wave].sort_values("value")
    chart = Chart(
        pc.interval_chart,
        {
            "values": by_wave,
            "x": "wave",
            "series": "question",
            "title": _lowest_measure_title(latest, wave),
            "subtitle": f"Residents agreeing or satisfied (%, weighted), 95% intervals, "
            f"{report.place}, survey waves",
            "source": "Residents' survey (NI 1, NI 5 and NI 21 questions)",
            "ylabel": "% agreeing or satisfied",
            "percent": True,
        },
        "06_safer_communities_cohesion_confidence",
        "Chart of cohesion, satisfaction with the area and confidence in the police and council "
        "by survey wave: "
        + "; ".join(f"{r.question} {r.wave}: {r.value:.0f}%" for r in by_wave.itertuples()),
    )
    columns = ["question", "wave_before", "before", "wave_after", "after", "change", "p_value"]
    table = report_tables.html_table(
        report.community_change[columns],
        caption=f"Change between the last two survey waves, {report.place}",
        formats={
            "wave_before": "{:.0f}",
            "wave_after": "{:.0f}",
            "before": "{:.0f}%",
            "after": "{:.0f}%",
            "change": "{:+.1f} pp",
            "p_value": "{:.3f}",
        },
        headers={"question": "Measure", "p_value": "p-value"},
    )
    return Section().add(chart, table)


def recommendations(report: SaferCommunitiesReport) -> Section:
    """The recommendations for the rolling plan: the framework's concerns, survey measures
    that fell significantly, a significant rise in hate crime and the wards where fewest
    feel safe after dark."""
    concerns = pf.framework_concerns(report.framework)
    worsened, missed = concerns["worsened"], concerns["missed_target"]
    for frame in (report.safety_change, report.community_change):
        for r in frame.itertuples():
            if r.significant and r.change < 0:
                worsened.append(f"{r.question} ({r.change:+.1f} points, {r.wave_after})")
    hate = report.hate
    if hate is not None and hate["significant"] and hate["change"] > 0:
        worsened.append(f"Recorded hate crime (+{hate['change']:.0f}%)")
    places = [f"feeling safe after dark is lowest in {' and '.join(report.lowest_wards)}"]
    block = findings.implications(
        worsened=list(dict.fromkeys(worsened)),
        missed_target=missed,
        places=places if report.lowest_wards else [],
        compared=pf.assessed_indicators(report.framework) > 0
        or pf.compared_rows(report.safety_change)
        or pf.compared_rows(report.community_change)
        or (hate is not None and pd.notna(hate.get("change"))),
    )
    return Section().add(block)
