"""``.xlsx`` workbooks as the validated reader's :class:`~sa_toolkit.ingest.reader.TextTable`.

Read with openpyxl in read-only mode with cached values (a formula is never evaluated or
kept, only the value Excel saved). Cells become the text a CSV saved by Excel would hold:
whole numbers without ``.0``, dates as ``YYYY-MM-DD`` (or ``YYYY-MM`` for a date shown
as a month, ``YYYY-MM-DD HH:MM`` with a time). The sheet is the first of the spec's
``sheet_names`` present, else the first sheet; title and note rows above the header are
skipped, and a sheet whose header cannot be found is refused with a clear message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence

from sa_toolkit.errors import InputFileError
from sa_toolkit.ingest.reader import TextTable, normalise_name

#: rows of a sheet searched for the header (below title and notes rows)
HEADER_SEARCH_ROWS = 20


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _date_text(value: dt.datetime | dt.date, number_format: str) -> str:
    """An Excel date as the text the templates use, following the cell's format."""
    fmt = _QUOTED.sub("", number_format or "").lower()
    if isinstance(value, dt.datetime):
        has_time = value.time() != dt.time(0) or "h" in fmt or "s" in fmt
        if has_time:
            pattern = "%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S"
            return value.strftime(pattern)
        value = value.date()
    if isinstance(value, dt.date) and "y" in fmt and "m" in fmt and "d" not in fmt:
        return value.strftime("%Y-%m")  # a month shown as e.g. "Apr-25"
    return value.isoformat()


def cell_text(value: object, number_format: str = "General") -> str:
    """One cell's value as text, as a CSV saved by Excel would hold it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return _date_text(value, number_format)
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _choose_sheet(workbook, sheet_names: Sequence[str]):
    by_name = {normalise_name(ws.title): ws for ws in workbook.worksheets}
    for name in sheet_names:
        if normalise_name(name) in by_name:
            return by_name[normalise_name(name)]
    return workbook.worksheets[0]


def read_workbook(
    raw: bytes,
    display: str,
    *,
    is_header: Callable[[list[str]], bool],
    expected: str,
    sheet_names: Sequence[str] = (),
) -> TextTable:
    """A sheet of an ``.xlsx`` workbook as a :class:`TextTable` (line numbers = rows).

    ``is_header(cells)`` recognises the header row; rows above it (titles, notes, merged
    title cells) are skipped when they hold at most two values, otherwise the workbook
    is refused naming the sheet and ``expected``.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputFileError(
            display,
            f"is not a readable Excel workbook ({type(exc).__name__})",
            expected="an .xlsx file saved by Excel, or a CSV file",
        ) from None
    try:
        if not workbook.worksheets:
            raise InputFileError(display, "has no worksheet")
        sheet = _choose_sheet(workbook, sheet_names)
        rows: list[list[str]] = []
        titles: list[str] = []
        header_row = None
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = [cell_text(c.value, getattr(c, "number_format", "General")) for c in cells]
            while texts and not texts[-1].strip():
                texts.pop()
            if header_row is not None:
                rows.append(texts)
                continue
            if not texts:
                continue  # a blank row above the table
            filled = [t.strip() for t in texts if t.strip()]
            if not is_header(texts) and len(filled) <= 2 and number < HEADER_SEARCH_ROWS:
                titles.append(" ".join(filled))  # a title or note above the table
                continue
            if not is_header(texts) and titles:
                raise _no_header(display, sheet.title, titles, expected)
            # the header, or a table whose header does not match (reported by the caller)
            header_row = number
            rows.append(texts)
    except InputFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputFileError(
            display, f"is not a readable Excel workbook ({type(exc).__name__})"
        ) from None
    finally:
        workbook.close()
    if header_row is None:
        if titles:
            raise _no_header(display, sheet.title, titles, expected)
        raise InputFileError(display, f"sheet '{sheet.title}' is empty", expected=expected)
    while len(rows) > 1 and not any(t.strip() for t in rows[-1]):
        rows.pop()
    width = len(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for texts in rows:
        # cells after the last one filled are blank, not missing fields
        writer.writerow(texts + [""] * (width - len(texts)))
    notes = [] if header_row == 1 else [f"header on row {header_row} below a title"]
    return TextTable(
        out.getvalue().encode("utf-8"),
        f"xlsx, sheet '{sheet.title}'",
        header_line=header_row,
        notes=notes,
    )


def _no_header(display: str, sheet: str, titles: list[str], expected: str) -> InputFileError:
    found = f"a title row '{titles[0][:60]}'" if titles else "no header row"
    return InputFileError(
        display,
        f"sheet '{sheet}': no header row found in the first {HEADER_SEARCH_ROWS} rows "
        "(the table must start with a row of column names; title rows above it are skipped)",
        expected=expected,
        found=found,
    )
