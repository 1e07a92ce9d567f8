"""sa ingest reading many police files at once (threads): per-file counts, rejects and
file-level faults are the same as when files are read one by one; a month that is the
same on every row (parsed once per file) is validated like any other."""

from __future__ import annotations

import json

import pandas as pd
from test_police_ingest import FORCE, GOOD, ingest, snapshot, write

from sa_toolkit.tables import read_table


def _row(crime_id: str, month: str, crime_type: str = "Burglary") -> str:
    return f"{crime_id},{month},{FORCE},{FORCE},-0.1,51.5,On or near A,E01000001,City 001A,{crime_type},,"


def _months() -> list[str]:
    return [f"2024-{m:02d}" for m in range(1, 13)]


def test_many_files_read_at_once_keep_per_file_counts_and_rejects(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    # twelve files of 1..12 good rows; three of them also carry faults
    for n, month in enumerate(_months(), start=1):
        rows = [_row(f"{month}-{i}", month) for i in range(n)]
        if month == "2024-03":  # every row's month badly formed: all rejected
            rows = [_row(f"x{i}", "2024-13") for i in range(n)]
        if month == "2024-05":  # every row the same month, but not the file's
            rows = [_row(f"y{i}", "2024-04") for i in range(n)]
        if month == "2024-07":  # months differ within the file: one good, one out of range
            rows += [_row("z1", "2024-06"), _row("z2", "2024-07", "Space piracy")]
        write(raw, month, "street", rows)
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output

    log = json.loads((processed / "_ingest_log.json").read_text())
    by_file = {e["file"]: e for e in log["files"]}
    assert len(by_file) == 12
    for n, month in enumerate(_months(), start=1):
        entry = by_file[f"police_uk/{month}/{month}-test-force-street.csv"]
        rejected = {"2024-03": 3, "2024-05": 5, "2024-07": 2}.get(month, 0)
        rows_in = n + (2 if month == "2024-07" else 0)
        assert (entry["rows_in"], entry["rows_rejected"]) == (rows_in, rejected), month
        assert entry["rows_kept"] + entry["rows_rejected"] == entry["rows_in"]

    rejects = pd.read_parquet(processed / "rejects" / "police_street.parquet")
    # 3 + 5 + 2 rejected rows, each with its own file and line
    assert len(rejects) == 10
    march = rejects[rejects["source_file"].str.contains("2024-03")]
    assert sorted(march["source_line"]) == [2, 3, 4]
    assert set(march["reason"]) == {"expected a month written YYYY-MM, found '2024-13'"}
    may = rejects[rejects["source_file"].str.contains("2024-05")]
    assert set(may["reason"]) == {
        "month out of range: expected 2024-05 (the file's month), found '2024-04'"
    }
    july = rejects[rejects["source_file"].str.contains("2024-07")].set_index("source_line")
    assert "month out of range" in july.loc[9, "reason"]  # 7 good rows, then z1 on line 9
    assert july.loc[10, "reason"] == "unknown crime type 'Space piracy'"

    street = read_table("police_street", processed)
    # 1 + 2 + ... + 12 = 78 rows of which the 3 of 2024-03 and 5 of 2024-05 are rejected
    assert len(street) == 70
    assert street.groupby("month", observed=True).size().to_dict() == {
        pd.Period(m, "M"): n
        for n, m in enumerate(_months(), start=1)
        if m not in ("2024-03", "2024-05")
    }


def test_fault_found_while_files_are_read_at_once_leaves_processed_untouched(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    for month in _months()[:6]:
        write(raw, month, "street", [g.replace("2024-01", month) for g in GOOD])
    assert ingest(raw, processed).exit_code == 0
    before = snapshot(processed)
    for month in _months()[:6]:  # every file changes, so all are read again
        write(raw, month, "street", [g.replace("2024-01", month) for g in GOOD[:3]])
    # a quoted field never closed: found only when the file is parsed
    write(raw, "2024-04", "street", [_row("q1", "2024-04"), '"q2,2024-04,unterminated'])
    result = ingest(raw, processed)
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "police_uk/2024-04/2024-04-test-force-street.csv" in message
    assert "quoted field that is never closed" in message and "line 3" in message
    assert "Traceback" not in result.output
    assert snapshot(processed) == before
    assert not list(processed.parent.glob(".processed.staging-*"))
