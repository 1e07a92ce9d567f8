"""The one validated reader of tabular input files: CSV as Excel saves it, or ``.xlsx``.

Every tabular input (police files, lookups, population, MSG, partner extracts, the
``sa framework --values`` file) is read here, so each gets the same guarantees:

- **Encodings.** UTF-8 with or without a byte-order mark and Windows-1252 (what Excel on
  Windows writes) are read without loss; the encoding found is reported for provenance. A
  line whose bytes are valid in neither is flagged (the engine quarantines it), never
  decoded into replacement characters silently. A file mixing the two (extracts pasted
  together) is read line by line.
- **Excel's habits.** Blank lines (or lines of empty fields) at the end and empty columns
  after the last named one are tolerated; a header differing only in case, spaces,
  underscores or a byte-order mark is recognised.
- **Workbooks.** ``.xlsx`` is read with openpyxl (:mod:`.workbook`; cached values, never formulas): the
  sheet named in the template docs if present, else the first; dates as Excel stores
  them; title rows above the header are recognised and skipped, or refused with a
  message naming the sheet and the header expected.
- **Ragged rows.** Rows are split quote-aware and counted on the raw bytes
  (:func:`field_counts`), so a row with more or fewer fields than the header is reported
  with its line and field count, never shifted into the wrong columns.

The result is always UTF-8 CSV bytes (:class:`TextTable`) that polars parses columnar; a
clean UTF-8 CSV passes through untouched (no copy, no Python loop over lines).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from sa_toolkit.errors import InputFileError

UTF8_BOM = b"\xef\xbb\xbf"
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class TextTable:
    """A tabular file as UTF-8 CSV bytes: the header line, then one line per row."""

    data: bytes
    #: how the file was read, for provenance: ``utf-8``, ``utf-8 with byte-order mark``,
    #: ``windows-1252``, ``utf-8 and windows-1252 (N lines)``, ``xlsx, sheet 'name'``
    encoding: str
    #: the header's line (CSV) or row (sheet) number in the original file
    header_line: int = 1
    #: original line numbers whose bytes are neither UTF-8 nor Windows-1252
    bad_lines: frozenset[int] = field(default_factory=frozenset)
    notes: list[str] = field(default_factory=list)

    def header_fields(self) -> list[str]:
        """The header's fields as text (quote-aware)."""
        end = self.data.find(b"\n")
        first = (self.data if end < 0 else self.data[:end]).rstrip(b"\r")
        # a lone carriage return inside the line (an old Mac line end, or junk) ends the
        # header as it would in Excel; the csv module refuses it unquoted
        first = first.split(b"\r", 1)[0]
        return next(csv.reader([first.decode("utf-8", "replace")]), [])

    def line_of(self, record: int) -> int:
        """The original line (row) number of data record ``record`` (0-based)."""
        return self.header_line + 1 + record


def normalise_name(name: str) -> str:
    """A header name compared ignoring case, spaces, underscores and byte-order marks."""
    return re.sub(r"[\s_\ufeff]+", "", str(name)).casefold()


# ---------------------------------------------------------------- encodings
def decode(raw: bytes) -> tuple[bytes, str, frozenset[int]]:
    """``raw`` as UTF-8 bytes, the encoding read, and the lines valid in no encoding.

    Clean UTF-8 (the usual case) is returned as it is, minus a byte-order mark.
    """
    bom = raw.startswith(UTF8_BOM)
    data = raw[len(UTF8_BOM) :] if bom else raw
    label = "utf-8 with byte-order mark" if bom else "utf-8"
    if data.isascii():
        return data, label, frozenset()
    try:
        data.decode("utf-8")
        return data, label, frozenset()
    except UnicodeDecodeError:
        pass
    # the slow path, for files that are not UTF-8 only: decide line by line
    lines = data.split(b"\n")
    out: list[bytes] = []
    bad: list[int] = []
    utf8_lines = cp1252_lines = 0
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            out.append(line)
            continue
        try:
            line.decode("utf-8")
            out.append(line)
            utf8_lines += 1
            continue
        except UnicodeDecodeError:
            pass
        try:
            out.append(line.decode("cp1252").encode("utf-8"))
            cp1252_lines += 1
        except UnicodeDecodeError:
            bad.append(number)
            out.append(line.decode("cp1252", "replace").encode("utf-8"))
    if cp1252_lines and utf8_lines:
        label = f"utf-8 and windows-1252 ({cp1252_lines:,} lines)"
    elif cp1252_lines:
        label = "windows-1252"
    elif bad and not bom:
        label = "unknown (not utf-8 or windows-1252)"
    return b"\n".join(out), label, frozenset(bad)


def drop_trailing_blank_lines(data: bytes) -> bytes:
    """``data`` without the blank lines (or lines of empty fields) Excel leaves at the end.

    Costs only the trailing lines, never a scan of the file.
    """
    end = len(data)
    while end:
        line_end = end - 1 if data[end - 1] == 10 else end
        start = data.rfind(b"\n", 0, line_end) + 1
        if start == 0 or data[start:line_end].strip(b" \t\r,"):
            break
        end = start
    return data[:end]


# ---------------------------------------------------------------- any file
def read_table_file(
    raw: bytes,
    display: str,
    *,
    is_header: Callable[[list[str]], bool],
    expected: str,
    sheet_names: Sequence[str] = (),
) -> TextTable:
    """A CSV or ``.xlsx`` file (by ``display``'s suffix) as a :class:`TextTable`."""
    if display.lower().endswith(EXCEL_SUFFIXES):
        from sa_toolkit.ingest.workbook import read_workbook

        table = read_workbook(
            raw, display, is_header=is_header, expected=expected, sheet_names=sheet_names
        )
    else:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputFileError(
                display,
                "is unreadable: it is UTF-16 text (Excel's 'Unicode Text'), not UTF-8 or "
                "Windows-1252 CSV",
                line=1,
                expected="a CSV file: in Excel, Save As 'CSV UTF-8 (Comma delimited)'",
            )
        if raw.startswith(b"PK\x03\x04"):
            raise InputFileError(
                display,
                "is a zip or Excel workbook saved with a .csv name",
                expected="a CSV file, or the workbook saved with an .xlsx name",
            )
        data, encoding, bad = decode(raw)
        table = TextTable(data, encoding, bad_lines=bad)
    table.data = drop_trailing_blank_lines(table.data)
    if 1 in table.bad_lines:
        raise InputFileError(
            display,
            "is unreadable: the header line is neither UTF-8 nor Windows-1252 text",
            line=1,
            expected="a CSV file saved as 'CSV UTF-8' or 'CSV (Comma delimited)'",
        )
    return table


def header_problem(
    display: str, found: list[str], expected: list[str], line: int = 1
) -> InputFileError | None:
    """The fault of a header that is not ``expected``, or None when it matches.

    Names are compared by :func:`normalise_name`; empty names after the last expected
    column (Excel's trailing empty columns) are allowed.
    """
    found = list(found)
    while len(found) > len(expected) and not found[-1].strip():
        found.pop()
    want = [normalise_name(e) for e in expected]
    got = [normalise_name(f) for f in found]
    if got == want:
        return None
    for i in range(max(len(want), len(got))):
        exp = expected[i] if i < len(expected) else None
        have = found[i] if i < len(found) else None
        if (want[i] if i < len(want) else None) != (got[i] if i < len(got) else None):
            if exp is None:
                problem = f"has an unexpected extra column {i + 1}"
            elif have is None:
                problem = f"is missing column {i + 1}"
            elif normalise_name(exp) in got:
                problem = f"has its columns in a different order or one missing at column {i + 1}"
            else:
                problem = f"header does not match at column {i + 1}"
            return InputFileError(
                display,
                problem,
                line=line,
                column=exp or have,
                expected=f"'{exp}'" if exp is not None else "no more columns",
                found=f"'{have}'" if have is not None else "no column",
            )
    return None  # pragma: no cover - unreachable


# ---------------------------------------------------------------- rows
def field_counts(data: bytes) -> np.ndarray:
    """Fields on each data line (header excluded), quote-aware, from the raw bytes.

    Works on the positions of commas, newlines and quotes only (small arrays), so it costs
    a few byte comparisons per input byte. A blank line has no fields.
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    commas = np.flatnonzero(arr == 44)
    if b'"' in data:
        quotes = np.flatnonzero(arr == 34)
        # a position is inside quotes when an odd number of quotes precede it
        ends = ends[(np.searchsorted(quotes, ends) & 1) == 0]
        commas = commas[(np.searchsorted(quotes, commas) & 1) == 0]
    if len(arr) and arr[-1] != 10:
        ends = np.append(ends, len(arr))
    starts = np.concatenate([[0], ends[:-1] + 1])
    counts = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    # a blank line (or a lone carriage return) has no fields
    blank = (ends - starts) - (arr[np.maximum(ends - 1, 0)] == 13) <= 0
    counts[blank] = 0
    return counts[1:]  # drop the header line


def _csv_error(display: str, data: bytes, exc: Exception) -> InputFileError:
    """A file polars cannot split into fields, named by the line of an unclosed quote."""
    if data.count(b'"') % 2:
        last = data.rfind(b'"')
        return InputFileError(
            display,
            "has a quoted field that is never closed",
            line=data.count(b"\n", 0, last) + 1,
            expected='a closing quote (") before the end of the file',
            found="none",
        )
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputFileError(display, f"cannot be read as CSV ({reason})")


def split_rows(table: TextTable, display: str, names: list[str], width: int) -> pl.DataFrame:
    """Every data row as text under ``names``, with ``__fields`` and ``source_line``.

    ``width`` is the header's field count (``len(names)`` plus Excel's trailing empty
    columns, read as ``__trailing<i>``). A row with another field count is not shifted: it
    keeps its fields in order, padded with nulls, and ``__fields`` tells the caller to
    quarantine it. Raises :class:`InputFileError` for a file that cannot be split into
    rows (an unclosed quote).
    """
    data = table.data
    columns = names + [f"__trailing{i}" for i in range(width - len(names))]
    options = dict(
        has_header=True,
        new_columns=columns,
        infer_schema=False,
        encoding="utf8-lossy",
        raise_if_empty=False,
    )
    frame = None
    counts: np.ndarray | int | None = None
    if b'"' not in data:
        # fast path: with no quotes, if no line has too many fields (polars raises) and the
        # file holds exactly (lines x separators) commas, no line has too few either
        arr = np.frombuffer(data, dtype=np.uint8)
        lines = int(np.count_nonzero(arr == 10)) + (0 if data.endswith(b"\n") else 1)
        if int(np.count_nonzero(arr == 44)) == lines * (width - 1):
            try:
                frame = pl.read_csv(data, **options) if lines > 1 else None
                counts, rows_in = width, lines - 1
            except pl.exceptions.ComputeError:
                frame = None
    if counts is None:
        counts = field_counts(data)
        rows_in = len(counts)
        if rows_in:
            try:
                frame = pl.read_csv(data, truncate_ragged_lines=True, **options)
            except pl.exceptions.ComputeError as exc:
                raise _csv_error(display, data, exc) from None
    if frame is None:
        frame = pl.DataFrame(schema={n: pl.String for n in columns})
    if frame.height != rows_in:
        raise InputFileError(
            display,
            "could not be split into rows consistently: a quoted field may be unterminated",
            expected=f"{rows_in} rows (one per line)",
            found=f"{frame.height} rows",
        )
    first = table.header_line + 1
    # columns added directly (no query): a query's fixed cost counts over hundreds of files
    return frame.hstack(
        [
            pl.Series(
                "__fields",
                np.full(rows_in, counts) if isinstance(counts, int) else counts,
                dtype=pl.Int64,
            ),
            pl.Series("source_line", np.arange(first, rows_in + first), dtype=pl.Int64),
        ]
    )


def field_count_problem(names: Sequence[str], width: int) -> tuple[pl.Expr, pl.Expr]:
    """See :func:`_field_count_problem` (cached: hundreds of files share one header)."""
    return _field_count_problem(len(names), width)


@lru_cache(maxsize=64)
def _field_count_problem(n: int, width: int) -> tuple[pl.Expr, pl.Expr]:
    """``(bad, reason)`` expressions for rows whose field count is wrong.

    A row may have as many fields as the named columns, or as the header including its
    trailing empty columns as long as those fields are blank.
    """
    trailing = [f"__trailing{i}" for i in range(width - n)]
    fields = pl.col("__fields")
    count_bad = (fields != n) & (fields != width)
    extra_filled = (
        pl.any_horizontal(pl.col(t).str.strip_chars().str.len_bytes() > 0 for t in trailing)
        .fill_null(False)
        .alias("__extra")
        if trailing
        else pl.lit(False)
    )
    reason = (
        pl.when(fields == 0)
        .then(pl.lit("blank line: no fields"))
        .when(fields > n)
        .then(
            pl.format(
                "wrong number of fields: expected {}, found {} (a comma inside a value "
                "that is not in quotes?)",
                pl.lit(n),
                fields,
            )
        )
        .otherwise(pl.format("wrong number of fields: expected {}, found {}", pl.lit(n), fields))
    )
    return count_bad | extra_filled, reason


def decode_line(table: TextTable, line: int) -> str:
    """The text of original line ``line`` (for a quarantined row's ``raw``)."""
    lines = table.data.split(b"\n")
    index = line - table.header_line
    if 0 <= index < len(lines):
        return lines[index].rstrip(b"\r").decode("utf-8", "replace")
    return ""


# ---------------------------------------------------------------- files read whole
def read_text_table(
    path: str | Path,
    *,
    known: Sequence[str],
    required: Sequence[str],
    sheet_names: Sequence[str] = (),
    display: str | None = None,
) -> tuple[pl.DataFrame, TextTable]:
    """A small table (a values or targets file, CSV or ``.xlsx``) as text.

    For files an analyst types by hand and can fix: columns are found by name in any
    order (``known`` names matched ignoring case and spaces and returned under their
    canonical spelling; other columns keep their own names); ``required`` names must be
    present. A row with the wrong number of fields or undecodable bytes raises
    :class:`InputFileError` naming the file, line and field count, so no shifted row is
    ever used. Returns every column as text (blank = null) plus ``source_line``, and the
    :class:`TextTable` read (its ``encoding`` for provenance).
    """
    file = Path(path)
    display = display or str(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise InputFileError(display, f"cannot be read ({exc.strerror or exc})") from None
    expected = "a header row naming " + ", ".join(required)
    if not raw.removeprefix(UTF8_BOM).strip():
        raise InputFileError(display, "is empty", line=1, expected=expected)
    canonical = {normalise_name(k): k for k in known}
    needed = {normalise_name(r) for r in required}
    table = read_table_file(
        raw,
        display,
        is_header=lambda cells: needed <= {normalise_name(c) for c in cells},
        expected=expected,
        sheet_names=sheet_names,
    )
    header = table.header_fields()
    width = len(header)
    while header and not header[-1].strip():
        header.pop()
    names: list[str] = []
    for i, text in enumerate(header):
        name = canonical.get(normalise_name(text), text.strip()) or f"(unnamed column {i + 1})"
        if name in names:
            raise InputFileError(
                display,
                f"names the column '{name}' twice",
                line=table.header_line,
                column=name,
                expected="each column once",
            )
        names.append(name)
    missing = [r for r in required if r not in names]
    if missing:
        raise InputFileError(
            display,
            f"missing column(s) {', '.join(missing)}",
            line=table.header_line,
            expected=",".join(required)
            + " (and optionally "
            + ",".join(k for k in known if k not in required)
            + ")",
            found=",".join(header),
        )
    frame = split_rows(table, display, names, max(width, len(names)))
    bad, reason = field_count_problem(names, max(width, len(names)))
    frame = frame.with_columns(bad.alias("__bad"), reason.alias("__reason"))
    ragged = frame.filter(pl.col("__bad"))
    if ragged.height:
        lines = ragged["source_line"].to_list()
        first = ragged.row(0, named=True)
        also = f"; also line(s) {', '.join(map(str, lines[1:6]))}" if len(lines) > 1 else ""
        raise InputFileError(
            display,
            f"{len(lines)} row(s) cannot be read: {first['__reason']}{also}. Nothing was used",
            line=lines[0],
            expected=f"{len(names)} fields on every row (put a value holding a comma in "
            'double quotes: "Smith Street, north")',
            found=decode_line(table, lines[0])[:120],
        )
    if table.bad_lines:
        line = min(table.bad_lines)
        raise InputFileError(
            display,
            "holds bytes that are neither UTF-8 nor Windows-1252 text",
            line=line,
            expected="a CSV saved by Excel ('CSV UTF-8' or 'CSV (Comma delimited)')",
        )
    return frame.select(*names, "source_line"), table
