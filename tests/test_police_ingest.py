"""sa ingest: file-level faults stop (exit 2, processed/ untouched), row-level faults are
quarantined and counted, zip input, label mappings, rows without location kept."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.demo.police import OUTCOMES_HEADER, STOP_SEARCH_HEADER, STREET_HEADER
from sa_toolkit.tables import read_table

HEADER = ",".join(STREET_HEADER)
FORCE = "Test Constabulary"
GOOD = [
    f"aa01,2024-01,{FORCE},{FORCE},-0.100000,51.500000,On or near High Street,E01000001,City 001A,Burglary,Under investigation,",
    f",2024-01,{FORCE},{FORCE},-0.100000,51.500000,On or near High Street,E01000001,City 001A,Anti-social behaviour,,",
    f"aa02,2024-01,{FORCE},{FORCE},,,No location,,,Violence and sexual offences,Unable to prosecute suspect,",
    f"aa03,2024-01,{FORCE},{FORCE},-1.500000,53.800000,On or near Park Road,E01000002,City 002A,Violent crime,Under investigation,",
]


def write(raw: Path, month: str, kind: str, lines: list[str] | bytes, header: str = HEADER) -> Path:
    path = raw / "police_uk" / month / f"{month}-test-force-{kind}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(lines, bytes):
        path.write_bytes(lines)
    else:
        path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def ingest(raw: Path, processed: Path):
    return CliRunner().invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(processed)]
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def good(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write(raw, "2024-01", "street", GOOD)
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    return raw, processed


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (HEADER.replace("Crime type", "Crime category") + "\n" + GOOD[0] + "\n",
         ["line 1", "column 'Crime type'", "expected 'Crime type'", "found 'Crime category'"]),
        (HEADER.replace(",Context", "") + "\n",
         ["line 1", "column 'Context'", "is missing column 12", "expected 'Context'"]),
        (b"", ["is empty", "line 1", "expected a header line"]),
        (b"\xff\xfe\x00C\x00r\x00i\x00m\x00e\n", ["unreadable", "line 1", "not UTF-8"]),
    ],
    ids=["header-mismatch", "missing-column", "empty", "unreadable"],
)  # fmt: skip
def test_file_level_fault_exits_2_and_leaves_processed_untouched(good, content, expect):
    raw, processed = good
    before = snapshot(processed)
    bad = write(raw, "2024-02", "street", content.encode() if isinstance(content, str) else content)
    result = ingest(raw, processed)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "police_uk/2024-02/2024-02-test-force-street.csv" in message
    for part in expect:
        assert part in message
    assert "Traceback" not in result.output
    assert snapshot(processed) == before
    assert not list(processed.parent.glob(".processed.staging-*"))
    bad.unlink()


def test_row_level_faults_are_rejected_with_reason_and_counted(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    bad_rows = [
        f"bb01,2024-13,{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,Burglary,,",
        f"bb02,2023-12,{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,Burglary,,",
        f"bb03,2024-01,{FORCE},{FORCE},5.2,51.5,On or near A,E01000001,City 001A,Burglary,,",
        f"bb04,2024-01,{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,Space piracy,,",
        f"aa01,2024-01,{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,Burglary,,",
        f"bb06,2024-01,{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,Burglary",
        f"bb07,2024-01,{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,Burglary,,,extra",
    ]
    text = "\n".join([HEADER, *GOOD, *bad_rows]).encode()
    # "Café" as Windows-1252 (what Excel on Windows writes) is text, kept whole ...
    windows_1252 = (
        f"bb08,2024-01,{FORCE},{FORCE},-0.1,51.5,On or near ".encode()
        + b"Caf\xe9"
        + b",E01000001,City 001A,Burglary,,"
    )
    # ... but 0x81 and 0x8d are defined in neither UTF-8 (as lead bytes) nor Windows-1252
    undecodable = (
        f"bb09,2024-01,{FORCE},{FORCE},-0.1,51.5,On or near ".encode()
        + b"A\x81\x8d"
        + b",E01000001,City 001A,Burglary,,"
    )
    write(raw, "2024-01", "street", text + b"\n" + windows_1252 + b"\n" + undecodable + b"\n")
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    rejects = pd.read_parquet(processed / "rejects" / "police_street.parquet").set_index(
        "source_line"
    )
    expected = {
        6: "expected a month written YYYY-MM, found '2024-13'",
        7: "month out of range: expected 2024-01 (the file's month), found '2023-12'",
        8: "coordinates outside Great Britain",
        9: "unknown crime type 'Space piracy'",
        10: "duplicate of an earlier row in this file, found 'aa01'",
        11: "wrong number of fields: expected 12, found 10",
        12: "wrong number of fields: expected 12, found 13",
        14: "undecodable bytes",
    }
    assert sorted(rejects.index) == sorted(expected)
    for line, reason in expected.items():
        assert reason in rejects.loc[line, "reason"]
        assert rejects.loc[line, "source_file"] == "police_uk/2024-01/2024-01-test-force-street.csv"
    assert rejects.loc[9, "column"] == "Crime type"
    assert rejects.loc[11, "raw"].endswith("City 001A,Burglary")
    log = json.loads((processed / "_ingest_log.json").read_text())
    (entry,) = [e for e in log["files"] if e["dataset"] == "police_street"]
    rows_in = len(GOOD) + len(bad_rows) + 2
    assert entry["rows_in"] == rows_in
    assert entry["rows_rejected"] == 8
    assert entry["rows_kept"] + entry["rows_rejected"] == entry["rows_in"]
    assert entry["encoding"] == "windows-1252"
    kept = read_table("police_street", processed)
    assert len(kept) == entry["rows_kept"] == 5
    assert kept.loc[kept["crime_id"] == "bb08", "location"].tolist() == ["On or near Café"]
    assert "8 rejected" in " ".join(result.output.split())


def test_rows_without_location_kept_and_labels_mapped(good):
    raw, processed = good
    street = read_table("police_street", processed)
    assert len(street) == 4
    assert str(street["month"].dtype) == "period[M]"
    assert street["crime_type"].dtype == "category"
    by_lsoa = street.groupby("lsoa_code", dropna=False, observed=True).size()
    assert by_lsoa.sum() == 4 and by_lsoa[by_lsoa.index.isna()].iloc[0] == 1
    mapped = street[street["crime_id"] == "aa03"].iloc[0]
    assert mapped["crime_type"] == "Violence and sexual offences"
    assert mapped["crime_type_published"] == "Violent crime"
    assert street.loc[street["crime_id"] == "aa02", "longitude"].isna().all()


def test_unchanged_reingest_skips_and_changed_file_replaces(good):
    raw, processed = good
    result = ingest(raw, processed)
    assert result.exit_code == 0
    log = json.loads((processed / "_ingest_log.json").read_text())
    assert log["summary"]["files_read"] == 0 and log["summary"]["rows_kept"] == 4
    # touched but unchanged: the content hash matches, so the file is still skipped
    path = raw / "police_uk" / "2024-01" / "2024-01-test-force-street.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert ingest(raw, processed).exit_code == 0
    log = json.loads((processed / "_ingest_log.json").read_text())
    assert log["summary"]["files_read"] == 0
    write(raw, "2024-01", "street", GOOD[:2])
    assert ingest(raw, processed).exit_code == 0
    assert len(read_table("police_street", processed)) == 2


def test_zip_archive_reads_like_extracted_folders(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    (raw / "police_uk").mkdir(parents=True)
    outcome = f"aa01,2024-02,{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,Defendant sent to Crown Court"
    stop = "Person search,2024-01-05T23:30:00+00:00,False,,51.5,-0.1,Male,18-24,Other ethnic group - Not stated,White,Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False"
    with zipfile.ZipFile(raw / "police_uk" / "download.zip", "w") as zf:
        zf.writestr("2024-01/2024-01-test-force-street.csv", "\n".join([HEADER, *GOOD]) + "\n")
        zf.writestr(
            "2024-02/2024-02-test-force-outcomes.csv",
            ",".join(OUTCOMES_HEADER) + "\n" + outcome + "\n",
        )
        zf.writestr(
            "2024-01/2024-01-test-force-stop-and-search.csv",
            ",".join(STOP_SEARCH_HEADER) + "\n" + stop + "\n",
        )
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    street = read_table("police_street", processed)
    assert len(street) == 4
    assert (
        street["source_file"].iloc[0]
        == "police_uk/download.zip!2024-01/2024-01-test-force-street.csv"
    )
    outcomes = read_table("police_outcomes", processed)
    assert outcomes["outcome_type"].tolist() == ["Suspect charged"]
    stops = read_table("police_stop_search", processed)
    assert stops["force"].tolist() == ["test-force"]
    assert stops["datetime"].dt.hour.tolist() == [23]
    assert (processed / "police_street" / "period=2024-01").is_dir()
