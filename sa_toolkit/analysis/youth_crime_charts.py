"""Youth crime (priority 2): the charts of its report drawn by this module itself.

Both builders record what they drew (:mod:`sa_toolkit.figure_data`), so each figure
carries its data table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def interval_chart(
    labels: Sequence[str],
    series: dict[str, tuple[Sequence[float], Sequence[float], Sequence[float]]],
    *,
    title: str,
    subtitle: str,
    source: str,
    ylabel: str,
    reference: float | None = None,
    reference_label: str = "Target",
):
    """Values by period with 95% intervals (one line of points per series).

    ``series`` maps a name to ``(values, lower, upper)``. Drawn by
    :func:`sa_toolkit.analysis.priority_common.interval_chart`, so a series far smaller
    than the others gets an axis of its own there too (primary fires beside secondary).
    """
    from sa_toolkit.analysis.priority_common import interval_chart as draw

    labels = [str(label) for label in labels]
    rows = []
    for name, (values, lower, upper) in series.items():
        parts = (np.asarray(a, dtype=float) for a in (values, lower, upper))
        for period, v, lo, hi in zip(labels, *parts, strict=True):
            rows.append({"Group": name, "Period": period, "value": v, "lower": lo, "upper": hi})
    long = pd.DataFrame(rows, columns=["Group", "Period", "value", "lower", "upper"])
    return draw(
        long,
        x="Period",
        series="Group",
        title=title,
        subtitle=subtitle,
        source=source,
        ylabel=ylabel,
        reference=reference,
        reference_label=reference_label,
        legend_suffix=" (95% interval)",
    )


def hourly_chart(hourly: pd.DataFrame, *, title: str, subtitle: str, source: str):
    """Share of offences by hour of day, school days against other days; 15:00-18:00 shaded."""
    from matplotlib.ticker import PercentFormatter

    from sa_toolkit import charts

    fig, ax = charts.new_figure(title, subtitle, source)
    ax.axvspan(14.5, 17.5, color=charts.CONTEXT, alpha=0.5, label="15:00-18:00")
    for i, col in enumerate(hourly.columns):
        ax.plot(hourly.index, hourly[col].to_numpy(), marker="o", markersize=3,
                color=charts.CATEGORICAL[i], label=col)  # fmt: skip
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("Share of the day type's offences")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    from sa_toolkit import figure_data  # the figure's data table (accessible reports)

    hours = hourly.rename(index=lambda h: f"{int(h):02d}:00")
    figure_data.attach(fig, *figure_data.wide_table(hours, "Hour", "{:.1%}"))
    return fig
