"""The analyst's text: to-be-written detection, safe Markdown, templates, placement."""

from __future__ import annotations

import nbformat
import pytest

from sa_toolkit import content, demo_data
from sa_toolkit.config import load_config

HORIZON = """# Horizon scanning

<!-- guidance for the analyst, never shown -->

## Political

A new Police and Crime Plan starts in April.

## Legal

To be written: new duties and powers.

## Economic

Budgets are flat.
"""


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "assessment.yml").write_text(
        "partnership: {name: Test Partnership, code: X1}\nassessment: {year: 2025/26}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SA_PROJECT_ROOT", str(tmp_path))
    return load_config(tmp_path / "config" / "assessment.yml")


def test_a_section_starting_to_be_written_is_named_in_plain_words(tmp_path):
    path = tmp_path / "horizon_scanning.md"
    path.write_text(HORIZON, encoding="utf-8")
    piece = content.read_piece(path, "horizon_scanning", "horizon_scanning.md")
    assert piece.title == "Horizon scanning"
    assert [s.title for s in piece.sections] == ["Political", "Legal", "Economic"]
    assert piece.missing == ["Horizon scanning: legal"]


def test_an_empty_section_is_still_to_be_written_and_a_whole_file_is_one_piece(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("# Notes\n\n## Social\n\n## Legal\n\nDone.\n", encoding="utf-8")
    assert content.read_piece(path, "x", "commentary.md").missing == ["Notes: social"]
    path.write_text("# Analyst's commentary\n\nTO BE WRITTEN later\n", encoding="utf-8")
    assert content.read_piece(path, "x", "commentary.md").missing == ["Analyst's commentary"]
    path.write_text("# Analyst's commentary\n\nRobbery rose in the town centre.\n")
    assert content.read_piece(path, "x", "commentary.md").missing == []


def test_every_template_is_to_be_written_in_full():
    """A file the analyst has not touched counts every PESTELO heading."""
    for spec in content.CONTENT_FILES:
        piece = content.read_piece(content.Path("/nonexistent"), spec.key, spec.template)
        assert piece.missing, spec.key
    horizon = content.read_piece(
        content.Path("/nonexistent"), "horizon_scanning", "horizon_scanning.md"
    )
    assert [m.split(": ")[1] for m in horizon.missing] == [
        "political", "economic", "social", "technological", "environmental", "legal",
        "organisational",
    ]  # fmt: skip


def test_markdown_is_rendered_with_raw_html_escaped_and_comments_dropped():
    out = content.render_markdown(
        "# Title\n\n<!-- hidden -->\n\n## Part\n\n**Bold** and <script>alert(1)</script>\n\n"
        "To be written: the rest.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>Title</h2>" in out and "<h3>Part</h3>" in out  # under the report's title
    assert "hidden" not in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<strong>Bold</strong>" in out
    assert '<p class="sa-to-be-written">To be written: the rest.</p>' in out
    assert '<table class="sa-table">' in out


def test_templates_are_written_for_missing_files_and_never_overwrite(cfg):
    folder = content.content_dir(cfg)
    assert folder == cfg.root / "content" / "2025-26"
    (folder / "commentary").mkdir(parents=True)
    mine = folder / "commentary" / "01_violent_crime.md"
    mine.write_text("# Commentary\n\nMy words.\n", encoding="utf-8")
    written = content.ensure_content_files(cfg, ["00_overview", "01_violent_crime"])
    names = sorted(p.relative_to(folder).as_posix() for p in written)
    assert names == [
        "commentary/00_overview.md", "community_views.md", "horizon_scanning.md",
        "partner_activity.md", "priorities.yml",
    ]  # fmt: skip
    assert mine.read_text(encoding="utf-8") == "# Commentary\n\nMy words.\n"
    assert content.ensure_content_files(cfg, ["00_overview", "01_violent_crime"]) == []
    pending = content.to_be_written(
        content.read_content(cfg, ["00_overview", "01_violent_crime"]),
        {"00_overview": "Overview", "01_violent_crime": "Violent crime"},
        ["00_overview", "01_violent_crime"],
    )
    assert "Analyst's commentary on Overview" in pending
    assert "Analyst's commentary on Violent crime" not in pending
    # community views belong to the safer communities report, absent here
    assert not any(p.startswith("What residents told us") for p in pending)
    assert "Horizon scanning: political" in pending


def test_fingerprint_changes_with_the_text(cfg):
    content.ensure_content_files(cfg, ["00_overview"])
    before = content.content_fingerprint(cfg)
    (content.content_dir(cfg) / "horizon_scanning.md").write_text(HORIZON, encoding="utf-8")
    assert content.content_fingerprint(cfg) != before


def test_additions_go_after_the_key_findings_and_the_notice_under_the_title():
    nb = nbformat.v4.new_notebook()
    findings = nbformat.v4.new_code_cell("show()")
    findings.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<ul><li>finding</li></ul>"},
            metadata={"sa_toolkit": {"headline": "finding"}},
        )
    ]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Report"),
        nbformat.v4.new_code_cell("x = 1"),
        findings,
        nbformat.v4.new_markdown_cell("## Section"),
    ]
    content.add_to_notebook(
        nb,
        {content.AFTER_FINDINGS: "<p>commentary</p>", content.AT_END: "<p>horizon</p>"},
        "<p>demo</p>",
    )
    html = [
        c.outputs[0]["data"]["text/html"] if c.cell_type == "code" and c.outputs else c.source
        for c in nb.cells
    ]
    assert html == [
        "# Report", "<p>demo</p>", "x = 1", "<ul><li>finding</li></ul>", "<p>commentary</p>",
        "## Section", "<p>horizon</p>",
    ]  # fmt: skip


def test_the_demo_marker_follows_the_raw_folder(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    assert demo_data.carry_marker(raw, processed) is False
    assert not demo_data.is_demo(processed)
    demo_data.write_marker(raw, seed=1)
    assert demo_data.carry_marker(raw, processed) is True
    assert demo_data.is_demo(processed)
    # real data replace the demo: the label goes with it
    (raw / demo_data.MARKER).unlink()
    assert demo_data.carry_marker(raw, processed) is False
    assert not demo_data.is_demo(processed)


def test_a_report_not_rendered_in_this_run_is_named_by_its_title(cfg):
    """`sa run --only 02_youth_crime` on a new folder: the commentary still to be written
    for the violent crime report is named "Violent crime", never "01_violent_crime"."""
    from types import SimpleNamespace

    from sa_toolkit.assessment_output import prepare, still_to_be_written

    reports = ["01_violent_crime", "02_youth_crime"]
    titles = {"01_violent_crime": "Violent crime", "02_youth_crime": "Youth crime"}
    prepared = prepare(cfg, reports, ["02_youth_crime"], titles)
    ran = [SimpleNamespace(name="02_youth_crime", title="Youth crime")]
    pending = still_to_be_written(prepared, ran)
    assert "Analyst's commentary on Violent crime" in pending
    assert "Analyst's commentary on Youth crime" in pending
    assert not any("01_violent_crime" in text for text in pending)
