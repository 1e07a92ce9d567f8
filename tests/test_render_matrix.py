"""Every report renders from police data, lookup and population alone, and from subsets of
the partner and MSG files (issue 9, item 6), with a month missing from the police data.

The matrix. The two ends are run elsewhere in the suite: everything supplied
(``conftest.pipeline_run``) and nothing but police, lookup and population
(``test_partial_data``). Here, by default, two complementary halves of the optional files
(every file absent in one run and present in the other, each time beside a different mix
of the others), each with one police month deleted: that is four full ``sa demo -> sa
ingest -> sa run`` pipelines in all, which the two-core test machine affords. With
``SA_RENDER_MATRIX=pairwise`` the six further rows of a pairwise covering array run too
(every two optional files seen in all four combinations of present and absent).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sa_toolkit.report_text import svg_texts

REPO = Path(__file__).resolve().parents[1]

#: the optional inputs, relative to data/raw (police, lookup and population are always there)
OPTIONAL = (
    "msg/recorded_crime_msg.csv",
    "partner/alcohol_admissions.csv",
    "partner/asb_incidents.csv",
    "partner/crime_incidents.csv",
    "partner/drug_prevalence.csv",
    "partner/fire_incidents.csv",
    "partner/probation_outcomes.csv",
    "partner/reoffending.csv",
    "partner/residents_survey.csv",
    "partner/road_casualties.csv",
    "partner/treatment_monthly.csv",
    "partner/youth_first_time_entrants.csv",
)
#: files whose absence a report names in a note (drug prevalence is shown only when there)
NAMED_WHEN_ABSENT = set(OPTIONAL) - {"partner/drug_prevalence.csv"}


def pairwise_rows(k: int) -> list[tuple[bool, ...]]:
    """A pairwise covering array for ``k`` two-level factors: rows of present (True) /
    absent. Row 0 is all absent; each column is a distinct set of ``n // 2 + 1`` of the
    other ``n - 1`` rows, so any two columns show (absent, absent) in row 0, (present,
    present) where their sets overlap, and each of (present, absent) / (absent, present)
    because distinct sets of equal size each hold a row the other lacks."""
    n = 2
    while True:
        n += 1
        weight = n // 2 + 1
        sets = list(itertools.combinations(range(1, n), weight))
        if len(sets) >= k and all(
            len(set(a) & set(b)) >= 1 for a, b in itertools.combinations(sets[:k], 2)
        ):
            break
    columns = sets[:k]
    return [tuple(row in col for col in columns) for row in range(n)]


def _matrix() -> dict[str, tuple[tuple[str, ...], str]]:
    """Run name -> (files present, police month deleted)."""
    even, odd = OPTIONAL[0::2], OPTIONAL[1::2]
    runs = {"half_a": (even, "2026-01"), "half_b": (odd, "2024-11")}
    if os.environ.get("SA_RENDER_MATRIX") == "pairwise":
        for i, row in enumerate(pairwise_rows(len(OPTIONAL))[1:], start=1):
            present = tuple(f for f, on in zip(OPTIONAL, row, strict=True) if on)
            runs[f"pairwise_{i}"] = (present, "2025-07")
    return runs


MATRIX = _matrix()


def test_pairwise_rows_cover_every_pair():
    rows = pairwise_rows(len(OPTIONAL))
    assert len(rows) == 7  # 12 factors: C(6, 4) = 15 >= 12 sets of the six rows after the first
    for a, b in itertools.combinations(range(len(OPTIONAL)), 2):
        seen = {(row[a], row[b]) for row in rows}
        assert seen == {(True, True), (True, False), (False, True), (False, False)}, (a, b)


def _sa(root: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("sa")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sa_toolkit.cli"]
    env = {**os.environ, "SA_PROJECT_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*command, *args], cwd=root, env=env, capture_output=True, text=True, timeout=1800
    )


def _project(root: Path) -> None:
    (root / "config").mkdir(parents=True)
    shutil.copy(REPO / "config" / "assessment.yml", root / "config" / "assessment.yml")
    (root / "notebooks").mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(nb, root / "notebooks" / nb.name)


@pytest.fixture(scope="module")
def demo_raw(tmp_path_factory) -> Path:
    """One ``sa demo --scale 0.05`` whose raw folder every run of the matrix copies."""
    root = tmp_path_factory.mktemp("sa_matrix_demo")
    _project(root)
    demo = _sa(root, "demo", "--scale", "0.05")
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert {f"partner/{p.name}" for p in (root / "data/raw/partner").glob("*.csv")} | {
        "msg/recorded_crime_msg.csv"
    } == set(OPTIONAL), "the demo's optional files changed: update OPTIONAL"
    return root / "data" / "raw"


@pytest.fixture(scope="module", params=sorted(MATRIX))
def matrix_run(request, demo_raw, tmp_path_factory):
    present, deleted_month = MATRIX[request.param]
    root = tmp_path_factory.mktemp(f"sa_matrix_{request.param}")
    _project(root)
    raw = root / "data" / "raw"
    shutil.copytree(demo_raw, raw)
    for rel in OPTIONAL:
        if rel not in present:
            (raw / rel).unlink()
    shutil.rmtree(raw / "police_uk" / deleted_month)  # a month absent from the download
    steps = {"ingest": _sa(root, "ingest")}
    assert steps["ingest"].returncode == 0, steps["ingest"].stderr[-2000:]
    steps["run"] = _sa(root, "run")
    years = sorted(p.parent for p in (root / "reports").glob("*/index.html"))
    return SimpleNamespace(
        name=request.param,
        root=root,
        present=set(present),
        deleted=pd.Period(deleted_month, freq="M"),
        steps=steps,
        report_dir=years[0] if years else None,
    )


def _notes(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<p class=.sa-missing.>(.*?)</p>", html, re.S)]


@pytest.mark.slow
def test_every_report_renders(matrix_run):
    run = matrix_run.steps["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    manifest = json.loads((matrix_run.report_dir / "manifest.json").read_text())
    assert len(manifest["notebooks"]) == 7
    pages = {}
    for nb in manifest["notebooks"]:
        assert nb["status"] == "succeeded", (matrix_run.name, nb["name"], nb["error"])
        assert not nb["error"] and not nb["warnings"], (matrix_run.name, nb["name"])
        executed = json.loads((matrix_run.report_dir / f"{nb['name']}.ipynb").read_text())
        for cell in executed["cells"]:
            for out in cell.get("outputs", []):
                assert out["output_type"] != "error", (nb["name"], out.get("ename"))
                assert out.get("name") != "stderr", (nb["name"], "".join(out.get("text", "")))
        pages[nb["name"]] = (matrix_run.report_dir / f"{nb['name']}.html").read_text("utf-8")
        assert "Traceback" not in pages[nb["name"]]
    # every file left out is named in words where a report needed it, and by its file on
    # the run log (board language: no file or folder in a report)
    from sa_toolkit.analysis.priority_common import OTHER_DATASETS, dataset_file
    from sa_toolkit.ingest.partner import DATASETS

    by_file = {dataset_file(d)[1]: d for d in OTHER_DATASETS}
    by_file.update({spec.raw_path: name for name, spec in DATASETS.items()})
    notes = " ".join(n for html in pages.values() for n in _notes(html))
    run_log = (matrix_run.report_dir / "run_log.html").read_text("utf-8")
    for rel in NAMED_WHEN_ABSENT - matrix_run.present:
        title = dataset_file(by_file[rel])[0]
        assert f"the partnership's {title} was not supplied" in notes or (
            f"the {title} was not supplied" in notes
        ), (matrix_run.name, rel)
        assert f"<td>{rel}</td>" in run_log, (matrix_run.name, rel)
    assert "data/raw/" not in notes


@pytest.mark.slow
def test_the_missing_police_month_is_said_and_never_a_zero(matrix_run):
    from sa_toolkit.analysis import overview as ov
    from sa_toolkit.config import load_config

    folder = matrix_run.report_dir
    month = matrix_run.deleted.strftime("%B %Y")
    # the months covered are on the run log, one link from the summary
    index = unescape(folder.joinpath("run_log.html").read_text("utf-8"))
    covered = index[index.index("<h2>Months covered</h2>") : index.index("Data provenance")]
    police_row = re.search(r'<tr><th scope="row">Police data</th>(.*?)</tr>', covered, re.S).group(
        1
    )
    assert month in police_row
    # the overview compares like for like and says so, in the report and its headline
    overview = unescape(folder.joinpath("00_overview.html").read_text("utf-8"))
    assert "Like for like: the same 11 months of 2024/25 and 2025/26 compared" in overview
    assert f"{month} missing from the police data" in overview
    headline = json.loads(folder.joinpath("manifest.json").read_text())["notebooks"][0]
    assert "Like for like" in headline["headline"]
    # the chart marks the month (its SVG keeps the words as text: svg.fonttype "none")
    svg = folder.joinpath("figures", "00_overview_crime_trend.svg")
    assert "No data" in {t.text for t in svg_texts(svg, svg.name)}
    # and the series it draws holds no value there: missing, not zero
    cfg = load_config(matrix_run.root / "config" / "assessment.yml")
    trend = ov.crime_trend(ov.load_overview(cfg))
    assert np.isnan(trend["crime"][matrix_run.deleted])
    assert np.isnan(trend["asb"][matrix_run.deleted])
    assert (trend["crime"].dropna() > 0).all()
    if "partner/crime_incidents.csv" not in matrix_run.present:  # violence from police data
        trend_svg = folder.joinpath("figures", "01_violent_crime_trend_volume.svg")
        assert "No data" in {t.text for t in svg_texts(trend_svg, trend_svg.name)}
