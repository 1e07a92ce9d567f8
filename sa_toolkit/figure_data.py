"""Short alt text and a data table for every figure (accessible, citable reports).

A screen reader reads a figure's alt text in one go: it should say what the chart shows
and its finding in one or two sentences, not list a dozen values (GOV.UK and the
Analysis Function's guidance on charts). The values go in a table under the figure,
which a screen reader can move through cell by cell and which the figure's caption
links to (:mod:`sa_toolkit.report_access` numbers both).

- A chart builder (:mod:`sa_toolkit.charts`, or an analysis module drawing its own chart)
  records what it drew with :func:`attach` (``fig.sa_data``);
- :func:`sa_toolkit.charts.save_and_show` shows the figure with :func:`short_alt_text`
  and, under it, :func:`data_details`: the table inside ``<details>``, small counts
  shown as ``<N`` (:func:`sa_toolkit.disclosure.mask_small_counts`), so the table never
  tells more than the report may.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: an alt text longer than this is shortened (a screen reader reads it without pause)
ALT_TEXT_LIMIT = 250
#: kernel environment variable holding the run's suppression threshold
#: (set by :func:`sa_toolkit.notebook_params.notebook_context`)
THRESHOLD_ENV = "SA_SUPPRESSION_THRESHOLD"
#: used when a figure is drawn outside a notebook run (the configuration's default)
DEFAULT_THRESHOLD = 5
#: the summary of the details element holding a figure's data
DATA_SUMMARY = "Data for this figure (table)"
#: the start of a figure data table's caption; the rendered page numbers the figure
DATA_CAPTION = "Data for this figure"
ALT_DATA_NOTE = "The data are in the table under the figure."


def attach(
    fig,
    frame: pd.DataFrame,
    options: Mapping | None = None,
    *,
    counts: Sequence[str] = (),
    derived: Sequence[str] = (),
    formats: Mapping[str, object] | None = None,
) -> None:
    """Record the values a figure shows, for its data table.

    Parameters
    ----------
    frame : DataFrame
        One row per point, bar or month; the first column names the row (month, place,
        category) and the others hold the values, with plain-word column names.
    counts : list of str
        Columns holding counts: from 1 to the threshold minus 1 they are shown as ``<N``.
    derived : list of str
        Columns computed from a count on the same row (a rate, a share): hidden with it.
    formats : mapping, optional
        Per column, as :func:`sa_toolkit.report_tables.html_table` takes them.
    """
    options = dict(options or {})  # as the *_table helpers below return them
    fig.sa_data = frame.reset_index(drop=True)
    fig.sa_data_counts = tuple(options.get("counts", counts))
    fig.sa_data_derived = tuple(options.get("derived", derived))
    fig.sa_data_formats = dict(options.get("formats", formats or {}))


def suppression_threshold() -> int:
    """The run's suppression threshold (from the kernel's environment), else the default."""
    text = os.environ.get(THRESHOLD_ENV, "")
    return int(text) if text.strip().isdigit() else DEFAULT_THRESHOLD


def masked(frame: pd.DataFrame, counts: Sequence[str], derived: Sequence[str], threshold: int):
    """``frame`` with small counts (and the values derived from them) hidden."""
    out = frame
    for column in counts:
        if column in out.columns:
            rest = [c for c in derived if c in out.columns and c not in counts]
            out = _mask(out, column, threshold, rest)
    return out


def _mask(frame, column, threshold, derived):
    from sa_toolkit.disclosure import mask_small_counts

    return mask_small_counts(frame, column, threshold, derived=derived)


def data_details(fig, title: str, threshold: int | None = None) -> str:
    """The figure's data as a captioned table inside ``<details>``, or "" when it has none."""
    frame = getattr(fig, "sa_data", None)
    if frame is None or len(frame) == 0:
        return ""
    from sa_toolkit.report_tables import html_table

    threshold = suppression_threshold() if threshold is None else threshold
    shown = masked(
        frame,
        getattr(fig, "sa_data_counts", ()),
        getattr(fig, "sa_data_derived", ()),
        threshold,
    )
    caption = f"{DATA_CAPTION}: {title}" if title else DATA_CAPTION
    table = html_table(
        shown,
        caption=caption,
        formats=getattr(fig, "sa_data_formats", {}),
        max_rows=max(500, len(shown)),  # aggregates drawn in the figure, not a listing
    )
    return f'<details class="sa-figure-data"><summary>{DATA_SUMMARY}</summary>{table}</details>'


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _clip(text: str, limit: int) -> str:
    """``text`` cut at the last clause or word boundary that fits, ending in a full stop."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    for mark in ("; ", ", ", " with ", " "):
        at = cut.rfind(mark)
        if at > limit // 2:
            return cut[:at].rstrip(" ,;:") + "."
    return cut.rstrip() + "."


def short_alt_text(
    alt_text: str, title: str | None = None, *, has_table: bool = False, limit: int = ALT_TEXT_LIMIT
) -> str:
    """One or two sentences: what the chart shows and its finding.

    A longer alt text keeps its first sentence (what the chart shows; a list of values
    after a colon is left out, since the data table holds them) and the chart's title
    (its finding) as the second sentence. With ``has_table`` it ends by saying where the
    data are, when that fits.
    """
    text = " ".join(str(alt_text).split())
    if len(text) <= limit:
        return text
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if ": " in first:
        head, rest = first.split(": ", 1)
        # "Chart of X by year: Adult 2020/21 26%; ..." -> what it shows, without the values
        if ";" in rest or re.search(r"\d", rest):
            first = head
    first = _clip(_sentence(first.rstrip(":")), limit)
    out = first
    finding = " ".join(str(title or "").split())
    if finding and finding.rstrip(".").lower() not in first.lower():
        candidate = f"{first} {_sentence(finding)}"
        if len(candidate) <= limit:
            out = candidate
    if has_table and len(out) + 1 + len(ALT_DATA_NOTE) <= limit:
        out = f"{out} {ALT_DATA_NOTE}"
    return out


# ----------------------------------------------------------------------------- tables


def _whole(values: pd.Series) -> bool:
    """Whole numbers only (counts): such columns are checked for small counts."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return len(numbers) > 0 and bool((numbers == numbers.round()).all())


def _label(value, default: str) -> str:
    text = "" if value is None else str(value).replace("_", " ").strip()
    return (text[:1].upper() + text[1:]) if text else default


def trend_table(frame: pd.DataFrame, measure: str):
    """A monthly trend's data: one row per month, one column per series."""
    table = pd.DataFrame({"Month": [p.strftime("%b %Y") for p in frame.index]})
    columns = []
    for column in frame.columns:
        name = measure if column is None or column == 0 else _label(column, measure)
        table[name] = frame[column].to_numpy()
        columns.append(name)
    counts = [c for c in columns if _whole(table[c])]
    return table, {"counts": counts, "formats": {c: 0 for c in counts}}


def bar_table(data: pd.Series, status: pd.Series | None, xlabel: str | None):
    """A bar chart's data: one row per bar, in the order drawn (top first)."""
    years = all(re.match(r"^\d{4}(/\d{2})?$", str(i)) for i in data.index)
    label = _label(data.index.name, "Year" if years else "Category")
    value = _label(xlabel or data.name, "Value")
    if value == label:
        value = "Value"
    table = pd.DataFrame({label: [str(i) for i in data.index], value: data.to_numpy()})
    if status is not None:
        from sa_toolkit.charts import rag_label

        table["Traffic light"] = [rag_label(status.get(i)) for i in data.index]
    counts = [value] if _whole(table[value]) else []
    return table.iloc[::-1], {"counts": counts, "formats": dict.fromkeys(counts, 0)}


def funnel_table(points: pd.DataFrame, xlabel: str, ylabel: str, average: float):
    """A funnel plot's data: each area's denominator and value, highest value first."""
    rows = points.sort_values("value", ascending=False)
    table = pd.DataFrame(
        {
            "Area": rows["label"].astype(str).to_numpy(),
            _label(xlabel, "Denominator"): rows["denominator"].to_numpy(),
            _label(ylabel, "Value"): rows["value"].to_numpy(),
        }
    )
    table.loc[len(table)] = ["Average", None, average]
    return table, {"formats": {table.columns[1]: 0}}


def concentration_table(curve: pd.DataFrame, place: str):
    """A concentration curve read at each tenth of the places (most affected first)."""
    steps = np.linspace(0.1, 1.0, 10)
    share = np.interp(steps, curve["share_of_places"], curve["share_of_count"])
    table = pd.DataFrame(
        {
            f"Share of {place} (most affected first)": steps,
            "Share of the count they hold": share,
        }
    )
    return table, {"formats": dict.fromkeys(table.columns, "{:.0%}")}


def grid_table(table: pd.DataFrame, row_label: str, xlabel: str = "", counts: bool = True):
    """A heat map's grid, rows as drawn.

    With ``counts`` every cell is a count: shared counts (an offence spread over the
    hours it may have happened in) are rounded to whole numbers and small ones hidden.
    Hours 0 to 23 are headed ``00:00`` to ``23:00``.
    """
    out = table.copy()
    hours = "hour" in xlabel.lower() and all(
        isinstance(c, int | np.integer) and 0 <= c <= 23 for c in out.columns
    )
    out.columns = [f"{int(c):02d}:00" if hours else str(c) for c in out.columns]
    if counts:
        out = out.apply(pd.to_numeric, errors="coerce").round(0)
    out.insert(0, _label(table.index.name, row_label), [str(i) for i in table.index])
    columns = list(out.columns[1:]) if counts else []
    return out.reset_index(drop=True), {"counts": columns, "formats": dict.fromkeys(columns, 0)}


def shares_table(shares: pd.DataFrame):
    """An age profile's shares: one row per band, one column per group."""
    out = shares.copy()
    out.columns = [str(c) for c in out.columns]
    out.insert(0, "Age band", [str(i) for i in shares.index])
    return out.reset_index(drop=True), {"formats": dict.fromkeys(out.columns[1:], "{:.0%}")}


def interval_table(values: pd.DataFrame, x: str, series: str | None, value_label: str):
    """Values with their 95% interval (one row per point), as an interval chart draws them;
    whole-number values are checked as counts (their limits are hidden with them)."""
    columns = ([series] if series else []) + [x]
    table = pd.DataFrame({_label(c, c): values[c].astype(str).to_numpy() for c in columns})
    label = _label(value_label, "Value")
    table[label] = pd.to_numeric(values["value"], errors="coerce").to_numpy()
    table["Lower 95% limit"] = pd.to_numeric(values["lower"], errors="coerce").to_numpy()
    table["Upper 95% limit"] = pd.to_numeric(values["upper"], errors="coerce").to_numpy()
    counts = [label] if _whole(table[label]) else []
    derived = ["Lower 95% limit", "Upper 95% limit"] if counts else []
    return table, {"counts": counts, "derived": derived, "formats": dict.fromkeys(counts, 0)}


def wide_table(frame: pd.DataFrame, row_label: str, formats=None):
    """A table of series (columns) by rows as drawn (e.g. shares by hour, costs by year)."""
    out = frame.copy()
    out.columns = [str(c) for c in out.columns]
    out.insert(0, row_label, [str(i) for i in frame.index])
    return out.reset_index(drop=True), {"formats": dict.fromkeys(out.columns[1:], formats or 1)}


def _banding_edges(start: int, largest: float) -> list[int]:
    """Band edges from ``start`` up the 1-2-5 sequence (5, 10, 20, 50, 100, ...) past
    ``largest``: the bands a reader can take in at a glance."""
    edges = [max(1, int(start))]
    scale = 1
    while edges[-1] <= largest:
        for step in (1, 2, 5):
            if step * scale > edges[-1]:
                edges.append(step * scale)
                break
        else:
            scale *= 10
    return edges


def hexagon_table(counts, min_count: int, per_hexagon: str = "Offences per hexagon"):
    """A density map's data: the hexagons drawn, by how many points each holds.

    ``counts`` holds every non-empty hexagon's count, including those under
    ``min_count``, which the map leaves out: they make one last row, "fewer than N
    (not drawn)", so the rows add up to every point drawn from. Each band gives its share
    of the non-empty hexagons and the points in them with their share ("0.2% of hexagons
    held 6% of offences"): how concentrated the points are, not where (no hexagon is
    placed). The hexagons are given as a share, not a number: a number of map cells is
    no count of people or events, but the disclosure check cannot tell it from one.
    """
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts > 0]
    what = _label(per_hexagon.split(" per ")[0], "Points")
    floor = max(1, int(min_count))
    drawn = counts[counts >= floor]
    edges = _banding_edges(floor, drawn.max() if len(drawn) else floor)
    rows = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        last = high == edges[-1]
        inside = drawn[drawn >= low] if last else drawn[(drawn >= low) & (drawn < high)]
        top = high - 1
        if top == low:
            name = f"{low:,}"
        else:
            name = f"{low:,} or more" if last else f"{low:,} to {top:,}"
        rows.append((name, len(inside), inside.sum()))
    hidden = counts[counts < floor]
    if len(hidden):
        rows.append((f"Fewer than {floor:,} (not drawn)", len(hidden), hidden.sum()))
    table = pd.DataFrame(rows, columns=[per_hexagon, "hexagons", what])
    hexagons, share = "Share of hexagons", f"Share of {what.lower()}"
    table.insert(1, hexagons, table.pop("hexagons") / max(len(counts), 1))
    table[share] = table[what] / counts.sum() if counts.sum() else np.nan
    table[what] = table[what].astype(int)
    return table, {
        "counts": [what],
        "derived": [share],
        "formats": {hexagons: "{:.1%}", what: 0, share: "{:.0%}"},
    }
