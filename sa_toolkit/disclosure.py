"""Statistical disclosure control for published tables.

Rendered reports show aggregates only. Counts from 1 to ``threshold - 1`` are
suppressed (shown as ``<threshold``; 0 is shown), and **secondary suppression** hides
another cell wherever a total or margin would let a reader work a suppressed cell out:
in every row and column (totals included) a suppressed figure never stands alone.
:func:`check_no_identifiers` refuses tables carrying record-level identifiers.

Examples
--------
>>> import pandas as pd
>>> t = suppress_counts(pd.Series([2, 0, 40, 7], index=list("ABCD")), threshold=5)
>>> t.display()["count"].tolist()
['<5', '0', '40', '[c]', '49']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError, UserError

#: Marker of a cell hidden so that a suppressed figure cannot be derived from totals
#: (the Government Statistical Service's shorthand for "confidential").
SECONDARY_MARKER = "[c]"
PRIMARY = "primary"
SECONDARY = "secondary"


def suppression_note(threshold: int) -> str:
    """The footnote explaining the markers, for the table's caption or notes."""
    return (
        f"<{threshold}: fewer than {threshold}, not shown to protect privacy. "
        f"{SECONDARY_MARKER}: not shown so that a hidden figure cannot be worked out "
        "from the totals."
    )


def disclosure_text(threshold: int) -> str:
    """The disclosure rule in plain words, for each report's notes (methods)."""
    threshold = _validate_threshold(threshold)
    if threshold <= 1:
        return "Small numbers: no count is suppressed (the suppression threshold is switched off)."
    return (
        f"Small numbers: to protect privacy, a count below {threshold} (other than zero) is "
        f'shown as "<{threshold}" in tables and "fewer than {threshold}" in the text, charts '
        "and descriptions, and no percentage, rate or change worked out from it is given. "
        f"Where a total would let a reader work a hidden count out, a further figure is hidden "
        f'("{SECONDARY_MARKER}"). The assessment cannot be published while any text, chart, '
        "table, the Word document or the workbook shows such a count."
    )


class DisclosureError(UserError):
    """A table would disclose record-level or identifying information."""


def _validate_threshold(threshold) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer):
        raise ArgumentError(f"suppression threshold must be a whole number, got {threshold!r}")
    if threshold < 0:
        raise ArgumentError(f"suppression threshold must be 0 or more, got {threshold}")
    return int(threshold)


def is_small(values, threshold: int):
    """True where a count is between 1 and ``threshold - 1`` (the counts to suppress)."""
    arr = np.asarray(values, dtype=float)
    return (arr >= 1) & (arr < threshold)


def fewer_than(threshold: int) -> str:
    """How a suppressed count reads in a sentence: ``"fewer than 5"``."""
    return f"fewer than {_validate_threshold(threshold)}"


def safe_count(n, threshold: int, *, decimals: int = 0) -> str:
    """A count as a reader may see it: ``"fewer than 5"`` from 1 to ``threshold - 1``.

    The one rule for counts in words (sentences, alt text, chart labels and
    annotations, the Word document): 0 and counts of ``threshold`` or more are written
    with thousands separators; the others as "fewer than N".

    >>> safe_count(3, 5), safe_count(0, 5), safe_count(1234, 5)
    ('fewer than 5', '0', '1,234')
    """
    threshold = _validate_threshold(threshold)
    value = float(n)
    if threshold > 1 and 1 <= round(value, 9) < threshold:
        return fewer_than(threshold)
    return f"{value:,.{decimals}f}"


def safe_cell(n, threshold: int) -> str:
    """A count as a table cell shows it: ``"<5"`` from 1 to ``threshold - 1``."""
    threshold = _validate_threshold(threshold)
    if threshold > 1 and 1 <= float(n) < threshold:
        return f"<{threshold}"
    return f"{float(n):,.0f}"


def share_is_disclosive(numerator, denominator, threshold: int) -> bool:
    """True when a percentage would let a reader work out a small count.

    A share of a small base (1 to ``threshold - 1``: "50% (1 of 2)"), a small
    numerator, or a small remainder (``denominator - numerator``: "95% of 20" tells a
    reader that 1 did not) is disclosive once the base is known, and bases are shown
    beside shares throughout the reports; such a share is suppressed.
    """
    threshold = _validate_threshold(threshold)
    if threshold <= 1:
        return False
    values = (float(numerator), float(denominator), float(denominator) - float(numerator))
    return any(1 <= round(v, 9) < threshold for v in values)


def safe_share(numerator, denominator, threshold: int):
    """The share in percent, or None when it would disclose a small count."""
    if float(denominator) <= 0 or share_is_disclosive(numerator, denominator, threshold):
        return None
    return float(numerator) / float(denominator) * 100


@dataclass
class SuppressedTable:
    """A count table with its margins and the suppression applied to each cell.

    Attributes
    ----------
    counts : DataFrame
        The counts, with the total row and/or column added.
    status : DataFrame
        Same shape: ``""``, ``"primary"`` (small count) or ``"secondary"``.
    threshold : int
    """

    counts: pd.DataFrame
    status: pd.DataFrame
    threshold: int

    def display(self) -> pd.DataFrame:
        """Text to publish: ``<N`` for small counts, ``[c]`` for secondary, others with commas."""
        shown = self.counts.map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
        shown = shown.mask(self.status == PRIMARY, f"<{self.threshold}")
        shown = shown.mask(self.status == SECONDARY, SECONDARY_MARKER)
        return shown.astype(object)

    def published_values(self) -> pd.DataFrame:
        """Counts with every suppressed cell set to missing (for charts and downloads)."""
        return self.counts.astype("Float64").mask(self.status != "")

    @property
    def n_suppressed(self) -> int:
        return int((self.status != "").to_numpy().sum())

    @property
    def note(self) -> str:
        return suppression_note(self.threshold)


def suppress_counts(
    counts: pd.DataFrame | pd.Series,
    threshold: int,
    *,
    row_totals: bool | None = None,
    column_totals: bool = True,
    total_label: str = "Total",
) -> SuppressedTable:
    """Suppress small counts and any cell a total would reveal.

    Parameters
    ----------
    counts : DataFrame or Series
        Whole, non-negative counts without totals (rows by columns, or one column).
    threshold : int
        Counts from 1 to ``threshold - 1`` are suppressed (``configuration key
        suppression_threshold``); 0 and 1 switch suppression off.
    row_totals : bool, optional
        Add a total column (default: when there is more than one column).
    column_totals : bool
        Add a total row.
    total_label : str
        Label of the total row and column.

    Returns
    -------
    SuppressedTable

    Notes
    -----
    Primary suppression hides every count (cells and totals) from 1 to
    ``threshold - 1``. Then, until no line changes, every line (each row with its row
    total, each column with its column total, the total row and the total column) that
    holds exactly one hidden figure has its smallest non-zero visible cell hidden as
    well; when it has none, its total is hidden. Rows are examined before columns,
    top to bottom and left to right, so the result is deterministic.
    """
    threshold = _validate_threshold(threshold)
    frame = (
        counts.to_frame(name=counts.name or "count") if isinstance(counts, pd.Series) else counts
    )
    if frame.empty:
        raise ArgumentError("suppress_counts: the table is empty")
    values = frame.apply(pd.to_numeric, errors="coerce")
    bad = values.isna() | (values < 0) | (values.round() != values)
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise ArgumentError(
            f"suppress_counts: cell ({frame.index[row]!r}, {frame.columns[col]!r}) holds "
            f"{frame.iat[row, col]!r}; expected a whole count of 0 or more"
        )
    if row_totals is None:
        row_totals = frame.shape[1] > 1
    table = values.astype("int64")
    n_rows, n_cols = table.shape
    if row_totals:
        table[total_label] = table.sum(axis=1)
    if column_totals:
        table.loc[total_label] = table.sum(axis=0)
    grid = table.to_numpy(dtype=float)
    status = np.full(grid.shape, "", dtype=object)
    if threshold > 1:
        status[is_small(grid, threshold)] = PRIMARY

    lines = _lines(n_rows, n_cols, row_totals, column_totals)
    changed = True
    while changed:
        changed = False
        for entries, margin in lines:
            hidden = [p for p in [*entries, margin] if p is not None and status[p]]
            if len(hidden) != 1:
                continue
            candidates = [p for p in entries if not status[p] and grid[p] > 0]
            if candidates:
                target = min(candidates, key=lambda p: grid[p])
            elif margin is not None and not status[margin]:
                target = margin
            else:
                continue
            status[target] = SECONDARY
            changed = True
    return SuppressedTable(
        counts=table,
        status=pd.DataFrame(status, index=table.index, columns=table.columns),
        threshold=threshold,
    )


def _lines(n_rows, n_cols, row_totals, column_totals):
    """Each additive line: (cells, the total they add up to or None)."""
    lines = []
    last_row = n_rows + (1 if column_totals else 0)
    last_col = n_cols + (1 if row_totals else 0)
    if row_totals:
        for i in range(last_row):
            lines.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    if column_totals:
        for j in range(last_col):
            lines.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return lines


def mask_small_counts(
    frame: pd.DataFrame,
    count_column: str,
    threshold: int,
    *,
    derived: Iterable[str] = (),
    total_row: tuple[str, object] | None = None,
) -> pd.DataFrame:
    """Hide small counts in a list-style table, and the figures computed from them.

    For tables of one row per place or group (count, rate, interval...): a count from 1
    to ``threshold - 1`` becomes ``<threshold`` and each ``derived`` column of that row
    (rate, share, lower, upper) becomes ``[c]``. When the table shows a total row
    (``total_row=(column, label)``: the row whose ``column`` holds ``label`` is the sum
    of the others), secondary suppression as in :func:`suppress_counts`: if exactly one
    part is hidden, the smallest other non-zero part is hidden too (``[c]``), or the
    total when there is none, so that the total cannot give the hidden part away.
    Returns a copy whose masked columns hold text.
    """
    threshold = _validate_threshold(threshold)
    derived = list(derived)
    missing = [c for c in [count_column, *derived] if c not in frame.columns]
    if missing:
        raise ArgumentError(f"mask_small_counts: no column(s) {missing} in the table")
    out = frame.copy()
    values = pd.to_numeric(out[count_column], errors="coerce")
    small = pd.Series(is_small(values, threshold), index=out.index)
    if threshold <= 1 or not small.any():
        return out
    secondary = pd.Series(False, index=out.index)
    if total_row is not None:
        column, label = total_row
        is_total = out[column].astype(str) == str(label)
        parts = ~is_total
        if is_total.any() and int((small & parts).sum()) == 1 and not small[is_total].any():
            others = values[parts & ~small & (values > 0)]
            if len(others):
                secondary[others.idxmin()] = True
            else:
                secondary[is_total] = True
    for column in [count_column, *derived]:
        out[column] = out[column].astype(object)
    out.loc[small, count_column] = f"<{threshold}"
    out.loc[secondary, count_column] = SECONDARY_MARKER
    for column in derived:
        out.loc[small | secondary, column] = SECONDARY_MARKER
    return out


#: Column names that identify a person, a crime record or an address.
IDENTIFIER_NAMES = frozenset(
    {
        "id",
        "crime_id",
        "victim_id",
        "suspect_id",
        "offender_id",
        "person_id",
        "respondent_id",
        "incident_id",
        "case_id",
        "record_id",
        "nhs_number",
        "pnc_number",
        "crime_number",
        "crime_reference_number",
        "incident_number",
        "case_number",
        "reference_number",
        "ni_number",
        "national_insurance_number",
        "custody_number",
        "pnc_id",
        "urn",
        "name",
        "full_name",
        "forename",
        "surname",
        "date_of_birth",
        "dob",
        "address",
        "postcode",
        "email",
        "phone",
        "telephone",
    }
)
# "*_number" is not matched by suffix: "Number" heads many aggregate columns ("Number",
# "Offences number"); the identifying numbers are named in IDENTIFIER_NAMES.
_ID_SUFFIX = re.compile(r"(^|[_\s])(id|identifier)$", re.IGNORECASE)
# data.police.uk crime IDs are 64 hexadecimal characters.
_CRIME_ID_VALUE = re.compile(r"^[0-9a-f]{64}$")


def _normalise(name) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def check_no_identifiers(
    frame: pd.DataFrame, *, allow: Iterable[str] = (), table: str = "table"
) -> pd.DataFrame:
    """Refuse a table that carries record-level identifiers; return it unchanged otherwise.

    Refused: columns (or index levels) named like ``crime_id``, ``victim_id``,
    ``respondent_id``, ``incident_id``, any ``*_id``, identifying numbers (crime, incident,
    case, NHS, PNC, NI numbers), names, dates of
    birth, addresses and postcodes; and any text column holding data.police.uk crime IDs.

    Parameters
    ----------
    frame : DataFrame
    allow : iterable of str
        Column names known to be safe despite matching (e.g. an aggregate ``group_id``).
    table : str
        Name of the table for the message.

    Raises
    ------
    DisclosureError
        Naming the offending columns.
    """
    allowed = {_normalise(a) for a in allow}
    names = list(frame.columns) + [n for n in frame.index.names if n is not None]
    offending = []
    for name in names:
        key = _normalise(name)
        if key in allowed:
            continue
        if key in IDENTIFIER_NAMES or _ID_SUFFIX.search(key):
            offending.append(str(name))
    for name in frame.columns:
        if _normalise(name) in allowed or str(name) in offending:
            continue
        column = frame[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            sample = column.dropna().astype(str).head(200)
            if len(sample) and sample.str.match(_CRIME_ID_VALUE).any():
                offending.append(f"{name} (holds crime IDs)")
    if offending:
        raise DisclosureError(
            f"{table} holds record-level identifiers and cannot be published: "
            f"{', '.join(offending)}. Publish aggregates only (counts by place, time or group)."
        )
    return frame
