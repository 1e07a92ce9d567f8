"""Most Similar Group data as published: the Home Office open data table of recorded crime by
Community Safety Partnership (one row per partnership, offence and quarter). Expected
figures are summed by hand in each test."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.ingest import run_ingest
from sa_toolkit.ingest.msg import HOME_OFFICE, crime_type, financial_year, name_key
from sa_toolkit.tables import read_table

LSOA_LAD = "LSOA11CD,LSOA11NM,LAD20CD,LAD20NM\nE01000001,Alpha 001A,E08000001,Alpha\nE01000002,Beta 001A,E08000002,Beta\n"
LAD_CSP = "FID,LAD19CD,LAD19NM,CSP19CD,CSP19NM\n1,E08000001,Alpha,E22000001,Alpha\n2,E08000002,Beta,E22000002,Beta\n"
POPULATION = "LSOA11CD,Population\nE01000001,1000\nE01000002,3000\n"


def ho_rows() -> list[list]:
    """2013/14 complete (4 quarters), 2014/15 with quarter 1 only."""
    rows = []
    for q in (1, 2, 3, 4):
        rows += [
            ["2013/14", q, "Northshire", "Alpha", "Assault with injury", "Violence against the person", "Violence with injury", "8N", 10],
            ["2013/14", q, "Northshire", "Alpha", "Rape of a female aged 16 and over", "Sexual offences", "Rape", "19C", 1],
            ["2013/14", q, "Northshire", "Alpha", "Domestic burglary", "Theft offences", "Domestic burglary", "28", 5],
            ["2013/14", q, "Northshire", "Beta", "Assault with injury", "Violence against the person", "Violence with injury", "8N", 30],
            ["2013/14", q, "Southshire", "Gamma CSP", "Assault with injury", "Violence against the person", "Violence with injury", "8N", 2],
        ]  # fmt: skip
    rows.append(["2014/15", 1, "Northshire", "Alpha", "Assault with injury", "Violence against the person", "Violence with injury", "8N", 99])  # fmt: skip
    return rows


def lay_out(raw: Path) -> None:
    (raw / "geography" / "population").mkdir(parents=True)
    (raw / "msg").mkdir()
    (raw / "geography" / "lsoa_lad.csv").write_text(LSOA_LAD, encoding="utf-8")
    (raw / "geography" / "lad_csp.csv").write_text(LAD_CSP, encoding="utf-8")
    (raw / "geography" / "population" / "census2021.csv").write_text(POPULATION, encoding="utf-8")


def check(processed: Path) -> None:
    msg = read_table("msg_crime", processed)
    fy = msg[msg["financial_year"] == "2013/14"].set_index(["area_code", "offence_group"])
    # Alpha: violence 4 x 10 + sexual 4 x 1 = 44 "Violence and sexual offences"; burglary 4 x 5
    assert fy.loc[("E22000001", "Violence and sexual offences"), "offences"] == 44
    assert fy.loc[("E22000001", "Burglary"), "offences"] == 20
    assert fy.loc[("E22000002", "Violence and sexual offences"), "offences"] == 120
    assert fy.loc[("E22000001", "Violence and sexual offences"), "population"] == 1000
    assert fy.loc[("E22000002", "Violence and sexual offences"), "population"] == 3000
    # Gamma has no code in the lookup and no population: kept under its name, no rate
    assert fy.loc[("Gamma CSP", "Violence and sexual offences"), "offences"] == 8
    assert str(fy.loc[("Gamma CSP", "Violence and sexual offences"), "population"]) == "<NA>"
    # national: the partnerships with a population (Alpha and Beta): 44 + 120; 4,000 residents
    national = fy.loc[("K04000001", "Violence and sexual offences")]
    assert national["offences"] == 164 and national["population"] == 4000
    assert national["area_type"] == "national"
    # 2014/15 has one quarter only: not a year
    assert set(msg["financial_year"]) == {"2013/14"}


def test_home_office_csv_is_summed_to_years_and_crime_types(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    lay_out(raw)
    import csv

    with open(raw / "msg" / "prc-csp-open-data.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HOME_OFFICE)
        writer.writerows(ho_rows())
    result = CliRunner().invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(processed)]
    )
    assert result.exit_code == 0, result.output
    assert "complete years 2013/14" in result.output
    assert "years without all four quarters are not used: 2014/15" in result.output
    check(processed)


def test_home_office_xlsx_with_a_title_above_the_header(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    lay_out(raw)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Table"
    ws.append(["Police recorded crime by Community Safety Partnership"])
    ws.append([])
    ws.append(HOME_OFFICE)
    for row in ho_rows():
        ws.append(row)
    book.save(raw / "msg" / "prc-csp-tables.xlsx")
    run_ingest(raw, processed)
    check(processed)


def test_rules():
    assert (
        financial_year("2013/14")
        == financial_year("2013-14")
        == financial_year("2013/2014")
        == "2013/14"
    )
    assert financial_year("2013/15") is None
    assert name_key("Brighton & Hove CSP") == name_key("Brighton and Hove")
    assert crime_type("Theft offences", "Shoplifting") == "Shoplifting"
    assert crime_type("Miscellaneous crimes against society", "") == "Other crime"
    assert crime_type("Fraud offences", "") is None


def test_an_unrecognised_msg_file_is_refused_by_name(tmp_path):
    raw = tmp_path / "raw"
    (raw / "msg").mkdir(parents=True)
    (raw / "msg" / "peers.csv").write_text("Name,Count\nA,1\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    assert (
        "msg/peers.csv" in result.output
        and "not a recognised Most Similar Group table" in result.output
    )
