"""Runner: parameter validation, failure isolation, rendering, index, manifest, publish.

The notebooks are the tiny fixtures in tests/fixtures/notebooks (regenerate them with
``python tests/fixtures/notebooks/make_fixtures.py``).
"""

from __future__ import annotations

import json
import re

import pytest
from rich.console import Console
from runner_support import FIXTURES, make_project, snapshot
from runner_support import write_commentary as write_text

from sa_toolkit import render, runner
from sa_toolkit.config import load_config
from sa_toolkit.errors import UserError

GOOD = ["good/01_alpha.ipynb", "good/02_beta.ipynb"]
WITH_BROKEN = [*GOOD, "good/03_broken.ipynb"]


def quiet() -> Console:
    return Console(file=open("/dev/null", "w"), width=120)  # noqa: SIM115


@pytest.fixture(autouse=True)
def _no_root_override(monkeypatch):
    monkeypatch.delenv("SA_PROJECT_ROOT", raising=False)


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    """One run of the three fixture notebooks, one of them deliberately broken."""
    root = tmp_path_factory.mktemp("project")
    cfg_path = make_project(root, WITH_BROKEN)
    processed = root / "data" / "processed"
    processed.mkdir(parents=True)
    log = [
        {
            "dataset": "police_street",
            "file": "police_uk/2024-04/2024-04-demo-street.csv",
            "sha256": "a" * 64,
            "rows_in": 1200,
            "rows_kept": 1197,
            "rows_rejected": 3,
            "seconds": 0.1,
        }
    ]
    (processed / "_ingest_log.json").write_text(json.dumps(log), encoding="utf-8")
    cfg = load_config(cfg_path)
    result = runner.run_assessment(cfg, console=quiet())
    return cfg, result


def test_a_broken_notebook_fails_alone(broken_run):
    cfg, result = broken_run
    assert not result.ok
    assert result.failed == ["03_broken"]
    statuses = {nb.name: nb.status for nb in result.notebooks}
    assert statuses == {"01_alpha": "succeeded", "02_beta": "succeeded", "03_broken": "failed"}
    broken = next(nb for nb in result.notebooks if nb.name == "03_broken")
    assert "ValueError: deliberately broken fixture notebook" in broken.error


def test_every_report_is_written_and_the_failed_one_shows_its_error(broken_run):
    cfg, _ = broken_run
    folder = cfg.report_dir
    for name in ("01_alpha", "02_beta", "03_broken"):
        assert (folder / f"{name}.ipynb").is_file()
        assert (folder / f"{name}.html").is_file()
    failed_html = (folder / "03_broken.html").read_text(encoding="utf-8")
    assert "deliberately broken fixture notebook" in failed_html
    assert "ValueError" in failed_html
    # the executed notebook keeps the error too
    executed = json.loads((folder / "03_broken.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in executed["cells"] for o in c.get("outputs", [])]
    assert any(o.get("output_type") == "error" for o in outputs)


def test_rendered_html_has_no_code_no_stderr_and_no_remote_requests(broken_run):
    cfg, _ = broken_run
    html = (cfg.report_dir / "01_alpha.html").read_text(encoding="utf-8")
    assert "notebook_context(" not in html  # code cells are not shown
    assert 'class="jp-InputPrompt' not in html
    assert "a warning for the log" not in html  # stderr is dropped
    assert 'alt="Alpha figure for 2024/25"' in html
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html
    for page in cfg.report_dir.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert render.remote_references(text) == [], page.name
        assert not re.search(r"<script[^>]+src=", text), page.name


def test_figures_go_to_the_final_folder(broken_run):
    cfg, _ = broken_run
    mode = cfg.report_dir.stat().st_mode & 0o777
    assert mode == (cfg.report_dir / "figures").stat().st_mode & 0o777  # not a private 0700
    assert (cfg.report_dir / "figures" / "alpha.png").is_file()
    leftovers = [p.name for p in cfg.output_dir.iterdir() if p.name.startswith(".staging")]
    assert leftovers == []


def test_index_links_every_report_with_headline_and_the_run_log(broken_run):
    cfg, _ = broken_run
    index = (cfg.report_dir / "index.html").read_text(encoding="utf-8")
    assert "Fixture Partnership" in index and "2024/25" in index
    for name in ("01_alpha", "02_beta", "03_broken"):
        assert f'href="{name}.html"' in index
    assert "Alpha rose 10% in 2024/25" in index  # headline from output metadata
    assert "Beta fell in 2024/25" in index  # headline from a cell tagged 'headline'
    assert "1 of 3 reports failed" in index
    assert 'href="run_log.html"' in index
    assert "a" * 64 not in index  # checksums are on the run log, not the board's page
    assert render.remote_references(index) == []


def test_run_log_has_status_seconds_and_provenance(broken_run):
    cfg, _ = broken_run
    run_log = (cfg.report_dir / "run_log.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in run_log
    row = re.search(r'<tr><th scope="row"><a href="03_broken.html">.*?</tr>', run_log).group(0)
    assert "Failed" in row and "deliberately broken" in row
    assert "police_uk/2024-04/2024-04-demo-street.csv" in run_log
    assert "a" * 64 in run_log and "1,200" in run_log and "1,197" in run_log
    assert render.remote_references(run_log) == []


def test_manifest_records_parameters_versions_inputs_and_durations(broken_run):
    cfg, _ = broken_run
    manifest = json.loads((cfg.report_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == "2024/25"
    assert manifest["parameters"]["output_dir"] == str(cfg.report_dir)
    assert manifest["parameters"]["baseline_year"] == "2021/22"
    assert manifest["packages"]["papermill"]
    assert manifest["inputs"][0]["sha256"] == "a" * 64
    entries = {nb["name"]: nb for nb in manifest["notebooks"]}
    assert entries["03_broken"]["status"] == "failed"
    assert entries["01_alpha"]["status"] == "succeeded"
    assert all(nb["seconds"] > 0 for nb in manifest["notebooks"])
    assert entries["01_alpha"]["warnings"] == ["a warning for the log"]
    assert "commit" in manifest["git"]


def test_a_year_with_a_failed_report_cannot_be_published(broken_run):
    cfg, _ = broken_run
    with pytest.raises(UserError, match="03_broken failed"):
        runner.publish_year(cfg, console=quiet())


def test_unknown_parameter_is_refused_before_anything_runs(tmp_path):
    cfg = load_config(make_project(tmp_path, ["bad_params/01_missing.ipynb"]))
    with pytest.raises(
        UserError, match=r"01_missing.ipynb: parameter\(s\) config_path not defined"
    ):
        runner.run_assessment(cfg, console=quiet())
    assert not cfg.output_dir.exists()


def test_notebook_without_parameters_cell_is_refused(tmp_path):
    cfg = load_config(make_project(tmp_path, ["no_params/01_none.ipynb"]))
    with pytest.raises(UserError, match="no cell tagged 'parameters'"):
        runner.run_assessment(cfg, console=quiet())


def test_unknown_only_name_is_refused(tmp_path):
    cfg = load_config(make_project(tmp_path, GOOD))
    with pytest.raises(
        UserError, match="--only 09_nothing: no such notebook; choose from 01_alpha"
    ):
        runner.run_assessment(cfg, only=["09_nothing"], console=quiet())


def test_interrupted_run_leaves_the_previous_render_untouched(tmp_path, monkeypatch):
    cfg = load_config(make_project(tmp_path, GOOD))
    folder = cfg.report_dir
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("previous render", encoding="utf-8")
    (folder / "01_alpha.html").write_text("previous alpha", encoding="utf-8")
    before = snapshot(folder)

    def interrupted(chosen, staging, *args, **kwargs):
        (staging / "01_alpha.html").write_text("half written", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_run_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        runner.run_assessment(cfg, console=quiet())
    assert snapshot(folder) == before
    assert sorted(p.name for p in cfg.output_dir.iterdir() if not p.name.startswith(".2024")) == [
        "2024-25"
    ]


@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "two-renames"])
def test_swap_replaces_the_whole_folder(tmp_path, monkeypatch, atomic):
    if not atomic:
        monkeypatch.setattr(runner, "_exchange", lambda a, b: False)
    reports = tmp_path / "reports"
    report_dir = reports / "2024-25"
    report_dir.mkdir(parents=True)
    (report_dir / "stale.html").write_text("old", encoding="utf-8")
    staging = reports / ".staging-2024-25-x"
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    assert runner._swap_in(staging, report_dir, archive=False) is None
    assert [p.name for p in report_dir.iterdir()] == ["index.html"]
    assert sorted(p.name for p in reports.iterdir()) == ["2024-25"]
    # a published render is moved to the archive, whole
    (report_dir / "PUBLISHED.json").write_text("{}", encoding="utf-8")
    staging.mkdir()
    (staging / "index.html").write_text("newer", encoding="utf-8")
    archived = runner._swap_in(staging, report_dir, archive=True)
    assert sorted(p.name for p in archived.iterdir()) == ["PUBLISHED.json", "index.html"]
    assert (report_dir / "index.html").read_text(encoding="utf-8") == "newer"
    assert sorted(p.name for p in reports.iterdir()) == ["2024-25", "archive"]


def test_a_swap_interrupted_between_renames_is_undone(tmp_path):
    reports = tmp_path / "reports"
    old = reports / ".replaced-2024-25-4242"  # the old render, renamed away
    old.mkdir(parents=True)
    (old / "index.html").write_text("complete old render", encoding="utf-8")
    runner._recover(reports / "2024-25")
    assert (reports / "2024-25" / "index.html").read_text(encoding="utf-8") == "complete old render"
    assert sorted(p.name for p in reports.iterdir()) == ["2024-25"]


def write_commentary(cfg, names, text="") -> None:
    write_text(cfg.root, cfg.year.slug, names, text)


def test_publish_refuses_while_text_is_to_be_written_and_succeeds_once_written(tmp_path):
    cfg = load_config(make_project(tmp_path, GOOD))
    assert runner.run_assessment(cfg, console=quiet()).ok
    # sa run wrote the templates; each report shows the visible note
    template = cfg.root / "content" / "2024-25" / "commentary" / "01_alpha.md"
    assert template.is_file() and "To be written" in template.read_text(encoding="utf-8")
    page = (cfg.report_dir / "01_alpha.html").read_text(encoding="utf-8")
    assert 'class="sa-to-be-written"' in page
    assert "Draft" in (cfg.report_dir / "index.html").read_text(encoding="utf-8")
    with pytest.raises(UserError) as refused:
        runner.publish_year(cfg, console=quiet())
    message = str(refused.value)
    # named in plain words: both reports' commentary; the overview's pieces are not asked
    # for, since this assessment has no overview report to hold them
    assert "commentary on Alpha" in message and "commentary on Beta" in message
    assert "Horizon scanning" not in message
    assert not (cfg.report_dir / "PUBLISHED.json").exists()

    # written, but the rendered reports still hold the notes: run again first
    write_commentary(cfg, ["01_alpha", "02_beta"])
    with pytest.raises(UserError, match="run `sa run` again"):
        runner.publish_year(cfg, console=quiet())
    assert runner.run_assessment(cfg, console=quiet()).ok
    page = (cfg.report_dir / "01_alpha.html").read_text(encoding="utf-8")
    assert 'class="sa-to-be-written"' not in page and "analyst's reading of this report" in page
    # text changed after the render is not published unseen
    write_commentary(cfg, ["02_beta"], text="A later change.")
    with pytest.raises(UserError, match="changed after the reports were rendered"):
        runner.publish_year(cfg, console=quiet())
    assert runner.run_assessment(cfg, console=quiet()).ok
    assert runner.publish_year(cfg, console=quiet()).is_file()


def test_publish_refuses_plain_run_and_force_archives(tmp_path):
    cfg = load_config(make_project(tmp_path, GOOD))
    write_commentary(cfg, ["01_alpha", "02_beta"])
    first = runner.run_assessment(cfg, console=quiet())
    assert first.ok
    marker = runner.publish_year(cfg, console=quiet())
    assert marker == cfg.report_dir / "PUBLISHED.json"
    published = snapshot(cfg.report_dir)
    published_manifest = (cfg.report_dir / "manifest.json").read_bytes()

    with pytest.raises(UserError, match="--force"):
        runner.run_assessment(cfg, console=quiet())
    assert snapshot(cfg.report_dir) == published
    assert not (cfg.output_dir / "archive").exists()

    second = runner.run_assessment(cfg, only=["02_beta"], force=True, console=quiet())
    assert second.ok
    archived = second.archived_to
    assert archived.parent == cfg.output_dir / "archive"
    assert re.fullmatch(r"2024-25-\d{8}T\d{6}Z", archived.name)
    assert snapshot(archived) == published
    assert not (cfg.report_dir / "PUBLISHED.json").exists()
    # --only re-ran 02_beta and kept 01_alpha from the previous render
    manifest = json.loads((cfg.report_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks_run"] == ["02_beta"]
    assert [nb["name"] for nb in manifest["notebooks"]] == ["01_alpha", "02_beta"]
    assert (cfg.report_dir / "01_alpha.html").read_bytes() == (
        archived / "01_alpha.html"
    ).read_bytes()
    assert (cfg.report_dir / "manifest.json").read_bytes() != published_manifest
    assert 'href="01_alpha.html"' in (cfg.report_dir / "index.html").read_text(encoding="utf-8")


def test_fixture_notebooks_are_committed_without_outputs():
    for path in FIXTURES.rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            assert not cell.get("outputs"), path


def test_exchange_swaps_two_folders_atomically_where_supported(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "from_a").touch()
    (b / "from_b").touch()
    if not runner._exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert [p.name for p in a.iterdir()] == ["from_b"]
    assert [p.name for p in b.iterdir()] == ["from_a"]
