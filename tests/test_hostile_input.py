"""Hostile input, property-based (hypothesis): every reader, fed random bytes, truncated
lines, wrong types, huge fields and mixed encodings, holds two invariants:

1. no traceback: a file is either read or refused with a clear message naming it
   (:class:`~sa_toolkit.errors.UserError`, exit 2 at the command line);
2. nothing is lost: rows kept + rows rejected = rows read, and rows read = the lines after
   the header (less the blank lines Excel leaves at the end), counted here independently.

Examples are capped (``max_examples``) so that the module runs in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sa_toolkit.errors import UserError
from sa_toolkit.framework import read_values
from sa_toolkit.ingest import run_ingest

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples every run: `make test` stays reproducible
)

ASB_HEADER = (
    "incident_id,source,category,subcategory,incident_datetime,lsoa_code,location,"
    "longitude,latitude"
)
ASB_GOOD = "P-1,police,nuisance,Noise,2025-04-05 22:45,X01000012,On or near A,-0.061234,51.470512"
POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
POLICE_GOOD = (
    "aa01,2024-01,Test Force,Test Force,-0.1,51.5,On or near A,E01000001,City 001A,Burglary,,"
)
READERS = {
    # dataset: (raw file, header, a good line)
    "asb_incidents": ("partner/asb_incidents.csv", ASB_HEADER, ASB_GOOD),
    "police_street": ("police_uk/2024-01/2024-01-test-street.csv", POLICE_HEADER, POLICE_GOOD),
}

SPECIAL = [
    "", " ", '"', '""', '"a,b"', ",", "=1+1", "@SUM(A1)", "-1", "1e309", "NaN", "é", "£",
    "Café", "\x00", "\t", "\r", "Y", "N", "2025-02-30", "2025-04-05 22:45", "X01000012",
    "police", "nuisance", "Noise", "-0.1", "51.5", "999999999999999999999999",
]  # fmt: skip
fields = st.one_of(
    st.text(max_size=12),
    st.sampled_from(SPECIAL),
    st.integers(min_value=2_000, max_value=60_000).map(lambda n: "x" * n),  # a huge field
)
text_lines = st.lists(fields, max_size=14).map(",".join)


def _encode(pair: tuple[str, str]) -> bytes:
    line, encoding = pair
    return line.encode(encoding, errors="replace")


lines = st.one_of(
    st.tuples(text_lines, st.sampled_from(["utf-8", "cp1252", "latin-1"])).map(_encode),
    st.binary(max_size=60),  # random bytes
    st.sampled_from([b"", b",,,,,,,,", b"\xef\xbb\xbf", b"\x81\x8d\x8f\x90\x9d"]),
)


@st.composite
def csv_bodies(draw, good: str) -> bytes:
    rows = draw(st.lists(st.one_of(lines, st.just(good.encode())), max_size=12))
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    body = ending.join(rows) + (ending if draw(st.booleans()) else b"")
    cut = draw(st.integers(min_value=0, max_value=len(body)))
    return body[:cut] if draw(st.booleans()) else body  # a truncated last line


def _expected_rows(content: bytes) -> int:
    """Lines after the header, less blank (or comma-only) lines at the end."""
    found = content.split(b"\n")
    while len(found) > 1 and not found[-1].strip(b" \t\r,"):
        found.pop()
    return len(found) - 1


def _check_ingest(raw: Path, processed: Path, dataset: str, display: str, content: bytes):
    try:
        summary = run_ingest(raw, processed, datasets=[dataset])
    except UserError as exc:
        assert display in str(exc)  # a clear message naming the file, never a traceback
        event("refused: " + str(exc).split(": ", 2)[-1][:40])
        return
    (result,) = summary.files
    event(f"read: {'some' if result.rows_rejected else 'no'} rows rejected")
    assert result.rows_kept + result.rows_rejected == result.rows_in
    if b'"' not in content:  # quotes may join lines into one row
        assert result.rows_in == _expected_rows(content)
    if result.rows_rejected:
        rejects = pd.read_parquet(processed / "rejects" / f"{dataset}.parquet")
        assert len(rejects) == result.rows_rejected
        assert rejects["reason"].notna().all()
        assert (rejects["source_line"] >= 2).all()


@pytest.mark.parametrize("dataset", sorted(READERS))
@SETTINGS
@given(data=st.data())
def test_ingest_of_hostile_csv(dataset, data):
    display, header, good = READERS[dataset]
    body = data.draw(csv_bodies(good))
    header_bytes = data.draw(
        st.sampled_from(
            [
                header.encode(),
                b"\xef\xbb\xbf" + header.upper().encode(),
                (header + ",,").encode(),
            ]
        )
    )
    content = header_bytes + b"\n" + body
    with tempfile.TemporaryDirectory() as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "processed"
        path = raw / display
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
        _check_ingest(raw, processed, dataset, display, content)


@SETTINGS
@given(content=st.binary(max_size=400))
def test_ingest_of_random_bytes(content):
    display = "partner/asb_incidents.csv"
    with tempfile.TemporaryDirectory() as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "processed"
        (raw / "partner").mkdir(parents=True)
        (raw / display).write_bytes(content)
        _check_ingest(raw, processed, "asb_incidents", display, content)


cell_values = st.one_of(
    st.none(),
    st.text(max_size=20).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t).lstrip("=")),
    st.sampled_from(["police", "nuisance", "Noise", "X01000012", "On or near A", "£", "é"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.booleans(),
    st.integers(min_value=2_000, max_value=30_000).map(lambda n: "y" * n),
)


@settings(SETTINGS, max_examples=25)
@given(
    rows=st.lists(st.lists(cell_values, max_size=12), max_size=10),
    titles=st.integers(min_value=0, max_value=2),
)
def test_ingest_of_hostile_workbook(rows, titles):
    display = "partner/asb_incidents.xlsx"
    good = [
        dt.datetime(2025, 4, 5, 22, 45) if i == 4 else (float(v) if re.match(r"-?\d", v) else v)
        for i, v in enumerate(ASB_GOOD.split(","))
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for i in range(titles):
        sheet.append([f"Title {i}"])
    sheet.append(ASB_HEADER.split(","))
    sheet.append(good)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "processed"
        (raw / "partner").mkdir(parents=True)
        workbook.save(raw / display)
        try:
            summary = run_ingest(raw, processed, datasets=["asb_incidents"])
        except UserError as exc:
            assert display in str(exc)
            return
        (result,) = summary.files
        assert result.rows_kept + result.rows_rejected == result.rows_in
        filled = [i for i, row in enumerate([good, *rows]) if any(v not in (None, "") for v in row)]
        assert result.rows_in == filled[-1] + 1  # rows up to the last one holding a value
        assert result.rows_kept >= 1  # the good row


@SETTINGS
@given(data=st.data())
def test_values_reader_never_shifts_a_row(data):
    header = "indicator_id,name,baseline,actual,comment"
    good = "NI15,Serious violence,1.2,1.0,fine"
    body = data.draw(csv_bodies(good))
    content = header.encode() + b"\n" + body
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.csv"
        path.write_bytes(content)
        try:
            frame = read_values(path)
        except UserError as exc:
            assert "values.csv" in str(exc)
            return
    # read whole or refused whole: every row read, none shifted (ids never blank)
    if b'"' not in content:
        assert len(frame) == _expected_rows(content)
    assert frame["indicator_id"].str.len().gt(0).all()
    assert len(frame.columns) == 5
