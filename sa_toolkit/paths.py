"""Project paths, resolved from the package rather than from the current folder.

Notebooks run by papermill (whose working folder may be ``notebooks/`` or a temporary
folder) and the CLI find the same data and configuration through these functions.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: Reference data shipped with the package (label mappings, unit costs, catalogue...).
PACKAGE_DATA_DIR = PACKAGE_DIR / "data"
#: Where ``sa ingest`` writes the boundary layers, under the processed data folder.
PROCESSED_BOUNDARY_DIR = "boundaries"

_MARKER = Path("config") / "assessment.yml"


def project_root(start: str | os.PathLike | None = None) -> Path:
    """Return the project root: the folder holding ``config/assessment.yml``.

    Resolution order: the ``SA_PROJECT_ROOT`` environment variable; the nearest
    parent of ``start`` (default: the current folder) holding the marker; the parent of
    the installed package (an editable install from a clone).
    """
    env = os.environ.get("SA_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or os.getcwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / _MARKER).is_file():
            return candidate
    clone = PACKAGE_DIR.parent
    if (clone / _MARKER).is_file():
        return clone
    return here


def resolve(path: str | os.PathLike, root: Path | None = None) -> Path:
    """Resolve ``path`` against the project root unless it is already absolute."""
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    return (root or project_root()) / p


def notebooks_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "notebooks"


def default_config_path(root: Path | None = None) -> Path:
    return (root or project_root()) / _MARKER
