"""Definitions stated once, and the report measures the indicator catalogue does not hold.

The catalogue (``sa_toolkit/data/indicators.yml``) defines the framework's indicators and
``sa_toolkit/data/violent_crime_measures.csv`` the violent crime measures (serious violence,
knife and gun crime, by offence code or flag); the terms below are the ones several reports
use for figures of their own, defined here once (``docs/indicators.md``, "Definitions" lists
where each term is stated).

:func:`report_measures` adds these figures to the run's measure set
(:mod:`sa_toolkit.measures`) for the assessed year and the year before.
"""

from __future__ import annotations

import pandas as pd

from sa_toolkit.periods import FinancialYear

#: Home Office offence group that "violence" means in the reports' shares and flags
VIOLENCE_AGAINST_THE_PERSON = "Violence against the person"

DEFINITIONS = {
    "alcohol_related_violence": (
        "Alcohol-related violence",
        "Offences of violence against the person (Home Office offence group) recorded in the "
        "partnership and flagged by the police as alcohol-related; its share is of all violence "
        "against the person.",
    ),
    "suspects": (
        "Suspects",
        "People recorded by the police as the suspect of a crime (an age recorded on the crime); "
        "not offenders: a suspect has not been convicted. Offenders are people with a proven "
        "offence (a caution or conviction), as in the re-offending cohorts.",
    ),
    "anti_social_behaviour": (
        "Anti-social behaviour",
        "Incidents reported to the police, the council and housing providers (all sources) when "
        "the partners' extract is supplied; police-recorded incidents (data.police.uk) otherwise. "
        "Every report leads with the same one and says which.",
    ),
}

SOURCE_INCIDENTS = "Police crime recording system extract"


def alcohol_related_violence(incidents: pd.DataFrame) -> tuple[int, int]:
    """``(alcohol-related, all)`` offences of violence against the person in ``incidents``
    (rows already cut to the partnership and the period)."""
    group = incidents["offence_group"].astype(str) == VIOLENCE_AGAINST_THE_PERSON
    violence = incidents[group.to_numpy()]
    flag = violence["alcohol_related"].astype("boolean").fillna(False)
    return int(flag.sum()), len(violence)


def report_measures(cfg, source=None) -> list[dict]:
    """The set's rows for the report measures, this year and last (none when the data are
    not there)."""
    from sa_toolkit.indicators.computations import NotComputable, _incidents
    from sa_toolkit.measures import interval

    if source is None:
        from sa_toolkit.analysis.priority_framework import local_source

        source = local_source(cfg)
    rows = []
    years = (cfg.year.previous(), cfg.year)
    for fy in years:
        fy = FinancialYear.parse(fy)
        try:
            # the framework's rule for the year's rows (like for like with the other year)
            source.compared_with = years[0] if fy == years[1] else years[1]
            incidents = _incidents(source, fy)
            flagged, violence = alcohol_related_violence(incidents)
        except (NotComputable, KeyError):
            continue
        finally:
            source.compared_with = None
        label, text = DEFINITIONS["alcohol_related_violence"]
        common = {
            "priority": "drugs_and_alcohol",
            "period": fy.label,
            "definition": text,
            "source": SOURCE_INCIDENTS,
            "note": "",
        }
        lo, hi, method = interval("count", flagged, flagged, None)
        rows.append(
            {**common, "measure_id": "alcohol_related_violence", "label": f"{label} (offences)",
             "value": float(flagged), "lower": lo, "upper": hi, "confidence": 0.95,
             "method": method, "numerator": float(flagged), "denominator": None,
             "unit": "count", "multiplier": 1}
        )  # fmt: skip
        if violence:
            share = flagged / violence * 100
            lo, hi, method = interval("percent", share, flagged, violence)
            rows.append(
                {**common, "measure_id": "alcohol_related_violence_share",
                 "label": f"{label}: share of violence against the person", "value": share,
                 "lower": lo, "upper": hi, "confidence": 0.95, "method": method,
                 "numerator": float(flagged), "denominator": float(violence),
                 "unit": "percent", "multiplier": 100}
            )  # fmt: skip
    return rows
