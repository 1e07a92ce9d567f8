"""The safer communities report's sections (``analysis.safer_communities_report`` and
``safer_communities_incidents``) on hand-built tables.

Expected titles, alt texts, notes and suppressed cells are worked out by hand in the
comments, never taken from the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sa_toolkit.analysis import safer_communities_report as scr
from sa_toolkit.analysis.sections import Chart
from sa_toolkit.config import load_config

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK_COLUMNS = [
    "indicator_id", "name", "baseline", "actual", "change", "change_unit", "unit", "target",
    "target_type", "significant", "polarity", "rag", "rag_label", "comment",
]  # fmt: skip


def _cfg(tmp_path, threshold: int, baseline: str = "2024/25"):
    # empty raw and processed folders: every table counts as "not supplied"
    return load_config(ROOT / "config" / "assessment.yml").with_overrides(
        processed_dir=tmp_path,
        raw_dir=tmp_path,
        year="2025/26",
        baseline_year=baseline,
        partnership_code="X1",
        partnership_short_name="Testborough",
        suppression_threshold=threshold,
    )


def _survey() -> pd.DataFrame:
    rows = []
    for wave in (2023, 2025):
        # 90 respondents, weight 1: 40 in W1, 40 in W2, 10 in W3
        wards = ["W1"] * 40 + ["W2"] * 40 + ["W3"] * 10
        if wave == 2023:
            dark = [i < 60 for i in range(90)]  # 60 of 90: 67%
        else:
            # W1 10 of 40 (25%), W2 30 of 40 (75%), W3 5 of 10: 45 of 90, 50%
            dark = [i < 10 for i in range(40)] + [i < 30 for i in range(40)]
            dark += [i < 5 for i in range(10)]
        for i, (ward, safe) in enumerate(zip(wards, dark, strict=True)):
            rows.append(
                {
                    "wave": wave,
                    "weight": 1.0,
                    "ward_code": ward,
                    "safe_day": "Very safe",
                    "safe_after_dark": "Fairly safe" if safe else "Very unsafe",
                    # 60 of 90 (67%), 72 of 90 (80%) and 27 of 90 (30%) in both waves
                    "different_backgrounds_get_on": "Definitely agree" if i < 60 else
                    "Definitely disagree",
                    "satisfied_with_area": "Very satisfied" if i < 72 else "Very dissatisfied",
                    "police_council_deal_with_asb": "Strongly agree" if i < 27 else
                    "Strongly disagree",
                }
            )  # fmt: skip
    return pd.DataFrame(rows)


def _lookup() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lsoa_code": ["E1", "E2", "E3"],
            "ward_code": ["W1", "W2", "W3"],
            "ward_name": ["Ward One", "Ward Two", "Ward Three"],
        }
    )


def _incidents(last_year: bool = True) -> pd.DataFrame:
    # 2025/26: 8 hate crimes, race on 6 flags (one also religion), disability on 2;
    # 2024/25: 4 crimes, all race
    strands = ["race"] * 5 + ["race;religion"] + ["disability"] * 2
    months = ["2025-06"] * 8
    if last_year:
        strands += ["race"] * 4
        months += ["2024-06"] * 4
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(months, freq="M"),
            "lsoa_code": "E1",
            "hate_crime": True,
            "hate_crime_strand": strands,
        }
    )


def _fires(last_year: bool = True) -> pd.DataFrame:
    # 2025/26: primary fires in May and June, a secondary in July (2 casualties);
    # 2024/25: one primary fire (1 casualty)
    months = ["2025-05", "2025-06", "2025-07"] + (["2024-07"] if last_year else [])
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(months, freq="M"),
            "incident_type": ["primary", "primary", "secondary", "primary"][: len(months)],
            "motive": "accidental",
            "casualties": [2, 0, 0, 1][: len(months)],
            "fatalities": 0,
            "lsoa_code": "E1",
        }
    )


def _population() -> pd.DataFrame:
    # mid-2024: 10,000 aged 0-15 and 30,000 aged 16-64; mid-2025: 12,000 and 38,000
    return pd.DataFrame(
        {
            "year": [2024, 2024, 2025, 2025],
            "lsoa_code": "E1",
            "age_min": [0, 20, 0, 20],
            "population": [10000, 30000, 12000, 38000],
        }
    )


def _roads() -> pd.DataFrame:
    # killed or seriously injured: 2024 all ages 4 (children 3), 2025 all ages 6 (children 0)
    return pd.DataFrame(
        {
            "area_code": "X1",
            "year": [2024, 2024, 2024, 2025, 2025],
            "severity": ["fatal", "serious", "slight", "serious", "serious"],
            "age_group": ["adult", "child", "child", "adult", "adult"],
            "road_user": "pedestrian",
            "casualties": [1, 3, 50, 4, 2],
        }
    )


def _framework(ksi_target: float | None = None) -> pd.DataFrame:
    if ksi_target is None:
        return pd.DataFrame(columns=FRAMEWORK_COLUMNS)
    row = dict.fromkeys(FRAMEWORK_COLUMNS, "")
    row.update(indicator_id="NI47", name="Killed or seriously injured", baseline=4.0,
               actual=6.0, change=50.0, change_unit="%", unit="count", target=ksi_target,
               target_type="level", significant="no", polarity="lower_is_better", rag="R",
               rag_label="Red: target missed")  # fmt: skip
    return pd.DataFrame([row])


def _report(tmp_path, threshold=5, *, survey=True, last_year=True, ksi_target=None, **kwargs):
    cfg = _cfg(tmp_path, threshold, **kwargs)
    return scr.build(
        cfg,
        _framework(ksi_target),
        _survey() if survey else None,
        _incidents(last_year),
        _fires(last_year),
        _roads(),
        _population(),
        _lookup(),
    )


def test_feeling_safe_chart_ward_table_and_lowest_wards(tmp_path):
    report = _report(tmp_path)
    # W3's 10 answers are too few; W1 25% is lowest, then W2 75%
    assert report.lowest_wards == ["Ward One (25%)", "Ward Two (75%)"]
    chart, table = scr.feeling_safe_section(report).parts
    # 60 of 90 to 45 of 90: z = 0.1667 / sqrt(0.5833 * 0.4167 * 2 / 90) = 2.27, p = 0.023
    assert chart.arguments["title"] == (
        "Feeling safe after dark fell from 67% to 50% (a significant change)"
    )
    assert chart.alt.endswith(
        "Feel safe during the day 2023: 100%; Feel safe during the day 2025: 100%; "
        "Feel safe after dark 2023: 67%; Feel safe after dark 2025: 50%"
    )
    assert "Residents feeling safe by ward: % (95% interval), Testborough, wave 2025" in table
    assert "fewer than 30 answers" in table  # Ward Three


def test_feeling_safe_map_is_the_latest_wave_after_dark(tmp_path, monkeypatch):
    (ward_map,) = scr.feeling_safe_map(_report(tmp_path)).parts
    assert (ward_map.question, ward_map.wave, ward_map.concern) == (
        "safe_after_dark",
        2025,
        "below",
    )
    # shown, it draws the survey ward map of that wave into the report folder
    calls = []
    monkeypatch.setattr(
        "sa_toolkit.maps.survey_ward_map", lambda *args, **kw: calls.append((args, kw)) or True
    )
    assert ward_map.show_in(tmp_path / "out") is True
    (args, kw) = calls[0]
    assert args[1:] == (tmp_path / "out", ward_map.survey, "safe_after_dark")
    assert (kw["wave"], kw["min_respondents"], kw["concern"]) == (2025, 30, "below")
    assert kw["name"] == "06_safer_communities_safe_after_dark"


def test_survey_sections_without_the_survey_say_so(tmp_path):
    report = _report(tmp_path, survey=False)
    (note,) = scr.feeling_safe_section(report).parts
    assert "was not supplied" in note and "the survey measure of feeling safe" in note
    (note,) = scr.cohesion_section(report).parts
    assert "the survey measures of cohesion and confidence cannot be shown" in note
    # the map adds nothing: the heading's note above already says the survey is missing
    assert not scr.feeling_safe_map(report)
    assert report.lowest_wards == []


def test_cohesion_title_names_the_lowest_measure(tmp_path):
    chart, table = scr.cohesion_section(_report(tmp_path)).parts
    # 2025: police and council 30%, backgrounds 67%, satisfied 80%
    assert chart.arguments["title"] == (
        "Only 30% agree that the police and council deal with crime and ASB (2025)"
    )
    assert "Change between the last two survey waves, Testborough" in table
    assert "+0.0 pp" in table  # the same answers in both waves


def test_hate_crime_chart_hides_small_strands(tmp_path):
    chart, table = scr.hate_crime_section(_report(tmp_path, threshold=3)).parts
    assert isinstance(chart, Chart)
    # race on 6 of the 8 hate crimes; religion (1) and disability (2) are below 3: not drawn
    assert chart.arguments["title"] == "Race was the strand of 75% of hate crimes in 2025/26"
    assert chart.alt == (
        "Bar chart of 8 hate crimes in 2025/26 by strand: Race 6; Sexual orientation 0; "
        "Transgender 0"
    )
    assert "Testborough, 2024/25 and 2025/26 (4 and 8 hate crimes)" in table
    assert table.count(">&lt;3<") == 2


def test_hate_crime_without_last_year_says_the_change_is_not_available(tmp_path):
    chart, note, table = scr.hate_crime_section(_report(tmp_path, last_year=False)).parts
    assert isinstance(chart, Chart)
    assert "Change on 2024/25 not available: no data for 2024/25." in note
    assert "Testborough, 2025/26 (8 hate crimes)" in table


def test_fires_without_last_year(tmp_path):
    chart, note, table = scr.fires_section(_report(tmp_path, threshold=2, last_year=False)).parts
    # 2 primary fires this year, none recorded last year (the extract starts in May 2025)
    assert chart.arguments["title"] == "2 primary fires were attended in 2025/26"
    assert chart.arguments["subtitle"] == (
        "Fires attended per month, Testborough, May 2025 to March 2026"
    )
    assert chart.alt == (
        "Line chart of primary and secondary fires per month in Testborough: "
        "2 primary fires in 2025/26."
    )
    assert "Change on 2024/25 not available" in note
    assert "Fires and fire casualties, Testborough, 2025/26; rates per 100,000" in table


def test_fires_title_starts_with_a_capital_when_the_count_is_hidden(tmp_path):
    chart, _, _ = scr.fires_section(_report(tmp_path, threshold=5, last_year=False)).parts
    assert chart.arguments["title"] == "Fewer than 5 primary fires were attended in 2025/26"


def test_fires_table_hides_small_counts(tmp_path):
    chart, table = scr.fires_section(_report(tmp_path, threshold=5)).parts
    # this year 2 primary, 1 secondary, 2 casualties; last year 1 primary, 1 casualty: every
    # non-zero count is below 5
    assert chart.alt.endswith(
        "fewer than 5 primary fires in 2025/26 against fewer than 5 the year before."
    )
    assert "Testborough, 2024/25 and 2025/26; rates per 100,000" in table
    assert table.count(">&lt;5<") == 5


def test_road_casualties_blank_small_years_and_compare_with_the_target(tmp_path):
    (chart,) = scr.road_casualties_section(_report(tmp_path, threshold=5, ksi_target=5.0)).parts
    assert chart.arguments["title"] == (
        "6 people were killed or seriously injured on the roads in 2025, above the target of 5"
    )
    assert chart.arguments["reference"] == 5.0
    assert chart.alt.endswith(
        "All ages 2024: fewer than 5; All ages 2025: 6; Children (0-15) 2024: fewer than 5; "
        "Children (0-15) 2025: 0"
    )
    drawn = chart.arguments["values"].set_index(["group", "year"])
    assert pd.isna(drawn.loc[("All ages", "2024"), "value"])
    (chart,) = scr.road_casualties_section(_report(tmp_path, threshold=3)).parts
    assert chart.arguments["title"] == (
        "6 people were killed or seriously injured on the roads in 2025"
    )


def test_population_context(tmp_path):
    (table,) = scr.population_section(_report(tmp_path)).parts
    # 0-15: 10,000 to 12,000 (+20.0%); all ages 40,000 to 50,000 (+25.0%)
    assert "Residents by age group, Testborough, mid-2024 and mid-2025" in table
    assert "+20.0%" in table and "+25.0%" in table
    # the baseline is the assessed year: one estimate, no change column
    (table,) = scr.population_section(_report(tmp_path, baseline="2025/26")).parts
    assert "Residents by age group, Testborough, mid-2025" in table
    assert "+25.0%" not in table


def test_recommendations_name_falls_and_the_lowest_wards(tmp_path):
    (block,) = scr.recommendations(_report(tmp_path, ksi_target=5.0)).parts
    # after dark: 66.7% to 50.0%, -16.7 points, significant (see above)
    assert "Feel safe after dark (-16.7 points, 2025)" in block
    assert "Killed or seriously injured (Red: target missed)" in block
    assert "feeling safe after dark is lowest in Ward One (25%) and Ward Two (75%)" in block


def test_key_findings_end_with_the_traffic_lights(tmp_path):
    found = scr.key_findings(_report(tmp_path, ksi_target=5.0))
    assert found[0].endswith("; lowest in Ward One (25%) and Ward Two (75%).")
    # the one rated row is red
    assert found[-1] == (
        "Traffic lights of the 1 rated indicator for safer communities: 0 green, 0 amber and 1 red."
    )
