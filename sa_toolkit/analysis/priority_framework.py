"""One priority's rows of the performance framework, and what they imply for the plan.

Shared by the priority notebooks (youth crime, anti-social behaviour; others may use it):
:func:`local_source` reads each processed table once, already cut to the partnership's
LSOAs, and caches it, so the framework's computations and the notebook's own analysis
share one read; :func:`priority_framework` builds the priority's rows (computed ones,
plus blank ``tbc`` rows for the indicators no dataset carries, which analysts enter with
``sa framework --values``); :func:`framework_concerns` lists the indicators that worsened
significantly or missed their target, for the implications.

Under ``sa run`` the notebooks share the performance framework: the runner names a
folder of its staging folder in the ``SA_RUN_SHARED_DIR`` environment variable of its
workers (and so of their kernels); :func:`performance_framework` (the overview, which
needs every priority's rows and starts first) writes the rows it computes there, and
:func:`priority_framework` in a notebook that starts later takes its priority's rows
from that file instead of computing them again, when the file matches the notebook's
configuration. Without the file (a notebook on its own, ``--only``, or started before
the overview got that far) the rows are computed: the same ``build_framework`` path.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pandas as pd

from sa_toolkit.framework import FrameDetails
from sa_toolkit.indicators.computations import DataSource

#: tables with an ``lsoa_code`` column, read only for the partnership's LSOAs
LSOA_TABLES = frozenset(
    {"police_street", "crime_incidents", "asb_incidents", "fire_incidents", "population"}
)

#: environment variable naming the folder of results computed once for a run
SHARED_DIR_ENV = "SA_RUN_SHARED_DIR"
#: the run's performance framework in that folder (JSON: exact floats, mixed-type columns)
SHARED_FRAMEWORK_FILE = "performance_framework.json"

#: comment on framework rows that no dataset carries
ENTER_VALUES_NOTE = (
    "not yet available: no dataset supplied carries this indicator, so the analyst enters its "
    "values"
)


def local_source(cfg) -> DataSource:
    """A :class:`DataSource` whose tables hold only the partnership's LSOAs (and area code).

    Rows without an LSOA cannot be placed in the partnership, so they are not read; the
    framework's computations drop them too.
    """
    from sa_toolkit.tables import partnership_lsoas, read_table

    src = DataSource.from_config(cfg)
    lsoas = list(src.lsoas)

    def reader(name, processed_dir, columns=None):
        filters = [("lsoa_code", "in", lsoas)] if name in LSOA_TABLES and lsoas else None
        return read_table(name, processed_dir, columns=columns, filters=filters)

    src.reader = reader
    if not lsoas:  # pragma: no cover - from_config already tried the lookup
        src.lsoas = partnership_lsoas(cfg)
    return src


def compute_performance_framework(cfg, source: DataSource | None = None) -> pd.DataFrame:
    """Every priority's computed framework rows for ``cfg.year`` (baseline: the year before).

    The one code path for the framework's numbers: ``build_framework`` over the whole
    catalogue from the processed data (``source``, default the configuration's).
    """
    from sa_toolkit.framework import build_framework
    from sa_toolkit.indicators.catalogue import load_series_breaks
    from sa_toolkit.targets import load_targets

    return build_framework(
        None,
        year=cfg.year,
        # the package's registry and the partnership's own breaks (<raw_dir>/series_breaks.csv)
        series_breaks=load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None)),
        data=source if source is not None else DataSource.from_config(cfg),
        tolerance=cfg.amber_tolerance,
        significance_level=cfg.significance_level,
        targets=load_targets(cfg),
    )


def performance_framework(cfg, source: DataSource | None = None) -> pd.DataFrame:
    """Every priority's framework rows: the run's shared copy if any, else computed.

    Under ``sa run`` the rows computed here are written for the run's other notebooks.
    """
    from sa_toolkit.measures import wait_for_run_measures

    wait_for_run_measures()  # the runner computes the rows once for the run
    shared = shared_framework(cfg)
    if shared is not None:
        return shared
    frame = compute_performance_framework(cfg, source)
    folder = os.environ.get(SHARED_DIR_ENV)
    if folder and Path(folder).is_dir():
        with contextlib.suppress(OSError):  # sharing is a saving, never a failure
            write_shared_framework(frame, cfg, folder)
    return frame


def _shared_key(cfg) -> dict:
    """What the shared framework depends on besides the run (whose folder holds it)."""
    return {
        "partnership_code": cfg.partnership_code,
        "year": cfg.year.label,
        "amber_tolerance": float(cfg.amber_tolerance),
        "significance_level": float(cfg.significance_level),
        "processed_dir": str(Path(cfg.processed_dir).resolve()),
        "targets": _targets_fingerprint(cfg),
    }


def _targets_fingerprint(cfg) -> str:
    """The targets file and its content's hash: a changed target is a different framework."""
    import hashlib

    path = getattr(cfg, "targets", None)
    if not path:
        return ""
    try:
        return f"{path}:{hashlib.sha256(Path(path).read_bytes()).hexdigest()}"
    except OSError:
        return str(path)


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar; NaN stays NaN (JSON NaN), as in the frame
        value = value.item()
    return value


def write_shared_framework(frame: pd.DataFrame, cfg, folder: str | Path) -> Path:
    """Write ``frame`` (:func:`compute_performance_framework` for ``cfg``) for a run."""
    doc = {
        "key": _shared_key(cfg),
        "columns": [str(c) for c in frame.columns],
        "rows": [[_plain(v) for v in row] for row in frame.itertuples(index=False)],
        "not_computed": dict(frame.attrs.get("not_computed", {})),
        "computed_values": dict(frame.attrs.get("computed_values", {})),
    }
    path = Path(folder) / SHARED_FRAMEWORK_FILE
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)  # a reader never sees half a file
    return path


def shared_framework(cfg) -> pd.DataFrame | None:
    """The run's performance framework, or None (not under a run, not written yet, or
    written for another configuration)."""
    folder = os.environ.get(SHARED_DIR_ENV)
    if not folder:
        return None
    path = Path(folder) / SHARED_FRAMEWORK_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if doc.get("key") != _shared_key(cfg):
        return None
    frame = pd.DataFrame(doc["rows"], columns=doc["columns"])
    frame.attrs["not_computed"] = FrameDetails(doc["not_computed"])
    frame.attrs["computed_values"] = FrameDetails(doc.get("computed_values", {}))
    return frame


def priority_framework(
    cfg, priority: str, src: DataSource | None = None, *, enter_missing: bool = True
) -> pd.DataFrame:
    """The framework rows of one priority for ``cfg.year`` (baseline: the year before).

    Parameters
    ----------
    cfg : Config
    priority : str
        Catalogue priority, e.g. ``youth_crime``.
    src : DataSource, optional
        Default :func:`local_source` (pass one to share its cache with the notebook).
    enter_missing : bool
        Add a ``tbc`` row for each current or local indicator of the priority that has no
        computation (no dataset carries it), with a comment saying how to enter it.

    Returns
    -------
    DataFrame
        :data:`sa_toolkit.framework.OUTPUT_COLUMNS`; ``attrs["not_computed"]`` maps the
        computed indicators left out to the reason.
    """
    from sa_toolkit.framework import build_framework
    from sa_toolkit.indicators.catalogue import load_catalogue, load_series_breaks
    from sa_toolkit.targets import load_targets

    catalogue = load_catalogue()
    targets = load_targets(cfg)
    catalogue = catalogue[catalogue["priority"] == priority]
    values = None
    if enter_missing:
        status = catalogue["status"].astype(str)
        missing = catalogue[
            catalogue["computation"].map(lambda c: not isinstance(c, dict))
            & ~status.str.startswith("retired")
        ]
        if len(missing):
            values = pd.DataFrame(
                {
                    "indicator_id": missing.index.astype(str),
                    "baseline": "tbc",
                    "actual": "tbc",
                    "comment": ENTER_VALUES_NOTE,
                }
            )
    from sa_toolkit.measures import wait_for_run_measures

    wait_for_run_measures()  # the runner computes the rows once for the run
    shared = shared_framework(cfg)
    if shared is None:
        frame = build_framework(
            values,
            year=cfg.year,
            catalogue=catalogue,
            series_breaks=load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None)),
            data=src if src is not None else local_source(cfg),
            tolerance=cfg.amber_tolerance,
            significance_level=cfg.significance_level,
            targets=targets,
        )
    else:  # the run's rows of this priority, and the tbc rows (no data needed)
        parts = [shared[shared["indicator_id"].isin(catalogue.index)]]
        if values is not None:
            parts.insert(
                0,
                build_framework(
                    values,
                    year=cfg.year,
                    catalogue=catalogue,
                    tolerance=cfg.amber_tolerance,
                    significance_level=cfg.significance_level,
                    targets=targets,
                ),
            )
        # rebuilt from plain rows, as build_framework builds it, so the dtypes agree
        frame = pd.DataFrame(
            [[_plain(v) for v in row] for part in parts for row in part.itertuples(index=False)],
            columns=shared.columns,
        )
        frame.attrs["not_computed"] = FrameDetails(
            {k: v for k, v in shared.attrs["not_computed"].items() if k in catalogue.index}
        )
        frame.attrs["computed_values"] = FrameDetails(
            {
                k: v
                for k, v in shared.attrs.get("computed_values", {}).items()
                if k in catalogue.index
            }
        )
    # computed rows first, in catalogue order; entered (tbc) rows after them
    frame["_entered"] = frame["value_source"] == "entered"
    order = {k: i for i, k in enumerate(catalogue.index)}
    frame["_order"] = frame["indicator_id"].map(order)
    frame = frame.sort_values(["_entered", "_order"], kind="stable")
    return frame.drop(columns=["_entered", "_order"]).reset_index(drop=True)


def _worse(row) -> bool:
    change = row["change"]
    if change is None or pd.isna(change) or change == 0:
        return False
    if row["polarity"] == "lower_is_better":
        return change > 0
    if row["polarity"] == "higher_is_better":
        return change < 0
    return False


def _change_text(row) -> str:
    unit = "pp" if row["change_unit"] == "pp" else "%"
    sign = "+" if row["change"] > 0 else ""
    return f"{sign}{row['change']:g}{unit}"


def framework_concerns(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Indicators that worsened significantly, and those that missed their target.

    Returns
    -------
    dict
        ``worsened``: "name (+12%)" for rows whose change is statistically
        significant and in the worse direction; ``missed_target``: "name (Red: target -5%
        missed by 7.0%)" for rows rated against a target and not meeting it.
    """
    worsened, missed = [], []
    for _, row in frame.iterrows():
        if row["significant"] == "yes" and _worse(row):
            worsened.append(f"{row['name']} ({_change_text(row)})")
        label = str(row["rag_label"])
        if row["target_type"] != "none" and row["rag"] in ("A", "R") and "missed" in label:
            missed.append(f"{row['name']} ({label})")
    return {"worsened": worsened, "missed_target": missed}


def assessed_indicators(frame: pd.DataFrame | None) -> int:
    """How many framework rows were judged: tested for change (significant "yes" or "no")
    or rated against a target. With none, a report cannot say that nothing worsened."""
    if frame is None or frame.empty:
        return 0
    tested = frame["significant"].astype(str).isin(["yes", "no"])
    rated = (frame["target_type"].astype(str) != "none") & frame["rag"].astype(str).isin(
        ["R", "A", "G"]
    )
    return int((tested | rated).sum())


def compared_rows(frame: pd.DataFrame | None) -> bool:
    """Whether a table of changes (columns ``before`` and ``after``) has a row with both:
    a change that could be tested, whatever its result."""
    if frame is None or frame.empty or not {"before", "after"} <= set(frame.columns):
        return False
    return bool(frame[["before", "after"]].notna().all(axis=1).any())


def not_computed_notes(frame: pd.DataFrame) -> list[str]:
    """The indicators left out of a framework table, named in words (for the table's notes).

    The reasons recorded in ``attrs["not_computed"]`` are the analyst's (tables, folders,
    commands): a reader is told which indicators are not available and that the run log
    lists the data not supplied.
    """
    from sa_toolkit.board_language import indicator_name
    from sa_toolkit.indicators.catalogue import load_catalogue

    left_out = list(frame.attrs.get("not_computed", {}))
    if not left_out:
        return []
    catalogue = load_catalogue()
    names = [
        indicator_name(i, catalogue.at[i, "name"]) if i in catalogue.index else str(i)
        for i in left_out
    ]
    return [
        f"Not available for this year: {'; '.join(names)}. The data these need were not "
        "supplied or do not cover both years (the run log lists the data not supplied)."
    ]


def methods_notes(cfg) -> list[str]:
    """The notes every report's framework table carries: the one traffic-light rule and
    how significance is tested (the same text in every report)."""
    from sa_toolkit.disclosure import disclosure_text
    from sa_toolkit.indicators.overdispersion import methods_text
    from sa_toolkit.traffic_lights import rule_text

    return [
        rule_text(cfg.amber_tolerance, cfg.significance_level),
        methods_text(cfg.significance_level),
        disclosure_text(cfg.suppression_threshold),
    ]


def framework_table(frame: pd.DataFrame, threshold: int = 0) -> pd.DataFrame:
    """The rows as a board reads them: formatted values, RAG letter for the chip, comment.

    Counts from 1 to ``threshold - 1`` are shown as ``<threshold``.
    """

    def fmt(value, unit):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, str):
            return value
        if unit == "count" and 0 < value < threshold:
            return f"<{threshold}"
        from sa_toolkit.measures import format_value

        # the one precision of every report (sa_toolkit.measures.DECIMALS)
        return format_value(value, unit)

    def target_text(row):
        from sa_toolkit.framework import format_target

        t = row["target"]
        if row["target_type"] == "level" and t is not None and not pd.isna(t):
            return f"{fmt(t, row['unit'])} (level)"
        return format_target(t, row["target_type"], row["unit"])

    out = pd.DataFrame(
        {
            "Indicator": frame["name"],
            "Baseline": [fmt(v, u) for v, u in zip(frame["baseline"], frame["unit"], strict=True)],
            "Actual": [fmt(v, u) for v, u in zip(frame["actual"], frame["unit"], strict=True)],
            "Change": [
                "" if c is None or pd.isna(c) else _change_text(r)
                for c, (_, r) in zip(frame["change"], frame.iterrows(), strict=True)
            ],
            "Target": [target_text(r) for _, r in frame.iterrows()],
            "Significant": frame["significant"].fillna(""),
            "RAG": [r if r else None for r in frame["rag"]],
            "Rating": frame["rag_label"],
            "Comment": frame["comment"].fillna(""),
        }
    )
    return out


RAG_NOTE = "RAG: traffic light, always with its text in the Rating column."


def framework_html(frame: pd.DataFrame, cfg, what: str, notes=()):
    """A priority report's framework table as every priority report shows it: ``what``,
    place and years in the caption, the traffic light with its text, the report's own
    ``notes``, how lights and significance are judged, and the indicators not computed."""
    from sa_toolkit.report_tables import html_table

    year = cfg.year
    return html_table(
        framework_table(frame, cfg.suppression_threshold),
        caption=(f"{what}, {cfg.partnership_short_name}, {year.previous().label} to {year.label}"),
        rag_columns="RAG",
        notes=[RAG_NOTE, *notes, *methods_notes(cfg), *not_computed_notes(frame)],
    )
