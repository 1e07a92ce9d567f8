"""Build the assessment notebooks from their reviewable sources in ``notebooks/src/``.

Each source is a plain Python file in the "percent" format that JupyterLab, VS Code and
jupytext understand: ``# %%`` starts a code cell, ``# %% [markdown]`` a markdown cell
(each line after it starts with ``# ``), and ``# %% tags=["parameters"]`` the cell
papermill fills in. Run ``python notebooks/build.py`` after editing a source and commit
both; ``tests/test_notebook_sources.py`` fails when they disagree. Notebooks are written
without outputs.

``python notebooks/build.py --extract`` goes the other way (``.ipynb`` -> source), for an
analyst who edited a notebook in JupyterLab.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
_MARKER = re.compile(r"^# %%(?P<md> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


def parse_source(text: str) -> list[nbformat.NotebookNode]:
    """Split a percent-format source into notebook cells."""
    cells: list[nbformat.NotebookNode] = []
    kind, tags, lines = None, [], []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(
                line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.split("\n")
            )
            cells.append(new_markdown_cell(body))
        else:
            meta = {"tags": tags} if tags else {}
            cells.append(new_code_cell(body, metadata=meta))

    for line in text.splitlines():
        match = _MARKER.match(line)
        if match:
            flush()
            kind = "markdown" if match.group("md") else "code"
            tags = json.loads(match.group("tags")) if match.group("tags") else []
            lines = []
        elif kind is not None:
            lines.append(line)
    flush()
    return cells


def build_notebook(source: Path) -> nbformat.NotebookNode:
    """The notebook for one source file, without outputs."""
    return build_notebook_from_cells(parse_source(source.read_text(encoding="utf-8")))


def build_notebook_from_cells(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:  # stable ids keep diffs of the .ipynb small
        cell.pop("id", None)
    nb.nbformat_minor = 4
    return nb


def to_source(nb: nbformat.NotebookNode) -> str:
    chunks = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            body = "\n".join(f"# {line}".rstrip() for line in cell.source.split("\n"))
            chunks.append(f"# %% [markdown]\n{body}\n")
        else:
            tags = cell.get("metadata", {}).get("tags", [])
            header = f"# %% tags={json.dumps(tags)}" if tags else "# %%"
            chunks.append(f"{header}\n{cell.source}\n")
    return "\n".join(chunks)


def main(argv: list[str]) -> int:
    if "--extract" in argv:
        SOURCES.mkdir(exist_ok=True)
        for path in sorted(HERE.glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            (SOURCES / f"{path.stem}.py").write_text(to_source(nb), encoding="utf-8")
        return 0
    for source in sorted(SOURCES.glob("[0-9][0-9]_*.py")):
        nbformat.write(build_notebook(source), HERE / f"{source.stem}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
