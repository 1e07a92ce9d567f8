"""Each committed notebook is exactly what ``notebooks/build.py`` makes of its source."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
_spec = importlib.util.spec_from_file_location("nb_build", NOTEBOOKS / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

SOURCES = sorted((NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))


def test_every_notebook_has_a_source_and_every_source_a_notebook():
    notebooks = {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert notebooks == {p.stem for p in SOURCES}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_matches_its_source(source):
    committed = nbformat.read(NOTEBOOKS / f"{source.stem}.ipynb", as_version=4)
    built = build.build_notebook(source)
    got = [(c.cell_type, c.source, c.get("metadata", {}).get("tags", [])) for c in committed.cells]
    want = [(c.cell_type, c.source, c.get("metadata", {}).get("tags", [])) for c in built.cells]
    assert got == want, f"run `python notebooks/build.py` and commit {source.stem}.ipynb"


def test_parse_source_splits_markdown_parameters_and_code():
    text = (
        '# %% [markdown]\n# # Title\n#\n# Intro line.\n\n# %% tags=["parameters"]\nyear = ""\n\n'
        "# %%\nprint(year)\n"
    )
    cells = build.parse_source(text)
    assert [c.cell_type for c in cells] == ["markdown", "code", "code"]
    assert cells[0].source == "# Title\n\nIntro line."
    assert cells[1].metadata["tags"] == ["parameters"] and cells[1].source == 'year = ""'
    again = build.parse_source(build.to_source(build.build_notebook_from_cells(cells)))
    assert [(c.cell_type, c.source) for c in again] == [(c.cell_type, c.source) for c in cells]
