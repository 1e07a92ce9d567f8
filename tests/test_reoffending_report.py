"""The re-offending report's sections (``analysis.reoffending_report``) on hand-built tables.

Expected titles, alt texts and suppressed cells are worked out by hand in the comments,
never taken from the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sa_toolkit.analysis import reoffending_report as rr
from sa_toolkit.analysis.sections import Chart
from sa_toolkit.config import load_config

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK_COLUMNS = [
    "indicator_id", "name", "baseline", "actual", "change", "change_unit", "unit", "target",
    "target_type", "significant", "polarity", "rag", "rag_label", "comment",
]  # fmt: skip


def _cfg(tmp_path, threshold: int):
    # an empty processed folder: every table counts as "not supplied"
    return load_config(ROOT / "config" / "assessment.yml").with_overrides(
        processed_dir=tmp_path,
        year="2025/26",
        partnership_code="X1",
        partnership_short_name="Testborough",
        suppression_threshold=threshold,
    )


def _reoffending() -> pd.DataFrame:
    rows = []
    # 2023/24 (2023Q2..2024Q1): adults 400 offenders, 80 re-offenders (20%), 240 re-offences;
    # IOM 48, 28 (58.3%), 128; juveniles 40, 12 (30%), 24
    for q in ["2023Q2", "2023Q3", "2023Q4", "2024Q1"]:
        rows += [(q, "adult", False, 100, 20, 60), (q, "adult", True, 10, 6, 30)]
        rows += [(q, "juvenile", False, 10, 3, 6), (q, "juvenile", True, 2, 1, 2)]
    # 2024/25: adults 400, 120 (30%), 360; IOM 40, 20 (50%), 80 (4.0 each); no juveniles
    for q in ["2024Q2", "2024Q3", "2024Q4", "2025Q1"]:
        rows += [(q, "adult", False, 100, 30, 90), (q, "adult", True, 10, 5, 20)]
    # 2025/26 has one quarter only: not a complete cohort
    rows += [("2025Q2", "adult", False, 100, 50, 50)]
    frame = pd.DataFrame(
        rows, columns=["cohort_quarter", "cohort", "ppo", "offenders", "reoffenders", "reoffences"]
    )
    return frame.assign(area_code="X1")


def _probation() -> pd.DataFrame:
    rows = []
    # 2025/26: licence 18-24 40 ended, 8 employed, 32 housed; community order 25+ 60, 32, 48
    for q in ["2025Q2", "2025Q3", "2025Q4", "2026Q1"]:
        rows += [(q, "licence", "18-24", 10, 2, 8), (q, "community_order", "25+", 15, 8, 12)]
    return pd.DataFrame(
        rows,
        columns=["quarter", "order_type", "age_group", "terminations", "in_employment",
                 "in_settled_accommodation"],
    ).assign(area_code="X1")  # fmt: skip


def _ages():
    # 5 suspects: 10-14 one, 15-19 one, 20-24 two, 60+ one; residents aged 10+: 500
    incidents = pd.DataFrame({"suspect_age": [12, 16, 22, 22, 70]})
    population = pd.DataFrame(
        {"year": [2025] * 4, "age_min": [10, 15, 20, 60], "population": [100, 100, 100, 200]}
    )
    return incidents, population


def _framework() -> pd.DataFrame:
    return pd.DataFrame(columns=FRAMEWORK_COLUMNS)


def _report(tmp_path, threshold=5, reoffending=True, probation=True, ages=True):
    incidents, population = _ages() if ages else (None, None)
    return rr.build(
        _cfg(tmp_path, threshold),
        _framework(),
        _reoffending() if reoffending else None,
        _probation() if probation else None,
        incidents,
        population,
    )


def test_cohort_section_charts_titles_and_alt_text(tmp_path):
    section = rr.cohort_section(_report(tmp_path, threshold=5))
    rate, frequency, table = section.parts
    assert isinstance(rate, Chart) and isinstance(frequency, Chart)
    assert rate.name == "05_reoffending_rate"
    # 2024/25: adults 30%, IOM 50%: the IOM cohort is highest
    assert rate.arguments["title"] == (
        "The integrated offender management cohort re-offended most: 50% re-offended in 2024/25"
    )
    assert rate.alt == (
        "Chart of proven re-offending rates with 95% intervals by cohort and year: "
        "Adult 2023/24 20%; Adult 2024/25 30%; Juvenile 2023/24 30%; "
        "Integrated Offender Management 2023/24 58%; Integrated Offender Management 2024/25 50%"
    )
    # IOM 2024/25: 80 re-offences by 20 re-offenders
    assert frequency.arguments["title"] == (
        "Integrated Offender Management re-offenders committed 4.0 proven re-offences each in "
        "the 2024/25 cohort"
    )
    assert "Proven re-offending by cohort, Testborough, 2024/25 cohort" in table
    assert "30.0%" in table and "50.0%" in table


def test_cohort_section_hides_small_cohorts(tmp_path):
    # threshold 25: the IOM cohort's 20 re-offenders of 2024/25 and the juveniles' 12 of
    # 2023/24 are too few to draw or to show a rate for
    section = rr.cohort_section(_report(tmp_path, threshold=25))
    rate, frequency, table = section.parts
    assert rate.arguments["title"] == (
        "The adult cohort re-offended most: 30% re-offended in 2024/25"
    )
    assert rate.alt.endswith(
        "Adult 2023/24 20%; Adult 2024/25 30%; Integrated Offender Management 2023/24 58%"
    )
    assert frequency.arguments["title"] == "Re-offences per re-offender by cohort"
    drawn = rate.arguments["values"].set_index(["financial_year", "cohort"])
    assert pd.isna(drawn.loc[("2024/25", "Integrated Offender Management"), "value"])
    assert ">&lt;25<" in table
    assert "50.0%" not in table  # the IOM rate rests on 20 re-offenders


def test_cohort_section_without_the_extract_says_so(tmp_path):
    (note,) = rr.cohort_section(_report(tmp_path, reoffending=False)).parts
    assert "Not available" in note and "was not supplied" in note
    assert "a complete re-offending cohort up to 2025/26" in note


def test_probation_section_chart_and_masked_group(tmp_path):
    chart, table = rr.probation_section(_report(tmp_path, threshold=10)).parts
    # 2025/26: 40 of 100 employed, 80 of 100 in settled accommodation
    assert chart.arguments["title"] == (
        "40% were in employment and 80% in settled accommodation at the end of supervision "
        "in 2025/26"
    )
    assert chart.alt.endswith("In employment 2025/26 40%; In settled accommodation 2025/26 80%")
    # the licence 18-24 group: 8 employed of 40 ended, fewer than 10
    assert table.count(">&lt;10<") == 1  # one cell (the note names the rule too)
    assert "Community order" in table and "community_order" not in table
    (note,) = rr.probation_section(_report(tmp_path, probation=False)).parts
    assert "probation outcomes cannot be shown" in note


def test_age_profile_section_and_its_threshold(tmp_path):
    (chart,) = rr.age_profile_section(_report(tmp_path, threshold=5)).parts
    # 20-24: 2 of 5 suspects (40%) against 100 of 500 residents (20%): 2.0 times
    assert chart.arguments["title"] == (
        "People aged 20-24 were 40% of suspects, 2.0 times their share of residents"
    )
    assert chart.alt.endswith(
        "10-14 20% of suspects, 20% of residents; 15-19 20% of suspects, 20% of residents; "
        "20-24 40% of suspects, 20% of residents; 60+ 20% of suspects, 40% of residents"
    )
    # 5 suspects in all: fewer than a threshold of 6, so no profile is drawn
    (note,) = rr.age_profile_section(_report(tmp_path, threshold=6)).parts
    assert "the age profile of suspects cannot be shown" in note


def test_key_findings_fall_back_to_a_sentence_without_data(tmp_path):
    report = _report(tmp_path, reoffending=False, probation=False, ages=False)
    assert rr.key_findings(report) == [
        "No complete re-offending cohort or probation year is available up to 2025/26.",
        "No indicator for reducing re-offending could be rated this year.",
    ]


def test_framework_section_caption_and_notes(tmp_path):
    (table,) = rr.framework_section(_report(tmp_path)).parts
    assert "Reducing re-offending indicators, Testborough, 2024/25 to 2025/26" in table
    assert "published about 18 months after the cohort" in table


def test_recommendations_name_rises_and_over_represented_ages(tmp_path):
    (block,) = rr.recommendations(_report(tmp_path)).parts
    # adults 20% to 30% of 400: significant (z test in test_analysis_drugs_reoffending_safer)
    assert "Adult proven re-offending rate (+10.0 points, 2024/25 cohort)" in block
    assert (
        "Suspects aged 20-24 are over-represented against the population (up to 2.0 times "
        "their share of residents aged 10+)"
    ) in block
