"""Anti-social behaviour (priority 3): the report ``notebooks/03_anti_social_behaviour``, section
by section.

:func:`prepare` reads every table the report uses once (incidents from the partners' extract,
or the police open data when there is none; the lookup, population, residents' survey and
fire incidents) and works out what the sections share. Each section function returns a
:class:`~sa_toolkit.analysis.sections.Section` for the notebook to show: its tables, notes
and charts, with disclosure control applied and a note when its data were not supplied.
The calculations are in :mod:`~sa_toolkit.analysis.anti_social_behaviour`; the sections
of the incidents and the survey are in
:mod:`~sa_toolkit.analysis.anti_social_behaviour_sections`; the fires, the breaches and the
recommendations are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sa_toolkit import disclosure, findings
from sa_toolkit.analysis import anti_social_behaviour as asb
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.analysis.anti_social_behaviour_sections import (
    NAME,
    Maps,
    hotspots,
    incidents_by_source,
    perceptions,
    perceptions_map,
    priority_maps,
    seasonality,
)
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.periods import FinancialYear
from sa_toolkit.report_tables import html_table

__all__ = [
    "ASBReport", "breaches", "deliberate_fires", "fires_maps", "framework_section",
    "hotspots", "incidents_by_source", "key_findings", "perceptions", "perceptions_map",
    "prepare", "priority_maps", "recommendations", "seasonality",
]  # fmt: skip

#: how many key findings the report leads with
KEY_FINDINGS = 6
#: the framework rows of the breaches section (entered by the analyst: no dataset has them)
BREACH_INDICATORS = ["ASBO_breach", "ABC_breach"]
PARTNER_SOURCES = "Police, council and housing ASB incident extracts"
FIRE_SOURCE = "Fire and rescue service incident recording system"
#: a source whose incidents rose, in the recommendations' words
RISEN_SOURCE = {
    "police": "ASB reported to the police",
    "council": "ASB reported to the council",
    "housing": "ASB reported to housing providers",
    "all sources": "ASB reported to the police, council and housing providers",
}


@dataclass
class ASBReport:
    """Everything the anti-social behaviour report's sections share, read once."""

    cfg: Any
    framework: pd.DataFrame
    police_only: bool  # no partners' extract: the police's ASB from the open data
    years: list[FinancialYear]
    comparison: Any  # coverage.YearComparison of the incidents' table, this year and last
    compared: bool
    period: str  # the span of the charts, "2021/22 to 2025/26"
    incidents: pd.DataFrame
    lookup: pd.DataFrame
    places: Any  # geography.place_level: wards, or MSOAs/LSOAs without a ward lookup
    this_year: pd.DataFrame
    by_source: pd.DataFrame  # asb.source_changes, indexed by source
    monthly: pd.DataFrame
    season: pd.DataFrame
    wards: pd.DataFrame
    spread: dict
    repeats: dict
    survey: pd.DataFrame | None
    waves: pd.DataFrame
    strand_change: pd.DataFrame
    fire_table: pd.DataFrame | None
    fires: pd.DataFrame
    caveats: list[str]  # events the year-on-year comparison spans, said under the table
    flags: list[str]  # the same, short, for the headline
    source: str  # the charts' source line

    @property
    def threshold(self) -> int:
        return self.cfg.suppression_threshold

    @property
    def place(self) -> str:
        return self.cfg.partnership_short_name

    @property
    def year(self) -> FinancialYear:
        return self.cfg.year

    @property
    def previous_label(self) -> str:
        return self.cfg.year.previous().label

    def headline(self) -> str:
        """The all-source change with its test (and the police share), as the alt text and
        the first key finding quote it."""
        return asb.headline_sentence(self.by_source, self.year, self.threshold, self.police_only)

    def hotspot_sentence(self) -> str:
        return asb.hotspot_sentence(
            self.wards, self.spread, self.repeats, self.year, self.threshold
        )

    def fires_sentence(self) -> str:
        monthly = (
            asb.deliberate_fires_monthly(self.fire_table) if self.fire_table is not None else None
        )
        return asb.fires_sentence(
            self.fires, self.year, self.threshold, self.cfg.significance_level, monthly
        )


def prepare(ctx) -> ASBReport:
    """Read the report's tables once and compute what its sections share.

    ``ctx`` is the notebook's :func:`sa_toolkit.notebook_params.notebook_context`.
    """
    from sa_toolkit.coverage import compare_years, table_coverage
    from sa_toolkit.geography import place_level
    from sa_toolkit.indicators.catalogue import (
        comparison_caveats,
        comparison_flags,
        load_series_breaks,
    )
    from sa_toolkit.periods import span_label
    from sa_toolkit.tables import table_months

    cfg = ctx.cfg
    src = pf.local_source(cfg)
    framework = pf.priority_framework(cfg, "anti_social_behaviour", src)
    police_only = not pc.table_supplied("asb_incidents", cfg.processed_dir)
    # years before the data begin are left out, not shown or compared as years without incidents
    table = "police_street" if police_only else "asb_incidents"
    years = yc.years_to(cfg, table_months(table, cfg.processed_dir))
    # a month missing from the data is missing, not zero; this year and last like for like
    coverage = table_coverage(table, cfg.processed_dir)
    comparison = compare_years(coverage, cfg.year)
    compared = len(years) > 1 and comparison.compared
    months = pd.period_range(years[0].first_month, cfg.year.last_month, freq="M")
    if police_only:  # no partner extract: the police's ASB from the data.police.uk files
        incidents = asb.police_incidents(src)
    else:
        incidents = src.read("asb_incidents", asb.ASB_COLUMNS)
    lookup = src.read("lookup", ["lsoa_code", "ward_code", "ward_name", "place_level"])
    this_year = asb.in_year(incidents, cfg.year)
    by_source = asb.source_changes(
        incidents, cfg.year, compared, comparison, cfg.significance_level
    ).set_index("source")
    monthly = asb.monthly_by_source(incidents, months, coverage)
    if police_only:
        monthly = monthly[["Police"]]
        by_source = by_source.loc[["police", "all sources"]]
    survey = pc.read_if_supplied(src, "residents_survey")
    waves = asb.strand_waves(survey, cfg.year) if survey is not None else pd.DataFrame()
    fire_table = pc.read_if_supplied(src, "fire_incidents")
    breaks = load_series_breaks(raw_dir=cfg.raw_dir)
    caveats, flags = [], []
    if compared:  # events the comparison spans (COVID-19 restrictions)
        caveats = comparison_caveats(["asb_rate"], cfg.year.previous(), cfg.year, breaks)
        flags = comparison_flags(["asb_rate"], cfg.year.previous(), cfg.year, breaks)
    return ASBReport(
        cfg=cfg,
        framework=framework,
        police_only=police_only,
        years=years,
        comparison=comparison,
        compared=compared,
        period=span_label(years[0], cfg.year),
        incidents=incidents,
        lookup=lookup,
        places=place_level(lookup),
        this_year=this_year,
        by_source=by_source,
        monthly=monthly,
        season=asb.seasonality(monthly.sum(axis=1, min_count=1)),
        wards=asb.ward_rates(
            this_year,
            lookup,
            src.read("population", ["year", "lsoa_code", "age_min", "population"]),
            cfg.year.start_year,
        ),
        spread=asb.lsoa_concentration(this_year, src.lsoas),
        repeats=asb.repeat_locations(this_year),
        survey=survey,
        waves=waves,
        strand_change=(
            asb.strand_change(waves, cfg.significance_level) if len(waves) else pd.DataFrame()
        ),
        fire_table=fire_table,
        fires=_fires(src, cfg, years, fire_table),
        caveats=caveats,
        flags=flags,
        source=asb.SOURCE_POLICE if police_only else PARTNER_SOURCES,
    )


def _fires(src, cfg, years: list[FinancialYear], fire_table) -> pd.DataFrame:
    """Deliberate fires per year and their rate; empty without the fire incidents."""
    from sa_toolkit.indicators.computations import NotComputable, population
    from sa_toolkit.tables import table_months

    if fire_table is None:
        return pd.DataFrame()
    populations = {}
    for y in years:
        try:
            populations[y.label] = population(src, y)[0]
        except NotComputable:  # no estimate for that year: the year is left out of the fire rates
            pass
    fire_years = yc.years_to(cfg, table_months("fire_incidents", cfg.processed_dir))
    return asb.deliberate_fires(fire_table, populations, fire_years)


def key_findings(report: ASBReport) -> list[str]:
    """The report's key findings, the headline first: the change in incidents (with the
    months compared and the events the comparison spans), seasonality, hotspots, the
    survey and deliberate fires, each when its data allow."""
    headline = report.headline()
    if report.comparison.note():  # months missing: the headline says what was compared
        headline = f"{headline.rstrip()} {report.comparison.note()}"
    if report.flags:
        headline = f"{headline.rstrip()} {' '.join(report.flags)}"
    key = [headline, asb.season_sentence(report.season)]
    if len(report.wards) and report.wards["incidents"].sum():
        key.append(report.hotspot_sentence())
    if len(report.strand_change):
        key.append(asb.survey_sentence(report.strand_change))
    if len(report.fires):
        key.append(report.fires_sentence())
    return key[:KEY_FINDINGS]


def framework_section(report: ASBReport) -> Section:
    """The priority's performance framework table, with the traffic-light rule, how
    significance is tested and the indicators not computed."""
    return Section().add(
        pf.framework_html(
            report.framework, report.cfg, "Anti-social behaviour performance framework"
        )
    )


def breaches(report: ASBReport) -> Section:
    """The framework rows of breaches of behaviour orders and contracts (entered by the
    analyst; tbc until then)."""
    frame = report.framework
    rows = frame[frame["indicator_id"].isin(BREACH_INDICATORS)]
    return Section().add(
        html_table(
            pf.framework_table(rows, report.threshold),
            caption=(
                f"Breach rates of behaviour orders and contracts, {report.place}, "
                f"{report.year.label}"
            ),
            rag_columns="RAG",
        )
    )


def recommendations(report: ASBReport) -> Section:
    """The closing recommendations: what worsened significantly (framework rows, sources,
    survey strands), what missed its target, the places and the time of year."""
    threshold = report.threshold
    concerns = pf.framework_concerns(report.framework)
    worsened = list(concerns["worsened"])
    for source, r in report.by_source.iterrows():
        if report.police_only and source == "all sources":
            continue  # the police's incidents are all there are: named once
        if r["significant"] and r["after"] > r["before"] and r["before"] >= threshold:
            worsened.append(f"{RISEN_SOURCE[source]} (+{r['change']:.0f}%)")
    for _, r in report.strand_change.iterrows():
        if r["significant"] and r["change"] > 0:
            worsened.append(
                f"{r['label']} seen as a big problem (+{r['change']:.1f} points, "
                f"{r['before']:.0f}% to {r['after']:.0f}%)"
            )
    places = [
        f"{r['ward']} ({r['share']:.0f}% of incidents, {r['value']:.0f} per 1,000)"
        for _, r in report.wards.head(3).iterrows()
        if r["incidents"] >= threshold
    ]
    repeats = report.repeats
    if repeats["repeat_locations"] >= max(threshold, 1):
        places.append(
            f"{repeats['repeat_locations']:,} repeat locations ({repeats['minimum']} or more "
            f"incidents) with {repeats['repeat_share']:.0f}% of located incidents"
        )
    times = [asb.season_sentence(report.season).rstrip(".")] if len(report.season) else []
    return Section().add(
        findings.implications(
            worsened=worsened,
            missed_target=concerns["missed_target"],
            places=places,
            times=times,
            compared=pf.assessed_indicators(report.framework) > 0
            or pf.compared_rows(report.by_source)
            or pf.compared_rows(report.strand_change),
        )
    )


# ----------------------------------------------------------------------------- fires


def deliberate_fires(report: ASBReport) -> Section:
    """Deliberate primary and secondary fire rates by year (chart and table); the note
    when the fire incidents were not supplied."""
    fires, threshold = report.fires, report.threshold
    if not len(fires):
        if report.fire_table is None:
            return Section().add(pc.absent("fire_incidents", "deliberate fires", report.cfg))
        return Section()
    wide = fires.pivot(index="year", columns="type", values=["fires", "value", "lower", "upper"])
    sentence = report.fires_sentence()
    chart = Chart(
        yc.interval_chart,
        {
            "labels": wide.index,
            "series": {
                kind.capitalize(): (
                    wide[("value", kind)],
                    wide[("lower", kind)],
                    wide[("upper", kind)],
                )
                for kind in ("primary", "secondary")
            },
            "title": sentence.split(";")[0].rstrip("."),
            "subtitle": (
                "Deliberate primary and secondary fires per 10,000 residents, "
                f"{report.place}, {report.period}"
            ),
            "source": FIRE_SOURCE,
            "ylabel": "Fires per 10,000 residents",
        },
        f"{NAME}_deliberate_fires",
        "Chart of deliberate primary and secondary fire rates per 10,000 residents by "
        "financial year with 95% intervals. " + sentence,
    )
    table = html_table(
        disclosure.mask_small_counts(
            # the type in words, as the chart's legend names it (stored lower case)
            fires[["year", "type", "fires", "value", "lower", "upper"]]
            .assign(type=fires["type"].astype(str).str.capitalize())
            .rename(columns={"value": "rate_per_10000"}),
            "fires",
            threshold,
            derived=["rate_per_10000", "lower", "upper"],
        ),
        caption=f"Deliberate fires and rate per 10,000 residents, {report.place}",
        headers={"rate_per_10000": "Rate per 10,000"},
        formats={"rate_per_10000": 2, "lower": 2, "upper": 2},
        notes=["Lower and upper: 95% interval (Byar's method; exact below 10 fires)."],
    )
    return Section().add(chart, table)


def fires_maps(report: ASBReport) -> Section:
    """Deliberate fires per 10,000 residents by ward and LSOA (nothing without fires)."""
    from sa_toolkit import maps

    if report.fire_table is None or not len(report.fires):
        return Section()
    this_year = asb.in_year(report.fire_table, report.year)
    deliberate = this_year[this_year["motive"].astype(str) == "deliberate"]
    return Section().add(
        Maps(
            maps.priority_maps,
            report.cfg,
            {
                "events": deliberate,
                "what": "Deliberate fires",
                "name": f"{NAME}_deliberate_fires",
                "source": FIRE_SOURCE,
                "count_label": "Fires",
                "per": 10000,
                "hotspot": False,
            },
        )
    )
