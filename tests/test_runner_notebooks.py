"""The committed assessment notebooks: names, parameters cell, no outputs."""

from __future__ import annotations

import json
from pathlib import Path

import papermill

from sa_toolkit.notebook_params import PARAMETERS, notebook_context
from sa_toolkit.runner import discover_notebooks

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = [
    "00_overview",
    "01_violent_crime",
    "02_youth_crime",
    "03_anti_social_behaviour",
    "04_drugs_and_alcohol",
    "05_reoffending",
    "06_safer_communities",
]


def test_the_seven_notebooks_are_found_in_order():
    assert [p.stem for p in discover_notebooks(NOTEBOOKS_DIR)] == EXPECTED


def test_each_declares_exactly_the_runner_parameters():
    for name in EXPECTED:
        declared = papermill.inspect_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"))
        assert list(declared) == list(PARAMETERS), name
        # defaults mean "from the configuration": empty text, threshold 0
        defaults = {k: v["default"] for k, v in declared.items()}
        assert defaults["year"] == '""' and defaults["suppression_threshold"] == "0", name


def test_committed_without_outputs_and_with_a_title():
    for name in EXPECTED:
        nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
        first = "".join(nb["cells"][0]["source"])
        assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith("# "), name
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, name
        assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_context_defaults_come_from_the_configuration(tmp_path, monkeypatch):
    monkeypatch.delenv("SA_PROJECT_ROOT", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "assessment.yml").write_text(
        "partnership: {name: P, code: X22000009}\n"
        "assessment: {year: 2024/25}\n"
        "disclosure: {suppression_threshold: 7}\n",
        encoding="utf-8",
    )
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")  # as when a notebook runs on its own
    ctx = notebook_context()
    assert ctx.cfg.partnership_code == "X22000009"
    assert ctx.cfg.year.label == "2024/25"
    assert ctx.cfg.suppression_threshold == 7
    assert ctx.figures_dir.is_dir() and tmp_path not in ctx.output_dir.parents
    ctx = notebook_context(
        area="X22000002",
        year="2023/24",
        suppression_threshold=10,
        output_dir=str(tmp_path / "out"),
        config_path=str(tmp_path / "config" / "assessment.yml"),
    )
    assert (ctx.cfg.partnership_code, ctx.cfg.year.label) == ("X22000002", "2023/24")
    assert ctx.cfg.suppression_threshold == 10
    assert ctx.figures_dir == tmp_path / "out" / "figures" and ctx.figures_dir.is_dir()


def test_monthly_crime_counts_fill_every_month_and_exclude_asb_from_all_crime(monkeypatch):
    import pandas as pd

    from sa_toolkit import tables
    from sa_toolkit.config import load_config

    rows = pd.DataFrame(
        {
            "month": pd.PeriodIndex(
                ["2024-04", "2024-04", "2024-04", "2025-03", "2023-05", "2023-05"], freq="M"
            ),
            "crime_type": pd.Categorical(
                [
                    "Robbery",
                    "Robbery",
                    "Anti-social behaviour",
                    "Burglary",
                    "Robbery",
                    "Drugs",
                ]
            ),
        }
    )
    seen = {}

    def fake_street(cfg, months=None, columns=None):
        seen["months"] = months
        return rows

    monkeypatch.setattr(tables, "partnership_street", fake_street)
    from sa_toolkit.notebook_params import monthly_crime_counts

    cfg = load_config(year="2024/25", baseline_year="2024/25")
    # the year before the assessment year is always included: April 2023 to March 2025
    robbery = monthly_crime_counts(cfg, ["Robbery", "Bicycle theft"])
    assert len(robbery) == 24 and str(robbery.index[0]) == "2023-04"
    assert str(seen["months"][-1]) == "2025-03"
    assert robbery.loc[pd.Period("2024-04", "M"), "Robbery"] == 2
    assert robbery.loc[pd.Period("2023-05", "M"), "Robbery"] == 1
    assert robbery["Bicycle theft"].sum() == 0  # a type with no rows is a column of zeros
    assert robbery["Robbery"].sum() == 3
    everything = monthly_crime_counts(cfg)
    assert list(everything.columns) == ["All crime"]
    # 6 rows less 1 anti-social behaviour row
    assert everything["All crime"].sum() == 5
    assert everything.loc[pd.Period("2024-04", "M"), "All crime"] == 2
