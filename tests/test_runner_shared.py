"""The order in which `sa run` starts its notebooks."""

from __future__ import annotations

import json
from pathlib import Path

from sa_toolkit import runner


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
