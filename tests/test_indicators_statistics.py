"""Statistics checked against PHEindicatormethods reference values and hand-worked arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators import (
    change,
    concentration,
    cost_of_crime,
    dsr,
    funnel_limits,
    gini,
    lorenz_curve,
    mean,
    over_representation,
    peer_comparison,
    poisson_change,
    proportion,
    proportion_change,
    rate,
    reoffending_frequency,
    reoffending_rate,
    repeat_victimisation,
    simple_change,
    temporal_profile,
    trend,
    uplift_factor,
    window_share,
)

Z95 = 1.959963984540054


# --- rates: PHEindicatormethods test data (95%) -------------------------------------------


def test_rate_reference_values():
    data = pd.DataFrame({"n": [65, 1, 9856], "pop": [100, 100, 12345]})
    out = rate(data, "n", "pop", per=100)
    assert out["value"].tolist() == pytest.approx([65, 1, 79.83799108950991])
    assert out["lower"].tolist() == pytest.approx(
        [50.163187710459454, 0.025317807984289897, 78.26949058976757], rel=1e-9
    )
    assert out["upper"].tolist() == pytest.approx(
        [82.84913854593984, 5.571643390938898, 81.4300165427214], rel=1e-9
    )
    assert out["method"].tolist() == [
        "Byar's method",
        "exact Poisson (fewer than 10 events)",
        "Byar's method",
    ]
    assert (out["confidence"] == 0.95).all()


def test_rate_zero_count_uses_exact_upper_limit():
    # exact limits for 0 events: lower 0; upper chi2(0.975, 2 df) / 2 = -ln(0.025) = 3.68888 events
    out = rate(pd.DataFrame({"n": [0], "pop": [1000]}), "n", "pop", per=1000)
    assert out["value"][0] == 0
    assert out["lower"][0] == 0
    assert out["upper"][0] == pytest.approx(-math.log(0.025), rel=1e-9)


def test_rate_below_ten_is_exact_poisson():
    # 1 event: exact lower = chi2(0.025, 2 df)/2 = -ln(0.975) = 0.0253178 (the reference above)
    out = rate(pd.DataFrame({"n": [1], "pop": [1]}), "n", "pop", per=1)
    assert out["lower"][0] == pytest.approx(-math.log(0.975), rel=1e-9)


@pytest.mark.parametrize(
    "pop, message", [(0, "must be above zero"), (np.nan, "is missing"), (-5, "above zero")]
)
def test_rate_bad_denominator_is_a_clear_error(pop, message):
    with pytest.raises(ArgumentError, match=message):
        rate(pd.DataFrame({"n": [3], "pop": [pop]}), "n", "pop")


def test_rate_argument_checks():
    frame = pd.DataFrame({"n": [3], "pop": [10]})
    with pytest.raises(ArgumentError, match="not in the data"):
        rate(frame, "count", "pop")
    with pytest.raises(ArgumentError, match="confidence"):
        rate(frame, "n", "pop", confidence=95)
    with pytest.raises(ArgumentError, match="must not be negative"):
        rate(pd.DataFrame({"n": [-1], "pop": [10]}), "n", "pop")
    with pytest.raises(ArgumentError, match="must hold numbers"):
        rate(pd.DataFrame({"n": ["three"], "pop": [10]}), "n", "pop")


# --- proportions ----------------------------------------------------------------------------


def test_proportion_reference_values():
    out = proportion(pd.DataFrame({"x": [65, 1045], "n": [100, 5000]}), "x", "n")
    assert out["value"].tolist() == pytest.approx([0.65, 0.209])
    assert out["lower"].tolist() == pytest.approx([0.5525444329688797, 0.19795549880013297])
    assert out["upper"].tolist() == pytest.approx([0.7363575175690247, 0.22049130373189027])
    assert (out["method"] == "Wilson score").all()


def test_proportion_zero_numerator():
    # Wilson with x = 0: lower 0, upper z^2 / (n + z^2) = 3.8415 / 23.8415 for n = 20
    out = proportion(pd.DataFrame({"x": [0], "n": [20]}), "x", "n", multiplier=100)
    assert out["lower"][0] == pytest.approx(0, abs=1e-12)
    assert out["upper"][0] == pytest.approx(100 * Z95**2 / (20 + Z95**2), rel=1e-9)


def test_proportion_errors():
    with pytest.raises(ArgumentError, match="exceeds denominator"):
        proportion(pd.DataFrame({"x": [5], "n": [4]}), "x", "n")
    with pytest.raises(ArgumentError, match="above zero"):
        proportion(pd.DataFrame({"x": [0], "n": [0]}), "x", "n")


# --- means and DSRs -------------------------------------------------------------------------


def test_mean_t_interval_hand_worked():
    # values 2, 4, 6, 8: mean 5; sd = sqrt((9+1+1+9)/3) = 2.58199; t(0.975, 3) = 3.182446
    # half width = 3.182446 * 2.58199 / sqrt(4) = 4.10858
    out = mean(pd.DataFrame({"v": [2, 4, 6, 8, None]}), "v")
    assert out["value"][0] == 5
    assert out["lower"][0] == pytest.approx(5 - 4.10858, abs=1e-4)
    assert out["upper"][0] == pytest.approx(5 + 4.10858, abs=1e-4)
    assert out["missing"][0] == 1


def test_dsr_hand_worked_two_band_standard():
    # weights 1 and 3; rates 10/1000 and 20/4000: (1*0.01 + 3*0.005) / 4 = 0.00625 -> 625 per 100k
    data = pd.DataFrame({"age": ["young", "old"], "n": [10, 20], "pop": [1000, 4000]})
    std = pd.DataFrame({"age_band": ["young", "old"], "weight": [1, 3]})
    out = dsr(data, "n", "pop", "age", standard=std)
    assert out["value"][0] == pytest.approx(625)
    # Dobson: var = (1*10/1000^2 + 9*20/4000^2)/16 = 1.328125e-6; O = 30
    # lower = 0.00625 + sqrt(var/30) * (Byar lower(30) - 30), Byar lower(30) = 20.2409
    var = (10 / 1000**2 + 9 * 20 / 4000**2) / 16
    byar_lower_30 = 30 * (1 - 1 / 270 - Z95 / (3 * math.sqrt(30))) ** 3
    assert out["lower"][0] == pytest.approx(
        (0.00625 + math.sqrt(var / 30) * (byar_lower_30 - 30)) * 1e5, rel=1e-9
    )


def test_dsr_agrees_with_phstatsmethods_esp2013():
    from PHStatsMethods import ph_dsr

    rng = np.random.default_rng(1)
    bands = [
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
    ]  # fmt: skip
    data = pd.DataFrame(
        {"age": bands, "n": rng.integers(5, 80, 19), "pop": rng.integers(2000, 9000, 19)}
    )
    ours = dsr(data, "n", "pop", "age")
    theirs = ph_dsr(data.copy(), "n", "pop", "age", euro_standard_pops=True)
    assert ours["value"][0] == pytest.approx(theirs["Value"][0], rel=1e-9)
    assert ours["lower"][0] == pytest.approx(theirs["lower_95_ci"][0], rel=1e-6)
    assert ours["upper"][0] == pytest.approx(theirs["upper_95_ci"][0], rel=1e-6)


def test_dsr_not_calculated_below_ten_events():
    # PHE practice: a DSR on fewer than 10 events is not published
    data = pd.DataFrame({"age": ["a", "b"], "n": [4, 5], "pop": [100, 100]})
    std = pd.DataFrame({"age_band": ["a", "b"], "weight": [1, 1]})
    out = dsr(data, "n", "pop", "age", standard=std)
    assert math.isnan(out["value"][0]) and "fewer than 10" in out["method"][0]


def test_dsr_needs_every_band():
    data = pd.DataFrame({"age": ["0-4"], "n": [1], "pop": [100]})
    with pytest.raises(ArgumentError, match="exactly one row for each"):
        dsr(data, "n", "pop", "age")


# --- change ---------------------------------------------------------------------------------


def test_simple_change_units():
    assert simple_change(34.56, 29.24, "rate_per_1000") == pytest.approx(-15.393, abs=1e-3)
    assert simple_change(29, 37, "percent") == 8  # percentage points
    assert math.isnan(simple_change(0, 3, "count"))


def test_poisson_change_one_to_three_murders_is_not_significant():
    # 1 -> 3 with equal populations: given 4 events, the later count is Binomial(4, 1/2).
    # P(X=3) = 4/16; two-sided p = P(X<=1) + P(X>=3) = (1 + 4 + 4 + 1)/16 = 0.625
    out = poisson_change(pd.DataFrame({"b": [1], "a": [3]}), "b", "a")
    assert out["value"][0] == pytest.approx(200)
    assert out["p_value"][0] == pytest.approx(0.625)
    assert not out["significant"][0]
    assert out["change_unit"][0] == "%"


def test_poisson_change_with_populations():
    # 9306 -> 8024 offences with populations 269,270 and 274,420: a 15% fall in the rate,
    # z = (r1 - r0)/sqrt(x0/N0^2 + x1/N1^2) about -14, far beyond 1.96
    data = pd.DataFrame({"b": [9306], "a": [8024], "nb": [269270], "na": [274420]})
    out = change(data, "b", "a", "rate_per_1000", "nb", "na")
    expected = (8024 / 274420 - 9306 / 269270) / (9306 / 269270) * 100
    assert out["value"][0] == pytest.approx(expected)
    assert out["lower"][0] < expected < out["upper"][0]
    assert out["p_value"][0] < 1e-10 and out["significant"][0]


def test_poisson_change_zero_baseline_gives_p_but_no_relative_change():
    out = poisson_change(pd.DataFrame({"b": [0], "a": [6]}), "b", "a")
    assert math.isnan(out["value"][0])
    # Binomial(6, 1/2): P(X=6) = 1/64, two-sided 2/64
    assert out["p_value"][0] == pytest.approx(2 / 64)


def test_proportion_change_hand_worked():
    # 29% of 1000 -> 37% of 1000: pooled p = 0.33, se = sqrt(.33*.67*(2/1000)) = 0.0210286,
    # z = 0.08 / 0.0210286 = 3.8043, two-sided p = 0.000142
    data = pd.DataFrame({"x0": [290], "n0": [1000], "x1": [370], "n1": [1000]})
    out = proportion_change(data, "x0", "n0", "x1", "n1")
    assert out["value"][0] == pytest.approx(8)
    assert out["change_unit"][0] == "pp"
    assert out["p_value"][0] == pytest.approx(0.000142, abs=2e-6)

    # Newcombe hybrid score: diff -/+ sqrt of the squared Wilson distances
    def wilson(x, n):
        p, z2 = x / n, Z95**2
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        return centre - half, centre + half

    l0, u0 = wilson(290, 1000)
    l1, u1 = wilson(370, 1000)
    lower = 0.08 - math.sqrt((0.37 - l1) ** 2 + (u0 - 0.29) ** 2)
    assert out["lower"][0] == pytest.approx(lower * 100, rel=1e-9)


def test_change_needs_sample_sizes_for_percentages():
    with pytest.raises(ArgumentError, match="sample sizes"):
        change(pd.DataFrame({"b": [1], "a": [2]}), "b", "a", "percent")


# --- trend ----------------------------------------------------------------------------------


def _series(values, se=1.0):
    v = np.asarray(values, dtype=float)
    return pd.DataFrame(
        {"year": [f"20{y}/{y + 1}" for y in range(20, 20 + len(v))], "value": v,
         "lower": v - Z95 * se, "upper": v + Z95 * se}
    )  # fmt: skip


def test_trend_hand_worked_significant_increase():
    # equal weights: slope 1 per year; se = sqrt(1/sum((x-2)^2)) = sqrt(1/10) = 0.3162;
    # z = 3.162 > 3.090 (99.8%) -> significant
    out = trend(_series([10, 11, 12, 13, 14]), "year", polarity="lower_is_better")
    assert out["slope"][0] == pytest.approx(1)
    assert out["se"][0] == pytest.approx(math.sqrt(0.1))
    assert out["trend"][0] == "increasing and getting worse"


def test_trend_not_significant_and_higher_is_better():
    # slope 0.5, z = 1.58 < 3.09
    assert trend(_series([10, 10.5, 11, 11.5, 12]), "year")["trend"][0] == "no significant change"
    out = trend(_series([14, 13, 12, 11, 10, 9]), "year", polarity="higher_is_better")
    assert out["points_used"][0] == 5
    assert out["trend"][0] == "decreasing and getting worse"


def test_trend_needs_five_points():
    out = trend(_series([1, 2, 3, 4]), "year")
    assert out["trend"][0] == "cannot be calculated"


# --- peers ----------------------------------------------------------------------------------


def test_peer_comparison_rank_one_is_worst():
    # rates per 1,000: A 20, B 10, C 3; pooled average = 33 / 3000 * 1000 = 11.0
    data = pd.DataFrame({"area": ["A", "B", "C"], "n": [20, 10, 3], "pop": [1000] * 3})
    out = peer_comparison(data, "area", "lower_is_better", count="n", denominator="pop")
    assert out["rank"].tolist() == [1, 2, 3]
    assert out["peer_average"][0] == pytest.approx(11.0)
    assert out["above_below"].tolist() == ["above", "below", "below"]
    # three areas this far apart vary far more than chance (Spiegelhalter 2005):
    # z = 2 (sqrt O - sqrt 11) = 2.311, -0.308, -3.169; phi = mean z^2 = 5.16;
    # tau^2 = (3 phi - 2) / (132 - 44) = 0.153 -> 95% limits on the sqrt(ratio) scale
    # 1 +/- 1.96 sqrt(1/44 + 0.153): ratio 0.03 to 3.3 -> every area "similar"
    assert out["comparison"].tolist() == ["similar", "similar", "similar"]
    od = out.attrs["overdispersion"]
    z = [2 * (math.sqrt(o) - math.sqrt(11)) for o in (20, 10, 3)]
    phi = sum(v * v for v in z) / 3
    assert od.phi == pytest.approx(phi)
    assert od.tau2 == pytest.approx((3 * phi - 2) / (132 - 44))
    higher = peer_comparison(data, "area", "higher_is_better", count="n", denominator="pop")
    assert higher["rank"].tolist() == [3, 2, 1]


def test_peer_comparison_outlier_stands_out_after_the_allowance():
    # 14 areas with 100 events and one with 150, populations 1,000: average 1550/15 per 1,000,
    # expected E = 103.33 each. z = 2 (sqrt 100 - sqrt E) = -0.3311 (x14), 2 (sqrt 150 - sqrt E)
    # = 4.1638; phi = (14 x 0.10963 + 17.3372) / 15 = 1.2582; w = 4E = 413.33;
    # tau^2 = (15 phi - 14) / (15 w - w) = 4.873 / 5786.7 = 0.000842
    data = pd.DataFrame({"area": list("ABCDEFGHIJKLMNO"), "n": [100] * 14 + [150]})
    data["pop"] = 1000
    out = peer_comparison(data, "area", "lower_is_better", count="n", denominator="pop")
    expected = 1550 / 15
    z_low = 2 * (math.sqrt(100) - math.sqrt(expected))
    z_high = 2 * (math.sqrt(150) - math.sqrt(expected))
    phi = (14 * z_low**2 + z_high**2) / 15
    w = 4 * expected
    tau2 = (15 * phi - 14) / (15 * w - w)
    assert out.attrs["overdispersion"].tau2 == pytest.approx(tau2)
    upper_ratio = (1 + Z95 * math.sqrt(1 / w + tau2)) ** 2  # 1.2352
    assert out["limit_upper"][0] == pytest.approx(upper_ratio * expected)
    assert out["comparison"].tolist() == ["similar"] * 14 + ["worse"]


def test_funnel_limits_are_poisson_limits_of_expected_count():
    # average 10 per 1,000 at population 1,000 -> expected 10 events; Byar's limits:
    # lower = 10 (1 - 1/90 - z/(3 sqrt 10))^3 = 4.7874; upper = 11 (1 - 1/99 + z/(3 sqrt 11))^3
    out = funnel_limits([1000], 10, per=1000)
    lower = 10 * (1 - 1 / 90 - Z95 / (3 * math.sqrt(10))) ** 3
    upper = 11 * (1 - 1 / 99 + Z95 / (3 * math.sqrt(11))) ** 3
    assert out["lower_95"][0] == pytest.approx(lower, rel=1e-9)
    assert out["upper_95"][0] == pytest.approx(upper, rel=1e-9)
    assert out["lower_99_8"][0] < out["lower_95"][0]


# --- concentration --------------------------------------------------------------------------


def test_concentration_and_gini_hand_worked():
    # 20 LSOAs: one with 50 offences, one with 30, eighteen with 1 -> total 98
    # top 5% = 1 LSOA = 50/98; top 10% = 2 LSOAs = 80/98; top 1% = 1 LSOA (at least one)
    areas = [f"L{i:02d}" for i in range(20)]
    data = pd.DataFrame({"lsoa": areas, "n": [50, 30] + [1] * 18})
    out = concentration(data, "lsoa", "n").set_index("measure")
    assert out.loc["share in top 5% of areas", "value"] == pytest.approx(50 / 98)
    assert out.loc["share in top 10% of areas", "value"] == pytest.approx(80 / 98)
    assert out.loc["share in top 1% of areas", "areas_in_top"] == 1


def test_gini_extremes_and_zero_count_areas():
    equal = pd.DataFrame({"a": list("ABCD"), "n": [5, 5, 5, 5]})
    assert gini(equal, "a", "n") == pytest.approx(0)
    # all offences in one of four areas: Gini = (n-1)/n = 0.75 -- only if the empty areas count
    one = pd.DataFrame({"a": ["A"] * 8})
    assert gini(one, "a", all_areas=list("ABCD")) == pytest.approx(0.75)
    curve = lorenz_curve(one, "a", all_areas=list("ABCD"))
    assert curve["share_of_offences"].tolist() == [0, 0, 0, 0, 1]
    with pytest.raises(ArgumentError, match="not in all_areas"):
        gini(one, "a", all_areas=["B"])


# --- time -----------------------------------------------------------------------------------


def test_temporal_profile_aoristic_split_across_midnight():
    # Monday 6 Jan 2025 23:30 to Tuesday 00:30: half in Monday 23h, half in Tuesday 0h
    data = pd.DataFrame(
        {"start": ["2025-01-06 23:30", "2025-01-08 16:10"], "end": ["2025-01-07 00:30", None]}
    )
    out = temporal_profile(data, "start", "end").set_index(["weekday", "hour"])
    assert out.loc[("Monday", 23), "offences"] == pytest.approx(0.5)
    assert out.loc[("Tuesday", 0), "offences"] == pytest.approx(0.5)
    assert out.loc[("Wednesday", 16), "value"] == pytest.approx(0.5)
    assert out["value"].sum() == pytest.approx(1)


def test_temporal_profile_long_span_spread_over_week():
    data = pd.DataFrame({"start": ["2025-01-01 00:00"], "end": ["2025-01-15 00:00"]})
    out = temporal_profile(data, "start", "end")
    assert np.allclose(out["value"], 1 / 168)


def test_window_share_school_hours_and_midnight():
    # 4 offences: 15:30 Mon, 17:59 Tue, 18:00 Wed (outside), 23:00 Sat
    data = pd.DataFrame(
        {"t": ["2025-01-06 15:30", "2025-01-07 17:59", "2025-01-08 18:00", "2025-01-11 23:00"]}
    )
    assert window_share(data, "t", ("15:00", "18:00"))["value"][0] == pytest.approx(2 / 4)
    # 22:00-02:00 crossing midnight: Saturday 23:00 only
    assert window_share(data, "t", ("22:00", "02:00"))["value"][0] == pytest.approx(1 / 4)
    weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert window_share(data, "t", ("22:00", "02:00"), weekdays=weekday)["value"][0] == 0
    with pytest.raises(ArgumentError, match="whole hours"):
        window_share(data, "t", ("15:30", "18:00"))


def test_temporal_end_before_start_is_an_error():
    data = pd.DataFrame({"s": ["2025-01-02 10:00"], "e": ["2025-01-01 10:00"]})
    with pytest.raises(ArgumentError, match="before it starts"):
        temporal_profile(data, "s", "e")


# --- people ---------------------------------------------------------------------------------


def test_over_representation_hand_worked():
    # victims aged 10-17: 30 of 100 (30%); population share 1,000 of 10,000 (10%): ratio 3.0
    data = pd.DataFrame({"age": ["10-17", "18+"], "victims": [30, 70], "pop": [1000, 9000]})
    out = over_representation(data, "age", "victims", "pop")
    assert out["value"].tolist() == pytest.approx([3.0, 0.7 / 0.9])
    assert out["lower"][0] < 3 < out["upper"][0]


def test_repeat_victimisation_hand_worked():
    data = pd.DataFrame(
        {
            "victim": ["A", "A", "A", "B", "C", "C", None, "B"],
            "date": ["2024-04-03", "2024-06-01", "2025-02-01", "2024-05-05", "2024-07-07",
                     "2024-08-08", "2024-09-09", "2025-04-01"],
        }
    )  # fmt: skip
    out = repeat_victimisation(data, "victim", "date", "2024-04-01")
    # in 2024/25: A x3, B x1, C x2, one unlinked; B's second incident is after the year
    assert out["victims"][0] == 3 and out["repeat_victims"][0] == 2
    assert out["unlinked_incidents"][0] == 1 and out["incidents"][0] == 7
    assert out["value"][0] == pytest.approx(2 / 3)


def test_reoffending_rate_and_frequency():
    data = pd.DataFrame({"offenders": [200], "reoffenders": [50], "reoffences": [150]})
    assert reoffending_rate(data, "offenders", "reoffenders")["value"][0] == pytest.approx(25)
    freq = reoffending_frequency(data, "reoffenders", "reoffences")
    assert freq["value"][0] == pytest.approx(3.0)
    with pytest.raises(ArgumentError, match="above zero"):
        reoffending_frequency(pd.DataFrame({"r": [0], "o": [0]}), "r", "o")


# --- cost of crime --------------------------------------------------------------------------


def test_cost_of_crime_uplifted_by_deflator():
    deflators = pd.DataFrame(
        {"financial_year": ["2015/16", "2025/26"], "gdp_deflator": [80.0, 100.0]}
    )
    data = pd.DataFrame({"type": ["Burglary", "Drugs"], "n": [10, 4]})
    out = cost_of_crime(
        data, "type", "n", "2025/26", match_on="police_uk_crime_type", series=deflators
    )
    # domestic burglary unit cost 5,930 at 2015/16 prices x 100/80 = 7,412.50; x 10 = 74,125
    assert out["unit_cost_uplifted"][0] == pytest.approx(7412.5)
    assert out["value"][0] == pytest.approx(74125)
    assert math.isnan(out["value"][1]) and out["method"][1] == "no unit cost for this offence"
    assert uplift_factor("2015/16", "2025/26", deflators) == pytest.approx(1.25)
    with pytest.raises(ArgumentError, match="no GDP deflator"):
        uplift_factor("2009/10", "2025/26")


def test_unit_cost_and_deflator_tables_carry_sources():
    from sa_toolkit.indicators import deflators, unit_costs

    costs = unit_costs()
    assert costs["source"].str.len().gt(10).all() and costs["price_year"].notna().all()
    assert deflators()["source"].str.len().gt(10).all()


def test_dsr_change_hand_worked():
    # 100 (95% 80 to 125) -> 150 (120 to 187.5): log-scale se of each =
    # ln(125/80) / (2 x 1.959964) = 0.446287 / 3.919928 = 0.113851; se of the log ratio
    # sqrt(2) x 0.113851 = 0.161010; z = ln 1.5 / 0.161010 = 2.51826; p = 0.01179
    from sa_toolkit.indicators import dsr_change

    data = pd.DataFrame({"b": [100.0], "bl": [80.0], "bu": [125.0],
                         "a": [150.0], "al": [120.0], "au": [187.5]})  # fmt: skip
    out = dsr_change(data, "b", "bl", "bu", "a", "al", "au")
    assert out["value"][0] == pytest.approx(50.0)
    assert out["p_value"][0] == pytest.approx(0.01179, abs=2e-5)
    assert bool(out["significant"][0])
    se = math.sqrt(2) * math.log(125 / 80) / (2 * Z95)
    assert out["lower"][0] == pytest.approx((1.5 * math.exp(-Z95 * se) - 1) * 100)
    with pytest.raises(ArgumentError, match="above zero"):
        dsr_change(data.assign(bl=0.0), "b", "bl", "bu", "a", "al", "au")


def test_framework_tests_a_dsr_change_from_its_intervals():
    # NI 39 computed as a DSR carries no count: the framework tests the ratio of the two
    # DSRs from their intervals (the rated change has its test)
    from sa_toolkit.framework import Parsed, _significance

    counts = {"baseline_count": None, "actual_count": None, "baseline_denominator": None,
              "actual_denominator": None, "baseline_lower": 80.0, "baseline_upper": 125.0,
              "actual_lower": 120.0, "actual_upper": 187.5}  # fmt: skip
    significant, p = _significance(
        "rate_per_100000", Parsed(100.0, "100"), Parsed(150.0, "150"), counts, 0.05
    )
    assert significant is True and p == pytest.approx(0.01179, abs=2e-5)
    significant, p = _significance(
        "rate_per_100000", Parsed(100.0, "100"), Parsed(150.0, "150"), counts, 0.01
    )
    assert significant is False  # the configured level decides
