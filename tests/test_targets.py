"""The partnership's targets file (issue 10, item 1): format, checks, configuration."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sa_toolkit.config import load_config
from sa_toolkit.errors import InputFileError
from sa_toolkit.targets import TARGET_COLUMNS, load_targets, read_targets, targets_for_year

ROOT = Path(__file__).parents[1]
HEADER = ",".join(TARGET_COLUMNS) + "\n"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "targets.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_template_and_example_are_good_files():
    template = read_targets(ROOT / "data" / "templates" / "targets.csv")
    assert len(template) == 2 and template["year"].tolist() == ["2026/27", "2026/27"]
    assert template["target_value"][0] == -5.0 and math.isnan(template["target_value"][1])
    example = read_targets(ROOT / "docs" / "examples" / "targets_appendix1_2009.csv")
    assert set(example["year"]) == {"2008/09"}
    by_id = targets_for_year(example, "2008-09")
    assert by_id["NI111"] == {
        "target_type": "level",
        "target": 293.0,
        "source": "Safer Southwark Partnership Rolling plan 2008 to 2012 (revised 2009), Appendix 1",
        "agreed_by": "Safer Southwark Partnership (the plan does not name the meeting)",
    }
    assert targets_for_year(example, "2009/10") == {}


@pytest.mark.parametrize(
    ("body", "message", "line", "column"),
    [
        ("NI16,2025/26,relative_change,-5,,Board\n", "source is blank", 2, "source"),
        ("NI16,2025-26,percent,-5,Plan,Board\n", "unknown target type", 2, "target_type"),
        ("NI16,2025/26,level,about 300,Plan,Board\n", "not a number", 2, "target"),
        ("NI16,25/26,level,300,Plan,Board\n", "not a financial year", 2, "year"),
        (
            "NI16,2025/26,level,300,Plan,Board\nNI16,2025-26,level,290,Plan,Board\n",
            "two targets for 2025/26",
            3,
            "indicator_id",
        ),
    ],
)
def test_bad_targets_name_file_row_and_column(tmp_path, body, message, line, column):
    path = _write(tmp_path, body)
    with pytest.raises(InputFileError, match=message) as err:
        read_targets(path)
    text = str(err.value)
    assert "targets.csv" in text and f"line {line}" in text and column in text


def test_missing_columns_and_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("indicator_id,year,target\nNI16,2025/26,-5\n")
    with pytest.raises(InputFileError, match="missing column"):
        read_targets(path)
    with pytest.raises(InputFileError, match="not found"):
        read_targets(tmp_path / "absent.csv")


def test_configuration_names_the_targets_file(tmp_path):
    path = _write(tmp_path, "NI16,2025/26,relative_change,-2.1%,Plan 2025-28,Board May 2025\n")
    config = tmp_path / "assessment.yml"
    config.write_text(
        "partnership:\n  name: X\n  code: E22000001\nassessment:\n  year: 2025/26\n"
        f"performance:\n  targets: {path}\n"
    )
    cfg = load_config(config)
    assert cfg.targets == path
    assert targets_for_year(load_targets(cfg), cfg.year)["NI16"]["target"] == -2.1
    config.write_text("partnership:\n  name: X\n  code: E22000001\nassessment:\n  year: 2025/26\n")
    assert load_targets(load_config(config)).empty  # no key: no targets
