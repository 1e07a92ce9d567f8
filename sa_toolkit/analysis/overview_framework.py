"""The overview's performance framework: the table of every priority's indicators, its
published workbook (small counts hidden) and the counts of red, amber and green."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.config import Config
from sa_toolkit.priorities import PRIORITY_NAMES

RAG_NAMES = {"R": "Red", "A": "Amber", "G": "Green"}


def performance_framework(cfg: Config, source=None) -> pd.DataFrame:
    """The performance framework of every priority, computed from the processed data.

    Under ``sa run`` the rows computed once for the run are read instead
    (:func:`sa_toolkit.analysis.priority_framework.performance_framework`).
    """
    from sa_toolkit.analysis import priority_framework

    return priority_framework.performance_framework(cfg, source)


def _value_text(value, unit: str, threshold: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    if unit == "count":
        if 1 <= value < threshold:
            return f"<{threshold}"
        return findings.format_number(value)
    from sa_toolkit.measures import format_value

    # the one precision of every report (sa_toolkit.measures.DECIMALS)
    return format_value(value, unit)


def _small_count(value, unit: str, threshold: int) -> bool:
    return unit == "count" and isinstance(value, int | float) and 1 <= value < threshold


def framework_for_publication(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The framework with small counts hidden (and the change that would reveal them).

    Counts from 1 to ``threshold - 1`` become ``<threshold``; the change and p-value of
    such a row are removed, since with the other year's count they would reveal it.
    """
    out = frame.copy().astype({"baseline": object, "actual": object, "change": object})
    for i, row in out.iterrows():
        small = [_small_count(row[k], row["unit"], threshold) for k in ("baseline", "actual")]
        if any(small):
            for key, hide in zip(("baseline", "actual"), small, strict=True):
                if hide:
                    out.at[i, key] = f"<{threshold}"
            out.at[i, "change"] = None
            out.at[i, "p_value"] = np.nan
    return out


def indicator_label(indicator_id: str, name: str) -> str:
    """The name as the board reads it: today's wording, a retired National Indicator's
    code only as a reference after it ("... (formerly NI 16)"); ids are never shown."""
    from sa_toolkit.board_language import indicator_name

    return indicator_name(indicator_id, name)


def framework_display(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Rows for the report's framework table: one per indicator, priority order kept.

    The traffic light is its colour name (shown as a chip with its text) and the
    reason is spelled out beside it, so nothing depends on colour alone.
    """
    rows = []
    columns = ["Priority", "Indicator", "Baseline", "Actual", "Change", "Traffic light",
               "Assessment", "Significant change"]  # fmt: skip
    for _, row in frame.iterrows():
        unit = row["unit"]
        hide = any(_small_count(row[k], unit, threshold) for k in ("baseline", "actual"))
        change = row["change"]
        if hide or change is None or (isinstance(change, float) and math.isnan(change)):
            change_text = ""
        else:
            change_text = f"{change:+.1f}{' pp' if row['change_unit'] == 'pp' else '%'}"
        label = str(row["rag_label"])
        reason = label.split(": ", 1)[1] if ": " in label else label
        rows.append(
            {
                "Priority": PRIORITY_NAMES.get(str(row["priority"]), str(row["priority"])),
                "Indicator": indicator_label(str(row["indicator_id"]), str(row["name"])),
                "Baseline": _value_text(row["baseline"], unit, threshold),
                "Actual": _value_text(row["actual"], unit, threshold),
                "Change": change_text,
                "Traffic light": RAG_NAMES.get(str(row["rag"])),
                "Assessment": reason,
                "Significant change": str(row["significant"] or ""),
            }
        )
    # no indicator computable (e.g. too few months of data): the table keeps its columns
    return pd.DataFrame(rows, columns=columns)


def framework_not_computed(frame: pd.DataFrame) -> str:
    """Why the framework has no rows: the first reasons an indicator could not be computed."""
    from sa_toolkit.board_language import token_findings

    # a reason that names tables, folders or commands is the analyst's detail (run log)
    reasons = [
        r
        for r in dict.fromkeys(frame.attrs.get("not_computed", {}).values())
        if not token_findings(r)
    ]
    text = "No performance indicator could be computed from the data supplied"
    if reasons:
        return f"{text} ({'; '.join(reasons[:3])})."
    return f"{text}: the run log lists the data not supplied and the months each source covers."


def write_framework_download(
    frame: pd.DataFrame, output_dir, threshold: int, cfg: Config | None = None
) -> Path:
    """Write ``performance_framework.xlsx`` into the report folder (small counts hidden):
    the formatted workbook (title, plain headers, rounded values, notes) given ``cfg``."""
    from sa_toolkit.framework import workbook_title, write_framework

    path = Path(output_dir) / "performance_framework.xlsx"
    title = workbook_title(cfg, threshold) if cfg is not None else None
    return write_framework(framework_for_publication(frame, threshold), path, title=title)


def framework_summary(frame: pd.DataFrame) -> dict:
    """Counts of red, amber, green and unrated indicators, and the ones to act on.

    ``worsened`` lists indicators whose change was statistically significant in the
    wrong direction; ``missed`` those that missed a target.
    """
    from sa_toolkit.analysis import priority_framework

    rag = frame["rag"].astype(str)
    worse = []
    missed = []
    for _, row in frame.iterrows():
        change = row["change"]
        has_change = change is not None and not (isinstance(change, float) and math.isnan(change))
        if (
            row["significant"] == "yes"
            and has_change
            and row["polarity"]
            in (
                "lower_is_better",
                "higher_is_better",
            )
        ):
            bad = change > 0 if row["polarity"] == "lower_is_better" else change < 0
            if bad:
                worse.append(
                    f"{row['name']} ({change:+.1f}{' pp' if row['change_unit'] == 'pp' else '%'})"
                )
        if "missed" in str(row["rag_label"]) and row["target_type"] != "none":
            missed.append(f"{row['name']}: {str(row['rag_label']).split(': ', 1)[-1]}")
    return {
        "indicators": len(frame),
        "red": int((rag == "R").sum()),
        "amber": int((rag == "A").sum()),
        "green": int((rag == "G").sum()),
        "not_rated": int((~rag.isin(["R", "A", "G"])).sum()),
        "worsened": worse,
        "missed": missed,
        "assessed": priority_framework.assessed_indicators(frame),
    }


def framework_sentence(summary: dict, year_label: str) -> str:
    n = summary["indicators"]
    text = (
        f"Of {n} performance indicators in {year_label}, {summary['green']} were green, "
        f"{summary['amber']} amber and {summary['red']} red"
    )
    if summary["not_rated"]:
        text += f" ({summary['not_rated']} not rated)"
    k = len(summary["worsened"])
    if k:
        text += f"; {k} worsened significantly"
    elif summary["assessed"]:
        text += "; none worsened significantly"
    else:  # nothing judged: "none worsened" would claim what was not tested
        text += "; none could be compared with the baseline or a target"
    return text + "."
