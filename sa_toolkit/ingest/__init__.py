"""``sa ingest``: validate raw files and write tidy, partitioned Parquet tables.

The engine is generic: each raw dataset is a :class:`DatasetSpec` registered with
:func:`register_dataset` (police specs in :mod:`sa_toolkit.ingest.police`, the lookup,
population and MSG tables in :mod:`sa_toolkit.ingest.reference`, partner extracts in
:mod:`sa_toolkit.ingest.partner`).
"""

from __future__ import annotations

import json

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
    """Ingest every registered dataset found under ``raw_dir``; see :mod:`.engine`.

    Then the geography lookups and population estimates, recognised by their columns
    (:mod:`.geography`), are read and added to the same ingest log and summary.
    """
    import time
    from pathlib import Path

    from sa_toolkit.ingest import engine

    t0 = time.perf_counter()
    previous = engine._load_log(Path(processed_dir))
    summary = engine.run_ingest(raw_dir, processed_dir, console=None, datasets=datasets)
    raw = Path(raw_dir)
    # without geography or MSG files, now or at the last run, nothing is imported or read
    # (pandas alone costs half a second of a national ingest)
    wanted = datasets is None or {"lookup", "population", "msg_crime"} & set(datasets)
    present = any((raw / d).is_dir() for d in ("geography", "msg")) or any(
        "reference_outputs" in e for e in previous.get("files", [])
    )
    if wanted and present:
        from sa_toolkit.ingest.geography import ingest_reference

        entries, geo_summary = ingest_reference(raw_dir, processed_dir, previous)
        ours = {e["file"] for e in entries}
        summary.removed = [f for f in summary.removed if f not in ours]
        previous_ours = {e["file"] for e in previous.get("files", []) if "reference_outputs" in e}
        summary.removed = [f for f in summary.removed if f not in previous_ours]
        for e in entries:
            skipped = e.pop("_cached", False)
            fields = {k: e[k] for k in engine.FileResult.__dataclass_fields__ if k in e}
            result = engine.FileResult(**fields)
            result.skipped = skipped
            summary.files.append(result)
        log_path = Path(processed_dir) / engine.LOG_NAME
        log = engine._load_log(Path(processed_dir))
        log["files"] = sorted(
            [f for f in log.get("files", []) if f["file"] not in ours] + entries,
            key=lambda e: (e["dataset"], e["file"]),
        )
        log.setdefault("summary", {}).update(
            files=len(summary.files),
            files_read=summary.files_read,
            files_unchanged=len(summary.files) - summary.files_read,
            rows_kept=summary.rows_kept,
            rows_rejected=summary.rows_rejected,
        )
        engine._atomic_write_text(log_path, json.dumps(log, indent=1))
    else:
        geo_summary = {}
    summary.seconds = time.perf_counter() - t0
    if console is not None:
        engine._print_summary(console, summary)
        engine.print_unread(console, summary)
        if geo_summary:
            from sa_toolkit.ingest.geography import describe

        lines = describe(geo_summary) if geo_summary else []
        if lines:
            console.print("Geography and population:", highlight=False)
            for line in lines:
                console.print(line, highlight=False, soft_wrap=True)
    return summary
