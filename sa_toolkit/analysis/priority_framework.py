"""One priority's rows of the performance framework, and what they imply for the plan.

Shared by the priority notebooks (youth crime, anti-social behaviour; others may use it):
:func:`local_source` reads each processed table once, already cut to the partnership's
LSOAs, and caches it, so the framework's computations and the notebook's own analysis
share one read; :func:`priority_framework` builds the priority's rows (computed ones,
plus blank ``tbc`` rows for the indicators no dataset carries, which analysts enter with
``sa framework --values``); :func:`framework_concerns` lists the indicators that worsened
significantly or missed their target, for the implications.
"""

from __future__ import annotations

import pandas as pd

from sa_toolkit.indicators.computations import DataSource

#: tables with an ``lsoa_code`` column, read only for the partnership's LSOAs
LSOA_TABLES = frozenset(
    {"police_street", "crime_incidents", "asb_incidents", "fire_incidents", "population"}
)

#: comment on framework rows that no dataset carries
ENTER_VALUES_NOTE = (
    "no dataset carries this indicator: enter baseline and actual with sa framework --values"
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
    from sa_toolkit.indicators.catalogue import load_catalogue

    catalogue = load_catalogue()
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
    frame = build_framework(
        values,
        year=cfg.year,
        catalogue=catalogue,
        data=src if src is not None else local_source(cfg),
        tolerance=cfg.amber_tolerance,
        significance_level=cfg.significance_level,
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
        ``worsened``: "name (+12%, p = 0.01)" for rows whose change is statistically
        significant and in the worse direction; ``missed_target``: "name (Red: target -5%
        missed by 7.0%)" for rows rated against a target and not meeting it.
    """
    worsened, missed = [], []
    for _, row in frame.iterrows():
        if row["significant"] == "yes" and _worse(row):
            worsened.append(f"{row['name']} ({_change_text(row)}, p = {row['p_value']:.3f})")
        label = str(row["rag_label"])
        if row["target_type"] != "none" and row["rag"] in ("A", "R") and "missed" in label:
            missed.append(f"{row['name']} ({label})")
    return {"worsened": worsened, "missed_target": missed}


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
        if unit == "percent":
            return f"{value:.1f}%"
        if unit == "count":
            return f"{value:,.0f}"
        return f"{value:,.2f}"

    def target_text(row):
        t = row["target"]
        if t is None or pd.isna(t) or row["target_type"] == "none":
            return ""
        if row["target_type"] == "relative_change":
            return f"{t:+g}%"
        if row["target_type"] == "point_change":
            return f"{t:+g}pp"
        return f"{fmt(t, row['unit'])} (level)"

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
