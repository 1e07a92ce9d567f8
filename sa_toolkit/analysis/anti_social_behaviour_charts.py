"""Anti-social behaviour (priority 3): the figures drawn from the residents' survey and
the labels of the density map (house style of :mod:`sa_toolkit.charts`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def strands_chart(waves: pd.DataFrame, *, title: str, subtitle: str, source: str):
    """Each strand's % by wave (points with 95% intervals), strands as rows."""
    from sa_toolkit import charts
    from sa_toolkit.analysis.anti_social_behaviour import STRANDS

    fig, ax = charts.new_figure(title, subtitle, source, figsize=(9.0, 5.5))
    labels = list(STRANDS.values())
    order = sorted(waves["wave"].unique())
    y = np.arange(len(labels))[::-1]
    for i, wave in enumerate(order):
        part = waves[waves["wave"] == wave].set_index("label").reindex(labels)
        offset = (i - (len(order) - 1) / 2) * 0.22
        v = part["value"].to_numpy()
        ax.errorbar(v, y + offset, xerr=[v - part["lower"].to_numpy(), part["upper"].to_numpy() - v],
                    fmt="o", color=charts.CATEGORICAL[i % 6], capsize=3, label=str(wave))  # fmt: skip
    ax.set_yticks(y, labels)
    ax.set_xlabel("% saying a very or fairly big problem")
    ax.set_xlim(left=0)
    ax.legend(title="Survey wave", loc="lower right")
    from sa_toolkit import figure_data  # the figure's data table (accessible reports)

    figure_data.attach(
        fig,
        *figure_data.interval_table(
            waves.rename(columns={"label": "problem", "wave": "survey wave"}),
            "survey wave",
            "problem",
            "% seeing a big problem",
        ),
    )
    return fig


def ward_labels(rows: pd.DataFrame, lookup: pd.DataFrame, wards: Sequence[str]) -> pd.DataFrame:
    """Map labels for some wards: the mean position of their incidents (no single point)."""
    ward_of = dict(
        zip(lookup["lsoa_code"].astype(str), lookup["ward_name"].astype(str), strict=False)
    )
    located = rows.dropna(subset=["longitude", "latitude"])
    names = located["lsoa_code"].astype(str).map(ward_of)
    centres = located.groupby(names.to_numpy())[["longitude", "latitude"]].mean()
    centres = centres.reindex([w for w in wards if w in centres.index])
    return centres.rename_axis("label").reset_index()


def ward_strand_chart(
    long: pd.DataFrame,
    strand: str,
    overall: float,
    threshold: int = 0,
    *,
    title: str,
    subtitle: str,
    source: str,
):
    """One strand's % by ward with 95% intervals (wards below ``threshold`` respondents left
    out), highest first, with the partnership's figure as a dashed line."""
    from sa_toolkit import charts

    rows = long[(long["strand"] == strand) & (long["respondents"] >= max(threshold, 1))]
    rows = rows.sort_values("value")
    fig, ax = charts.new_figure(
        title, subtitle, source, figsize=(9.0, max(4.0, 0.3 * len(rows) + 1.8))
    )
    y = np.arange(len(rows))
    v = rows["value"].to_numpy()
    ax.errorbar(v, y, xerr=[v - rows["lower"].to_numpy(), rows["upper"].to_numpy() - v],
                fmt="o", color=charts.MAIN, capsize=3, label="Ward (95% interval)")  # fmt: skip
    ax.axvline(overall, color="black", linestyle="--", linewidth=1)
    ax.annotate(f"All wards: {overall:.0f}%", xy=(overall, 1), xycoords=("data", "axes fraction"),
                xytext=(3, 0), textcoords="offset points", fontsize=8, va="bottom")  # fmt: skip
    ax.set_yticks(y, rows["ward"].tolist())
    ax.set_xlabel("% saying a very or fairly big problem")
    ax.set_xlim(0, 100)
    ax.legend(loc="lower right")
    from sa_toolkit import figure_data  # the figure's data table (accessible reports)

    figure_data.attach(
        fig, *figure_data.interval_table(rows.iloc[::-1], "ward", None, "% seeing a big problem")
    )
    return fig
