"""Each notebook reads as its report's outline: parameters, one library call per section, drawing.

An analyst opening a notebook should see the report's headings and, under each, the call
that computes that section and the call that shows it, not the analysis itself. The logic
(selecting, testing, wording, disclosure control) lives in ``sa_toolkit`` where it is
tested. This test reads each notebook's source (``notebooks/src/NN_*.py``, percent
format) and fails on any code cell that holds logic: a branch, a loop, a function, a
comprehension, arithmetic, a comparison, text built in the cell (f-strings), or a call
to anything that is not imported from ``sa_toolkit`` (or IPython's ``display``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[1] / "notebooks" / "src"
NOTEBOOKS = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
CELL_MARKER = re.compile(r"^# %%(.*)$", re.MULTILINE)

# Statements a section cell may hold: a call to compute the section and one to show it,
# with room for a findings block and a second figure.
MAX_STATEMENTS = 4
# The setup cell: imports, the notebook context and the report's data, loaded once.
MAX_SETUP_ASSIGNMENTS = 4
LOGIC = {
    ast.If: "a branch (if)",
    ast.For: "a loop (for)",
    ast.While: "a loop (while)",
    ast.With: "a with block",
    ast.Try: "a try block",
    ast.FunctionDef: "a function definition",
    ast.ClassDef: "a class definition",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.BinOp: "arithmetic or joining",
    ast.BoolOp: "and/or logic",
    ast.Compare: "a comparison",
    ast.IfExp: "a conditional expression",
    ast.JoinedStr: "text built in the cell (an f-string)",
    ast.Subscript: "selecting from a table or list",
}


def code_cells(path: Path) -> list[tuple[str, str]]:
    """(marker options, code) for each code cell of a percent-format source."""
    text = path.read_text(encoding="utf-8")
    marks = list(CELL_MARKER.finditer(text))
    cells = []
    for number, mark in enumerate(marks):
        end = marks[number + 1].start() if number + 1 < len(marks) else len(text)
        options = mark.group(1)
        if "[markdown]" in options:
            continue
        cells.append((options, text[mark.end() : end]))
    return cells


def library_names(tree: ast.Module) -> set[str]:
    """Names the setup cell imports from sa_toolkit (and IPython's display)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in ("sa_toolkit", "IPython"):
                names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                alias.asname or alias.name
                for alias in node.names
                if alias.name.split(".")[0] == "sa_toolkit"
            )
    return names


def root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else None


def logic_in(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        for kind, what in LOGIC.items():
            if isinstance(node, kind):
                found.append(f"line {getattr(node, 'lineno', '?')}: {what}")
    return found


def outline_problems(path: Path) -> list[str]:
    problems = []
    cells = code_cells(path)
    parameters = [number for number, (options, _) in enumerate(cells) if "parameters" in options]
    if len(parameters) != 1:
        return [f"{path.name}: expected one parameters cell, found {len(parameters)}"]
    setup_number = parameters[0] + 1
    if setup_number >= len(cells):
        return [f"{path.name}: no setup cell after the parameters"]
    setup = ast.parse(cells[setup_number][1])
    allowed = library_names(setup)
    defined = set()
    for statement in setup.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        if not isinstance(statement, ast.Assign):
            problems.append(f"{path.name} setup cell: only imports and assignments belong here")
            continue
        defined.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    assignments = sum(isinstance(s, ast.Assign) for s in setup.body)
    if assignments > MAX_SETUP_ASSIGNMENTS:
        problems.append(
            f"{path.name} setup cell: {assignments} assignments, at most {MAX_SETUP_ASSIGNMENTS} "
            "(the context and the report's data, loaded by one library call)"
        )
    for statement in setup.body:
        if not isinstance(statement, ast.Import | ast.ImportFrom):
            problems += [f"{path.name} setup cell {p}" for p in logic_in(statement)]

    for number, (_, code) in enumerate(cells[setup_number + 1 :], start=setup_number + 2):
        tree = ast.parse(code)
        where = f"{path.name} code cell {number}"
        if len(tree.body) > MAX_STATEMENTS:
            problems.append(f"{where}: {len(tree.body)} statements, at most {MAX_STATEMENTS}")
        problems += [f"{where} {p}" for p in logic_in(tree)]
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                defined.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = root_name(node.func)
                if name not in allowed and name not in defined and name != "display":
                    problems.append(f"{where} line {node.lineno}: calls {name}, not the library")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_reads_as_the_report_outline(path):
    problems = outline_problems(path)
    assert not problems, "\n".join(problems)


def test_the_check_finds_logic_in_a_cell(tmp_path):
    source = tmp_path / "99_example.py"
    source.write_text(
        '# %% tags=["parameters"]\nyear = ""\n\n'
        "# %%\nimport pandas as pd\nfrom sa_toolkit.analysis import sections\n"
        "report = sections.Section()\n\n"
        "# %%\nif year:\n    table = pd.DataFrame()\n\n"
        "# %%\nsections.show(report, f'{year}/reports')\n",
        encoding="utf-8",
    )
    problems = outline_problems(source)
    assert any("a branch (if)" in p for p in problems)
    assert any("calls pd, not the library" in p for p in problems)
    assert any("f-string" in p for p in problems)


def test_the_check_passes_an_outline(tmp_path):
    source = tmp_path / "98_example.py"
    source.write_text(
        '# %% tags=["parameters"]\nyear = ""\noutput_dir = ""\n\n'
        "# %%\nfrom sa_toolkit.analysis import sections\n"
        "report = sections.Section()\n\n"
        "# %% [markdown]\n# ## A heading\n\n"
        "# %%\nsections.show(report, output_dir)\n",
        encoding="utf-8",
    )
    assert outline_problems(source) == []
