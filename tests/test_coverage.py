"""Gaps are gaps (sa_toolkit.coverage): hand-worked months, like-for-like totals, the
framework and the reports on the same rule, charts that break at a missing month."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sa_toolkit import charts
from sa_toolkit.coverage import (
    MIN_MONTHS_COMPARED,
    Coverage,
    compare_years,
    months_in_words,
    with_gaps,
)
from sa_toolkit.periods import FinancialYear

FY = FinancialYear
REPO = Path(__file__).resolve().parents[1]
TITLE = dict(title="t", subtitle="s", source="x")


def _months(first: str, last: str, without=()) -> list[pd.Period]:
    return [m for m in pd.period_range(first, last, freq="M") if str(m) not in without]


# ----------------------------------------------------------------------------- words


def test_months_in_words():
    assert months_in_words(pd.PeriodIndex(["2013-04", "2013-05"], freq="M")) == "April and May 2013"
    assert months_in_words(pd.PeriodIndex(["2022-01", "2020-04"], freq="M")) == (
        "April 2020 and January 2022"
    )
    assert months_in_words(pd.PeriodIndex(["2013-04", "2013-05", "2013-06"], freq="M")) == (
        "April, May and June 2013"
    )


def test_coverage_names_gaps_inside_its_span():
    cov = Coverage.of("police_street", _months("2019-04", "2022-03", ("2020-04", "2022-01")))
    assert [str(m) for m in cov.gaps] == ["2020-04", "2022-01"]
    assert cov.gaps_sentence() == "April 2020 and January 2022 missing from the police data."
    assert [y.label for y in cov.complete_years()] == ["2019/20"]
    assert cov.summary().startswith("April 2019 to March 2022 (34 months); 2 missing in between")


def test_event_extract_quiet_month_is_a_month_with_none():
    # fires in a small area: no fire in May 2024 is a month with none, not missing data;
    # a data.police.uk month without a file is missing
    held = _months("2024-04", "2024-09", ("2024-05",))
    assert Coverage.of("fire_incidents", held).gaps.empty
    assert [str(m) for m in Coverage.of("police_street", held).gaps] == ["2024-05"]


# ----------------------------------------------------------------------------- like for like


def test_like_for_like_uses_the_months_both_years_hold():
    # 2020/21 lacks April 2020, 2021/22 lacks January 2022: 10 calendar months in common
    cov = Coverage.of("police_street", _months("2019-04", "2022-03", ("2020-04", "2022-01")))
    cmp = compare_years(cov, FY(2021))
    assert cmp.compared and cmp.n_months == 10
    assert "2021-04" not in set(map(str, cmp.this_months))
    assert "2021-01" not in set(map(str, cmp.last_months))
    # one offence a month in 2020/21, two a month in 2021/22 (every month held):
    # like for like 10 against 20, not 11 against 22
    monthly = pd.Series(
        [1.0] * 12 + [2.0] * 12, index=pd.period_range("2020-04", "2022-03", freq="M")
    )
    assert cmp.total(monthly, "last") == 10 and cmp.total(monthly, "this") == 20
    assert cmp.note() == (
        "Like for like: the same 10 months of 2020/21 and 2021/22 compared (April and January "
        "left out of both); April 2020 and January 2022 missing from the police data."
    )


def test_too_few_common_months_are_not_compared():
    # 2024/25 holds April to November (8 months): fewer than 9 in common
    cov = Coverage.of("police_street", _months("2023-04", "2024-11"))
    cmp = compare_years(cov, FY(2024))
    assert MIN_MONTHS_COMPARED == 9
    assert not cmp.compared and cmp.has_previous
    assert cmp.reason.startswith("2023/24 and 2024/25 not compared: only 8 calendar months")
    # exactly nine is enough
    assert compare_years(Coverage.of("t", _months("2023-04", "2024-12")), FY(2024)).compared


def test_first_year_alone_counts_its_months_and_says_so():
    # the real Northumbria download: June 2013 to June 2014
    cov = Coverage.of("police_street", _months("2013-06", "2014-06"))
    cmp = compare_years(cov, FY(2013))
    assert cmp.compared and not cmp.has_previous and cmp.n_months == 10
    assert cmp.note() == (
        "2013/14: 10 of 12 months; April and May 2013 missing from the police data."
    )
    # a year alone with fewer than nine months is not totalled as a year
    short = compare_years(Coverage.of("police_street", _months("2014-04", "2014-06")), FY(2014))
    assert not short.compared and "only 3 of its 12" in short.reason


def test_a_missing_month_is_missing_not_zero():
    cov = Coverage.of("police_street", _months("2025-01", "2025-06", ("2025-03",)))
    counts = pd.Series(5, index=pd.period_range("2025-01", "2025-06", freq="M"))
    out = with_gaps(counts, cov)
    assert np.isnan(out[pd.Period("2025-03", "M")])
    assert out.drop(pd.Period("2025-03", "M")).tolist() == [5.0] * 5
    assert out.mean() == 5.0  # an average over the months held, not (25 + 0) / 6


# ----------------------------------------------------------------------------- framework


def _street(missing=()) -> pd.DataFrame:
    # in the partnership (E01): 10 violence a month in 2023/24, 12 a month in 2024/25
    rows = []
    for month in _months("2023-04", "2025-03", missing):
        n = 10 if month.year * 12 + month.month < 2024 * 12 + 4 else 12
        rows += [
            {"month": month, "lsoa_code": "E01", "crime_type": "Violence and sexual offences"}
        ] * n
    frame = pd.DataFrame(rows)
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    return frame


def _source(street):
    from sa_toolkit.indicators.computations import DataSource

    population = pd.DataFrame(
        {"year": [2023, 2024], "lsoa_code": ["E01", "E01"], "age_min": [0, 0],
         "population": [1000, 1000]}
    )  # fmt: skip
    tables = {"police_street": street, "population": population}

    def reader(name, processed_dir=None, columns=None, filters=None):
        if name not in tables:
            from sa_toolkit.errors import UserError

            raise UserError(f"no {name}")
        return tables[name][columns] if columns else tables[name]

    return DataSource(None, ["E01"], "X1", reader=reader)


def test_framework_compares_the_same_months_as_the_reports():
    from sa_toolkit.framework import build_framework

    # April 2023 and January 2025 missing: 10 months of each year compared
    street = _street(missing=("2023-04", "2025-01"))
    frame = build_framework(None, year="2024/25", data=_source(street)).set_index("indicator_id")
    row = frame.loc["violence_and_sexual_offences_rate"]
    # 10 months x 10 = 100 per 1,000 residents -> 10 months x 12 = 120: +20%
    assert row["baseline"] == pytest.approx(100.0) and row["actual"] == pytest.approx(120.0)
    assert row["change"] == pytest.approx(20.0)
    assert "Like for like: the same 10 months of 2023/24 and 2024/25" in row["comment"]
    assert "April 2023 and January 2025 missing from the police data" in row["comment"]
    # the overview's headline counts the same months: 100 -> 120 offences
    from sa_toolkit.analysis import overview as ov

    months = pd.period_range("2023-04", "2025-03", freq="M")
    cfg = SimpleNamespace(
        year=FY(2024), baseline_year=FY(2023), partnership_code="X1", raw_dir=None
    )
    data = ov.OverviewData(
        cfg, ov.street_month_counts(street, months, Coverage.of("police_street", street["month"].unique())),
        pd.Series(dtype="int64"), pd.Series(dtype="object"), pd.DataFrame(), {},
        coverage=Coverage.of("police_street", street["month"].unique()),
    )  # fmt: skip
    trend = ov.crime_trend(data)
    assert (trend["crime_last"], trend["crime_this"]) == (100, 120)
    # one note, the same words in the report and in the framework's comment
    assert trend["months_note"].rstrip(".") in row["comment"]
    assert row["comment"].count("Like for like") == 1
    # the chart series keeps the missing months missing
    assert np.isnan(trend["crime"][pd.Period("2025-01", "M")])


def test_framework_does_not_compare_too_few_common_months():
    from sa_toolkit.framework import build_framework

    missing = [str(m) for m in pd.period_range("2024-04", "2024-07", freq="M")]  # 8 left
    frame = build_framework(None, year="2024/25", data=_source(_street(missing=missing)))
    # neither year is computed over months the other lacks: the row is left out, with why
    assert "violence_and_sexual_offences_rate" not in set(frame["indicator_id"])
    reason = frame.attrs["not_computed"]["violence_and_sexual_offences_rate"]
    assert "2023/24 and 2024/25 not compared: only 8 calendar months" in reason


def test_overview_framework_table_keeps_its_columns_when_nothing_is_computed():
    """The crash of issue 9: police, lookup and population only, no indicator computed."""
    from sa_toolkit.analysis import overview as ov
    from sa_toolkit.framework import OUTPUT_COLUMNS
    from sa_toolkit.report_tables import html_table

    empty = pd.DataFrame(columns=OUTPUT_COLUMNS)
    empty.attrs["not_computed"] = {"NI16": "no data for 2024/25 in the police data"}
    shown = ov.framework_display(empty, 5)
    assert "Traffic light" in shown.columns and shown.empty
    html_table(shown, caption="Performance framework", rag_columns="Traffic light")
    assert ov.framework_not_computed(empty) == (
        "No performance indicator could be computed from the data supplied "
        "(no data for 2024/25 in the police data)."
    )


# ----------------------------------------------------------------------------- seasonality


def test_seasonality_from_complete_years_only():
    from sa_toolkit.analysis import anti_social_behaviour as asb

    # 2023/24 complete: April 24, every other month 12; 2024/25 lacks April (NaN), and
    # its other months are 100: it is left out entirely, so April is not averaged over
    # fewer years than the rest. April index = 24 / mean(24, 12 x 11) = 24 / 13 = 1.846
    months = pd.period_range("2023-04", "2025-03", freq="M")
    values = [24.0] + [12.0] * 11 + [np.nan] + [100.0] * 11
    season = asb.seasonality(pd.Series(values, index=months)).set_index("month")
    assert int(season["years"].iloc[0]) == 1
    assert season.loc["April", "index"] == pytest.approx(24 / 13)
    assert season.loc["May", "mean"] == 12.0


# ----------------------------------------------------------------------------- charts


def test_trend_chart_breaks_at_a_missing_month_and_marks_it():
    months = pd.period_range("2022-04", "2025-03", freq="M")
    counts = pd.Series(100.0, index=months)
    counts[pd.Period("2024-01", "M")] = np.nan
    fig = charts.monthly_trend(counts, **TITLE)
    ax = fig.axes[0]
    gap = pd.Timestamp("2024-01-01")
    for line in ax.get_lines():
        x = pd.DatetimeIndex(np.asarray(line.get_xdata()))
        y = np.asarray(line.get_ydata(), dtype=float)
        if len(x) == 0:
            continue
        assert np.isnan(y[x == gap]).all()  # a gap where the month is missing
        assert not (y == 0).any()  # never a zero
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert "No data" in texts
    assert "No data for the month" in [t.get_text() for t in ax.get_legend().get_texts()]
    # the 12-month average is not drawn over a window holding the gap (Jan 2024 to Dec 2024)
    average = ax.get_lines()[1]
    avg = pd.Series(np.asarray(average.get_ydata(), dtype=float), index=months)
    assert avg[pd.Period("2024-01", "M") : pd.Period("2024-12", "M")].isna().all()
    assert avg[pd.Period("2025-01", "M")] == 100.0
    # the year panel totals complete years only: 2023/24 (January missing) has no bar
    panel = fig.axes[1]
    labels = [t.get_text() for t in panel.get_xticklabels()]
    assert "2023/24" not in labels and "2024/25" in labels


# ----------------------------------------------------------------------------- real data


def _real_data() -> Path:
    for candidate in (REPO.parent / "shared" / "real-data", Path("/work/shared/real-data")):
        if (candidate / "police_uk").is_dir():
            return candidate
    pytest.skip("../shared/real-data is absent: the real data.police.uk download is not here")


@pytest.mark.slow
def test_real_download_coverage_names_the_missing_months(tmp_path):
    """The real Northumbria download (June 2013 to June 2014): 2013/14 lacks April and May."""
    from sa_toolkit.coverage import table_coverage
    from sa_toolkit.ingest import run_ingest

    zip_path = _real_data() / "police_uk" / "northumbria-2013-06-to-2014-06.zip"
    if not zip_path.is_file():
        pytest.skip(f"{zip_path} is absent")
    raw = tmp_path / "raw" / "police_uk"
    raw.mkdir(parents=True)
    os.symlink(zip_path, raw / zip_path.name)  # read in place, never copied
    run_ingest(tmp_path / "raw", tmp_path / "processed", datasets=["police_street"])
    cov = table_coverage("police_street", tmp_path / "processed")
    assert len(cov.months) == 13 and str(cov.months[0]) == "2013-06"
    assert cov.gaps.empty
    assert months_in_words(cov.missing_in(FY(2013))) == "April and May 2013"
    cmp = compare_years(cov, FY(2013))
    assert cmp.compared and cmp.n_months == 10 and not cmp.has_previous
    # 2014/15 holds April to June 2014 only: not totalled as a year
    assert not compare_years(cov, FY(2014)).compared


# ----------------------------------------------------------------------------- reports


def test_violent_crime_year_summary_counts_the_same_months():
    from sa_toolkit.analysis import violent_crime as vc
    from tests.test_analysis_violent_crime import _data, _incident

    # 2024/25: 2 offences a month; 2025/26: 3 a month; the source lacks May 2024 and
    # February 2026 -> 10 common months: 20 against 30 (not 22 against 33)
    held = _months("2024-04", "2026-03", ("2024-05", "2026-02"))
    rows = [
        _incident(str(m))
        for m in held
        for _ in range(2 if m.year * 12 + m.month < 2025 * 12 + 4 else 3)
    ]
    data = _data(rows)
    data.compare = compare_years(
        Coverage("police_street", pd.PeriodIndex(held, freq="M")), FY(2025)
    )
    summary = vc.year_summary(data).set_index("measure")
    vap = summary.loc["violence_against_the_person"]
    assert (vap["previous"], vap["actual"]) == (20, 30)
    assert "the same 10 months of 2024/25 and 2025/26" in data.months_note
    # the monthly chart series: the two missing months are NaN, the others counted
    monthly = vc.monthly_counts(data, "volume")
    assert monthly.loc[pd.Period("2024-05", "M")].isna().all()
    assert monthly.loc[pd.Period("2024-06", "M")].max() == 2


def test_asb_source_changes_like_for_like():
    from sa_toolkit.analysis import anti_social_behaviour as asb

    held = _months("2024-04", "2026-03", ("2025-08",))  # August missing from 2025/26
    rows = [
        {"month": m, "source": "police"}
        for m in held
        for _ in range(4 if m.year * 12 + m.month < 2025 * 12 + 4 else 5)
    ]
    frame = pd.DataFrame(rows)
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    cmp = compare_years(Coverage("police_street", pd.PeriodIndex(held, freq="M")), FY(2025))
    table = asb.source_changes(frame, FY(2025), True, cmp).set_index("source")
    # 11 common months: 44 against 55 (+25%), not 48 against 55
    assert (table.loc["police", "before"], table.loc["police", "after"]) == (44, 55)
    assert table.loc["all sources", "change"] == pytest.approx(25.0)
