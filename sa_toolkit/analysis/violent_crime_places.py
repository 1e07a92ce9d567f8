"""Violent crime: where it happens (wards, LSOAs, concentration) and the Most Similar Group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.violent_crime_data import (
    ViolentCrimeData,
    focus_incidents,
    population_by_lsoa,
)
from sa_toolkit.disclosure import is_small, safe_count
from sa_toolkit.errors import ArgumentError
from sa_toolkit.geography import place_level
from sa_toolkit.periods import FinancialYear

# ----------------------------------------------------------------------------- peers


def peer_funnel(data: ViolentCrimeData) -> dict:
    """The Most Similar Group comparison of violence and sexual offences per 1,000.

    Returns a dict with ``points`` (label, denominator, value), ``limits`` (funnel),
    ``average`` and ``own`` (the partnership's row of ``peer_comparison``), or ``None``
    values when the MSG table has no row for the year.
    """
    from sa_toolkit.indicators import funnel_limits, peer_comparison

    members = list(getattr(data.cfg, "msg_members", ()) or [])
    msg = data.msg[data.msg["financial_year"].astype(str) == data.year.label]
    msg = msg[msg["area_type"].astype(str) == "csp"]
    if members:
        msg = msg[msg["area_code"].astype(str).isin(members)]
    msg = msg.assign(area_code=msg["area_code"].astype(str), area_name=msg["area_name"].astype(str))
    if msg.empty or data.area_code not in set(msg["area_code"]):
        return {"points": None, "limits": None, "average": None, "own": None}
    compared = peer_comparison(
        msg.reset_index(drop=True),
        "area_code",
        "lower_is_better",
        count="offences",
        denominator="population",
        per=1000,
    )
    average = float(compared["peer_average"].iloc[0])
    lo, hi = compared["population"].min(), compared["population"].max()
    grid = np.linspace(lo * 0.8, hi * 1.1, 80)
    limits = funnel_limits(grid, average, per=1000).rename(
        columns={"population": "denominator", "lower_99_8": "lower_998", "upper_99_8": "upper_998"}
    )
    points = pd.DataFrame(
        {
            "label": np.where(
                compared["area_code"] == data.area_code, data.area_name, compared["area_name"]
            ),
            "denominator": compared["population"].astype(float),
            "value": compared["value"],
        }
    )
    own = compared[compared["area_code"] == data.area_code].iloc[0]
    return {"points": points, "limits": limits, "average": average, "own": own}


def peer_sentence(data: ViolentCrimeData, peers: dict) -> str | None:
    own = peers["own"]
    if own is None:
        return None
    text = findings.rank_sentence(
        data.area_name,
        int(own["rank"]),
        int(own["members"]),
        subject=f"violence and sexual offences in {data.year.label}",
    ).rstrip(".")
    position = {"above": "above", "below": "below", "equal": "equal to"}[own["above_below"]]
    verdict = {
        "similar": "not significantly different",
        "worse": "significantly worse",
        "better": "significantly better",
    }[own["comparison"]]
    return (
        f"{text}: {findings.format_number(own['value'], 1)} offences per 1,000 residents, "
        f"{position} the peer average of {findings.format_number(peers['average'], 1)} "
        f"({verdict})."
    )


# ----------------------------------------------------------------------------- places


def place_table(data: ViolentCrimeData, level: str = "lsoa", year: FinancialYear | None = None):
    """Violence against the person by LSOA or ward: count, share, rate per 1,000 with interval.

    Every place of the partnership appears (0 when it had none).
    """
    from sa_toolkit.indicators import rate

    year = year or data.year
    if level not in ("lsoa", "ward"):
        raise ArgumentError(f"place_table: level must be 'lsoa' or 'ward', not {level!r}")
    rows = focus_incidents(data, year)
    counts = rows.groupby(rows["lsoa_code"].astype(str)).size()
    pop, _ = population_by_lsoa(data, year)
    areas = data.areas.assign(
        lsoa_code=data.areas["lsoa_code"].astype(str),
        lsoa_name=data.areas["lsoa_name"].astype(str),
        ward_name=data.areas["ward_name"].astype(str),
    )
    areas = areas.assign(
        offences=areas["lsoa_code"].map(counts).fillna(0).astype(int),
        population=areas["lsoa_code"].map(pop).fillna(0.0),
    )
    if level == "ward":
        table = areas.groupby("ward_name", as_index=False)[["offences", "population"]].sum()
        table = table.rename(columns={"ward_name": "place"})
    else:
        table = areas[["lsoa_name", "ward_name", "offences", "population"]].rename(
            columns={"lsoa_name": "place", "ward_name": "ward"}
        )
    table = table[table["population"] > 0].reset_index(drop=True)
    total = table["offences"].sum()
    table["share"] = table["offences"] / total * 100 if total else 0.0
    rated = rate(table, "offences", "population", per=1000)
    for column in ("value", "lower", "upper"):
        table[column] = rated[column]
    return table.rename(columns={"value": "rate"})


def top_places(table: pd.DataFrame, by: str = "offences", n: int = 10, min_count: int = 10):
    """The ``n`` places with most offences (``by="offences"``) or the highest rate.

    Rates rank only places with at least ``min_count`` offences: a rate on a handful of
    offences in a small population is too unstable to rank.
    """
    if by == "rate":
        table = table[table["offences"] >= min_count]
    return table.sort_values([by, "offences"], ascending=False).head(n).reset_index(drop=True)


def concentration_summary(data: ViolentCrimeData) -> pd.DataFrame:
    """Share of violence in the top 1/5/10% of LSOAs and the Gini coefficient."""
    from sa_toolkit.indicators import concentration

    rows = focus_incidents(data)
    all_lsoas = data.areas["lsoa_code"].astype(str).tolist()
    return concentration(
        pd.DataFrame({"lsoa": rows["lsoa_code"].astype(str)}), "lsoa", all_areas=all_lsoas
    )


def concentration_sentence(data: ViolentCrimeData, conc: pd.DataFrame, wards: pd.DataFrame):
    top5 = conc[conc["measure"] == "share in top 5% of areas"].iloc[0]
    text = (
        f"The {int(top5['areas_in_top'])} LSOAs with most {data.focus_label.lower()} "
        f"(the top 5% of {int(top5['areas'])}) held {findings.format_percent(top5['value'] * 100)} "
        f"of it in {data.year.label}"
    )
    if not wards.empty and wards["offences"].sum() > 0:
        top = wards.sort_values("offences", ascending=False).iloc[0]
        share = (
            ""  # the share of a small count gives it away
            if is_small([top["offences"]], data.threshold)[0]
            else f", {findings.format_percent(top['share'])}"
        )
        text += (
            f"; {place_level(data.areas).named(top['place'])} had the most "
            f"({safe_count(top['offences'], data.threshold)} offences{share})"
        )
    return text + "."


def ward_label_points(data: ViolentCrimeData, wards: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Where to name the ``n`` wards with most violence on the density map: the mean
    position of their offences (``longitude, latitude, label``)."""
    rows = focus_incidents(data)
    names = data.areas.assign(lsoa_code=data.areas["lsoa_code"].astype(str)).set_index("lsoa_code")[
        "ward_name"
    ]
    rows = rows.assign(ward=rows["lsoa_code"].astype(str).map(names).astype(str))
    top = wards.sort_values("offences", ascending=False).head(n)
    top = top[top["offences"] > 0]["place"].astype(str).tolist()
    points = rows[rows["ward"].isin(top)].groupby("ward")[["longitude", "latitude"]].mean()
    points = points.dropna().reindex([w for w in top if w in points.index])
    return points.reset_index().rename(columns={"ward": "label"})
