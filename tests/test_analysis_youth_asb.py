"""Youth crime and anti-social behaviour analysis, checked against hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sa_toolkit.analysis import anti_social_behaviour as asb
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.periods import FinancialYear

FY = FinancialYear.parse("2025/26")
Z = 1.959963984540054


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _wilson(x: float, n: float) -> tuple[float, float]:
    p = x / n
    centre = p + Z**2 / (2 * n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n * n))
    denom = 1 + Z**2 / n
    return (centre - half) / denom, (centre + half) / denom


# ----------------------------------------------------------------------------- school days


def test_school_days_weekends_and_holidays():
    dates = ["2025-11-25", "2025-11-29", "2025-08-05", "2025-12-22", "2026-01-05"]
    # Tuesday in term; Saturday; summer holiday; Christmas holiday; Monday back at school
    assert yc.school_days(dates).tolist() == [True, False, False, False, True]
    own = yc.school_days(dates, holidays=[("2025-11-24", "2025-11-28")])
    assert own.tolist() == [False, False, True, True, True]


def test_school_days_agree_with_demo_definition():
    from sa_toolkit.demo.partner import school_days as demo_school_days

    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    assert (yc.school_days(days) == demo_school_days(days)).all()


# ----------------------------------------------------------------------------- after school


def test_after_school_peak_hand_worked():
    # Tuesday 25 Nov 2025 (school day): 2 of 4 offences 15:00-18:00;
    # Saturday 29 Nov: 1 of 4. Victims aged 12; one adult victim ignored.
    starts = [
        "2025-11-25 15:30", "2025-11-25 16:10", "2025-11-25 09:00", "2025-11-25 20:00",
        "2025-11-29 15:30", "2025-11-29 10:00", "2025-11-29 11:00", "2025-11-29 12:00",
        "2025-11-25 16:00",
    ]  # fmt: skip
    frame = pd.DataFrame(
        {
            "offence_start": pd.to_datetime(starts),
            "offence_end": pd.NaT,
            "victim_age": [12] * 8 + [40],
            "crime_type": "Robbery",
            "month": pd.PeriodIndex(["2025-11"] * 9, freq="M"),
        }
    )
    peak = yc.after_school_peak(frame, FY)
    assert peak["school_offences"] == 4 and peak["other_offences"] == 4
    assert peak["school_share"] == pytest.approx(0.5)
    assert peak["other_share"] == pytest.approx(0.25)
    assert peak["ratio"] == pytest.approx(2.0)
    # pooled two-proportion z test: p = 3/8, se = sqrt(p(1-p)(1/4 + 1/4))
    se = math.sqrt(0.375 * 0.625 * 0.5)
    assert peak["p_value"] == pytest.approx(2 * (1 - _phi(0.25 / se)), rel=1e-6)
    assert not peak["significant"]
    assert peak["hourly"]["School days"].sum() == pytest.approx(1.0)
    assert peak["hourly"].loc[15, "Other days"] == pytest.approx(0.25)
    sentence = yc.after_school_sentence(peak)
    assert "50%" in sentence and "25%" in sentence and "not significant" in sentence


def test_after_school_peak_no_young_victims_does_not_crash():
    frame = pd.DataFrame(
        {
            "offence_start": pd.to_datetime(["2025-11-25 15:30"]),
            "offence_end": pd.NaT,
            "victim_age": [40],
            "crime_type": "Robbery",
            "month": pd.PeriodIndex(["2025-11"], freq="M"),
        }
    )
    peak = yc.after_school_peak(frame, FY)
    assert peak["school_offences"] == 0 and np.isnan(peak["school_share"])
    assert "Too few" in yc.after_school_sentence(peak)


# ----------------------------------------------------------------------------- counts


def test_young_people_and_changes():
    frame = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2024-05", "2024-06", "2025-05", "2025-05", "2025-06"], "M"),
            "victim_age": [15, 20, 16, 17, 30],
            "suspect_age": [np.nan, 17, 24, 9, 18],
        }
    )
    months = pd.period_range("2024-04", "2026-03", freq="M")
    monthly = yc.young_people_monthly(frame, months)
    totals = yc.year_totals(monthly, [FY.previous(), FY])
    assert totals.loc["2024/25"].tolist() == [1, 1, 1, 0]
    assert totals.loc["2025/26"].tolist() == [2, 0, 0, 2]
    changes = yc.latest_changes(totals, FY).set_index("measure")
    assert changes.loc["Victims 10-17", "change"] == pytest.approx(100.0)
    # exact conditional test of 1 v 2 events, equal exposure: binomial(3, 0.5), two-sided
    assert changes.loc["Victims 10-17", "p_value"] == pytest.approx(1.0)


def test_change_finding_hides_small_counts():
    text = yc.change_finding("Victims", 3, 9, "victims", {"significant": False}, threshold=5)
    assert "3" not in text and "fewer than 5" in text
    text = yc.change_finding("Victims", 30, 45, "victims", {"significant": True}, target=-5)
    assert text == (
        "Victims rose 50% (30 to 45 victims), missing the -5% target; "
        "the rise is statistically significant."
    )


def test_first_time_entrants_rate():
    fte = pd.DataFrame(
        {
            "area_code": "X1",
            "quarter": ["2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"],
            "first_time_entrants": [5, 6, 7, 2, 3],
            "population_10_17": [20000, 20000, 22000, 22000, 22000],
        }
    )
    out = yc.first_time_entrants(fte, "X1", [FY.previous(), FY])
    assert out["year"].tolist() == ["2024/25"]  # 2025/26 has one quarter only
    assert out["entrants"][0] == 20
    assert out["value"][0] == pytest.approx(20 / 21000 * 100000)
    assert "fewer than 25" in yc.fte_sentence(out, 25, None).lower()


def test_juvenile_reoffending_hand_worked():
    quarters = ["2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]
    rows = pd.DataFrame(
        {
            "area_code": "X1",
            "cohort_quarter": quarters * 2,
            "cohort": "juvenile",
            "ppo": [False] * 5 + [True] * 5,
            "offenders": [10] * 5 + [2] * 5,
            "reoffenders": [4] * 5 + [2] * 5,
            "reoffences": [10] * 5 + [9] * 5,
        }
    )
    out = yc.juvenile_reoffending(rows, "X1")
    assert out["year"].tolist() == ["2023/24"]  # 2024/25 has one quarter
    r = out.iloc[0]
    assert (r["offenders"], r["reoffenders"], r["reoffences"]) == (40, 16, 40)
    lo, hi = _wilson(16, 40)
    assert r["rate"] == pytest.approx(40.0)
    assert r["rate_lower"] == pytest.approx(lo * 100, abs=1e-6)
    assert r["rate_upper"] == pytest.approx(hi * 100, abs=1e-6)
    assert r["frequency"] == pytest.approx(2.5)
    assert "Fewer than 20" in yc.reoffending_sentence(out, {"rate": "x"}, threshold=20)


def test_probation_by_age():
    rows = pd.DataFrame(
        {
            "area_code": "X1",
            "quarter": ["2025Q2", "2025Q3", "2025Q4", "2026Q1"] * 2,
            "order_type": "licence",
            "age_group": ["18-24"] * 4 + ["25+"] * 4,
            "terminations": [10, 10, 10, 10, 20, 20, 20, 20],
            "in_employment": [2, 3, 4, 3, 10, 10, 10, 10],
            "in_settled_accommodation": [8, 8, 8, 8, 16, 16, 16, 16],
        }
    )
    out = yc.probation_by_age(rows, "X1", [FY]).set_index("age_group")
    assert out.loc["18-24", "employment"] == pytest.approx(12 / 40 * 100)
    assert out.loc["25+", "accommodation"] == pytest.approx(80.0)
    assert "30%" in yc.probation_sentence(out.reset_index())


# ----------------------------------------------------------------------------- ASB


def test_seasonality_index():
    months = pd.period_range("2023-01", "2025-03", freq="M")
    values = [10.0 if m.month != 7 else 20.0 for m in months]
    values[0] = 500.0  # January 2023 is before the first complete financial year: ignored
    season = asb.seasonality(pd.Series(values, index=months))
    assert season["years"].iloc[0] == 2
    july = season.set_index("month").loc["July"]
    assert july["index"] == pytest.approx(20 / (130 / 12))
    assert "peaks in July, 85% above" in asb.season_sentence(season)


def test_repeat_locations_bands():
    rows = pd.DataFrame(
        {
            "lsoa_code": ["L1"] * 12 + ["L2"] * 3 + ["L1"] + [None, "L3"],
            "location": ["On or near A"] * 12 + ["On or near B"] * 3 + ["On or near C"]
            + ["On or near D", ""],
        }
    )  # fmt: skip
    out = asb.repeat_locations(rows, minimum=10)
    assert out["repeat_locations"] == 1 and out["repeat_incidents"] == 12
    assert out["repeat_share"] == pytest.approx(12 / 16 * 100)
    assert out["unlocated"] == 2
    bands = out["bands"].set_index("incidents_per_location")
    assert bands.loc["1", "locations"] == 1 and bands.loc["2-4", "incidents"] == 3
    assert bands.loc["10-19", "locations"] == 1 and bands["incidents"].sum() == 16


def test_sources_and_categories():
    rows = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2024-05"] * 4 + ["2025-05"] * 6, freq="M"),
            "source": ["police"] * 3 + ["council"] + ["police"] * 2 + ["housing"] * 4,
            "category": ["nuisance"] * 6 + ["personal"] * 4,
        }
    )
    table = asb.by_source_category(rows, FY)
    assert table.loc["Nuisance", "Police"] == 2 and table.loc["Personal", "Housing"] == 4
    assert table.loc["Environmental"].sum() == 0
    changes = asb.source_changes(rows, FY).set_index("source")
    assert changes.loc["all sources", "before"] == 4 and changes.loc["all sources", "after"] == 6
    assert changes.loc["police", "change"] == pytest.approx(-100 / 3)


def test_strand_change_z_test():
    waves = pd.DataFrame(
        {
            "strand": ["asb_drunk_rowdy"] * 2,
            "label": [asb.STRANDS["asb_drunk_rowdy"]] * 2,
            "wave": [2023, 2025],
            "respondents": [120, 120],
            "effective_n": [100.0, 100.0],
            "value": [20.0, 30.0],
            "lower": [np.nan] * 2,
            "upper": [np.nan] * 2,
        }
    )
    out = asb.strand_change(waves).iloc[0]
    assert out["change"] == pytest.approx(10.0)
    se = math.sqrt(0.25 * 0.75 * (1 / 100 + 1 / 100))
    assert out["p_value"] == pytest.approx(2 * (1 - _phi(0.1 / se)), rel=1e-6)
    assert not out["significant"]


def test_strand_waves_use_kish_effective_sample():
    survey = pd.DataFrame(
        {
            "wave": [2025] * 4,
            "weight": [1.0, 1.0, 2.0, 2.0],
            **{s: ["Not a problem at all"] * 4 for s in asb.STRANDS},
        }
    )
    survey["asb_drunk_rowdy"] = ["Very big problem", "Not a problem at all"] * 2
    out = asb.strand_waves(survey).set_index("strand").loc["asb_drunk_rowdy"]
    assert out["value"] == pytest.approx(50.0)  # (1 + 2) / 6
    assert out["effective_n"] == pytest.approx(36 / 10)  # (sum w)^2 / sum w^2


def test_deliberate_fires_rate():
    fires = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2025-05"] * 4, freq="M"),
            "incident_type": ["primary", "secondary", "secondary", "secondary"],
            "motive": ["deliberate", "deliberate", "deliberate", "accidental"],
        }
    )
    out = asb.deliberate_fires(fires, {"2025/26": 20000.0}, [FY]).set_index("type")
    assert out.loc["primary", "fires"] == 1 and out.loc["secondary", "fires"] == 2
    assert out.loc["secondary", "value"] == pytest.approx(1.0)


# ----------------------------------------------------------------------------- framework


def test_framework_concerns_and_table():
    frame = pd.DataFrame(
        {
            "indicator_id": ["a", "b", "c", "d"],
            "name": ["Rising harm", "Missed", "Improved", "Small"],
            "baseline": [100.0, 10.0, 50.0, 3.0],
            "actual": [130.0, 11.0, 40.0, 2.0],
            "change": [30.0, 10.0, -20.0, -33.3],
            "change_unit": ["%"] * 4,
            "rag": ["R", "R", "G", "A"],
            "rag_label": ["Red: getting worse", "Red: target -5% missed by 15.0%",
                          "Green: improving", "Amber: better but not statistically significant"],
            "target": [np.nan, -5.0, np.nan, np.nan],
            "target_type": ["none", "relative_change", "none", "none"],
            "significant": ["yes", "no", "yes", "no"],
            "p_value": [0.01, 0.8, 0.02, 1.0],
            "unit": ["count"] * 4,
            "polarity": ["lower_is_better"] * 4,
            "value_source": ["computed from data"] * 4,
            "comment": [""] * 4,
        }
    )  # fmt: skip
    concerns = pf.framework_concerns(frame)
    assert concerns["worsened"] == ["Rising harm (+30%)"]
    assert concerns["missed_target"] == ["Missed (Red: target -5% missed by 15.0%)"]
    table = pf.framework_table(frame, threshold=5)
    assert table["Baseline"].tolist() == ["100", "10", "50", "<5"]
    # no target: the table says the row is rated by direction and significance
    none = "none set (direction and significance)"
    assert table["Target"].tolist() == [none, "-5%", none, none]


def test_ward_labels_are_incident_centres():
    rows = pd.DataFrame(
        {
            "lsoa_code": ["L1", "L1", "L2", "L3"],
            "longitude": [-0.10, -0.12, -0.2, np.nan],
            "latitude": [51.40, 51.42, 51.5, np.nan],
        }
    )
    lookup = pd.DataFrame({"lsoa_code": ["L1", "L2", "L3"], "ward_name": ["A", "B", "C"]})
    out = asb.ward_labels(rows, lookup, ["A", "C"]).set_index("label")
    assert list(out.index) == ["A"]  # C has no located incident
    assert out.loc["A", "longitude"] == pytest.approx(-0.11)
    assert out.loc["A", "latitude"] == pytest.approx(51.41)


Z95 = 1.959963984540054


def _syv_source(before: int, after: int, targets=None):
    """A DataSource with only crime_incidents: one incident a month plus SYV victims."""
    from types import SimpleNamespace

    from sa_toolkit.errors import UserError
    from sa_toolkit.indicators.computations import DataSource

    months = list(pd.period_range("2024-04", "2026-03", freq="M"))
    syv = [False] * 24 + [True] * before + [True] * after
    month = months + [pd.Period("2024-06", "M")] * before + [pd.Period("2025-06", "M")] * after
    incidents = pd.DataFrame(
        {
            "month": pd.PeriodIndex(month, freq="M"),
            "lsoa_code": "L1",
            "crime_type": "Violence and sexual offences",
            "serious_youth_violence": syv,
            "victim_age": 15,
        }
    )

    def reader(name, processed_dir, columns=None):
        if name != "crime_incidents":
            raise UserError(f"no processed table '{name}'")
        return incidents if columns is None else incidents[columns]

    cfg = SimpleNamespace(year=FY, amber_tolerance=2.0, significance_level=0.05, targets=targets)
    return cfg, DataSource(None, ["L1"], "X1", reader=reader)


@pytest.mark.parametrize(
    ("before", "after", "rag", "missed", "worsened"),
    [(100, 50, "G", False, False), (100, 200, "R", True, True)],
)
def test_framework_rows_follow_the_data(tmp_path, before, after, rag, missed, worsened):
    # the partnership's target for LI 2: at least a 5% fall (the seed plan's)
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "indicator_id,year,target_type,target,source,agreed_by\n"
        f"LI2,{FY.label},relative_change,-5,Youth plan,Board\n"
    )
    cfg, src = _syv_source(before, after, targets)
    frame = pf.priority_framework(cfg, "youth_crime", src)
    row = frame.set_index("indicator_id").loc["LI2"]
    assert (row["baseline"], row["actual"]) == (before, after)
    assert row["change"] == pytest.approx((after - before) / before * 100)
    assert row["rag"] == rag
    concerns = pf.framework_concerns(frame)
    assert any("Serious youth violence" in c for c in concerns["missed_target"]) == missed
    assert any("Serious youth violence" in c for c in concerns["worsened"]) == worsened
    # indicators no dataset carries are listed as tbc, never invented
    tbc = frame[frame["value_source"] == "entered"]
    assert set(tbc["indicator_id"]) >= {"youth_ete_rate", "youth_custody_rate"}
    assert (tbc["actual"] == "tbc").all() and (tbc["rag"] == "").all()


def test_asb_breach_rows_are_tbc_not_invented():
    cfg, src = _syv_source(1, 1)
    frame = pf.priority_framework(cfg, "anti_social_behaviour", src).set_index("indicator_id")
    for indicator in ("ASBO_breach", "ABC_breach"):
        assert frame.loc[indicator, "baseline"] == "tbc"
        assert frame.loc[indicator, "rag"] == ""
        # the reader is told in words; the command is for the analyst (docs, run log)
        assert "the analyst enters its values" in frame.loc[indicator, "comment"]
        assert "sa framework" not in frame.loc[indicator, "comment"]


def test_ward_strand_sentence_uses_interval_against_partnership():
    long = pd.DataFrame(
        {
            "ward": ["A", "B", "C"],
            "strand": "asb_rubbish_litter",
            "respondents": [50, 50, 3],
            "value": [60.0, 45.0, 90.0],
            "lower": [41.0, 30.0, 50.0],
            "upper": [75.0, 60.0, 99.0],
        }
    )
    # A's interval is wholly above 40%; B's is not; C has too few respondents to show
    text = asb.ward_strand_sentence(long, "asb_rubbish_litter", 40.0, threshold=5)
    assert text == "A (60%): significantly above the partnership's 40% for rubbish or litter"


def test_probation_age_groups_line_up_when_a_group_has_no_orders_ending():
    # a small partnership: no 18-24 year old ended an order in 2025/26, so that year has no
    # percentage for them (missing, not 0%), but both age groups keep one row per year
    # and the chart of the two groups draws (it crashed on series of unequal length)
    fy_before = FY.previous()
    quarters = ["2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1"]
    rows = pd.DataFrame(
        {
            "area_code": "X1",
            "quarter": quarters * 2,
            "order_type": "licence",
            "age_group": ["18-24"] * 8 + ["25+"] * 8,
            "terminations": [1, 0, 1, 0, 0, 0, 0, 0] + [2] * 8,
            "in_employment": [1, 0, 0, 0, 0, 0, 0, 0] + [1] * 8,
            "in_settled_accommodation": [1, 0, 1, 0, 0, 0, 0, 0] + [2] * 8,
        }
    )
    out = yc.probation_by_age(rows, "X1", [fy_before, FY])
    assert len(out) == 4
    young = out[out["age_group"] == "18-24"].set_index("year")
    older = out[out["age_group"] == "25+"].set_index("year")
    assert list(young.index) == list(older.index) == [fy_before.label, FY.label]
    assert young.loc[fy_before.label, "employment"] == pytest.approx(50.0)  # 1 of 2
    assert np.isnan(young.loc[FY.label, "employment"])
    assert young.loc[FY.label, "terminations"] == 0
    assert older.loc[FY.label, "employment"] == pytest.approx(50.0)  # 4 of 8
    fig = yc.interval_chart(
        young.index,
        {
            "18-24": (young["employment"], young["employment_lower"], young["employment_upper"]),
            "25+": (older["employment"], older["employment_lower"], older["employment_upper"]),
        },
        title="t",
        subtitle="s",
        source="x",
        ylabel="%",
    )
    assert fig is not None
    # the sentence and title speak of the latest year with a percentage, never "nan%"
    assert yc.probation_sentence(out) == f"No 18-24 year old ended a probation order in {FY.label}."
    assert "nan" not in yc.employment_title(out)


def test_twenty_wards_are_judged_together_not_one_test_each():
    # 20 wards, each +/- 9.8 points (se 5), ten at 52% and ten at 28% around a partnership
    # figure of 40%: one interval each would call ten wards "above". Judged together the
    # wards' real spread is tau^2 = (Q - 19) / (sum w - sum w^2 / sum w), Q = 20 x 144 / 25 =
    # 115.2, sum w = 0.8, sum w^2 / sum w = 0.04 -> tau^2 = 96.2 / 0.76 = 126.58; limits
    # 40 +/- 1.96 sqrt(25 + 126.58) = 40 +/- 24.1: no ward stands out
    from sa_toolkit.indicators import compare_to_reference

    values = np.array([52.0, 28.0] * 10)
    long = pd.DataFrame(
        {"ward": [f"W{i}" for i in range(20)], "strand": "asb_rubbish_litter",
         "respondents": 100, "value": values, "lower": values - Z95 * 5,
         "upper": values + Z95 * 5}
    )  # fmt: skip
    side, tau2 = compare_to_reference(long["value"], long["lower"], long["upper"], 40.0)
    assert tau2 == pytest.approx((115.2 - 19) / 0.76)
    assert (side == 0).all()
    text = asb.ward_strand_sentence(long, "asb_rubbish_litter", 40.0)
    assert text.startswith("No ward is significantly above")
    # a ward far beyond the others' spread still stands out
    long.loc[0, ["value", "lower", "upper"]] = [95.0, 95.0 - Z95 * 5, 95.0 + Z95 * 5]
    assert asb.ward_strand_sentence(long, "asb_rubbish_litter", 40.0).startswith("W0 (95%)")


def test_framework_rows_without_targets_show_none():
    # no targets file: no row carries a target; a significant doubling is red by the
    # direction-and-significance rule, and no "missed target" is claimed
    cfg, src = _syv_source(100, 200)
    frame = pf.priority_framework(cfg, "youth_crime", src)
    assert (frame["target_type"].isin(["none"])).all()
    row = frame.set_index("indicator_id").loc["LI2"]
    assert row["rag_label"] == "Red: worse, statistically significant (no target)"
    assert pf.framework_concerns(frame)["missed_target"] == []


def test_change_tests_use_the_configured_significance_level():
    # 100 -> 135 (exact test p = 0.027): significant at 5%, not at 1% (no hard-coded 0.05)
    assert yc.change_row(100, 135)["p_value"] == pytest.approx(0.027, abs=0.002)
    assert yc.change_row(100, 135, None, 0.05)["significant"]
    assert not yc.change_row(100, 135, None, 0.01)["significant"]


def test_ward_strand_percentages_of_a_few_respondents_are_hidden(monkeypatch):
    """2% of 100 respondents is 2 residents: below a threshold of 5 it is shown as [c];
    10% of 100 (10 residents) and 0% stay."""
    from sa_toolkit.analysis import anti_social_behaviour as asb_module
    from sa_toolkit.disclosure import SECONDARY_MARKER

    label = next(iter(asb_module.STRANDS.values()))
    long = pd.DataFrame(
        {"ward": ["North", "South", "East"], "label": label, "value": [2.0, 10.0, 0.0],
         "respondents": [100, 100, 100]}
    )  # fmt: skip
    monkeypatch.setattr(asb_module, "strands_by_ward", lambda *a, **k: long)
    table = asb_module.ward_strand_table(None, None, 2025, threshold=5).set_index("Ward")
    assert table.loc["North", label] == SECONDARY_MARKER
    assert table.loc["South", label] == 10
    assert table.loc["East", label] == 0
    assert list(table["respondents"]) == [100, 100, 100]
