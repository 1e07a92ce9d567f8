"""The performance framework as a formatted Excel workbook, for the board and partners.

``performance_framework.xlsx`` (``sa run`` beside the overview; ``sa framework --out
FILE.xlsx``) has three sheets:

- **Performance framework**: a title (partnership, year, "Performance framework"), a
  line saying what is compared, column headers in plain words with the years, values
  rounded as the reports show them (counts whole, rates and percentages to one decimal,
  with number formats: ``1,234``, ``26.26``, ``45.0%``, ``+3.1 pp``), each indicator's unit
  and source, traffic lights as their word *and* a fill colour (the reports' chips, whose
  text contrast is checked), the header row and the indicator columns frozen, column
  widths set, long text wrapped and a filter on the headers;
- **Unrounded**: the same indicators at full precision, with the p-value, for an analyst
  who recomputes or charts them;
- **Notes**: the traffic-light rule (:func:`sa_toolkit.traffic_lights.rule_text`), what
  the symbols mean and each indicator's definition, numerator, denominator and source.

Every cell goes through :func:`sa_toolkit.safe_output.write_cell`: text from partner
files (names, comments) is never a formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sa_toolkit.safe_output import write_cell

SHEET = "Performance framework"
UNROUNDED_SHEET = "Unrounded"
NOTES_SHEET = "Notes"
HEADER_ROW = 4  # title, what is compared, the demo notice (or blank), then the headers

#: the unit as a reader says it
UNIT_WORDS = {
    "count": "Number",
    "rate_per_1000": "Rate per 1,000 residents",
    "rate_per_10000": "Rate per 10,000 residents",
    "rate_per_100000": "Rate per 100,000 residents",
    "percent": "Percentage",
    "ratio": "Ratio",
}
POLARITY_WORDS = {
    "lower_is_better": "Lower is better",
    "higher_is_better": "Higher is better",
    "none": "Neither (context)",
}
TARGET_TYPE_WORDS = {
    "relative_change": "Change in per cent",
    "point_change": "Change in percentage points",
    "level": "Level",
    "none": "No target",
}
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
#: decimals shown (and kept on the main sheet) per unit, as each priority report's framework
#: table shows them (sa_toolkit.analysis.priority_framework.framework_table): counts whole,
#: percentages to one decimal, rates and ratios to two (a gun crime rate of 0.03 per 1,000
#: would read 0.0 at one)
DECIMALS = {"count": 0, "percent": 1}
NUMBER_FORMATS = {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00"}
PERCENT_FORMAT = '0.0"%"'
CHANGE_FORMATS = {
    "%": '+0.0"%";-0.0"%";0.0"%"',
    "pp": '+0.0" pp";-0.0" pp";0.0" pp"',
}
TITLE_FILL = "F3F2F1"


@dataclass(frozen=True)
class WorkbookTitle:
    """What the workbook is about: who, which years, and how the lights were set."""

    partnership: str
    year: str
    baseline_year: str
    rule: str
    threshold: int = 0
    demo_notice: str = ""


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _decimals(unit: str) -> int:
    return DECIMALS.get(unit, 2)


def shown_value(value, unit: str):
    """A value as the reports show it: rounded numbers, text (``<5``, ``tbc``) as it is."""
    if _missing(value):
        return None
    if isinstance(value, str):
        return value
    return round(float(value), _decimals(unit))


def number_format(unit: str) -> str:
    return PERCENT_FORMAT if unit == "percent" else NUMBER_FORMATS[_decimals(unit)]


def _indicator(row) -> str:
    from sa_toolkit.analysis.overview import indicator_label

    return indicator_label(str(row["indicator_id"]), str(row["name"]))


def _priority(value) -> str:
    from sa_toolkit.priorities import PRIORITY_NAMES

    return PRIORITY_NAMES.get(str(value), str(value).replace("_", " ").capitalize())


def _assessment(label) -> str:
    text = "" if _missing(label) else str(label)
    return text.split(": ", 1)[1] if ": " in text else text


def _catalogue() -> pd.DataFrame:
    from sa_toolkit.indicators.catalogue import load_catalogue

    return load_catalogue()


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    return Alignment, Border, Font, PatternFill, Side


def _title_block(sheet, title: WorkbookTitle, heading: str, line: str, width: int) -> None:
    _, _, Font, _, _ = _styles()
    write_cell(sheet, 1, 1, f"{title.partnership}: {heading}, {title.year}")
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    write_cell(sheet, 2, 1, line)
    sheet.cell(2, 1).font = Font(italic=True, color="505A5F")
    if title.demo_notice:
        write_cell(sheet, 3, 1, title.demo_notice)
        sheet.cell(3, 1).font = Font(bold=True, color="D4351C")
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _header_row(sheet, headers: list[str], widths: list[float]) -> None:
    Alignment, Border, Font, PatternFill, Side = _styles()
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        write_cell(sheet, HEADER_ROW, col, text)
        cell = sheet.cell(HEADER_ROW, col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=TITLE_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        cell.border = Border(bottom=Side(style="medium", color="0B0C0C"))
        sheet.column_dimensions[cell.column_letter].width = width


def _rag_cell(cell, rag: str) -> None:
    from sa_toolkit.report_tables import RAG_CHIP

    _, _, Font, PatternFill, _ = _styles()
    label = RAG_WORDS.get(str(rag), "Not rated")
    fill, colour = RAG_CHIP[label]
    cell.value = label
    cell.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
    cell.font = Font(bold=True, color=colour.lstrip("#"))


def _main_sheet(sheet, frame: pd.DataFrame, title: WorkbookTitle, sources: dict) -> None:
    Alignment, _, _, _, _ = _styles()
    headers = [
        "Priority", "Indicator", "Unit", f"Baseline ({title.baseline_year})",
        f"Actual ({title.year})", "Change", "Traffic light", "Assessment", "Target",
        "Significant change", "Comment", "Source",
    ]  # fmt: skip
    widths = [22, 44, 16, 14, 14, 11, 13, 40, 16, 13, 40, 50]
    _title_block(
        sheet,
        title,
        "Performance framework",
        f"Each indicator in {title.year} against the baseline year {title.baseline_year}. "
        "Values are rounded as the reports show them (full precision: the Unrounded sheet); "
        "the traffic-light rule and definitions are in the Notes sheet.",
        len(headers),
    )
    _header_row(sheet, headers, widths)
    from sa_toolkit.framework import format_target

    for r, (_, row) in enumerate(frame.iterrows(), start=HEADER_ROW + 1):
        unit = str(row["unit"])
        change_unit = "pp" if row["change_unit"] == "pp" else "%"
        values = [
            _priority(row["priority"]),
            _indicator(row),
            UNIT_WORDS.get(unit, unit),
            shown_value(row["baseline"], unit),
            shown_value(row["actual"], unit),
            None if _missing(row["change"]) else round(float(row["change"]), 1),
            None,
            _assessment(row["rag_label"]),
            format_target(row["target"], row["target_type"], unit),
            "" if _missing(row["significant"]) else str(row["significant"]).capitalize(),
            "" if _missing(row["comment"]) else str(row["comment"]),
            sources.get(str(row["indicator_id"]), _value_source(row)),
        ]
        for c, value in enumerate(values, start=1):
            write_cell(sheet, r, c, value)
            sheet.cell(r, c).alignment = Alignment(vertical="top", wrap_text=c in (2, 8, 11, 12))
        for c in (4, 5):
            cell = sheet.cell(r, c)
            if isinstance(cell.value, float | int):
                cell.number_format = number_format(unit)
            cell.alignment = Alignment(horizontal="right", vertical="top")
        sheet.cell(r, 6).number_format = CHANGE_FORMATS[change_unit]
        _rag_cell(sheet.cell(r, 7), row["rag"])
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)  # headers and the indicator stay put
    last = HEADER_ROW + max(len(frame), 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{sheet.cell(last, len(headers)).coordinate}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1


def _value_source(row) -> str:
    text = "" if _missing(row.get("value_source")) else str(row["value_source"])
    return text[:1].upper() + text[1:]


def _unrounded_sheet(sheet, frame: pd.DataFrame, title: WorkbookTitle) -> None:
    Alignment, _, _, _, _ = _styles()
    headers = [
        "Indicator", "Unit", f"Baseline ({title.baseline_year})", f"Actual ({title.year})",
        "Change", "Change measured in", "p-value of the change", "Significant change",
        "Target", "Target type", "Traffic light",
    ]  # fmt: skip
    widths = [44, 16, 16, 16, 12, 20, 14, 13, 12, 24, 13]
    _title_block(
        sheet,
        title,
        "Performance framework, unrounded",
        "The same indicators at full precision, for analysis; the reports round them.",
        len(headers),
    )
    _header_row(sheet, headers, widths)
    for r, (_, row) in enumerate(frame.iterrows(), start=HEADER_ROW + 1):
        unit = str(row["unit"])
        values = [
            _indicator(row),
            UNIT_WORDS.get(unit, unit),
            None if _missing(row["baseline"]) else row["baseline"],
            None if _missing(row["actual"]) else row["actual"],
            None if _missing(row["change"]) else float(row["change"]),
            {"pp": "Percentage points", "%": "Per cent"}.get(str(row["change_unit"]), ""),
            None if _missing(row["p_value"]) else float(row["p_value"]),
            "" if _missing(row["significant"]) else str(row["significant"]).capitalize(),
            None if _missing(row["target"]) else row["target"],
            TARGET_TYPE_WORDS.get(str(row["target_type"]), str(row["target_type"])),
            RAG_WORDS.get(str(row["rag"]), "Not rated"),
        ]
        for c, value in enumerate(values, start=1):
            write_cell(sheet, r, c, value)
            sheet.cell(r, c).alignment = Alignment(vertical="top", wrap_text=c == 1)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)


def _notes_sheet(sheet, frame: pd.DataFrame, title: WorkbookTitle) -> None:
    Alignment, _, Font, _, _ = _styles()
    sheet.column_dimensions["A"].width = 44
    for letter, width in zip("BCDEFG", (60, 36, 36, 22, 18, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    write_cell(sheet, 1, 1, f"{title.partnership}: performance framework notes, {title.year}")
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    row = 3
    symbols = [
        ("Traffic lights", title.rule),
        (
            "Colours",
            "Each traffic light is written as a word (Green, Amber, Red, Not rated) and its "
            "cell filled in the reports' colours: the word carries the meaning, the colour "
            "repeats it.",
        ),
        ("pp", "Percentage points: the change of a percentage."),
    ]
    if title.threshold > 1:
        symbols.append(
            (
                f"<{title.threshold}",
                f"A count from 1 to {title.threshold - 1}, not shown to protect privacy; the "
                "change of such a row is not shown either.",
            )
        )
    if title.demo_notice:
        symbols.insert(0, ("Synthetic demo data", title.demo_notice))
    for term, text in symbols:
        write_cell(sheet, row, 1, term)
        write_cell(sheet, row, 2, text)
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 1).alignment = Alignment(vertical="top")
        sheet.row_dimensions[row].height = 15 * max(1, math.ceil(len(text) / 150))
        row += 1
    row += 1
    write_cell(sheet, row, 1, "Definitions")
    sheet.cell(row, 1).font = Font(bold=True, size=12)
    row += 1
    headers = ["Indicator", "Definition", "Numerator", "Denominator", "Unit", "Better when",
               "Source"]  # fmt: skip
    for c, text in enumerate(headers, start=1):
        write_cell(sheet, row, c, text)
        sheet.cell(row, c).font = Font(bold=True)
    catalogue = _catalogue()
    for _, indicator in frame.drop_duplicates("indicator_id").iterrows():
        key = str(indicator["indicator_id"])
        if key not in catalogue.index:
            continue
        entry = catalogue.loc[key]
        row += 1
        values = [
            _indicator(indicator),
            entry["definition"],
            entry["numerator"],
            entry["denominator"],
            UNIT_WORDS.get(str(entry["unit"]), str(entry["unit"])),
            POLARITY_WORDS.get(str(entry["polarity"]), str(entry["polarity"])),
            entry["source"],
        ]
        for c, value in enumerate(values, start=1):
            write_cell(sheet, row, c, "" if _missing(value) else " ".join(str(value).split()))
            sheet.cell(row, c).alignment = Alignment(wrap_text=True, vertical="top")


def write_workbook(frame: pd.DataFrame, path: str | Path, title: WorkbookTitle) -> Path:
    """Write the formatted framework workbook (rows as published: small counts hidden)."""
    from openpyxl import Workbook

    catalogue = _catalogue()
    sources = {
        str(key): " ".join(str(value).split())
        for key, value in catalogue["source"].items()
        if not _missing(value)
    }
    path = Path(path)
    book = Workbook()
    main = book.active
    main.title = SHEET
    _main_sheet(main, frame, title, sources)
    _unrounded_sheet(book.create_sheet(UNROUNDED_SHEET), frame, title)
    _notes_sheet(book.create_sheet(NOTES_SHEET), frame, title)
    book.save(path)
    return path
