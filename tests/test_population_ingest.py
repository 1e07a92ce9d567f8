"""Population estimates as published: the ONS SAPE .xlsx on 2011 and on 2021 LSOAs, and a
totals-only CSV. Small workbooks written here in the published layouts; expected sums are
worked by hand."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.errors import UserError
from sa_toolkit.ingest import run_ingest
from sa_toolkit.ingest.population import read_population
from sa_toolkit.tables import read_table

LOOKUP = "LSOA11CD,LSOA11NM,LAD20CD,LAD20NM\nE01000001,Alpha 001A,E08000001,Alpha\nE01000002,Alpha 001B,E08000001,Alpha\n"


def sape_2011(path: Path, years=(2019,), bad_total: bool = False) -> None:
    """The 2011-LSOA series: per mid-year, Persons/Males/Females sheets, four lines of
    title above the header ``LSOA Code, LSOA Name, LA Code (2018 boundaries), LA name
    (2018 boundaries), LA Code (2019 boundaries), LA name (2019 boundaries), All Ages, 0 ..
    89, 90+``."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    contents = book.create_sheet("Contents")
    contents.append(["Lower layer Super Output Area population estimates"])
    header = [
        "LSOA Code", "LSOA Name", "LA Code (2018 boundaries)", "LA name (2018 boundaries)",
        "LA Code (2019 boundaries)", "LA name (2019 boundaries)", "All Ages",
        *[str(a) for a in range(90)], "90+",
    ]  # fmt: skip
    for year in years:
        for sex, per_age in (("Persons", 3), ("Males", 1), ("Females", 2)):
            ws = book.create_sheet(f"Mid-{year} {sex}")
            ws.append(
                [
                    f"Mid-{year} Population Estimates for 2011 LSOAs in England and Wales by Single Year of Age and Sex"
                ]
            )
            ws.append(["Persons" if sex == "Persons" else sex])
            ws.append(["Source: Office for National Statistics"])
            ws.append([])
            ws.append(header)
            for code, name in (("E01000001", "Alpha 001A"), ("E01000002", "Alpha 001B")):
                # one person of each sex per age (two women), so 91 men and 182 women
                total = per_age * 91 + (
                    1 if bad_total and sex == "Males" and code == "E01000002" else 0
                )
                ws.append(
                    [code, name, "E08000001", "Alpha", "E08000001", "Alpha", total, *[per_age] * 91]
                )
    book.save(path)


def sape_2021(path: Path, years=(2021, 2022)) -> None:
    """The 2021-LSOA series: a sheet per mid-year, header ``LAD 2021 Code, LAD 2021 Name,
    LSOA 2021 Code, LSOA 2021 Name, Total, F0 ... F90, M0 ... M90`` below a title."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.create_sheet("Cover sheet").append(["Small area population estimates"])
    header = ["LAD 2021 Code", "LAD 2021 Name", "LSOA 2021 Code", "LSOA 2021 Name", "Total"]
    header += [f"F{a}" for a in range(91)] + [f"M{a}" for a in range(91)]
    for year in years:
        ws = book.create_sheet(f"Mid-{year} LSOA 2021")
        ws.append([f"Mid-{year} population estimates, LSOA 2021"])
        ws.append(["This worksheet contains one table."])
        ws.append(header)
        # ages 0-4: 10 women each; 90+: 7 men; nobody else
        women = [10] * 5 + [0] * 86
        men = [0] * 90 + [7]
        ws.append(["E08000001", "Alpha", "E01035001", "Alpha 001E", 57, *women, *men])
    book.save(path)


def test_sape_2011_series_reads_males_and_females_in_five_year_bands(tmp_path):
    path = tmp_path / "sapelsoasyoa20192020.xlsx"
    sape_2011(path)
    pf = read_population(path, "geography/population/x.xlsx")
    frame = pf.frame
    assert pf.layout == "SAPE 2011 LSOAs" and pf.lsoa_vintage == 2011 and pf.ages
    assert set(frame["year"]) == {2019}
    assert set(frame["sex"]) == {"F", "M"}  # the Persons sheet is not added twice
    one = frame[frame["lsoa_code"] == "E01000001"]
    # men: 1 per age, 91 ages; women: 2 per age
    assert one.loc[one["sex"] == "M", "population"].sum() == 91
    assert one.loc[one["sex"] == "F", "population"].sum() == 182
    band = one[(one["sex"] == "F") & (one["age_band"] == "85-89")]
    assert band["population"].item() == 10  # ages 85..89, 2 each
    assert one[(one["sex"] == "F") & (one["age_band"] == "90+")]["population"].item() == 2
    assert len(one) == 2 * 19


def test_a_row_whose_ages_do_not_add_up_is_rejected_with_sheet_and_line(tmp_path):
    path = tmp_path / "sape_mid-2019.xlsx"
    sape_2011(path, bad_total=True)
    pf = read_population(path, "geography/population/sape.xlsx")
    [reject] = pf.rejects
    assert reject["source_file"] == "geography/population/sape.xlsx (sheet Mid-2019 Males)"
    assert reject["source_line"] == 7  # four title lines, the header, then the second LSOA
    assert "do not add up" in reject["reason"]
    assert not ((pf.frame["lsoa_code"] == "E01000002") & (pf.frame["sex"] == "M")).any()


def test_sape_2021_series_one_sheet_per_mid_year(tmp_path):
    path = tmp_path / "sapelsoasyoa20212022.xlsx"
    sape_2021(path)
    pf = read_population(path, "p.xlsx")
    assert pf.layout == "SAPE 2021 LSOAs" and pf.lsoa_vintage == 2021
    frame = pf.frame
    assert sorted(frame["year"].unique()) == [2021, 2022]
    y = frame[frame["year"] == 2022]
    assert y.loc[(y["sex"] == "F") & (y["age_band"] == "0-4"), "population"].item() == 50
    assert y.loc[(y["sex"] == "M") & (y["age_band"] == "90+"), "population"].item() == 7
    assert y["population"].sum() == 57


def test_totals_only_csv(tmp_path):
    path = tmp_path / "census2021_usual_residents_by_lsoa2011.csv"
    path.write_text(
        "LSOA11CD,Usual residents\r\nE01000001,1461\r\nE01000002,x\r\n", encoding="utf-8"
    )
    pf = read_population(path, "geography/population/census.csv")
    assert pf.layout == "totals" and not pf.ages and pf.lsoa_vintage == 2011
    assert pf.frame["year"].tolist() == [2021]  # census2021, not the 2011 LSOAs
    assert pf.frame["population"].tolist() == [1461]
    assert pf.frame["age_min"].isna().all()
    [reject] = pf.rejects
    assert reject["source_line"] == 3 and reject["column"] == "Usual residents"


def test_population_is_ingested_and_two_files_of_one_year_are_refused(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    (raw / "geography" / "population").mkdir(parents=True)
    (raw / "geography" / "lsoa_lad.csv").write_text(LOOKUP, encoding="utf-8")
    sape_2011(raw / "geography" / "population" / "sape2019.xlsx")
    run_ingest(raw, processed)
    pop = read_table("population", processed)
    assert pop["population"].sum() == 2 * (91 + 182)
    from sa_toolkit.geography import load_summary

    assert load_summary(processed)["population"]["ages"] is True
    # unchanged: read from the ingest log, not again
    again = run_ingest(raw, processed)
    assert [f.skipped for f in again.files if f.dataset == "population"] == [True]
    (raw / "geography" / "population" / "mid-2019_totals.csv").write_text(
        "LSOA11CD,Population\nE01000001,5\n", encoding="utf-8"
    )
    with pytest.raises(
        UserError,
        match=r"two population files hold estimates for 2019: .*(sape2019.xlsx and .*mid-2019_totals.csv|mid-2019_totals.csv and .*sape2019.xlsx)",
    ):
        run_ingest(raw, processed)


def test_a_population_file_without_a_year_is_refused_by_name(tmp_path):
    raw = tmp_path / "raw"
    (raw / "geography" / "population").mkdir(parents=True)
    (raw / "geography" / "lsoa_lad.csv").write_text(LOOKUP, encoding="utf-8")
    (raw / "geography" / "population" / "residents.csv").write_text(
        "LSOA11CD,Population\nE01000001,5\n"
    )
    result = CliRunner().invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    assert "residents.csv" in result.output and "year" in result.output
