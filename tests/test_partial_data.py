"""A partnership with only some of its data: the reports render with notes, not failures.

Scenario (a): data.police.uk downloads, the lookup and the population only (no partner
extracts, no MSG table). One ``sa demo --scale 0.05`` -> delete -> ``sa ingest`` ->
``sa run`` in a temporary project, shared by the module. Unit tests cover the note text
(:func:`priority_common.missing_text`) and the fallbacks to the open police data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from sa_toolkit.analysis import anti_social_behaviour as asb
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import violent_crime as vc

REPO = Path(__file__).resolve().parents[1]


def _sa(root: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("sa")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sa_toolkit.cli"]
    env = {**os.environ, "SA_PROJECT_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*command, *args], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def police_only_run(tmp_path_factory):
    """Scenario (a): police downloads, lookup and population only."""
    root = tmp_path_factory.mktemp("sa_partial")
    (root / "config").mkdir()
    shutil.copy(REPO / "config" / "assessment.yml", root / "config" / "assessment.yml")
    (root / "notebooks").mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(nb, root / "notebooks" / nb.name)
    steps = {"demo": _sa(root, "demo", "--scale", "0.05")}
    assert steps["demo"].returncode == 0, steps["demo"].stderr[-2000:]
    shutil.rmtree(root / "data" / "raw" / "partner")
    shutil.rmtree(root / "data" / "raw" / "msg")
    steps["ingest"] = _sa(root, "ingest")
    assert steps["ingest"].returncode == 0, steps["ingest"].stderr[-2000:]
    steps["run"] = _sa(root, "run")
    years = sorted(p.parent for p in (root / "reports").glob("*/index.html"))
    return SimpleNamespace(root=root, steps=steps, report_dir=years[0] if years else None)


def _notes(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<p class=.sa-missing.>(.*?)</p>", html, re.S)]


@pytest.mark.slow
def test_police_only_renders_every_report(police_only_run):
    run = police_only_run.steps["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    manifest = json.loads((police_only_run.report_dir / "manifest.json").read_text())
    assert len(manifest["notebooks"]) == 7
    for nb in manifest["notebooks"]:
        assert nb["status"] == "succeeded", (nb["name"], nb["error"])
        assert not nb["error"] and not nb["warnings"], nb["name"]
        html = (police_only_run.report_dir / f"{nb['name']}.html").read_text(encoding="utf-8")
        assert "Traceback" not in html, nb["name"]
        # no error and no warning (stderr) output in the executed notebook either
        executed = json.loads((police_only_run.report_dir / f"{nb['name']}.ipynb").read_text())
        for cell in executed["cells"]:
            for out in cell.get("outputs", []):
                assert out["output_type"] != "error", (nb["name"], out.get("ename"))
                assert out.get("name") != "stderr", (nb["name"], "".join(out.get("text", "")))


#: report -> files its notes must name (the missing extracts each report needs)
EXPECTED_NOTES = {
    "00_overview": ["msg/recorded_crime_msg.csv"],
    "01_violent_crime": ["partner/crime_incidents.csv", "msg/recorded_crime_msg.csv"],
    "02_youth_crime": [
        "partner/crime_incidents.csv",
        "partner/youth_first_time_entrants.csv",
        "partner/reoffending.csv",
        "partner/probation_outcomes.csv",
    ],
    "03_anti_social_behaviour": [
        "partner/asb_incidents.csv",
        "partner/residents_survey.csv",
        "partner/fire_incidents.csv",
    ],
    "04_drugs_and_alcohol": [
        "partner/crime_incidents.csv",
        "partner/treatment_monthly.csv",
        "partner/alcohol_admissions.csv",
        "partner/residents_survey.csv",
    ],
    "05_reoffending": ["partner/reoffending.csv", "partner/probation_outcomes.csv"],
    "06_safer_communities": [
        "partner/residents_survey.csv",
        "partner/crime_incidents.csv",
        "partner/fire_incidents.csv",
        "partner/road_casualties.csv",
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("report", sorted(EXPECTED_NOTES))
def test_police_only_sections_name_the_missing_data(police_only_run, report):
    """The report names the missing data in words; the run log names the file expected."""
    from sa_toolkit.analysis.priority_common import dataset_file

    html = (police_only_run.report_dir / f"{report}.html").read_text(encoding="utf-8")
    run_log = (police_only_run.report_dir / "run_log.html").read_text(encoding="utf-8")
    notes = _notes(html)
    by_file = {dataset_file(d)[1]: d for d in pc.OTHER_DATASETS}
    from sa_toolkit.ingest.partner import DATASETS

    by_file.update({spec.raw_path: name for name, spec in DATASETS.items()})
    for path in EXPECTED_NOTES[report]:
        title = dataset_file(by_file[path])[0]
        hits = [n for n in notes if title in n]
        assert hits, f"{report}: no note names the {title}; notes: {notes}"
        assert all(n.startswith("Not available: ") for n in hits), hits
        assert all("cannot be shown" in n and "data/" not in n for n in hits), hits
        assert f"<td>{path}</td>" in run_log, path


@pytest.mark.slow
def test_police_only_violent_crime_and_asb_use_the_open_data(police_only_run):
    folder = police_only_run.report_dir
    violence = (folder / "01_violent_crime.html").read_text(encoding="utf-8")
    assert vc.SOURCE_POLICE in violence
    assert (folder / "figures" / "01_violent_crime_trend_volume.png").is_file()
    # where violence happens: the hotspot map on the demo's boundaries (else the density plot)
    assert (folder / "figures" / "01_violent_crime_violence_hotspot_map.png").is_file() or (
        folder / "figures" / "01_violent_crime_density.png"
    ).is_file()
    assert not (folder / "figures" / "01_violent_crime_heat_map.png").exists()
    notes = " ".join(_notes(violence))
    assert "knife and gun crime" in notes and "counted from data.police.uk" in notes
    behaviour = (folder / "03_anti_social_behaviour.html").read_text(encoding="utf-8")
    assert asb.SOURCE_POLICE in behaviour
    assert (folder / "figures" / "03_anti_social_behaviour_trend_by_source.png").is_file()


# ----------------------------------------------------------------------------- unit tests


def _cfg(tmp_path, supplied=()):
    raw, processed = tmp_path / "data" / "raw", tmp_path / "data" / "processed"
    for name in supplied:
        (processed / name).mkdir(parents=True)
        pd.DataFrame({"x": [1]}).to_parquet(processed / name / "part.parquet")
    return SimpleNamespace(raw_dir=raw, processed_dir=processed, root=tmp_path)


def test_missing_text_names_the_data_in_words(tmp_path):
    # board language: no file, folder or template in the report (the run log has them)
    text = pc.missing_text("crime_incidents", "knife crime", _cfg(tmp_path))
    assert text == (
        "Not available: the partnership's crime incident extract was not supplied, so knife "
        "crime cannot be shown."
    )


def test_missing_text_non_partner_dataset_and_instead(tmp_path):
    text = pc.missing_text("msg_crime", "the comparison", _cfg(tmp_path), instead="Seen below.")
    assert text == (
        "Not available: the Most Similar Group (MSG) recorded crime table was not supplied, so "
        "the comparison cannot be shown. Seen below."
    )


def test_missing_text_supplied_but_empty_says_so(tmp_path):
    text = pc.missing_text("reoffending", "a complete cohort", _cfg(tmp_path, ["reoffending"]))
    assert text.startswith("Not available: the partnership's proven re-offending extract holds")
    assert "holds no rows" in text and "not supplied" not in text


def test_missing_datasets_name_the_file_for_the_run_log(tmp_path):
    cfg = _cfg(tmp_path, ["reoffending", "msg_crime"])
    missing = {m["dataset"]: m for m in pc.missing_datasets(cfg)}
    assert "reoffending" not in missing and "msg_crime" not in missing
    assert missing["fire_incidents"]["file"] == "partner/fire_incidents.csv"
    assert missing["fire_incidents"]["origin"] == "template in data/templates/fire_incidents.csv"
    assert missing["population"]["file"] == "geography/population/*.csv"


def test_absent_escapes_html(tmp_path):
    block = pc.absent("residents_survey", "residents' <views>", _cfg(tmp_path))
    assert block.startswith(
        "<p class='sa-missing'>Not available: the partnership&#x27;s residents&#x27; survey "
        "microdata"
    )
    assert "&lt;views&gt;" in block


def test_table_supplied_and_read_if_supplied(tmp_path):
    cfg = _cfg(tmp_path, ["lookup"])
    assert pc.table_supplied("lookup", cfg.processed_dir)
    assert not pc.table_supplied("crime_incidents", cfg.processed_dir)
    from sa_toolkit.indicators.computations import DataSource

    src = DataSource(cfg.processed_dir, ["E01"], "X")
    assert pc.read_if_supplied(src, "crime_incidents") is None
    assert list(pc.read_if_supplied(src, "lookup")["x"]) == [1]


def _police_street():
    month = pd.PeriodIndex(["2025-04", "2025-04", "2025-05", "2025-05", "2025-06"], freq="M")
    return pd.DataFrame(
        {
            "month": month,
            "crime_type": pd.Categorical(
                [
                    "Anti-social behaviour",
                    "Robbery",
                    "Anti-social behaviour",
                    "Violence and sexual offences",
                    "Anti-social behaviour",
                ]
            ),  # fmt: skip
            "lsoa_code": pd.Categorical(["E1", "E1", "E2", "E2", "E1"]),
            "location": ["On or near A", "On or near A", "On or near B", "On or near B", None],
            "longitude": [0.1, 0.1, 0.2, 0.2, None],
            "latitude": [51.1, 51.1, 51.2, 51.2, None],
        }
    )


def test_police_asb_fallback_keeps_only_asb_as_police_source():
    src = SimpleNamespace(read=lambda name, columns=None: _police_street()[columns])
    rows = asb.police_incidents(src)
    assert list(rows.columns) == asb.ASB_COLUMNS
    assert len(rows) == 3  # the three ASB rows, robbery and violence left out
    assert set(rows["source"]) == {"police"}
    monthly = asb.monthly_by_source(rows, pd.period_range("2025-04", "2025-06", freq="M"))
    assert monthly["Police"].tolist() == [1, 1, 1]
    assert monthly[["Council", "Housing"]].to_numpy().sum() == 0
    repeats = asb.repeat_locations(rows)
    assert repeats["locations"] == 2 and repeats["unlocated"] == 1


def test_police_only_headline_does_not_claim_other_sources():
    from sa_toolkit.periods import FinancialYear

    by_source = pd.DataFrame(
        {"before": [10, 10], "after": [15, 15], "change": [50.0, 50.0],
         "p_value": [0.42, 0.42], "significant": [False, False]},
        index=pd.Index(["police", "all sources"], name="source"),
    )  # fmt: skip
    year = FinancialYear.parse("2025/26")
    text = asb.headline_sentence(by_source, year, 5, police_only=True)
    assert "recorded by the police" in text and "council" not in text
    assert "were reported to the police" not in text


def test_violent_crime_police_measures_count_open_data_types():
    measures = vc.load_measures("police")
    assert list(measures.index) == ["violence_and_sexual_offences", "robbery"]
    street = _police_street()
    months = pd.period_range("2025-04", "2025-06", freq="M")
    data = vc.ViolentCrimeData(
        year=None, incidents=street, areas=pd.DataFrame(), population=pd.DataFrame(),
        msg=pd.DataFrame(), months=months, measures=measures, source="police",
    )  # fmt: skip
    counts = vc.monthly_counts(data)
    # hand count: robbery in April, violence and sexual offences in May
    assert counts["Robbery"].tolist() == [1, 0, 0]
    assert counts["Violence and sexual offences"].tolist() == [0, 1, 0]
    assert data.focus == "violence_and_sexual_offences"
    assert data.source_note == vc.SOURCE_POLICE
    assert vc.temporal(data)["table"] is None
    assert vc.age_profiles(data)["shares"] is None
    assert vc.shares_and_repeats(data).empty
