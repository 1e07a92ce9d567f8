"""Declared schemas of the partner extracts (``data/raw/partner/<dataset>.csv``).

Each :class:`PartnerDataset` declares its columns (type, allowed values, range, meaning) and
its cross-column rules. :func:`engine_spec` turns a declaration into the ingest engine's
:class:`~sa_toolkit.ingest.spec.DatasetSpec` (vectorised polars checks), registered on import,
so ``sa ingest`` validates and quarantines partner rows exactly as it does police rows. The
templates in ``data/templates/`` and ``docs/data_templates.md`` document the same
declarations (a test keeps them in step).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from sa_toolkit.ingest.spec import Column as EngineColumn
from sa_toolkit.ingest.spec import DatasetSpec, FileContext, register_dataset

# The declarations live in sa_toolkit.partner_datasets (no polars, so reports read them
# without the ingest engine); they stay importable from here, where ingest code finds them.
from sa_toolkit.partner_datasets import (  # noqa: F401 - re-exported
    _CODE_RE,
    _LAT_RANGE,
    _LOCATION,
    _LON_RANGE,
    _SUBSTANCE,
    AGREE4_SCALE,
    AGREE5_SCALE,
    ALCOHOL_ADMISSIONS,
    ASB_INCIDENTS,
    ASB_SUBCATEGORIES,
    CRIME_INCIDENTS,
    DATASETS,
    DEFLATORS,
    DRUG_PREVALENCE,
    ESP_AGE_BANDS,
    FIRE_INCIDENTS,
    HATE_STRANDS,
    KINDS,
    OFFENCE_GROUPS,
    POLICE_CRIME_TYPES,
    PROBATION_OUTCOMES,
    PROBLEM_SCALE,
    REOFFENDING,
    RESIDENTS_SURVEY,
    ROAD_CASUALTIES,
    SAFETY_SCALE,
    SATISFACTION_SCALE,
    SEXES,
    SURVEY_AGE_BANDS,
    SURVEY_QUESTION_TEXT,
    SURVEY_QUESTIONS,
    TREATMENT_MONTHLY,
    UNIT_COSTS,
    YOUTH_FTE,
    Column,
    PartnerDataset,
    Rule,
    _area,
    _count,
    _exceeds,
    _flag,
    _lsoa,
    _survey_cols,
)

# ---------------------------------------------------------------------------------------------
# The ingest engine's specs: casting, vectorised checks and the finishing step, all polars
# ---------------------------------------------------------------------------------------------

_DT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")
# kinds the engine casts itself; the others are read as text and checked here
_ENGINE_KIND = {
    "id": "text",
    "text": "text",
    "code": "category",
    "category": "category",
    "multi": "text",
    "flag": "category",
    "int": "int",
    "number": "float",
    "longitude": "float",
    "latitude": "float",
    "date": "date",
    "month": "month",
    "datetime": "text",
    "quarter": "text",
    "financial_year": "text",
}
_RANGES = {"longitude": _LON_RANGE, "latitude": _LAT_RANGE}


def _parse_datetime(expr: pl.Expr) -> pl.Expr:
    """Local (wall-clock) datetime from the accepted text forms; null when none fits."""
    return pl.coalesce(
        [expr.str.strptime(pl.Datetime("us"), fmt, strict=False) for fmt in _DT_FORMATS]
    )


def _typed(dataset: PartnerDataset) -> Callable[[str], pl.Expr]:
    """``v(name)``: the typed value of a column inside the engine's check frame."""
    kinds = {c.name: c.kind for c in dataset.columns}

    def v(name: str) -> pl.Expr:
        kind = kinds[name]
        if kind == "datetime":
            return _parse_datetime(pl.col(name))
        if kind == "flag":
            return pl.col(name) == "Y"
        if kind in ("multi", "quarter", "financial_year", "id", "text"):
            return pl.col(name)
        return pl.col(f"{name}__value")

    return v


def _value_reason(name: str, expected: str) -> pl.Expr:
    return pl.concat_str(
        [pl.lit(f"'{name}' is '"), pl.col(name), pl.lit(f"'; expected {expected}")]
    )


def _prepare(dataset: PartnerDataset) -> Callable[[pl.DataFrame, FileContext], pl.DataFrame]:
    flags = [c.name for c in dataset.columns if c.kind == "flag"]
    fys = [c.name for c in dataset.columns if c.kind == "financial_year"]
    multis = [c.name for c in dataset.columns if c.kind == "multi"]

    def prepare(frame: pl.DataFrame, context: FileContext) -> pl.DataFrame:
        text_cols = [c for c in dataset.header if c in frame.columns]
        stripped = [
            pl.col(c).str.strip_chars().replace("", None).alias(c)
            for c in text_cols
            if frame.schema[c] == pl.String
        ]
        frame = frame.with_columns(stripped)
        return frame.with_columns(
            [pl.col(c).str.to_uppercase() for c in flags]
            + [pl.col(c).str.replace(r"^(\d{4})-(\d{2})$", "$1/$2") for c in fys]
            + [pl.col(c).str.replace_all(r"\s*;\s*", ";") for c in multis]
        )

    return prepare


def _checks(dataset: PartnerDataset):
    v = _typed(dataset)

    def checks(frame: pl.DataFrame, context: FileContext):
        out = []
        for col in dataset.columns:
            c = pl.col(col.name)
            present = c.is_not_null()
            if col.kind == "code":
                out.append(
                    (
                        col.name,
                        _value_reason(col.name, KINDS["code"]),
                        present & ~c.str.contains(_CODE_RE),
                    )
                )
            elif col.kind == "datetime":
                out.append(
                    (
                        col.name,
                        _value_reason(col.name, KINDS["datetime"]),
                        present & _parse_datetime(c).is_null(),
                    )
                )
            elif col.kind == "quarter":
                out.append(
                    (
                        col.name,
                        _value_reason(col.name, KINDS["quarter"]),
                        present & ~c.str.contains(r"^\d{4}Q[1-4]$"),
                    )
                )
            elif col.kind == "financial_year":
                start = c.str.slice(0, 4).cast(pl.Int32, strict=False)
                end = c.str.slice(5, 2).cast(pl.Int32, strict=False)
                ok = c.str.contains(r"^\d{4}/\d{2}$") & ((start + 1) % 100 == end)
                out.append(
                    (
                        col.name,
                        _value_reason(col.name, KINDS["financial_year"]),
                        present & ~ok.fill_null(False),
                    )
                )
            elif col.kind == "multi":
                alternatives = "|".join(col.allowed)
                pattern = rf"^({alternatives})(;({alternatives}))*$"
                out.append(
                    (
                        col.name,
                        _value_reason(
                            col.name, "values from " + ", ".join(col.allowed) + " separated by ';'"
                        ),
                        present & ~c.str.contains(pattern),
                    )
                )
            if col.kind in ("datetime", "quarter", "financial_year", "multi") and col.required:
                out.append(
                    (col.name, f"'{col.name}' is blank; expected {KINDS[col.kind]}", ~present)
                )
        for rule in dataset.rules:
            out.append((rule.column, rule.reason, rule.bad(v).fill_null(False)))
        if dataset.key:
            keys = list(dataset.key)
            out.append(
                (
                    keys[-1],
                    "duplicate row for " + ", ".join(keys) + " (already on an earlier line)",
                    ~pl.struct(keys).is_first_distinct(),
                )
            )
        return out

    return checks


def _finish(dataset: PartnerDataset) -> Callable[[pl.DataFrame, FileContext], pl.DataFrame]:
    conversions = []
    for col in dataset.columns:
        c = pl.col(col.name)
        if col.kind == "flag":
            conversions.append((c == "Y").alias(col.name))
        elif col.kind == "datetime":
            conversions.append(_parse_datetime(c).alias(col.name))

    def finish(frame: pl.DataFrame, context: FileContext) -> pl.DataFrame:
        frame = frame.with_columns(conversions)
        if dataset.month_from:
            frame = frame.with_columns(
                pl.col(dataset.month_from).dt.truncate("1mo").cast(pl.Date).alias("month")
            )
        order = dataset.header + (["month"] if dataset.month_from else [])
        rest = [c for c in frame.columns if c not in order]
        return frame.select(order + rest)

    return finish


def engine_spec(dataset: PartnerDataset) -> DatasetSpec:
    """The ingest engine's :class:`DatasetSpec` for a partner dataset."""
    columns = []
    for col in dataset.columns:
        lo, hi = _RANGES.get(col.kind, (col.minimum, col.maximum))
        allowed = None
        if col.kind == "category":
            allowed = frozenset(col.allowed)
        elif col.kind == "flag":
            allowed = frozenset({"Y", "N"})
        columns.append(
            EngineColumn(
                source=col.name,
                name=col.name,
                kind=_ENGINE_KIND[col.kind],
                required=col.required,
                allowed=allowed,
                minimum=lo,
                maximum=hi,
            )
        )
    return DatasetSpec(
        name=dataset.name,
        # a CSV, or the workbook Excel users receive (the sheet named after the dataset, or
        # the first sheet); both at once is refused by the engine
        patterns=(dataset.raw_path, dataset.raw_path.removesuffix(".csv") + ".xlsx"),
        sheet_names=(dataset.name,),
        columns=tuple(columns),
        description=dataset.title,
        month_column="month" if dataset.month_from else None,
        unique=tuple(c.name for c in dataset.columns if c.unique),
        prepare=_prepare(dataset),
        checks=_checks(dataset),
        finish=_finish(dataset),
    )


SPECS: dict[str, DatasetSpec] = {
    name: register_dataset(engine_spec(d)) for name, d in DATASETS.items()
}


def template_section(dataset: PartnerDataset) -> str:
    """The ``docs/data_templates.md`` section documenting ``dataset`` (kept in step by a test)."""
    lines = [
        f"## {dataset.title} — `{dataset.name}`",
        "",
        f"Raw file `data/raw/{dataset.raw_path}` (or `{dataset.name}.xlsx`: sheet "
        f"`{dataset.name}`, else the first sheet); template `data/templates/{dataset.name}.csv`; "
        f"processed table `{dataset.name}`.",
        "",
        dataset.description,
        "",
        f"Typical source: {dataset.source}",
        "",
        "| column | type | allowed values | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for col in dataset.columns:
        allowed = "; ".join(f"`{a}`" for a in col.allowed) if col.allowed else ""
        if col.unique:
            allowed = (allowed + " " if allowed else "") + "unique in the file"
        lines.append(f"| `{col.name}` | {col.describe_type()} | {allowed} | {col.meaning} |")
    checks = [f"{r.reason} (rejected, reported on `{r.column}`)" for r in dataset.rules]
    if dataset.key:
        checks.append("one row per " + ", ".join(f"`{k}`" for k in dataset.key))
    if checks:
        lines += ["", "Row checks: " + "; ".join(checks) + "."]
    return "\n".join(lines) + "\n"
