"""The disclosure check of tables: which cells are counts, and what a total gives away.

The rules are documented with the text rules in :mod:`sa_toolkit.disclosure_scan` ("In
tables"); :func:`small_counts_in_table` applies them to one
:class:`~sa_toolkit.report_text.ReaderTable`.
"""

from __future__ import annotations

import re

from sa_toolkit.disclosure_scan import COUNT_NOUNS, Finding, _clip, small_counts_in_text
from sa_toolkit.report_text import ReaderTable

_WHOLE = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
_SUPPRESSED = re.compile(r"^(<\s?\d+|\[c\]|fewer than \d+)$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\s*\d[\d,]*(\.\d+)?")

_NOT_COUNT_HEADER = re.compile(
    r"rate|\bper\b|%|percent|per cent|\bshare|proportion|\brank|\bscore|ratio|change|"
    r"interval|\blower\b|\bupper\b|\bci\b|p[\s_\-]?value|\bmean\b|average|\bindex\b|"
    r"\btarget|^year$|\bmonths?\b|\bwave\b|run time|\bfiles\b|\brows\b|\bz\b|frequency|"
    r"\bpriority\b|significan|\bpolarity\b|\bunit\b|\bbaseline year|\bage\b|\bage band\b",
    re.IGNORECASE,
)
_COUNT_HEADER = re.compile(
    r"\b(" + "|".join(sorted(COUNT_NOUNS, key=len, reverse=True)) + r"|count|number)\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"^(total\b|all$|partnership total|grand total)", re.IGNORECASE)
# a total row may be named for what it adds up ("All drug offences"); the subtraction
# check keeps a row that is not the sum of the rows above from being reported by chance
_TOTAL_ROW = re.compile(r"^(total\b|all\b|partnership total|grand total)", re.IGNORECASE)


def _is_whole(cell: str) -> bool:
    return bool(_WHOLE.match(cell.strip()))


def _whole(cell: str) -> int:
    return int(cell.strip().replace(",", ""))


def _cell_is_count(table: ReaderTable, row: tuple[str, ...], column: int) -> bool:
    header = table.header[column] if column < len(table.header) else ""
    if _NOT_COUNT_HEADER.search(header):
        return False
    first = row[0] if row else ""
    if column > 0 and _NOT_COUNT_HEADER.search(first) and not _COUNT_HEADER.search(first):
        return False
    units = [i for i, h in enumerate(table.header) if h.strip().lower() == "unit"]
    if units and units[0] < len(row):
        unit = row[units[0]].strip().lower()
        if unit and unit not in ("count", "number", "people", "offences", "incidents"):
            return False
    scoring = any(h.strip().lower() == "score" for h in table.header)
    if scoring and not _COUNT_HEADER.search(header):
        return False
    return True


def small_counts_in_table(table: ReaderTable, threshold: int) -> list[Finding]:
    """Small counts in a table's cells, and hidden cells its totals give away."""
    if threshold <= 1:
        return []
    findings: list[Finding] = []
    for row in table.rows:
        for column, cell in enumerate(row):
            if column > 0 and row[column] == row[column - 1] and column >= len(table.header):
                continue
            text = cell.strip()
            if not text:
                continue
            header = table.header[column] if column < len(table.header) else ""
            where = f"{table.part}, row '{_clip(row[0], 60)}', column '{header}'"
            if column == 0:
                # the row's name (a place, a year, a band such as "1" incident): read as text
                if not _is_whole(text):
                    for number, kind, detail in small_counts_in_text(text, threshold):
                        findings.append(Finding(table.file, where, text, number, kind, detail))
                continue
            is_count = _cell_is_count(table, row, column)
            if _is_whole(text):
                if 1 <= _whole(text) < threshold and is_count:
                    findings.append(Finding(table.file, where, text, text, "small count"))
                continue
            if not is_count:
                # "2 (no significant change)" in a score column: the leading figure is the
                # column's value (a score, a rank); only the words after it are read
                text = _LEADING_NUMBER.sub("", text, count=1)
                # and its scale: "2 of 3" (a score out of 3)
                text = re.sub(r"^\s*(?:out )?of \d+\b", "", text, count=1)
            for number, kind, detail in small_counts_in_text(text, threshold):
                findings.append(Finding(table.file, where, cell.strip(), number, kind, detail))
    findings.extend(_derivable_from_totals(table, threshold))
    return findings


def _derivable_from_totals(table: ReaderTable, threshold: int) -> list[Finding]:
    """Lines that hide one part while showing the total and every other part."""
    findings: list[Finding] = []
    header = list(table.header)
    rows = [list(r) for r in table.rows]
    total_columns = [i for i, h in enumerate(header) if _TOTAL.match(h.strip())]
    for t in total_columns:
        parts = [
            i
            for i, h in enumerate(header)
            if i != t and i > 0 and not _NOT_COUNT_HEADER.search(h) and i not in total_columns
        ]
        for row in rows:
            finding = _line_gives_away(
                [row[i] if i < len(row) else "" for i in parts],
                row[t] if t < len(row) else "",
                threshold,
            )
            if finding:
                findings.append(
                    Finding(
                        table.file,
                        f"{table.part}, row '{_clip(row[0], 60)}'",
                        " | ".join(row),
                        finding,
                        "derivable from the total",
                        f"the row total less its other parts gives {finding}",
                    )
                )
    total_rows = [r for r in rows if r and _TOTAL_ROW.match(r[0].strip())]
    for total in total_rows:
        body = [r for r in rows if r is not total and not _TOTAL_ROW.match(r[0].strip())]
        for column in range(1, len(header)):
            if _NOT_COUNT_HEADER.search(header[column]):
                continue
            finding = _line_gives_away(
                [r[column] if column < len(r) else "" for r in body],
                total[column] if column < len(total) else "",
                threshold,
            )
            if finding:
                findings.append(
                    Finding(
                        table.file,
                        f"{table.part}, column '{header[column]}'",
                        " | ".join([header[column], *(r[column] for r in body), total[column]]),
                        finding,
                        "derivable from the total",
                        f"the column total less its other parts gives {finding}",
                    )
                )
    return findings


def _line_gives_away(parts: list[str], total: str, threshold: int) -> str | None:
    hidden = [p for p in parts if _SUPPRESSED.match(p.strip())]
    if len(hidden) != 1 or not _is_whole(total):
        return None
    shown = [p for p in parts if not _SUPPRESSED.match(p.strip())]
    if not all(_is_whole(p) for p in shown if p.strip()):
        return None
    left = _whole(total) - sum(_whole(p) for p in shown if p.strip())
    return str(left) if 1 <= left < threshold else None
