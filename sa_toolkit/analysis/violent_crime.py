"""Violent crime (priority 1): the calculations behind ``notebooks/01_violent_crime``.

The measures (violence against the person, serious violence, robbery, knife and gun
crime, domestic abuse, sexual offences) are defined in
``sa_toolkit/data/violent_crime_measures.csv`` as a column of the partner
``crime_incidents`` extract and the values that select a crime (an offence group, offence
descriptions, or a flag). :func:`load` reads each table once, for the partnership's LSOAs
and the months the report needs; every other function works on what it returns and gives
frames, numbers and sentences for the report.

The work is split by theme; this module names every public function of them, so that
``from sa_toolkit.analysis import violent_crime as vc`` gives the whole priority:

- ``violent_crime_data``: the measures, :class:`ViolentCrimeData`, :func:`load`, selections
- ``violent_crime_trends``: monthly counts, the year summary and its change, trend titles
- ``violent_crime_places``: wards and LSOAs, concentration, the Most Similar Group
- ``violent_crime_people``: times of day, ages, domestic abuse, alcohol, repeat victims
- ``violent_crime_findings``: the framework's rows, key findings, recommendations
- ``violent_crime_tables``: the report's tables, with disclosure control
- ``violent_crime_report``: the notebook's sections (``prepare`` and one function per heading)

Examples
--------
>>> data = load(cfg)                                   # doctest: +SKIP
>>> summary = year_summary(data)                       # doctest: +SKIP
>>> key_findings(data, summary, framework_rows(data))  # doctest: +SKIP
"""

from __future__ import annotations

from sa_toolkit.analysis.violent_crime_data import (
    AGE_BANDS,
    FOCUS,
    INCIDENT_COLUMNS,
    MSG_GROUP,
    NEEDS_INCIDENTS,
    NIGHT_TIME_ECONOMY,
    POLICE_COLUMNS,
    POLICE_FOCUS,
    SOURCE_INCIDENTS,
    SOURCE_POLICE,
    ViolentCrimeData,
    focus_incidents,
    in_year,
    load,
    load_measures,
    measure_mask,
    population_by_lsoa,
)
from sa_toolkit.analysis.violent_crime_findings import (
    framework_rows,
    implications,
    key_findings,
    level_sentence,
    measure_sentence,
)
from sa_toolkit.analysis.violent_crime_people import (
    POPULATION_AGES_NEEDED,
    age_bands,
    age_profiles,
    age_sentence,
    band_label,
    domestic_abuse_sentence,
    most_over_represented,
    night_sentence,
    shares_and_repeats,
    temporal,
)
from sa_toolkit.analysis.violent_crime_places import (
    concentration_sentence,
    concentration_summary,
    peer_funnel,
    peer_sentence,
    place_table,
    top_places,
    ward_label_points,
)
from sa_toolkit.analysis.violent_crime_tables import (
    framework_display,
    people_display,
    places_display,
    ratios_display,
    significance_text,
    summary_display,
)
from sa_toolkit.analysis.violent_crime_trends import (
    direction,
    monthly_counts,
    series_breaks_for_priority,
    trend_title,
    year_summary,
)

__all__ = [
    "AGE_BANDS",
    "FOCUS",
    "INCIDENT_COLUMNS",
    "MSG_GROUP",
    "NEEDS_INCIDENTS",
    "NIGHT_TIME_ECONOMY",
    "POLICE_COLUMNS",
    "POLICE_FOCUS",
    "POPULATION_AGES_NEEDED",
    "SOURCE_INCIDENTS",
    "SOURCE_POLICE",
    "ViolentCrimeData",
    "age_bands",
    "age_profiles",
    "age_sentence",
    "band_label",
    "concentration_sentence",
    "concentration_summary",
    "direction",
    "domestic_abuse_sentence",
    "focus_incidents",
    "framework_display",
    "framework_rows",
    "implications",
    "in_year",
    "key_findings",
    "level_sentence",
    "measure_sentence",
    "load",
    "load_measures",
    "measure_mask",
    "monthly_counts",
    "most_over_represented",
    "night_sentence",
    "peer_funnel",
    "peer_sentence",
    "people_display",
    "place_table",
    "places_display",
    "population_by_lsoa",
    "ratios_display",
    "series_breaks_for_priority",
    "shares_and_repeats",
    "significance_text",
    "summary_display",
    "temporal",
    "top_places",
    "trend_title",
    "ward_label_points",
    "year_summary",
]
