"""Violent crime: the report's tables, with small counts and what they reveal suppressed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.violent_crime_data import (
    ViolentCrimeData,
)
from sa_toolkit.disclosure import is_small


def framework_display(rows: pd.DataFrame) -> pd.DataFrame:
    """The framework rows as a report table: values, change, traffic light and reason."""
    from sa_toolkit.framework import format_target

    def number(value, unit):
        if isinstance(value, str) or value is None or pd.isna(value):
            return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        from sa_toolkit.measures import format_value

        return format_value(value, unit)  # the one precision of every report

    out = pd.DataFrame(
        {
            "Indicator": rows["name"].astype(str),
            "Baseline": [number(v, u) for v, u in zip(rows["baseline"], rows["unit"], strict=True)],
            "Actual": [number(v, u) for v, u in zip(rows["actual"], rows["unit"], strict=True)],
            "Change": [
                "" if pd.isna(c) else f"{c:+.1f}{' pp' if cu == 'pp' else '%'}"
                for c, cu in zip(rows["change"], rows["change_unit"], strict=True)
            ],
            "Target": [
                format_target(t, tt, u)
                for t, tt, u in zip(rows["target"], rows["target_type"], rows["unit"], strict=True)
            ],
            "Significant": rows["significant"].astype(str),
            "Traffic light": rows["rag"].replace("", None),
            "Assessment": rows["rag_label"].astype(str),
        }
    )
    return out


def significance_text(p_value: float) -> str:
    """``p = 0.003`` style text for tables."""
    if p_value is None or (isinstance(p_value, float) and math.isnan(p_value)):
        return ""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


# ----------------------------------------------------------------------------- report tables


def summary_display(summary: pd.DataFrame, data: ViolentCrimeData) -> pd.DataFrame:
    """The year summary as a report table, small counts and what they reveal suppressed."""
    from sa_toolkit.disclosure import SECONDARY_MARKER

    previous, current = data.year.previous().label, data.year.label
    if not data.has_comparison:
        return _level_display(summary, data)
    small = is_small(summary["previous"], data.threshold) | is_small(
        summary["actual"], data.threshold
    )
    rows = []
    for (_, row), hide in zip(summary.iterrows(), small, strict=True):

        def count(value):
            return f"<{data.threshold}" if is_small([value], data.threshold)[0] else value

        rows.append(
            {
                "Measure": row["label"],
                previous: count(row["previous"]),
                current: count(row["actual"]),
                "Change": SECONDARY_MARKER
                if hide
                else (
                    "n/a"
                    if pd.isna(row["change"])
                    else findings.format_signed_percent(row["change"])
                ),
                "Significance of change": SECONDARY_MARKER
                if hide
                else significance_text(row["p_value"]),
                "Rate per 1,000": SECONDARY_MARKER
                if hide
                else findings.format_number(row["value"], 2),
                "95% interval": SECONDARY_MARKER
                if hide
                else f"{row['lower']:.2f} to {row['upper']:.2f}",
            }
        )
    return pd.DataFrame(rows)


def _level_display(summary: pd.DataFrame, data: ViolentCrimeData) -> pd.DataFrame:
    # the assessed year only (no comparison year in the data): counts and rates
    from sa_toolkit.disclosure import SECONDARY_MARKER

    small = is_small(summary["actual"], data.threshold)
    return pd.DataFrame(
        {
            "Measure": summary["label"].to_numpy(),
            data.year.label: [
                f"<{data.threshold}" if hide else int(v)
                for v, hide in zip(summary["actual"], small, strict=True)
            ],
            "Rate per 1,000": [
                SECONDARY_MARKER if hide else findings.format_number(v, 2)
                for v, hide in zip(summary["value"], small, strict=True)
            ],
            "95% interval": [
                SECONDARY_MARKER if hide else f"{lo:.2f} to {hi:.2f}"
                for lo, hi, hide in zip(summary["lower"], summary["upper"], small, strict=True)
            ],
        }
    )


def places_display(
    table: pd.DataFrame, threshold: int, place: str = "LSOA", ward: str = "Ward"
) -> pd.DataFrame:
    """A hotspot table (from :func:`place_table` / :func:`top_places`) for the report."""
    from sa_toolkit.disclosure import mask_small_counts

    out = pd.DataFrame(
        {
            place: table["place"].astype(str),
            **({ward: table["ward"].astype(str)} if "ward" in table.columns else {}),
            "Offences": table["offences"].astype(int),
            "Share of partnership (%)": table["share"].round(1),
            "Rate per 1,000": table["rate"].round(1),
            "95% interval": [
                f"{lo:.1f} to {hi:.1f}"
                for lo, hi in zip(table["lower"], table["upper"], strict=True)
            ],
        }
    )
    return mask_small_counts(
        out,
        "Offences",
        threshold,
        derived=["Share of partnership (%)", "Rate per 1,000", "95% interval"],
    )


def ratios_display(ratios: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Over-representation by age band for the report (small counts suppressed)."""
    from sa_toolkit.disclosure import mask_small_counts

    out = pd.DataFrame(
        {
            "Group": ratios["group"],
            "Age band": ratios["band"],
            "Count": ratios["count"].astype(int),
            "Share (%)": (ratios["count_share"] * 100).round(1),
            "Population share (%)": (ratios["population_share"] * 100).round(1),
            # the ratio with the decimals of its interval, so the interval visibly holds it
            "Ratio": [f"{v:.2f}" for v in ratios["value"]],
            "95% interval": [
                f"{lo:.2f} to {hi:.2f}"
                for lo, hi in zip(ratios["lower"], ratios["upper"], strict=True)
            ],
        }
    )
    return mask_small_counts(
        out, "Count", threshold, derived=["Share (%)", "Ratio", "95% interval"]
    )


def people_display(people: pd.DataFrame, data: ViolentCrimeData) -> pd.DataFrame:
    """Domestic-abuse and alcohol shares and repeat victimisation for the report."""
    from sa_toolkit.disclosure import SECONDARY_MARKER

    rows = []
    for _, row in people.iterrows():
        hide = bool(is_small([row["numerator"]], data.threshold)[0])
        previous = row.get("previous", np.nan)
        rows.append(
            {
                "Measure": row["measure"],
                "Count": f"<{data.threshold}" if hide else int(row["numerator"]),
                "Out of": int(row["denominator"]),
                "Per cent": SECONDARY_MARKER if hide else findings.format_number(row["value"], 1),
                "95% interval": SECONDARY_MARKER
                if hide
                else f"{row['lower']:.1f} to {row['upper']:.1f}",
                f"{data.year.previous().label} (%)": ""
                if pd.isna(previous)
                else findings.format_number(previous, 1),
                "Significance of change": ""
                if pd.isna(row.get("p_value", np.nan))
                else significance_text(float(row["p_value"])),
            }
        )
    out = pd.DataFrame(rows)
    if not data.has_comparison:  # no data for last year: no empty comparison columns
        out = out.drop(columns=[f"{data.year.previous().label} (%)", "Significance of change"])
    return out
