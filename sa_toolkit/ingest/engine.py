"""The generic ingest engine: find, validate and write every registered dataset.

Columnar and streaming: each file is parsed by polars in one call (all columns as text),
checked with vectorised expressions, and written as its own Parquet file, so memory is
bounded by the largest single file and no Python code loops over rows. Field counts are
found with numpy on the raw bytes (quote-aware), so a row with too few or too many fields
is rejected rather than silently padded or truncated.

Phases, so that a file-level fault leaves ``processed/`` exactly as it was:

1. discover files and skip those whose content hash is unchanged since the last run;
2. check the header of every file to be read (file-level faults stop here);
3. parse, validate and write each file into a staging folder beside ``processed/``;
4. move the new Parquet files into place (each move atomic), rewrite the rejects and the
   ingest log, remove outputs of files no longer in ``raw/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import polars as pl

from sa_toolkit.demo_data import carry_marker
from sa_toolkit.errors import InputFileError
from sa_toolkit.ingest import reader
from sa_toolkit.ingest.spec import DatasetSpec, FileContext, registered_datasets
from sa_toolkit.safe_output import write_polars_csv

# 2: Windows-1252 lines decoded (were quarantined), trailing blank lines and empty
# columns tolerated, headers matched ignoring case and spaces, .xlsx read
ENGINE_VERSION = "2"
LOG_NAME = "_ingest_log.json"
REJECT_COLUMNS = ["source_file", "source_line", "column", "reason", "raw"]
_MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"


@dataclass
class SourceFile:
    """One raw file, on disk or inside a zip."""

    spec: DatasetSpec
    display: str  # as the user knows it, relative to the raw folder
    path: Path  # the file, or the zip holding it
    member: str | None = None
    key: str = ""  # output file stem, unique within a dataset
    #: a workbook converted once at the header check, reused by process_file
    table: reader.TextTable | None = field(default=None, repr=False)

    @property
    def is_workbook(self) -> bool:
        return self.display.lower().endswith(reader.EXCEL_SUFFIXES)

    def load_table(self, raw: bytes | None = None) -> reader.TextTable:
        """The file as UTF-8 CSV text (decoded, or converted from its sheet)."""
        if self.table is not None:
            return self.table
        if raw is None:
            raw = self.read_bytes()
        spec = self.spec
        table = reader.read_table_file(
            raw,
            self.display,
            is_header=lambda cells: reader.header_problem("", cells, spec.header) is None,
            expected="a header row: " + ",".join(spec.header),
            sheet_names=spec.sheet_names or (spec.name,),
        )
        if self.is_workbook:
            self.table = table
        return table

    def read_bytes(self) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as zf:
            return zf.read(self.member)

    def read_head(self, n: int = 65536) -> bytes:
        if self.member is None:
            with open(self.path, "rb") as fh:
                return fh.read(n)
        with zipfile.ZipFile(self.path) as zf, zf.open(self.member) as fh:
            return fh.read(n)

    def context(self) -> FileContext:
        name = Path(self.member or self.path.name).name
        month = name[:7] if len(name) > 8 and _is_month(name[:7]) and name[7] == "-" else None
        force = None
        if month:
            rest = name[8:].rsplit(".", 1)[0]
            for suffix in ("-street", "-outcomes", "-stop-and-search"):
                if rest.endswith(suffix):
                    force = rest[: -len(suffix)]
        return FileContext(file=self.display, name=name, file_month=month, force=force)


def _is_month(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()


@dataclass
class FileResult:
    dataset: str
    file: str
    sha256: str
    rows_in: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    size: int = 0
    mtime_ns: int = 0
    spec_version: str = ""
    encoding: str = ""
    skipped: bool = False
    rejects: pl.DataFrame | None = None

    def log_entry(self) -> dict:
        return {
            "dataset": self.dataset,
            "file": self.file,
            "sha256": self.sha256,
            "rows_in": self.rows_in,
            "rows_kept": self.rows_kept,
            "rows_rejected": self.rows_rejected,
            "seconds": round(self.seconds, 3),
            "outputs": self.outputs,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "spec_version": self.spec_version,
            "encoding": self.encoding,
        }


@dataclass
class IngestSummary:
    """What ``run_ingest`` did: one entry per input file (read or skipped)."""

    files: list[FileResult]
    seconds: float
    removed: list[str] = field(default_factory=list)
    #: files in partner/ that no dataset reads (an .xls, a misspelt name)
    unread: list[str] = field(default_factory=list)

    @property
    def rows_kept(self) -> int:
        return sum(f.rows_kept for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def files_read(self) -> int:
        return sum(not f.skipped for f in self.files)


# ---------------------------------------------------------------- discovery and hashing
def discover(raw_dir: Path, specs: dict[str, DatasetSpec]) -> list[SourceFile]:
    """Every file under ``raw_dir`` matching a spec; extracted files win over zip members."""
    found: list[SourceFile] = []
    for spec in specs.values():
        seen: set[str] = set()
        keys: dict[str, str] = {}
        for pattern in spec.patterns:
            for path in sorted(raw_dir.glob(pattern)):
                if path.is_file() and path.name not in seen and not path.name.startswith("~$"):
                    seen.add(path.name)
                    rel = path.relative_to(raw_dir).as_posix()
                    key = path.name.rsplit(".", 1)[0]
                    if key in keys:
                        # one table per key: the same extract as .csv and .xlsx is ambiguous
                        raise InputFileError(
                            rel,
                            f"is a second copy of {keys[key]} (the same extract in another "
                            "format); keep one of the two in the raw folder",
                        )
                    keys[key] = rel
                    found.append(SourceFile(spec, rel, path, key=key))
        if spec.zip_members:
            tops = {Path(p).parts[0] for p in spec.patterns}
            for top in sorted(tops):
                for zpath in sorted((raw_dir / top).rglob("*.zip")):
                    try:
                        with zipfile.ZipFile(zpath) as zf:
                            names = [n for n in zf.namelist() if not n.endswith("/")]
                    except (zipfile.BadZipFile, OSError) as exc:
                        raise InputFileError(
                            zpath.relative_to(raw_dir).as_posix(),
                            f"is not a readable zip file ({exc})",
                        ) from None
                    for name in sorted(names):
                        base = name.rsplit("/", 1)[-1]
                        if spec.matches_member(name) and base not in seen:
                            seen.add(base)
                            display = f"{zpath.relative_to(raw_dir).as_posix()}!{name}"
                            found.append(
                                SourceFile(spec, display, zpath, name, key=base.rsplit(".", 1)[0])
                            )
    return found


def unread_partner_files(raw_dir: Path, sources: list[SourceFile]) -> list[str]:
    """Files in ``raw/partner/`` that no dataset reads (an ``.xls``, a misspelt name), so
    that an extract is never left out without a word."""
    folder = raw_dir / "partner"
    if not folder.is_dir():
        return []
    read = {src.path for src in sources}
    return [
        path.relative_to(raw_dir).as_posix()
        for path in sorted(folder.iterdir())
        if path.is_file()
        and path not in read
        and not path.name.startswith((".", "~$"))
        and path.name.lower() != "readme.md"
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _spec_version(spec: DatasetSpec) -> str:
    text = ENGINE_VERSION + repr([(c.source, c.name, c.kind) for c in spec.columns])
    return hashlib.sha1(text.encode()).hexdigest()[:12]


# ---------------------------------------------------------------- file-level checks
def check_header(src: SourceFile) -> None:
    """Raise InputFileError for an empty, unreadable or wrongly headed file.

    A CSV's first 64 KiB are enough; a workbook is converted whole (and kept for
    :func:`process_file`).
    """
    expected = src.spec.header
    try:
        head = src.read_bytes() if src.is_workbook else src.read_head()
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise InputFileError(src.display, f"cannot be read ({exc})") from None
    if not head.strip() or not head.removeprefix(reader.UTF8_BOM).strip():
        raise InputFileError(
            src.display,
            "is empty",
            line=1,
            expected="a header line: " + ",".join(expected),
            found="an empty file",
        )
    if src.is_workbook:
        table = src.load_table(head)
    else:
        end = head.find(b"\n")
        table = reader.read_table_file(
            head if end < 0 else head[: end + 1],
            src.display,
            is_header=lambda cells: True,
            expected=",".join(expected),
        )
    problem = reader.header_problem(
        src.display, table.header_fields(), expected, line=table.header_line
    )
    if problem is not None:
        raise problem


# ---------------------------------------------------------------- row-level processing
def _cast(col: str, kind: str) -> pl.Expr:
    c = pl.col(col)
    if kind in ("text", "category"):
        return c
    # numbers are cast as published: a value with spaces around it is rejected, not trimmed
    if kind == "int":
        return c.cast(pl.Int64, strict=False)
    if kind == "float":
        return c.cast(pl.Float64, strict=False)
    if kind == "month":
        ok = c.str.contains(_MONTH_RE)
        return pl.when(ok).then((c + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False))
    if kind == "date":
        return pl.coalesce(
            c.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
            c.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
        )
    if kind == "datetime":
        return c.str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%:z", strict=False, time_unit="us"
        ).dt.convert_time_zone("Europe/London")
    if kind == "bool":
        low = c.str.to_lowercase()
        return pl.when(low == "true").then(True).when(low == "false").then(False)
    raise AssertionError(kind)  # pragma: no cover


def _constant_cast(frame: pl.DataFrame, col: str, kind: str) -> pl.Expr | None:
    """The typed column as a literal when every row holds the same month or date.

    A data.police.uk file holds one month, so parsing one value instead of every row's
    saves a regex and a date parse per row. None when the column varies or has blanks.
    """
    if kind not in ("month", "date") or frame.height == 0:
        return None
    values = frame.get_column(col)
    first = values[0]
    if first is None or values.null_count() or not (values == first).all():
        return None
    return _typed_literal(kind, first).alias(f"{col}__value")


@lru_cache(maxsize=256)
def _typed_literal(kind: str, text: str) -> pl.Expr:
    typed = pl.DataFrame({"v": [text]}).select(_cast("v", kind)).to_series()
    return pl.lit(typed[0], dtype=typed.dtype)


_KIND_TEXT = {
    "int": "a whole number",
    "float": "a number",
    "month": "a month written YYYY-MM",
    "date": "a date written YYYY-MM-DD or DD/MM/YYYY",
    "datetime": "a date-time written YYYY-MM-DDTHH:MM:SS+HH:MM",
    "bool": "True or False",
}


def _found(col: str) -> pl.Expr:
    return pl.concat_str([pl.lit(", found '"), pl.col(col), pl.lit("'")])


Check = tuple[str | None, pl.Expr | str, pl.Expr]


@dataclass(frozen=True)
class _StaticPlan:
    """The expressions that depend on the spec alone, built once per spec."""

    casts: dict[str, pl.Expr]
    column_checks: list[Check]
    unique_checks: list[Check]


_PLANS: dict[int, tuple[DatasetSpec, _StaticPlan]] = {}


def _static_plan(spec: DatasetSpec) -> _StaticPlan:
    """Casts and declared checks of ``spec``, cached: building them per file cost more in
    Python than evaluating them on a small file."""
    cached = _PLANS.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    checks: list[Check] = []
    for c in spec.columns:
        value = pl.col(f"{c.name}__value")
        if c.kind not in ("text", "category"):
            checks.append(
                (
                    c.source,
                    pl.concat_str([pl.lit(f"expected {_KIND_TEXT[c.kind]}"), _found(c.name)]),
                    pl.col(c.name).is_not_null() & value.is_null(),
                )
            )
        if c.required:
            checks.append(
                (c.source, "a value is required but the field is blank", pl.col(c.name).is_null())
            )
        if c.allowed is not None:
            checks.append(
                (
                    c.source,
                    pl.concat_str([pl.lit("unknown value"), _found(c.name)]),
                    value.is_not_null() & ~value.is_in(sorted(c.allowed)),
                )
            )
        if c.minimum is not None:
            checks.append(
                (
                    c.source,
                    pl.concat_str([pl.lit(f"below the minimum {c.minimum:g}"), _found(c.name)]),
                    value < c.minimum,
                )
            )
        if c.maximum is not None:
            checks.append(
                (
                    c.source,
                    pl.concat_str([pl.lit(f"above the maximum {c.maximum:g}"), _found(c.name)]),
                    value > c.maximum,
                )
            )
    unique: list[Check] = []
    for u in spec.unique:
        col = (
            next(c for c in spec.columns if c.name == u)
            if any(c.name == u for c in spec.columns)
            else None
        )
        unique.append(
            (
                col.source if col else u,
                pl.concat_str([pl.lit("duplicate of an earlier row in this file"), _found(u)]),
                pl.col(u).is_not_null() & ~pl.col(u).is_first_distinct(),
            )
        )

    plan = _StaticPlan(
        casts={c.name: _cast(c.name, c.kind).alias(f"{c.name}__value") for c in spec.columns},
        column_checks=checks,
        unique_checks=unique,
    )
    _PLANS[id(spec)] = (spec, plan)
    return plan


def process_file(src: SourceFile, staging: Path, sha: str) -> FileResult:
    """Parse, validate and write one file; return its counts and rejected rows."""
    t0 = time.perf_counter()
    spec = src.spec
    try:
        data = src.read_bytes()
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise InputFileError(src.display, f"cannot be read ({exc})") from None
    ctx = replace(src.context(), raw=data)
    if not sha:
        sha = hashlib.sha256(data).hexdigest()
    table = src.load_table(data)
    names = [c.name for c in spec.columns]
    width = max(len(table.header_fields()), len(names))
    frame = reader.split_rows(table, src.display, names, width)
    rows_in = frame.height
    if table.bad_lines:
        frame = frame.with_columns(
            pl.col("source_line").is_in(sorted(table.bad_lines)).alias("__bad_bytes")
        )
    if spec.prepare is not None:
        frame = spec.prepare(frame, ctx)
    static = _static_plan(spec)
    casts = []
    for c in spec.columns:
        constant = _constant_cast(frame, c.name, c.kind)
        casts.append(constant if constant is not None else static.casts[c.name])
    fields_bad, fields_reason = reader.field_count_problem(names, width)
    checks: list[Check] = [(None, fields_reason, fields_bad)]
    if table.bad_lines:
        checks.append(
            (
                None,
                "undecodable bytes: the line is neither UTF-8 nor Windows-1252 text",
                pl.col("__bad_bytes"),
            )
        )
    checks.extend(static.column_checks)
    if spec.checks is not None:
        checks.extend(spec.checks(frame, ctx))
    checks.extend(static.unique_checks)

    def as_expr(v):
        return v if isinstance(v, pl.Expr) else pl.lit(v)

    # one pass computes every check as a boolean; messages are built for failing rows only
    flags = [f"__bad{i}" for i in range(len(checks))]
    frame = (
        frame.lazy()
        .with_columns(casts)
        # a null flag (a check on a blank value) is not a failure: ``when`` skips it
        .with_columns(bad.alias(f) for f, (_, _, bad) in zip(flags, checks, strict=True))
        .with_columns(pl.any_horizontal(flags).fill_null(False).alias("__any_bad"))
        .collect()
    )
    if frame["__any_bad"].any():
        bad = frame.filter(pl.col("__any_bad")).with_columns(
            pl.coalesce(
                [
                    pl.when(pl.col(f)).then(as_expr(msg))
                    for f, (_, msg, _) in zip(flags, checks, strict=True)
                ]
            ).alias("__reason"),
            pl.coalesce(
                [
                    pl.when(pl.col(f)).then(pl.lit(col, dtype=pl.String))
                    for f, (col, _, _) in zip(flags, checks, strict=True)
                ]
            ).alias("__column"),
        )
        kept = frame.filter(~pl.col("__any_bad"))
    else:
        bad = frame.clear()
        kept = frame

    rejects = None
    if bad.height:
        raw = [reader.decode_line(table, i) for i in bad["source_line"].to_list()]
        rejects = pl.DataFrame(
            {
                "source_file": [src.display] * bad.height,
                "source_line": bad["source_line"],
                "column": bad["__column"],
                "reason": bad["__reason"],
                "raw": raw,
            }
        )
    typed_names = {c.name for c in spec.columns} | {f"{c.name}__value" for c in spec.columns}
    extra = [
        n
        for n in kept.columns
        if n not in typed_names and not n.startswith("__") and n != "source_line"
    ]
    # built from the columns directly: a query's fixed cost counts over hundreds of files
    kept = pl.DataFrame(
        [
            *(kept.get_column(f"{c.name}__value").alias(c.name) for c in spec.columns if c.keep),
            *(kept.get_column(n) for n in extra),
            pl.Series("source_file", [src.display], dtype=pl.String).new_from_index(0, kept.height),
            kept.get_column("source_line").cast(pl.Int32),
        ]
    )
    result = FileResult(
        spec.name, src.display, sha, rows_in=rows_in, rejects=rejects, encoding=table.encoding
    )
    result.rows_rejected = bad.height
    result.rows_kept = kept.height
    if result.rows_kept + result.rows_rejected != rows_in:
        # nothing may be dropped silently: this is a bug, never a data problem
        raise RuntimeError(f"{src.display}: rows in {rows_in} != kept + rejected")
    if spec.finish is not None:
        kept = spec.finish(kept, ctx)
    result.outputs = _write_outputs(kept, spec, src.key, staging)
    result.seconds = time.perf_counter() - t0
    return result


def _write_outputs(kept: pl.DataFrame, spec: DatasetSpec, key: str, staging: Path) -> list[str]:
    outputs: list[str] = []
    if kept.height == 0:  # nothing kept (header only, or every row rejected): no file
        return outputs
    if spec.month_column:
        mcol = kept[spec.month_column]
        if mcol.dtype != pl.String and mcol.null_count() == 0 and mcol.min() == mcol.max():
            # the usual case, one month per file: no per-row formatting or partitioning
            first = mcol[0]
            parts = {(f"{first.year:04d}-{first.month:02d}",): kept}
        else:
            month_key = (
                mcol.dt.strftime("%Y-%m") if mcol.dtype != pl.String else mcol.str.slice(0, 7)
            ).fill_null("unknown")
            parts = kept.with_columns(month_key.alias("__part")).partition_by(
                "__part", as_dict=True, include_key=False
            )
        for (part,), frame in parts.items():
            rel = f"{spec.name}/period={part}/{key}.parquet"
            _write_parquet(frame, staging / rel)
            outputs.append(rel)
    else:
        rel = f"{spec.name}/{key}.parquet"
        _write_parquet(kept, staging / rel)
        outputs.append(rel)
    return sorted(outputs)


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, compression="zstd", compression_level=1, statistics=True)


# ---------------------------------------------------------------- the run
def _load_log(processed_dir: Path) -> dict:
    path = processed_dir / LOG_NAME
    if not path.is_file():
        return {"files": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"files": []}


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def run_ingest(raw_dir, processed_dir, *, console=None, datasets=None) -> IngestSummary:
    """Validate every registered dataset found under ``raw_dir``; write Parquet tables.

    Parameters
    ----------
    raw_dir, processed_dir : path-like
        The folder holding ``police_uk/`` and the other sources, and the output folder.
    console : rich.console.Console, optional
        Where progress and the summary are shown (nothing is shown without one).
    datasets : iterable of str, optional
        Only these dataset names (default: all registered).

    Returns
    -------
    IngestSummary

    Raises
    ------
    InputFileError
        A file-level fault (header mismatch, missing columns, empty or unreadable file);
        ``processed_dir`` is then left exactly as it was.
    """
    t0 = time.perf_counter()
    raw_dir = Path(raw_dir)
    processed_dir = Path(processed_dir)
    if not raw_dir.is_dir():
        raise InputFileError(
            str(raw_dir), "raw data folder does not exist; run `sa demo` or add downloads"
        )
    specs = registered_datasets()
    if datasets is not None:
        specs = {k: v for k, v in specs.items() if k in set(datasets)}
    sources = discover(raw_dir, specs)
    previous = {e["file"]: e for e in _load_log(processed_dir).get("files", [])}

    # 1. skip unchanged files: same size and mtime, or else the same content hash
    hashes: dict[Path, tuple[str, int, int]] = {}
    todo: list[tuple[SourceFile, tuple[str, int, int]]] = []
    results: list[FileResult] = []
    for src in sources:
        if src.path not in hashes:
            st = src.path.stat()
            prev = previous.get(src.display)
            if prev and prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns:
                hashes[src.path] = (prev["sha256"], st.st_size, st.st_mtime_ns)
            elif prev is None and src.member is None:
                # a new file: hashed from the bytes read for parsing, not read twice
                hashes[src.path] = ("", st.st_size, st.st_mtime_ns)
            else:
                hashes[src.path] = (_sha256(src.path), st.st_size, st.st_mtime_ns)
        sha, size, mtime = hashes[src.path]
        prev = previous.get(src.display)
        version = _spec_version(src.spec)
        if (
            prev
            and prev["sha256"] == sha
            and prev.get("spec_version") == version
            and all((processed_dir / o).is_file() for o in prev.get("outputs", []))
        ):
            entry = FileResult(**{k: prev[k] for k in FileResult.__dataclass_fields__ if k in prev})
            entry.size, entry.mtime_ns, entry.skipped = size, mtime, True
            results.append(entry)
        else:
            todo.append((src, hashes[src.path]))

    # 2. file-level checks before anything is written
    for src, _ in todo:
        check_header(src)

    # 3. parse and validate into a staging folder beside processed/
    staging = processed_dir.parent / f".{processed_dir.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    new_results: list[FileResult] = []
    try:
        if todo:
            staging.mkdir(parents=True)
            new_results = _process_all(todo, staging, console)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    # 4. commit
    removed = [f for f in previous if f not in {s.display for s in sources}]
    try:
        _commit(processed_dir, staging, previous, new_results, results, removed, specs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary = IngestSummary(
        files=results + new_results, seconds=time.perf_counter() - t0, removed=removed
    )
    log = {
        "engine_version": ENGINE_VERSION,
        "raw_dir": str(raw_dir),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "summary": {
            "files": len(summary.files),
            "files_read": summary.files_read,
            "files_unchanged": len(summary.files) - summary.files_read,
            "rows_kept": summary.rows_kept,
            "rows_rejected": summary.rows_rejected,
            "seconds": round(summary.seconds, 3),
        },
        "files": sorted(
            (f.log_entry() for f in summary.files), key=lambda e: (e["dataset"], e["file"])
        ),
        # the synthetic demo's marker follows the raw folder (sa_toolkit.demo_data)
        "synthetic_demo": carry_marker(raw_dir, processed_dir),
    }
    _atomic_write_text(processed_dir / LOG_NAME, json.dumps(log, indent=1))
    if datasets is None:
        summary.unread = list(unread_partner_files(raw_dir, sources))
    if console is not None:
        _print_summary(console, summary)
        print_unread(console, summary)
    return summary


def print_unread(console, summary: IngestSummary) -> None:
    """Name the partner files no dataset reads, so a misnamed extract is not missed."""
    for name in summary.unread:
        console.print(
            f"Not read: {name} (partner files are <dataset>.csv or <dataset>.xlsx, "
            "named as in data/templates/)",
            highlight=False,
        )


def _threads() -> int:
    """Files read at once: two per core, so that while one file's thread holds the
    interpreter (building expressions, small Series steps) polars keeps every core busy
    (measured on 2 cores: 4 threads 4.3-4.5 s, 3 threads 4.6 s, 2 threads 4.9 s)."""
    return 2 * (os.cpu_count() or 1)


def _process_all(todo, staging: Path, console) -> list[FileResult]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("[bold]Ingest[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=console is None,
    )
    # threads, not processes: polars, zstd and SHA-256 release the interpreter lock, and
    # threads cost nothing to start (two spawned workers cost about 1 CPU-second each run
    # to import polars and the specs) and share one copy of the libraries in memory
    parallel = [i for i, (src, _) in enumerate(todo) if src.spec.parallel]
    # largest first, so that the last file to finish is a small one
    parallel.sort(key=lambda i: -todo[i][1][1])
    results: dict[int, FileResult] = {}

    def done(i: int, res: FileResult) -> None:
        src, (_sha, size, mtime) = todo[i]
        res.size, res.mtime_ns, res.spec_version = size, mtime, _spec_version(src.spec)
        results[i] = res
        progress.update(task, advance=1, description=src.display)

    with progress:
        task = progress.add_task("", total=len(todo))
        if len(parallel) > 1:
            with ThreadPoolExecutor(max_workers=_threads()) as pool:
                futures = {
                    pool.submit(process_file, todo[i][0], staging, todo[i][1][0]): i
                    for i in parallel
                }
                try:
                    for i, (src, h) in enumerate(todo):
                        if not src.spec.parallel:
                            done(i, process_file(src, staging, h[0]))
                    for fut in as_completed(futures):
                        done(futures[fut], fut.result())
                except BaseException:
                    # files not started are dropped; those running finish before the
                    # caller removes the staging folder
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        for i, (src, h) in enumerate(todo):
            if i not in results:
                done(i, process_file(src, staging, h[0]))
    return [results[i] for i in range(len(todo))]


def _commit(processed_dir, staging, previous, new_results, kept_results, removed, specs) -> None:
    processed_dir.mkdir(parents=True, exist_ok=True)
    for res in new_results:
        for rel in res.outputs:
            dest = processed_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, dest)
        old = previous.get(res.file, {}).get("outputs", [])
        for rel in set(old) - set(res.outputs):
            (processed_dir / rel).unlink(missing_ok=True)
    for file in removed:
        for rel in previous[file].get("outputs", []):
            (processed_dir / rel).unlink(missing_ok=True)
    # rejects: keep those of unchanged files, replace those of files read again
    redone = {r.file for r in new_results} | set(removed)
    by_dataset: dict[str, list[pl.DataFrame]] = {}
    for res in new_results:
        if res.rejects is not None:
            by_dataset.setdefault(res.dataset, []).append(res.rejects)
    datasets = {r.dataset for r in new_results} | {previous[f]["dataset"] for f in removed}
    for name in sorted(datasets):
        path = processed_dir / "rejects" / f"{name}.parquet"
        frames = by_dataset.get(name, [])
        if path.is_file():
            old = pl.read_parquet(path).filter(~pl.col("source_file").is_in(sorted(redone)))
            frames = [old, *frames]
        frames = [f.select(REJECT_COLUMNS).cast({"source_line": pl.Int64}) for f in frames]
        combined = (
            pl.concat(frames)
            if frames
            else pl.DataFrame(
                schema={c: (pl.Int64 if c == "source_line" else pl.String) for c in REJECT_COLUMNS}
            )
        )
        if combined.height == 0:
            path.unlink(missing_ok=True)
            path.with_suffix(".csv").unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        combined.write_parquet(tmp)
        os.replace(tmp, path)
        tmp_csv = path.with_name(f".{name}.csv.tmp")
        # the raw lines of hostile rows: safe to open in Excel (no live formulas)
        write_polars_csv(combined, tmp_csv)
        os.replace(tmp_csv, path.with_suffix(".csv"))
    # empty month folders left by removed files
    for spec_name in specs:
        base = processed_dir / spec_name
        if base.is_dir():
            for sub in base.iterdir():
                if sub.is_dir() and not any(sub.iterdir()):
                    sub.rmdir()


def _print_summary(console, summary: IngestSummary) -> None:
    from rich import box
    from rich.table import Table

    table = Table(title="Ingest summary", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("dataset", no_wrap=True)
    for col in ("files", "read", "unchanged", "kept", "rejected", "s"):
        table.add_column(
            col, justify="right", no_wrap=True, min_width=11 if col == "kept" else max(len(col), 4)
        )
    by: dict[str, list[FileResult]] = {}
    for f in summary.files:
        by.setdefault(f.dataset, []).append(f)
    for name in sorted(by):
        fs = by[name]
        read = [f for f in fs if not f.skipped]
        table.add_row(
            name,
            f"{len(fs):,}",
            f"{len(read):,}",
            f"{len(fs) - len(read):,}",
            f"{sum(f.rows_kept for f in fs):,}",
            f"{sum(f.rows_rejected for f in fs):,}",
            f"{sum(f.seconds for f in read):.1f}",
        )
    console.print(table)
    msg = (
        f"{len(summary.files):,} files ({summary.files_read:,} read, "
        f"{len(summary.files) - summary.files_read:,} unchanged); "
        f"{summary.rows_kept:,} rows kept, {summary.rows_rejected:,} rejected; "
        f"{summary.seconds:.1f} s"
    )
    if summary.rows_rejected:
        msg += " - rejected rows are in processed/rejects/"
    if summary.removed:
        msg += f"; {len(summary.removed)} files no longer in raw/ removed"
    console.print(msg, highlight=False)
    # files not read as plain UTF-8 CSV, so the analyst knows how each was understood
    for f in summary.files:
        if not f.skipped and f.encoding and not f.encoding.startswith("utf-8"):
            console.print(f"{f.file}: read as {f.encoding}", highlight=False)
