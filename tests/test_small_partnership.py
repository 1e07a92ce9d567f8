"""A small partnership (``sa demo --scale 0.01``, about 3,000 residents) with hostile names.

Small numbers reach code paths a larger area never runs (a year in which no young adult
ended a probation order crashed the youth report). This module runs the whole pipeline
once at that scale, with place names and partner text holding HTML, and checks that every
report renders and that the HTML stays text in every page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WARD_HTML = "<script>alert('ward')</script>"
PARTNERSHIP_HTML = "<b>Demo</b> & Borough"
SHORT_NAME_HTML = "<i>Demo</i> Borough"
LOCATION_HTML = "On or near <img src=x onerror=alert(1)> Street"


def _sa(root: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("sa")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sa_toolkit.cli"]
    env = {**os.environ, "SA_PROJECT_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*command, *args], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


def _check(proc: subprocess.CompletedProcess, step: str) -> None:
    if proc.returncode != 0:
        pytest.fail(
            f"`sa {step}` exited {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\n"
            f"stderr:\n{proc.stderr[-3000:]}"
        )


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("small_partnership")
    (root / "config").mkdir()
    config = (REPO / "config" / "assessment.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^  name: .*$", f'  name: "{PARTNERSHIP_HTML} CSP"', config)
    config = re.sub(r"(?m)^  short_name: .*$", f'  short_name: "{SHORT_NAME_HTML}"', config)
    (root / "config" / "assessment.yml").write_text(config, encoding="utf-8")
    (root / "notebooks").mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(nb, root / "notebooks" / nb.name)
    _check(_sa(root, "demo", "--scale", "0.01"), "demo --scale 0.01")
    raw = root / "data" / "raw"
    # every ward name holds a script; one ASB location an image with an event handler
    lookup = raw / "geography" / "lsoa_ward_csp_lookup.csv"
    lines = lookup.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    ward = header.index("WD24NM")
    rows = []
    for line in lines[1:]:
        fields = line.split(",")
        fields[ward] = f'"{fields[ward]} {WARD_HTML}"'
        rows.append(",".join(fields))
    lookup.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    asb = raw / "partner" / "asb_incidents.csv"
    text = asb.read_text(encoding="utf-8")
    asb.write_text(re.sub(r"On or near [A-Za-z ]+?,", f"{LOCATION_HTML},", text), encoding="utf-8")
    _check(_sa(root, "ingest"), "ingest")
    run = _sa(root, "run")
    return root, run


@pytest.mark.slow
def test_every_report_renders_for_a_small_partnership(small_run):
    root, run = small_run
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (year_dir,) = [p.parent for p in (root / "reports").glob("*/index.html")]
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    states = {nb["name"]: nb["status"] for nb in manifest["notebooks"]}
    assert len(states) == 7
    assert set(states.values()) == {"succeeded"}, states
    assert "7 of 7 reports rendered" in " ".join(run.stdout.split())


@pytest.mark.slow
def test_place_names_and_partner_text_holding_html_stay_escaped_in_every_report(small_run):
    root, _ = small_run
    (year_dir,) = [p.parent for p in (root / "reports").glob("*/index.html")]
    pages = sorted(year_dir.glob("*.html"))
    assert len(pages) == 9  # the summary, the run log and seven reports
    escaped = {
        "partnership": "&lt;b&gt;Demo&lt;/b&gt; &amp; Borough",
        "short name": "&lt;i&gt;Demo&lt;/i&gt; Borough",
        "ward": "&lt;script&gt;alert(",
        "location": "&lt;img src=x",
    }
    shown: dict[str, set[str]] = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        # never live markup ...
        for live in ("<script>alert", "<img src=x", "<b>Demo</b>", "<i>Demo</i>"):
            assert live not in html, f"{page.name} holds {live!r} unescaped"
        # ... and where the names are shown, shown as text
        shown[page.name] = {what for what, text in escaped.items() if text in html}
    assert "partnership" in shown["index.html"]
    assert all(shown[p.name] for p in pages if p.name != "index.html"), shown
    assert any("ward" in found for found in shown.values()), shown


@pytest.mark.slow
def test_no_small_count_in_any_text_of_any_report_of_a_small_partnership(small_run):
    """Every report at this scale runs its small-number paths: the disclosure scan reads
    every text (pages, alt text, chart words, the Word document, the Excel framework)
    and finds no count from 1 to threshold - 1, nor one a total gives away."""
    from sa_toolkit.config import load_config
    from sa_toolkit.disclosure_scan import scan_report_folder

    root, _ = small_run
    (year_dir,) = [p.parent for p in (root / "reports").glob("*/index.html")]
    threshold = load_config(root / "config" / "assessment.yml").suppression_threshold
    assert threshold == 5
    findings = scan_report_folder(year_dir, threshold)
    assert findings == [], "\n".join(f.message() for f in findings[:30])


def test_small_partnership_reports_show_no_internals(small_run):
    """Board language at the smallest scale (issue 11 item 3): see tests/test_board_language.py."""
    from sa_toolkit import board_language

    root, _ = small_run
    (year_dir,) = [p.parent for p in (root / "reports").glob("*/index.html")]
    findings = board_language.scan_folder(year_dir)
    assert findings == [], board_language.describe(findings, limit=40)
