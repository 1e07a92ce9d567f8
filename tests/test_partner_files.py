"""Partner files as they really arrive: saved by Excel, in Windows-1252, as workbooks.

Each case is a file written by hand the way a partner's system or Excel writes it, run
through ``sa ingest`` / ``sa framework`` as a user would, with the expected outcome worked
out here (never taken from the code's own output).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.errors import UserError
from sa_toolkit.framework import read_values
from sa_toolkit.ingest import reader, run_ingest
from sa_toolkit.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "data" / "templates"
ASB_HEADER = (
    "incident_id,source,category,subcategory,incident_datetime,lsoa_code,location,"
    "longitude,latitude"
)
ASB_ROW = "P-{n},police,nuisance,Noise,2025-04-05 22:45,X01000012,{place},-0.061234,51.470512"


def ingest(raw: Path, processed: Path):
    return CliRunner().invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(processed)]
    )


def log_entry(processed: Path, dataset: str) -> dict:
    log = json.loads((processed / "_ingest_log.json").read_text(encoding="utf-8"))
    return next(f for f in log["files"] if f["dataset"] == dataset)


def write_asb(raw: Path, content: bytes, name: str = "asb_incidents.csv") -> Path:
    path = raw / "partner" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def rejects(processed: Path, dataset: str) -> pd.DataFrame:
    return pd.read_parquet(processed / "rejects" / f"{dataset}.parquet").set_index("source_line")


# ---------------------------------------------------------------- encodings
def test_windows_1252_extract_is_kept_whole_with_its_accents(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    rows = [
        ASB_ROW.format(n=1, place="On or near Café Royal"),
        ASB_ROW.format(n=2, place="On or near £1 shop"),
        ASB_ROW.format(n=3, place="On or near Market Street"),
    ]
    # what Excel on Windows writes for "CSV (Comma delimited)": cp1252 with CRLF
    write_asb(raw, ("\r\n".join([ASB_HEADER, *rows]) + "\r\n").encode("cp1252"))
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    entry = log_entry(processed, "asb_incidents")
    assert (entry["rows_in"], entry["rows_kept"], entry["rows_rejected"]) == (3, 3, 0)
    assert entry["encoding"] == "windows-1252"
    assert "partner/asb_incidents.csv: read as windows-1252" in " ".join(result.output.split())
    kept = read_table("asb_incidents", processed)
    assert sorted(kept["location"]) == [
        "On or near Café Royal",
        "On or near Market Street",
        "On or near £1 shop",
    ]


def test_utf8_with_byte_order_mark_and_mixed_encodings(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    utf8 = ASB_ROW.format(n=1, place="On or near Café Nero").encode("utf-8")
    cp1252 = ASB_ROW.format(n=2, place="On or near Crêperie").encode("cp1252")
    # 0x81 and 0x8f are not characters in Windows-1252 and not valid UTF-8 here
    neither = ASB_ROW.format(n=3, place="On or near X").encode().replace(b"X", b"\x81\x8f")
    content = b"\xef\xbb\xbf" + b"\n".join([ASB_HEADER.encode(), utf8, cp1252, neither]) + b"\n"
    write_asb(raw, content)
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    entry = log_entry(processed, "asb_incidents")
    assert (entry["rows_in"], entry["rows_kept"], entry["rows_rejected"]) == (3, 2, 1)
    assert entry["encoding"] == "utf-8 and windows-1252 (1 lines)"
    kept = read_table("asb_incidents", processed)
    assert sorted(kept["location"]) == ["On or near Café Nero", "On or near Crêperie"]
    bad = rejects(processed, "asb_incidents")
    assert list(bad.index) == [4]
    assert "neither UTF-8 nor Windows-1252" in bad.loc[4, "reason"]


def test_plain_utf8_file_is_passed_through_untouched():
    data = (ASB_HEADER + "\n" + ASB_ROW.format(n=1, place="On or near Café") + "\n").encode()
    decoded, encoding, bad = reader.decode(data)
    assert decoded is data  # no copy on the fast path
    assert (encoding, bad) == ("utf-8", frozenset())


# ---------------------------------------------------------------- Excel's habits
def test_trailing_blank_lines_empty_columns_and_a_loose_header_are_tolerated(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    # header in another case, with spaces, a byte-order mark and three empty columns that
    # Excel adds after a column was once formatted; blank and comma-only lines at the end
    header = "\ufeffIncident ID, Source ,CATEGORY,Subcategory,Incident datetime,LSOA code,"
    header += "Location,Longitude,Latitude,,,"
    rows = [
        ASB_ROW.format(n=1, place="On or near A") + ",,,",
        ASB_ROW.format(n=2, place="On or near B"),  # saved without the trailing commas
        ASB_ROW.format(n=3, place="On or near C") + ",,surprise,",  # a value past the end
    ]
    content = "\r\n".join([header, *rows, "", ",,,,,,,,,,,,", "   ", ""]).encode("utf-8")
    write_asb(raw, content)
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    entry = log_entry(processed, "asb_incidents")
    assert (entry["rows_in"], entry["rows_kept"], entry["rows_rejected"]) == (3, 2, 1)
    bad = rejects(processed, "asb_incidents")
    assert list(bad.index) == [4]
    assert "expected 9, found 12" in bad.loc[4, "reason"]
    assert sorted(read_table("asb_incidents", processed)["location"]) == [
        "On or near A",
        "On or near B",
    ]


def test_a_ragged_row_is_quarantined_with_its_line_and_field_count_never_shifted(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    rows = [
        ASB_ROW.format(n=1, place="On or near A"),
        ASB_ROW.format(n=2, place="On or near Smith Street, north"),  # unquoted comma
        ASB_ROW.format(n=3, place="On or near C").rsplit(",", 2)[0],  # two fields short
        ASB_ROW.format(n=4, place='"On or near Smith Street, south"'),  # quoted: fine
    ]
    write_asb(raw, ("\n".join([ASB_HEADER, *rows]) + "\n").encode())
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    bad = rejects(processed, "asb_incidents")
    assert list(bad.index) == [3, 4]
    assert "expected 9, found 10" in bad.loc[3, "reason"]
    assert "not in quotes" in bad.loc[3, "reason"]
    assert "expected 9, found 7" in bad.loc[4, "reason"]
    assert bad.loc[3, "raw"] == rows[1]
    kept = read_table("asb_incidents", processed)
    assert sorted(kept["incident_id"]) == ["P-1", "P-4"]
    assert "On or near Smith Street, south" in set(kept["location"])


def test_a_header_that_really_differs_still_stops_ingest(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_asb(raw, (ASB_HEADER.replace("subcategory", "sub_type") + "\n").encode())
    result = ingest(raw, processed)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "partner/asb_incidents.csv, line 1, column 'subcategory'" in message
    assert "found 'sub_type'" in message


# ---------------------------------------------------------------- workbooks
def _template(name: str) -> tuple[list[str], list[list[str]]]:
    with open(TEMPLATES / f"{name}.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _excel_value(column: str, text: str):
    """The cell value Excel stores for a template field typed into a sheet."""
    if text == "":
        return None, None
    if column == "recorded_date":
        return dt.date.fromisoformat(text), "dd/mm/yyyy"
    if column in ("offence_start", "offence_end"):
        return dt.datetime.fromisoformat(text), "dd/mm/yyyy hh:mm"
    try:
        number = float(text)
    except ValueError:
        return text, None
    if text.isdigit():
        return int(text), None
    return number, None


def _write_workbook(path: Path, header, rows, *, titles=(), sheet="crime_incidents", first=None):
    workbook = openpyxl.Workbook()
    if first is not None:  # another sheet before the data (notes, a pivot)
        workbook.active.title = first
        workbook.active["A1"] = "Notes: extract run on 7 April"
        sheet_ws = workbook.create_sheet(sheet)
    else:
        sheet_ws = workbook.active
        sheet_ws.title = sheet
    for title in titles:
        sheet_ws.append([title])
    if titles:
        sheet_ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet_ws.append([])
    sheet_ws.append(header)
    for row in rows:
        cells = []
        for column, text in zip(header, row, strict=True):
            value, fmt = _excel_value(column, text)
            cells.append(value)
        sheet_ws.append(cells)
        for column, cell in zip(header, sheet_ws[sheet_ws.max_row], strict=True):
            fmt = _excel_value(column, row[header.index(column)])[1]
            if fmt:
                cell.number_format = fmt
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["source_file", "source_line"]).reset_index(drop=True)


def test_xlsx_extract_is_ingested_like_its_csv_twin(tmp_path):
    header, rows = _template("crime_incidents")
    csv_raw, xlsx_raw = tmp_path / "csv_raw", tmp_path / "xlsx_raw"
    (csv_raw / "partner").mkdir(parents=True)
    (csv_raw / "partner" / "crime_incidents.csv").write_bytes(
        (TEMPLATES / "crime_incidents.csv").read_bytes()
    )
    # a merged title row and a blank row above the header, a notes sheet first
    _write_workbook(
        xlsx_raw / "partner" / "crime_incidents.xlsx",
        header,
        rows,
        titles=["Crime extract April 2025 - OFFICIAL SENSITIVE"],
        first="Notes",
    )
    for raw in (csv_raw, xlsx_raw):
        result = ingest(raw, tmp_path / f"{raw.name}_processed")
        assert result.exit_code == 0, result.output
    from_csv = read_table("crime_incidents", tmp_path / "csv_raw_processed")
    from_xlsx = read_table("crime_incidents", tmp_path / "xlsx_raw_processed")
    assert len(from_xlsx) == len(rows) > 0
    pd.testing.assert_frame_equal(_comparable(from_csv), _comparable(from_xlsx))
    # rows are named by their sheet row: title row 1, blank row 2, header row 3
    assert sorted(from_xlsx["source_line"]) == list(range(4, 4 + len(rows)))
    entry = log_entry(tmp_path / "xlsx_raw_processed", "crime_incidents")
    assert entry["encoding"] == "xlsx, sheet 'crime_incidents'"
    assert entry["file"] == "partner/crime_incidents.xlsx"


def test_xlsx_title_rows_without_a_header_are_refused_clearly(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    header, rows = _template("asb_incidents")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ASB incidents April 2025"])
    sheet.append(["Ref", "Who", "Type", "Sub", "When", "LSOA", "Where", "Lon", "Lat"])
    sheet.append(rows[0])
    (raw / "partner").mkdir(parents=True)
    workbook.save(raw / "partner" / "asb_incidents.xlsx")
    result = ingest(raw, processed)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "partner/asb_incidents.xlsx: sheet 'Sheet': no header row found" in message
    assert "a title row 'ASB incidents April 2025'" in message
    assert "incident_id,source,category" in message
    assert "Traceback" not in result.output


def test_xlsx_ragged_row_and_excel_month_format(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    header, rows = _template("treatment_monthly")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    month = header.index("month")
    for i, row in enumerate(rows[:3]):
        cells = [int(v) if v.isdigit() else v for v in row]
        cells[month] = dt.datetime(2025, 4 + i, 1)  # typed as a date, shown as "Apr-25"
        sheet.append(cells)
        sheet.cell(row=sheet.max_row, column=month + 1).number_format = "mmm-yy"
    sheet.cell(row=4, column=len(header) + 1, value="stray note")  # a value past the table
    (raw / "partner").mkdir(parents=True)
    workbook.save(raw / "partner" / "treatment_monthly.xlsx")
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    entry = log_entry(processed, "treatment_monthly")
    assert (entry["rows_in"], entry["rows_kept"], entry["rows_rejected"]) == (3, 2, 1)
    kept = read_table("treatment_monthly", processed)
    assert sorted(str(m) for m in kept["month"]) == ["2025-04", "2025-05"]
    bad = rejects(processed, "treatment_monthly")
    assert "found " + str(len(header) + 1) in bad.loc[4, "reason"]


def test_the_same_extract_as_csv_and_xlsx_is_refused(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_asb(raw, (ASB_HEADER + "\n").encode())
    write_asb(raw, b"PK", name="asb_incidents.xlsx")
    result = ingest(raw, processed)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "partner/asb_incidents.xlsx: is a second copy of partner/asb_incidents.csv" in message


def test_a_corrupt_workbook_and_a_workbook_named_csv_exit_2(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_asb(raw, b"PK\x03\x04 not really a zip", name="asb_incidents.xlsx")
    result = ingest(raw, processed)
    assert result.exit_code == 2
    assert "is not a readable Excel workbook" in " ".join(result.output.split())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x.xml", "<x/>")
    (raw / "partner" / "asb_incidents.xlsx").unlink()
    write_asb(raw, buf.getvalue())
    result = ingest(raw, processed)
    assert result.exit_code == 2
    assert "workbook saved with a .csv name" in " ".join(result.output.split())


# ---------------------------------------------------------------- the values file
VALUES_HEADER = "indicator_id,name,baseline,actual"


def framework(tmp_path: Path, values: Path, out: str):
    return CliRunner().invoke(
        app,
        [
            "framework",
            "--values",
            str(values),
            "--no-data",
            "--year",
            "2025/26",
            "--out",
            str(tmp_path / out),
        ],
    )


def test_values_row_with_an_unquoted_comma_is_refused_never_rated_shifted(tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(
        f"{VALUES_HEADER}\nNI15,Violence, with injury,1.2,1.0\nNI16,Serious acquisitive,12,11\n",
        encoding="utf-8",
    )
    result = framework(tmp_path, values, "fw.csv")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "values.csv, line 2" in message
    assert "expected 4, found 5" in message
    assert "NI15,Violence, with injury,1.2,1.0" in message
    assert not (tmp_path / "fw.csv").exists()


def test_values_file_in_windows_1252_xlsx_and_with_a_loose_header(tmp_path):
    values = tmp_path / "values.csv"
    values.write_bytes(
        b"Indicator ID,Name ,BASELINE,Actual,Comment,,\r\n"
        b"LOCAL1,Caf\xe9 licensing visits,10,12,\xa35k grant,,\r\n\r\n,,,,,,\r\n"
    )
    frame = read_values(values)
    assert frame["name"].tolist() == ["Café licensing visits"]
    assert frame["comment"].tolist() == ["£5k grant"]
    assert frame.attrs["encoding"] == "windows-1252"
    book = tmp_path / "values.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "values"
    workbook.active.append(["Performance framework values 2025/26"])
    workbook.active.append(["indicator_id", "name", "baseline", "actual"])
    workbook.active.append(["LOCAL1", "Café licensing visits", 10, 12.5])
    workbook.save(book)
    frame = read_values(book)
    assert frame[["indicator_id", "baseline", "actual"]].values.tolist() == [
        ["LOCAL1", "10", "12.5"]
    ]
    assert frame.attrs["lines"] == [3]


# ---------------------------------------------------------------- no live formulas
HOSTILE = '=HYPERLINK("http://example.com/x","click")'


def _formula_values(tmp_path: Path) -> Path:
    values = tmp_path / "values.csv"
    rows = [
        "indicator_id,name,baseline,actual,unit,polarity,target_type,target,comment",
        f'LOCAL2,"{HOSTILE.replace(chr(34), chr(34) * 2)}",10,8,count,lower_is_better,none,,=1+1',
        "LOCAL3,+cmd|' /C calc'!A0,-5,-7,count,lower_is_better,none,,@SUM(A1)",
        "LOCAL4,-2+3,10,8,count,lower_is_better,none,,\tTab",
    ]
    values.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return values


def test_framework_workbook_has_no_formula_and_shows_the_text_unchanged(tmp_path):
    result = framework(tmp_path, _formula_values(tmp_path), "fw.xlsx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "fw.xlsx") as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name)
    # the formatted workbook: headers on row 4, the indicator named as the board reads it
    # (a local indicator's id is not shown)
    sheet = openpyxl.load_workbook(tmp_path / "fw.xlsx")["Performance framework"]
    header = [c.value for c in sheet[4]]
    by_name = {row[1].value: row for row in sheet.iter_rows(min_row=5)}
    by_id = {"LOCAL2": by_name[HOSTILE], "LOCAL3": by_name["+cmd|' /C calc'!A0"]}
    name, comment = header.index("Indicator"), header.index("Comment")
    assert by_id["LOCAL2"][name].value == HOSTILE
    assert by_id["LOCAL2"][name].data_type == "s"
    assert by_id["LOCAL2"][comment].value == "=1+1"
    assert by_id["LOCAL2"][comment].data_type == "s"
    assert by_id["LOCAL2"][comment].quotePrefix
    assert by_id["LOCAL3"][name].value == "+cmd|' /C calc'!A0"
    assert by_id["LOCAL3"][comment].value == "@SUM(A1)"
    assert by_id["LOCAL3"][comment].quotePrefix
    # numbers stay numbers: baseline -5, change from 10 to 8 is -20%
    assert by_id["LOCAL3"][header.index("Baseline (2024/25)")].value == -5
    assert by_id["LOCAL2"][header.index("Change")].value == -20
    # the name alone, which starts like a formula, is stored as text with the quote prefix
    raw = openpyxl.load_workbook(tmp_path / "fw.xlsx")["Unrounded"]
    names = [row[0] for row in raw.iter_rows(min_row=5)]
    assert all(cell.data_type == "s" for cell in names)


def test_framework_csv_neutralises_formulas_as_owasp_recommends(tmp_path):
    result = framework(tmp_path, _formula_values(tmp_path), "fw.csv")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "fw.csv", newline="", encoding="utf-8") as fh:
        rows = {r["indicator_id"]: r for r in csv.DictReader(fh)}
    assert rows["LOCAL2"]["name"] == "'" + HOSTILE
    assert rows["LOCAL2"]["comment"] == "'=1+1"
    assert rows["LOCAL3"]["name"] == "'+cmd|' /C calc'!A0"
    assert rows["LOCAL3"]["comment"] == "'@SUM(A1)"
    assert rows["LOCAL4"]["name"] == "'-2+3"
    assert rows["LOCAL4"]["comment"] == "Tab"  # the framework trims entered text
    assert rows["LOCAL3"]["baseline"] == "-5.0"  # a number, untouched
    assert rows["LOCAL2"]["change"] == "-20.0"


@pytest.mark.parametrize(
    ("cell", "csv_text"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-A1", "'-A1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-5", "-5"),  # a plain number cannot run anything
        ("+1.5e3", "+1.5e3"),
        ("Demo = Borough", "Demo = Borough"),
        ("", ""),
    ],
)
def test_safe_output_neutralise(cell, csv_text):
    from sa_toolkit import safe_output

    assert safe_output.neutralise(cell) == csv_text
    frame = pd.DataFrame({"text": [cell], "number": [-3.5]})
    out = safe_output.neutralise_frame(frame)
    assert out.loc[0, "text"] == csv_text
    assert out.loc[0, "number"] == -3.5
    import polars as pl

    assert safe_output.neutralise_polars(pl.DataFrame({"t": [cell]}))["t"][0] == csv_text


def test_safe_xlsx_keeps_types_and_blanks(tmp_path):
    from sa_toolkit import safe_output

    frame = pd.DataFrame(
        {"=name": ["=2*3", "a\x07b", None], "n": [1.5, float("nan"), -2.0], "k": [1, 2, 3]}
    )
    path = safe_output.write_xlsx(frame, tmp_path / "x.xlsx", sheet_name="S")
    sheet = openpyxl.load_workbook(path)["S"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows == [["=name", "n", "k"], ["=2*3", 1.5, 1], ["a\ufffdb", None, 2], [None, -2, 3]]
    assert sheet["A1"].data_type == "s" and sheet["A2"].data_type == "s"


def test_a_windows_1252_lookup_is_read_through_the_reader_and_a_ragged_one_refused(tmp_path):
    from types import SimpleNamespace

    from sa_toolkit.ingest import run_ingest
    from sa_toolkit.tables import partnership_lsoas, read_table

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    lookup = raw / "geography" / "lookup.csv"
    lookup.parent.mkdir(parents=True)
    lookup.write_bytes(
        b"\xef\xbb\xbflsoa21cd,LSOA21NM,WD24CD,WD24NM,csp24cd,CSP24NM\r\n"
        b"W01000001,Ynys M\xf4n 001A,W05000001,Aberffraw,W22000001,Ynys M\xf4n\r\n"
        b"W01000002,Ynys M\xf4n 001B,W05000001,Aberffraw,W22000001,Ynys M\xf4n\r\n"
        b"W01000003,Gwynedd 001A,W05000002,Bangor,W22000002,Gwynedd\r\n\r\n"
    )
    run_ingest(raw, processed)
    cfg = SimpleNamespace(lsoas=[], partnership_code="W22000001", processed_dir=processed)
    assert partnership_lsoas(cfg) == ["W01000001", "W01000002"]
    names = set(read_table("lookup", processed)["lsoa_name"].astype(str))
    assert "Ynys M\u00f4n 001A" in names  # the Windows-1252 byte read as its letter
    lookup.write_bytes(lookup.read_bytes().replace(b"Bangor", b"Bangor, north"))
    with pytest.raises(UserError, match=r"line 4.*expected 6, found 7"):
        run_ingest(raw, processed)


# ---------------------------------------------------------------- real published files
def _real_data() -> Path:
    for candidate in (ROOT.parent / "shared" / "real-data", Path("/work/shared/real-data")):
        if candidate.is_dir():
            return candidate
    pytest.skip("real published data (../shared/real-data) not present on this machine")


def test_real_ons_lookups_through_the_reader():
    geography = _real_data() / "geography"
    # names with commas are quoted ("Bristol, City of"): three fields on every one of 314 rows
    names, table = reader.read_text_table(
        geography / "CSP19_names_and_codes_EW.csv",
        known=["CSP19CD", "CSP19NM", "CSP19NMW"],
        required=["CSP19CD", "CSP19NM"],
    )
    assert table.encoding == "utf-8"
    assert len(names) == 314
    by_code = dict(zip(names["CSP19CD"], names["CSP19NM"], strict=True))
    assert by_code["E22000002"] == "Bristol, City of"
    assert by_code["E22000134"] == "Kingston upon Hull, City of"
    # the January 2017 lookup starts with a byte-order mark: its first column is still found
    lookup, table = reader.read_text_table(
        geography
        / "Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_Areas__January_2017__Lookup_in_England_and_Wales_Version_2.csv",
        known=["LAD17CD", "CSP17CD"],
        required=["LAD17CD", "CSP17CD"],
    )
    assert table.encoding == "utf-8 with byte-order mark"
    assert len(lookup) == 348
    lookup, _ = reader.read_text_table(
        geography / "LAD19_CSP19_PFA19_EW_LU_December2019.csv",
        known=["LAD19CD", "CSP19CD"],
        required=["LAD19CD", "CSP19CD"],
    )
    newcastle = lookup.filter(lookup["LAD19CD"] == "E08000021")
    assert newcastle["CSP19CD"].to_list() == ["E22000245"]
    assert newcastle["source_line"].to_list() == [188]  # the line as in the file


def test_real_police_archive_ingests_whole(tmp_path):
    archive = _real_data() / "police_uk" / "northumbria-2013-06-to-2014-06.zip"
    if not archive.is_file():
        pytest.skip(f"{archive} not present")
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    (raw / "police_uk").mkdir(parents=True)
    (raw / "police_uk" / archive.name).symlink_to(archive)  # read in place, never copied
    summary = run_ingest(raw, processed, datasets=["police_street", "police_outcomes"])
    by_dataset: dict[str, list] = {}
    for f in summary.files:
        by_dataset.setdefault(f.dataset, []).append(f)
        assert f.rows_kept + f.rows_rejected == f.rows_in
        assert f.encoding == "utf-8"
    # the published row counts (shared/real-data/README.md): CRLF lines, no BOM
    assert len(by_dataset["police_street"]) == len(by_dataset["police_outcomes"]) == 13
    assert sum(f.rows_in for f in by_dataset["police_street"]) == 162_666
    assert sum(f.rows_in for f in by_dataset["police_outcomes"]) == 91_059


def test_a_partner_file_no_dataset_reads_is_named(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_asb(raw, (ASB_HEADER + "\n" + ASB_ROW.format(n=1, place="A") + "\n").encode())
    write_asb(raw, b"\xd0\xcf\x11\xe0 an old Excel 97 file", name="asb_incidents.xls")
    write_asb(raw, b"x", name="asb-incidents-2025.csv")
    result = ingest(raw, processed)
    assert result.exit_code == 0, result.output
    message = " ".join(result.output.split())
    assert "Not read: partner/asb-incidents-2025.csv" in message
    assert "Not read: partner/asb_incidents.xls" in message
    assert "Not read: partner/asb_incidents.csv" not in message
