"""Recorded crime and police-recorded anti-social behaviour over time, and the mix of
crime by type: this year against last, like for like, with the significance test."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.overview_data import (
    ALL_CRIME,
    ASB,
    OverviewData,
    comparison_totals,
    crime_columns,
    percent_change,
    signed_percent,
)
from sa_toolkit.config import Config


def crime_trend(data: OverviewData) -> dict:
    """Monthly recorded crime (all types but ASB) and ASB, with this year against last."""
    cfg = data.cfg
    counts = data.counts
    start = min(cfg.baseline_year, cfg.year.previous()).first_month
    counts = counts[counts.index >= start]
    # a month missing from the police data stays missing (NaN) in both series
    crime = counts[crime_columns(counts)].sum(axis=1, min_count=1).rename(ALL_CRIME)
    if counts[crime_columns(counts)].empty:
        crime = pd.Series(0.0, index=counts.index, name=ALL_CRIME).where(counts.notna().all(axis=1))
    asb = counts[ASB] if ASB in counts else pd.Series(0.0, index=counts.index, name=ASB)
    if ASB not in counts:
        asb = asb.where(crime.notna())
    # like for like: the months of this year and last both hold (coverage.compare_years);
    # the police data may begin with the assessed year: last year is then unknown, not zero
    cmp = data.comparison()
    compared = cmp.compared and cmp.has_previous
    out = {
        "crime": crime,
        "asb": asb.rename(ASB),
        "compared": compared,
        "months_note": cmp.note(),
        "months_compared": cmp.n_months,
        # True when the previous year holds data but too few months to compare with
        "too_few_months": cmp.has_previous and not cmp.compared,
    }
    from sa_toolkit.indicators.overdispersion import dispersion_before

    for key, series in (("crime", crime), ("asb", asb)):
        # how much the count varies beyond chance, from the months before the year tested
        out[f"{key}_dispersion"] = dispersion_before(series, cfg.year.first_month)
        out[f"{key}_this"] = int(cmp.total(series.fillna(0), "this"))
        out[f"{key}_last"] = int(cmp.total(series.fillna(0), "last")) if compared else None
        out[f"{key}_change"] = (
            percent_change(out[f"{key}_last"], out[f"{key}_this"]) if compared else None
        )
    first, final = counts.index[0], counts.index[-1]
    out["period"] = f"{first.strftime('%B %Y')} to {final.strftime('%B %Y')}"
    # breaks and events (COVID-19 restrictions, counting rule changes) the comparison spans
    from sa_toolkit.indicators.catalogue import (
        comparison_caveats,
        comparison_flags,
        load_series_breaks,
    )

    breaks = load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None))
    ids, previous = ["total_crime_rate", "asb_rate"], cfg.year.previous()
    out["caveats"] = comparison_caveats(ids, previous, cfg.year, breaks) if compared else []
    out["flags"] = comparison_flags(ids, previous, cfg.year, breaks) if compared else []
    return out


def change_test(
    before: int, after: int, significance_level: float = 0.05, dispersion=None
) -> tuple[bool | None, float | None]:
    """Is the change between two annual counts significant? (equal exposure)

    ``dispersion`` (:func:`sa_toolkit.indicators.overdispersion.dispersion_before` of the
    monthly series) allows for the series' variation beyond chance; without it the test
    assumes pure Poisson variation.
    """
    from sa_toolkit.indicators.change import poisson_change

    if before == 0 and after == 0:
        return None, None
    frame = pd.DataFrame({"b": [before], "a": [after], "n": [1.0], "m": [1.0]})
    result = poisson_change(frame, "b", "a", "n", "m", dispersion=dispersion)
    p = float(result["p_value"].iloc[0])
    return p < significance_level, p


def trend_title(subject: str, before: int, after: int, year_label: str) -> str:
    pct = percent_change(before, after)
    if pct is None or round(pct) == 0:
        return f"{subject} was about level in {year_label} ({findings.format_number(after)})"
    verb = "rose" if pct > 0 else "fell"
    return (
        f"{subject} {verb} {findings.format_percent(pct)} in {year_label} "
        f"({findings.format_number(before)} to {findings.format_number(after)})"
    )


def movement(before: int, after: int) -> str:
    """``rose 4%``, ``fell 0.5%`` or ``was about level``."""
    pct = percent_change(before, after)
    if pct is None or findings.format_percent(pct) in ("0%", "0.0%"):
        return "was about level"
    return f"{'rose' if pct > 0 else 'fell'} {findings.format_percent(pct)}"


def trend_chart_title(trend: dict, year_label: str) -> str:
    """One finding for the chart of recorded crime and ASB together."""
    if not trend.get("compared", True):
        return (
            f"{findings.format_number(trend['crime_this'])} offences and "
            f"{findings.format_number(trend['asb_this'])} anti-social behaviour incidents "
            f"were recorded in {year_label}"
        )
    return (
        f"Recorded crime {movement(trend['crime_last'], trend['crime_this'])} and police-recorded "
        f"anti-social behaviour {movement(trend['asb_last'], trend['asb_this'])} in {year_label}"
    )


def trend_frame(trend: dict) -> pd.DataFrame:
    """Recorded crime and ASB side by side, for one chart (ASB is not part of crime)."""
    return pd.DataFrame({"Recorded crime": trend["crime"], ASB: trend["asb"]})


def series_breaks_for(indicator_ids, months: pd.PeriodIndex, raw_dir=None) -> dict:
    """Series breaks (not comparable) of the given catalogue indicators inside ``months``
    (package registry and, with ``raw_dir``, the partnership's own)."""
    from sa_toolkit.indicators.catalogue import load_series_breaks

    table = load_series_breaks(raw_dir=raw_dir)
    table = table[
        table["indicator"].isin(list(indicator_ids)) & (table["effect"] == "not_comparable")
    ]
    out = {}
    for _, row in table.iterrows():
        month = pd.Period(row["starts"], freq="M")
        if months[0] < month <= months[-1]:
            out[month] = str(row["reason"]).split(" (")[0]
    return out


def crime_mix(data: OverviewData, threshold: int) -> pd.DataFrame:
    """Crime by type this year and last, change and share (ASB listed apart, at the end)."""
    cmp = data.comparison()
    # like for like: only the calendar months both years hold are summed
    totals = comparison_totals(data, cmp)
    compared = cmp.compared and cmp.has_previous
    frame = pd.DataFrame(
        {
            "crime_type": totals.columns,
            # no data for last year (the police data begin this year): unknown, not zero
            "last": totals.loc["last"].to_numpy() if compared else np.nan,
            "this": totals.loc["this"].to_numpy(),
        }
    )
    crimes = frame[frame["crime_type"] != ASB].sort_values("this", ascending=False, kind="stable")
    total_this = int(crimes["this"].sum())
    crimes = crimes.assign(
        change=[percent_change(b, a) for b, a in zip(crimes["last"], crimes["this"], strict=True)],
        share=crimes["this"] / total_this * 100 if total_this else np.nan,
    )
    asb = frame[frame["crime_type"] == ASB].assign(
        change=lambda f: [percent_change(b, a) for b, a in zip(f["last"], f["this"], strict=True)],
        share=np.nan,
    )
    return pd.concat([crimes, asb], ignore_index=True)


def mix_display(mix: pd.DataFrame, cfg: Config, threshold: int) -> pd.DataFrame:
    """The mix table with small counts (and the figures derived from them) hidden."""
    from sa_toolkit.disclosure import SECONDARY_MARKER, is_small

    this, last = cfg.year.label, cfg.year.previous().label
    small_this = is_small(mix["this"], threshold)
    small_last = is_small(mix["last"], threshold)
    rows = []
    for i, row in mix.reset_index(drop=True).iterrows():
        hide_change = small_this[i] or small_last[i]
        rows.append(
            {
                "Offence type": row["crime_type"]
                + (" (not part of recorded crime)" if row["crime_type"] == ASB else ""),
                last: f"<{threshold}"
                if small_last[i]
                else ("" if pd.isna(row["last"]) else findings.format_number(row["last"])),
                this: f"<{threshold}" if small_this[i] else findings.format_number(row["this"]),
                "% change": SECONDARY_MARKER if hide_change else signed_percent(row["change"]),
                "Share of recorded crime": ""
                if pd.isna(row["share"])
                else (
                    SECONDARY_MARKER
                    if small_this[i]
                    else f"{findings.format_number(row['share'], 1)}%"
                ),
            }
        )
    out = pd.DataFrame(rows)
    if mix["last"].isna().all():  # no data for last year: no column of blanks or zeros
        out = out.drop(columns=[last, "% change"])
    return out


def mix_sentence(mix: pd.DataFrame, cfg: Config) -> str | None:
    crimes = mix[mix["crime_type"] != ASB]
    total = int(crimes["this"].sum())
    if crimes.empty or not total:
        return None
    top = crimes.iloc[0]
    return findings.share_sentence(
        str(top["crime_type"]),
        int(top["this"]),
        f"recorded crime in {cfg.year.label}",
        total,
        threshold=cfg.suppression_threshold,
    )
