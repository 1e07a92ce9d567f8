"""Spreadsheet output that never carries a live formula (CSV / formula injection).

Text in the toolkit's outputs comes from partner extracts and entered values: a name
``=HYPERLINK("http://...","click")`` or a comment ``=1+1`` must reach a partner's Excel
as the text it is, not as a formula that runs. As OWASP recommends
(https://owasp.org/www-community/attacks/CSV_Injection), a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised:

- **Excel workbooks** (:func:`write_xlsx`): every text cell is stored as a string (never
  a formula) with Excel's "quote prefix" (what Excel itself does when a user types
  ``'=1+1``), so the cell shows the text unchanged and stays text when edited.
- **CSV** (:func:`write_csv`, :func:`write_polars_csv`): such a cell is written with a
  leading single quote (``'=1+1``), quoted as CSV requires, so Excel opens it as text.

Numbers stay numbers: only text cells are touched, and a text cell that is a plain
number (``-5``, ``+1.5``) cannot run anything and is left as it is.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # polars is imported where a polars frame is written (ingest), not in
    import polars as pl  # every report kernel that writes a table (0.25-0.45 s each)

#: first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_RE = r"^[=+\-@\t\r]"
_PLAIN_NUMBER_RE = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_PLAIN_NUMBER = re.compile(_PLAIN_NUMBER_RE)


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text)


def neutralise(value: object) -> object:
    """``value`` safe for a CSV cell: dangerous text gets a leading ``'``; others unchanged."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe for CSV."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            out[column] = values.map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, **kwargs) -> Path:
    """``frame.to_csv(path, index=False)`` with every text cell neutralised."""
    path = Path(path)
    neutralise_frame(frame).to_csv(path, index=False, **kwargs)
    return path


def neutralise_polars(frame: pl.DataFrame) -> pl.DataFrame:
    """A polars frame whose text columns are safe for CSV (vectorised)."""
    import polars as pl

    text = [n for n, t in frame.schema.items() if t == pl.String]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(n).str.contains(_TRIGGER_RE) & ~pl.col(n).str.contains(_PLAIN_NUMBER_RE))
        .then(pl.lit("'") + pl.col(n))
        .otherwise(pl.col(n))
        .alias(n)
        for n in text
    )


def write_polars_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    """``frame.write_csv(path)`` with every text cell neutralised."""
    path = Path(path)
    neutralise_polars(frame).write_csv(path)
    return path


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return str(value)


def write_cell(sheet, row: int, col: int, value: object) -> None:
    """Set one worksheet cell so that it is never a formula.

    Text is stored as a string (with Excel's quote prefix when it starts like a formula,
    control characters shown as U+FFFD), numbers and booleans as themselves, blanks
    (None, NaN) as an empty cell.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = _cell_value(value)
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, str):
        # control characters are not allowed in a workbook: shown as U+FFFD
        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        # openpyxl reads a leading "=" as a formula: store the text as text
        cell.data_type = "s"
        if is_dangerous(value):
            cell.quotePrefix = True
    else:
        cell.value = value


def write_xlsx(frame: pd.DataFrame, path: str | Path, sheet_name: str = "Sheet1") -> Path:
    """Write ``frame`` (no index) to an ``.xlsx`` workbook in which no cell is a formula.

    Every text cell, header included, is stored as a string with Excel's quote prefix
    when it starts like a formula; numbers and booleans are stored as numbers and
    booleans; blanks (None, NaN) as empty cells.
    """
    from openpyxl import Workbook

    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]

    def put(row: int, col: int, value: object) -> None:
        write_cell(sheet, row, col, value)

    for j, name in enumerate(frame.columns, start=1):
        put(1, j, str(name))
    for i, record in enumerate(frame.itertuples(index=False, name=None), start=2):
        for j, value in enumerate(record, start=1):
            put(i, j, value)
    workbook.save(path)
    return path
