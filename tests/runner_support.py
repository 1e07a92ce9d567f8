"""Shared helpers for the runner and CLI tests: a throw-away project around fixture notebooks."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"

CONFIG = """\
partnership:
  name: Fixture Partnership
  code: X22000001
assessment:
  year: 2024/25
  baseline_year: 2021/22
run:
  jobs: 2
  timeout_seconds: 60
"""


def make_project(root: Path, notebooks: list[str], config_text: str = CONFIG) -> Path:
    """A project folder: ``config/assessment.yml`` and ``notebooks/`` with fixture copies.

    ``notebooks`` names fixture files relative to ``tests/fixtures/notebooks``,
    e.g. ``"good/01_alpha.ipynb"``. Returns the config path.
    """
    (root / "config").mkdir(parents=True, exist_ok=True)
    (root / "notebooks").mkdir(exist_ok=True)
    for rel in notebooks:
        shutil.copy(FIXTURES / rel, root / "notebooks" / Path(rel).name)
    config = root / "config" / "assessment.yml"
    config.write_text(config_text, encoding="utf-8")
    return config


def write_commentary(root: Path, year_slug: str, names: list[str], text: str = "") -> None:
    """The analyst's commentary for fixture reports, so that the year can be published."""
    folder = root / "content" / year_slug / "commentary"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        body = text or "The analyst's reading of this report."
        (folder / f"{name}.md").write_text(f"# Commentary\n\n{body}\n", encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
