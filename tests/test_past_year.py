"""A report for a past year uses only data up to the end of that year.

Small frames with periods on both sides of the end of 2022/23 (31 March 2023); every
expected wave, cohort, quarter and year is worked out by hand here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sa_toolkit.analysis import anti_social_behaviour as asb
from sa_toolkit.analysis import drugs_alcohol as da
from sa_toolkit.analysis import reoffending as ro
from sa_toolkit.analysis import safer_communities as sc
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.analysis.priority_common import up_to_year
from sa_toolkit.periods import FinancialYear

FY = FinancialYear.parse("2022/23")
AREA = "E22000001"


# ----------------------------------------------------------------------------- the helper


def test_up_to_year_each_kind():
    frame = pd.DataFrame(
        {
            "quarter": ["2022Q4", "2023Q1", "2023Q2", None],
            "number": [2022, 2023, 2024, None],
            "fy": ["2021/22", "2022/23", "2023/24", None],
            "month": pd.PeriodIndex(["2023-03", "2023-04", "2022-01", None], freq="M"),
        }
    )
    # 2023Q1 (Jan-Mar 2023) ends with the year; 2023Q2 starts after it
    assert list(up_to_year(frame, FY, "quarter", "quarter").index) == [0, 1]
    # survey: fieldwork year up to the closing calendar year 2023
    assert list(up_to_year(frame, FY, "number", "wave").index) == [0, 1]
    # STATS19 calendar years: 2022 (the year's figure) and earlier; 2023 ends after March 2023
    assert list(up_to_year(frame, FY, "number", "calendar_year").index) == [0]
    assert list(up_to_year(frame, FY, "fy", "financial_year").index) == [0, 1]
    # April 2023 is in 2023/24; January 2022 is earlier
    assert list(up_to_year(frame, FY, "month", "month").index) == [0, 2]


def test_up_to_year_passes_none_and_no_year_and_rejects_unknown_kind():
    frame = pd.DataFrame({"wave": [2021, 2025]})
    assert up_to_year(None, FY, "wave", "wave") is None
    assert len(up_to_year(frame, None, "wave", "wave")) == 2
    with pytest.raises(ValueError):
        up_to_year(frame, FY, "wave", "season")


# ----------------------------------------------------------------------------- re-offending


def reoffending_frame() -> pd.DataFrame:
    # 2022/23 cohorts: 2022Q2-2023Q1; 2023/24 cohorts: 2023Q2-2024Q1 (all adult, not PPO)
    quarters = ["2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1"]
    return pd.DataFrame(
        {
            "area_code": AREA,
            "cohort_quarter": quarters,
            "cohort": ["adult"] * 4 + ["adult"] * 4,
            "ppo": False,
            "offenders": [25] * 8,
            "reoffenders": [5] * 4 + [10] * 4,
            "reoffences": [10] * 4 + [40] * 4,
        }
    )


def test_cohort_rates_stop_at_the_assessed_year():
    rates = ro.cohort_rates(reoffending_frame(), AREA, FY)
    assert list(rates["financial_year"]) == ["2022/23"]
    # 20 of 100 offenders re-offended; 40 re-offences by 20 re-offenders
    assert rates["rate"].iloc[0] == pytest.approx(20.0)
    assert rates["frequency"].iloc[0] == pytest.approx(2.0)
    assert ro.latest_cohort_year(rates, FY) == "2022/23"
    # without a year every complete cohort year is kept (the unfiltered behaviour)
    assert list(ro.cohort_rates(reoffending_frame(), AREA)["financial_year"]) == [
        "2022/23",
        "2023/24",
    ]


def test_juvenile_reoffending_stops_at_the_assessed_year():
    frame = reoffending_frame().assign(cohort="juvenile")
    out = yc.juvenile_reoffending(frame, AREA, FY)
    assert list(out["year"]) == ["2022/23"]
    assert out["rate"].iloc[0] == pytest.approx(20.0)
    later = yc.juvenile_reoffending(frame, AREA, FinancialYear.parse("2023/24"))
    assert list(later["year"]) == ["2022/23", "2023/24"]


def test_probation_latest_year_is_the_assessed_one():
    quarters = ["2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1"]
    frame = pd.DataFrame(
        {
            "area_code": AREA,
            "quarter": quarters,
            "order_type": "licence",
            "age_group": "25+",
            "terminations": [10] * 8,
            "in_employment": [3] * 4 + [9] * 4,
            "in_settled_accommodation": [8] * 8,
        }
    )
    out = ro.probation(frame, AREA, FY)
    assert out["latest_year"] == "2022/23"
    assert set(out["by_year"]["financial_year"]) == {"2022/23"}
    employed = out["by_year"].set_index("outcome").loc["In employment"]
    assert employed["value"] == pytest.approx(12 / 40 * 100)  # 4 x 3 of 4 x 10
    assert ro.probation(frame, AREA)["latest_year"] == "2023/24"


# ----------------------------------------------------------------------------- surveys


def survey_frame() -> pd.DataFrame:
    # waves 2021, 2023 and 2025; four respondents each, weight 1, one ward
    rows = []
    safe = {2021: 1, 2023: 2, 2025: 4}  # how many of the four say "Very safe"
    for wave, n_safe in safe.items():
        for i in range(4):
            yes = i < n_safe
            rows.append(
                {
                    "respondent_id": f"{wave}-{i}",
                    "wave": wave,
                    "weight": 1.0,
                    "ward_code": "W1",
                    "safe_day": "Very safe" if yes else "Very unsafe",
                    "safe_after_dark": "Very safe" if yes else "Very unsafe",
                    "asb_drunk_rowdy": "Very big problem" if yes else "Not a problem at all",
                    "asb_drug_use_dealing": "Very big problem" if yes else "Not a problem at all",
                    **{
                        s: "Very big problem" if yes else "Not a problem at all"
                        for s in asb.STRANDS
                    },
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("label", "latest", "waves"),
    [("2022/23", 2023, [2021, 2023]), ("2023/24", 2023, [2021, 2023]),
     ("2024/25", 2025, [2021, 2023, 2025]), ("2020/21", 2021, [2021])],
)  # fmt: skip
def test_survey_measures_use_the_wave_in_effect(label, latest, waves):
    # the latest wave whose fieldwork year is at most the year's closing calendar year
    out = sc.survey_measures(survey_frame(), sc.SAFETY, FinancialYear.parse(label))
    assert out["latest_wave"] == latest
    assert sorted(pd.to_numeric(out["by_wave"]["wave"]).unique()) == waves
    ward = out["by_ward"].set_index("question").loc[sc.SAFETY["safe_after_dark"]]
    assert ward["value"] == pytest.approx({2021: 25.0, 2023: 50.0, 2025: 100.0}[latest])


def test_survey_measures_none_before_the_first_wave():
    assert sc.survey_measures(survey_frame(), sc.SAFETY, FinancialYear.parse("2018/19")) is None


def test_wave_change_compares_the_two_waves_up_to_the_year():
    out = sc.survey_measures(survey_frame(), sc.SAFETY, FY)
    change = sc.wave_change(out["by_wave"]).set_index("question")
    row = change.loc[sc.SAFETY["safe_day"]]
    assert (row["wave_before"], row["wave_after"]) == (2021, 2023)
    assert (row["before"], row["after"]) == pytest.approx((25.0, 50.0))


def test_drug_perceptions_use_the_wave_in_effect():
    out = da.perceptions(survey_frame(), FY)
    assert out["latest_wave"] == 2023
    assert sorted(pd.to_numeric(out["by_wave"]["wave"]).unique()) == [2021, 2023]


def test_asb_strand_waves_stop_at_the_wave_in_effect():
    waves = asb.strand_waves(survey_frame(), FY)
    assert sorted(waves["wave"].unique()) == [2021, 2023]
    change = asb.strand_change(waves)
    assert set(change["after_wave"]) == {2023}
    assert set(change["before_wave"]) == {2021}
    assert asb.strand_waves(survey_frame(), FinancialYear.parse("2018/19")).empty


# ----------------------------------------------------------------------------- years


def test_road_casualties_stop_at_the_years_calendar_year():
    frame = pd.DataFrame(
        {
            "area_code": AREA,
            "year": [2021, 2022, 2023, 2024],
            "severity": "serious",
            "age_group": "adult",
            "road_user": "pedestrian",
            "casualties": [7, 8, 9, 10],
        }
    )
    out = sc.road_casualties(frame, AREA, FY)
    all_ages = out[out["group"] == "All ages"]
    # 2022 is the figure of 2022/23 (as the framework's NI 47); 2023 and 2024 are later
    assert list(all_ages["year"]) == [2021, 2022]
    assert list(all_ages["casualties"]) == [7, 8]


def test_alcohol_admissions_stop_at_the_assessed_year():
    bands = [f"{lo}-{lo + 4}" for lo in range(0, 90, 5)] + ["90+"]  # the 19 ESP 2013 bands
    per_band = {("F", "2021/22"): 1, ("F", "2022/23"): 2, ("F", "2023/24"): 3,
                ("M", "2021/22"): 2, ("M", "2022/23"): 3, ("M", "2023/24"): 4}  # fmt: skip
    frame = pd.DataFrame(
        [
            {"area_code": AREA, "financial_year": fy, "sex": sex, "age_band": band,
             "admissions": n, "population": 1000}
            for (sex, fy), n in per_band.items()
            for band in bands
        ]
    )  # fmt: skip
    out = da.alcohol_admissions_dsr(frame, AREA, FY)
    assert sorted(out["financial_year"].unique()) == ["2021/22", "2022/23"]
    persons = out[out["sex"] == "Persons"].set_index("financial_year")
    assert persons.loc["2022/23", "total_count"] == 19 * (2 + 3)


def test_penetration_uses_a_prevalence_estimate_up_to_the_year():
    treatment = pd.DataFrame(
        {
            "area_code": AREA,
            "month": pd.PeriodIndex(["2022-04", "2022-05"], freq="M"),
            "substance_group": "opiate",
            "in_treatment": [100, 200],
        }
    )
    prevalence = pd.DataFrame(
        {
            "area_code": AREA,
            "financial_year": ["2021/22", "2023/24"],
            "drug_group": "opiate",
            "estimate": [500.0, 1000.0],
            "lower": [400.0, 800.0],
            "upper": [600.0, 1200.0],
        }
    )
    pen = da.penetration(treatment, prevalence, AREA, FY)
    assert pen["estimate_year"] == "2021/22"
    assert pen["value"] == pytest.approx(150 / 500 * 100)


# ----------------------------------------------------------------------------- wording


def test_seasonality_sentence_says_one_financial_year():
    months = pd.period_range("2022-04", "2023-03", freq="M")
    series = pd.Series([10.0] * 11 + [22.0], index=months)
    sentence = asb.season_sentence(asb.seasonality(series))
    assert sentence.endswith("(average of 1 financial year).")
    assert asb.financial_years_text(3) == "3 financial years"
