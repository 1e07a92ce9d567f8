"""Youth crime (priority 2): the report's data, read once and shared by its sections.

:func:`prepare` reads the framework, the partner crime incident extract (victim and
suspect ages), first-time entrants, re-offending and probation outcomes once into a
:class:`YouthCrimeReport`; the sections (:mod:`~sa_toolkit.analysis.youth_crime_report`)
only word and draw it. :func:`assemble` and :func:`incident_figures` build the same from
frames already read (tests, other callers).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.periods import FinancialYear, span_label


@dataclass
class IncidentFigures:
    """What the partner crime incident extract (victim and suspect ages) gives the report."""

    years: list[FinancialYear]  # from the first year the extract holds to the year assessed
    period: str  # those years as a label, e.g. "2023/24 to 2025/26"
    compared: bool  # the extract holds the year before the assessed one
    young: pd.DataFrame  # monthly victims and suspects aged 10-17 and 18-24
    young_years: pd.DataFrame  # the same by financial year
    young_change: pd.DataFrame  # each of them, year before against year, indexed by measure
    syv: pd.Series  # serious youth violence victims by financial year
    syv_before: float  # NaN when the year before is not held
    syv_test: dict
    peak: dict  # yc.after_school_peak
    robbery: pd.DataFrame  # yc.youth_robbery
    robbery_places: pd.DataFrame  # robbery victims aged 10-17 by ward in the year


@dataclass
class YouthCrimeReport:
    """The youth crime report's data, read once and shared by its sections.

    A dataset not supplied is ``None`` (incidents) or has its ``*_supplied`` flag False; a
    dataset supplied without a complete year gives an empty frame.
    """

    cfg: object
    framework: pd.DataFrame
    years: list[FinancialYear]  # baseline (or the year before) to the year assessed
    incidents: IncidentFigures | None
    fte_supplied: bool
    fte: pd.DataFrame
    reoffending_supplied: bool
    cohorts: pd.DataFrame
    trends: dict | None
    probation_supplied: bool
    probation: pd.DataFrame

    @property
    def threshold(self) -> int:
        return self.cfg.suppression_threshold

    @property
    def place(self) -> str:
        return self.cfg.partnership_short_name

    @property
    def period(self) -> str:
        return span_label(self.years[0], self.cfg.year)

    @property
    def previous_label(self) -> str:
        return self.cfg.year.previous().label

    @property
    def incidents_source(self) -> str:
        return f"{self.place} Police crime incident extract"

    def framework_row(self, indicator_id: str) -> pd.Series | None:
        """The framework's row of one indicator, or None when the framework lacks it."""
        rows = self.framework.set_index("indicator_id")
        return rows.loc[indicator_id] if indicator_id in rows.index else None


# ----------------------------------------------------------------------------- reading the data


def prepare(ctx) -> YouthCrimeReport:
    """Read the report's data once (``ctx``: a :class:`~sa_toolkit.notebook_params.NotebookContext`)."""
    from sa_toolkit.tables import table_months

    cfg = ctx.cfg
    src = pf.local_source(cfg)
    framework = pf.priority_framework(cfg, "youth_crime", src)
    lookup = src.read("lookup", ["lsoa_code", "ward_name"])
    incidents = None
    if pc.table_supplied("crime_incidents", cfg.processed_dir):
        incidents = incident_figures(
            yc.load_incidents(src, cfg),
            lookup,
            cfg,
            table_months("crime_incidents", cfg.processed_dir),
        )
    return assemble(
        cfg,
        framework,
        incidents,
        fte_table=pc.read_if_supplied(src, "youth_first_time_entrants"),
        reoffending_table=pc.read_if_supplied(src, "reoffending"),
        probation_table=pc.read_if_supplied(src, "probation_outcomes"),
    )


def incident_figures(incidents: pd.DataFrame, lookup: pd.DataFrame, cfg, held) -> IncidentFigures:
    """The incident extract's figures; ``held``: the months the extract holds."""
    # years before the extract begins are left out, not shown as years without crime
    years = yc.years_to(cfg, held)
    months = pd.period_range(years[0].first_month, cfg.year.last_month, freq="M")
    compared = len(years) > 1
    young = yc.young_people_monthly(incidents, months)
    young_years = yc.year_totals(young, years)
    syv = yc.serious_youth_violence(incidents, years)
    syv_before = syv.iloc[-2] if compared else float("nan")
    return IncidentFigures(
        years=years,
        period=span_label(years[0], cfg.year),
        compared=compared,
        young=young,
        young_years=young_years,
        young_change=yc.latest_changes(
            young_years, cfg.year, cfg.significance_level, monthly=young
        ).set_index("measure"),
        syv=syv,
        syv_before=syv_before,
        syv_test=yc.change_row(
            syv_before,
            syv.iloc[-1],
            yc.monthly_dispersion(yc.serious_youth_violence_monthly(incidents, months), cfg.year),
            cfg.significance_level,
        ),
        peak=yc.after_school_peak(incidents, cfg.year, significance_level=cfg.significance_level),
        robbery=yc.youth_robbery(incidents, years),
        robbery_places=yc.young_victim_places(incidents, lookup, cfg.year),
    )


def assemble(
    cfg,
    framework: pd.DataFrame,
    incidents: IncidentFigures | None,
    fte_table: pd.DataFrame | None,
    reoffending_table: pd.DataFrame | None,
    probation_table: pd.DataFrame | None,
) -> YouthCrimeReport:
    """The report from tables already read (``None``: a dataset not supplied)."""
    years = yc.years_to(cfg)
    fte = (
        yc.first_time_entrants(fte_table, cfg.partnership_code, years)
        if fte_table is not None
        else pd.DataFrame()
    )
    cohorts = (
        yc.juvenile_reoffending(reoffending_table, cfg.partnership_code, cfg.year)
        if reoffending_table is not None
        else pd.DataFrame()
    )
    probation = (
        yc.probation_by_age(probation_table, cfg.partnership_code, years)
        if probation_table is not None
        else pd.DataFrame()
    )
    return YouthCrimeReport(
        cfg=cfg,
        framework=framework,
        years=years,
        incidents=incidents,
        fte_supplied=fte_table is not None,
        fte=fte,
        reoffending_supplied=reoffending_table is not None,
        cohorts=cohorts,
        trends=yc.reoffending_trend(cohorts) if len(cohorts) else None,
        probation_supplied=probation_table is not None,
        probation=probation,
    )
