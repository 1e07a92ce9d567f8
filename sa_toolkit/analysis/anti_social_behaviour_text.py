"""Anti-social behaviour (priority 3): the sentences of the report's findings, titles and alt text.

Each sentence is computed from the tables of :mod:`sa_toolkit.analysis.anti_social_behaviour`
(counts below the suppression threshold are never quoted).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit.periods import FinancialYear


def headline_sentence(
    by_source: pd.DataFrame, year: FinancialYear, threshold: int = 0, police_only: bool = False
) -> str:
    """All-source change with its test, and the police share, from :func:`source_changes`
    (``police_only``: incidents from the open police data, no council or housing extract)."""
    from sa_toolkit import findings
    from sa_toolkit.analysis.youth_crime import change_finding

    total = by_source.loc["all sources"]
    who = (
        "recorded by the police"
        if police_only
        else ("reported to the police, council and housing providers")
    )
    text = change_finding(
        f"Anti-social behaviour incidents {who} in {year.label}",
        total["before"],
        total["after"],
        "incidents",
        total.to_dict(),
        threshold=threshold,
        compared_with=year.previous().label,
    )
    if (
        not police_only
        and total["after"]
        and "police" in by_source.index
        and by_source.loc["police", "after"]
    ):
        share = by_source.loc["police", "after"] / total["after"] * 100
        text = text.rstrip(".") + f"; {findings.format_percent(share)} were reported to the police."
    return text


def financial_years_text(n: int) -> str:
    """``"1 financial year"``, ``"3 financial years"``."""
    return f"{n} financial year{'' if n == 1 else 's'}"


def season_sentence(season: pd.DataFrame) -> str:
    """E.g. "Anti-social behaviour peaks in July, 18% above the average month; January is 18%
    below"."""
    if season.empty or season["index"].isna().all():
        return "Too few years of data to measure seasonality."
    peak = season.loc[season["index"].idxmax()]
    low = season.loc[season["index"].idxmin()]
    return (
        f"Anti-social behaviour peaks in {peak['month']}, {(peak['index'] - 1) * 100:.0f}% above "
        f"the average month; {low['month']} is {(1 - low['index']) * 100:.0f}% below "
        f"(average of {financial_years_text(int(season['years'].iloc[0]))})."
    )


def hotspot_sentence(
    wards: pd.DataFrame, spread: dict, repeats: dict, year: FinancialYear, threshold: int = 0
) -> str:
    """The busiest ward, the top-10% LSOAs' share and the repeat locations' share."""
    top = wards.iloc[0]
    if top["incidents"] < threshold:
        return f"No ward had {threshold} or more anti-social behaviour incidents in {year.label}."
    text = (
        f"{top['ward']} had the most anti-social behaviour in {year.label} "
        f"({top['share']:.0f}% of incidents, {top['value']:.0f} per 1,000 residents)"
    )
    if not np.isnan(spread.get("top10_share", np.nan)):
        text += (
            f"; the busiest 10% of neighbourhoods ({spread['top10_areas']} LSOAs) had "
            f"{spread['top10_share']:.0f}% of incidents"
        )
    if repeats.get("repeat_locations", 0) >= max(threshold, 1):
        text += (
            f"; {repeats['repeat_locations']:,} locations with {repeats['minimum']} or more "
            f"incidents had {repeats['repeat_share']:.0f}%"
        )
    return text + "."


def survey_sentence(changes: pd.DataFrame) -> str:
    """The strand seen most as a big problem, and the significant changes between waves."""
    top = changes.loc[changes["after"].idxmax()]
    text = (
        f"In the {top['after_wave']} residents' survey, {top['after']:.0f}% saw "
        f"{top['label'].lower()} as a very or fairly big problem, the most of the seven strands"
    )
    sig = changes[changes["significant"]]
    if sig.empty:
        text += f"; no strand changed significantly since {top['before_wave']}"
    else:
        parts = [
            f"{r['label'].lower()} {'rose' if r['change'] > 0 else 'fell'} "
            f"{abs(r['change']):.1f} points ({r['before']:.0f}% to {r['after']:.0f}%)"
            for _, r in sig.iterrows()
        ]
        text += f"; significant change since {top['before_wave']}: " + ", ".join(parts)
    return text + "."


def fires_sentence(
    fires: pd.DataFrame,
    year: FinancialYear,
    threshold: int = 0,
    significance_level: float = 0.05,
    monthly: pd.Series | None = None,
) -> str:
    """Deliberate fires this year against last, with its test: allowing for the extra
    variation of ``monthly`` (deliberate fires by month) before the year when given,
    else against chance variation alone."""
    from sa_toolkit.analysis.youth_crime import change_finding

    totals = fires.groupby("year")["fires"].sum()
    if year.label not in totals.index:
        return f"Deliberate fires: no fire data for {year.label}."
    from sa_toolkit.analysis.youth_crime import change_row, monthly_dispersion

    # no row for last year: no data for it (the change is "not available")
    b = float(totals[year.previous().label]) if year.previous().label in totals.index else np.nan
    a = float(totals[year.label])
    text = change_finding(
        f"Deliberate fires in {year.label}", b, a, "fires",
        change_row(b, a, monthly_dispersion(monthly, year) if monthly is not None else None,
                   significance_level),
        threshold=threshold, compared_with=year.previous().label,
    )  # fmt: skip
    this = fires[fires["year"] == year.label].set_index("type")
    if "secondary" in this.index and a and this.loc["secondary", "fires"] >= threshold:
        share = this.loc["secondary", "fires"] / a * 100
        text = text.rstrip(".") + f"; {share:.0f}% were secondary fires (refuse, grass, outdoor)."
    return text


def ward_strand_sentence(
    long: pd.DataFrame, strand: str, overall: float, threshold: int = 0,
    significance_level: float = 0.05,
):  # fmt: skip
    """The wards significantly above the partnership's figure for a strand.

    The wards are judged together (:func:`sa_toolkit.indicators.compare_to_reference`:
    their real spread is allowed for once), not by one interval each.
    """
    from sa_toolkit.analysis.anti_social_behaviour import STRANDS
    from sa_toolkit.indicators import compare_to_reference

    rows = long[(long["strand"] == strand) & (long["respondents"] >= max(threshold, 1))]
    rows = rows.dropna(subset=["value", "lower", "upper"])
    if rows.empty:
        above = rows
    else:
        side, _ = compare_to_reference(
            rows["value"], rows["lower"], rows["upper"], overall, 1 - significance_level
        )
        above = rows[side > 0].sort_values("value", ascending=False)
    label = STRANDS[strand].lower()
    if above.empty:
        return f"No ward is significantly above the partnership's {overall:.0f}% for {label}"
    names = ", ".join(f"{r['ward']} ({r['value']:.0f}%)" for _, r in above.iterrows())
    return f"{names}: significantly above the partnership's {overall:.0f}% for {label}"
