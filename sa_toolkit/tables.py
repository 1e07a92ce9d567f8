"""Read the processed tables written by ``sa ingest`` as pandas frames.

``month`` comes back as ``period[M]``, text codes and labels as ``category``. Ingest keeps
everything in ``raw/``; the partnership is selected here, by its LSOAs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from sa_toolkit.errors import UserError

#: columns returned as pandas categories (others keep their stored types)
CATEGORY_COLUMNS = {
    "reported_by", "falls_within", "lsoa_code", "lsoa_name", "crime_type",
    "crime_type_published", "last_outcome_category", "outcome_type", "force", "type",
    "gender", "age_range", "self_defined_ethnicity", "officer_defined_ethnicity",
    "legislation", "object_of_search", "outcome", "ward_code", "ward_name", "csp_code",
    "csp_name", "lad_code", "lad_name", "msoa_code", "msoa_name",
    "pfa_code", "pfa_name", "place_level", "sex", "age_band", "area_code", "area_name",
    "area_type", "financial_year", "offence_group", "source_file",
}  # fmt: skip


def _processed_dir(processed_dir) -> Path:
    if processed_dir is not None:
        return Path(processed_dir)
    from sa_toolkit.config import load_config

    return load_config().processed_dir


def read_table(name: str, processed_dir=None, columns=None, filters=None) -> pd.DataFrame:
    """Read one processed table.

    Parameters
    ----------
    name : str
        Dataset name, e.g. ``police_street``, ``population``, ``lookup``, ``msg_crime``.
    processed_dir : path-like, optional
        Default: the configured ``data.processed_dir``.
    columns : list of str, optional
        Only these columns.
    filters : list of tuples, optional
        pyarrow-style filters, e.g. ``[("lsoa_code", "in", codes), ("month", ">=", date)]``;
        applied while reading (row groups and files are skipped where possible).

    Returns
    -------
    pandas.DataFrame
    """
    folder = _processed_dir(processed_dir) / name
    files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
    if not files:
        raise UserError(
            f"no processed table '{name}' in {folder.parent}; run `sa ingest` first "
            "(and `sa demo` for the demo data)"
        )
    # partitioning=None: the month is read from the files' own date column
    dataset = ds.dataset([str(f) for f in files], format="parquet", partitioning=None)
    expr = None
    if filters:
        for col, op, value in filters:
            field = ds.field(col)
            if op == "in":
                term = field.isin(list(value))
            elif op == "not in":
                term = ~field.isin(list(value))
            else:
                term = {
                    "==": field == value, "=": field == value, "!=": field != value,
                    "<": field < value, "<=": field <= value, ">": field > value,
                    ">=": field >= value,
                }[op]  # fmt: skip
            expr = term if expr is None else expr & term
    if columns is not None:
        missing = [c for c in columns if c not in dataset.schema.names]
        if missing:
            raise UserError(
                f"table '{name}' has no column {missing[0]!r}; it has {', '.join(dataset.schema.names)}"
            )
    table = dataset.to_table(columns=list(columns) if columns else None, filter=expr)
    frame = table.to_pandas()
    if "month" in frame.columns:
        frame["month"] = pd.PeriodIndex(pd.to_datetime(frame["month"]), freq="M")
    for col in frame.columns:
        if col in CATEGORY_COLUMNS:
            frame[col] = frame[col].astype("category")
    return frame


def partnership_lsoas(cfg) -> list[str]:
    """The partnership's LSOA codes: ``partnership.lsoas`` or, if empty, the rows of the
    processed lookup whose partnership (CSP) or local authority code is ``partnership.code``
    (codes of every LSOA vintage the lookup holds, so police data of either vintage joins)."""
    if cfg.lsoas:
        return list(cfg.lsoas)
    from sa_toolkit.geography import partnership_rows

    if (Path(cfg.processed_dir) / "lookup").is_dir():
        lookup = read_table("lookup", cfg.processed_dir)
        where = "the geography lookup"
    else:
        raise UserError(
            "partnership.lsoas is empty and no geography lookup has been ingested: put the ONS "
            "lookups in data/raw/geography/ and run `sa ingest` (sa demo writes one)"
        )
    rows = partnership_rows(lookup, cfg.partnership_code)
    if rows.empty:
        csps = lookup[["csp_code", "csp_name"]].dropna().drop_duplicates().head(6)
        examples = ", ".join(f"{r.csp_code} {r.csp_name}" for r in csps.itertuples())
        raise UserError(
            f"{where}: no LSOA has partnership or local authority code {cfg.partnership_code} "
            f"(partnership.code); it holds e.g. {examples}"
        )
    return sorted(rows["lsoa_code"].astype(str).unique())


def partnership_street(cfg, months=None, columns=None) -> pd.DataFrame:
    """Street-level rows in the partnership's LSOAs, optionally for some months.

    ``months`` may be a ``FinancialYear``, a ``PeriodIndex`` or a list of periods. Rows
    without a location have no LSOA and so cannot be placed in a partnership.
    """
    filters = [("lsoa_code", "in", partnership_lsoas(cfg))]
    if months is not None:
        idx = getattr(months, "months", months)
        idx = pd.PeriodIndex(idx, freq="M")
        filters += [
            ("month", ">=", idx.min().start_time.date()),
            ("month", "<=", idx.max().start_time.date()),
        ]
    frame = read_table("police_street", cfg.processed_dir, columns=columns, filters=filters)
    if months is not None and "month" in frame.columns:
        frame = frame[frame["month"].isin(idx)].reset_index(drop=True)
    return frame


def table_months(name: str, processed_dir=None) -> list[pd.Period]:
    """Months held by a month-partitioned processed table (e.g. ``police_street``), sorted.

    Read from the ``period=YYYY-MM`` folder names, so no file is opened; empty when the
    table was not ingested.
    """
    folder = _processed_dir(processed_dir) / name
    if not folder.is_dir():
        return []
    months = set()
    for part in folder.glob("period=*"):
        if part.is_dir() and any(part.glob("*.parquet")):
            try:
                months.add(pd.Period(part.name.split("=", 1)[1], freq="M"))
            except ValueError:
                continue
    return sorted(months)


def months_text(months) -> str:
    """``"April 2020 to March 2026"`` for a run of months (first and last), ``"no months"``
    when empty."""
    months = sorted(months)
    if not months:
        return "no months"
    first, last = months[0], months[-1]
    if first == last:
        return first.strftime("%B %Y")
    return f"{first.strftime('%B %Y')} to {last.strftime('%B %Y')}"
