"""HTML tables for the rendered reports.

Tables show aggregates only (each is checked with
:func:`sa_toolkit.disclosure.check_no_identifiers`), have a caption, column headers
marked up for screen readers, no bare index column, numbers with thousands separators
aligned right, the first column as row headers (``<th scope="row">``), and traffic lights shown as a coloured chip that always carries its text
("Red", "Amber", "Green"). Styles are inline so that a table looks the same in any
template; ``sa_toolkit/templates/report.css`` adds optional refinements.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from sa_toolkit.disclosure import SECONDARY_MARKER, check_no_identifiers
from sa_toolkit.errors import ArgumentError
from sa_toolkit.findings import HtmlBlock, format_number

#: Chip background and text colour per traffic light (text contrast at least 4.5:1,
#: WCAG 2.2 AA; tests/test_reporting_findings.py checks it).
RAG_CHIP = {
    "Red": ("#D4351C", "#FFFFFF"),
    "Amber": ("#F47738", "#0B0C0C"),
    "Green": ("#00703C", "#FFFFFF"),
    "Not rated": ("#505A5F", "#FFFFFF"),
}
MISSING_TEXT = "n/a"


def rag_chip(status) -> str:
    """A traffic light as an inline chip with its text label."""
    from sa_toolkit.charts import rag_label  # lazy: charts imports matplotlib

    label = rag_label(status)
    background, colour = RAG_CHIP[label]
    css = label.lower().replace(" ", "-")
    return (
        f'<span class="sa-rag sa-rag-{css}" style="display:inline-block;min-width:4.2em;'
        f"padding:0.1em 0.6em;border-radius:0.8em;text-align:center;font-weight:bold;"
        f'background:{background};color:{colour}">{html.escape(label)}</span>'
    )


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _format_cell(value, fmt) -> str:
    if _is_missing(value):
        return MISSING_TEXT
    if _is_number(value):
        if callable(fmt):
            return str(fmt(value))
        if isinstance(fmt, str):
            return fmt.format(value)
        if isinstance(fmt, int):
            return format_number(value, fmt)
        is_whole = float(value).is_integer() and not isinstance(value, float)
        return format_number(value, 0 if is_whole else 1)
    if isinstance(value, pd.Period | pd.Timestamp):
        return str(value)
    return str(value)


_NUMBER_TEXT = re.compile(r"^[+\-]?[\d,]*\.?\d+%?$")


def _number_like(value) -> bool:
    return _is_number(value) or (isinstance(value, str) and bool(_NUMBER_TEXT.match(value)))


def _numeric_column(series: pd.Series) -> bool:
    """Numbers, numbers as text ("1,234") and suppression markers: aligned right."""
    values = [v for v in series if not _is_missing(v)]
    if not values:
        return False
    return all(
        _number_like(v) or (isinstance(v, str) and (v.startswith("<") or v == SECONDARY_MARKER))
        for v in values
    ) and any(_number_like(v) for v in values)


def _header(name) -> str:
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    rag_columns: str | Sequence[str] = (),
    formats: Mapping[str, object] | None = None,
    headers: Mapping[str, str] | None = None,
    notes: str | Sequence[str] = (),
    allow_identifiers: Sequence[str] = (),
    max_rows: int = 500,
) -> HtmlBlock:
    """Render an aggregate table as accessible HTML, without an index column.

    Parameters
    ----------
    frame : DataFrame
        The table. A named index is shown as the first column(s); an unnamed index
        is left out.
    caption : str
        What the table shows (measure, place, period).
    rag_columns : str or list of str
        Columns holding traffic lights, shown as a coloured chip with the text label.
    formats : mapping, optional
        Per column: decimals (int), a format string (``"{:+.1f}%"``) or a function.
        Default: whole numbers for integers, one decimal for other numbers.
    headers : mapping, optional
        Column header text; default "lsoa_name" -> "Lsoa name".
    notes : str or list of str
        Footnotes under the table (e.g. :func:`sa_toolkit.disclosure.suppression_note`).
    allow_identifiers : list of str
        Column names to let through the identifier check (see ``check_no_identifiers``).
    max_rows : int
        A longer table is refused: reports show summaries, not listings.
    """
    if not isinstance(caption, str) or not caption.strip():
        raise ArgumentError("html_table: a caption saying what the table shows is required")
    if len(frame) > max_rows:
        raise ArgumentError(
            f"html_table: {len(frame):,} rows is a listing, not a summary (limit {max_rows})"
        )
    table = frame
    if any(name is not None for name in frame.index.names):
        table = frame.reset_index()
    check_no_identifiers(table, allow=allow_identifiers, table=f"table '{caption}'")
    rag = [rag_columns] if isinstance(rag_columns, str) else list(rag_columns)
    missing = [c for c in rag if c not in table.columns]
    if missing:
        raise ArgumentError(f"html_table: no traffic-light column(s) {missing}")
    formats = dict(formats or {})
    headers = dict(headers or {})

    numeric = {c: _numeric_column(table[c]) for c in table.columns if c not in rag}
    head_cells = []
    for column in table.columns:
        align = "right" if numeric.get(column) else "left"
        head_cells.append(
            f'<th scope="col" style="text-align:{align};padding:0.35em 0.6em;'
            f'border-bottom:2px solid #0B0C0C">'
            f"{html.escape(headers.get(column, _header(column)))}</th>"
        )
    body_rows = []
    for row in table.itertuples(index=False, name=None):
        cells = []
        for position, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if column in rag:
                content = rag_chip(None if _is_missing(value) else value)
                align = "left"
            else:
                content = html.escape(_format_cell(value, formats.get(column)))
                align = "right" if numeric.get(column) else "left"
            # the first column names the row (place, measure, year): a row header, so a
            # screen reader announces it with every value of the row
            tag, scope = ("th", ' scope="row"') if position == 0 else ("td", "")
            cells.append(
                f'<{tag}{scope} style="text-align:{align};padding:0.3em 0.6em;'
                f'font-weight:normal;border-bottom:1px solid #B1B4B6">{content}</{tag}>'
            )
        body_rows.append(f"<tr>{''.join(cells)}</tr>")
    notes_list = [notes] if isinstance(notes, str) else list(notes)
    foot = "".join(
        f'<p class="sa-table-note" style="font-size:0.85em;color:#505A5F;margin:0.3em 0">'
        f"{html.escape(n)}</p>"
        for n in notes_list
        if n
    )
    return HtmlBlock(
        '<div class="sa-table-wrap" style="overflow-x:auto;margin:1em 0">'
        '<table class="sa-table" style="border-collapse:collapse;font-variant-numeric:tabular-nums">'
        f'<caption style="caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0">'
        f"{html.escape(caption)}</caption>"
        f"<thead><tr>{''.join(head_cells)}</tr></thead>"
        f"<tbody>{''.join(body_rows)}</tbody></table>{foot}</div>"
    )
