"""One of the seven assessment notebooks breaks: exit 1, the six others rendered, the failed
report rendered with its error, and the index marking it failed (issue 2's "done when")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import nbformat
import pytest

from tests.conftest import REPO, _sa_command

pytestmark = pytest.mark.slow

BROKEN = "05_reoffending"


@pytest.fixture(scope="module")
def broken_run(pipeline_run, tmp_path_factory):
    """`sa run` in a project whose 05 notebook raises, on the session pipeline's data."""
    root = tmp_path_factory.mktemp("broken_project")
    (root / "config").mkdir()
    shutil.copy(pipeline_run.root / "config" / "assessment.yml", root / "config")
    # the session pipeline's raw and processed data, not a second demo
    os.symlink(pipeline_run.root / "data", root / "data")
    (root / "notebooks").mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(nb, root / "notebooks" / nb.name)
    path = root / "notebooks" / f"{BROKEN}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(
        3, nbformat.v4.new_code_cell('raise RuntimeError("deliberately broken for the test")')
    )
    nbformat.write(notebook, path)
    env = {**os.environ, "SA_PROJECT_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [*_sa_command(), "run"], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )
    reports = sorted(p.parent for p in (root / "reports").glob("*/index.html"))
    return proc, reports[0] if reports else None


def test_exit_code_is_1_and_the_six_other_reports_are_rendered(broken_run):
    proc, folder = broken_run
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    status = {nb["name"]: nb["status"] for nb in manifest["notebooks"]}
    assert status.pop(BROKEN) == "failed", manifest["notebooks"]
    assert len(status) == 6 and set(status.values()) == {"succeeded"}, manifest["notebooks"]
    for name in status:
        assert "<img" in (folder / f"{name}.html").read_text(encoding="utf-8"), name


def test_the_failed_report_is_rendered_with_its_error_and_marked_in_the_index(broken_run):
    _, folder = broken_run
    failed = (folder / f"{BROKEN}.html").read_text(encoding="utf-8")
    assert "deliberately broken for the test" in failed
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "1 of 7 reports failed" in index, index[:3000]
    assert "This report failed" in index
