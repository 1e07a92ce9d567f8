"""What a notebook needs from its ``parameters`` cell, resolved through the library.

Every assessment notebook has a cell tagged ``parameters`` defining exactly
:data:`PARAMETERS` (``sa run`` checks this before it starts), with empty defaults that
mean "from the configuration", so a notebook also runs on its own::

    papermill notebooks/01_violent_crime.ipynb out.ipynb -p year 2023/24

from the project root or the notebooks folder: :func:`notebook_context` finds the
configuration through :mod:`sa_toolkit.paths`, never through the current folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sa_toolkit.config import Config, load_config
from sa_toolkit.render import HEADLINE_METADATA_KEY

#: The parameters every assessment notebook declares, in order.
PARAMETERS = (
    "area",
    "year",
    "baseline_year",
    "raw_dir",
    "processed_dir",
    "output_dir",
    "suppression_threshold",
    "config_path",
)


@dataclass(frozen=True)
class NotebookContext:
    """The resolved settings of one notebook run.

    Attributes
    ----------
    cfg : Config
        The configuration with the notebook's parameters applied.
    figures_dir : Path or None
        Where figures are saved (``<output_dir>/figures``), created on demand; None when
        the notebook runs on its own without ``output_dir`` (figures only shown inline,
        so a direct run never writes into a rendered or published reports folder).
    """

    cfg: Config
    figures_dir: Path | None


def notebook_context(
    area: str = "",
    year: str = "",
    baseline_year: str = "",
    raw_dir: str = "",
    processed_dir: str = "",
    output_dir: str = "",
    suppression_threshold: int | float | str = 0,
    config_path: str = "",
) -> NotebookContext:
    """Resolve a notebook's parameters against the configuration.

    Empty text and a zero threshold mean "use the configuration's value".
    """
    overrides: dict[str, Any] = {
        "partnership_code": area or None,
        "year": year or None,
        "baseline_year": baseline_year or None,
        "raw_dir": raw_dir or None,
        "processed_dir": processed_dir or None,
        "suppression_threshold": int(suppression_threshold) or None,
    }
    cfg = load_config(config_path or None, **overrides)
    figures_dir = Path(output_dir) / "figures" if output_dir else None
    if figures_dir is not None:
        figures_dir.mkdir(parents=True, exist_ok=True)
    return NotebookContext(cfg=cfg, figures_dir=figures_dir)


def show_headline(text: str) -> None:
    """Display the report's one-line headline and mark it for the index page.

    The runner reads it from the output metadata ``{"sa_toolkit": {"headline": text}}``
    (see :func:`sa_toolkit.render.find_headline`).
    """
    from IPython.display import Markdown, display

    display(Markdown(f"**{text}**"), metadata={HEADLINE_METADATA_KEY: {"headline": text}})
