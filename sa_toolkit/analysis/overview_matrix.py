"""The priority-setting matrix: each crime type and anti-social behaviour scored 1 to 3 on
volume, harm, trend and peer position, by the rules in ``docs/assumptions_log.md``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.overview_data import (
    TREND_YEARS,
    OverviewData,
    complete_years,
    year_totals,
)
from sa_toolkit.board_language import month_name
from sa_toolkit.periods import FinancialYear

#: Priority-setting matrix: score bands (documented in docs/assumptions_log.md).
VOLUME_BANDS = (5.0, 15.0)  # share of crime and ASB, %: <5 -> 1, 5 to <15 -> 2, >=15 -> 3
HARM_BANDS = (2_000.0, 10_000.0)  # cost per offence at the year's prices, pounds
#: bands of the average score of the measured dimensions (1-3 each): with all four
#: measured, 9 or more of 12 is High and 7 or 8 Medium
PRIORITY_BANDS = ((2.25, "High"), (1.75, "Medium"), (0.0, "Lower"))
NOT_MEASURED = "not measured"
TREND_SCORES = {
    "increasing and getting worse": 3,
    "no significant change": 2,
    "decreasing and getting better": 1,
}
PEER_SCORES = {"worse": 3, "similar": 2, "better": 1}


def _band(value: float, bands: tuple[float, float]) -> int:
    low, high = bands
    return 1 if value < low else (2 if value < high else 3)


def category_trends(data: OverviewData) -> pd.DataFrame:
    """Fingertips-style trend of each category's rate over the last five years.

    A category whose catalogue indicator has a series break inside those years gets
    ``trend`` = "not assessed: series break" (the rates either side do not compare).
    """
    from sa_toolkit.indicators.catalogue import load_catalogue, load_series_breaks
    from sa_toolkit.indicators.rate import rate
    from sa_toolkit.indicators.trend import trend

    cfg = data.cfg
    years = [cfg.year.previous(k).label for k in range(TREND_YEARS - 1, -1, -1)]
    totals = year_totals(data.counts)
    # complete years only: a year with a month missing is not a year's count
    full = set(complete_years(data))
    years = [y for y in years if y in totals.index and y in full]
    totals = totals.loc[years]
    pops = {y: data.populations.get(y) for y in years}
    categories = list(totals.columns)
    if len(years) < TREND_YEARS:
        return pd.DataFrame(
            {
                "crime_type": categories,
                "trend": f"not assessed: fewer than {TREND_YEARS} complete years",
            }
        )
    if any(p is None or p <= 0 for p in pops.values()):
        return pd.DataFrame({"crime_type": categories, "trend": "not assessed: no population"})
    long = (
        totals.rename_axis("financial_year")
        .reset_index()
        .melt(id_vars="financial_year", var_name="crime_type", value_name="offences")
    )
    long["population"] = long["financial_year"].map(pops).astype(float)
    rates = rate(long, "offences", "population", per=1000)
    # on the log scale (changes in crime are proportional), allowing for year-to-year
    # variation beyond chance (trend's random-effects test)
    positive = rates.groupby("crime_type", observed=True)["offences"].transform("min") > 0
    out = trend(
        rates[positive], "financial_year", group_cols="crime_type", polarity="lower_is_better",
        log_scale=True,
    )  # fmt: skip
    if not positive.all():  # a year with none: no log-scale trend
        absent = sorted(set(rates.loc[~positive, "crime_type"]))
        out = pd.concat(
            [
                out,
                pd.DataFrame(
                    {"crime_type": absent, "trend": "cannot be calculated", "slope": np.nan}
                ),
            ],
            ignore_index=True,
        )
    out = out[["crime_type", "trend", "slope"]].copy()
    # categories measured by a catalogue indicator with a break inside the window
    catalogue = load_catalogue()
    breaks = load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None))
    breaks = breaks[breaks["effect"] == "not_comparable"]
    start = FinancialYear.parse(years[0]).start
    end = cfg.year.end
    broken = {}
    for indicator_id, comp in catalogue["computation"].items():
        if not isinstance(comp, dict) or comp.get("function") not in (
            "police_crime_rate",
            "police_crime_count",
        ):
            continue
        kinds = comp.get("crime_types")
        if not isinstance(kinds, list) or len(kinds) != 1:
            continue
        rows = breaks[breaks["indicator"] == indicator_id]
        for _, brk in rows.iterrows():
            if start < brk["starts"] <= end:
                broken[kinds[0]] = f"{brk['first_period']}"
    out["trend"] = [
        f"not assessed: series break from {month_name(broken[c])}" if c in broken else t
        for c, t in zip(out["crime_type"], out["trend"], strict=True)
    ]
    return out


def matrix_key() -> str:
    """The matrix's scoring rule in words, from the constants the code scores with."""
    (high, _), (medium, _), _ = PRIORITY_BANDS
    return (
        "Each dimension scores 1 to 3: volume by share of all recorded crime and ASB "
        f"(under {VOLUME_BANDS[0]:g}%: 1; under {VOLUME_BANDS[1]:g}%: 2; otherwise 3); harm by "
        f"the Home Office cost of one offence at this year's prices (under "
        f"£{HARM_BANDS[0]:,.0f}: 1; under £{HARM_BANDS[1]:,.0f}: 2; otherwise 3); trend over "
        "five years (getting better: 1; no significant change: 2; getting worse: 3); position "
        "among the Most Similar Group (better: 1; similar: 2; worse: 3). A dimension that "
        "cannot be measured is shown as not measured and does not score. Priority by the "
        f"average score of the measured dimensions: {high:g} or more High (with all four "
        f"measured, {high * 4:g} or more of 12); {medium:g} or more Medium ({medium * 4:g} or "
        f"{high * 4 - 1:g} of 12); otherwise Lower."
    )


def priority_band(scores: list[int]) -> str:
    """High, Medium or Lower from the measured dimensions' scores (:data:`PRIORITY_BANDS`)."""
    if not scores:
        return NOT_MEASURED
    average = sum(scores) / len(scores)
    return next(label for cut, label in PRIORITY_BANDS if average >= cut - 1e-9)


def priority_matrix(data: OverviewData, msg_table: pd.DataFrame, cost: dict | None) -> pd.DataFrame:
    """Score each crime type and ASB on volume, harm, trend and peer position (1-3 each).

    The rule is :func:`matrix_key` (the text the report prints). A dimension that cannot
    be measured is ``None`` (shown "not measured") and does not score: no unit cost; a
    unit cost that is only the cheapest offence of a police.uk type (violence, vehicle
    crime) unless that already scores 3; no five-year trend; no peer data. ``score`` is
    the total of the measured dimensions and ``out_of`` 3 x their number.
    """
    cfg = data.cfg
    totals = year_totals(data.counts)
    this = totals.loc[cfg.year.label] if cfg.year.label in totals.index else totals.iloc[-1] * 0
    grand = float(this.sum())
    trends = category_trends(data).set_index("crime_type")
    unit = cost["unit_cost"] if cost else pd.Series(dtype=float)
    lower_bound = set(cost.get("lower_bound", [])) if cost else set()
    peers = msg_table.set_index("offence_group") if not msg_table.empty else pd.DataFrame()
    rows = []
    for category in totals.columns:
        count = int(this.get(category, 0))
        share = count / grand * 100 if grand else 0.0
        missing = []
        volume = _band(share, VOLUME_BANDS)
        cost_each = float(unit[category]) if category in unit.index else np.nan
        harm = None if np.isnan(cost_each) else _band(cost_each, HARM_BANDS)
        if harm is None:
            missing.append("harm (no unit cost)")
        elif category in lower_bound and harm < 3:
            harm = None
            missing.append("harm (the unit cost is only its cheapest offence's)")
        trend_label = str(trends["trend"].get(category, "not assessed"))
        trend_score = TREND_SCORES.get(trend_label)
        if trend_score is None:
            missing.append("trend")
        if category in getattr(peers, "index", []):
            comparison = str(peers.loc[category, "comparison_this"])
            peer = PEER_SCORES.get(comparison)
            rank = f"{findings.ordinal(int(peers.loc[category, 'rank_this']))} of {int(peers.loc[category, 'members'])}"
        else:
            comparison, rank, peer = "no peer data", "n/a", None
        if peer is None:
            missing.append("peer position")
        measured = [v for v in (volume, harm, trend_score, peer) if v is not None]
        rows.append(
            {
                "category": category,
                "count": count,
                "share": share,
                "cost_per_offence": cost_each,
                "trend": trend_label,
                "msg_rank": rank,
                "peer_comparison": comparison,
                "volume_score": volume,
                "harm_score": harm,
                "trend_score": trend_score,
                "peer_score": peer,
                "total_score": sum(measured),
                "out_of": 3 * len(measured),
                "average_score": sum(measured) / len(measured),
                "priority": priority_band(measured),
                "not_measured": "; ".join(missing),
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("harm_score", "trend_score", "peer_score"):
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(
        ["average_score", "count"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)


def matrix_display(matrix: pd.DataFrame, threshold: int) -> pd.DataFrame:
    from sa_toolkit.disclosure import SECONDARY_MARKER, is_small

    small = is_small(matrix["count"], threshold)

    def scored(score, detail: str) -> str:
        return (
            NOT_MEASURED + (f" ({detail})" if detail else "")
            if pd.isna(score)
            else f"{score} ({detail})"
        )

    return pd.DataFrame(
        {
            "Category": matrix["category"],
            "Offences or incidents": [
                f"<{threshold}" if s else findings.format_number(c)
                for c, s in zip(matrix["count"], small, strict=True)
            ],
            "Volume": [
                f"{v} ({SECONDARY_MARKER if s else findings.format_number(p, 1) + '%'})"
                for v, p, s in zip(matrix["volume_score"], matrix["share"], small, strict=True)
            ],
            "Harm": [
                scored(h, "no unit cost" if np.isnan(c) else "£" + findings.format_number(c))
                for h, c in zip(matrix["harm_score"], matrix["cost_per_offence"], strict=True)
            ],
            "Trend": [
                scored(t, label)
                for t, label in zip(matrix["trend_score"], matrix["trend"], strict=True)
            ],
            "Peer position": [
                scored(p, f"{c}{', ' + r if r != 'n/a' else ''}")
                for p, c, r in zip(
                    matrix["peer_score"], matrix["peer_comparison"], matrix["msg_rank"], strict=True
                )
            ],
            "Score": [
                f"{t} of {o}" for t, o in zip(matrix["total_score"], matrix["out_of"], strict=True)
            ],
            "Priority": matrix["priority"],
        }
    )


def matrix_sentence(matrix: pd.DataFrame) -> str | None:
    if matrix.empty:
        return None
    top = matrix[matrix["priority"] == "High"]
    if top.empty:
        top = matrix.head(3)
        lead = "No category scored high priority; the highest scores were"
    else:
        lead = "The priority-setting matrix scores as high priority"
    items = [
        f"{r.category.lower()} ({r.total_score} of {getattr(r, 'out_of', 12)})"
        for r in top.itertuples()
    ]
    if len(items) > 1:
        text = ", ".join(items[:-1]) + " and " + items[-1]
    else:
        text = items[0]
    return f"{lead} {text}."
