"""The demo's rendered assessment as a board and an analyst would see it.

Uses the session pipeline (``sa demo --scale 0.05`` -> ``sa ingest`` -> ``sa run``) for the
summary page, the honest-demo labels and the Word document; and its own project for two
years in a row (``--only 00_overview``), where the second year's summary compares with
the first's published assessment and ``sa publish`` works on the demo.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

from sa_toolkit import demo_data

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
PLAN_PRIORITIES = [
    "Violent crime", "Youth crime", "Anti-social behaviour", "Drugs and alcohol",
    "Reducing re-offending", "Safer communities",
]  # fmt: skip


def test_summary_page_opens_with_the_year_and_recommended_priorities(rendered_reports):
    index = (rendered_reports / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>(.*?)</h2>", index)
    assert headings[:3] == [
        "The year in one page",
        "Recommended priorities for 2026/27",
        "What changed since last year's assessment",
    ]
    table = re.search(r"<caption>Recommended priorities.*?</table>", index, re.S).group(0)
    for name in PLAN_PRIORITIES:
        row = re.search(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', table, re.S)
        assert row, name
        decision = re.search(r'class="rec rec-(\w+)"', row.group(1)).group(1)
        assert decision in {"keep", "watch", "drop"}
        assert "<li>" in row.group(1), f"{name}: no reasons"
    assert "There is no earlier assessment (2024/25)" in index
    assert 'href="run_log.html"' in index and 'href="strategic_assessment_2025-26.docx"' in index
    assert "SHA-256" not in index and "Run time" not in index  # the run log holds those


def test_summary_uses_the_reports_own_figures(rendered_reports):
    """The summary's opening finding is the overview report's headline, word for word."""
    summary = json.loads((rendered_reports / "assessment_summary.json").read_text("utf-8"))
    manifest = json.loads((rendered_reports / "manifest.json").read_text("utf-8"))
    overview = next(nb for nb in manifest["notebooks"] if nb["name"] == "00_overview")
    assert summary["findings"][0] == overview["headline"]
    assert summary["framework"]["indicators"] == len(summary["measures"])
    # wards named in "where" are demo wards, with their share
    assert summary["where"] and all(w.startswith("Demo ") and "%" in w for w in summary["where"])


def test_every_page_chart_and_the_document_say_the_data_are_made_up(pipeline_run):
    folder = pipeline_run.report_dir
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["synthetic_demo"] is True
    for page in sorted(folder.glob("*.html")):
        assert "Synthetic demo data" in page.read_text(encoding="utf-8"), page.name
    svgs = sorted((folder / "figures").glob("*.svg"))
    assert svgs
    for svg in svgs:
        assert "Synthetic demo data" in svg.read_text(encoding="utf-8"), svg.name
    doc = Document(folder / "strategic_assessment_2025-26.docx")
    assert demo_data.NOTICE in "\n".join(p.text for p in doc.paragraphs)
    # the demo's places are plainly fictional
    lookup = pd.read_csv(pipeline_run.root / "data/raw/geography/lsoa_ward_csp_lookup.csv")
    assert lookup["WD24NM"].str.startswith("Demo ").all()


def test_the_demo_document_has_one_heading_per_report_and_captioned_figures(rendered_reports):
    doc = Document(rendered_reports / "strategic_assessment_2025-26.docx")
    manifest = json.loads((rendered_reports / "manifest.json").read_text("utf-8"))
    heading_1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    titles = [nb["title"] for nb in manifest["notebooks"]]
    assert heading_1 == ["Summary", *titles, "Annex A: performance framework",
                         "Annex B: data sources"]  # fmt: skip
    alts = [el.get("descr") for el in doc.element.body.iter(qn("wp:docPr"))]
    figures = len(list((rendered_reports / "figures").glob("*.png")))
    assert len(alts) == figures and all(a and len(a) > 20 for a in alts)
    captions = [
        "".join(t.text for t in p._p.iter(qn("w:t")))
        for p in doc.paragraphs
        if p.style.name == "Caption"
    ]
    assert [c for c in captions if c.startswith("Figure ")][:figures] == [
        c for c in captions if c.startswith("Figure ")
    ]
    numbers = [int(re.match(r"Figure (\d+):", c).group(1)) for c in captions if c[0] == "F"]
    assert numbers == list(range(1, figures + 1))
    # the analyst's text is in the document: the demo's horizon scanning, under its heading
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Horizon scanning" in text and "Serious Violence Duty" in text
    # the framework annex: traffic lights as text, one row per indicator
    annex = doc.tables[-2]
    assert annex.rows[0].cells[6].text == "Traffic light"
    lights = {row.cells[6].text for row in annex.rows[1:]}
    assert lights <= {"Red", "Amber", "Green", "Not rated"} and "Red" in lights


# ----------------------------------------------------------------------------- two years


def _sa(root: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("sa")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sa_toolkit.cli"]
    env = {**os.environ, "SA_PROJECT_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*command, *args], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


def test_a_second_year_shows_what_changed_since_the_published_first(tmp_path):
    root = tmp_path / "project"
    (root / "config").mkdir(parents=True)
    shutil.copy(REPO / "config" / "assessment.yml", root / "config" / "assessment.yml")
    (root / "notebooks").mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(nb, root / "notebooks" / nb.name)
    for args in (
        ("demo", "--scale", "0.05"),
        ("ingest",),
        ("run", "--year", "2024/25", "--only", "00_overview"),
        ("publish", "--year", "2024/25"),  # the demo's example text lets it publish
        ("run", "--year", "2025/26", "--only", "00_overview"),
    ):
        proc = _sa(root, *args)
        assert proc.returncode == 0, f"sa {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    first = json.loads((root / "reports/2024-25/assessment_summary.json").read_text("utf-8"))
    second = json.loads((root / "reports/2025-26/assessment_summary.json").read_text("utf-8"))
    changes = second["changes_since_last_year"]
    assert changes["year"] == "2024/25"
    # recorded crime in each year's own assessment
    assert changes["crime"] == {
        "before": first["crime"]["crime_this"],
        "now": second["crime"]["crime_this"],
    }
    # every measure whose light differs between the two files is listed, and only those
    before = {m["indicator_id"]: m["rag"] for m in first["measures"]}
    moved = sorted(
        m["name"]
        for m in second["measures"]
        if m["indicator_id"] in before and before[m["indicator_id"]] != m["rag"]
    )
    assert sorted(m["name"] for m in changes["measures"]) == moved
    index = (root / "reports/2025-26/index.html").read_text(encoding="utf-8")
    assert "Compared with the published 2024/25 assessment." in index
    assert "Recommended priorities then and now" in index
    assert "There is no earlier assessment" not in index
    # the second year publishes too
    assert _sa(root, "publish", "--year", "2025/26").returncode == 0
