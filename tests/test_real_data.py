"""End to end on real published files, as a new user would run it (slow).

The files of ``../shared/real-data/`` (data.police.uk for Northumbria, June 2013 to June
2014; ONS lookups of two vintages, one with a byte-order mark; Census 2021 residents on
2011 LSOAs, totals only) are laid exactly as they are into a fresh ``data/raw/`` in a
temporary folder (symbolic links: nothing is copied into the project), the configuration
names Sunderland and 2013/14, and ``sa ingest`` then ``sa run`` are run.

Expected figures come from the files themselves, counted here independently of the
toolkit (``csv`` over the zip members and the lookup files).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def real_data_dir() -> Path:
    for candidate in (ROOT.parent / "shared" / "real-data", Path("/work/shared/real-data")):
        if (candidate / "police_uk").is_dir() and (candidate / "geography").is_dir():
            return candidate
    pytest.skip("real published data not found in ../shared/real-data (or /work/shared/real-data)")


GEOGRAPHY = [
    "LSOA11_CCG20_LAD20_EN_LU_April2020.csv",
    "LAD19_CSP19_PFA19_EW_LU_December2019.csv",
    "Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_Areas__January_2017"
    "__Lookup_in_England_and_Wales_Version_2.csv",
    "CSP19_names_and_codes_EW.csv",
]
POPULATION = "census2021_usual_residents_by_lsoa2011.csv"
SUNDERLAND_LAD, SUNDERLAND_CSP = "E08000024", "E22000248"


def lay_out_raw(real: Path, raw: Path) -> None:
    (raw / "police_uk").mkdir(parents=True)
    (raw / "geography" / "population").mkdir(parents=True)
    for zpath in (real / "police_uk").glob("*.zip"):
        (raw / "police_uk" / zpath.name).symlink_to(zpath)
    for name in GEOGRAPHY:
        (raw / "geography" / name).symlink_to(real / "geography" / name)
    (raw / "geography" / "population" / POPULATION).symlink_to(real / "geography" / POPULATION)


def expected_figures(real: Path) -> dict:
    """Counted with the csv module, independently of the toolkit."""
    with open(real / "geography" / GEOGRAPHY[0], encoding="utf-8-sig", newline="") as fh:
        lsoa_lad = {r["LSOA11CD"]: r["LAD20CD"] for r in csv.DictReader(fh)}
    sunderland = {code for code, lad in lsoa_lad.items() if lad == SUNDERLAND_LAD}
    street_rows, in_sunderland_1314, outside, blank = 0, 0, 0, 0
    zpath = next((real / "police_uk").glob("*.zip"))
    with zipfile.ZipFile(zpath) as zf:
        for name in zf.namelist():
            if not name.endswith("-street.csv"):
                continue
            month = name.split("/")[-1][:7]
            text = io.TextIOWrapper(zf.open(name), encoding="utf-8", newline="")
            for row in csv.DictReader(text):
                street_rows += 1
                code = row["LSOA code"]
                if not code:
                    blank += 1
                elif code not in lsoa_lad:
                    outside += 1
                elif code in sunderland and "2013-04" <= month <= "2014-03":
                    in_sunderland_1314 += 1
    with open(real / "geography" / POPULATION, encoding="utf-8-sig", newline="") as fh:
        residents = sum(
            int(r["Usual residents"]) for r in csv.DictReader(fh) if r["LSOA11CD"] in sunderland
        )
    return {
        "street_rows": street_rows,
        "sunderland_lsoas": len(sunderland),
        "in_sunderland_1314": in_sunderland_1314,
        "outside_lookup": outside,
        "no_location": blank,
        "residents": residents,
    }


CONFIG = """\
partnership:
  name: Safer Sunderland Partnership
  short_name: Sunderland
  code: {code}
assessment:
  year: 2013/14
data:
  raw_dir: {raw}
  processed_dir: {processed}
reports:
  output_dir: {reports}
  content_dir: {reports}/../content
run:
  jobs: 2
"""


def sa(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("sa")
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=1800
    )


def _run_sunderland(tmp_path_factory, boundaries: bool) -> dict:
    real = real_data_dir()
    tmp = tmp_path_factory.mktemp("sunderland")
    raw, processed, reports = tmp / "data" / "raw", tmp / "data" / "processed", tmp / "reports"
    lay_out_raw(real, raw)
    if boundaries:
        folder = raw / "geography" / "boundaries"
        folder.mkdir()
        for layer in sorted((real / "boundaries").glob("*json")):
            (folder / layer.name).symlink_to(layer)
    config = tmp / "sunderland.yml"
    config.write_text(
        CONFIG.format(code=SUNDERLAND_CSP, raw=raw, processed=processed, reports=reports),
        encoding="utf-8",
    )
    ingest = sa("--config", str(config), "ingest", cwd=tmp)
    run = sa("--config", str(config), "run", cwd=tmp) if ingest.returncode == 0 else None
    return {
        "real": real,
        "tmp": tmp,
        "config": config,
        "processed": processed,
        "report_dir": reports / "2013-14",
        "ingest": ingest,
        "run": run,
        "expected": expected_figures(real),
    }


@pytest.fixture(scope="module")
def sunderland(tmp_path_factory):
    """Police data, lookups and population only (no boundary files)."""
    return _run_sunderland(tmp_path_factory, boundaries=False)


@pytest.fixture(scope="module")
def sunderland_with_boundaries(tmp_path_factory):
    """The same, with the ONS boundary layers of ../shared/real-data/boundaries/ as published."""
    if not (real_data_dir() / "boundaries").is_dir():
        pytest.skip("no boundaries folder in the real data")
    return _run_sunderland(tmp_path_factory, boundaries=True)


def test_maps_on_the_partnership_boundaries(sunderland_with_boundaries):
    run = sunderland_with_boundaries["run"]
    ingest = sunderland_with_boundaries["ingest"]
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    said = " ".join(ingest.stdout.split())
    # all 185 of Sunderland's 2011 LSOAs have a polygon; the 2013 wards are placed by
    # geometry (the lookup has no wards), so no ward is reported without a polygon
    assert "lsoa_2011 185 in the partnership" in said
    assert "have no polygon" not in said
    assert run is not None and run.returncode == 0, run.stdout + run.stderr
    assert "7 of 7 reports rendered" in " ".join(run.stdout.split())
    figures = sunderland_with_boundaries["report_dir"] / "figures"
    for name in (
        "01_violent_crime_violence_ward_map",
        "01_violent_crime_violence_hotspot_map",
        "03_anti_social_behaviour_asb_ward_map",
        "04_drugs_and_alcohol_drug_offences_ward_map",
    ):
        assert (figures / f"{name}.png").is_file(), name
    violence = (sunderland_with_boundaries["report_dir"] / "01_violent_crime.html").read_text(
        encoding="utf-8"
    )
    assert "Contains OS data" in violence


def test_without_boundaries_the_density_plot_stays_and_says_which_files_add_maps(sunderland):
    figures = sunderland["report_dir"] / "figures"
    for kind in ("ward", "lsoa", "hotspot"):
        assert not list(figures.glob(f"*_{kind}_map.png")), kind
    assert list(figures.glob("*_density_map.png"))
    violence = (sunderland["report_dir"] / "01_violent_crime.html").read_text(encoding="utf-8")
    said = " ".join(violence.split())
    assert "Adding the Office for National Statistics LSOA and ward boundary files" in said
    # the density map's caption cites its data: the hexagons by band of offences
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(violence, "html.parser")
    density = [f for f in soup.find_all("figure") if "hexagonal bins" in f.img.get("alt", "")]
    assert len(density) == 1
    link = density[0].figcaption.find("a", class_="sa-data-link")
    assert link is not None, density[0].figcaption
    table = soup.find(id=link["href"][1:])
    assert [th.get_text() for th in table.thead.find_all("th")][:3] == [
        "Offences per hexagon", "Share of hexagons", "Offences",
    ]  # fmt: skip


def test_ingest_recognises_the_published_files(sunderland):
    ingest = sunderland["ingest"]
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    out = ingest.stdout
    assert "LSOA 2011 to local authority 2020" in out
    assert "local authority 2019 to partnership 2019 to police force area 2019" in out
    assert "partnership names and codes" in out
    exp = sunderland["expected"]
    assert f"{exp['outside_lookup']:,} with an LSOA not in the lookup" in out
    assert f"{exp['no_location']:,} with no location" in out
    assert "totals only, no ages" in out and "32,844 LSOAs (2011 LSOAs)" in out


def test_partnership_lsoas_population_and_unmatched_records(sunderland):
    assert sunderland["ingest"].returncode == 0
    from sa_toolkit.config import load_config
    from sa_toolkit.geography import load_summary, place_level
    from sa_toolkit.tables import partnership_lsoas, partnership_street, read_table

    cfg = load_config(sunderland["config"])
    exp = sunderland["expected"]
    lsoas = partnership_lsoas(cfg)
    assert len(lsoas) == exp["sunderland_lsoas"] == 185
    street = partnership_street(cfg, cfg.year, columns=["lsoa_code"])
    assert len(street) == exp["in_sunderland_1314"]
    pop = read_table("population", cfg.processed_dir)
    assert pop.loc[pop["lsoa_code"].isin(lsoas), "population"].sum() == exp["residents"]
    summary = load_summary(cfg.processed_dir)
    assert summary["police"]["records"] == exp["street_rows"] == 162_666
    assert summary["police"]["outside_lookup"] == exp["outside_lookup"]
    assert summary["police"]["no_location"] == exp["no_location"] == 38
    level = place_level(cfg.processed_dir, cfg.partnership_code)
    assert level.level == "MSOA"
    lookup = read_table("lookup", cfg.processed_dir)
    row = lookup[lookup["lsoa_code"] == "E01008745"].iloc[0]  # Sunderland 036C
    assert row["ward_name"] == "Sunderland 036" and row["csp_code"] == SUNDERLAND_CSP


def test_the_local_authority_code_selects_the_same_lsoas(sunderland):
    assert sunderland["ingest"].returncode == 0
    from sa_toolkit.config import load_config
    from sa_toolkit.tables import partnership_lsoas

    by_csp = partnership_lsoas(load_config(sunderland["config"]))
    by_lad = partnership_lsoas(
        load_config(sunderland["config"]).with_overrides(partnership_code=SUNDERLAND_LAD)
    )
    assert by_csp == by_lad


def _index(sunderland) -> str:
    """The run log page: provenance, months covered and the geography notes."""
    return (sunderland["report_dir"] / "run_log.html").read_text(encoding="utf-8")


def _failed(sunderland) -> dict:
    manifest = json.loads((sunderland["report_dir"] / "manifest.json").read_text())
    assert len(manifest["notebooks"]) == 7
    return {
        n["name"]: n.get("error") or "" for n in manifest["notebooks"] if n["status"] != "succeeded"
    }


def test_run_renders_every_report(sunderland):
    run = sunderland["run"]
    assert run is not None
    assert not _failed(sunderland)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "7 of 7 reports rendered" in run.stdout


def test_missing_months_are_named_and_years_compared_like_for_like(sunderland):
    # the download holds June 2013 to June 2014: April and May 2013 are missing from 2013/14
    log = re.sub(r"\s+", " ", _index(sunderland))
    assert "April and May 2013" in log
    overview = (sunderland["report_dir"] / "00_overview.html").read_text(encoding="utf-8")
    overview = re.sub(r"\s+", " ", overview)
    assert "10 of 12 months" in overview
    # 2012/13 is not in the download: nothing is compared with a year of no data as if zero
    assert "rose from 0" not in overview and "fell to 0" not in overview


def test_reports_say_places_are_msoas_and_count_records_outside_the_lookup(sunderland):
    assert sunderland["run"] is not None
    exp = sunderland["expected"]
    text = re.sub(r"\s+", " ", _index(sunderland))
    located = exp["street_rows"] - exp["no_location"]
    if exp["outside_lookup"]:
        assert f"{exp['outside_lookup']:,} of {exp['street_rows']:,} police records" in text
    else:  # the England lookup holds every LSOA of the force's records
        assert (
            f"Every police record with a location ({located:,} of {exp['street_rows']:,})" in text
        )
    assert f"{exp['no_location']:,} have no location" in text
    assert "no ward lookup was supplied" in text
    assert "totals only" in text
    asb = (sunderland["report_dir"] / "03_anti_social_behaviour.html").read_text(encoding="utf-8")
    asb = re.sub(r"\s+", " ", asb)
    assert "The ten MSOAs with most anti-social behaviour incidents" in asb
    assert "Incidents without a location are not counted in any MSOA" in asb
    overview = (sunderland["report_dir"] / "00_overview.html").read_text(encoding="utf-8")
    assert "no ward lookup was supplied" in re.sub(r"\s+", " ", overview)


def test_real_reports_are_accessible_and_citable(sunderland_with_boundaries):
    """On real data with maps: numbered figures linked to their data tables, short alt
    text, row headers, no tab stops that do nothing (tests/test_accessible_reports.py)."""
    from bs4 import BeautifulSoup

    from tests.test_accessible_reports import _check_accessible_page

    folder = sunderland_with_boundaries["report_dir"]
    pages = sorted(folder.glob("0*.html"))
    assert len(pages) == 7
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        _check_accessible_page(soup, page.name)


def test_real_data_reports_show_no_internals(sunderland):
    """Board language on real data, where datasets are missing and say so (issue 11 item 3):
    no file, folder, command, id or unglossed term in any report, the Word document or the
    Excel framework; the run log names the files expected."""
    from sa_toolkit import board_language

    assert sunderland["run"] is not None and sunderland["run"].returncode == 0
    findings = board_language.scan_folder(sunderland["report_dir"])
    assert findings == [], board_language.describe(findings, limit=40)
    violence = (sunderland["report_dir"] / "01_violent_crime.html").read_text(encoding="utf-8")
    assert (
        "Not available: the partnership&#x27;s crime incident extract was not supplied"
        in (violence)
        or "Not available: the partnership's crime incident extract was not supplied" in violence
    )
    log = re.sub(r"\s+", " ", _index(sunderland))
    assert "<td>partner/crime_incidents.csv</td>" in log
    assert "template in data/templates/crime_incidents.csv" in log


@pytest.mark.parametrize("which", ["sunderland", "sunderland_with_boundaries"])
def test_real_data_reports_show_no_small_counts(which, request):
    """Disclosure on real data (issue 10 item 6): no count from 1 to 4 in any text, table,
    chart or the Word document of a real partnership's assessment, with and without maps
    (the maps' note on offences not drawn printed "1 offences" before)."""
    from sa_toolkit.disclosure_scan import refusal_message, scan_report_folder

    run = request.getfixturevalue(which)
    assert run["run"] is not None and run["run"].returncode == 0
    findings = scan_report_folder(run["report_dir"], 5)
    assert findings == [], refusal_message(findings, 5, limit=40)
