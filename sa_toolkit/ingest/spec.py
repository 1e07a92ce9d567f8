"""Dataset specifications: what a raw file must look like and how it becomes a table.

Every raw dataset that ``sa ingest`` reads is described by one :class:`DatasetSpec`
registered with :func:`register_dataset`. The engine (:mod:`sa_toolkit.ingest.engine`)
does the rest the same way for every dataset: finds the files, checks the header (a
file-level fault stops the ingest), parses every column as text, applies the spec's
``prepare`` hook (label mappings), casts columns to their declared kinds, runs the
declared and custom row checks (failing rows go to ``processed/rejects/``), applies the
``finish`` hook (e.g. reshape wide to long) and writes Parquet.

See "How to add a dataset to ingest" in ``docs/architecture.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import polars as pl

#: Column kinds the engine can cast text to. ``month`` reads ``YYYY-MM`` and is stored as
#: the first day of the month (a date); ``datetime`` reads ISO 8601 with an offset and is
#: stored in UTC with the Europe/London zone.
KINDS = ("text", "category", "int", "float", "month", "date", "datetime", "bool")


@dataclass(frozen=True)
class Column:
    """One column of a raw file.

    Parameters
    ----------
    source : str
        The header text in the raw file, as published (matched ignoring case, spaces,
        underscores and a byte-order mark).
    name : str
        The column name in the processed table.
    kind : str
        One of :data:`KINDS`. A value that cannot be read as this kind rejects the row.
    required : bool
        A blank value rejects the row.
    allowed : frozenset of str, optional
        The values allowed (after the spec's ``prepare`` hook); any other non-blank value
        rejects the row.
    minimum, maximum : float, optional
        Inclusive range for numeric kinds; values outside reject the row.
    keep : bool
        False drops the column from the processed table (it is still checked).
    """

    source: str
    name: str
    kind: str = "text"
    required: bool = False
    allowed: frozenset[str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    keep: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.source!r}: kind must be one of {KINDS}")


@dataclass(frozen=True)
class FileContext:
    """What the engine knows about the file being read, passed to the hooks."""

    #: the file as the user knows it, relative to the raw folder
    #: (``police_uk/2024-01.zip!2024-01/2024-01-met-street.csv`` for a zip member)
    file: str
    #: the file name alone, e.g. ``2024-01-met-street.csv``
    name: str
    #: ``YYYY-MM`` taken from the file name, if it holds one
    file_month: str | None
    #: the part of a data.police.uk name between the month and the dataset suffix
    #: (``met`` in ``2024-01-met-street.csv``), if the name has that shape
    force: str | None
    #: the file's raw bytes (for cheap whole-file tests such as "does a historic label
    #: occur at all?"; never parse rows from it)
    raw: bytes = field(default=b"", repr=False)


#: A custom row check: ``(frame, context) -> [(column, reason, bad_expr), ...]``. ``frame``
#: holds every column as text under the output names plus ``<name>__value`` typed columns;
#: ``bad_expr`` is a boolean polars expression that is true for failing rows. ``reason``
#: may be a polars expression (a per-row message) or plain text.
RowChecks = Callable[[pl.DataFrame, FileContext], list[tuple[str, "str | pl.Expr", pl.Expr]]]
FrameHook = Callable[[pl.DataFrame, FileContext], pl.DataFrame]


@dataclass(frozen=True)
class DatasetSpec:
    """How one raw dataset is found, validated and written.

    Parameters
    ----------
    name : str
        Processed table name (``data/processed/<name>/``), read back with
        ``tables.read_table(name)``.
    patterns : tuple of str
        Glob patterns relative to the raw folder (``police_uk/*/*-street.csv``). Names in
        zip files under the raw folder are matched against the last two parts of each
        pattern (``*/*-street.csv``) when ``zip_members`` is true.
    columns : tuple of Column
        The exact header, in order. A missing, extra or renamed column is a file-level
        fault.
    description : str
        One line for the ingest summary and the data log.
    month_column : str, optional
        Output column (a ``month``/``date``/``datetime`` kind, or one made by ``finish``)
        whose month partitions the table as ``<name>/period=YYYY-MM/`` (the folder key is
        not ``month`` so that a hive-partition reader does not clash with the date column).
    unique : tuple of str
        Output columns whose non-blank values must be unique within a file; later
        duplicates are rejected.
    prepare : callable, optional
        ``(frame, context) -> frame`` run on the all-text frame before casting, e.g. to map
        historic labels. Must keep the row count and order.
    checks : callable, optional
        Extra row checks, see :data:`RowChecks`.
    finish : callable, optional
        ``(frame, context) -> frame`` run on the kept, typed rows before writing (may add
        columns or reshape; ``source_file`` and ``source_line`` are already present).
    zip_members : bool
        Also look for matching files inside ``*.zip`` under the raw folder.
    parallel : bool
        Files may be read several at once, in threads of the ingesting process (the
        hooks must then be plain functions of their arguments, as polars expressions are).
    sheet_names : tuple of str
        For a pattern matching ``.xlsx`` workbooks: the sheet to read, the first of these
        names present (compared ignoring case and spaces); default the dataset's name,
        else the workbook's first sheet.
    """

    name: str
    patterns: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str = ""
    month_column: str | None = None
    unique: tuple[str, ...] = ()
    prepare: FrameHook | None = None
    checks: RowChecks | None = None
    finish: FrameHook | None = None
    zip_members: bool = False
    parallel: bool = False
    sheet_names: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def header(self) -> list[str]:
        return [c.source for c in self.columns]

    def matches_member(self, member: str) -> bool:
        """Whether a file name inside a zip matches one of the patterns."""
        path = PurePosixPath(member)
        for pattern in self.patterns:
            tail = "/".join(PurePosixPath(pattern).parts[-2:])
            if path.match(tail) or path.match(PurePosixPath(pattern).name):
                return True
        return False


_REGISTRY: dict[str, DatasetSpec] = {}


def register_dataset(spec: DatasetSpec, *, replace: bool = False) -> DatasetSpec:
    """Add a dataset to those ``sa ingest`` reads; returns the spec.

    Registering a name twice is an error unless ``replace`` (tests use it).
    """
    if spec.name in _REGISTRY and not replace and _REGISTRY[spec.name] is not spec:
        raise ValueError(f"dataset {spec.name!r} is already registered")
    _REGISTRY[spec.name] = spec
    return spec


def registered_datasets() -> dict[str, DatasetSpec]:
    """All registered datasets, loading the built-in police, reference and partner specs."""
    from sa_toolkit.ingest import police, reference  # noqa: F401 - registers on import

    try:
        from sa_toolkit.ingest import partner  # noqa: F401 - owned by the partner-data area
    except ModuleNotFoundError as exc:
        if exc.name != "sa_toolkit.ingest.partner":
            raise
    return dict(_REGISTRY)
