"""CLI for the runner: exit codes 0 / 1 / 2, one-line messages, --debug tracebacks."""

from __future__ import annotations

import pytest
from runner_support import make_project, snapshot, write_commentary
from typer.testing import CliRunner

from sa_toolkit.cli import app

WITH_BROKEN = ["good/01_alpha.ipynb", "good/02_beta.ipynb", "good/03_broken.ipynb"]


@pytest.fixture(autouse=True)
def _no_root_override(monkeypatch):
    monkeypatch.delenv("SA_PROJECT_ROOT", raising=False)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_bad_config_key_is_one_message_with_exit_2(tmp_path):
    config = make_project(tmp_path, [])
    config.write_text(
        config.read_text() + "disclosure:\n  suppresion_threshold: 3\n", encoding="utf-8"
    )
    result = invoke("--config", str(config), "run")
    assert result.exit_code == 2
    line = one_line(result.output)
    assert "configuration key 'disclosure.suppresion_threshold'" in line
    assert "allowed keys are suppression_threshold" in line
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(tmp_path):
    config = make_project(tmp_path, [])
    config.write_text(config.read_text() + "run:\n  jobs: many\n", encoding="utf-8")
    plain = invoke("--config", str(config), "run")
    debug = invoke("--config", str(config), "--debug", "run")
    assert plain.exit_code == debug.exit_code == 2
    assert "Traceback" not in plain.output
    assert "Traceback (most recent call last)" in debug.output
    assert "configuration key 'run.jobs'" in debug.output


def test_unknown_parameter_exit_2_one_line(tmp_path):
    config = make_project(tmp_path, ["bad_params/01_missing.ipynb"])
    result = invoke("--config", str(config), "run")
    assert result.exit_code == 2
    assert "01_missing.ipynb: parameter(s) config_path not defined" in one_line(result.output)


def test_unknown_only_exit_2(tmp_path):
    config = make_project(tmp_path, ["good/02_beta.ipynb"])
    result = invoke("--config", str(config), "run", "--only", "07_nothing")
    assert result.exit_code == 2
    assert "no such notebook; choose from 02_beta" in one_line(result.output)


def test_run_with_a_broken_notebook_exits_1_and_publish_then_refuses(tmp_path):
    config = make_project(tmp_path, WITH_BROKEN)
    write_commentary(tmp_path, "2024-25", ["01_alpha", "02_beta", "03_broken"])
    result = invoke("--config", str(config), "run", "--jobs", "2")
    assert result.exit_code == 1, result.output
    # rich wraps long lines to the terminal's width (slow runs print longer timings)
    said = " ".join(result.output.split())
    assert "failed 03_broken: ValueError: deliberately broken fixture notebook" in said
    assert "2 of 3 reports rendered" in said
    report_dir = tmp_path / "reports" / "2024-25"
    assert (report_dir / "03_broken.html").is_file()

    refused = invoke("--config", str(config), "publish")
    assert refused.exit_code == 2
    assert "cannot be published: report(s) 03_broken failed" in one_line(refused.output)

    (tmp_path / "notebooks" / "03_broken.ipynb").unlink()
    rerun = invoke("--config", str(config), "run", "--only", "02_beta")
    # --only keeps the other notebooks' reports; a deleted notebook's report goes
    assert rerun.exit_code == 0, rerun.output
    assert not (report_dir / "03_broken.html").exists()
    assert (report_dir / "01_alpha.html").is_file()
    assert invoke("--config", str(config), "publish").exit_code == 0


def test_publish_then_run_refuses_and_force_archives(tmp_path):
    config = make_project(tmp_path, ["good/02_beta.ipynb"])
    write_commentary(tmp_path, "2024-25", ["02_beta"])
    assert invoke("--config", str(config), "run").exit_code == 0
    published = invoke("--config", str(config), "publish")
    assert published.exit_code == 0
    assert "Published 2024/25" in published.output
    report_dir = tmp_path / "reports" / "2024-25"
    before = snapshot(report_dir)

    refused = invoke("--config", str(config), "run")
    assert refused.exit_code == 2
    line = one_line(refused.output)
    assert "published 2024/25 assessment" in line and "--force" in line
    assert snapshot(report_dir) == before

    forced = invoke("--config", str(config), "run", "--force")
    assert forced.exit_code == 0
    assert "archived to" in forced.output
    archives = list((tmp_path / "reports" / "archive").iterdir())
    assert len(archives) == 1 and snapshot(archives[0]) == before


def test_publish_without_reports_exit_2(tmp_path):
    config = make_project(tmp_path, [])
    result = invoke("--config", str(config), "publish", "--year", "2023/24")
    assert result.exit_code == 2
    assert "there are no reports for 2023/24" in one_line(result.output)
