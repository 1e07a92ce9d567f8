"""The overview's sections (sa_toolkit.analysis.overview_report) on hand-built data.

Each section is checked for what a reader sees: its parts in order, captions, alt texts,
the notes shown when a year or a table is missing, and small counts suppressed. The
expected values are worked by hand from the frames built here.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from IPython.display import HTML, Markdown

from sa_toolkit.analysis import overview_report as report_sections
from sa_toolkit.analysis.overview_data import ASB, OverviewData
from sa_toolkit.analysis.overview_framework import framework_summary
from sa_toolkit.analysis.overview_matrix import priority_matrix
from sa_toolkit.analysis.overview_msg import msg_comparison
from sa_toolkit.analysis.overview_trend import crime_trend
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.periods import FinancialYear

YEAR = FinancialYear.parse("2025/26")


def _cfg(tmp_path, **extra):
    base = {
        "year": YEAR,
        "baseline_year": FinancialYear.parse("2024/25"),
        "partnership_code": "A",
        "partnership_name": "Borough A Community Safety Partnership",
        "partnership_short_name": "Borough A",
        "msg_members": ("A", "B", "C"),
        "region": "London",
        "processed_dir": tmp_path,
        "raw_dir": None,
        "significance_level": 0.05,
        "amber_tolerance": 2.0,
        "suppression_threshold": 5,
    }
    return SimpleNamespace(**{**base, **extra})


def _counts(first_month: str) -> pd.DataFrame:
    """Robbery 10 a month in 2024/25 and 12 a month in 2025/26; three bicycle thefts in
    2025/26 only (a small count); 20 ASB incidents every month."""
    months = pd.period_range(first_month, "2026-03", freq="M")
    this_year = months >= pd.Period("2025-04", "M")
    bicycles = [1 if m in ("2025-05", "2025-08", "2025-11") else 0 for m in months.astype(str)]
    return pd.DataFrame(
        {
            "Robbery": [12 if now else 10 for now in this_year],
            "Bicycle theft": bicycles,
            ASB: 20,
        },
        index=pd.PeriodIndex(months, name="month"),
    )


def _msg(last_year: bool = True) -> pd.DataFrame:
    # Three partnerships of 100,000 residents: 1,500, 2,000 and 1,300 offences this year.
    rows = []
    years = [("2025/26", (1500, 2000, 1300))]
    if last_year:
        years.append(("2024/25", (1400, 2100, 1200)))
    for fy, counts in years:
        for code, n in zip("ABC", counts, strict=True):
            rows.append(("csp", code, f"Area {code}", fy, "Robbery", n, 100_000))
    cols = ["area_type", "area_code", "area_name", "financial_year", "offence_group"]
    frame = pd.DataFrame(rows, columns=[*cols, "offences", "population"])
    return frame.astype({c: str for c in cols})


def _framework() -> pd.DataFrame:
    cols = ["indicator_id", "name", "priority", "baseline", "actual", "change", "change_unit",
            "rag", "rag_label", "target", "target_type", "significant", "p_value", "unit",
            "polarity", "value_source", "comment"]  # fmt: skip
    rows = [
        ["x_count", "Small count", "youth_crime", 3.0, 10.0, 233.3, "%", "R",
         "Red: getting worse", None, "none", "no", 0.1, "count", "lower_is_better",
         "computed from data", ""],
        ["NI3", "Better", "violent_crime", 10.0, 8.0, -20.0, "%", "G", "Green: improving",
         None, "none", "yes", 0.001, "rate_per_1000", "lower_is_better", "", ""],
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _report(tmp_path, *, first_month="2024-04", msg=None, msg_supplied=True, cost=None,
            framework=None, matrix=None, lsoa_counts=None, wards=None, **cfg_extra):  # fmt: skip
    cfg = _cfg(tmp_path, **cfg_extra)
    data = OverviewData(
        cfg,
        _counts(first_month),
        lsoa_counts if lsoa_counts is not None else pd.Series(dtype="int64"),
        wards if wards is not None else pd.Series(dtype="object"),
        msg if msg is not None else _msg(),
        {},
        msg_supplied=msg_supplied,
    )
    framework = framework if framework is not None else _framework()
    msg_table = msg_comparison(data.msg, cfg)
    return report_sections.OverviewReport(
        cfg=cfg,
        framework=framework,
        data=data,
        summary=framework_summary(framework),
        trend=crime_trend(data),
        msg_table=msg_table,
        cost=cost,
        matrix=matrix if matrix is not None else priority_matrix(data, msg_table, cost),
    )


def _html(part) -> str:
    return part.data if isinstance(part, HTML) else str(part)


# ----------------------------------------------------------------------------- framework


def test_framework_section_links_the_workbook_then_shows_the_table_with_small_counts_hidden(
    tmp_path,
):
    section = report_sections.framework_section(_report(tmp_path))
    downloads, table = section.parts
    assert isinstance(downloads, report_sections.FrameworkDownloads)
    text = _html(table)
    assert "Performance framework, Borough A, 2024/25 to 2025/26" in text
    assert "Counts below 5 are shown as &lt;5." in text
    # the small count's baseline (3) is shown as <5 and its change (+233.3%) is hidden
    assert ">&lt;5</td>" in text and "233.3" not in text
    # one green of two indicators, none worsened significantly (the red one is not
    # significant)
    assert "Of 2 performance indicators in 2025/26, 1 were green, 0 amber and 1 red" in text


def test_framework_section_without_indicators_says_why(tmp_path):
    empty = _framework().iloc[0:0]
    empty.attrs["not_computed"] = {"NI16": "no data for 2025/26 in the police data"}
    section = report_sections.framework_section(_report(tmp_path, framework=empty))
    assert len(section.parts) == 2
    assert _html(section.parts[1]) == (
        "<p class='sa-missing'>No performance indicator could be computed from the data "
        "supplied (no data for 2025/26 in the police data).</p>"
    )


def test_framework_downloads_write_the_workbook_and_link_the_measures_only_when_written(
    tmp_path, monkeypatch
):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *parts, **_: shown.extend(parts))
    downloads = report_sections.FrameworkDownloads(_framework(), 5, _cfg(tmp_path))
    downloads.show_in(tmp_path)
    assert (tmp_path / "performance_framework.xlsx").is_file()
    assert [_html(p) for p in shown] == [
        '<p><a href="performance_framework.xlsx" download>Download the performance framework '
        "(Excel, 2 indicators)</a></p>"
    ]
    shown.clear()
    (tmp_path / "measures.xlsx").write_bytes(b"")  # as sa run writes it beside the reports
    downloads.show_in(tmp_path)
    assert len(shown) == 2
    assert '<a href="measures.xlsx" download>Download every measure' in _html(shown[1])


# ----------------------------------------------------------------------------- MSG


def test_msg_section_without_the_table_gives_the_not_supplied_note(tmp_path):
    section = report_sections.msg_section(_report(tmp_path, msg_supplied=False))
    (note,) = section.parts
    assert "Most Similar Group (MSG) recorded crime table was not supplied, so the Most " in note
    assert "Similar Group comparison and its funnel plot cannot be shown." in note
    assert not section.charts()


def test_msg_section_table_and_funnel_with_its_alt_text(tmp_path):
    section = report_sections.msg_section(_report(tmp_path))
    table, funnel, how_to_read = section.parts
    assert "Borough A against its Most Similar Group: rates per 1,000 residents, rank and % " in (
        _html(table)
    )
    assert "change in offences, 2024/25 and 2025/26" in _html(table)
    assert isinstance(funnel, Chart) and funnel.name == "00_overview_msg_funnel"
    # A: 1,500 per 100,000 = 15.0 per 1,000; group 4,800 per 300,000 = 16.0; B (20.0) is
    # highest, so A ranks 2nd
    assert funnel.alt.startswith(
        "Funnel plot of recorded crime rates for the 3 Most Similar Group partnerships in "
        "2025/26: Borough A at 15.0 per 1,000 is "
    )
    assert funnel.alt.endswith("the group average of 16.0, ranked 2nd (1 = highest rate).")
    assert funnel.arguments["highlight"] == "Area A"
    assert list(funnel.arguments["points"]["value"]) == pytest.approx([15.0, 20.0, 13.0])
    assert _html(how_to_read).startswith("<p class='note'>How to read this chart:")


def test_msg_section_without_last_year_says_so_and_keeps_this_years_columns(tmp_path):
    section = report_sections.msg_section(_report(tmp_path, msg=_msg(last_year=False)))
    note, table = section.parts[:2]
    assert _html(note) == (
        "<p class='sa-missing'>Change on 2024/25 not available: no data for 2024/25.</p>"
    )
    assert "Most Similar Group: rates per 1,000 residents and rank, 2025/26" in _html(table)
    assert "Rank 2024/25" not in _html(table)


# ----------------------------------------------------------------------------- trend and mix


def test_trend_section_compares_the_two_years_and_hides_the_small_count(tmp_path):
    section = report_sections.trend_section(_report(tmp_path))
    chart, months_note, table = section.parts
    assert chart.name == "00_overview_crime_trend"
    # crime 2024/25: 12 x 10 = 120; 2025/26: 12 x 12 + 3 = 147; ASB 12 x 20 = 240 each year
    assert chart.alt == (
        "Line chart of monthly recorded crime and police-recorded anti-social behaviour in "
        "Borough A, April 2024 to March 2026, with 12-month averages and financial-year "
        "totals: 147 offences in 2025/26 against 120 in 2024/25; 240 anti-social behaviour "
        "incidents against 240."
    )
    # 120 -> 147 is +22.5%, rounded "rose 23%"; ASB level
    assert chart.arguments["title"] == (
        "Recorded crime rose 23% and police-recorded anti-social behaviour was about level "
        "in 2025/26"
    )
    assert _html(months_note) == ""  # both years complete: nothing to say
    text = _html(table)
    assert "Recorded crime by type, Borough A, 2024/25 and 2025/26" in text
    # bicycle theft: 3 this year is shown as <5, its change and share as [c]
    row = text[text.index("Bicycle theft") :].split("</tr>")[0]
    assert "&lt;5" in row and row.count("[c]") == 2 and ">3<" not in row
    # robbery 120 -> 144: +20%, 144 of 147 = 98.0% of recorded crime
    robbery = text[text.index("Robbery") :].split("</tr>")[0]
    assert "+20%" in robbery and "98.0%" in robbery


def test_trend_section_without_last_year_says_so(tmp_path):
    # the police data begin with the assessed year: last year is unknown, not zero
    section = report_sections.trend_section(_report(tmp_path, first_month="2025-04"))
    chart, months_note, not_compared, table = section.parts
    assert chart.alt.endswith(
        "147 offences in 2025/26 and 240 anti-social behaviour incidents (no data for 2024/25)."
    )
    assert _html(not_compared) == (
        "<p class='sa-missing'>Change on 2024/25 not available: no data for 2024/25.</p>"
    )
    assert "Recorded crime by type, Borough A, 2025/26</caption>" in _html(table)


def test_trend_chart_alt_text_says_why_last_year_is_not_compared_and_hides_small_totals(
    tmp_path,
):
    report = _report(tmp_path, first_month="2025-04")
    trend = {**report.trend, "too_few_months": True, "asb_this": 3}
    chart = report_sections.trend_chart(trend, report.cfg)
    # months in both years too few to compare: not "no data"; 3 incidents: fewer than 5
    assert chart.alt.endswith(
        "147 offences in 2025/26 and fewer than 5 anti-social behaviour incidents (too few "
        "months to compare for 2024/25)."
    )


# ----------------------------------------------------------------------------- cost


def test_cost_section_without_an_estimate_gives_the_reason(tmp_path):
    report = _report(tmp_path)
    report.data.cost_reason = "no police data from 2024/25 to 2025/26 <all>"
    (note,) = report_sections.cost_section(report).parts
    assert isinstance(note, HTML)
    assert note.data == (
        "<p>The cost of crime could not be estimated: no police data from 2024/25 to 2025/26 "
        "&lt;all&gt;.</p>"
    )


def test_cost_section_chart_alt_text_and_table_notes(tmp_path):
    years = ["2024/25", "2025/26"]
    table = pd.DataFrame({"2024/25": [10e6], "2025/26": [11e6]}, index=["Robbery"])
    table.index.name = "crime_type"
    cost = {
        "table": table[years],
        "total": table[years].sum(),
        "price_year": "2025/26",
        "price_note": "",
        "first": "2024/25",
        "last": "2025/26",
        "change": 10.0,
        "partial": {},
        "uncosted": ["Bicycle theft"],
        "cost_source": ["Home Office (2018)"],
        "unverified": "",
        "unit_cost": pd.Series({"Robbery": 12_000.0}),
        "lower_bound": [],
    }
    chart, shown = report_sections.cost_section(_report(tmp_path, cost=cost)).parts
    assert chart.name == "00_overview_cost_of_crime"
    assert chart.alt == (
        "Stacked bar chart of the estimated cost of crime by offence group from 2024/25 to "
        "2025/26 at 2025/26 prices. The estimated cost of crime rose 10% between 2024/25 and "
        "2025/26 (£10.0m to £11.0m at 2025/26 prices)."
    )
    text = _html(shown)
    assert "Estimated cost of crime by offence group, £ million at 2025/26 prices, Borough A" in (
        text
    )
    assert "Not costed (no Home Office unit cost): Bicycle theft." in text
    assert "Unit costs: Home Office (2018)." in text
    assert "£11.0m" in text


# ----------------------------------------------------------------------------- matrix, close


def test_matrix_section_has_the_key_and_the_suppression_note(tmp_path):
    matrix = pd.DataFrame(
        {
            "category": ["Robbery"], "count": [3], "share": [100.0], "cost_per_offence": [15e3],
            "trend": ["no significant change"], "msg_rank": ["n/a"],
            "peer_comparison": ["no peer data"], "volume_score": [3], "harm_score": [3],
            "trend_score": [2], "peer_score": [pd.NA], "total_score": [8], "out_of": [9],
            "average_score": [8 / 9], "priority": ["High"], "not_measured": ["peer position"],
        }
    )  # fmt: skip
    (table,) = report_sections.matrix_section(_report(tmp_path, matrix=matrix)).parts
    text = _html(table)
    assert "Priority-setting matrix, Borough A, 2025/26" in text
    assert "Each dimension scores 1 to 3" in text
    # three offences: shown as <5 and the share they make as [c]
    assert ">&lt;5</td>" in text and "3 ([c])" in text


def test_recommendations_name_high_priorities_and_the_wards_with_most_crime(tmp_path):
    matrix = pd.DataFrame({"category": ["Robbery", ASB], "priority": ["High", "Medium"]})
    report = _report(
        tmp_path,
        matrix=matrix,
        lsoa_counts=pd.Series({"L1": 30, "L2": 10}),
        wards=pd.Series({"L1": "North", "L2": "South"}),
    )
    (block,) = report_sections.recommendations(report).parts
    text = str(block)
    assert "The matrix suggests the rolling plan keep or add as priorities: robbery" in text
    # North holds 30 of 40 offences: 75%
    assert "North (75% of recorded crime)" in text


def test_geography_section_with_and_without_notes(tmp_path, monkeypatch):
    (plain,) = report_sections.geography_section(_report(tmp_path)).parts
    assert isinstance(plain, Markdown)
    assert plain.data == (
        "Every police record with a location lies in an LSOA of the geography lookup."
    )
    monkeypatch.setattr(
        "sa_toolkit.geography.reader_notes", lambda *_: ["Places are wards.", "12 outside."]
    )
    (listed,) = report_sections.geography_section(_report(tmp_path)).parts
    assert listed.data == "- Places are wards.\n- 12 outside."


def test_every_section_shows_something(tmp_path):
    report = _report(tmp_path)
    for section in (
        report_sections.framework_section(report),
        report_sections.msg_section(report),
        report_sections.trend_section(report),
        report_sections.cost_section(report),
        report_sections.matrix_section(report),
        report_sections.recommendations(report),
        report_sections.geography_section(report),
    ):
        assert isinstance(section, Section) and section


def test_framework_sentence_claims_nothing_when_nothing_was_judged():
    from sa_toolkit.analysis.overview_framework import framework_sentence

    base = {"indicators": 9, "green": 0, "amber": 0, "red": 0, "not_rated": 9, "worsened": []}
    unjudged = framework_sentence({**base, "assessed": 0}, "2013/14")
    assert "none worsened" not in unjudged
    assert unjudged.endswith("none could be compared with the baseline or a target.")
    judged = framework_sentence({**base, "assessed": 3}, "2013/14")
    assert judged.endswith("; none worsened significantly.")
    worse = framework_sentence({**base, "assessed": 3, "worsened": ["Robbery (+21%)"]}, "2013/14")
    assert worse.endswith("; 1 worsened significantly.")
