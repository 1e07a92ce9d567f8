"""Helpers shared by the drugs and alcohol, re-offending and safer communities analyses.

:class:`TableStore` reads each processed table once (only the columns asked for) and
serves the same frames to the performance framework, so that a notebook never reads a
table twice. :func:`priority_framework` builds the framework rows of one priority through the shared
:mod:`sa_toolkit.analysis.priority_framework` (whose ``framework_table`` and
``framework_concerns`` the notebooks use to show them), fed from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sa_toolkit.errors import UserError
from sa_toolkit.tables import read_table
from sa_toolkit.time_windows import fri_sat_night  # noqa: F401 - part of this API

FRI_SAT_NIGHT = "Friday and Saturday nights (22:00 to 03:00)"


@dataclass
class TableStore:
    """Processed tables read once each, with the columns each analysis needs.

    ``columns`` maps a table name to the columns to read (None: all); ``filters`` to
    pyarrow filters applied while reading. A table that is not there is ``None``.
    """

    processed_dir: object
    columns: dict[str, list[str] | None]
    filters: dict[str, list] = field(default_factory=dict)
    _frames: dict[str, pd.DataFrame | None] = field(default_factory=dict, repr=False)

    def get(self, name: str) -> pd.DataFrame | None:
        if name not in self._frames:
            try:
                self._frames[name] = read_table(
                    name,
                    self.processed_dir,
                    columns=self.columns.get(name),
                    filters=self.filters.get(name),
                )
            except UserError:
                self._frames[name] = None
        return self._frames[name]

    def reader(self, name, processed_dir=None, columns=None, fallback=None) -> pd.DataFrame:
        """A ``DataSource.reader``: the stored frame (its columns), else ``fallback`` (or
        a plain read) for tables the store does not hold."""
        frame = self.get(name) if name in self.columns else None
        if frame is None:
            return (fallback or read_table)(name, processed_dir, columns=columns)
        if columns is not None and set(columns) <= set(frame.columns):
            return frame[list(columns)]
        return frame


def year_of_month(months: pd.Series) -> np.ndarray:
    """Financial-year start year of each ``period[M]`` value (April starts a year)."""
    idx = pd.PeriodIndex(months, freq="M")
    return np.asarray(idx.year - (idx.month < 4).astype(int))


#: how ``up_to_year`` reads a period column: a survey ``wave`` (fieldwork calendar year), a
#: calendar ``quarter`` ("2024Q1"), a ``financial_year`` ("2024/25"), a ``calendar_year``
#: (STATS19 ``year``) or a ``month`` (``period[M]``)
PERIOD_KINDS = ("wave", "quarter", "financial_year", "calendar_year", "month")


def up_to_year(frame: pd.DataFrame | None, year, column: str, kind: str) -> pd.DataFrame | None:
    """Rows of ``frame`` whose period (``column``, read as ``kind``) is over by the end of
    the financial year ``year``, so that a report for a past year never shows later data.

    - ``wave``: fieldwork year at most the year's closing calendar year (2023 for 2022/23),
      as the framework's survey indicators choose the wave in effect;
    - ``quarter``: calendar quarters ending by the year's last month (2023Q1 for 2022/23);
    - ``financial_year``: that year or earlier;
    - ``calendar_year``: calendar years ending within or before it (2022 for 2022/23; the
      framework's figure for a financial year is its starting calendar year's);
    - ``month``: months up to the year's last month.

    ``None`` (a table not supplied) stays ``None``; ``year=None`` keeps every row.
    """
    if frame is None or year is None:
        return frame
    if kind not in PERIOD_KINDS:
        raise ValueError(f"kind must be one of {', '.join(PERIOD_KINDS)}, not {kind!r}")
    values = frame[column]
    if kind == "wave":
        keep = pd.to_numeric(values, errors="coerce") <= year.start_year + 1
    elif kind == "calendar_year":
        keep = pd.to_numeric(values, errors="coerce") <= year.start_year
    elif kind == "financial_year":
        starts = pd.to_numeric(values.astype(str).str[:4], errors="coerce")
        keep = starts <= year.start_year
    elif kind == "quarter":
        last = pd.Period(year.last_month, freq="M").asfreq("Q")
        keep = pd.Series(pd.PeriodIndex(values.astype(str), freq="Q") <= last, index=frame.index)
    else:
        keep = pd.Series(pd.PeriodIndex(values, freq="M") <= year.last_month, index=frame.index)
    return frame[keep.fillna(False).to_numpy(dtype=bool)]


def priority_framework(cfg, priority: str, store: TableStore | None = None) -> pd.DataFrame:
    """Framework rows of one priority (``analysis.priority_framework``), computed from the
    tables of ``store`` so that nothing is read twice."""
    from sa_toolkit.analysis import priority_framework as shared

    src = shared.local_source(cfg)
    if store is not None:
        fallback = src.reader

        def reader(name, processed_dir, columns=None):
            return store.reader(name, processed_dir, columns, fallback=fallback)

        src.reader = reader
    return shared.priority_framework(cfg, priority, src)


def rag_counts_sentence(frame: pd.DataFrame, what: str) -> str:
    """``"Of 6 rated indicators for drugs and alcohol, 2 are green, 1 amber and 3 red."``"""
    rated = frame[frame["rag"].isin(["G", "A", "R"])]
    if rated.empty:
        return f"No indicator for {what} could be rated this year."
    n = rated["rag"].value_counts()
    return (
        f"Traffic lights of the {len(rated)} rated indicator{'s' if len(rated) > 1 else ''} "
        f"for {what}: {n.get('G', 0)} "
        f"green, {n.get('A', 0)} amber and {n.get('R', 0)} red."
    )


def interval_chart(
    values: pd.DataFrame,
    *,
    x: str,
    series: str | None,
    title: str,
    subtitle: str,
    source: str,
    ylabel: str,
    reference: float | None = None,
    reference_label: str = "Target",
    percent: bool = False,
    connect: bool = True,
    figsize: tuple[float, float] = (9.0, 4.8),
    legend_suffix: str = "",
):
    """Values with their confidence intervals over ``x`` (one line per ``series``).

    ``values`` needs ``x``, ``value``, ``lower``, ``upper`` (and ``series``). Missing
    values leave a gap; the interval is drawn as an error bar. ``connect=False`` draws
    points only (for categories rather than periods); ``legend_suffix`` follows each
    series' name in the legend (e.g. " (95% interval)").
    """
    from matplotlib.ticker import FuncFormatter

    from sa_toolkit import charts

    labels = list(dict.fromkeys(values[x].astype(str)))
    position = {label: i for i, label in enumerate(labels)}
    groups = [(None, values)] if series is None else list(values.groupby(series, sort=False))
    # a series far smaller than the others gets an axis of its own (charts.magnitude_groups)
    levels = pd.DataFrame(
        {
            i: part["value"].astype(float).reset_index(drop=True)
            for i, (_, part) in enumerate(groups)
        }
    )
    rows = charts.magnitude_groups(levels)
    height = figsize[1] + charts.SMALL_MULTIPLE_HEIGHT * (len(rows) - 1)
    fig, axes = charts.new_figure(
        title, subtitle, source, nrows=len(rows), figsize=(figsize[0], height)
    )
    axes = np.atleast_1d(axes)
    width = 0.35 / max(1, len(groups))
    for row, (ax, members) in enumerate(zip(axes, rows, strict=True)):
        for i in members:
            name, part = groups[i]
            offset = (i - (len(groups) - 1) / 2) * width
            xs = np.array([position[str(v)] for v in part[x]]) + offset
            v = part["value"].astype(float).to_numpy()
            err = np.vstack(
                [
                    v - part["lower"].astype(float).to_numpy(),
                    part["upper"].astype(float).to_numpy() - v,
                ]
            )
            ax.errorbar(
                xs,
                v,
                yerr=err,
                color=charts.CATEGORICAL[i % len(charts.CATEGORICAL)],
                marker="o",
                capsize=3,
                linewidth=1.8,
                linestyle="-" if connect else "none",
                label=None if name is None else f"{name}{legend_suffix}",
            )
        if reference is not None and row == 0:
            ax.axhline(reference, color="black", linestyle="--", linewidth=1)
            ax.annotate(
                f"{reference_label}: {reference:,.0f}{'%' if percent else ''}",
                xy=(1, reference),
                xycoords=("axes fraction", "data"),
                xytext=(-3, 3),
                textcoords="offset points",
                ha="right",
                fontsize=8,
            )
        if row > 0:
            ax.set_title("Smaller series, on their own scale", loc="left", fontsize=9)
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        if percent:
            ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _p: f"{y:.0f}%"))
        if series is not None:
            ax.legend(loc="best", fontsize=8)
    from sa_toolkit import figure_data  # the figure's data table (accessible reports)

    figure_data.attach(fig, *figure_data.interval_table(values, x, series, ylabel))
    return fig


def breaks_for(indicator_ids, raw_dir=None) -> dict:
    """Series breaks of these indicators as ``{first month: label}`` for ``monthly_trend``:
    the breaks that make years not comparable (package registry and, with ``raw_dir``, the
    partnership's own ``series_breaks.csv``)."""
    from sa_toolkit.indicators.catalogue import load_series_breaks

    breaks = load_series_breaks(raw_dir=raw_dir)
    rows = breaks[
        breaks["indicator"].astype(str).isin(list(indicator_ids))
        & (breaks["effect"] == "not_comparable")
    ]
    out = {}
    for row in rows.itertuples(index=False):
        period = str(row.first_period)
        if len(period) == 4 and period.isdigit():
            period = f"{period}-01"
        out[period] = str(row.comparison_note)
    return out


def combine_small(counts: pd.Series, threshold: int, label: str = "Other") -> pd.Series:
    """Counts below ``threshold`` merged into one ``label`` row; dropped if that is small too.

    For charts of shares, where a small count could be worked out from its percentage.
    """
    counts = counts.astype(int)
    small = (counts > 0) & (counts < threshold)
    if not small.any():
        return counts
    out = counts[~small]
    merged = int(counts[small].sum())
    if merged >= threshold:
        out = pd.concat([out, pd.Series({label: merged})])
    return out


#: a ward percentage from fewer answers than this is not shown (too imprecise, and a
#: handful of answers could identify a respondent)
MIN_RESPONDENTS = 30


def survey_ward_table(
    by_ward: pd.DataFrame,
    ward_names: pd.Series,
    label_column: str = "question",
    min_respondents: int = MIN_RESPONDENTS,
) -> pd.DataFrame:
    """Ward x question text table: ``"38% (27-53)"`` or ``"fewer than 30 answers"``.

    ``by_ward`` is ``survey_percentages(..., by=("ward_code",))`` output for one or more
    questions (named in ``label_column``). Rows sorted by the first question, highest first.
    """
    frame = by_ward.assign(
        ward=by_ward["ward_code"].astype(str).map(ward_names.astype(str)).fillna("Unknown ward")
    )
    enough = frame["respondents"] >= min_respondents
    text = np.where(
        enough,
        [f"{v:.0f}% ({lo:.0f}-{hi:.0f})" for v, lo, hi in
         zip(frame["value"], frame["lower"], frame["upper"], strict=True)],
        f"fewer than {min_respondents} answers",
    )  # fmt: skip
    frame = frame.assign(text=text, sort=np.where(enough, frame["value"], -1.0))
    labels = list(dict.fromkeys(frame[label_column]))
    table = frame.pivot(index="ward", columns=label_column, values="text")[labels]
    order = frame[frame[label_column] == labels[0]].set_index("ward")["sort"]
    table = table.loc[order.sort_values(ascending=False).index]
    table.columns.name = None
    return table.reset_index().rename(columns={"ward": "Ward"})


#: datasets that are not partner extracts: (what it is, where it goes in the raw folder, where
#: to get it); partner extracts take theirs from ``sa_toolkit.partner_datasets.DATASETS``
OTHER_DATASETS = {
    "police_street": ("data.police.uk street-level crime download",
                      "police_uk/YYYY-MM/YYYY-MM-<force>-street.csv", "data.police.uk"),
    "police_outcomes": ("data.police.uk outcomes download",
                        "police_uk/YYYY-MM/YYYY-MM-<force>-outcomes.csv", "data.police.uk"),
    "police_stop_search": ("data.police.uk stop and search download",
                           "police_uk/YYYY-MM/YYYY-MM-<force>-stop-and-search.csv",
                           "data.police.uk"),
    "msg_crime": ("Most Similar Group (MSG) recorded crime table", "msg/recorded_crime_msg.csv",
                  "the Home Office iQuanta MSG tables; layout in docs/data_log.md"),
    "population": ("population estimate table", "geography/population/*.csv",
                   "ONS mid-year estimates by LSOA; layout in docs/data_log.md"),
    "lookup": ("LSOA to ward and partnership lookup", "geography/lsoa_ward_csp_lookup.csv",
               "ONS Open Geography Portal"),
}  # fmt: skip


def dataset_file(dataset: str) -> tuple[str, str, str]:
    """``(title, raw path, where to get it)`` of a dataset, e.g. for ``crime_incidents``
    ``("crime incident extract", "partner/crime_incidents.csv", "template in
    data/templates/crime_incidents.csv")``."""
    if dataset in OTHER_DATASETS:
        return OTHER_DATASETS[dataset]
    from sa_toolkit.partner_datasets import DATASETS

    spec = DATASETS.get(dataset)
    if spec is None:
        return (f"{dataset} table", dataset, "docs/data_templates.md")
    title = spec.title[:1].lower() + spec.title[1:]
    if not title.endswith(("extract", "microdata")):
        title += " extract"
    return title, spec.raw_path, f"template in data/templates/{dataset}.csv"


def table_supplied(dataset: str, processed_dir) -> bool:
    """True when ``sa ingest`` wrote the table (a raw file of it was supplied)."""
    from pathlib import Path

    folder = Path(processed_dir) / dataset
    return folder.is_dir() and any(folder.rglob("*.parquet"))


def _raw_path(cfg, relative: str) -> str:
    from pathlib import Path

    raw = Path(cfg.raw_dir)
    try:
        raw = raw.resolve().relative_to(Path(cfg.root).resolve())
    except (ValueError, AttributeError, TypeError):
        pass
    return f"{raw.as_posix()}/{relative}"


def missing_text(dataset: str, what: str, cfg=None, instead: str | None = None) -> str:
    """The sentence for a report section whose data were not supplied (plain text).

    Board language: the data are named in words, never by file, folder or template
    (``"Not available: the partnership's crime incident extract was not supplied, so knife
    crime cannot be shown."``); the analyst's detail (the file expected and its template)
    is on the run log (:func:`missing_datasets`). With ``cfg`` the sentence says whether the
    file was not supplied or holds no rows for the partnership and period; ``instead`` is a
    sentence added after it (e.g. the source used instead).
    """
    title, _relative, _origin = dataset_file(dataset)
    whose = "the" if dataset in OTHER_DATASETS else "the partnership's"
    if cfg is None:
        text = (
            f"Not available: {what} cannot be shown, as {whose} {title} was not supplied or "
            "holds no rows for the partnership and period."
        )
    elif table_supplied(dataset, cfg.processed_dir):
        text = (
            f"Not available: {whose} {title} holds no rows for the partnership and period, so "
            f"{what} cannot be shown."
        )
    else:
        text = f"Not available: {whose} {title} was not supplied, so {what} cannot be shown."
    return text if not instead else f"{text} {instead}"


def missing_datasets(cfg) -> list[dict[str, str]]:
    """The datasets a full assessment reads that this run's processed data lack, with the
    file expected in the raw data folder and where to get it (for the run log: the
    analyst's detail behind the reports' "Not available" notes)."""
    from sa_toolkit.partner_datasets import DATASETS

    out = []
    for dataset in [*OTHER_DATASETS, *DATASETS]:
        if dataset == "lookup" or table_supplied(dataset, cfg.processed_dir):
            continue
        title, relative, origin = dataset_file(dataset)
        out.append({"dataset": dataset, "title": title, "file": relative, "origin": origin})
    return out


def read_if_supplied(src, name: str, columns=None) -> pd.DataFrame | None:
    """``src.read(name, columns)`` of a ``DataSource``, or None when the table is not there
    (the section then shows :func:`absent`)."""
    from sa_toolkit.indicators.computations import NotComputable

    try:
        return src.read(name, columns)
    except NotComputable:
        return None


def absent(dataset: str, what: str, cfg=None, instead: str | None = None):
    """A note for a section whose data were not supplied (no error, no empty chart): see
    :func:`missing_text`. Shown in the report as a paragraph of class ``sa-missing``."""
    from html import escape

    from sa_toolkit.findings import HtmlBlock

    text = escape(missing_text(dataset, what, cfg, instead))
    return HtmlBlock(f"<p class='sa-missing'>{text}</p>")


def covers_year(months, year) -> bool:
    """True when the span of ``months`` (periods of the rows of a table, or the months it
    holds) reaches into the financial year ``year`` (a month without rows inside the span
    counts as a month with none, not as missing data)."""
    months = pd.PeriodIndex(pd.Series(months).dropna(), freq="M")
    if months.empty:
        return False
    return months.min() <= year.last_month and months.max() >= year.first_month


def police_months(cfg) -> list:
    """Months held by the processed data.police.uk street table (no file is read)."""
    from sa_toolkit.tables import table_months

    return table_months("police_street", cfg.processed_dir)


def comparison_year(cfg, months=None):
    """The year before the assessed one, or None when the data (``months``; default the
    processed police months) hold nothing for it, e.g. when the assessed year is the first
    year of the data: comparisons are then shown as :func:`not_available` notes."""
    previous = cfg.year.previous()
    return (
        previous
        if covers_year(police_months(cfg) if months is None else months, previous)
        else None
    )


def not_available_text(what: str, year_label: str) -> str:
    """``"Change since 2019/20 not available: no data for 2019/20."``"""
    return f"{what[:1].upper() + what[1:]} not available: no data for {year_label}."


def not_available(what: str, year_label: str):
    """A note shown instead of a comparison with a year the data do not hold (a paragraph
    of class ``sa-missing``, like :func:`absent`)."""
    from html import escape

    from sa_toolkit.findings import HtmlBlock

    return HtmlBlock(f"<p class='sa-missing'>{escape(not_available_text(what, year_label))}</p>")


def coverage_note(text: str):
    """A plain-text note shown in the report as a paragraph of class ``sa-missing`` (as
    :func:`absent`), e.g. a like-for-like comparison's months (``coverage``); ``""`` shows
    nothing."""
    from html import escape

    from sa_toolkit.findings import HtmlBlock

    return HtmlBlock(f"<p class='sa-missing'>{escape(text)}</p>" if text else "")


def ward_names(lookup: pd.DataFrame | None) -> pd.Series:
    """Ward code -> ward name from the lookup table (empty when there is no lookup)."""
    if lookup is None or lookup.empty:
        return pd.Series(dtype=object)
    rows = lookup.drop_duplicates("ward_code")
    return pd.Series(rows["ward_name"].astype(str).to_numpy(), index=rows["ward_code"].astype(str))
