"""The estimated cost of crime: recorded offences by Home Office unit costs, uplifted to
this year's prices by the GDP deflator, by offence group and year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.overview_data import (
    OverviewData,
    crime_columns,
    percent_change,
    year_totals,
)
from sa_toolkit.config import Config
from sa_toolkit.errors import ArgumentError
from sa_toolkit.periods import FinancialYear


def cost_by_year(data: OverviewData) -> dict | None:
    """Estimated cost of crime by offence group, baseline year to the assessment year.

    Counts of each police.uk crime type with a Home Office unit cost are multiplied by
    the unit cost uplifted to the assessment year's prices by the GDP deflator
    (:func:`sa_toolkit.indicators.cost_of_crime`). Returns None, with the reason in
    ``data.notes``, when the deflator series does not reach the years needed.
    """
    from sa_toolkit.indicators.cost import cost_of_crime, deflators, unit_costs, unverified_note

    cfg = data.cfg
    totals = year_totals(data.counts)
    years = []
    fy = cfg.baseline_year
    while fy <= cfg.year:
        years.append(fy.label)
        fy = fy.next()
    years = [y for y in years if y in totals.index]  # years with police data

    def fail(reason: str) -> None:
        data.cost_reason = reason
        data.notes.append(reason)

    if not years:
        fail(f"no police data from {cfg.baseline_year.label} to {cfg.year.label}")
        return None
    totals = totals.loc[years]
    costs = unit_costs(cfg.processed_dir)
    mapped = costs.loc[costs["police_uk_crime_type"].astype(str) != "", "police_uk_crime_type"]
    types = [t for t in mapped.astype(str) if t in totals.columns]
    if not types:
        fail("no police.uk crime type has a Home Office unit cost")
        return None
    long = (
        totals[types]
        .rename_axis("financial_year")
        .reset_index()
        .melt(id_vars="financial_year", var_name="crime_type", value_name="offences")
    )
    series = deflators(cfg.processed_dir)
    price_year, price_note = _price_year(cfg.year, costs, series)
    try:
        costed = cost_of_crime(
            long,
            "crime_type",
            "offences",
            price_year,
            match_on="police_uk_crime_type",
            processed_dir=cfg.processed_dir,
        )
    except ArgumentError as exc:
        from sa_toolkit.board_language import without_internals

        fail(without_internals(str(exc)))  # shown in the report
        return None
    table = costed.pivot(index="crime_type", columns="financial_year", values="value")[years]
    table = table.loc[table[years[-1]].sort_values(ascending=False).index]
    unit = costed.drop_duplicates("crime_type").set_index("crime_type")
    total = table.sum()
    uncosted = [c for c in crime_columns(data.counts) if c not in types and totals[c].sum() > 0]
    # a year with months missing from the police data: its cost is over the months held
    held = {y: len(data.police.present_in(FinancialYear.parse(y))) for y in years}
    partial = {y: n for y, n in held.items() if n < 12}
    change = percent_change(float(total.iloc[0]), float(total.iloc[-1]))
    # a police.uk type costed at its cheapest offence's cost (violence, vehicle crime): the
    # cost is a lower bound, not that type's harm
    notes = dict(
        zip(costs["police_uk_crime_type"].astype(str), costs["note"].astype(str), strict=True)
    )
    lower_bound = [t for t in types if "the lower" in notes.get(t, "").lower()]
    price_years = sorted(set(costs["price_year"].astype(str)) - {""})
    return {
        "table": table,
        "total": total,
        "unit_cost": unit["unit_cost_uplifted"],
        "price_year": price_year,
        # why the prices are not the assessed year's (no deflator for it), or ""
        "price_note": price_note,
        "first": years[0],
        "last": years[-1],
        # not set against each other when either end year lacks months
        "change": None if years[0] in partial or years[-1] in partial else change,
        "partial": partial,
        "uncosted": uncosted,
        "cost_source": sorted(set(unit["cost_source"].dropna().astype(str))),
        "lower_bound": lower_bound,
        "unverified": unverified_note(
            costs,
            series,
            offences=types,
            years=[*price_years, price_year],
        ),
    }


def _price_year(year: FinancialYear, costs: pd.DataFrame, series: pd.DataFrame) -> tuple[str, str]:
    """The year whose prices costs are shown at: the assessed year's when the GDP deflator
    reaches it; otherwise the unit costs' own price year, left as estimated (an old year
    before the series begins is not uplifted with a made-up deflator)."""
    held = set(series["financial_year"].astype(str))
    if year.label in held:
        return year.label, ""
    own = sorted(set(costs["price_year"].astype(str)) - {""})
    base = next((y for y in own if y in held), None)
    if base is None:
        return year.label, ""  # cost_of_crime names what is missing
    return base, (
        f"Costs are at {base} prices, the prices the Home Office unit costs were estimated at: "
        f"the GDP deflator series used here starts in {min(held)}, after {year.label}, so they "
        "are not adjusted to that year's prices."
    )


def cost_display(cost: dict) -> pd.DataFrame:
    """Cost table in millions of pounds, with a total row."""
    table = cost["table"] / 1e6
    table.loc["Total"] = table.sum()
    out = table.map(lambda v: f"£{v:,.1f}m")
    out.insert(0, "Offence group", out.index)
    return out.reset_index(drop=True)


def cost_sentence(cost: dict) -> str:
    first, last = cost["total"].iloc[0] / 1e6, cost["total"].iloc[-1] / 1e6
    if cost["first"] == cost["last"]:  # one year of data: nothing to compare
        return (
            f"The estimated cost of crime was £{last:,.1f}m in {cost['last']} "
            f"(at {cost['price_year']} prices)."
        )
    pct = cost["change"]
    if cost.get("partial") and (
        cost["first"] in cost["partial"] or cost["last"] in cost["partial"]
    ):
        return (
            f"The estimated cost of crime was £{first:,.1f}m in {cost['first']} and £{last:,.1f}m "
            f"in {cost['last']} (at {cost['price_year']} prices), not compared: "
            + cost_partial_note(cost)
        )
    if pct is None or round(pct) == 0:
        move = "was about the same"
    else:
        move = f"{'rose' if pct > 0 else 'fell'} {findings.format_percent(pct)}"
    return (
        f"The estimated cost of crime {move} between {cost['first']} and "
        f"{cost['last']} (£{first:,.1f}m to £{last:,.1f}m at {cost['price_year']} prices)."
    )


def cost_partial_note(cost: dict) -> str:
    """``"2013/14 covers 10 of 12 months (months missing from the police data)."``"""
    parts = [f"{y} covers {n} of 12 months" for y, n in cost.get("partial", {}).items()]
    if not parts:
        return ""
    return "; ".join(parts) + " (months missing from the police data)."


def cost_chart(cost: dict, cfg: Config):
    """Stacked bars of the cost of crime by offence group and year (£m)."""
    from sa_toolkit import charts

    table = cost["table"] / 1e6
    years = list(table.columns)
    title = cost_sentence(cost).rstrip(".")
    fig, ax = charts.new_figure(
        title,
        f"Estimated economic and social cost of recorded offences with a Home Office unit "
        f"cost, £ million at "
        f"{cost['price_year']} prices, {cfg.partnership_short_name}, {years[0]} to {years[-1]}",
        "data.police.uk street-level crime; Home Office, The economic and social costs of "
        "crime (Heeks et al., 2018), uplifted by the HM Treasury GDP deflator",
        figsize=(9.0, 5.0),
    )
    shown = list(table.index[: len(charts.CATEGORICAL) - 1])
    other = [g for g in table.index if g not in shown]
    parts = table.loc[shown]
    if other:
        parts.loc["Other costed offences"] = table.loc[other].sum()
    bottom = np.zeros(len(years))
    x = np.arange(len(years))
    for i, (group, values) in enumerate(parts.iterrows()):
        ax.bar(
            x,
            values.to_numpy(),
            bottom=bottom,
            color=charts.CATEGORICAL[i % len(charts.CATEGORICAL)],
            label=group,
            width=0.7,
        )
        bottom += values.to_numpy()
    for xi, total in zip(x, bottom, strict=True):
        ax.annotate(
            f"£{total:,.1f}m",
            (xi, total),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_xticks(x, years)
    ax.set_ylabel("£ million")
    ax.set_ylim(0, bottom.max() * 1.12 if bottom.max() > 0 else 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.grid(axis="x", visible=False)
    from sa_toolkit import figure_data  # the figure's data table (accessible reports)

    parts.loc["Total"] = bottom
    figure_data.attach(fig, *figure_data.wide_table(parts.T, "Year", "£{:,.1f}m"))
    return fig
