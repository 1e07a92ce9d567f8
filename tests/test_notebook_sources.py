"""Each notebook is paired with its percent-format source by jupytext, and the two agree.

``notebooks/jupytext.toml`` pairs ``notebooks/NN_name.ipynb`` with ``notebooks/src/NN_name.py``.
A source is what reviewers read and what an analyst edits; ``make notebooks`` (``jupytext
--sync``) brings the older file of each pair up to date. These tests fail when a pair has
drifted, so the notebook papermill runs is always the source that was reviewed.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file
from jupytext.paired_paths import paired_paths

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = sorted((NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))


def _config():
    path = find_jupytext_configuration_file(str(NOTEBOOKS))
    assert path, "notebooks/jupytext.toml is missing: notebooks are not paired with their sources"
    return load_jupytext_configuration_file(path)


def _inputs(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, c.get("metadata", {}).get("tags", [])) for c in nb.cells]


def test_every_notebook_has_a_source_and_every_source_a_notebook():
    notebooks = {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert SOURCES, "no notebook sources in notebooks/src"
    assert notebooks == {p.stem for p in SOURCES}


def test_the_pairing_puts_each_source_in_src_in_the_percent_format():
    config = _config()
    formats = config.formats if isinstance(config.formats, str) else ",".join(config.formats)
    assert formats == "ipynb,src//py:percent"
    paired = paired_paths(str(NOTEBOOKS / "01_violent_crime.ipynb"), "ipynb", formats)
    text = [Path(path) for path, fmt in paired if fmt.get("format_name") == "percent"]
    assert text == [NOTEBOOKS / "src" / "01_violent_crime.py"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_matches_its_source(source):
    committed = nbformat.read(NOTEBOOKS / f"{source.stem}.ipynb", as_version=4)
    from_source = jupytext.read(source, fmt="py:percent")
    assert _inputs(committed) == _inputs(from_source), (
        f"notebook {source.stem} and its source differ: run `make notebooks` and commit both"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_source_is_exactly_what_jupytext_writes(source):
    """`make notebooks` after a clean checkout leaves nothing to commit."""
    config = _config()
    nb = nbformat.read(NOTEBOOKS / f"{source.stem}.ipynb", as_version=4)
    config.set_default_format_options(fmt := {"extension": ".py", "format_name": "percent"})
    nb.metadata.setdefault("jupytext", {}).update(
        {
            "notebook_metadata_filter": config.notebook_metadata_filter,
            "cell_metadata_filter": config.cell_metadata_filter,
        }
    )
    written = jupytext.writes(nb, fmt=fmt)
    assert written.rstrip("\n") == source.read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_has_a_parameters_cell_and_runs_on_python3(source):
    nb = nbformat.read(NOTEBOOKS / f"{source.stem}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "papermill needs exactly one cell tagged 'parameters'"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "notebooks are committed without outputs"
    )
