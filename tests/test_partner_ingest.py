"""Partner extracts through `sa ingest`: good files kept and typed, every class of bad value
quarantined with its column and reason (kept + rejected = rows in), broken files exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.ingest import run_ingest
from sa_toolkit.ingest.partner import DATASETS, PartnerDataset, template_section
from sa_toolkit.paths import PACKAGE_DATA_DIR
from sa_toolkit.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "data" / "templates"

#: one bad value per column kind, and the words its reason must contain
BAD_BY_KIND = {
    "code": ("E0100", "capital letter and 8 digits"),
    "category": ("Nonsense", "unknown value"),
    "multi": ("race;colour", "separated by ';'"),
    "flag": ("maybe", "unknown value"),
    "int": ("12.5", "whole number"),
    "number": ("lots", "number"),
    "longitude": ("12.0", "maximum"),
    "latitude": ("40.1", "minimum"),
    "datetime": ("2025-13-45 10:00", "YYYY-MM-DD HH:MM"),
    "date": ("31/02/2025", "date"),
    "month": ("2025-13", "YYYY-MM"),
    "quarter": ("2025Q5", "YYYYQn"),
    "financial_year": ("2024/26", "YYYY/YY"),
}
#: cross-column rule breaks: dataset -> [(changes to the first template row, column at fault)]
RULE_BREAKS = {
    "crime_incidents": [
        ({"offence_end": "2025-04-05 20:00"}, "offence_end"),
        ({"recorded_date": "2025-04-04"}, "offence_start"),
        ({"hate_crime": "Y", "hate_crime_strand": ""}, "hate_crime_strand"),
        ({"hate_crime": "N", "hate_crime_strand": "race"}, "hate_crime_strand"),
    ],
    "treatment_monthly": [({"in_effective_treatment": "900"}, "in_effective_treatment")],
    "drug_prevalence": [({"lower": "1900"}, "lower"), ({"upper": "1800"}, "upper")],
    "reoffending": [({"reoffenders": "413"}, "reoffenders"), ({"reoffences": "90"}, "reoffences")],
    "probation_outcomes": [
        ({"in_employment": "42"}, "in_employment"),
        ({"in_settled_accommodation": "42"}, "in_settled_accommodation"),
    ],
    "alcohol_admissions": [({"admissions": "12481"}, "admissions")],
}


def read_template(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(TEMPLATES / f"{name}.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def log_entry(processed: Path, dataset: str) -> dict:
    log = json.loads((processed / "_ingest_log.json").read_text())
    return next(f for f in log["files"] if f["dataset"] == dataset)


def test_templates_match_the_declared_headers_and_the_docs():
    doc = (ROOT / "docs" / "data_templates.md").read_text(encoding="utf-8")
    for name, dataset in DATASETS.items():
        header, rows = read_template(name)
        assert header == dataset.header, name
        assert len(rows) == 2, f"{name}: a template holds its header and two example rows"
        assert template_section(dataset) in doc, f"docs/data_templates.md is out of date for {name}"


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_template_is_a_good_file(tmp_path, name):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    header, rows = read_template(name)
    write_rows(raw / "partner" / f"{name}.csv", header, rows)
    run_ingest(raw, processed, datasets=[name])
    entry = log_entry(processed, name)
    assert (entry["rows_in"], entry["rows_kept"], entry["rows_rejected"]) == (2, 2, 0)
    table = read_table(name, processed)
    assert len(table) == 2
    dataset = DATASETS[name]
    expected = dataset.header + (["month"] if dataset.month_from else [])
    assert [c for c in table.columns if c not in ("source_file", "source_line")] == expected
    for col in dataset.columns:
        if col.kind == "flag":
            assert table[col.name].dtype == bool, col.name
        if col.kind == "datetime":
            assert pd.api.types.is_datetime64_any_dtype(table[col.name]), col.name
    if dataset.month_from:
        assert str(table["month"].dtype) == "period[M]"


def test_typed_values_of_the_crime_incident_template(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    header, rows = read_template("crime_incidents")
    write_rows(raw / "partner" / "crime_incidents.csv", header, rows)
    run_ingest(raw, processed, datasets=["crime_incidents"])
    t = read_table("crime_incidents", processed).sort_values("source_line")
    first = t.iloc[0]
    # local wall-clock time is kept as written (no time-zone shift): the night peak needs it
    assert first["offence_start"] == pd.Timestamp("2025-04-05 23:40")
    assert first["month"] == pd.Period("2025-04", "M")
    assert bool(first["alcohol_related"]) and not bool(first["domestic_abuse"])
    assert t["hate_crime_strand"].tolist()[1] == "race;religion"
    assert t["victim_age"].tolist() == [24, 15]


def _bad_rows(dataset: PartnerDataset, good: dict[str, str]):
    """The good row, then one row per column with a bad value (and what the reason says)."""
    cases = []
    for col in dataset.columns:
        if col.kind in BAD_BY_KIND:
            value, words = BAD_BY_KIND[col.kind]
            if col.kind == "int" and col.minimum is not None:
                value, words = str(int(col.minimum) - 1), "minimum"
            cases.append(({col.name: value}, col.name, words))
        if col.required:
            cases.append(({col.name: ""}, col.name, "blank"))
    for changes, column in RULE_BREAKS.get(dataset.name, []):
        cases.append((changes, column, ""))
    return cases


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_class_of_bad_value_is_quarantined(tmp_path, name):
    dataset = DATASETS[name]
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    header, rows = read_template(name)
    good = rows[0]
    cases = _bad_rows(dataset, good)
    lines = [dict(good)]
    unique_cols = [c.name for c in dataset.columns if c.unique]
    for i, (changes, _, _) in enumerate(cases):
        row = dict(good)
        for u in unique_cols:  # keep ids distinct so that only the intended fault shows
            row[u] = f"{row[u]}-{i}"
        row.update(changes)
        lines.append(row)
    lines.append(dict(good))  # an exact repeat: a duplicate id or a duplicate key
    write_rows(raw / "partner" / f"{name}.csv", header, lines)
    run_ingest(raw, processed, datasets=[name])

    entry = log_entry(processed, name)
    assert entry["rows_in"] == len(lines)
    assert entry["rows_kept"] + entry["rows_rejected"] == entry["rows_in"]
    assert entry["rows_kept"] == 1
    rejects = pd.read_parquet(processed / "rejects" / f"{name}.parquet").set_index("source_line")
    assert len(rejects) == len(cases) + 1
    for i, (changes, column, words) in enumerate(cases):
        line = i + 3  # header is line 1, the good row line 2
        got = rejects.loc[line]
        assert got["column"] == column, (changes, got["reason"])
        assert words.lower() in got["reason"].lower(), (changes, got["reason"])
        assert got["source_file"] == f"partner/{name}.csv"
    assert "duplicate" in rejects.loc[len(lines) + 1, "reason"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("area_code,cohort_quarter,cohort,offenders,reoffenders,reoffences\n", "ppo"),
        ("", "empty"),
    ],
)
def test_a_broken_file_stops_ingest_with_exit_2(tmp_path, content, words):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    (raw / "partner").mkdir(parents=True)
    (raw / "partner" / "reoffending.csv").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(processed)]
    )
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "partner/reoffending.csv" in message
    assert words in message.lower()
    assert "Traceback" not in result.output
    assert not (processed / "reoffending").exists()


@pytest.mark.parametrize("name", ["unit_costs", "deflators"])
def test_the_toolkit_defaults_are_valid_partner_files(tmp_path, name):
    """A partner file in the default's format replaces it: the default itself must pass."""
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    default = PACKAGE_DATA_DIR / f"{name}.csv"
    (raw / "partner").mkdir(parents=True)
    (raw / "partner" / f"{name}.csv").write_bytes(default.read_bytes())
    run_ingest(raw, processed, datasets=[name])
    entry = log_entry(processed, name)
    rows = len(pd.read_csv(default))
    assert (entry["rows_kept"], entry["rows_rejected"]) == (rows, 0)
