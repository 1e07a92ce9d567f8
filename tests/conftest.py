"""Shared pytest fixtures.

``rendered_reports`` (runner area): the whole pipeline ``sa demo --scale 0.05`` ->
``sa ingest`` -> ``sa run`` in a temporary copy of the project, once per session. It
gives the year's report folder (``<tmp>/reports/<year>/``); the integration test and the
browser test both read it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@dataclass
class PipelineRun:
    """The temporary project and what each command of the pipeline printed."""

    root: Path
    report_dir: Path
    steps: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)


def _sa_command() -> list[str]:
    script = Path(sys.executable).with_name("sa")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from sa_toolkit.cli import app; app()"]


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory) -> PipelineRun:
    """Run demo -> ingest -> run in a temporary project; fail with the output on error."""
    root = tmp_path_factory.mktemp("sa_project")
    (root / "config").mkdir()
    shutil.copy(REPO / "config" / "assessment.yml", root / "config" / "assessment.yml")
    (root / "notebooks").mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(nb, root / "notebooks" / nb.name)
    env = {**os.environ, "SA_PROJECT_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    run = PipelineRun(root=root, report_dir=root / "reports")
    for name, args in (
        ("demo", ["demo", "--scale", "0.05"]),
        ("ingest", ["ingest"]),
        ("run", ["run"]),
    ):
        proc = subprocess.run(
            [*_sa_command(), *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        run.steps[name] = proc
        if proc.returncode != 0:
            pytest.fail(
                f"`sa {' '.join(args)}` exited {proc.returncode}\n"
                f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
            )
    years = sorted(p.parent for p in (root / "reports").glob("*/index.html"))
    if len(years) != 1:
        pytest.fail(f"expected one reports/<year>/index.html, found {years}")
    run.report_dir = years[0]
    return run


@pytest.fixture(scope="session")
def rendered_reports(pipeline_run) -> Path:
    """The rendered year folder, ``reports/<year>/``, of the session's pipeline run."""
    return pipeline_run.report_dir
