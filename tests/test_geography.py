"""Geography as published: lookups recognised by their columns and chained, LSOA vintages,
places without wards, police records outside the lookup. Small hand-made files; the
expected figures are worked by hand in each test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.errors import UserError
from sa_toolkit.geography import build_lookup, msoa_name, place_level, read_lookup_csv, recognise
from sa_toolkit.ingest import run_ingest
from sa_toolkit.tables import read_table

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def write(path: Path, text: str, bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


# LSOA (2011) -> LAD (2020) with FID first and a CCG column between, as ONS publishes it
LSOA_LAD = """FID,LSOA11CD,LSOA11NM,CCG20CD,LAD20CD,LAD20NM
1,E01000001,Alpha 001A,E38000001,E08000001,Alpha
2,E01000002,Alpha 001B,E38000001,E08000001,Alpha
3,E01000003,Alpha 002A,E38000001,E08000001,Alpha
4,E01000004,Beta 001A,E38000002,E08000002,Beta
"""
# LAD -> CSP -> PFA, columns in another order and FID last, with a byte-order mark
LAD_CSP = """LAD19CD,LAD19NM,CSP19CD,CSP19NM,PFA19CD,PFA19NM,FID
E08000001,Alpha,E22000001,Safer Alpha,E23000001,Northshire,1
E08000002,Beta,E22000002,Beta Partnership,E23000001,Northshire,2
"""


def lookup_of(*files: tuple[str, str]):
    frames = []
    for name, text in files:
        from io import StringIO

        frame = pd.read_csv(StringIO(text.lstrip("\ufeff")), dtype=str)
        frames.append(recognise(name, frame))
    return build_lookup(frames)


def test_files_are_recognised_by_their_columns_and_chained():
    built = lookup_of(("a.csv", LSOA_LAD), ("b.csv", LAD_CSP))
    lookup = built.lookup.set_index("lsoa_code")
    assert len(lookup) == 4
    assert lookup.loc["E01000002", "csp_code"] == "E22000001"
    assert lookup.loc["E01000004", "csp_name"] == "Beta Partnership"
    assert lookup.loc["E01000004", "pfa_name"] == "Northshire"
    assert set(lookup["lsoa_vintage"]) == {2011}
    roles = [f["recognised_as"] for f in built.files]
    assert roles == [
        "LSOA 2011 to local authority 2020",
        "local authority 2019 to partnership 2019 to police force area 2019",
    ]


def test_bom_lower_case_headers_and_any_order(tmp_path):
    path = write(
        tmp_path / "x.csv",
        "objectid,lad20nm,lsoa11cd,lad20cd\n1,Alpha,E01000001,E08000001\n",
        bom=True,
    )
    lf = recognise("x.csv", read_lookup_csv(path, "x.csv"))
    assert lf.key == "LSOA" and lf.levels["LAD"][0] == "20"


def test_without_wards_places_are_msoas_named_from_the_lsoa_name():
    lookup = lookup_of(("a.csv", LSOA_LAD), ("b.csv", LAD_CSP)).lookup.set_index("lsoa_code")
    # "Alpha 001A" and "Alpha 001B" are in MSOA "Alpha 001"; "Alpha 002A" in "Alpha 002"
    assert lookup.loc["E01000001", "ward_name"] == "Alpha 001"
    assert lookup.loc["E01000002", "ward_name"] == "Alpha 001"
    assert lookup.loc["E01000003", "ward_name"] == "Alpha 002"
    assert set(lookup["place_level"]) == {"MSOA"}
    level = place_level(lookup.reset_index(), "E22000001")
    assert level.level == "MSOA" and "no ward lookup" in level.note
    assert msoa_name(pd.Series(["Sunderland 036C", "Odd name"])).tolist()[0] == "Sunderland 036"


def test_with_a_ward_lookup_places_are_wards():
    wards = "LSOA11CD,WD20CD,WD20NM,LAD20CD\nE01000001,E05000001,North,E08000001\nE01000002,E05000001,North,E08000001\nE01000003,E05000002,South,E08000001\n"
    lookup = lookup_of(("a.csv", LSOA_LAD), ("w.csv", wards), ("b.csv", LAD_CSP)).lookup
    alpha = lookup[lookup["csp_code"] == "E22000001"].set_index("lsoa_code")
    assert alpha["ward_name"].to_dict() == {
        "E01000001": "North",
        "E01000002": "North",
        "E01000003": "South",
    }
    assert set(alpha["place_level"]) == {"ward"}
    assert place_level(lookup, "E22000001").level == "ward"
    assert place_level(lookup, "E22000001").note == ""
    # Beta has no ward in the ward lookup: named by its MSOA
    assert lookup.set_index("lsoa_code").loc["E01000004", "place_level"] == "MSOA"


def test_without_names_places_are_lsoas():
    lookup = lookup_of(("a.csv", "LSOA21CD,LAD23CD\nE01000001,E08000001\n")).lookup
    assert lookup["place_level"].tolist() == ["LSOA"]
    assert place_level(lookup).level == "LSOA"


def test_conflicting_lookups_of_one_vintage_name_both_files():
    other = LAD_CSP.replace("E08000002,Beta,E22000002", "E08000002,Beta,E22000001")
    with pytest.raises(UserError, match=r"b\.csv.*c\.csv|c\.csv.*b\.csv"):
        lookup_of(("a.csv", LSOA_LAD), ("b.csv", LAD_CSP), ("c.csv", other))


def test_of_two_vintages_the_newer_wins_and_is_reported():
    newer = "LAD23CD,CSP23CD,CSP23NM\nE08000002,E22000009,Alpha and Beta\n"
    built = lookup_of(("a.csv", LSOA_LAD), ("b.csv", LAD_CSP), ("n.csv", newer))
    lookup = built.lookup.set_index("lsoa_code")
    assert lookup.loc["E01000004", "csp_code"] == "E22000009"
    assert lookup.loc["E01000001", "csp_code"] == "E22000001"  # not in the newer file
    assert any("1 local authority codes map to a different partnership" in n for n in built.notes)


def test_a_local_authority_in_two_partnerships_is_left_unassigned_and_said():
    # as East Suffolk (E07000244) in the ONS LAD19-CSP19 lookup: one LAD, two partnerships
    text = LAD_CSP + "E08000002,Beta,E22000003,Beta South,E23000001,Northshire,3\n"
    built = lookup_of(("a.csv", LSOA_LAD), ("b.csv", text))
    lookup = built.lookup.set_index("lsoa_code")
    assert pd.isna(lookup.loc["E01000004", "csp_code"])
    assert lookup.loc["E01000001", "csp_code"] == "E22000001"
    assert any(
        "b.csv: 1 local authority codes lie in more than one partnership" in n for n in built.notes
    )


def test_best_fit_lookup_extends_to_the_other_lsoa_vintage():
    best_fit = (
        "LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId\n"
        "E01000001,Alpha 001A,E01000001,Alpha 001A,U,E08000001,Alpha,,1\n"
        "E01000002,Alpha 001B,E01040001,Alpha 001E,S,E08000001,Alpha,,2\n"
        "E01000002,Alpha 001B,E01040002,Alpha 001F,S,E08000001,Alpha,,3\n"
    )
    built = lookup_of(("a.csv", LSOA_LAD), ("b.csv", LAD_CSP), ("bf.csv", best_fit))
    lookup = built.lookup
    new = lookup[lookup["lsoa_vintage"] == 2021].set_index("lsoa_code")
    # the split LSOA's two 2021 parts join Alpha; the unchanged code stays one row
    assert sorted(new.index) == ["E01040001", "E01040002"]
    assert lookup["lsoa_code"].is_unique and len(lookup) == 6
    assert set(new["derived_from"]) == {"LSOA 2011 best fit"}
    assert set(new["csp_code"]) == {"E22000001"}
    assert new.loc["E01040001", "lsoa_name"] == "Alpha 001E"
    assert new.loc["E01040001", "ward_name"] == "Alpha 001"
    assert lookup.set_index("lsoa_code").loc["E01000001", "derived_from"] == "lookup"
    assert any("best-fit" in n for n in built.notes)


def test_a_file_without_geography_columns_is_refused_by_name(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "geography" / "notes.csv", "Thing,Other\n1,2\n")
    result = CliRunner().invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    assert (
        "geography/notes.csv" in result.output
        and "not a recognised geography lookup" in result.output
    )


def _police_raw(raw: Path, rows: list[str], month: str = "2014-01") -> None:
    body = "\n".join(rows)
    write(
        raw / "police_uk" / month / f"{month}-northshire-street.csv", f"{STREET_HEADER}\n{body}\n"
    )


_IDS = iter(range(10**6))


def _street(code: str, month: str = "2014-01", crime: str = "Burglary") -> str:
    return f"id{next(_IDS)},{month},Northshire,Northshire,-1.5,54.9,On or near X,{code},,{crime},,"


def test_police_records_outside_the_lookup_are_counted(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write(raw / "geography" / "LSOA11_LAD20.csv", LSOA_LAD)
    write(raw / "geography" / "LAD19_CSP19.csv", LAD_CSP, bom=True)
    rows = [
        _street("E01000001"),
        _street("E01000001"),
        _street("E01000004"),
        _street("W01000009"),
        _street("W01000009"),
        _street(""),
    ]
    _police_raw(raw, rows)
    run_ingest(raw, processed)
    from sa_toolkit.geography import load_summary, reader_notes

    summary = load_summary(processed)
    # 6 records: 3 in the lookup, 2 in an LSOA it does not hold, 1 with no location
    assert summary["police"]["records"] == 6
    assert summary["police"]["outside_lookup"] == 2
    assert summary["police"]["outside_lookup_lsoas"] == 1
    assert summary["police"]["no_location"] == 1
    notes = " ".join(reader_notes(processed, "E22000001"))
    assert "2 of 6 police records have an LSOA that is not in the geography lookup" in notes
    assert "A further 1 have no location" in notes
    log = (processed / "_ingest_log.json").read_text()
    assert "geography/LAD19_CSP19.csv" in log
    lookup = read_table("lookup", processed)
    assert len(lookup) == 4


def test_police_of_2021_lsoas_against_a_2011_lookup_says_what_cannot_be_joined(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write(raw / "geography" / "LSOA11_LAD20.csv", LSOA_LAD)
    write(raw / "geography" / "LAD19_CSP19.csv", LAD_CSP)
    _police_raw(raw, [_street("E01000001", "2013-06")], "2013-06")
    _police_raw(raw, [_street("E01000001", "2023-06"), _street("E01035001", "2023-06")], "2023-06")
    run_ingest(raw, processed)
    from sa_toolkit.geography import load_summary

    summary = load_summary(processed)
    assert summary["police"]["months_by_vintage"] == {"2011": ["2013-06"], "2021": ["2023-06"]}
    [join] = summary["joins"]
    assert (
        not join["ok"] and "June 2023" in join["message"] and "2021 LSOA codes" in join["message"]
    )
    assert "1 records" in join["message"]


def test_partnership_code_may_be_the_local_authority_code(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write(raw / "geography" / "LSOA11_LAD20.csv", LSOA_LAD)
    write(raw / "geography" / "LAD19_CSP19.csv", LAD_CSP)
    run_ingest(raw, processed)
    from types import SimpleNamespace

    from sa_toolkit.tables import partnership_lsoas

    by_lad = partnership_lsoas(
        SimpleNamespace(lsoas=(), processed_dir=processed, partnership_code="E08000001")
    )
    by_csp = partnership_lsoas(
        SimpleNamespace(lsoas=(), processed_dir=processed, partnership_code="E22000001")
    )
    assert by_lad == by_csp == ["E01000001", "E01000002", "E01000003"]
    with pytest.raises(
        UserError, match="no LSOA has partnership or local authority code E22999999"
    ):
        partnership_lsoas(
            SimpleNamespace(lsoas=(), processed_dir=processed, partnership_code="E22999999")
        )


def test_lookups_of_both_lsoa_vintages_give_one_row_per_code():
    newer = "LSOA21CD,LSOA21NM,WD23CD,WD23NM,LAD23CD\nE01000001,Alpha 001A,E05000009,Hill,E08000001\nE01040001,Alpha 001E,E05000009,Hill,E08000001\n"
    lookup = lookup_of(("a.csv", LSOA_LAD), ("n.csv", newer), ("b.csv", LAD_CSP)).lookup
    assert lookup["lsoa_code"].is_unique and len(lookup) == 5
    row = lookup.set_index("lsoa_code").loc["E01000001"]
    # the newer row, with the ward only it holds; the partnership chained from the LAD
    assert (
        row["lsoa_vintage"] == 2021
        and row["ward_name"] == "Hill"
        and row["csp_code"] == "E22000001"
    )


def test_police_months_whose_every_record_is_in_the_lookup_raise_no_vintage_warning(tmp_path):
    # codes unchanged between the vintages join whole: no "cannot be placed" warning for 0 records
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write(
        raw / "geography" / "lookup.csv",
        "LSOA21CD,LSOA21NM,WD24CD,WD24NM,CSP24CD,CSP24NM,LAD24CD,LAD24NM\n"
        "E01000001,Place 001A,E05000001,North,E22000001,Place,E06000001,Place\n",
    )
    _police_raw(raw, [_street("E01000001", "2023-06")], "2023-06")
    run_ingest(raw, processed)
    from sa_toolkit.geography import load_summary

    summary = load_summary(processed)
    assert summary["police"]["outside_lookup"] == 0
    assert [j for j in summary["joins"] if not j["ok"]] == []
