"""environment.yml must list the same packages, with the same lower bounds, as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge spells a few packages differently from PyPI
CONDA_NAMES = {"pyyaml": "pyyaml"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = list(doc["project"]["dependencies"])
    for extra in doc["project"]["optional-dependencies"].values():
        reqs.extend(extra)
    return dict(_split(r) for r in reqs)


def _environment() -> tuple[dict[str, str], dict]:
    doc = yaml.safe_load((ROOT / "environment.yml").read_text())
    found: dict[str, str] = {}
    for dep in doc["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep.get("pip", []):
                if pip_dep.startswith("-e"):
                    continue
                name, spec = _split(pip_dep)
                found[name] = spec
        else:
            name, spec = _split(dep)
            if name in {"python", "pip"}:
                continue
            found[CONDA_NAMES.get(name, name)] = spec
    return found, doc


def test_environment_lists_the_same_packages_as_pyproject():
    expected = _pyproject()
    found, _ = _environment()
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not extra, f"in environment.yml but not pyproject.toml: {extra}"


def test_environment_versions_match_pyproject():
    expected = _pyproject()
    found, _ = _environment()
    differ = {n: (expected[n], found[n]) for n in expected if found.get(n) != expected[n]}
    assert not differ, f"version bounds differ (pyproject, environment): {differ}"


def test_environment_uses_conda_forge_only_and_installs_the_package():
    _, doc = _environment()
    assert doc["channels"] == ["conda-forge"]
    pip_section = next(d for d in doc["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section["pip"]
    python = next(d for d in doc["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python == "python>=3.11"
