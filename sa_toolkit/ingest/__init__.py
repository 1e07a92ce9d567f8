"""``sa ingest``: validate raw files and write tidy, partitioned Parquet tables.

The engine is generic: each raw dataset is a :class:`DatasetSpec` registered with
:func:`register_dataset` (police specs in :mod:`sa_toolkit.ingest.police`, the lookup,
population and MSG tables in :mod:`sa_toolkit.ingest.reference`, partner extracts in
:mod:`sa_toolkit.ingest.partner`).
"""

from __future__ import annotations

from sa_toolkit.ingest.spec import (
    Column,
    DatasetSpec,
    FileContext,
    register_dataset,
    registered_datasets,
)

__all__ = [
    "Column",
    "DatasetSpec",
    "FileContext",
    "register_dataset",
    "registered_datasets",
    "run_ingest",
]


def run_ingest(raw_dir, processed_dir, *, console=None, datasets=None):
    """Ingest every registered dataset found under ``raw_dir``; see :mod:`.engine`."""
    from sa_toolkit.ingest.engine import run_ingest as _run

    return _run(raw_dir, processed_dir, console=console, datasets=datasets)
