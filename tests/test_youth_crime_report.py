"""The youth crime report's sections (analysis.youth_crime_report), on hand-built frames.

Each section is checked for what a reader would see: its parts in order, chart titles and
alt texts, suppressed cells, and the "not supplied" note when its data are absent.
Expected values are worked by hand from the frames below, threshold 5.
"""

from __future__ import annotations

from html import unescape
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sa_toolkit.analysis import youth_crime_data as ycd
from sa_toolkit.analysis import youth_crime_report as ycr
from sa_toolkit.analysis.sections import Chart
from sa_toolkit.periods import FinancialYear

FY = FinancialYear(2025)  # 2025/26
FRAMEWORK_COLUMNS = [
    "indicator_id", "name", "baseline", "actual", "unit", "change", "change_unit", "target",
    "target_type", "significant", "rag", "rag_label", "comment", "polarity",
]  # fmt: skip


@pytest.fixture
def cfg(tmp_path):
    return SimpleNamespace(
        year=FY,
        baseline_year=FinancialYear(2024),
        suppression_threshold=5,
        partnership_short_name="Testborough",
        partnership_code="X1",
        significance_level=0.05,
        amber_tolerance=5,
        processed_dir=tmp_path,  # holds no table: every dataset "was not supplied"
    )


def no_framework() -> pd.DataFrame:
    return pd.DataFrame(columns=FRAMEWORK_COLUMNS)


def incident(month, start, *, victim=np.nan, suspect=np.nan, crime="Violence and sexual offences",
             syv=False, lsoa="L1"):  # fmt: skip
    return {
        "month": month, "lsoa_code": lsoa, "crime_type": crime,
        "offence_start": pd.Timestamp(start), "offence_end": pd.NaT,
        "serious_youth_violence": syv, "victim_age": victim, "suspect_age": suspect,
    }  # fmt: skip


@pytest.fixture
def incidents():
    """2024/25: 6 serious youth violence victims aged 15, 1 robbery of a 12 year old.
    2025/26: 9 serious youth violence victims aged 15, robberies of 14 year olds: 6 in
    North (L1), 2 in South (L2); one robbery of a 30 year old by a 16 year old."""
    rows = [incident("2024-06", "2024-06-04 16:00", victim=15, syv=True) for _ in range(6)]
    rows.append(incident("2024-07", "2024-07-02 10:00", victim=12, crime="Robbery"))
    rows += [incident("2025-05", "2025-05-06 16:30", victim=15, syv=True) for _ in range(9)]
    rows += [incident("2025-09", "2025-09-09 15:30", victim=14, crime="Robbery") for _ in range(6)]
    rows += [
        incident("2025-10", "2025-10-07 17:00", victim=14, crime="Robbery", lsoa="L2")
        for _ in range(2)
    ]
    rows.append(incident("2025-11", "2025-11-01 20:00", victim=30, suspect=16, crime="Robbery"))
    frame = pd.DataFrame(rows)
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    return frame


LOOKUP = pd.DataFrame({"lsoa_code": ["L1", "L2"], "ward_name": ["North", "South"]})
HELD = [pd.Period("2024-04", "M"), pd.Period("2026-03", "M")]


def report_with(cfg, incidents=None, **tables):
    figures = ycd.incident_figures(incidents, LOOKUP, cfg, HELD) if incidents is not None else None
    return ycd.assemble(
        cfg,
        no_framework(),
        figures,
        fte_table=tables.get("fte"),
        reoffending_table=tables.get("reoffending"),
        probation_table=tables.get("probation"),
    )


# ----------------------------------------------------------------------------- nothing supplied


def test_sections_without_data_say_what_was_not_supplied(cfg):
    report = report_with(cfg)
    expected = {
        ycr.young_victims: "Not available: the partnership's crime incident extract was not "
        "supplied, so victims and suspects aged 10-24 (the open police data hold no ages) "
        "cannot be shown.",
        ycr.serious_violence: "serious youth violence (the open police data hold no ages or "
        "offence codes) cannot be shown.",
        ycr.after_school_peak: "the after-school peak (the open police data hold no times or "
        "ages) cannot be shown.",
        ycr.youth_robbery: "robbery of and by young people (the open police data hold no ages) "
        "cannot be shown.",
        ycr.first_time_entrants: "Not available: the partnership's youth justice first-time "
        "entrants extract was not supplied, so first-time entrants cannot be shown.",
    }
    for section_of, text in expected.items():
        parts = section_of(report).parts
        assert len(parts) == 1, section_of.__name__
        assert "class='sa-missing'" in parts[0], section_of.__name__
        assert text in unescape(parts[0]), section_of.__name__
    offenders = [unescape(part) for part in ycr.young_offenders(report).parts]
    assert len(offenders) == 3  # re-offending note, probation note, what the data cannot show
    assert "proven re-offending extract was not supplied, so juvenile re-offending" in offenders[0]
    assert "probation outcomes extract was not supplied" in offenders[1]
    assert "What the data cannot show." in offenders[2]
    assert ycr.key_findings(report) == [
        "Not available: the partnership's crime incident extract was not supplied, so Young "
        "victims and suspects cannot be shown. The youth justice and re-offending extracts "
        "were not supplied either."
    ]
    recommendations = ycr.recommendations(report).parts
    assert len(recommendations) == 1
    # nothing could be compared: the report does not claim that nothing worsened
    assert "no indicator worsened" not in recommendations[0]
    assert "whether anything worsened is not known" in recommendations[0]


def test_first_time_entrants_without_a_whole_year(cfg):
    fte = pd.DataFrame(
        {"area_code": "X1", "quarter": ["2025Q2"], "first_time_entrants": [9],
         "population_10_17": [20000]}
    )  # fmt: skip
    parts = ycr.first_time_entrants(report_with(cfg, fte=fte)).parts
    assert parts == ["<p>No first-time entrants data cover a whole financial year.</p>"]


# ----------------------------------------------------------------------------- incidents


def test_serious_youth_violence_chart(cfg, incidents):
    (chart,) = ycr.serious_violence(report_with(cfg, incidents)).parts
    assert isinstance(chart, Chart)
    assert chart.name == "02_youth_crime_serious_youth_violence"
    assert chart.arguments["values"].to_dict() == {"2024/25": 6.0, "2025/26": 9.0}
    # 6 -> 9 is +50%
    assert chart.arguments["title"].startswith("Serious youth violence victims rose 50% (6 to 9)")
    assert chart.alt == (
        "Bar chart of serious youth violence victims per financial year: 2024/25 6, 2025/26 9."
    )
    assert chart.arguments["subtitle"].endswith("Testborough, 2024/25 to 2025/26")


def test_young_victims_chart_and_table(cfg, incidents):
    parts = ycr.young_victims(report_with(cfg, incidents)).parts
    chart, table = parts
    table = unescape(table)
    # victims 10-17: 7 (6 + the robbery of a 12 year old) -> 17 (9 + 8 robberies); suspects
    # 10-17: 0 -> 1 (no % change from 0); 18-24: none
    assert chart.name == "02_youth_crime_young_victims_suspects"
    assert "Victims 10-17: 7 in 2024/25, 17 in 2025/26." in chart.alt
    assert chart.arguments["monthly"]["Victims 10-17"].sum() == 24
    # the suspect aged 16 is one, below 5: suppressed in the table
    assert "<5" in table and ">1<" not in table
    assert "Victims and suspects aged 10-24 by financial year, Testborough" in table


def test_youth_robbery_table_and_wards(cfg, incidents):
    table, chart = ycr.youth_robbery(report_with(cfg, incidents)).parts
    table = unescape(table)
    # 2024/25: 1 robbery, its victim aged 12 (one: suppressed, so is its share);
    # 2025/26: 9 robberies, 8 victims aged 10-17 (89%), 1 suspect aged 16 (suppressed)
    assert "[c]" in table and "89%" in table
    assert "100%" not in table
    # the one robbery of 2024/25 is below 5 too
    assert ">9</td>" in table and ">1<" not in table
    # South's 2 victims are below 5: only North is drawn
    assert chart.arguments["values"].to_dict() == {"North": 6}
    assert chart.arguments["title"] == "North had the most robberies of 10-17 year olds in 2025/26"
    assert chart.alt == "Bar chart of robbery victims aged 10-17 by ward: North 6."


def test_key_findings_with_incidents(cfg, incidents):
    found = ycr.key_findings(report_with(cfg, incidents))
    assert found[0].startswith(
        "Serious youth violence victims in 2025/26 rose 50% (6 to 9 victims)"
    )
    assert found[1].startswith("Victims aged 10-17 in 2025/26 rose 143% (7 to 17 victims)")
    # the last: North's 6 of the 8 robbery victims aged 10-17; the other 2 are below 5, so
    # neither they nor North's share (75%) are given
    assert found[-1] == (
        "North ward accounted for all but fewer than 5 of robberies of 10-17 year olds in "
        "2025/26 (8 victims in all)."
    )


# ----------------------------------------------------------------------------- offenders


def test_reoffending_of_a_small_cohort_is_not_drawn(cfg):
    quarters = ["2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"]
    rows = pd.DataFrame(
        {
            "area_code": "X1",
            "cohort_quarter": quarters,
            "cohort": "juvenile",
            "ppo": False,
            # 2023/24: 40 offenders, 16 re-offended (40%); 2024/25: 8 offenders, 2 re-offended
            "offenders": [10, 10, 10, 10, 2, 2, 2, 2],
            "reoffenders": [4, 4, 4, 4, 1, 0, 1, 0],
            "reoffences": [10, 10, 10, 10, 1, 0, 2, 0],
        }
    )
    parts = ycr.young_offenders(report_with(cfg, reoffending=rows)).parts
    chart, table, probation_note, limits = parts
    table = unescape(table)
    assert chart.alt == (
        "Chart of the juvenile re-offending rate by cohort year with 95% intervals: "
        "2023/24 40%, 2024/25 not shown (too few offenders). Trend: cannot be calculated."
    )
    assert np.isnan(chart.arguments["series"]["Re-offending rate"][0].iloc[1])
    # 2024/25: 2 re-offenders and 2 re-offences are below 5: counts <5, rate and frequency [c]
    assert table.count("<5") == 2 and "[c]" in table
    assert "probation outcomes extract was not supplied" in probation_note
    assert "What the data cannot show." in limits


def test_probation_table_and_chart(cfg):
    probation = pd.DataFrame(
        {
            "area_code": "X1",
            "quarter": ["2025Q2", "2025Q3", "2025Q4", "2026Q1"] * 2,
            "order_type": "licence",
            "age_group": ["18-24"] * 4 + ["25+"] * 4,
            "terminations": [10, 10, 10, 10, 1, 1, 1, 1],
            "in_employment": [2, 3, 4, 3, 1, 0, 0, 0],
            "in_settled_accommodation": [8, 8, 8, 8, 1, 1, 1, 1],
        }
    )
    parts = ycr.young_offenders(report_with(cfg, probation=probation)).parts
    reoffending_note, table, chart, _limits = parts
    table = unescape(table)
    assert "proven re-offending extract was not supplied" in reoffending_note
    # 25+: 4 orders ended, below 5: the count is <5 and its percentages [c]
    assert "<5" in table and table.count("[c]") == 6
    assert "2025/26" in table
    # 18-24: 12 of 40 in employment (30%), 32 in settled accommodation (80%); the 25+
    # group's 1 of 4 in work is neither drawn nor compared with
    assert (
        chart.arguments["title"] == "30% of 18-24 year olds leaving probation in 2025/26 had a job"
    )
    assert chart.alt == (
        "30% of 18-24 year olds ending a probation order in 2025/26 were in employment and 80% "
        "in settled accommodation."
    )
    assert np.isnan(chart.arguments["series"]["Aged 25 and over"][0]).all()
    assert chart.arguments["series"]["Aged 18-24"][0].tolist() == [30.0]
    assert chart.name == "02_youth_crime_probation_employment"


def test_probation_percentages_of_few_in_work_are_hidden(cfg):
    probation = pd.DataFrame(
        {
            "area_code": "X1",
            "quarter": ["2025Q2", "2025Q3", "2025Q4", "2026Q1"] * 2,
            "order_type": "licence",
            "age_group": ["18-24"] * 4 + ["25+"] * 4,
            # 18-24: 40 orders ended, 3 in work (below 5), 20 settled; 25+: 80, 40, 78 (2 not)
            "terminations": [10, 10, 10, 10, 20, 20, 20, 20],
            "in_employment": [1, 1, 1, 0, 10, 10, 10, 10],
            "in_settled_accommodation": [5, 5, 5, 5, 20, 20, 20, 18],
        }
    )
    report = report_with(cfg, reoffending=None, probation=probation)
    _note, table, chart, _limits = ycr.young_offenders(report).parts
    table = unescape(table)
    # 18-24's employment, 25+'s accommodation: value, lower and upper hidden
    assert table.count("[c]") == 6
    assert ">50.0</td>" in table and ">40</td>" in table  # 18-24 settled; orders ending
    assert chart.alt == (
        "The employment and accommodation of 18-24 year olds ending a probation order in "
        "2025/26 rest on numbers too small to publish."
    )
    assert chart.arguments["title"] == "Employment at the end of probation by age"
    assert np.isnan(chart.arguments["series"]["Aged 18-24"][0]).all()
    assert chart.arguments["series"]["Aged 25 and over"][0].tolist() == [50.0]


def test_reoffending_sentence_hides_a_few_who_did_not_reoffend():
    from sa_toolkit.analysis import youth_crime as yc

    cohorts = pd.DataFrame(
        {"year": ["2024/25"], "offenders": [20], "reoffenders": [18], "rate": [90.0]}
    )
    assert yc.reoffending_sentence(cohorts, {"rate": "no significant change"}, 5) == (
        "All but fewer than 5 of the 20 young offenders in the 2024/25 cohort re-offended "
        "within a year; recent trend of the rate: no significant change."
    )


def test_first_year_of_the_extract_compares_nothing(cfg, incidents):
    """An extract that begins with the assessed year: no change on a year it does not hold."""
    this_year = incidents[incidents["month"] >= pd.Period("2025-04", "M")]
    held = [pd.Period("2025-04", "M"), pd.Period("2026-03", "M")]
    figures = ycd.incident_figures(this_year, LOOKUP, cfg, held)
    report = ycd.assemble(cfg, no_framework(), figures, None, None, None)
    note, chart, table = ycr.young_victims(report).parts
    assert unescape(note) == (
        "<p class='sa-missing'>Change on 2024/25 not available: no data for 2024/25.</p>"
    )
    # 2025/26: 17 victims aged 10-17 (9 + 8 robberies), 1 suspect aged 16, none aged 18-24
    assert chart.arguments["title"] == "Victims aged 10-17 were the largest group in 2025/26"
    assert chart.alt.endswith(
        "2025/26. Victims 10-17: 17 in 2025/26. Victims 18-24: 0 in 2025/26. "
        "Suspects 10-17: fewer than 5 in 2025/26. Suspects 18-24: 0 in 2025/26."
    )
    assert "2024/25" not in unescape(table)
    (bars,) = ycr.serious_violence(report).parts
    assert bars.arguments["values"].to_dict() == {"2025/26": 9.0}
    assert bars.arguments["title"] == (
        "Serious youth violence victims: 9; the change on 2024/25 is not available: "
        "no data for 2024/25"
    )


def test_small_counts_stay_out_of_titles_alt_texts_and_recommendations(cfg, incidents):
    """2024/25 with 3 serious youth violence victims (6 above, less 3): below 5."""
    fewer = incidents.drop(index=[0, 1, 2])
    report = report_with(cfg, fewer)
    (bars,) = ycr.serious_violence(report).parts
    assert bars.arguments["title"] == (
        "Serious youth violence victims: fewer than 5 in one of the two years, too few to "
        "publish or compare"
    )
    assert bars.alt.endswith("2024/25 fewer than 5, 2025/26 9.")
    chart, _table = ycr.young_victims(report).parts
    # victims 10-17: 4 (3 + the 12 year old) -> 17; suspects 10-17: 0 -> 1
    assert "Victims 10-17: fewer than 5 in 2024/25, 17 in 2025/26." in chart.alt
    assert "Suspects 10-17: 0 in 2024/25, fewer than 5 in 2025/26." in chart.alt
    assert ycr.rise_text("Victims 10-17", 4, 17, 325.0, 5) == "Victims 10-17 (fewer than 5 to 17)"
    assert ycr.rise_text("Victims 10-17", 30, 45, 50.0, 5) == "Victims 10-17 (+50%, 30 to 45)"


# ----------------------------------------------------------------------------- tests of change


def test_young_people_changes_allow_for_the_extra_variation_of_their_monthly_counts():
    """Hand-worked as in the ASB report's test: one year before of months 50, 150, ...
    (mean 100) gives a dispersion of 12 * 2500 / 100 / 11 = 27.27 on 11 df; 1,200 -> 1,320
    is then z = 60 / sqrt(27.27 * 630) = 0.458, p = 2 P(t_11 > 0.458) = 0.656, where the
    Poisson test alone would give p 0.018 (significant)."""
    from scipy import stats

    from sa_toolkit.analysis import youth_crime as yc

    year = FY
    months = pd.period_range("2024-04", "2026-03", freq="M")
    monthly = pd.DataFrame(
        {"Victims 10-17": [50 if i % 2 == 0 else 150 for i in range(12)] + [110] * 12},
        index=months,
    )
    totals = yc.year_totals(monthly, [year.previous(), year])
    expected_p = 2 * stats.t.sf(60 / np.sqrt(12 * 2500 / 100 / 11 * 630), 11)
    assert expected_p == pytest.approx(0.656, abs=0.001)

    allowed = yc.latest_changes(totals, year, 0.05, monthly=monthly).iloc[0]
    assert (allowed["before"], allowed["after"]) == (1200, 1320)
    assert allowed["p_value"] == pytest.approx(expected_p, abs=1e-6)
    assert not allowed["significant"]
    chance_only = yc.latest_changes(totals, year, 0.05).iloc[0]
    assert chance_only["significant"] and chance_only["p_value"] == pytest.approx(0.018, abs=0.001)


def test_serious_youth_violence_by_month_counts_flagged_incidents_and_zero_months():
    from sa_toolkit.analysis import youth_crime as yc

    incidents = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2025-04", "2025-04", "2025-06", "2025-06"], freq="M"),
            "serious_youth_violence": [True, False, True, pd.NA],
        }
    )
    months = pd.period_range("2025-04", "2025-06", freq="M")
    assert yc.serious_youth_violence_monthly(incidents, months).tolist() == [1, 0, 1]
