"""Charts in the house style (UK Government Analysis Function, via afcharts).

Every chart a notebook shows is built here so that reports look alike and meet the
accessibility rules: a title that states the finding (computed by the caller and passed
in), a subtitle with the measure, place and period, a source line, the afcharts palette,
and red/amber/green always paired with its text label.

Figures are plain :class:`matplotlib.figure.Figure` objects (not pyplot figures), so the
notebook's inline backend never shows them a second time; :func:`save_and_show` writes
PNG and SVG under ``<output_dir>/figures/`` and shows the PNG as an ``<img>`` carrying
real alt text, embedded in the page so the rendered report stays self-contained.

Examples
--------
>>> fig, ax = new_figure("Violence fell 8% in 2025/26", "Offences per month, Borough, 2021/22 to 2025/26",
...                      source="Source: data.police.uk street-level crime")  # doctest: +SKIP
>>> save_and_show(fig, "violence_trend", "Line chart: violence fell ...", output_dir)  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.dates import DateFormatter, MonthLocator, YearLocator, num2date
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, PlaceHolderLayoutEngine
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, PercentFormatter

from sa_toolkit.demo_data import FOOTER as DEMO_FOOTER
from sa_toolkit.demo_data import demo_in_kernel
from sa_toolkit.errors import ArgumentError

# Analysis Function palettes (afcharts 1.2, config/af_colours.yaml). Copied as constants
# rather than read through afcharts.af_colours at import, which parses YAML on every call;
# tests/test_reporting_charts.py checks they still match the installed afcharts.
CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
SEQUENTIAL = ("#092135", "#12436D", "#2073BC", "#6BACE6", "#ADD1F1")
FOCUS = ("#12436D", "#BFBFBF")
#: Dark blue: the partnership's own series or bar.
MAIN = CATEGORICAL[0]
#: Grey: peers, context, population.
CONTEXT = FOCUS[1]
TEXT_GREY = "#505a5f"

#: Traffic-light colours (GOV.UK Design System red, orange and green). Never used
#: without the text label: see :func:`rag_label`.
RAG_COLOURS = {"Red": "#D4351C", "Amber": "#F47738", "Green": "#00703C"}

TITLE_SIZE = 14
SUBTITLE_SIZE = 11
SOURCE_SIZE = 9
PNG_DPI = 110
#: resolution of the parts an SVG holds as an image (artists drawn ``rasterized``, such
#: as a hotspot map's hexagons): print quality; text and lines stay vectors
SVG_IMAGE_DPI = 200

_STYLE_APPLIED = False
_TEXT_RENDERER = None  # measures text for wrapping; made once


def _afcharts_style_path() -> Path | None:
    try:
        from importlib.resources import files

        path = Path(str(files("afcharts") / "afcharts.mplstyle"))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


def use_house_style() -> None:
    """Apply the afcharts matplotlib style (plus report sizes) to this process.

    Called once when the first figure is made. Falls back to the same palette when
    afcharts' style sheet is missing.
    """
    global _STYLE_APPLIED
    path = _afcharts_style_path()
    if path is not None:
        matplotlib.style.use(str(path))
    matplotlib.rcParams.update(
        {
            "axes.prop_cycle": matplotlib.cycler(color=list(CATEGORICAL)),
            "font.family": "sans-serif",
            # Arial first (house style); DejaVu Sans is always present so no font warning.
            "font.sans-serif": ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"],
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "svg.hashsalt": "sa-toolkit",  # reproducible SVG ids
            "svg.fonttype": "none",  # words stay words: searchable, read by the disclosure check
        }
    )
    _STYLE_APPLIED = True


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, size: float, weight: str) -> float:
    """Width in inches of ``text`` drawn in the house font (measured, not estimated).

    Measured by the Agg renderer that draws the PNG, at its resolution (hinting makes
    drawn text a little wider than its outline), plus 3% for other resolutions.
    """
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    global _TEXT_RENDERER
    if _TEXT_RENDERER is None:
        _TEXT_RENDERER = RendererAgg(8, 8, PNG_DPI)
    prop = FontProperties(family="sans-serif", size=size, weight=weight)
    width, _height, _descent = _TEXT_RENDERER.get_text_width_height_descent(text, prop, False)
    return 1.03 * width / PNG_DPI


def _wrap(text: str, width_inches: float, size: float, weight: str = "normal") -> list[str]:
    """Lines of ``text`` that each fit ``width_inches`` in the house font at ``size``.

    Words are added while the measured line fits (a title cut off at the figure's edge,
    "between 15:00 a", is what an estimate of glyph widths gave); a single word wider
    than the line is put on its own line and broken by characters.
    """
    space = _text_width("x x", size, weight) - _text_width("xx", size, weight)
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line, line_estimate = "", 0.0
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            # A line's width is within 0.3% of its words' widths plus its spaces, so only
            # a line near the limit is measured whole (measuring every candidate line
            # cost 1-2 ms each, about 3 CPU-s a run).
            estimate = line_estimate + (space if line else 0.0) + _text_width(word, size, weight)
            if estimate < 0.98 * width_inches or (
                estimate <= 1.02 * width_inches
                and _text_width(candidate, size, weight) <= width_inches
            ):
                line, line_estimate = candidate, estimate
                continue
            if line:
                lines.append(line)
            line = word
            while _text_width(line, size, weight) > width_inches and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and _text_width(line[:cut], size, weight) > width_inches:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            line_estimate = _text_width(line, size, weight)
        lines.append(line)
    return lines


def new_figure(
    title: str,
    subtitle: str,
    source: str,
    *,
    nrows: int = 1,
    ncols: int = 1,
    figsize: tuple[float, float] = (9.0, 5.0),
    **subplot_kw,
):
    """Create a figure with a finding title, a subtitle and a source line.

    Parameters
    ----------
    title : str
        The finding the chart shows, computed by the caller (e.g. "Violence fell 8%").
    subtitle : str
        Measure, place and period (e.g. "Offences per month, Borough, April 2021 to March 2026").
    source : str
        Source line; "Source: " is prefixed when missing.
    nrows, ncols : int
        Grid of axes.
    figsize : tuple of float
        Width and height in inches.
    **subplot_kw
        Passed to :meth:`matplotlib.figure.Figure.subplots` (e.g. ``gridspec_kw``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes or numpy.ndarray of Axes
    """
    for name, value in (("title", title), ("subtitle", subtitle), ("source", source)):
        if not isinstance(value, str) or not value.strip():
            raise ArgumentError(f"new_figure: '{name}' must be a non-empty string, got {value!r}")
    if not _STYLE_APPLIED:
        use_house_style()
    if not source.lower().startswith("source"):
        source = f"Source: {source}"
    width, height = figsize
    pad = 0.12
    title_lines = _wrap(title, width - 2 * pad, TITLE_SIZE, "bold")
    subtitle_lines = _wrap(subtitle, width - 2 * pad, SUBTITLE_SIZE)
    source_lines = _wrap(source, width - 2 * pad, SOURCE_SIZE)
    if demo_in_kernel():  # the built-in demo: every chart says its figures are made up,
        # on a line of its own so that a long source (a map's attribution) never splits it
        source_lines += _wrap(DEMO_FOOTER, width - 2 * pad, SOURCE_SIZE)
    line = 1.3 / 72  # inches per point of font size
    top = pad + line * (TITLE_SIZE * len(title_lines) + SUBTITLE_SIZE * len(subtitle_lines)) + 0.12
    bottom = pad + line * SOURCE_SIZE * len(source_lines) + 0.05
    height = max(height, top + bottom + 1.5)

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    fig.set_layout_engine(
        ConstrainedLayoutEngine(rect=(0, bottom / height, 1, 1 - (top + bottom) / height))
    )
    y = 1 - pad / height
    fig.text(
        pad / width,
        y,
        "\n".join(title_lines),
        ha="left",
        va="top",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        color="black",
    )
    y -= line * TITLE_SIZE * len(title_lines) / height
    fig.text(
        pad / width,
        y,
        "\n".join(subtitle_lines),
        ha="left",
        va="top",
        fontsize=SUBTITLE_SIZE,
        color=TEXT_GREY,
    )
    fig.text(
        pad / width,
        pad / height,
        "\n".join(source_lines),
        ha="left",
        va="bottom",
        fontsize=SOURCE_SIZE,
        color=TEXT_GREY,
    )
    ax = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    fig.sa_title = title  # kept for alt text and tests
    fig.sa_subtitle = subtitle
    fig.sa_source = source
    return fig, ax


_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


def settle_layout(fig: Figure, dpi: int = PNG_DPI) -> None:
    """Solve the figure's layout once, at the PNG's resolution, and keep it.

    Saving a figure that has a layout engine draws it twice (a silent draw to place its
    parts, then the real one), and the SVG would place them again. Solving the layout
    alone and removing the engine gives the same PNG and SVG, byte for byte, for about
    a quarter less work. Call when every artist that takes part in the layout is on the
    figure; a figure without an engine is left as it is.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return
    fig.set_dpi(dpi)
    if not isinstance(engine, PlaceHolderLayoutEngine):
        engine.execute(fig)
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)


def figure_png(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG bytes (its layout solved and kept: :func:`settle_layout`)."""
    settle_layout(fig, dpi)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def img_html(
    png: bytes,
    alt_text: str,
    *,
    css_class: str = "sa-figure",
    title: str | None = None,
    data_html: str = "",
) -> str:
    """An ``<img>`` embedding PNG bytes as base64, with short, escaped alt text.

    ``title`` (the chart's finding) is kept as ``data-sa-title`` for the figure's caption
    (numbered when the report is rendered, and in the Word document). An alt text longer
    than :data:`sa_toolkit.figure_data.ALT_TEXT_LIMIT` is shortened to what the chart
    shows and its finding (:func:`sa_toolkit.figure_data.short_alt_text`); its values
    belong in ``data_html``, the figure's data table, shown right after the figure.
    """
    from sa_toolkit.figure_data import short_alt_text

    encoded = base64.b64encode(png).decode("ascii")
    short = short_alt_text(alt_text, title, has_table=bool(data_html))
    alt = html.escape(short, quote=True)
    data_title = f' data-sa-title="{html.escape(title, quote=True)}"' if title else ""
    return (
        f'<figure class="{css_class}" style="margin:1em 0">'
        f'<img src="data:image/png;base64,{encoded}" alt="{alt}"{data_title} '
        f'style="max-width:100%;height:auto"></figure>{data_html}'
    )


def save_and_show(
    fig: Figure,
    name: str,
    alt_text: str,
    output_dir: str | Path,
    *,
    show: bool = True,
) -> dict[str, Path]:
    """Save a figure as PNG and SVG under ``<output_dir>/figures/`` and show it.

    The figure is shown as an HTML ``<img>`` with ``alt_text`` and the PNG embedded in
    base64 (so nbconvert's HTML carries real alt text and needs no separate file), then
    closed so the notebook does not display it twice.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        From :func:`new_figure` or a chart builder.
    name : str
        File stem: letters, digits, ``_`` and ``-`` (e.g. ``"01_violence_trend"``).
    alt_text : str
        What the chart shows and its finding, for screen readers, in one or two
        sentences (a longer text is shortened: the values go in the data table that
        the builder attached with :func:`sa_toolkit.figure_data.attach`, shown under
        the figure).
    output_dir : str or Path
        The notebook's output folder (the report folder of the year).
    show : bool
        Display the figure (in a notebook). ``False`` only saves.

    Returns
    -------
    dict
        ``{"png": Path, "svg": Path}``.
    """
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ArgumentError(
            f"save_and_show: figure name {name!r} must use letters, digits, '_' or '-' only"
        )
    if not isinstance(alt_text, str) or len(alt_text.strip()) < 10:
        raise ArgumentError(
            f"save_and_show: figure '{name}' needs alt text describing what it shows "
            f"(at least 10 characters), got {alt_text!r}"
        )
    figures = Path(output_dir) / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    png = figure_png(fig)
    png_path = figures / f"{name}.png"
    svg_path = figures / f"{name}.svg"
    png_path.write_bytes(png)
    # the layout the PNG solved is kept (figure_png), so the SVG has the same positions
    fig.savefig(
        svg_path, format="svg", dpi=SVG_IMAGE_DPI, facecolor="white", metadata={"Date": None}
    )
    if show:
        from IPython.display import HTML, display

        from sa_toolkit.figure_data import data_details

        title = getattr(fig, "sa_title", None)
        details = data_details(fig, title or "")
        display(HTML(img_html(png, alt_text, title=title, data_html=details)))
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return {"png": png_path, "svg": svg_path}


def rag_label(status: str | None) -> str:
    """Normalise a traffic light to its text label: ``"Red"``, ``"Amber"`` or ``"Green"``.

    Returns ``"Not rated"`` for missing values.
    """
    if status is None or (isinstance(status, float) and np.isnan(status)) or status is pd.NA:
        return "Not rated"
    text = str(status).strip().lower()
    for label in RAG_COLOURS:
        if text in (label.lower(), label[0].lower()):
            return label
    raise ArgumentError(f"traffic light must be Red, Amber or Green, got {status!r}")


# ----------------------------------------------------------------------------- formatting


def _thousands(x, _pos=None) -> str:
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    return f"{x:,.1f}"


def _as_month_index(index) -> pd.PeriodIndex:
    if isinstance(index, pd.PeriodIndex):
        return index.asfreq("M")
    return pd.PeriodIndex(pd.Index(index).astype(str), freq="M")


def _break_month(value) -> pd.Period:
    text = str(value).strip()
    if re.match(r"^\d{4}\s*/\s*\d{2}$", text):  # a financial year: it starts in April
        from sa_toolkit.periods import FinancialYear

        return FinancialYear.parse(text).first_month
    return pd.Period(text, freq="M")


def _breaks_mapping(breaks) -> dict[pd.Period, str]:
    """Months -> labels from a list, a mapping, or a frame like ``series_breaks.csv``.

    A frame needs ``month`` or ``first_period`` (a month ``2022-04`` or a financial year
    ``2008/09``) and may give the label in ``label``, ``comparison_note`` or ``reason``.
    """
    if breaks is None:
        return {}
    if isinstance(breaks, pd.DataFrame):
        cols = {c.lower(): c for c in breaks.columns}
        month_col = cols.get("month") or cols.get("first_period") or cols.get("first_month")
        if month_col is None:
            raise ArgumentError("series breaks table needs a 'month' or 'first_period' column")
        label_col = cols.get("label") or cols.get("comparison_note") or cols.get("reason")
        labels = breaks[label_col] if label_col else ["Series break"] * len(breaks)
        breaks = dict(zip(breaks[month_col], labels, strict=True))
    if not isinstance(breaks, Mapping):
        breaks = {month: "Series break" for month in breaks}
    out = {}
    for month, label in breaks.items():
        text = str(label) if isinstance(label, str) and label.strip() else "Series break"
        out[_break_month(month)] = "\n".join(textwrap.wrap(text, 30))
    return dict(sorted(out.items()))


# ----------------------------------------------------------------------------- builders


def monthly_trend(
    monthly: pd.Series | pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    breaks=None,
    measure: str = "Offences",
    rolling: int = 12,
    financial_years: bool = True,
    figsize: tuple[float, float] = (10.0, 5.0),
):
    """Monthly counts with a rolling 12-month average and financial-year totals.

    The line is never drawn across a series break: each segment between breaks is
    drawn (and its rolling average computed) on its own, and each break is marked by a
    dashed vertical line and its label. A missing month (NaN, or absent from the index
    inside its span) is a gap, never a zero: the monthly line breaks there, the month is
    shaded and labelled "No data", no rolling average is drawn over a window that holds it,
    and a financial year that lacks it gets no total bar.

    Parameters
    ----------
    monthly : Series or DataFrame
        Counts indexed by month (``period[M]`` or anything ``pd.Period`` parses); a
        DataFrame draws one line per column (up to 6).
    title, subtitle, source : str
        See :func:`new_figure`.
    breaks : sequence of months, mapping month -> label, or DataFrame, optional
        First month of each new series (e.g. ``{"2023-04": "Recording rule change"}``;
        a frame needs ``month`` and optionally ``label``).
    measure : str
        Y-axis label.
    rolling : int
        Window of the rolling average in months (only months within one segment).
    financial_years : bool
        Add a panel of financial-year totals (complete years only).

    Returns
    -------
    matplotlib.figure.Figure
    """
    frame = monthly.to_frame() if isinstance(monthly, pd.Series) else monthly.copy()
    if frame.empty:
        raise ArgumentError("monthly_trend: no data to draw")
    if frame.shape[1] > len(CATEGORICAL):
        raise ArgumentError(f"monthly_trend: at most {len(CATEGORICAL)} series on one chart")
    frame.index = _as_month_index(frame.index)
    frame = frame.groupby(level=0).sum(min_count=1).sort_index()
    full = pd.period_range(frame.index.min(), frame.index.max(), freq="M")
    frame = frame.reindex(full).astype(float)
    break_map = {m: lab for m, lab in _breaks_mapping(breaks).items() if full[0] < m <= full[-1]}
    edges = [full[0], *break_map, full[-1] + 1]

    groups = magnitude_groups(frame)
    rows = len(groups)
    if rows > 1:  # a small series gets its own axis (see magnitude_groups)
        figsize = (figsize[0], figsize[1] + SMALL_MULTIPLE_HEIGHT * (rows - 1))
    if financial_years:
        fig, axes = new_figure(
            title,
            subtitle,
            source,
            nrows=rows,
            ncols=2,
            figsize=figsize,
            gridspec_kw={"width_ratios": [2.3, 1]},
        )
        axes = np.asarray(axes).reshape(rows, 2)
    else:
        fig, axes = new_figure(title, subtitle, source, nrows=rows, figsize=figsize)
        axes = np.column_stack([np.asarray(axes).reshape(rows), [None] * rows])

    colours = {column: CATEGORICAL[i] for i, column in enumerate(frame.columns)}
    multi = frame.shape[1] > 1
    threshold = _threshold()
    for row, columns in enumerate(groups):
        ax, ax_fy = axes[row]
        part = frame[columns]
        _draw_monthly(ax, part, colours, edges, break_map, measure, rolling, multi, full, threshold)
        if rows > 1 and row > 0:
            ax.set_title("Smaller series, on their own scale", loc="left", fontsize=9)
        if ax_fy is not None:
            _financial_year_panel(
                ax_fy, part, break_map, measure, [colours[c] for c in columns], title=row == 0
            )
    _attach(fig, "trend_table", frame, measure)
    return fig


def _attach(fig, builder: str, *args) -> None:
    """Record the figure's data for its table (:mod:`sa_toolkit.figure_data`)."""
    from sa_toolkit import figure_data

    figure_data.attach(fig, *getattr(figure_data, builder)(*args))


#: A series whose typical monthly value is under a fifth of the largest series' would use
#: under a fifth of a shared axis, where its changes cannot be read (gun crime, about 10
#: a month, beside robbery, about 110): it is drawn on an axis of its own.
SMALL_SERIES_RATIO = 5.0
#: inches added to a trend chart for each extra axis
SMALL_MULTIPLE_HEIGHT = 2.6


def magnitude_groups(frame: pd.DataFrame, ratio: float = SMALL_SERIES_RATIO) -> list[list]:
    """Columns of a monthly frame grouped to share an axis, largest series first.

    Series are ranked by their mean monthly value; a series whose mean is more than
    ``ratio`` times smaller than the largest of its group starts a new group. Within a
    group the frame's column order is kept.
    """
    levels = frame.mean(skipna=True)
    order = levels.sort_values(ascending=False, na_position="last").index
    groups: list[list] = []
    top = None
    for column in order:
        level = levels[column]
        if top is None or (not pd.isna(level) and level * ratio < top):
            groups.append([column])
            top = level
        else:
            groups[-1].append(column)
    position = {column: i for i, column in enumerate(frame.columns)}
    return [sorted(group, key=position.__getitem__) for group in groups]


def _threshold() -> int:
    from sa_toolkit.figure_data import suppression_threshold

    return suppression_threshold()


def small_count_series(frame: pd.DataFrame, threshold: int) -> list:
    """Columns holding a month from 1 to ``threshold - 1``: their monthly line would show a
    count the tables hide, so only their rolling average is drawn."""
    if threshold <= 1:
        return []
    small = (frame >= 1) & (frame < threshold)
    return [column for column in frame.columns if bool(small[column].any())]


def _draw_monthly(
    ax, frame, colours, edges, break_map, measure, rolling, multi, full, threshold=0
) -> None:
    """One axis of a trend chart: monthly lines, rolling averages, gaps and breaks.

    A series with a month of 1 to ``threshold - 1`` is drawn as its rolling average only
    (disclosure control: the line's height would give the month's count away), and the
    legend says so.
    """
    x_all = full.to_timestamp()
    averaged_only = small_count_series(frame, threshold)
    for column in frame.columns:
        colour = colours[column]
        name = measure if column is None or column == 0 else str(column)
        for seg, (start, stop) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
            part = frame.loc[(frame.index >= start) & (frame.index < stop), column]
            x = part.index.to_timestamp()
            if column not in averaged_only:
                ax.plot(x, part.values, color=colour, alpha=0.45, linewidth=1)
            roll = part.rolling(rolling, min_periods=rolling).mean()
            ax.plot(
                x,
                roll.values,
                color=colour,
                linewidth=2.2,
                label=(name if multi else f"{name}: {rolling}-month average") if seg == 0 else None,
            )
    if multi:  # colours name the series; these two entries explain the line weights
        ax.plot([], [], color=TEXT_GREY, linewidth=2.2, label=f"{rolling}-month average")
    if len(averaged_only) < frame.shape[1]:
        ax.plot([], [], color=TEXT_GREY if multi else CATEGORICAL[0], alpha=0.45, label="Monthly")
    if averaged_only:
        which = "" if not multi else f" of {', '.join(str(c) for c in averaged_only)}"
        ax.plot(
            [],
            [],
            linestyle="none",
            label=f"Monthly figures{which} not drawn: some months had fewer than {threshold}",
        )
    _mark_missing_months(ax, frame)
    for month, label in break_map.items():
        x = month.to_timestamp()
        ax.axvline(x, color="black", linestyle="--", linewidth=1)
        ax.annotate(
            label if label == "Series break" else f"Series break:\n{label}",
            xy=(x, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -2),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=8,
            color="black",
            bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"},
        )
    ax.set_ylabel(measure)
    ax.set_ylim(bottom=0)
    ax.set_xlim(x_all[0], x_all[-1])
    # Ticks at the start of financial years (April) so years read as the board reads them.
    if len(full) > 96:
        locator = YearLocator(2, month=4)
    elif len(full) > 30:
        locator = MonthLocator(bymonth=4)
    else:
        locator = MonthLocator(bymonth=[1, 4, 7, 10])
    # The limits are fixed, so the ticks are found once (a date locator recomputes its
    # calendar rule every time the axis is measured or drawn, dozens of times a save).
    ax.xaxis.set_major_locator(FixedLocator(locator.tick_values(*num2date(ax.get_xlim()))))
    ax.xaxis.set_major_formatter(DateFormatter("%b\n%Y"))
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    # Below the plot, so that long series names never cover the data or squeeze the axes.
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(0, -0.16),
        ncols=2,
        fontsize=8,
        borderaxespad=0,
    )


def missing_months(frame: pd.DataFrame) -> pd.PeriodIndex:
    """Months of a monthly frame (``period[M]`` index) where no series has a value."""
    return frame.index[frame.isna().all(axis=1).to_numpy()]


def _mark_missing_months(ax, frame: pd.DataFrame) -> None:
    """Shade each run of months without data and label it, so a gap reads as missing."""
    from sa_toolkit.coverage import runs

    for i, (first, last) in enumerate(runs(missing_months(frame))):
        ax.axvspan(
            first.to_timestamp(),
            (last + 1).to_timestamp(),
            facecolor="#d9d9d9",
            edgecolor=TEXT_GREY,
            hatch="//",
            linewidth=0,
            label="No data for the month" if i == 0 else None,
        )
        ax.annotate(
            "No data",
            xy=(first.to_timestamp(), 0),
            xycoords=("data", "axes fraction"),
            xytext=(1, 2),
            textcoords="offset points",
            fontsize=7,
            color="black",
            rotation=90,
        )


def _financial_year_panel(
    ax, frame: pd.DataFrame, break_map, measure: str, colours=CATEGORICAL, title: bool = True
) -> None:
    idx = frame.index
    start = idx.year - (idx.month < 4).astype(int)
    labels = np.array([f"{s}/{(s + 1) % 100:02d}" for s in start])
    # a year is complete when all twelve months hold data (a missing month is no zero)
    has_data = pd.Series(frame.notna().any(axis=1).to_numpy(), index=idx)
    complete = has_data.groupby(labels).sum() == 12
    years = [y for y in complete.index if complete[y]]
    if not years:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No complete financial year", ha="center", transform=ax.transAxes)
        return
    totals = frame.groupby(labels).sum(min_count=12).loc[years]
    n = totals.shape[1]
    width = 0.8 / n
    positions = np.arange(len(years))
    break_years = {}
    for month in break_map:
        s = month.year - (month.month < 4)
        break_years[f"{s}/{(s + 1) % 100:02d}"] = month.month != 4
    for i, column in enumerate(totals.columns):
        bars = ax.bar(
            positions + (i - (n - 1) / 2) * width,
            totals[column].values,
            width=width,
            color=colours[i],
        )
        for bar, year in zip(bars, years, strict=True):
            if break_years.get(year):  # a break inside the year: its total mixes two series
                bar.set_hatch("///")
                bar.set_edgecolor("white")
    for year, mid_year in break_years.items():
        if year in years:
            pos = years.index(year) - (0 if mid_year else 0.5)
            ax.axvline(pos, color="black", linestyle="--", linewidth=1)
    if any(break_years.get(y) for y in years):
        ax.text(
            0,
            -0.32,
            "Hatched: the year spans a series break",
            transform=ax.transAxes,
            fontsize=8,
            color=TEXT_GREY,
            va="top",
        )
    ax.set_xticks(positions, years, rotation=45, ha="right")
    if title:
        ax.set_title("Financial-year totals", loc="left", fontsize=10)
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    if n == 1:
        from sa_toolkit.figure_data import suppression_threshold

        threshold = suppression_threshold()
        for pos, value in zip(positions, totals.iloc[:, 0].values, strict=True):
            # a year's total below the threshold is written as "<N", as in every table
            small = 1 <= value < threshold
            ax.annotate(
                f"<{threshold}" if small else _thousands(value),
                (pos, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )


def bar_chart(
    values: pd.Series,
    *,
    title: str,
    subtitle: str,
    source: str,
    highlight: str | Sequence[str] | None = None,
    status: pd.Series | None = None,
    reference: float | None = None,
    reference_label: str = "Average",
    value_format: str = "{:,.0f}",
    sort: bool = True,
    xlabel: str | None = None,
    figsize: tuple[float, float] | None = None,
    threshold: int = 0,
):
    """Horizontal bar (rank) chart, largest at the top, each bar labelled with its value.

    Parameters
    ----------
    values : Series
        Values indexed by label (place, offence group, peer...).
    highlight : str or list of str, optional
        Labels drawn in the main colour; the others in grey (e.g. the partnership among
        its peers). Without it every bar is in the main colour.
    status : Series, optional
        Traffic light per label ("Red"/"Amber"/"Green"); colours the bar and always
        writes the label text after the value.
    reference : float, optional
        A vertical reference line (peer average, target).
    value_format : str
        Format of the value labels.
    threshold : int
        For counts: a value from 1 to ``threshold - 1`` is labelled ``<threshold`` and
        drawn with no bar (its length would show the count); 0 for rates and shares.
    """
    if values.empty:
        raise ArgumentError("bar_chart: no data to draw")
    data = values.astype(float)
    from sa_toolkit.disclosure import is_small

    hidden = pd.Series(is_small(data, threshold), index=data.index) if threshold > 1 else None
    if sort:
        data = data.sort_values(ascending=True)
    else:
        data = data.iloc[::-1]
    labels = [str(i) for i in data.index]
    if figsize is None:
        figsize = (9.0, max(3.0, 0.32 * len(data) + 1.6))
    fig, ax = new_figure(title, subtitle, source, figsize=figsize)
    highlights = {highlight} if isinstance(highlight, str) else set(highlight or [])
    colours = []
    texts = []
    for label, value in zip(data.index, data.values, strict=True):
        text = "" if pd.isna(value) else value_format.format(value)
        if hidden is not None and bool(hidden.get(label, False)):
            text = f"<{threshold}"
        if status is not None:
            light = rag_label(status.get(label))
            colours.append(RAG_COLOURS.get(light, CONTEXT))
            text = f"{text}  {light}"
        elif highlights:
            colours.append(MAIN if str(label) in {str(h) for h in highlights} else CONTEXT)
        else:
            colours.append(MAIN)
        texts.append(text)
    positions = np.arange(len(data))
    drawn = data.where(~hidden.reindex(data.index)) if hidden is not None else data
    ax.barh(positions, np.nan_to_num(drawn.values), color=colours, height=0.7)
    ax.set_yticks(positions, labels)
    for pos, value, text in zip(positions, drawn.values, texts, strict=True):
        ax.annotate(
            text,
            (0 if pd.isna(value) else value, pos),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    if reference is not None:
        ax.axvline(reference, color="black", linestyle="--", linewidth=1)
        ax.annotate(
            f"{reference_label}: {value_format.format(reference)}",
            xy=(reference, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=8,
            va="bottom",
        )
    for label in ax.get_yticklabels():
        if label.get_text() in {str(h) for h in highlights}:
            label.set_fontweight("bold")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.margins(x=0.15)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    if xlabel:
        ax.set_xlabel(xlabel)
    _attach(fig, "bar_table", data, status, xlabel)
    return fig


def funnel_plot(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    average: float,
    highlight: str | None = None,
    xlabel: str = "Population",
    ylabel: str = "Rate per 1,000",
    figsize: tuple[float, float] = (9.0, 5.5),
):
    """Funnel plot: each area's value against its denominator, with control limits.

    Parameters
    ----------
    points : DataFrame
        Columns ``label``, ``denominator``, ``value``.
    limits : DataFrame
        Columns ``denominator`` and any of ``lower_95, upper_95, lower_998, upper_998``
        (e.g. from the indicators' funnel limits), sorted or not.
    average : float
        The centre line (peer or national value).
    highlight : str, optional
        The label of the partnership, drawn in the main colour and named.
    """
    missing = {"label", "denominator", "value"} - set(points.columns)
    if missing:
        raise ArgumentError(f"funnel_plot: points need columns {sorted(missing)}")
    if "denominator" not in limits.columns:
        raise ArgumentError("funnel_plot: limits need a 'denominator' column")
    fig, ax = new_figure(title, subtitle, source, figsize=figsize)
    lim = limits.sort_values("denominator")
    styles = {"95": ("--", "95% limits"), "998": (":", "99.8% limits")}
    for level, (style, name) in styles.items():
        for side in ("lower", "upper"):
            col = f"{side}_{level}"
            if col in lim.columns:
                ax.plot(
                    lim["denominator"],
                    lim[col],
                    color=TEXT_GREY,
                    linestyle=style,
                    linewidth=1.2,
                    label=name if side == "lower" else None,
                )
    ax.axhline(average, color="black", linewidth=1, label=f"Average ({average:,.1f})")
    others = points[points["label"] != highlight] if highlight else points
    ax.scatter(others["denominator"], others["value"], color=CONTEXT, edgecolor=TEXT_GREY, s=36)
    ax.scatter([], [], color=CONTEXT, edgecolor=TEXT_GREY, s=36, label="Peers")
    if highlight is not None:
        own = points[points["label"] == highlight]
        if own.empty:
            raise ArgumentError(f"funnel_plot: highlighted area {highlight!r} is not in points")
        ax.scatter(own["denominator"], own["value"], color=MAIN, s=70, zorder=3, label=highlight)
        for _, row in own.iterrows():
            ax.annotate(
                str(row["label"]),
                (row["denominator"], row["value"]),
                xytext=(6, 4),
                textcoords="offset points",
                fontweight="bold",
                fontsize=9,
            )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.legend(loc="upper right")
    _attach(fig, "funnel_table", points, xlabel, ylabel, average)
    return fig


def lorenz_curve(counts: pd.Series) -> pd.DataFrame:
    """Cumulative shares of places and of counts, places ordered from most to fewest.

    Returns a frame starting at (0, 0) with columns ``share_of_places`` and
    ``share_of_count`` (fractions 0..1).
    """
    # one Lorenz curve implementation (indicators.concentration, least to most); read from the
    # other end, it gives the share held by the most affected places
    from sa_toolkit.indicators.concentration import lorenz_curve as least_first

    values = pd.Series(counts, dtype=float).fillna(0)
    if len(values) == 0 or values.sum() <= 0:
        raise ArgumentError("concentration curve: needs at least one place with a count above 0")
    frame = pd.DataFrame({"place": np.arange(len(values)), "count": values.to_numpy()})
    curve = least_first(frame, "place", "count")
    return pd.DataFrame(
        {
            "share_of_places": 1 - curve["share_of_areas"].to_numpy()[::-1],
            "share_of_count": 1 - curve["share_of_offences"].to_numpy()[::-1],
        }
    )


def share_of_places_holding(counts: pd.Series, share: float = 0.5) -> float:
    """Smallest fraction of places (most affected first) holding ``share`` of the count."""
    curve = lorenz_curve(counts)
    reached = curve[curve["share_of_count"] >= share - 1e-12]
    return float(reached["share_of_places"].iloc[0])


def concentration_curve(
    counts: pd.Series,
    *,
    title: str,
    subtitle: str,
    source: str,
    place: str = "areas",
    figsize: tuple[float, float] = (7.5, 5.5),
):
    """Concentration (Lorenz) curve of counts across places, with the line of equality.

    Marks the share of places that hold half of the count.
    """
    curve = lorenz_curve(counts)
    half = share_of_places_holding(counts, 0.5)
    fig, ax = new_figure(title, subtitle, source, figsize=figsize)
    ax.plot([0, 1], [0, 1], color=TEXT_GREY, linestyle="--", linewidth=1, label="Equal spread")
    ax.plot(
        curve["share_of_places"],
        curve["share_of_count"],
        color=MAIN,
        drawstyle="steps-post" if len(curve) < 15 else "default",
        label="Cumulative share",
    )
    ax.plot([half, half, 0], [0, 0.5, 0.5], color=CATEGORICAL[3], linewidth=1)
    ax.annotate(
        f"{half:.0%} of {place} hold half",
        (half, 0.5),
        xytext=(6, -12),
        textcoords="offset points",
        fontsize=9,
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(f"Share of {place} (most affected first)")
    ax.set_ylabel("Cumulative share of the count")
    ax.legend(loc="lower right")
    _attach(fig, "concentration_table", curve, place)
    return fig


def sequential_cmap() -> LinearSegmentedColormap:
    """Light-to-dark Analysis Function sequential colour map."""
    return LinearSegmentedColormap.from_list("af_sequential", ["#F2F2F2", *SEQUENTIAL[::-1]])


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def heat_map(
    table: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    colorbar_label: str = "Offences",
    xlabel: str = "Hour of day",
    figsize: tuple[float, float] = (10.0, 4.8),
    counts: bool = True,
):
    """Hour x weekday (or any two-way) heat map in the sequential palette.

    Parameters
    ----------
    table : DataFrame
        Rows (e.g. weekdays, Monday first) by columns (e.g. hours 0..23) of counts.
        The maximum cell is outlined and labelled with its value.
    counts : bool
        The cells are counts (the default): the data table rounds them to whole numbers
        and hides small ones. ``False`` for shares or rates.
    """
    if table.empty:
        raise ArgumentError("heat_map: no data to draw")
    values = table.to_numpy(dtype=float)
    fig, ax = new_figure(title, subtitle, source, figsize=figsize)
    image = ax.imshow(values, aspect="auto", cmap=sequential_cmap(), interpolation="nearest")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns])
    ax.set_yticks(range(table.shape[0]), [str(r) for r in table.index])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if np.isfinite(values).any():
        row, col = np.unravel_index(np.nanargmax(values), values.shape)
        ax.add_patch(
            Rectangle(
                (col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=CATEGORICAL[3], linewidth=2
            )
        )
        ax.annotate(
            _thousands(values[row, col]),
            (col, row),
            ha="center",
            va="center",
            fontsize=8,
            color="white",
            fontweight="bold",
        )
    ax.set_xlabel(xlabel)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(colorbar_label)
    bar.outline.set_visible(False)
    _attach(fig, "grid_table", table, "Row", xlabel, counts)
    return fig


def age_profile(
    shares: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    population: str = "Population",
    figsize: tuple[float, float] | None = None,
):
    """Age profile of groups (victims, suspects...) against the population's share.

    Parameters
    ----------
    shares : DataFrame
        Index: age bands (youngest first); columns: groups and the population column,
        each a share (0..1) of its total.
    population : str
        Name of the population column, drawn as black markers over the bars.
    """
    if population not in shares.columns:
        raise ArgumentError(f"age_profile: shares need a '{population}' column")
    groups = [c for c in shares.columns if c != population]
    if not groups:
        raise ArgumentError("age_profile: no group to compare with the population")
    if figsize is None:
        figsize = (9.0, max(4.0, 0.45 * len(shares) + 1.8))
    fig, ax = new_figure(title, subtitle, source, figsize=figsize)
    positions = np.arange(len(shares))[::-1]
    height = 0.8 / len(groups)
    for i, group in enumerate(groups):
        offset = (i - (len(groups) - 1) / 2) * height
        ax.barh(
            positions - offset,
            shares[group].astype(float).values,
            height=height,
            color=CATEGORICAL[i],
            label=str(group),
        )
    ax.scatter(
        shares[population].astype(float).values,
        positions,
        marker="D",
        color="black",
        zorder=3,
        s=28,
        label=f"{population} share",
    )
    ax.set_yticks(positions, [str(i) for i in shares.index])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel("Share of each group")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncols=3, fontsize=8, borderaxespad=0)
    _attach(fig, "shares_table", shares)
    return fig


def density_map(
    longitude,
    latitude,
    *,
    title: str,
    subtitle: str,
    source: str,
    gridsize: int = 40,
    min_count: int = 1,
    labels: pd.DataFrame | None = None,
    colorbar_label: str = "Offences per hexagon",
    figsize: tuple[float, float] = (8.0, 7.0),
):
    """Point-density map: hexagonal bins of longitude and latitude (no web tiles).

    Points without coordinates are left out (say how many in the subtitle). Hexagons
    holding fewer than ``min_count`` points are not drawn (pass the suppression
    threshold so that single addresses cannot be picked out).

    Parameters
    ----------
    longitude, latitude : array-like
        WGS84 coordinates.
    labels : DataFrame, optional
        Columns ``longitude``, ``latitude``, ``label`` of places to name (e.g. the top
        wards' centroids).
    """
    lon = pd.to_numeric(pd.Series(np.asarray(longitude)), errors="coerce")
    lat = pd.to_numeric(pd.Series(np.asarray(latitude)), errors="coerce")
    keep = lon.notna() & lat.notna()
    if not keep.any():
        raise ArgumentError("density_map: no point has coordinates")
    lon, lat = lon[keep].to_numpy(), lat[keep].to_numpy()
    fig, ax = new_figure(title, subtitle, source, figsize=figsize)
    hexes = ax.hexbin(
        lon,
        lat,
        gridsize=gridsize,
        mincnt=max(1, int(min_count)),
        cmap=sequential_cmap(),
        linewidths=0.2,
        edgecolors="white",
    )
    # Equal distances on the ground: a degree of longitude shrinks with cos(latitude).
    ax.set_aspect(1 / np.cos(np.deg2rad(np.nanmean(lat))))
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if labels is not None:
        for _, row in labels.iterrows():
            ax.annotate(
                str(row["label"]),
                (row["longitude"], row["latitude"]),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    bar = fig.colorbar(hexes, ax=ax, fraction=0.04, pad=0.02, shrink=0.8)
    bar.set_label(colorbar_label)
    bar.outline.set_visible(False)
    # Its data table: the hexagons by how many points each holds, those left undrawn
    # included (counted on a figure never drawn: the same grid, from the same extent).
    every = Figure().add_subplot().hexbin(lon, lat, gridsize=gridsize, mincnt=1)
    _attach(fig, "hexagon_table", every.get_array(), min_count, colorbar_label)
    return fig
