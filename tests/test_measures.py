"""The run's measure set: hand-worked intervals, displayed changes, publication."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sa_toolkit import measures
from sa_toolkit.framework import build_framework
from sa_toolkit.indicators.catalogue import load_catalogue
from sa_toolkit.indicators.computations import DataSource, compute
from sa_toolkit.periods import FinancialYear


def test_displayed_change_is_computed_from_the_displayed_values():
    # 1.8351% to 3.4620% are shown as 1.8% and 3.5%: the change shown is 3.5 - 1.8 = 1.7 pp
    # (the unrounded difference, 1.6269, would print as +1.6 and not reconcile)
    assert measures.displayed_change(1.8351, 3.4620, "percent") == 1.7
    # 42.2188 and 49.2216 per 100,000 are shown as 42.2 and 49.2: (49.2 - 42.2) / 42.2 =
    # 16.5877% -> +16.6%
    assert measures.displayed_change(42.2188, 49.2216, "rate_per_100000") == 16.6
    # counts: 1,254 to 1,281 is 27 / 1,254 = 2.153% -> +2.2%
    assert measures.displayed_change(1254, 1281, "count") == 2.2
    assert measures.displayed_change(0, 5, "count") is None  # no % change from zero


def test_values_are_formatted_with_one_precision_per_unit():
    assert measures.format_value(1.8351, "percent") == "1.8%"
    assert measures.format_value(1281.0, "count") == "1,281"
    assert measures.format_value(26.264028, "rate_per_1000") == "26.26"
    assert measures.format_value(42.2188, "rate_per_100000") == "42.2"
    # half away from zero, as printed figures are read: 0.125 -> 0.13 (not banker's 0.12)
    assert measures.format_value(0.125, "ratio") == "0.13"
    # a small rate keeps two significant figures rather than printing 0.00
    assert measures.format_value(0.0043, "rate_per_1000") == "0.0043"


def test_framework_change_reconciles_with_its_displayed_values():
    values = pd.DataFrame(
        {"indicator_id": ["P1"], "name": ["A survey measure"], "priority": ["anti_social_behaviour"],
         "unit": ["percent"], "polarity": ["lower_is_better"], "baseline": ["1.8351"],
         "actual": ["3.4620"]}
    )  # fmt: skip
    frame = build_framework(values, year="2025/26")
    assert frame.loc[0, "change"] == pytest.approx(1.7)
    assert frame.loc[0, "change_unit"] == "pp"


def test_rate_interval_is_byars_hand_worked():
    # Byar: lower = O (1 - 1/(9 O) - z / (3 sqrt O))^3, upper = (O+1)(1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3
    o, pop, z = 248, 306776, 1.959963984540054
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3 / pop * 100000
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3 / pop * 100000
    value = o / pop * 100000
    lo, hi, method = measures.interval("rate_per_100000", value, o, pop)
    assert (lo, hi) == (pytest.approx(lower, rel=1e-9), pytest.approx(upper, rel=1e-9))
    assert lo <= value <= hi
    assert "Byar" in method


def test_percentage_interval_is_wilson_hand_worked():
    x, n, z = 55, 170, 1.959963984540054
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo, hi, _ = measures.interval("percent", p * 100, x, n)
    assert lo == pytest.approx((centre - half) * 100, rel=1e-9)
    assert hi == pytest.approx((centre + half) * 100, rel=1e-9)
    assert lo <= p * 100 <= hi


def test_a_value_with_its_own_interval_keeps_it_and_no_count_no_interval():
    assert measures.interval("rate_per_100000", 425.0, None, None, 396.4, 455.0)[:2] == (
        396.4,
        455.0,
    )
    assert measures.interval("rate_per_1000", 3.0, None, None)[:2] == (None, None)


def _cohort_table(rows):
    return pd.DataFrame(
        rows, columns=["area_code", "cohort_quarter", "cohort", "ppo", "offenders", "reoffenders",
                       "reoffences"],
    )  # fmt: skip


def test_reoffending_reads_the_latest_complete_cohort_and_never_adds_ppos_twice():
    rows = []
    # 2023/24 cohort: 2023Q2..2024Q1, 10 offenders and 3 re-offenders a quarter; PPO rows
    # (a subset) 2 and 1; then two quarters of 2024/25 only (incomplete)
    for q in ("2022Q2", "2022Q3", "2022Q4", "2023Q1"):
        rows += [("X1", q, "juvenile", False, 10, 2, 5), ("X1", q, "juvenile", True, 2, 1, 3)]
    for q in ("2023Q2", "2023Q3", "2023Q4", "2024Q1"):
        rows += [("X1", q, "juvenile", False, 10, 3, 6), ("X1", q, "juvenile", True, 2, 1, 4)]
    for q in ("2024Q2", "2024Q3"):
        rows += [("X1", q, "juvenile", False, 10, 9, 9), ("X1", q, "juvenile", True, 2, 2, 2)]
    table = _cohort_table(rows)
    src = DataSource(None, [], "X1", reader=lambda name, d, columns=None: table)
    spec = {"function": "reoffending_rate", "cohort": "juvenile"}
    actual = compute(spec, src, FinancialYear.parse("2025/26"))
    # 12 of 40 (the four complete quarters of 2023/24, PPO rows not added): 30%
    assert (actual.count, actual.denominator) == (12, 40)
    assert actual.value == pytest.approx(30.0)
    assert actual.period == "cohort 2023/24"
    catalogue = load_catalogue().loc[["youth_reoffending_rate"]]
    frame = build_framework(None, year="2025/26", catalogue=catalogue, data=src)
    row = frame.iloc[0]
    # baseline: the cohort before, 2022/23: 8 of 40 = 20%
    assert (row["baseline"], row["actual"]) == (pytest.approx(20.0), pytest.approx(30.0))
    assert "2022/23 cohort" in row["comment"] and "2023/24 cohort" in row["comment"]
    ms = measures.build_measure_set(frame)
    assert ms.periods("youth_reoffending_rate") == ["cohort 2022/23", "cohort 2023/24"]


def test_published_set_is_in_board_language_and_hides_small_counts():
    frame = pd.DataFrame(
        [
            [
                "NI48",
                "Children killed or seriously injured",
                "safer_communities",
                "2025/26",
                3.0,
                0.6,
                8.8,
                0.95,
                "exact Poisson",
                3.0,
                None,
                "count",
                1,
                "def",
                "STATS19",
                "",
            ],
            [
                "robbery_rate",
                "Robbery rate per 1,000 population",
                "violent_crime",
                "2025/26",
                4.175685,
                3.95,
                4.41,
                0.95,
                "Byar's method",
                1281.0,
                306776.0,
                "rate_per_1000",
                1000,
                "def",
                "police",
                "",
            ],
        ],
        columns=measures.COLUMNS,
    )
    out = measures.published_frame(measures.MeasureSet(frame, pd.DataFrame()), threshold=5)
    assert "measure_id" not in out.columns and out.columns[0] == "Measure"
    assert list(out["Priority"]) == ["Safer communities", "Violent crime"]
    # a count of 3 (below 5) and its interval are not shown
    assert out.loc[0, "Value"] == "<5" and out.loc[0, "Numerator"] == "<5"
    assert pd.isna(out.loc[0, "Lower 95% limit"])
    assert out.loc[1, "Value"] == pytest.approx(4.1757)
    assert out.loc[1, "Unit"] == "per 1,000 residents"


def test_shared_set_is_read_back_and_ignored_for_another_configuration(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from sa_toolkit.periods import FinancialYear

    cfg = SimpleNamespace(
        partnership_code="X1", year=FinancialYear.parse("2025/26"), amber_tolerance=2.0,
        significance_level=0.05, processed_dir=tmp_path, targets=None,
    )  # fmt: skip
    frame = pd.DataFrame([["a", "A", "p", "2025/26", 1.0, 0.5, 1.5, 0.95, "m", 1.0, 1.0,
                           "count", 1, "", "", ""]], columns=measures.COLUMNS)  # fmt: skip
    framework = pd.DataFrame({"indicator_id": ["a"], "baseline": [1.0]})
    measures.write_shared(measures.MeasureSet(frame, framework), cfg, tmp_path)
    monkeypatch.setenv("SA_RUN_SHARED_DIR", str(tmp_path))
    back = measures.shared_measure_set(cfg, wait=0)
    assert back is not None and back.value("a", "2025/26") == 1.0
    other = SimpleNamespace(**{**vars(cfg), "year": FinancialYear.parse("2024/25")})
    assert measures.shared_measure_set(other, wait=0) is None
