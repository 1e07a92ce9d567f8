"""What a notebook needs from its ``parameters`` cell, resolved through the library.

Every assessment notebook has a cell tagged ``parameters`` defining exactly
:data:`PARAMETERS` (``sa run`` checks this before it starts), with empty defaults that
mean "from the configuration", so a notebook also runs on its own::

    papermill notebooks/01_violent_crime.ipynb out.ipynb -p year 2023/24

from the project root or the notebooks folder: :func:`notebook_context` finds the
configuration through :mod:`sa_toolkit.paths`, never through the current folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sa_toolkit import demo_data, figure_data
from sa_toolkit.config import Config, load_config

# same key as sa_toolkit.render reads (not imported: nbconvert is slow to import in a kernel)
HEADLINE_METADATA_KEY = "sa_toolkit"

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
    output_dir : Path
        The folder being written: figures go to ``output_dir / "figures"``. When the
        notebook runs on its own without ``output_dir``, a new temporary folder, so a
        direct run never writes into a rendered or published reports folder.
    """

    cfg: Config
    output_dir: Path

    @property
    def figures_dir(self) -> Path:
        return self.output_dir / "figures"


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
    out = Path(output_dir) if output_dir else Path(tempfile.mkdtemp(prefix="sa-notebook-"))
    (out / "figures").mkdir(parents=True, exist_ok=True)
    # the synthetic demo: chart footers say so (sa_toolkit.charts reads this in the kernel)
    os.environ[demo_data.ENV] = "1" if demo_data.is_demo(cfg.processed_dir) else "0"
    # a figure's data table hides small counts as the report does (sa_toolkit.figure_data)
    os.environ[figure_data.THRESHOLD_ENV] = str(int(cfg.suppression_threshold))
    return NotebookContext(cfg=cfg, output_dir=out)


def show_headline(text: str) -> None:
    """Display the report's one-line headline and mark it for the index page.

    The runner reads it from the output metadata ``{"sa_toolkit": {"headline": text}}``
    (see :func:`sa_toolkit.render.find_headline`).
    """
    from IPython.display import Markdown, display

    display(Markdown(f"**{text}**"), metadata={HEADLINE_METADATA_KEY: {"headline": text}})


def monthly_crime_counts(cfg: Config, crime_types: Sequence[str] | None = None):
    """Recorded crime per month in the partnership, one column per crime type.

    Counts street-level crimes (:func:`sa_toolkit.tables.partnership_street`) from April
    of the baseline year (or of the year before the assessment year, whichever is
    earlier) to the assessment year's March; every month appears (0 when there were
    none; NaN when the police data lack the month). ``crime_types=None`` gives one column, ``All crime``, of every type except
    anti-social behaviour.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` (``period[M]``).
    """
    import pandas as pd

    from sa_toolkit.tables import partnership_street

    first = min(cfg.baseline_year, cfg.year.previous()).first_month
    months = pd.period_range(first, cfg.year.last_month, freq="M")
    street = partnership_street(cfg, months=months, columns=["month", "crime_type"])
    types = street["crime_type"].astype(str)
    if crime_types is None:
        street = street.assign(crime_type="All crime")[types != "Anti-social behaviour"]
        columns = ["All crime"]
    else:
        street = street[types.isin(crime_types)]
        columns = list(crime_types)
    counts = (
        street.assign(crime_type=street["crime_type"].astype(str))
        .groupby(["month", "crime_type"])
        .size()
        .unstack("crime_type")
        .reindex(index=months, columns=columns)
        .fillna(0)
        .astype(int)
    )
    counts.index.name = "month"
    counts.columns.name = None
    # a month the police data do not hold is missing (NaN), not a month without crime
    from sa_toolkit.coverage import table_coverage, with_gaps

    coverage = table_coverage("police_street", cfg.processed_dir)
    if not coverage.months.empty and not counts.index.isin(coverage.months).all():
        counts = with_gaps(counts, coverage)
    return counts
