"""Configuration loading: defaults, overrides and one clear message per invalid key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sa_toolkit.config import load_config
from sa_toolkit.errors import ConfigError, UserError
from sa_toolkit.periods import FinancialYear

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "config").mkdir(exist_ok=True)
    path = tmp_path / "config" / "assessment.yml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """
partnership: {name: Test CSP, code: X22000099}
assessment: {year: 2024-25}
"""


def test_project_config_loads_and_resolves_paths_from_the_project():
    cfg = load_config(ROOT / "config" / "assessment.yml")
    assert cfg.partnership_code == "X22000001"
    assert cfg.year == FinancialYear(2025)
    assert cfg.report_dir == ROOT / "reports" / "2025-26"
    assert cfg.raw_dir == ROOT / "data" / "raw"
    assert cfg.lookup == ROOT / "data" / "raw" / "geography" / "lsoa_ward_csp_lookup.csv"
    assert len(cfg.msg_members) == 15


def test_minimal_config_gets_documented_defaults(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL))
    assert cfg.year.label == "2024/25"
    assert cfg.baseline_year.label == "2019/20"  # five years before by default
    assert cfg.suppression_threshold == 5
    assert cfg.processed_dir == tmp_path / "data" / "processed"
    assert cfg.report_dir == tmp_path / "reports" / "2024-25"


def test_overrides_replace_file_values(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL), year="2023/24", processed_dir="elsewhere")
    assert cfg.year.label == "2023/24"
    assert cfg.processed_dir == tmp_path / "elsewhere"


def test_lookup_moves_with_an_overridden_raw_folder(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL), raw_dir="/data/other")
    assert cfg.lookup == Path("/data/other/geography/lsoa_ward_csp_lookup.csv")
    text = MINIMAL.replace("code: X22000099}", "code: X22000099, lookup: /srv/lookup.csv}")
    cfg = load_config(write(tmp_path, text), raw_dir="/data/other")
    assert cfg.lookup == Path("/srv/lookup.csv")


def test_notebook_parameters_are_plain_strings_and_numbers(tmp_path):
    params = load_config(write(tmp_path, MINIMAL)).notebook_parameters()
    assert params["year"] == "2024/25"
    assert all(isinstance(v, (str, int, float)) for v in params.values())


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ("assessment: {year: 2024/26}", "assessment.year", "financial year"),
        (
            "disclosure: {suppression_threshold: zero}",
            "disclosure.suppression_threshold",
            "whole number",
        ),
        (
            "disclosure: {suppresion_threshold: 5}",
            "disclosure.suppresion_threshold",
            "allowed keys are",
        ),
        ("colours: {}", "colours", "allowed sections"),
        ("performance: {significance_level: 5}", "performance.significance_level", "(0, 1)"),
        ("most_similar_group: {members: [X1, X2]}", "most_similar_group.members", "own code"),
        (
            "assessment: {year: 2024/25, baseline_year: 2025/26}",
            "assessment.baseline_year",
            "not be after",
        ),
    ],
)
def test_invalid_values_name_the_key_and_what_is_allowed(tmp_path, text, key, allowed):
    base = "partnership: {name: Test CSP, code: X22000099}\n"
    if not text.startswith("assessment"):
        base += "assessment: {year: 2024/25}\n"
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, base + text))
    assert f"'{key}'" in str(err.value)
    assert allowed in str(err.value)


def test_missing_required_key(tmp_path):
    with pytest.raises(ConfigError, match="'partnership.code': is required"):
        load_config(write(tmp_path, "partnership: {name: A}\nassessment: {year: 2024/25}\n"))


def test_broken_yaml_names_the_line(tmp_path):
    with pytest.raises(UserError, match="line 2"):
        load_config(write(tmp_path, "partnership:\n  name: a: b\n"))


@pytest.mark.parametrize(
    ("text", "start"),
    [("2024/25", 2024), ("2024-25", 2024), ("2024/2025", 2024), (" 1999/00 ", 1999)],
)
def test_financial_year_forms(text, start):
    fy = FinancialYear.parse(text)
    assert fy.start_year == start
    assert str(fy.first_month) == f"{start}-04"
    assert str(fy.last_month) == f"{start + 1}-03"
    assert len(fy.months) == 12


@pytest.mark.parametrize("text", ["2024", "2024/26", "24/25", "2024/2026", "FY2024"])
def test_financial_year_rejects_other_forms(text):
    with pytest.raises(UserError, match="financial year"):
        FinancialYear.parse(text)


def test_reading_the_configuration_does_not_import_pandas():
    # every `sa` command reads the configuration first; pandas would add ~0.25 s to each
    import subprocess
    import sys

    code = (
        "import sys; from sa_toolkit.config import load_config; "
        "from sa_toolkit.periods import FinancialYear; FinancialYear.parse('2024/25'); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
