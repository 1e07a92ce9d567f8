"""The drugs and alcohol report (``04_drugs_and_alcohol``), section by section.

:func:`prepare` reads the tables once and computes every result the report shows (the
calculations are in :mod:`sa_toolkit.analysis.drugs_alcohol`); each section function
then returns a :class:`~sa_toolkit.analysis.sections.Section` for one heading of the
notebook: its charts (titles stating the finding, alt text), tables (small counts
masked) and the notes shown when its data were not supplied. The notebook only places
them: ``show(drug_offences_section(report), ctx.output_dir)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis import drugs_alcohol as da
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import priority_framework as pf

# the sections of each heading, in the report's order (the notebook calls them from here)
from sa_toolkit.analysis.drugs_alcohol_alcohol_sections import (
    admissions_section,
    alcohol_violence_section,
    perceptions_section,
)
from sa_toolkit.analysis.drugs_alcohol_drug_sections import (
    drug_offence_maps,
    drug_offences_section,
    stop_and_search_section,
    treatment_section,
)
from sa_toolkit.analysis.sections import Section

__all__ = [
    "DrugsAlcoholReport",
    "prepare",
    "key_findings",
    "framework_section",
    "drug_offences_section",
    "drug_offence_maps",
    "stop_and_search_section",
    "treatment_section",
    "alcohol_violence_section",
    "admissions_section",
    "perceptions_section",
    "recommendations",
]

PRIORITY = "drugs_and_alcohol"
#: of the wards with most alcohol-related violence (at most two), those named as places
#: to focus on hold at least this % of it
PLACE_SHARE = 10


@dataclass
class DrugsAlcoholReport:
    """Every result the drugs and alcohol report shows, computed once by :func:`prepare`.

    A result whose table was not supplied is None (``treatment`` and ``admissions``:
    an empty frame), and its section shows the note that says so.
    """

    cfg: Any
    store: pc.TableStore
    lsoas: list[str]
    framework: pd.DataFrame
    offences: dict | None
    searches: dict | None
    treatment: pd.DataFrame
    penetration: dict | None
    violence: dict | None
    admissions: pd.DataFrame
    views: dict | None

    @property
    def threshold(self) -> int:
        return self.cfg.suppression_threshold

    @property
    def place(self) -> str:
        return self.cfg.partnership_short_name


def prepare(ctx) -> DrugsAlcoholReport:
    """Read the report's tables once (:func:`drugs_alcohol.load`) and compute its results."""
    from sa_toolkit.tables import partnership_lsoas

    cfg = ctx.cfg
    fy, code = cfg.year, cfg.partnership_code
    lsoas = partnership_lsoas(cfg)
    store = da.load(cfg)
    framework = pc.priority_framework(cfg, PRIORITY, store)
    return DrugsAlcoholReport(
        cfg=cfg,
        store=store,
        lsoas=lsoas,
        framework=framework,
        offences=da.drug_offences(store.get("crime_incidents"), lsoas, fy, cfg.significance_level),
        searches=da.drug_searches(
            store.get("police_stop_search"), store.get("police_street"), lsoas, fy
        ),
        treatment=da.treatment_summary(store.get("treatment_monthly"), code, fy),
        penetration=da.penetration(
            store.get("treatment_monthly"), store.get("drug_prevalence"), code, fy
        ),
        violence=da.alcohol_violence(store.get("crime_incidents"), store.get("lookup"), lsoas, fy),
        admissions=da.alcohol_admissions_dsr(store.get("alcohol_admissions"), code, fy),
        views=da.perceptions(store.get("residents_survey"), fy),
    )


def key_findings(report: DrugsAlcoholReport) -> list[str]:
    """The report's key findings, the headline first, and its traffic-light count last."""
    cfg = report.cfg
    return da.key_findings(
        report.offences,
        report.searches,
        report.penetration,
        report.violence,
        report.admissions,
        cfg.year,
        cfg.significance_level,
        report.threshold,
    ) + [pc.rag_counts_sentence(report.framework, "drugs and alcohol")]


def framework_section(report: DrugsAlcoholReport) -> Section:
    """The priority's performance framework table with its methods notes."""
    return Section().add(
        pf.framework_html(report.framework, report.cfg, "Drugs and alcohol indicators")
    )


def recommendations(report: DrugsAlcoholReport) -> Section:
    """The report's recommendations for the rolling plan: the framework's concerns and the
    wards and times that concentrate alcohol-related violence."""
    concerns = pf.framework_concerns(report.framework)
    violence = report.violence
    has_violence = violence is not None and violence["count"] > 0
    places = [
        f"{r.ward_name} ward ({r.share_of_all:.0f}% of alcohol-related violence)"
        for r in (violence["wards"].head(2).itertuples() if has_violence else [])
        if r.share_of_all >= PLACE_SHARE
    ]
    times = (
        [f"{pc.FRI_SAT_NIGHT}: {violence['night_share']:.0f}% of alcohol-related violence"]
        if has_violence
        else []
    )
    return Section().add(
        findings.implications(
            worsened=concerns["worsened"],
            missed_target=concerns["missed_target"],
            places=places,
            times=times,
            compared=pf.assessed_indicators(report.framework) > 0
            or bool(report.offences and report.offences["has_comparison"]),
        )
    )
