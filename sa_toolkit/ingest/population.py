"""Population estimates as published, from ``data/raw/geography/population/``.

Three layouts are recognised by their header, wherever it sits in the first rows:

- the ONS small area population estimates (SAPE) on **2011 LSOAs**, .xlsx: sheets
  ``Mid-YYYY Persons`` / ``Males`` / ``Females``, four lines of title above the header
  ``LSOA Code, LSOA Name, LA Code (2018 boundaries), ..., All Ages, 0, 1, ..., 89, 90+``
  (one sex per sheet; the Males and Females sheets are read, Persons only when alone);
- the SAPE on **2021 LSOAs**, .xlsx (a sheet per mid-year) or CSV (the mid-year in the file
  name): ``LAD 2021 Code, LAD 2021 Name, LSOA 2021 Code, LSOA 2021 Name, Total, F0, ...,
  F90, M0, ..., M90``;
- **totals only**, CSV: an LSOA code column (``LSOA11CD``, ``LSOA21CD``, ``LSOA code`` ...)
  and one count column (``Usual residents``, ``Population``, ``Total``, ``All Ages`` ...),
  the year in the file name (``census2021_...``, ``..._mid-2022.csv``). Rates work from
  totals; analyses by age say they need the age file.

The processed ``population`` table: ``year, lsoa_code, sex`` ("F"/"M"; blank for totals),
``age_band`` ("0-4" ... "90+"; "all ages" for totals), ``age_min`` (blank for totals),
``population, source_file``. A row whose ages do not add up to its total, or with a blank
or non-numeric count, is rejected with its sheet and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit.errors import InputFileError

BANDS = [(a, f"{a}-{a + 4}") for a in range(0, 90, 5)] + [(90, "90+")]
_LSOA_HEADERS = re.compile(r"^(lsoa\s*(\d{2}|20\d{2})?\s*(cd|code)|lsoa code)$", re.IGNORECASE)
_COUNT_HEADERS = {
    "usual residents", "all usual residents", "population", "total", "all ages", "persons",
    "count", "observation", "residents", "total population", "usual resident population",
}  # fmt: skip
#: the last LSOA code of the 2011 set in England (ONS LSOA 2011 names and codes); higher
#: codes are 2021 LSOAs
LAST_2011_ENGLAND_LSOA = 33768


@dataclass
class PopulationFile:
    """What one population file held."""

    file: str
    layout: str  # "SAPE 2011 LSOAs", "SAPE 2021 LSOAs", "totals"
    lsoa_vintage: int | None
    frame: pd.DataFrame  # the processed rows
    rejects: list[dict] = field(default_factory=list)
    rows_in: int = 0

    @property
    def ages(self) -> bool:
        return self.layout != "totals"


def _year_from(text: str) -> int | None:
    m = re.search(r"(?:mid|census)[-_ ]?((?:19|20)\d{2})", text, re.IGNORECASE)
    if m:
        return int(m.group(1))
    for m in re.finditer(r"(?<![\d])((?:19|20)\d{2})(?![\d])", text):
        before = text[max(0, m.start() - 5) : m.start()].lower()
        if "lsoa" not in before and "lad" not in before and "wd" not in before:
            return int(m.group(1))
    return None


def lsoa_vintage_of(codes: pd.Series) -> int | None:
    """2021 when any English code is above the last 2011 code, else None (undecided)."""
    text = codes.dropna().astype(str)
    eng = text[text.str.match(r"^E01\d{6}$")]
    if len(eng) and (eng.str.slice(3).astype(int) > LAST_2011_ENGLAND_LSOA).any():
        return 2021
    return None


def _norm(value) -> str:
    return "" if value is None else str(value).strip().lstrip("\ufeff")


def _find_header(rows: list[list]) -> int | None:
    for i, row in enumerate(rows[:20]):
        cells = [_norm(c) for c in row]
        if any(
            _LSOA_HEADERS.match(c) or c.lower() in ("lsoa 2021 code", "lsoa 2011 code")
            for c in cells
        ):
            return i
    return None


def _to_long(
    file: str,
    where: str,
    header: list[str],
    body: list[list],
    year: int,
    sex_of_sheet: str | None,
    first_line: int,
) -> tuple[pd.DataFrame, list[dict], str, int | None]:
    """One sheet or CSV below its header -> long rows by sex and five-year band."""
    cols = [_norm(c) for c in header]
    frame = pd.DataFrame(
        [list(r) + [None] * (len(cols) - len(r)) for r in body], columns=range(len(cols))
    )
    frame.columns = [c if c else f"__blank{i}" for i, c in enumerate(cols)]
    frame = frame.loc[:, ~pd.Index(frame.columns).duplicated()]
    lower = {c.lower(): c for c in frame.columns}
    code_col = next(
        (
            c
            for c in frame.columns
            if _LSOA_HEADERS.match(c) or c.lower() in ("lsoa 2021 code", "lsoa 2011 code")
        ),
        None,
    )
    if code_col is None:  # pragma: no cover - _find_header found it
        raise InputFileError(file, "has no LSOA code column")
    lines = pd.Series(np.arange(first_line, first_line + len(frame)), index=frame.index)
    frame = frame[frame[code_col].map(_norm) != ""]
    vintage = (
        2021
        if "21" in code_col or "2021" in code_col
        else 2011
        if ("11" in code_col or "2011" in code_col)
        else None
    )
    rejects: list[dict] = []

    def reject(mask: pd.Series, column: str, reason: str) -> None:
        for idx in frame.index[mask]:
            rejects.append(
                {
                    "source_file": f"{file}{where}",
                    "source_line": int(lines[idx]),
                    "column": column,
                    "reason": reason,
                    "raw": ",".join(_norm(v) for v in frame.loc[idx].tolist()[:8]) + ",...",
                }
            )

    def numbers(columns: list[str]) -> pd.DataFrame:
        values = frame[columns].apply(
            lambda s: pd.to_numeric(s.map(_norm).str.replace(",", "", regex=False), errors="coerce")
        )
        return values

    if {f"f{a}" for a in range(91)} <= set(lower) and {f"m{a}" for a in range(91)} <= set(lower):
        layout = "SAPE 2021 LSOAs"
        total_col = lower.get("total") or lower.get("all ages")
        sexes = {s: [lower[f"{s.lower()}{a}"] for a in range(91)] for s in "FM"}
    elif {str(a) for a in range(90)} <= set(lower) and "90+" in lower:
        layout = "SAPE 2011 LSOAs"
        vintage = vintage or 2011
        total_col = lower.get("all ages") or lower.get("total")
        sexes = {sex_of_sheet or "persons": [lower[str(a)] for a in range(90)] + [lower["90+"]]}
    else:
        counts = [c for c in frame.columns if c.lower() in _COUNT_HEADERS]
        if len(counts) != 1:
            raise InputFileError(
                file,
                "is not a recognised population layout",
                line=first_line - 1,
                expected="the ONS SAPE layout (single years of age) or an LSOA code column and "
                "one count column named e.g. 'Population' or 'Usual residents'",
                found=", ".join(cols[:8]),
            )
        values = numbers(counts)[counts[0]]
        bad = values.isna() | (values < 0)
        reject(bad, counts[0], "expected a whole number of residents")
        ok = ~bad
        out = pd.DataFrame(
            {
                "year": year,
                "lsoa_code": frame.loc[ok, code_col].map(_norm).to_numpy(),
                "sex": pd.NA,
                "age_band": "all ages",
                "age_min": pd.NA,
                "population": values[ok].round().astype("int64").to_numpy(),
            }
        )
        return out, rejects, "totals", vintage
    parts = []
    bad_any = pd.Series(False, index=frame.index)
    sums = pd.Series(0.0, index=frame.index)
    all_values = {}
    for sex, columns in sexes.items():
        values = numbers(columns)
        bad = values.isna().any(axis=1) | (values < 0).any(axis=1)
        reject(bad & ~bad_any, columns[0], "expected a whole number at every age")
        bad_any |= bad
        sums = sums + values.sum(axis=1)
        all_values[sex] = values
    if total_col is not None:
        total = numbers([total_col])[total_col]
        mismatch = ~bad_any & ((total - sums).abs() > 0.5)
        reject(mismatch, total_col, "the ages do not add up to the total")
        bad_any |= mismatch
    ok = ~bad_any
    codes = frame.loc[ok, code_col].map(_norm).to_numpy()
    for sex, values in all_values.items():
        v = values[ok].to_numpy()
        for age_min, label in BANDS:
            hi = 91 if age_min == 90 else age_min + 5
            parts.append(
                pd.DataFrame(
                    {
                        "year": year,
                        "lsoa_code": codes,
                        "sex": sex,
                        "age_band": label,
                        "age_min": age_min,
                        "population": v[:, age_min:hi].sum(axis=1).round().astype("int64"),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True), rejects, layout, vintage


def _finish(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    out = frame.copy()
    out["year"] = out["year"].astype("int32")
    out["lsoa_code"] = out["lsoa_code"].astype("string")
    out["sex"] = out["sex"].astype("string")
    out["age_band"] = out["age_band"].astype("string")
    out["age_min"] = pd.array(out["age_min"], dtype="Int32")
    out["population"] = out["population"].astype("int64")
    out["source_file"] = file
    return out.sort_values(["year", "lsoa_code", "sex", "age_min"], ignore_index=True)


def read_csv_population(path: Path, display: str) -> PopulationFile:
    data = path.read_bytes()
    if not data.strip():
        raise InputFileError(display, "is empty", line=1, expected="a header line")
    # the validated reader's decoding: UTF-8 or Windows-1252 line by line, without loss
    from sa_toolkit.ingest.reader import decode

    text = decode(data)[0].decode("utf-8", "replace")
    import csv
    from io import StringIO

    rows = list(csv.reader(StringIO(text)))
    head = _find_header(rows)
    if head is None:
        raise InputFileError(
            display, "has no LSOA code column in its first rows", line=1,
            expected="a header with 'LSOA Code', 'LSOA 2021 Code', 'LSOA11CD' or 'LSOA21CD'",
            found=", ".join(rows[0][:6]) if rows else "nothing",
        )  # fmt: skip
    year = _year_from(path.name)
    if year is None:
        raise InputFileError(
            display, "does not say its year",
            expected="the mid-year in the file name, e.g. sapelsoasyoa_mid-2022.csv or census2021_residents.csv",
        )  # fmt: skip
    frame, rejects, layout, vintage = _to_long(
        display, "", rows[head], rows[head + 1 :], year, None, head + 2
    )
    if layout == "SAPE 2011 LSOAs":
        frame["sex"] = frame["sex"].replace({"persons": pd.NA})
    vintage = vintage or lsoa_vintage_of(frame["lsoa_code"])
    return PopulationFile(
        display, layout, vintage, _finish(frame, display), rejects, len(rows) - head - 1
    )


def read_xlsx_population(path: Path, display: str) -> PopulationFile:
    """Every mid-year sheet of an ONS SAPE workbook (read-only, values only)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported the same way
        raise InputFileError(display, f"cannot be read as an .xlsx workbook ({exc})") from None
    frames, rejects, layouts, vintages, rows_in = [], [], set(), set(), 0
    try:
        sheets = book.sheetnames
        sexed = {s for s in sheets if re.search(r"\b(males|females)\b", s, re.IGNORECASE)}
        for name in sheets:
            sex = None
            if re.search(r"\bfemales\b", name, re.IGNORECASE):
                sex = "F"
            elif re.search(r"\bmales\b", name, re.IGNORECASE):
                sex = "M"
            elif re.search(r"\bpersons\b", name, re.IGNORECASE):
                if sexed:
                    continue  # the males and females sheets hold the same people by sex
                sex = "persons"
            year = _year_from(name) or _year_from(path.name)
            ws = book[name]
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            head = _find_header(rows)
            if head is None or year is None:
                continue  # contents, notes and metadata sheets
            frame, bad, layout, vintage = _to_long(
                display, f" (sheet {name})", rows[head], rows[head + 1 :], year, sex, head + 2
            )
            if sex == "persons":
                frame["sex"] = pd.NA
            frames.append(frame)
            rejects.extend(bad)
            layouts.add(layout)
            vintages.add(vintage)
            rows_in += len(rows) - head - 1
    finally:
        book.close()
    if not frames:
        raise InputFileError(
            display,
            "holds no sheet of population estimates",
            expected="a sheet named like 'Mid-2020 Males' or 'Mid-2022 LSOA 2021' with a header "
            "row holding 'LSOA Code' or 'LSOA 2021 Code'",
            found=", ".join(sheets[:6]),
        )
    frame = pd.concat(frames, ignore_index=True)
    vintage = next((v for v in vintages if v), None) or lsoa_vintage_of(frame["lsoa_code"])
    return PopulationFile(
        display, sorted(layouts)[0], vintage, _finish(frame, display), rejects, rows_in
    )


def read_population(path: Path, display: str) -> PopulationFile:
    if path.suffix.lower() == ".xlsx":
        return read_xlsx_population(path, display)
    return read_csv_population(path, display)
