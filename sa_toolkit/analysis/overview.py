"""Calculations behind the 00 Overview report.

The overview answers, for the whole partnership, what the 2009 rolling plan answers in
its opening pages and Appendix 1: how every priority's indicators moved (the performance
framework), where the partnership stands in its Most Similar Group (MSG), how much crime
and anti-social behaviour (ASB) there was and of what kind, what crime cost, and which
categories should be priorities (the priority-setting matrix, scored by the rules in
``docs/assumptions_log.md``).

The work is split by responsibility; this module gathers the public names so that
``from sa_toolkit.analysis import overview`` keeps giving all of them:

- :mod:`~sa_toolkit.analysis.overview_data`: what the overview reads, once
  (:func:`load_overview`), and the helpers its parts share;
- :mod:`~sa_toolkit.analysis.overview_framework`: the performance framework table;
- :mod:`~sa_toolkit.analysis.overview_msg`: the Most Similar Group table and funnel plot;
- :mod:`~sa_toolkit.analysis.overview_trend`: recorded crime and ASB over time, and the mix;
- :mod:`~sa_toolkit.analysis.overview_cost`: the cost of crime;
- :mod:`~sa_toolkit.analysis.overview_matrix`: the priority-setting matrix;
- :mod:`~sa_toolkit.analysis.overview_findings`: key findings and recommendations;
- :mod:`~sa_toolkit.analysis.overview_report`: the report's sections, as the notebook shows
  them (:func:`~sa_toolkit.analysis.overview_report.prepare` and one function per heading).
"""

from __future__ import annotations

from pathlib import Path

from sa_toolkit.analysis.overview_cost import (
    cost_by_year,
    cost_chart,
    cost_display,
    cost_partial_note,
    cost_sentence,
)
from sa_toolkit.analysis.overview_data import (
    ALL_CRIME,
    ASB,
    MSG_SOURCE,
    STREET_SOURCE,
    TREND_YEARS,
    OverviewData,
    comparison_totals,
    complete_years,
    crime_columns,
    first_year_needed,
    load_overview,
    percent_change,
    signed_percent,
    street_month_counts,
    top_wards,
    year_totals,
)
from sa_toolkit.analysis.overview_findings import (
    all_source_asb_sentence,
    implications_text,
    key_findings,
)
from sa_toolkit.analysis.overview_framework import (
    RAG_NAMES,
    framework_display,
    framework_for_publication,
    framework_not_computed,
    framework_sentence,
    framework_summary,
    indicator_label,
    performance_framework,
    write_framework_download,
)
from sa_toolkit.analysis.overview_matrix import (
    HARM_BANDS,
    NOT_MEASURED,
    PEER_SCORES,
    PRIORITY_BANDS,
    TREND_SCORES,
    VOLUME_BANDS,
    category_trends,
    matrix_display,
    matrix_key,
    matrix_sentence,
    priority_band,
    priority_matrix,
)
from sa_toolkit.analysis.overview_msg import (
    funnel_position,
    msg_comparison,
    msg_display,
    msg_funnel,
    msg_funnel_note,
    msg_groups,
    msg_has_last_year,
    msg_position,
    msg_sentences,
)
from sa_toolkit.analysis.overview_trend import (
    change_test,
    crime_mix,
    crime_trend,
    mix_display,
    mix_sentence,
    movement,
    series_breaks_for,
    trend_chart_title,
    trend_frame,
    trend_title,
)
from sa_toolkit.periods import financial_year_label
from sa_toolkit.priorities import PRIORITY_NAMES

__all__ = [
    "ALL_CRIME",
    "ASB",
    "HARM_BANDS",
    "MSG_SOURCE",
    "NOT_MEASURED",
    "PEER_SCORES",
    "PRIORITY_BANDS",
    "PRIORITY_NAMES",
    "RAG_NAMES",
    "STREET_SOURCE",
    "TREND_SCORES",
    "TREND_YEARS",
    "VOLUME_BANDS",
    "OverviewData",
    "Path",
    "all_source_asb_sentence",
    "category_trends",
    "change_test",
    "comparison_totals",
    "complete_years",
    "cost_by_year",
    "cost_chart",
    "cost_display",
    "cost_partial_note",
    "cost_sentence",
    "crime_columns",
    "crime_mix",
    "crime_trend",
    "financial_year_label",
    "first_year_needed",
    "framework_display",
    "framework_for_publication",
    "framework_not_computed",
    "framework_sentence",
    "framework_summary",
    "funnel_position",
    "implications_text",
    "indicator_label",
    "key_findings",
    "load_overview",
    "matrix_display",
    "matrix_key",
    "matrix_sentence",
    "mix_display",
    "mix_sentence",
    "movement",
    "msg_comparison",
    "msg_display",
    "msg_funnel",
    "msg_funnel_note",
    "msg_groups",
    "msg_has_last_year",
    "msg_position",
    "msg_sentences",
    "percent_change",
    "performance_framework",
    "priority_band",
    "priority_matrix",
    "series_breaks_for",
    "signed_percent",
    "street_month_counts",
    "top_wards",
    "trend_chart_title",
    "trend_frame",
    "trend_title",
    "write_framework_download",
    "year_totals",
]
