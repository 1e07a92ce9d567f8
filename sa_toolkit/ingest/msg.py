"""Most Similar Group (MSG) recorded crime, from ``data/raw/msg/`` (.csv or .xlsx), in
either of two layouts recognised by their header:

- the **Home Office open data table** of police recorded crime by Community Safety
  Partnership, as published: one row per partnership, offence and quarter, ``Financial
  Year, Financial Quarter, Force Name, CSP Name, Offence Description, Offence Group, Offence
  Subgroup, Offence Code, Number of Offences`` (any column order, extra columns ignored).
  Offences are summed to financial years and to the data.police.uk crime types (so that
  they compare with the partnership's own street-level data); a year is kept only when all
  four quarters are present (a missing quarter is missing, not zero). Partnerships are
  named, not coded: the code comes from the geography lookup's partnership names; the
  population from the population estimates through the lookup (the year's mid-year, else
  the nearest); the national row is the sum of every partnership in the table.
- the toolkit's **simple CSV**: ``Financial year, Area code, Area name, Area type, Offence
  group, Offences, Population`` (one row per area, offence group and financial year).

Both give the processed ``msg_crime`` table: ``area_code, area_name, area_type,
financial_year, offence_group, offences, population, source_file, source_line``.
"""

from __future__ import annotations

import csv
import re
import shutil
import time
from io import StringIO
from pathlib import Path

import pandas as pd

from sa_toolkit.errors import InputFileError

HOME_OFFICE = [
    "Financial Year", "Financial Quarter", "Force Name", "CSP Name", "Offence Description",
    "Offence Group", "Offence Subgroup", "Offence Code", "Number of Offences",
]  # fmt: skip
SIMPLE = [
    "Financial year", "Area code", "Area name", "Area type", "Offence group", "Offences",
    "Population",
]  # fmt: skip
MSG_COLUMNS = [
    "area_code", "area_name", "area_type", "financial_year", "offence_group", "offences",
    "population", "source_file", "source_line",
]  # fmt: skip
NATIONAL = ("K04000001", "England and Wales")
# Home Office offence group (and, for theft, subgroup) -> data.police.uk crime type, as
# data.police.uk groups the notifiable offences (police.uk "About the data": crime categories)
_BY_GROUP = {
    "violence against the person": "Violence and sexual offences",
    "sexual offences": "Violence and sexual offences",
    "robbery": "Robbery",
    "criminal damage and arson": "Criminal damage and arson",
    "drug offences": "Drugs",
    "possession of weapons offences": "Possession of weapons",
    "public order offences": "Public order",
    "miscellaneous crimes against society": "Other crime",
}
_THEFT_SUBGROUPS = {
    "domestic burglary": "Burglary",
    "non-domestic burglary": "Burglary",
    "residential burglary": "Burglary",
    "burglary": "Burglary",
    "burglary - residential": "Burglary",
    "burglary - business and community": "Burglary",
    "vehicle offences": "Vehicle crime",
    "shoplifting": "Shoplifting",
    "bicycle theft": "Bicycle theft",
    "theft from the person": "Theft from the person",
    "all other theft offences": "Other theft",
}


def _norm(text) -> str:
    return re.sub(r"\s+", " ", "" if text is None else str(text)).strip().lstrip("\ufeff")


def name_key(name: str) -> str:
    """A partnership name for matching: case, '&', punctuation and spacing ignored."""
    text = _norm(name).lower().replace("&", " and ")
    text = re.sub(r"\b(csp|community safety partnership)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def financial_year(value) -> str | None:
    """``2013/14``, ``2013-14``, ``2013/2014`` or ``2013 to 2014`` -> ``2013/14``."""
    m = re.match(r"^\s*(\d{4})\s*(?:/|-|to)\s*(\d{2}|\d{4})\s*$", _norm(value))
    if not m:
        return None
    start, end = int(m.group(1)), int(m.group(2)[-2:])
    return f"{start}/{end:02d}" if (start + 1) % 100 == end else None


def _rows(path: Path, display: str) -> list[list]:
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported alike
            raise InputFileError(display, f"cannot be read as an .xlsx workbook ({exc})") from None
        try:
            for ws in book.worksheets:
                rows = [list(r) for r in ws.iter_rows(values_only=True)]
                if _header_at(rows) is not None:
                    return rows
            return []
        finally:
            book.close()
    data = path.read_bytes()
    # the validated reader's decoding: UTF-8 or Windows-1252 line by line, without loss
    from sa_toolkit.ingest.reader import decode

    text = decode(data)[0].decode("utf-8", "replace")
    return list(csv.reader(StringIO(text)))


def _header_at(rows: list[list]) -> int | None:
    for i, row in enumerate(rows[:20]):
        cells = {_norm(c).lower() for c in row}
        if {"csp name", "number of offences"} <= cells or {"area code", "offences"} <= cells:
            return i
    return None


def read_msg(
    path: Path, display: str, csp_codes: dict[str, str], population
) -> tuple[pd.DataFrame, list[dict], dict]:
    """One MSG file -> (``msg_crime`` rows, rejected rows, what was done)."""
    rows = _rows(path, display)
    head = _header_at(rows)
    if head is None:
        raise InputFileError(
            display,
            "is not a recognised Most Similar Group table",
            line=1,
            expected="the Home Office open data table by Community Safety Partnership ("
            + ", ".join(HOME_OFFICE)
            + ") or the toolkit's simple layout ("
            + ", ".join(SIMPLE)
            + "); save an .ods table as .xlsx",
            found=", ".join(_norm(c) for c in (rows[0] if rows else [])[:9]) or "nothing",
        )
    header = [_norm(c) for c in rows[head]]
    lower = [h.lower() for h in header]
    body = [r + [None] * (len(header) - len(r)) for r in rows[head + 1 :]]
    frame = pd.DataFrame([r[: len(header)] for r in body], columns=range(len(header)))
    frame.columns = lower
    frame["source_line"] = range(head + 2, head + 2 + len(frame))
    frame = frame[frame.drop(columns="source_line").map(_norm).ne("").any(axis=1)]
    if "csp name" in lower:
        missing = [h for h in HOME_OFFICE if h.lower() not in lower]
        if missing:
            raise InputFileError(
                display,
                "lacks Home Office columns",
                line=head + 1,
                column=missing[0],
                expected=", ".join(HOME_OFFICE),
            )
        return _home_office(frame, display, csp_codes, population)
    missing = [h for h in SIMPLE if h.lower() not in lower]
    if missing:
        raise InputFileError(
            display,
            "lacks columns of the simple MSG layout",
            line=head + 1,
            column=missing[0],
            expected=", ".join(SIMPLE),
        )
    return _simple(frame, display)


def _reject(frame, mask, display, column, reason, rejects):
    for _, row in frame[mask].iterrows():
        rejects.append(
            {
                "source_file": display,
                "source_line": int(row["source_line"]),
                "column": column,
                "reason": reason,
                "raw": ",".join(_norm(v) for v in row.drop("source_line").tolist()),
            }
        )


def _simple(frame: pd.DataFrame, display: str) -> tuple[pd.DataFrame, list[dict], dict]:
    rejects: list[dict] = []
    fy = frame["financial year"].map(financial_year)
    offences = pd.to_numeric(frame["offences"].map(_norm), errors="coerce")
    population = pd.to_numeric(frame["population"].map(_norm), errors="coerce")
    area_type = frame["area type"].map(_norm)
    checks = [
        (fy.isna(), "Financial year", "expected a financial year written 2024/25"),
        (
            frame["area code"].map(_norm) == "",
            "Area code",
            "a value is required but the field is blank",
        ),
        (
            ~area_type.isin(["csp", "region", "national"]),
            "Area type",
            "expected csp, region or national",
        ),
        (
            frame["offence group"].map(_norm) == "",
            "Offence group",
            "a value is required but the field is blank",
        ),
        (
            offences.isna() | (offences < 0) | (offences % 1 != 0),
            "Offences",
            "expected a whole number of offences",
        ),
        (
            population.isna() | (population < 1) | (population % 1 != 0),
            "Population",
            "expected a whole number of residents, at least 1",
        ),
    ]
    bad = pd.Series(False, index=frame.index)
    for mask, column, reason in checks:
        _reject(frame, mask & ~bad, display, column, reason, rejects)
        bad |= mask
    ok = ~bad
    out = pd.DataFrame(
        {
            "area_code": frame.loc[ok, "area code"].map(_norm),
            "area_name": frame.loc[ok, "area name"].map(_norm),
            "area_type": area_type[ok],
            "financial_year": fy[ok],
            "offence_group": frame.loc[ok, "offence group"].map(_norm),
            "offences": offences[ok].astype("int64"),
            "population": population[ok].astype("int64"),
            "source_file": display,
            "source_line": frame.loc[ok, "source_line"].astype("int32"),
        }
    )
    return out, rejects, {"file": display, "layout": "simple", "rows": len(frame)}


def crime_type(group: str, subgroup: str) -> str | None:
    g, s = _norm(group).lower(), _norm(subgroup).lower()
    if g in _BY_GROUP:
        return _BY_GROUP[g]
    if "theft" in g or "burglary" in g or "vehicle" in g:
        return _THEFT_SUBGROUPS.get(s) or _THEFT_SUBGROUPS.get(g)
    return None


def _home_office(frame, display, csp_codes, population) -> tuple[pd.DataFrame, list[dict], dict]:
    rejects: list[dict] = []
    fy = frame["financial year"].map(financial_year)
    quarter = pd.to_numeric(
        frame["financial quarter"].map(_norm).str.replace(r"^Q", "", regex=True), errors="coerce"
    )
    offences = pd.to_numeric(
        frame["number of offences"].map(_norm).str.replace(",", ""), errors="coerce"
    )
    kind = [
        crime_type(g, s)
        for g, s in zip(frame["offence group"], frame["offence subgroup"], strict=True)
    ]
    kind = pd.Series(kind, index=frame.index, dtype="object")
    checks = [
        (fy.isna(), "Financial Year", "expected a financial year written 2013/14"),
        (~quarter.isin([1, 2, 3, 4]), "Financial Quarter", "expected a quarter 1 to 4"),
        (
            frame["csp name"].map(_norm) == "",
            "CSP Name",
            "a value is required but the field is blank",
        ),
        (
            offences.isna() | (offences % 1 != 0),
            "Number of Offences",
            "expected a whole number of offences",
        ),
        (
            kind.isna(),
            "Offence Group",
            "an offence group the toolkit cannot place in a data.police.uk crime type",
        ),
    ]
    bad = pd.Series(False, index=frame.index)
    for mask, column, reason in checks:
        _reject(frame, mask & ~bad, display, column, reason, rejects)
        bad |= mask
    ok = frame[~bad].assign(
        financial_year=fy[~bad], quarter=quarter[~bad].astype(int), offences=offences[~bad], offence_group=kind[~bad],
        area_name=frame.loc[~bad, "csp name"].map(_norm),
    )  # fmt: skip
    # a year counts only with its four quarters: in the table as a whole (the latest year
    # of a release is partial)
    quarters = ok.groupby("financial_year")["quarter"].nunique()
    complete = sorted(quarters.index[quarters == 4])
    partial = sorted(quarters.index[quarters < 4])
    ok = ok[ok["financial_year"].isin(complete)]
    by = ok.groupby(["area_name", "financial_year", "offence_group"], as_index=False).agg(
        offences=("offences", "sum"), source_line=("source_line", "min")
    )
    keys = by["area_name"].map(name_key)
    by["area_code"] = keys.map(csp_codes)
    unmatched = sorted(by.loc[by["area_code"].isna(), "area_name"].unique())
    by["area_code"] = by["area_code"].fillna(by["area_name"])
    by["area_type"] = "csp"
    by["population"] = pd.array(
        [population(c, y) for c, y in zip(by["area_code"], by["financial_year"], strict=True)],
        dtype="Int64",
    )
    # the national comparator: every partnership of the table with a population estimate
    counted = by[by["population"].notna()]
    national = counted.groupby(["financial_year", "offence_group"], as_index=False).agg(
        offences=("offences", "sum"), source_line=("source_line", "min")
    )
    pops = (
        counted.drop_duplicates(["area_code", "financial_year"])
        .groupby("financial_year")["population"]
        .sum()
    )
    national["population"] = national["financial_year"].map(pops)
    name = (
        NATIONAL[1]
        if counted["area_name"].nunique() == by["area_name"].nunique()
        else ("All partnerships with a population estimate")
    )
    national["area_code"], national["area_name"], national["area_type"] = (
        NATIONAL[0],
        name,
        "national",
    )
    out = pd.concat([by, national], ignore_index=True)
    out["population"] = pd.array(out["population"], dtype="Int64")
    out["offences"] = out["offences"].astype("int64")
    out["source_file"] = display
    out["source_line"] = out["source_line"].astype("int32")
    info = {
        "file": display,
        "layout": "Home Office open data by Community Safety Partnership",
        "rows": int(len(frame)),
        "partnerships": int(by["area_name"].nunique()),
        "years": complete,
        "partial_years": partial,
        "names_without_code": unmatched,
        "without_population": sorted(out.loc[out["population"].isna(), "area_name"].unique()),
    }
    return out[MSG_COLUMNS], rejects, info


# ---------------------------------------------------------------- most similar group
def _population_lookup(processed_dir: Path):
    """``(csp_code, "2013/14") -> residents`` from the population estimates and the lookup
    (the financial year's mid-year, else the nearest: periods.nearest_mid_year)."""
    from sa_toolkit.periods import FinancialYear, nearest_mid_year

    pop_dir, lookup_path = processed_dir / "population", processed_dir / "lookup" / "lookup.parquet"
    if not lookup_path.is_file() or not pop_dir.is_dir() or not any(pop_dir.glob("*.parquet")):
        return lambda code, fy: None
    lookup = pd.read_parquet(lookup_path, columns=["lsoa_code", "csp_code"]).drop_duplicates(
        "lsoa_code"
    )
    pop = pd.concat(
        pd.read_parquet(f, columns=["year", "lsoa_code", "population"])
        for f in sorted(pop_dir.glob("*.parquet"))
    )
    pop = pop.merge(lookup, on="lsoa_code", how="inner")
    by = pop.groupby(["csp_code", "year"])["population"].sum()
    years = sorted(int(y) for y in pop["year"].unique())

    def population(code, fy):
        used, _note = nearest_mid_year(years, FinancialYear.parse(fy))
        value = by.get((code, used))
        return None if value is None or pd.isna(value) else int(value)

    return population


def ingest_msg(raw_dir: Path, processed_dir: Path) -> tuple[list[dict], list[dict]]:
    """Most Similar Group tables (Home Office open data or the simple CSV)."""
    from sa_toolkit.ingest.geography import _entry, _files, _sha, _write_rejects

    paths = _files(raw_dir / "msg", (".csv", ".xlsx"))
    out_dir = processed_dir / "msg_crime"
    shutil.rmtree(out_dir, ignore_errors=True)
    if not paths:
        _write_rejects(processed_dir, "msg_crime", set(), [])
        return [], []
    codes: dict[str, str] = {}
    lookup_path = processed_dir / "lookup" / "lookup.parquet"
    if lookup_path.is_file():
        names = (
            pd.read_parquet(lookup_path, columns=["csp_code", "csp_name"])
            .dropna()
            .drop_duplicates()
        )
        codes = {name_key(n): c for c, n in zip(names["csp_code"], names["csp_name"], strict=True)}
    population = _population_lookup(processed_dir)
    entries, infos, rejects = [], [], []
    for path in paths:
        t0 = time.perf_counter()
        rel = path.relative_to(raw_dir).as_posix()
        frame, bad, info = read_msg(path, rel, codes, population)
        out_rel = f"msg_crime/{path.stem}.parquet"
        if len(frame):
            out_dir.mkdir(parents=True, exist_ok=True)
            for col in ("area_code", "area_name", "area_type", "financial_year", "offence_group"):
                frame[col] = frame[col].astype("string")
            frame["population"] = pd.array(frame["population"], dtype="Int64")
            frame.to_parquet(processed_dir / out_rel, index=False)
        rejects.extend(bad)
        infos.append(info)
        entries.append(
            _entry(
                "msg_crime",
                rel,
                path,
                _sha(path),
                info["rows"],
                len(bad),
                time.perf_counter() - t0,
                [out_rel] if len(frame) else [],
            )
        )
    _write_rejects(processed_dir, "msg_crime", {e["file"] for e in entries}, rejects)
    return entries, infos
