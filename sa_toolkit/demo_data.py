"""Is this the built-in synthetic demo? A marker, not a guess from names.

``sa demo`` writes :data:`MARKER` into the raw folder; ``sa ingest`` carries it into the
processed folder (and the ingest log) while the raw folder holds it, and removes it once it
does not, so real data that replace the demo are never labelled synthetic. Reports, chart
footers, the summary and the Word document then say the figures are made up.

Light on purpose (no pandas): the runner and the chart module read it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

MARKER = "SYNTHETIC_DEMO_DATA.json"
#: set in a notebook's kernel by ``notebook_params.notebook_context`` when the data are the
#: demo, read by ``charts.new_figure`` for the chart footer
ENV = "SA_SYNTHETIC_DEMO"
NOTICE = (
    "Synthetic demo data: every figure here is made up by the toolkit's demo generator. "
    "Demo Borough and its places are fictional."
)
FOOTER = "Synthetic demo data: figures are made up, places fictional."


def write_marker(raw_dir: Path, **details) -> Path:
    """Mark ``raw_dir`` as holding the synthetic demo (called by ``sa demo``)."""
    path = Path(raw_dir) / MARKER
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"synthetic": True, "written_by": "sa demo", "notice": NOTICE, **details}
    path.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def carry_marker(raw_dir: Path, processed_dir: Path) -> bool:
    """Copy the marker from the raw to the processed folder, or remove a stale one.

    Returns whether the processed data are now marked as the demo.
    """
    source = Path(raw_dir) / MARKER
    target = Path(processed_dir) / MARKER
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return True
    if target.exists():
        target.unlink()
    return False


def is_demo(processed_dir: Path | str | None) -> bool:
    """True when the processed data were ingested from the synthetic demo."""
    return bool(processed_dir) and (Path(processed_dir) / MARKER).is_file()


def demo_in_kernel() -> bool:
    """True in a notebook whose context found demo data (see :data:`ENV`)."""
    return os.environ.get(ENV) == "1"
