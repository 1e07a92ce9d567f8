"""Overview analysis (sa_toolkit.analysis.overview) against hand-worked numbers."""

from __future__ import annotations

import csv
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sa_toolkit.analysis import overview as ov
from sa_toolkit.periods import FinancialYear

YEAR = FinancialYear.parse("2025/26")


def _cfg(**extra):
    base = {
        "year": YEAR,
        "baseline_year": FinancialYear.parse("2021/22"),
        "partnership_code": "A",
        "partnership_short_name": "Borough A",
        "msg_members": ("A", "B", "C"),
        "region": "London",
        "processed_dir": None,
        "significance_level": 0.05,
        "suppression_threshold": 5,
    }
    return SimpleNamespace(**{**base, **extra})


def _msg() -> pd.DataFrame:
    # Three partnerships of 100,000 residents, one offence group, two years.
    rows = []
    for fy, counts in (("2024/25", (3000, 2000, 1000)), ("2025/26", (1500, 2000, 1300))):
        for code, n in zip("ABC", counts, strict=True):
            rows.append(("csp", code, f"Area {code}", fy, "Robbery", n, 100_000))
    rows += [
        ("region", "R", "Region", "2024/25", "Robbery", 10_000, 9_000_000),
        ("region", "R", "Region", "2025/26", "Robbery", 9_000, 9_000_000),
        ("national", "N", "England and Wales", "2024/25", "Robbery", 100_000, 60_000_000),
        ("national", "N", "England and Wales", "2025/26", "Robbery", 110_000, 60_000_000),
    ]
    cols = ["area_type", "area_code", "area_name", "financial_year", "offence_group"]
    return pd.DataFrame(rows, columns=[*cols, "offences", "population"])


def test_street_month_counts_fill_missing_months_with_zero():
    street = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2025-04", "2025-04", "2025-06"], freq="M"),
            "crime_type": ["Robbery", "Burglary", "Robbery"],
        }
    )
    months = pd.period_range("2025-04", "2025-07", freq="M")
    counts = ov.street_month_counts(street, months)
    assert list(counts.index.astype(str)) == ["2025-04", "2025-05", "2025-06", "2025-07"]
    assert counts["Robbery"].tolist() == [1, 0, 1, 0]
    assert counts["Burglary"].tolist() == [1, 0, 0, 0]


def test_msg_comparison_ranks_positions_and_changes():
    table = ov.msg_comparison(_msg(), _cfg())
    robbery = table[table["offence_group"] == "Robbery"].iloc[0]
    # 2024/25: rates 30, 20, 10 per 1,000 -> A has the highest rate: rank 1 (worst);
    # pooled average 6000 / 300000 * 1000 = 20. Three areas this far apart vary far more
    # than chance (Spiegelhalter phi = 363, tau^2 = 0.068): the overdispersed 95% limits at
    # 100,000 residents are about 4.8 to 45.7 per 1,000, so A's 30 is "Just above".
    assert robbery["rank_last"] == 1
    assert robbery["position_last"] == "Just above"
    # 2025/26: rates 15, 20, 13 -> A is 2nd; average 4800 / 300000 * 1000 = 16; A's 15 is
    # within the overdispersed limits -> "Just below"; rank 1 -> 2 is an improvement.
    assert robbery["rank_this"] == 2
    assert robbery["position_this"] == "Just below"
    assert robbery["progress"] == "Improved"
    assert robbery["peer_average_this"] == pytest.approx(16.0)
    assert robbery["change_partnership"] == pytest.approx(-50.0)  # 3000 -> 1500
    assert robbery["change_region"] == pytest.approx(-10.0)  # 10000 -> 9000
    assert robbery["change_national"] == pytest.approx(10.0)  # 100000 -> 110000
    total = table[table["offence_group"] == ov.ALL_CRIME].iloc[0]
    assert total["rank_this"] == 2 and total["members"] == 3


def test_msg_position_just_above_when_interval_holds_the_average():
    msg = _msg()
    # A: 21 offences per 1,000 against an average of (21+20+19)/3 = 20: the Poisson
    # interval of 21 offences in 1,000 residents (about 13 to 32) contains 20.
    msg = msg[msg["financial_year"] == "2025/26"].copy()
    msg.loc[msg["area_type"] == "csp", "offences"] = [21, 20, 19]
    msg.loc[msg["area_type"] == "csp", "population"] = 1000
    pos = ov.msg_position(msg, _cfg(), YEAR, "Robbery")
    assert pos["rank"] == 1
    assert pos["position"] == "Just above"


def test_msg_display_suppresses_small_partnership_counts():
    msg = _msg()
    msg.loc[(msg["area_code"] == "A") & (msg["financial_year"] == "2025/26"), "offences"] = 3
    shown = ov.msg_display(ov.msg_comparison(msg, _cfg()), _cfg(), 5)
    row = shown[shown["Offence group"] == "Robbery"].iloc[0]
    assert row["Rate per 1,000 2025/26"] == "<5"
    assert row["% change Borough A"] == "[c]"


def test_funnel_position_against_limits():
    limits = pd.Series({"lower_95": 9.0, "upper_95": 11.0, "lower_99_8": 8.0, "upper_99_8": 12.0})
    assert ov.funnel_position(12.5, limits).startswith("well above")
    assert ov.funnel_position(11.5, limits).startswith("above")
    assert ov.funnel_position(10.0, limits) == "within the 95% limits"
    assert ov.funnel_position(8.5, limits).startswith("below")
    assert ov.funnel_position(7.0, limits).startswith("well below")


def _framework_rows():
    cols = ["indicator_id", "name", "priority", "baseline", "actual", "change", "change_unit",
            "rag", "rag_label", "target", "target_type", "significant", "p_value", "unit",
            "polarity", "value_source", "comment"]  # fmt: skip
    rows = [
        ["x_count", "Small count", "youth_crime", 3.0, 10.0, 233.3, "%", "R",
         "Red: target -5% missed by 238.3%", -5.0, "relative_change", "no", 0.1, "count",
         "lower_is_better", "computed from data", ""],
        ["NI1", "Rate up", "violent_crime", 10.0, 12.0, 20.0, "%", "R", "Red: getting worse",
         None, "none", "yes", 0.001, "rate_per_1000", "lower_is_better", "", ""],
        ["NI2", "Share down", "safer_communities", 60.0, 55.0, -5.0, "pp", "R",
         "Red: getting worse", None, "none", "yes", 0.01, "percent", "higher_is_better", "", ""],
        ["NI3", "Better", "violent_crime", 10.0, 8.0, -20.0, "%", "G", "Green: improving",
         None, "none", "yes", 0.001, "rate_per_1000", "lower_is_better", "", ""],
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_framework_small_counts_hidden_with_their_change():
    frame = _framework_rows()
    shown = ov.framework_display(frame, 5)
    assert shown.loc[0, "Baseline"] == "<5"
    assert shown.loc[0, "Actual"] == "10"
    assert shown.loc[0, "Change"] == ""
    assert shown.loc[0, "Indicator"] == "Small count"  # toolkit ids are not shown
    # a retired National Indicator: its name first, the code as a reference after it
    assert shown.loc[1, "Indicator"] == "Rate up (formerly NI 1)"
    assert shown.loc[1, "Traffic light"] == "Red"
    assert shown.loc[1, "Assessment"] == "getting worse"
    assert shown.loc[2, "Actual"] == "55.0%"
    published = ov.framework_for_publication(frame, 5)
    assert published.loc[0, "baseline"] == "<5"
    assert published.loc[0, "change"] is None
    assert published.loc[1, "actual"] == 12.0


def test_framework_summary_lists_worsened_and_missed():
    summary = ov.framework_summary(_framework_rows())
    assert (summary["red"], summary["green"], summary["amber"]) == (3, 1, 0)
    # NI1 up 20% (lower is better) and NI2 down 5pp (higher is better) worsened
    # significantly; NI3 improved; the small count missed its target.
    assert summary["worsened"] == ["Rate up (+20.0%)", "Share down (-5.0 pp)"]
    assert summary["missed"] == ["Small count: target -5% missed by 238.3%"]


def _overview_data(cfg) -> ov.OverviewData:
    months = pd.period_range(ov.first_year_needed(cfg).first_month, cfg.year.last_month, freq="M")
    fy = ov.financial_year_label(months).to_numpy()
    # Robbery doubles every year (10, 20, 40, 80, 160 a month from 2021/22); ASB is flat.
    per_month = {"2021/22": 10, "2022/23": 20, "2023/24": 40, "2024/25": 80, "2025/26": 160}
    counts = pd.DataFrame(
        {"Robbery": [per_month[y] for y in fy], ov.ASB: 10},
        index=pd.PeriodIndex(months, name="month"),
    )
    pops = {y: 100_000.0 for y in per_month}
    return ov.OverviewData(
        cfg, counts, pd.Series(dtype="int64"), pd.Series(dtype="object"), _msg(), pops
    )


def test_priority_matrix_scores_by_the_documented_rules():
    cfg = _cfg()
    data = _overview_data(cfg)
    msg_table = pd.DataFrame(
        {"offence_group": ["Robbery"], "comparison_this": ["worse"], "rank_this": [1],
         "members": [15]}
    )  # fmt: skip
    cost = {"unit_cost": pd.Series({"Robbery": 15_000.0})}
    matrix = ov.priority_matrix(data, msg_table, cost).set_index("category")
    robbery, asb = matrix.loc["Robbery"], matrix.loc[ov.ASB]
    # 2025/26: robbery 1,920, ASB 120 -> shares 94.1% (3) and 5.9% (2)
    assert robbery["count"] == 1920 and asb["count"] == 120
    assert robbery["share"] == pytest.approx(1920 / 2040 * 100)
    assert (robbery["volume_score"], asb["volume_score"]) == (3, 2)
    # harm: £15,000 >= £10,000 -> 3; ASB has no unit cost -> not measured, not scored
    assert robbery["harm_score"] == 3 and pd.isna(asb["harm_score"])
    # trend: robbery doubling -> getting worse (3); ASB flat -> no significant change (2)
    assert robbery["trend"] == "increasing and getting worse" and robbery["trend_score"] == 3
    assert asb["trend"] == "no significant change" and asb["trend_score"] == 2
    # peers: robbery significantly worse (3); ASB has no MSG data -> not measured
    assert robbery["peer_score"] == 3 and pd.isna(asb["peer_score"])
    assert (robbery["total_score"], robbery["out_of"], robbery["priority"]) == (12, 12, "High")
    # ASB: volume 2 + trend 2 = 4 of 6, average 2.0 -> Medium (1.75 to under 2.25)
    assert (asb["total_score"], asb["out_of"], asb["priority"]) == (4, 6, "Medium")
    shown = ov.matrix_display(matrix.reset_index(), 5).set_index("Category")
    assert shown.loc[ov.ASB, "Harm"] == "not measured (no unit cost)"
    assert shown.loc[ov.ASB, "Score"] == "4 of 6"
    assert "harm" in asb["not_measured"] and "peer" in asb["not_measured"]
    assert list(matrix.index) == ["Robbery", ov.ASB]  # highest score first


@pytest.mark.parametrize(
    ("scores", "band"),
    [([3, 3, 2, 1], "High"), ([3, 3, 3, 3], "High"), ([2, 2, 2, 2], "Medium"),
     ([2, 2, 2, 1], "Medium"), ([2, 2, 1, 1], "Lower"), ([3, 2, 2], "High"),
     ([3, 1, 2], "Medium"), ([2, 2, 1], "Lower")],
)  # fmt: skip
def test_matrix_bands_agree_with_the_key(scores, band):
    # the key printed in the report: with all four measured, 9+ of 12 High, 7 or 8 Medium
    key = ov.matrix_key()
    assert "9 or more of 12" in key and "7 or 8 of 12" in key
    assert "does not score" in key
    assert ov.priority_band(scores) == band


def test_violence_costed_at_its_cheapest_offence_has_no_harm_score():
    cfg = _cfg()
    data = _overview_data(cfg)
    # £8,000 (band 2) is only the cheapest offence's cost: harm not measured
    cost = {"unit_cost": pd.Series({"Robbery": 8_000.0}), "lower_bound": ["Robbery"]}
    matrix = ov.priority_matrix(data, pd.DataFrame(), cost).set_index("category")
    assert pd.isna(matrix.loc["Robbery", "harm_score"])
    assert "cheapest" in matrix.loc["Robbery", "not_measured"]
    # a lower bound that already scores 3 is a measured 3
    cost = {"unit_cost": pd.Series({"Robbery": 12_000.0}), "lower_bound": ["Robbery"]}
    assert (
        ov.priority_matrix(data, pd.DataFrame(), cost)
        .set_index("category")
        .loc["Robbery", "harm_score"]
        == 3
    )


def test_trend_not_assessed_across_a_series_break(tmp_path):
    # the demo's own break (public_order_rate from 2022-04, in <raw_dir>/series_breaks.csv)
    # falls inside the five years 2021/22 to 2025/26; without the file there is none
    from sa_toolkit.demo.generate import write_series_breaks

    data = _overview_data(_cfg(raw_dir=tmp_path))
    data.counts["Public order"] = 30
    trends = ov.category_trends(data).set_index("crime_type")
    assert not trends.loc["Public order", "trend"].startswith("not assessed")
    write_series_breaks(tmp_path)
    trends = ov.category_trends(data).set_index("crime_type")
    assert trends.loc["Public order", "trend"].startswith("not assessed: series break")


def test_cost_by_year_uplifts_unit_costs_by_the_deflator():
    cfg = _cfg()
    data = _overview_data(cfg)
    with open(ov.Path(ov.__file__).parents[1] / "data" / "unit_costs.csv", encoding="utf-8") as f:
        costs = {
            r["police_uk_crime_type"]: r for r in csv.DictReader(f) if r["police_uk_crime_type"]
        }
    with open(ov.Path(ov.__file__).parents[1] / "data" / "deflators.csv", encoding="utf-8") as f:
        deflator = {r["financial_year"]: float(r["gdp_deflator"]) for r in csv.DictReader(f)}
    unit = float(costs["Robbery"]["unit_cost"])
    uplift = deflator["2025/26"] / deflator[costs["Robbery"]["price_year"]]
    cost = ov.cost_by_year(data)
    # 2021/22: 120 robberies; 2025/26: 1,920
    assert cost["table"].loc["Robbery", "2021/22"] == pytest.approx(120 * unit * uplift)
    assert cost["table"].loc["Robbery", "2025/26"] == pytest.approx(1920 * unit * uplift)
    assert cost["change"] == pytest.approx((1920 - 120) / 120 * 100)
    assert cost["uncosted"] == []
    assert "rose" in ov.cost_sentence(cost)


def test_mix_display_hides_small_counts_and_their_change():
    cfg = _cfg()
    data = _overview_data(cfg)
    data.counts["Bicycle theft"] = 0
    data.counts.loc[cfg.year.months[0], "Bicycle theft"] = 3
    mix = ov.crime_mix(data, 5)
    shown = ov.mix_display(mix, cfg, 5).set_index("Offence type")
    assert shown.loc["Bicycle theft", "2025/26"] == "<5"
    assert shown.loc["Bicycle theft", "% change"] == "[c]"
    assert shown.loc["Robbery", "2025/26"] == "1,920"
    assert shown.loc["Robbery", "% change"] == "+100%"  # 960 -> 1,920
    share = mix.set_index("crime_type").loc["Robbery", "share"]
    assert share == pytest.approx(1920 / 1923 * 100)
    assert math.isnan(mix.set_index("crime_type").loc[ov.ASB, "share"])


def test_change_test_poisson():
    # equal counts: no significant change; 100 -> 200 is significant
    assert ov.change_test(100, 100)[0] is False
    significant, p = ov.change_test(100, 200)
    assert significant is True and p < 0.001
    assert ov.change_test(0, 0) == (None, None)


def test_key_findings_headline_and_count():
    cfg = _cfg()
    trend = {"crime_last": 1000, "crime_this": 1200, "asb_last": 500, "asb_this": 400}
    summary = ov.framework_summary(_framework_rows())
    matrix = pd.DataFrame({"category": ["Robbery"], "total_score": [12], "priority": ["High"]})
    out = ov.key_findings(trend, summary, pd.DataFrame(), None, matrix, cfg)
    assert 3 <= len(out) <= 6
    assert out[0].startswith("In 2025/26 against 2024/25, recorded crime rose 20% (1,000 to 1,200")
    assert "statistically significant" in out[0]
    assert out[-1].startswith("Police-recorded anti-social behaviour fell 20%")


def test_rendered_overview_links_its_framework_download(rendered_reports):
    """The pipeline's overview page links the xlsx it wrote beside it, with every indicator."""
    import re

    import openpyxl

    page = (rendered_reports / "00_overview.html").read_text(encoding="utf-8")
    assert 'href="performance_framework.xlsx"' in page
    book = openpyxl.load_workbook(rendered_reports / "performance_framework.xlsx", read_only=True)
    rows = list(book["Performance framework"].iter_rows(values_only=True))
    assert "Performance framework, 2025/26" in rows[0][0]  # the formatted workbook's title
    assert rows[3][:3] == ("Priority", "Indicator", "Unit")
    shown = re.search(r"Excel, (\d+) indicators", page)
    assert shown and int(shown.group(1)) == len(rows) - 4
    snake = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")  # no internal ids or column names
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and snake.search(v) for v in row), row
    lights = {row[6] for row in rows[4:]}
    assert lights <= {"Red", "Amber", "Green", "Not rated"} and lights
    findings_block = re.search(r'<section class="sa-key-findings".*?</section>', page, re.S)
    assert findings_block and 3 <= findings_block.group(0).count("<li>") <= 6
    assert page.count("Recommendations for the rolling plan") == 1
    assert (rendered_reports / "figures" / "00_overview_msg_funnel.png").is_file()


def test_computations_filter_each_table_once_per_year():
    """The framework's incident and street filters are memoised per year (same counts)."""
    from sa_toolkit.indicators import computations as comp

    calls = []
    months = pd.PeriodIndex(pd.period_range("2025-04", "2026-03", freq="M"), freq="M")
    incidents = pd.DataFrame(
        {
            "month": list(months) * 2,
            "lsoa_code": ["L1"] * 12 + ["L2"] * 12,
            "domestic_abuse": [True, False] * 12,
        }
    )

    def reader(name, processed_dir, columns=None):
        calls.append(name)
        return incidents

    src = comp.DataSource(None, ["L1"], "A", reader=reader)
    first = comp.incident_flag_count(src, YEAR, "domestic_abuse")
    again = comp.incident_flag_count(src, YEAR, "domestic_abuse")
    # L1 only: 12 months alternating True/False -> 6
    assert first.value == again.value == 6
    assert calls == ["crime_incidents"]
    assert ("_incidents", "2025/26") in src._cache


def test_msg_funnel_note_says_whether_the_limits_allow_for_real_variation():
    """Peers spread well beyond chance: the note says the limits were widened, and by what."""
    from sa_toolkit.indicators.overdispersion import area_overdispersion

    # 12 peers of 100,000 residents around 50 per 1,000: Poisson sd of a count of 5,000 is
    # about 71, these spread by about 500, so phi is far above 1
    observed = np.array([4200, 4500, 4800, 5000, 5200, 5500, 5800, 4400, 4600, 5400, 5600, 5000])
    od = area_overdispersion(observed, np.full(12, observed.mean()))
    note = ov.msg_funnel_note({"members": 12, "limits_note": od.describe()})
    assert "widened for that real-world variation" in note
    assert "In 12 partnerships this year" in note
    plain = ov.msg_funnel_note({"members": 12, "limits_note": ""})
    assert "widened" not in plain and plain.startswith("How to read this chart")


def test_cost_before_the_deflator_series_is_at_the_unit_costs_own_prices():
    """A 2013/14 assessment (real data): the deflator series starts later, so costs stay at
    the Home Office's own price year rather than failing or being uplifted by a guess."""
    year = FinancialYear.parse("2013/14")
    cfg = _cfg(year=year, baseline_year=year)
    months = pd.period_range(year.first_month, year.last_month, freq="M")
    counts = pd.DataFrame({"Robbery": 10, ov.ASB: 5}, index=pd.PeriodIndex(months, name="month"))
    data = ov.OverviewData(
        cfg, counts, pd.Series(dtype="int64"), pd.Series(dtype="object"), _msg(), {}
    )
    with open(ov.Path(ov.__file__).parents[1] / "data" / "unit_costs.csv", encoding="utf-8") as f:
        robbery = next(r for r in csv.DictReader(f) if r["police_uk_crime_type"] == "Robbery")
    cost = ov.cost_by_year(data)
    assert cost is not None, data.cost_reason
    assert cost["price_year"] == robbery["price_year"]
    assert cost["table"].loc["Robbery", "2013/14"] == pytest.approx(
        120 * float(robbery["unit_cost"])
    )
    assert "not adjusted to that year's prices" in cost["price_note"]
    assert f"(at {robbery['price_year']} prices)" in ov.cost_sentence(cost)
