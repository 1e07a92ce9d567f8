"""The formatted performance framework workbook, read back with openpyxl (issue 11 item 4)."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
import yaml

from sa_toolkit.framework import OUTPUT_COLUMNS, write_framework
from sa_toolkit.framework_workbook import WorkbookTitle
from sa_toolkit.indicators.catalogue import CATALOGUE_PATH
from sa_toolkit.report_tables import RAG_CHIP
from sa_toolkit.traffic_lights import rule_text

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def _row(**values) -> dict:
    row = dict.fromkeys(OUTPUT_COLUMNS, "")
    row.update(
        change=None, p_value=None, target=None, target_type="none", polarity="lower_is_better"
    )
    row.update(values)
    return row


@pytest.fixture
def frame() -> pd.DataFrame:
    rows = [
        _row(indicator_id="robbery_rate", name="Robbery rate per 1,000 residents",
             priority="violent_crime", baseline=0.8123, actual=26.2640279364165, change=3133.4,
             change_unit="%", rag="R", rag_label="Red: worse, significant change",
             significant="yes", p_value=0.000123, unit="rate_per_1000",
             value_source="computed from data"),
        _row(indicator_id="NI15", name="Serious violent crime rate per 1,000 population",
             priority="violent_crime", baseline=1234.0, actual=1100.0, change=-10.86,
             change_unit="%", rag="G", rag_label="Green: better, significant change",
             significant="yes", p_value=0.01, unit="count", target=-5.0,
             target_type="relative_change"),
        _row(indicator_id="LOCAL1", name="Residents feeling safe after dark",
             priority="safer_communities", baseline=51.04, actual=49.46, change=-1.58,
             change_unit="pp", rag="A", rag_label="Amber: change not significant",
             significant="no", p_value=0.4, unit="percent", polarity="higher_is_better"),
        _row(indicator_id="LOCAL2", name="Gun crime", priority="violent_crime", baseline="<5",
             actual=12.0, rag="", rag_label="No rating: count too small", unit="count",
             comment="=1+1"),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)


TITLE = WorkbookTitle(
    partnership="Demo Borough Community Safety Partnership",
    year="2025/26",
    baseline_year="2024/25",
    rule=rule_text(5, 0.05),
    threshold=5,
    demo_notice="Synthetic demo data.",
)


def test_formatted_workbook_reads_back_as_the_board_sees_it(tmp_path, frame):
    path = write_framework(frame, tmp_path / "performance_framework.xlsx", title=TITLE)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Performance framework", "Unrounded", "Notes"]
    sheet = book["Performance framework"]
    title = sheet["A1"].value
    assert "Demo Borough Community Safety Partnership" in title and "2025/26" in title
    assert "Performance framework" in title and sheet["A1"].font.bold
    assert sheet["A3"].value == "Synthetic demo data."
    headers = [c.value for c in sheet[4]]
    assert headers == [
        "Priority", "Indicator", "Unit", "Baseline (2024/25)", "Actual (2025/26)", "Change",
        "Traffic light", "Assessment", "Target", "Significant change", "Comment", "Source",
    ]  # fmt: skip
    assert sheet.freeze_panes == "C5"
    assert sheet.column_dimensions["B"].width >= 30
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=5)}
    assert len(rows) == 4
    robbery = rows["Robbery rate per 1,000 residents"]
    # rounded as the priority reports show a rate: two decimals, with a thousands separator
    assert robbery[4].value == 26.26 and robbery[4].number_format == "#,##0.00"
    assert robbery[3].value == 0.81
    assert robbery[2].value == "Rate per 1,000 residents"
    assert robbery[5].value == 3133.4 and robbery[5].number_format.startswith('+0.0"%"')
    assert robbery[7].value == "worse, significant change"
    serious = rows["Serious violent crime rate per 1,000 population (formerly NI 15)"]
    assert serious[3].value == 1234 and serious[3].number_format == "#,##0"
    assert serious[5].value == -10.9 and serious[8].value == "-5%"
    assert "National Indicator Set" in serious[11].value  # the catalogue's source
    safe = rows["Residents feeling safe after dark"]
    assert safe[4].value == 49.5 and safe[4].number_format == '0.0"%"'
    assert safe[5].number_format.startswith('+0.0" pp"')
    gun = rows["Gun crime"]
    assert gun[3].value == "<5" and gun[3].alignment.horizontal == "right"
    assert gun[10].value == "=1+1" and gun[10].data_type == "s" and gun[10].quotePrefix
    # traffic lights: the word and the reports' fill colour, its text colour for contrast
    for row, word in ((robbery, "Red"), (serious, "Green"), (safe, "Amber"), (gun, "Not rated")):
        cell = row[6]
        fill, colour = RAG_CHIP[word]
        assert cell.value == word
        assert cell.fill.fgColor.rgb[-6:] == fill.lstrip("#")
        assert cell.font.color.rgb[-6:] == colour.lstrip("#")
    # no snake_case anywhere a reader looks on the main sheet
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                assert not SNAKE.search(cell.value), cell.value


def test_unrounded_sheet_and_notes(tmp_path, frame):
    path = write_framework(frame, tmp_path / "fw.xlsx", title=TITLE)
    book = openpyxl.load_workbook(path)
    raw = book["Unrounded"]
    assert raw.freeze_panes == "B5"
    values = {r[0].value: r for r in raw.iter_rows(min_row=5)}
    robbery = values["Robbery rate per 1,000 residents"]
    assert robbery[3].value == pytest.approx(26.2640279364165, abs=1e-12)
    assert robbery[6].value == pytest.approx(0.000123)
    assert [c.value for c in raw[4]][5] == "Change measured in"
    notes = book["Notes"]
    text = [c.value for row in notes.iter_rows() for c in row if isinstance(c.value, str)]
    assert rule_text(5, 0.05) in text
    assert any(t.startswith("A count from 1 to 4") for t in text)
    # definitions from the catalogue, as published there
    catalogue = {e["id"]: e for e in yaml.safe_load(CATALOGUE_PATH.read_text())["indicators"]}
    definition = " ".join(catalogue["robbery_rate"]["definition"].split())
    assert definition in text
    assert "Lower is better" in text
    for value in text:
        assert not SNAKE.search(value), value


def test_without_a_title_the_plain_table_is_kept(tmp_path, frame):
    path = write_framework(frame, tmp_path / "plain.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]][:3] == ["indicator_id", "name", "priority"]
