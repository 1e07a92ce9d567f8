"""The order in which `sa run` starts its notebooks, and what they share within a run.

The overview writes the performance framework it computes into the run's shared folder
(``SA_RUN_SHARED_DIR``) and the priority notebooks that start later read their rows from
it; these tests check that the rows a notebook gets that way are the very rows it would
compute on its own, that a file made for another configuration is ignored, and that
nothing of it reaches the report folder.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from sa_toolkit import runner
from sa_toolkit.analysis import overview as ov
from sa_toolkit.analysis import priority_framework as pf
from sa_toolkit.config import load_config

PRIORITIES = [
    "violent_crime",
    "youth_crime",
    "anti_social_behaviour",
    "drugs_and_alcohol",
    "reoffending",
    "safer_communities",
]


def _paths(names):
    return [Path(f"/nb/{n}.ipynb") for n in names]


def test_schedule_starts_the_longest_notebooks_first(tmp_path):
    names = ["00_a", "01_b", "02_c", "03_d"]
    manifest = {
        "notebooks": [
            {"name": "00_a", "seconds": 3.0},
            {"name": "01_b", "seconds": 9.5},
            {"name": "02_c", "seconds": 4.2},
        ]
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    order = [p.stem for p in runner.schedule(_paths(names), tmp_path)]
    # 03_d is new (no time yet): it starts first; then 9.5 s, 4.2 s, 3.0 s
    assert order == ["03_d", "01_b", "02_c", "00_a"]


def test_schedule_without_previous_render_keeps_name_order(tmp_path):
    names = ["00_a", "01_b", "02_c"]
    assert [p.stem for p in runner.schedule(_paths(names), tmp_path)] == names
    (tmp_path / "manifest.json").write_text("not json", encoding="utf-8")
    assert [p.stem for p in runner.schedule(_paths(names), tmp_path)] == names


def test_runner_and_analysis_name_the_same_variable():
    assert runner.SHARED_DIR_ENV == pf.SHARED_DIR_ENV


@pytest.fixture(scope="module")
def demo_cfg(pipeline_run):
    return load_config(pipeline_run.root / "config" / "assessment.yml")


@pytest.mark.slow
def test_shared_framework_gives_the_rows_each_notebook_computes(demo_cfg, tmp_path, monkeypatch):
    monkeypatch.delenv(pf.SHARED_DIR_ENV, raising=False)
    computed_all = ov.performance_framework(demo_cfg)
    computed = {p: pf.priority_framework(demo_cfg, p) for p in PRIORITIES}
    assert len(computed_all) > 20
    assert not list(tmp_path.iterdir())  # nothing written outside a run

    monkeypatch.setenv(pf.SHARED_DIR_ENV, str(tmp_path))
    assert pf.shared_framework(demo_cfg) is None  # the overview has not got there yet
    first = ov.performance_framework(demo_cfg)  # computes and writes
    assert (tmp_path / pf.SHARED_FRAMEWORK_FILE).is_file()
    shared_all = ov.performance_framework(demo_cfg)  # reads
    for frame in (first, shared_all):
        pd.testing.assert_frame_equal(frame, computed_all)
        assert frame.attrs == computed_all.attrs
    for priority in PRIORITIES:
        shared = pf.priority_framework(demo_cfg, priority)
        pd.testing.assert_frame_equal(shared, computed[priority])
        assert shared.attrs == computed[priority].attrs
        # the tbc rows for what no dataset carries are still there
        assert (shared["value_source"] == "entered").sum() == (
            computed[priority]["value_source"] == "entered"
        ).sum()


@pytest.mark.slow
def test_shared_framework_of_another_configuration_is_ignored(demo_cfg, tmp_path, monkeypatch):
    pf.write_shared_framework(pf.compute_performance_framework(demo_cfg), demo_cfg, tmp_path)
    monkeypatch.setenv(pf.SHARED_DIR_ENV, str(tmp_path))
    assert pf.shared_framework(demo_cfg) is not None
    other_year = load_config(
        demo_cfg.root / "config" / "assessment.yml", year=demo_cfg.year.previous().label
    )
    assert pf.shared_framework(other_year) is None
    assert pf.shared_framework(dataclasses.replace(demo_cfg, significance_level=0.01)) is None
    monkeypatch.setenv(pf.SHARED_DIR_ENV, str(tmp_path / "missing"))
    assert pf.shared_framework(demo_cfg) is None


@pytest.mark.slow
def test_report_folder_holds_nothing_of_the_shared_results(rendered_reports):
    assert not (rendered_reports / runner.SHARED_DIR).exists()
    assert not list(rendered_reports.rglob(pf.SHARED_FRAMEWORK_FILE + "*"))


def _notebook(path: Path, cells: list[str]) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(
        cells=[new_markdown_cell("# Slow report")] + [new_code_cell(c) for c in cells],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_a_notebook_stopped_by_the_timeout_still_shows_what_ran(tmp_path):
    # the notebook is written once at the end, not around every cell: a run cut short
    # must still leave the cells that ran, rendered with the error
    source = _notebook(
        tmp_path / "01_slow.ipynb",
        ["print('first cell ran: 41 + 1 =', 41 + 1)", "import time\ntime.sleep(60)"],
    )
    out = tmp_path / "out"
    out.mkdir()
    result = runner.execute_and_render(str(source), str(out), {}, str(tmp_path), 3)
    assert result["status"] == "failed"
    assert "Timeout" in result["error"]
    executed = json.loads((out / "01_slow.ipynb").read_text(encoding="utf-8"))
    first = executed["cells"][1]["outputs"]
    assert first and "first cell ran: 41 + 1 = 42" in "".join(first[0]["text"])
    assert "first cell ran: 41 + 1 = 42" in (out / "01_slow.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_finished_notebook_is_written_with_every_output(tmp_path):
    source = _notebook(tmp_path / "02_ok.ipynb", ["x = 6 * 7", "print('answer', x)"])
    out = tmp_path / "out"
    out.mkdir()
    result = runner.execute_and_render(str(source), str(out), {}, str(tmp_path), 60)
    assert result["status"] == "succeeded", result
    executed = json.loads((out / "02_ok.ipynb").read_text(encoding="utf-8"))
    assert "answer 42" in "".join(executed["cells"][2]["outputs"][0]["text"])
    assert executed["metadata"]["papermill"]["duration"] > 0


@pytest.mark.slow
def test_a_kernel_that_dies_while_starting_is_started_once_more(tmp_path, monkeypatch):
    import papermill

    real = papermill.execute_notebook
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    source = _notebook(tmp_path / "03_flaky.ipynb", ["print('ran', 6 * 7)"])
    out = tmp_path / "out"
    out.mkdir()
    result = runner.execute_and_render(str(source), str(out), {}, str(tmp_path), 60)
    assert len(calls) == 2
    assert result["status"] == "succeeded", result
    assert result["warnings"][0] == "The report's kernel failed to start and was started again."


@pytest.mark.slow
def test_a_kernel_that_dies_twice_while_starting_fails_the_report(tmp_path, monkeypatch):
    import papermill

    calls = []

    def dead(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", dead)
    source = _notebook(tmp_path / "04_dead.ipynb", ["print('never')"])
    out = tmp_path / "out"
    out.mkdir()
    result = runner.execute_and_render(str(source), str(out), {}, str(tmp_path), 60)
    assert len(calls) == 2
    assert result["status"] == "failed"
    assert "Kernel died before replying to kernel_info" in result["error"]
    assert (out / "04_dead.html").is_file()
