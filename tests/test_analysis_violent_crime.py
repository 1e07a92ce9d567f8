"""Violent crime analysis (sa_toolkit.analysis.violent_crime) on small hand-made frames.

Every expected figure is worked out by hand in the test (counts, shares, exact binomial
p-values written out with math.comb), never taken from the code under test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sa_toolkit.analysis import violent_crime as vc
from sa_toolkit.periods import FinancialYear

YEAR = FinancialYear.parse("2025/26")
PREVIOUS = YEAR.previous()


def _incident(
    month, group="Violence against the person", description="Assault with injury", code="8N", **kw
):
    start = kw.pop("start", pd.Timestamp(f"{month}-06 12:00"))
    row = {
        "month": pd.Period(month, freq="M"),
        "recorded_date": start.date(),
        "offence_start": start,
        "offence_end": kw.pop("end", pd.NaT),
        "offence_group": group,
        "offence_description": description,
        "offence_code": code,
        "lsoa_code": kw.pop("lsoa", "L1"),
        "longitude": -0.1,
        "latitude": 51.5,
        "domestic_abuse": False,
        "alcohol_related": False,
        "knife_or_sharp_instrument": False,
        "firearm": False,
        "serious_youth_violence": False,
        "victim_id": None,
        "victim_age": float("nan"),
        "suspect_age": float("nan"),
    }
    row.update(kw)
    return row


def _data(rows, population=None) -> vc.ViolentCrimeData:
    incidents = pd.DataFrame(rows)
    areas = pd.DataFrame(
        {
            "lsoa_code": ["L1", "L2", "L3"],
            "lsoa_name": ["Lsoa 1", "Lsoa 2", "Lsoa 3"],
            "ward_code": ["W1", "W1", "W2"],
            "ward_name": ["North", "North", "South"],
        }
    )
    if population is None:
        # 500 + 300 + 200 = 1,000 residents both years, all aged 25-29
        population = pd.DataFrame(
            {
                "year": [2024] * 3 + [2025] * 3,
                "lsoa_code": ["L1", "L2", "L3"] * 2,
                "age_min": [25] * 6,
                "population": [500, 300, 200] * 2,
            }
        )
    return vc.ViolentCrimeData(
        year=YEAR,
        incidents=incidents,
        areas=areas,
        population=population,
        msg=pd.DataFrame(),
        months=pd.period_range(PREVIOUS.first_month, YEAR.last_month, freq="M"),
        area_name="Testborough",
        threshold=5,
    )


def _binomial_two_sided(k: int, n: int) -> float:
    """Exact two-sided binomial test with p = 1/2 (symmetric: double the smaller tail)."""
    tail = sum(math.comb(n, i) for i in range(max(k, n - k), n + 1)) / 2**n
    return min(1.0, 2 * tail)


def test_measures_file_defines_every_measure_the_report_names():
    measures = vc.load_measures()
    assert list(measures.index) == [
        "violence_against_the_person", "serious_violence", "robbery", "knife_crime",
        "gun_crime", "domestic_abuse", "sexual_offences",
    ]  # fmt: skip
    assert set(measures["polarity"]) <= {"lower_is_better", "higher_is_better", "none"}
    assert measures.loc["knife_crime", "indicator_id"] == "NI28"


def test_year_summary_counts_rates_and_exact_test():
    rows = [_incident("2024-06", knife_or_sharp_instrument=True) for _ in range(10)]
    rows += [_incident("2025-06", knife_or_sharp_instrument=True) for _ in range(15)]
    rows += [_incident("2025-07", group="Robbery", description="Robbery of personal property")]
    rows += [_incident("2025-08", description="Murder", code="1")]
    summary = vc.year_summary(_data(rows))
    knife = summary.loc["knife_crime"]
    assert (knife["previous"], knife["actual"]) == (10, 15)
    assert knife["change"] == pytest.approx(50.0)
    # 15 per 1,000 residents: 15 offences / 1,000 residents x 1,000
    assert knife["value"] == pytest.approx(15.0)
    # equal populations: conditional on 25 offences, 15 this year ~ Binomial(25, 1/2)
    assert knife["p_value"] == pytest.approx(_binomial_two_sided(15, 25), rel=1e-9)
    assert not knife["significant"]
    # 10 + 15 + 1 (murder): violence against the person, the robbery is not
    assert summary.loc["violence_against_the_person", "actual"] == 16
    assert summary.loc["robbery", "actual"] == 1
    assert summary.loc["serious_violence", "actual"] == 1
    assert summary.loc["gun_crime", "previous"] == 0
    assert pd.isna(summary.loc["gun_crime", "change"])


def test_knife_finding_follows_the_target_and_the_test():
    rows = [_incident("2024-06", knife_or_sharp_instrument=True) for _ in range(30)]
    rows += [_incident("2025-06", knife_or_sharp_instrument=True) for _ in range(40)]
    summary = vc.year_summary(_data(rows))
    framework = pd.DataFrame(
        [{"indicator_id": "NI28", "target_type": "relative_change", "target": -5.0}]
    )
    sentence = vc.measure_sentence(summary.loc["knife_crime"], framework)
    # 30 -> 40 is +33.3%; p for 40 of 70 at 1/2 is 0.2754 (not significant)
    assert _binomial_two_sided(40, 70) > 0.05
    assert sentence == (
        "Knife crime rose 33% (30 to 40 offences), missing the -5% target; "
        "the rise is not statistically significant."
    )
    rows = [_incident("2024-06", knife_or_sharp_instrument=True) for _ in range(60)]
    rows += [_incident("2025-06", knife_or_sharp_instrument=True) for _ in range(30)]
    summary = vc.year_summary(_data(rows))
    assert _binomial_two_sided(30, 90) < 0.05
    assert vc.measure_sentence(summary.loc["knife_crime"], framework) == (
        "Knife crime fell 50% (60 to 30 offences), better than the -5% target; "
        "the fall is statistically significant."
    )
    assert vc.direction(summary.loc["knife_crime"]) == "better"


def test_place_table_shares_and_rates_include_places_without_offences():
    rows = [_incident("2025-05", lsoa="L1") for _ in range(6)]
    rows += [_incident("2025-05", lsoa="L2") for _ in range(3)]
    rows += [_incident("2024-05", lsoa="L3") for _ in range(9)]  # last year: not counted
    data = _data(rows)
    lsoas = vc.place_table(data, "lsoa").set_index("place")
    assert lsoas["offences"].to_dict() == {"Lsoa 1": 6, "Lsoa 2": 3, "Lsoa 3": 0}
    assert lsoas.loc["Lsoa 1", "rate"] == pytest.approx(6 / 500 * 1000)  # 12 per 1,000
    assert lsoas.loc["Lsoa 1", "share"] == pytest.approx(200 / 3)
    wards = vc.place_table(data, "ward").set_index("place")
    assert wards.loc["North", "offences"] == 9
    assert wards.loc["North", "rate"] == pytest.approx(9 / 800 * 1000)
    assert wards.loc["South", "offences"] == 0
    # ranking by rate ignores places under the minimum count
    top = vc.top_places(vc.place_table(data, "lsoa"), by="rate", min_count=4)
    assert top["place"].tolist() == ["Lsoa 1"]
    shown = vc.places_display(vc.place_table(data, "lsoa"), threshold=5, place="LSOA")
    assert shown.set_index("LSOA").loc["Lsoa 2", "Offences"] == "<5"
    assert shown.set_index("LSOA").loc["Lsoa 2", "Rate per 1,000"] == "[c]"


def test_concentration_counts_lsoas_without_offences():
    rows = [_incident("2025-05", lsoa="L1") for _ in range(8)]
    rows += [_incident("2025-05", lsoa="L2") for _ in range(2)]
    conc = vc.concentration_summary(_data(rows)).set_index("measure")
    # 3 LSOAs: the top 5% is ceil(0.15) = 1 LSOA holding 8 of 10
    assert conc.loc["share in top 5% of areas", "areas_in_top"] == 1
    assert conc.loc["share in top 5% of areas", "value"] == pytest.approx(0.8)
    assert conc.loc["share in top 5% of areas", "areas"] == 3


def test_night_time_economy_share_with_aoristic_spans():
    friday_night = pd.Timestamp("2025-06-06 23:30")  # a Friday
    monday_noon = pd.Timestamp("2025-06-09 12:10")
    saturday_late = pd.Timestamp("2025-06-07 22:00")  # two hours to Sunday 00:00
    rows = [
        _incident("2025-06", start=friday_night),
        _incident("2025-06", start=friday_night + pd.Timedelta(minutes=10)),
        _incident("2025-06", start=monday_noon),
        _incident("2025-06", start=saturday_late, end=saturday_late + pd.Timedelta(hours=2)),
    ]
    assert friday_night.day_name() == "Friday" and saturday_late.day_name() == "Saturday"
    times = vc.temporal(_data(rows))
    # two on Friday night, the Saturday span wholly inside: 3 of 4 offences
    assert times["night_share"] == pytest.approx(3 / 4)
    # five hours (22:00 to 03:00) on two nights out of 168
    assert times["night_hours_share"] == pytest.approx(10 / 168)
    assert times["table"].loc["Saturday", 22] == pytest.approx(0.5)
    assert times["table"].to_numpy().sum() == pytest.approx(4)
    assert times["peak"] == ("Friday", 23)


def test_age_profiles_against_population_shares():
    population = pd.DataFrame(
        {
            "year": [2025] * 2,
            "lsoa_code": ["L1", "L2"],
            "age_min": [15, 25],
            "population": [200, 800],  # 20% aged 15-19, 80% aged 25-29
        }
    )
    rows = [_incident("2025-05", victim_age=17.0, suspect_age=18.0) for _ in range(6)]
    rows += [_incident("2025-05", victim_age=30.0) for _ in range(4)]
    ages = vc.age_profiles(_data(rows, population))
    assert ages["shares"].loc["15-19", "Victims"] == pytest.approx(0.6)
    assert ages["shares"].loc["15-19", "Population"] == pytest.approx(0.2)
    ratios = ages["ratios"].set_index(["group", "band"])
    # victims aged 15-19: 60% of victims / 20% of residents = 3
    assert ratios.loc[("Victims", "15-19"), "value"] == pytest.approx(3.0)
    # suspects: all six aged 15-19 -> 100% / 20% = 5
    assert ratios.loc[("Suspects", "15-19"), "value"] == pytest.approx(5.0)


def test_domestic_abuse_share_and_repeat_victims():
    rows = [_incident("2025-05", domestic_abuse=True, victim_id="V1") for _ in range(3)]
    rows += [_incident("2025-06", domestic_abuse=True, victim_id="V2")]
    rows += [_incident("2025-06", domestic_abuse=True, victim_id=None)]
    rows += [_incident("2025-07", alcohol_related=True) for _ in range(5)]
    rows += [_incident("2024-07", domestic_abuse=True, victim_id="V3") for _ in range(2)]
    rows += [_incident("2024-07") for _ in range(2)]
    people = vc.shares_and_repeats(_data(rows))
    share = people.loc["Domestic abuse share of violence against the person"]
    assert (share["numerator"], share["denominator"]) == (5, 10)
    assert share["previous"] == pytest.approx(50.0)
    repeat = people.loc["Domestic abuse victims with 2+ crimes in the year"]
    # V1 three times, V2 once: 1 of 2 identified victims; one incident has no victim id
    assert (repeat["numerator"], repeat["denominator"], repeat["unlinked"]) == (1, 2, 1)
    assert repeat["value"] == pytest.approx(50.0)
    alcohol = people.loc["Alcohol-related share of violence against the person"]
    assert alcohol["value"] == pytest.approx(50.0)
    sentence = vc.domestic_abuse_sentence(people)
    assert sentence.startswith("Domestic abuse accounted for 50% of violence against the person")
    assert "50% of its identified victims (1 of 2)" in sentence


def test_implications_list_significant_rises_missed_targets_places_and_times():
    rows = [_incident("2024-06", lsoa="L3") for _ in range(20)]
    rows += [_incident("2025-06", lsoa="L1") for _ in range(45)]
    rows += [_incident("2025-06", lsoa="L3", start=pd.Timestamp("2025-06-07 23:00"))] * 5
    data = _data(rows)
    summary = vc.year_summary(data)
    # 20 -> 50, p for 50 of 70 at 1/2 is far below 0.05
    assert _binomial_two_sided(50, 70) < 0.001
    framework = pd.DataFrame(
        [
            {"indicator_id": "NI28", "name": "Knife", "target_type": "relative_change",
             "rag": "R", "rag_label": "Red: target -5% missed by 9.0%", "significant": "no",
             "change": 4.0},
            {"indicator_id": "NI16", "name": "SAC", "target_type": "relative_change",
             "rag": "G", "rag_label": "Green: target met", "significant": "yes", "change": -9.0},
        ]
    )  # fmt: skip
    out = vc.implications(data, summary, framework, vc.place_table(data, "ward"), vc.temporal(data))
    assert out["worsened"] == ["Violence against the person (+150%, 20 to 50)"]
    # named in words: the indicator's id is never shown
    assert out["missed_target"] == ["Knife: Red: target -5% missed by 9.0%"]
    assert out["places"][0].startswith(
        "North ward: 45 offences of violence against the person (90%)"
    )
    assert out["times"][0].startswith("Friday and Saturday nights, 22:00 to 03:00: 10% of violence")


def test_key_findings_open_with_violence_and_stay_within_six():
    rows = [_incident("2024-06", knife_or_sharp_instrument=True) for _ in range(12)]
    rows += [_incident("2025-06", knife_or_sharp_instrument=True) for _ in range(12)]
    data = _data(rows)
    summary = vc.year_summary(data)
    found = vc.key_findings(
        data, summary, None, conc=vc.concentration_summary(data),
        wards=vc.place_table(data, "ward"), times=vc.temporal(data),
        people=vc.shares_and_repeats(data),
    )  # fmt: skip
    assert 3 <= len(found) <= 6
    assert found[0] == (
        "Between 2024/25 and 2025/26, violence against the person did not change (12 offences)."
    )
    assert found[1] == "Knife crime did not change (12 offences)."


def test_age_profiles_with_population_totals_only_say_the_age_file_is_needed():
    # totals without ages (e.g. Census 2021 usual residents by LSOA): no age to compare with
    population = pd.DataFrame(
        {
            "year": [2025] * 2,
            "lsoa_code": ["L1", "L2"],
            "age_min": [pd.NA] * 2,
            "population": [200, 800],
        }
    )
    rows = [_incident("2025-05", victim_age=17.0, suspect_age=18.0) for _ in range(6)]
    ages = vc.age_profiles(_data(rows, population))
    assert ages["shares"] is None and ages["ratios"] is None
    assert "totals only" in ages["missing"] and "single year of age" in ages["missing"]
