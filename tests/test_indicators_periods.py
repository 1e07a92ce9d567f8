"""Periods: quarters, rolling 12 months, financial year to date, same period a year earlier."""

from __future__ import annotations

import pandas as pd
import pytest

from sa_toolkit.errors import UserError
from sa_toolkit.periods import (
    FinancialYear,
    MonthRange,
    Quarter,
    as_month_range,
    financial_year_to_date,
    quarter_of,
    rolling_12_months,
    same_period_last_year,
)


def test_financial_quarters_run_april_to_march():
    q1 = Quarter(FinancialYear(2024), 1)
    assert (str(q1.first_month), str(q1.last_month)) == ("2024-04", "2024-06")
    q4 = Quarter.parse("2024/25 Q4")
    assert (str(q4.first_month), str(q4.last_month)) == ("2025-01", "2025-03")
    assert q4.label == "2024/25 Q4"
    assert len(q4.months) == 3


@pytest.mark.parametrize(
    "month, expected",
    [
        ("2024-04", "2024/25 Q1"),
        ("2024-09", "2024/25 Q2"),
        ("2024-12", "2024/25 Q3"),
        ("2025-01", "2024/25 Q4"),
        ("2025-03", "2024/25 Q4"),
    ],
)
def test_quarter_of_month(month, expected):
    assert quarter_of(month).label == expected


def test_previous_quarter_crosses_year():
    assert Quarter.parse("2024/25 Q1").previous().label == "2023/24 Q4"
    assert Quarter.parse("2024/25 Q3").previous_year().label == "2023/24 Q3"


def test_rolling_12_months_to_january():
    # the 2009 plan quotes "rolling 12 months to Jan09": Feb 2008 to Jan 2009
    r = rolling_12_months("2009-01")
    assert (str(r.first), str(r.last)) == ("2008-02", "2009-01")
    assert r.n_months == 12
    assert "Feb 2008 to Jan 2009" in r.label


def test_financial_year_to_date():
    # "FYTD (to Jan09)" in the 2009 plan: April 2008 to January 2009, ten months
    r = financial_year_to_date(pd.Period("2009-01", freq="M"))
    assert (str(r.first), str(r.last)) == ("2008-04", "2009-01")
    assert r.n_months == 10
    april = financial_year_to_date("2009-04")
    assert april.n_months == 1


def test_same_period_a_year_earlier_keeps_the_kind():
    assert same_period_last_year(FinancialYear(2024)) == FinancialYear(2023)
    assert same_period_last_year(Quarter.parse("2024/25 Q2")) == Quarter.parse("2023/24 Q2")
    fytd = same_period_last_year(financial_year_to_date("2009-01"))
    assert (str(fytd.first), str(fytd.last)) == ("2007-04", "2008-01")


def test_contains_selects_months():
    months = pd.Series(pd.period_range("2008-01", "2009-03", freq="M"))
    mask = rolling_12_months("2009-01").contains(months)
    assert mask.sum() == 12
    assert not mask.iloc[0] and mask.iloc[1] and not mask.iloc[-1]


def test_as_month_range_of_financial_year():
    r = as_month_range(FinancialYear(2025))
    assert (str(r.first), str(r.last), r.n_months) == ("2025-04", "2026-03", 12)


def test_bad_periods_give_plain_messages():
    with pytest.raises(UserError, match="not a month"):
        rolling_12_months("January")
    with pytest.raises(UserError, match="quarter number"):
        Quarter(FinancialYear(2024), 5)
    with pytest.raises(UserError, match="before it starts"):
        MonthRange("2025-03", "2025-01")


def test_span_label_names_one_year_once():
    from sa_toolkit.periods import FinancialYear, span_label

    one = FinancialYear.parse("2013/14")
    assert span_label(one, one) == "2013/14"
    assert span_label(FinancialYear.parse("2020/21"), FinancialYear.parse("2025/26")) == (
        "2020/21 to 2025/26"
    )
