"""Violent crime: when it happens and against whom (times, ages, domestic abuse, alcohol)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.violent_crime_data import (
    AGE_BANDS,
    NIGHT_TIME_ECONOMY,
    ViolentCrimeData,
    focus_incidents,
    population_by_lsoa,
)
from sa_toolkit.disclosure import safe_count, share_is_disclosive

# ----------------------------------------------------------------------------- times


def temporal(data: ViolentCrimeData) -> dict:
    """Hour x weekday profile of violence (aoristic where start and end differ).

    Returns ``table`` (weekday x hour offences), ``night_share`` (the share on Friday and
    Saturday nights, :data:`NIGHT_TIME_ECONOMY`), ``night_hours_share`` (that window's
    share of the week's hours) and ``peak`` (weekday, hour) of the busiest hour.
    """
    from sa_toolkit.indicators import temporal_profile, window_share

    if data.source != "incidents":  # the open data have no times
        return {"table": None, "night_share": None, "night_hours_share": None, "peak": None}
    rows = focus_incidents(data)
    if rows.empty:
        return {"table": None, "night_share": None, "night_hours_share": None, "peak": None}
    rows = rows.reset_index(drop=True)
    profile = temporal_profile(rows, "offence_start", "offence_end")
    table = profile.pivot_table(
        index="weekday", columns="hour", values="offences", observed=False, aggfunc="sum"
    )
    window = window_share(rows, "offence_start", end="offence_end", **NIGHT_TIME_ECONOMY)
    first, last = (int(t[:2]) for t in NIGHT_TIME_ECONOMY["window"])
    hours = (last - first) % 24 * len(NIGHT_TIME_ECONOMY["weekdays"])
    peak = profile.loc[profile["offences"].idxmax()]
    return {
        "table": table,
        "night_share": float(window["value"].iloc[0]),
        "night_hours_share": hours / 168,
        "peak": (str(peak["weekday"]), int(peak["hour"])),
    }


def night_sentence(times: dict) -> str | None:
    if times["night_share"] is None:
        return None
    days = " and ".join(NIGHT_TIME_ECONOMY["weekdays"])
    start, end = NIGHT_TIME_ECONOMY["window"]
    return (
        f"{days} nights ({start} to {end}) saw {findings.format_percent(times['night_share'] * 100)} "
        f"of violence against the person, in {findings.format_percent(times['night_hours_share'] * 100)} "
        f"of the week's hours; the busiest hour was {times['peak'][0]} "
        f"{times['peak'][1]:02d}:00 to {(times['peak'][1] + 1) % 24:02d}:00."
    )


# ----------------------------------------------------------------------------- people


def band_label(low: int, high: int) -> str:
    return f"{low}+" if high >= 200 else f"{low}-{high}"


def age_bands(ages: pd.Series) -> pd.Series:
    """Band ages into :data:`AGE_BANDS` (missing ages stay missing)."""
    edges = [low for low, _ in AGE_BANDS] + [1000]
    labels = [band_label(low, high) for low, high in AGE_BANDS]
    return pd.cut(pd.to_numeric(ages, errors="coerce"), edges, right=False, labels=labels)


POPULATION_AGES_NEEDED = (
    "The ages of victims and suspects cannot be compared with the residents' ages: the population "
    "estimates supplied are totals only. Add the ONS small area population estimates by single "
    "year of age to the population folder."
)


def age_profiles(data: ViolentCrimeData) -> dict:
    """Victims' and suspects' ages against the population's, with over-representation.

    Returns ``shares`` (index: band; columns Victims, Suspects, Population as fractions)
    and ``ratios`` (band, group, count, count_share, population_share, value, lower,
    upper: the over-representation ratio with its Wilson interval); ``None`` when no
    age is known.
    """
    from sa_toolkit.indicators import over_representation

    if data.source != "incidents":  # the open data have no ages
        return {"shares": None, "ratios": None}
    rows = focus_incidents(data)
    pop_rows = data.population[data.population["year"] == population_by_lsoa(data, data.year)[1]]
    pop = pop_rows.groupby(age_bands(pop_rows["age_min"]), observed=False)["population"].sum()
    if pop.sum() == 0 and pop_rows["population"].sum() > 0:
        # population totals without ages: nothing to compare the ages with
        return {"shares": None, "ratios": None, "missing": POPULATION_AGES_NEEDED}
    shares = {}
    ratios = []
    for group, column in (("Victims", "victim_age"), ("Suspects", "suspect_age")):
        counts = rows.groupby(age_bands(rows[column]), observed=False).size().reindex(pop.index)
        counts = counts.fillna(0).astype(int)
        if counts.sum() == 0:
            continue
        shares[group] = counts / counts.sum()
        frame = pd.DataFrame(
            {
                "band": pop.index.astype(str),
                "count": counts.to_numpy(),
                "population": pop.to_numpy(),
            }
        )
        # a band with no residents (a tiny area) has no share to compare with
        frame = frame[frame["population"] > 0].reset_index(drop=True)
        if frame["count"].sum() == 0:
            continue
        result = over_representation(frame, "band", "count", "population")
        ratios.append(result.assign(group=group))
    if not shares:
        return {"shares": None, "ratios": None}
    shares["Population"] = pop / pop.sum()
    table = pd.DataFrame(shares)
    table.index = table.index.astype(str)
    return {"shares": table, "ratios": pd.concat(ratios, ignore_index=True)}


def most_over_represented(ratios: pd.DataFrame, group: str) -> pd.Series | None:
    """The band whose share of the group most exceeds its population share (interval above 1)."""
    rows = ratios[(ratios["group"] == group) & (ratios["lower"] > 1)]
    return None if rows.empty else rows.sort_values("value", ascending=False).iloc[0]


def age_sentence(ratios: pd.DataFrame | None) -> str | None:
    if ratios is None:
        return None
    parts = []
    for group in ("Victims", "Suspects"):
        top = most_over_represented(ratios, group)
        if top is not None:
            parts.append(
                f"{group.lower()} aged {top['band']} were {findings.format_number(top['value'], 1)} "
                f"times their share of residents ({findings.format_percent(top['count_share'] * 100)} "
                f"against {findings.format_percent(top['population_share'] * 100)})"
            )
    if not parts:
        return "No age group of victims or suspects was significantly over-represented."
    return findings._sentence("; ".join(parts))


def shares_and_repeats(data: ViolentCrimeData) -> pd.DataFrame:
    """Domestic-abuse and alcohol-related shares of violence (this year and last), and
    repeat victimisation of domestic abuse, each with its interval.

    Returns one row per measure: ``measure, numerator, denominator, value, lower, upper``
    (percent), ``previous`` (last year's %), ``change`` (pp), ``p_value, significant``
    and ``unlinked`` (repeat victimisation: incidents without a victim id).
    """
    from sa_toolkit.indicators import proportion, proportion_change, repeat_victimisation

    if data.source != "incidents":  # the open data have no flags or victim ids
        return pd.DataFrame(columns=["measure", "numerator", "denominator", "value"])
    previous = data.year.previous()
    rows = []
    for label, flag in (
        ("Domestic abuse", "domestic_abuse"),
        ("Alcohol-related", "alcohol_related"),
    ):
        now, before = focus_incidents(data), focus_incidents(data, previous)
        x1 = int(now[flag].astype("boolean").fillna(False).sum())
        x0 = int(before[flag].astype("boolean").fillna(False).sum())
        rows.append(
            {
                "measure": f"{label} share of violence against the person",
                "numerator": x1, "denominator": len(now), "x0": x0, "n0": len(before),
            }
        )  # fmt: skip
    frame = pd.DataFrame(rows)
    frame = frame[(frame["denominator"] > 0) & (frame["n0"] > 0)].reset_index(drop=True)
    out = []
    if not data.has_comparison:
        # no comparison year in the data: this year's shares only, changes not available
        frame = pd.DataFrame(rows)
        frame = frame[frame["denominator"] > 0].reset_index(drop=True)
        if not frame.empty:
            shares = proportion(frame, "numerator", "denominator", multiplier=100)
            shares["previous"] = shares["change"] = shares["p_value"] = np.nan
            shares["significant"] = False
            shares["unlinked"] = np.nan
            out.append(shares.drop(columns=["x0", "n0"]))
    elif not frame.empty:
        shares = proportion(frame, "numerator", "denominator", multiplier=100)
        level = float(getattr(data.cfg, "significance_level", 0.05))
        changes = proportion_change(
            frame, "x0", "n0", "numerator", "denominator", confidence=1 - level
        )
        shares["previous"] = frame["x0"] / frame["n0"] * 100
        shares["change"] = changes["value"]
        shares["p_value"] = changes["p_value"]
        shares["significant"] = changes["significant"]
        shares["unlinked"] = np.nan
        out.append(shares.drop(columns=["x0", "n0"]))
    abuse = data.year_rows(data.year)
    abuse = abuse[abuse["domestic_abuse"].astype("boolean").fillna(False)].reset_index(drop=True)
    if abuse["victim_id"].astype("string").str.strip().replace("", pd.NA).notna().any():
        repeats = repeat_victimisation(
            abuse, "victim_id", "recorded_date", data.year.start, months=12
        )
        out.append(
            pd.DataFrame(
                {
                    "measure": ["Domestic abuse victims with 2+ crimes in the year"],
                    "numerator": repeats["repeat_victims"],
                    "denominator": repeats["victims"],
                    "value": repeats["value"] * 100,
                    "lower": repeats["lower"] * 100,
                    "upper": repeats["upper"] * 100,
                    "confidence": repeats["confidence"],
                    "method": repeats["method"],
                    "unlinked": repeats["unlinked_incidents"],
                }
            )
        )
    if not out:
        return pd.DataFrame(columns=["measure", "numerator", "denominator", "value"])
    return pd.concat(out, ignore_index=True).set_index("measure", drop=False)


def domestic_abuse_sentence(people: pd.DataFrame, threshold: int = 0) -> str | None:
    share_key = "Domestic abuse share of violence against the person"
    repeat_key = "Domestic abuse victims with 2+ crimes in the year"
    if share_key not in people.index:
        return None
    share = people.loc[share_key]
    text = findings.share_sentence(
        "Domestic abuse",
        share["numerator"],
        "violence against the person",
        share["denominator"],
        threshold=threshold,
    ).rstrip(".")
    if repeat_key in people.index:
        rep = people.loc[repeat_key]
        if share_is_disclosive(rep["numerator"], rep["denominator"], threshold):
            return text + (
                f"; {safe_count(rep['numerator'], threshold)} of its identified victims were "
                "victims more than once in the year."
            )
        text += (
            f"; {findings.format_percent(rep['value'])} of its identified victims "
            f"({findings.format_number(rep['numerator'])} of {findings.format_number(rep['denominator'])}) "
            "were victims more than once in the year"
        )
    return text + "."
