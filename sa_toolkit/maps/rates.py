"""Rates by area for maps, and which areas are significantly above the partnership.

Counts of events in small areas vary far more than a Poisson model allows (places differ
for reasons the count does not know), so an area is flagged only when it lies above an
**overdispersed** funnel limit (Spiegelhalter 2005, "Handling over-dispersion of
performance indicators", Qual Saf Health Care 14:347-351):

- each area's ratio of observed to expected ``O/E`` (expected = the partnership rate times
  its population) is put on the square-root scale, ``y = sqrt(O/E)``, with standard error
  ``s = 1 / (2 sqrt(E))`` (the variance-stabilising transform for Poisson counts), so
  ``z = (y - 1) / s = 2 (sqrt(O) - sqrt(E))``;
- the overdispersion ``phi`` is the mean of the squared z-scores after Winsorising the top
  and bottom 10%;
- when ``I * phi > I - 1`` (more spread than chance among ``I`` areas) the limits widen:
  *additive* random effects (default) add ``tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 /
  sum w)``, ``w = 1 / s^2``, to each ``s^2``; *multiplicative* scales ``s`` by
  ``sqrt(phi)``;
- an area is above when ``y > 1 + z_alpha * sqrt(s^2 + tau^2)`` (two-sided limit).

The estimate of ``phi`` and ``tau^2`` and the additive limit are the project's one
implementation, :func:`sa_toolkit.indicators.overdispersion.area_overdispersion` and
:func:`~sa_toolkit.indicators.overdispersion.ratio_limits` (also used by the Most Similar
Group funnel); maps Winsorise at 10% however few the areas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sa_toolkit.errors import ArgumentError

WINSOR_SHARE = 0.10
DEFAULT_CONFIDENCE = 0.998


def overdispersed_flags(
    counts,
    populations,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    method: str = "additive",
    per: float = 1000,
) -> pd.DataFrame:
    """Flag areas above the partnership rate on an overdispersed funnel.

    Parameters
    ----------
    counts, populations : array-like
        Events and residents per area (populations above zero).
    confidence : float
        Two-sided funnel limit, e.g. 0.998 (about 3 standard errors) or 0.95.
    method : {"additive", "multiplicative"}

    Returns
    -------
    DataFrame
        One row per area: ``expected, z, upper`` (the upper limit as a rate per ``per``),
        ``above`` (bool); ``attrs`` hold ``phi, tau2, overdispersed, average`` (the
        partnership rate per ``per``), ``method, confidence``.
    """
    observed = np.asarray(counts, dtype="float64")
    pop = np.asarray(populations, dtype="float64")
    if observed.shape != pop.shape:
        raise ArgumentError("overdispersed_flags: counts and populations differ in length")
    if pop.size == 0 or (pop <= 0).any() or np.isnan(pop).any():
        raise ArgumentError("overdispersed_flags: populations must all be above zero")
    if (observed < 0).any() or np.isnan(observed).any():
        raise ArgumentError("overdispersed_flags: counts must be zero or more")
    if method not in ("additive", "multiplicative"):
        raise ArgumentError(
            f"overdispersed_flags: method must be 'additive' or 'multiplicative', not {method!r}"
        )
    from sa_toolkit.indicators.overdispersion import area_overdispersion, ratio_limits

    theta = observed.sum() / pop.sum()
    out = pd.DataFrame({"expected": theta * pop})
    if theta == 0:
        out["z"], out["upper"], out["above"] = 0.0, 0.0, False
        out.attrs.update(phi=np.nan, tau2=0.0, overdispersed=False, average=0.0)
        return out
    expected = out["expected"].to_numpy()
    z = 2 * (np.sqrt(observed) - np.sqrt(expected))
    od = area_overdispersion(observed, expected, winsor_fraction=WINSOR_SHARE)
    phi, overdispersed = od.phi, od.adjusted
    tau2 = od.tau2 if method == "additive" else 0.0
    if overdispersed and method == "multiplicative":
        half_width = stats.norm.ppf(1 - (1 - confidence) / 2) * np.sqrt(phi / (4 * expected))
        upper_ratio = (1 + half_width) ** 2
    else:
        upper_ratio = ratio_limits(expected, tau2, confidence)[1]
    out["z"] = z
    out["upper"] = theta * upper_ratio * per
    out["above"] = observed / expected > upper_ratio
    out.attrs.update(
        phi=phi,
        tau2=tau2,
        overdispersed=bool(overdispersed),
        average=theta * per,
        method=method if overdispersed else "Poisson",
        confidence=confidence,
    )
    return out


def area_rates(
    counts: pd.Series,
    population: pd.Series,
    layers,
    level: str = "lsoa",
    *,
    threshold: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    per: float = 1000,
) -> pd.DataFrame:
    """Rate per ``per`` residents by LSOA or ward of the partnership, for a map.

    Parameters
    ----------
    counts : Series
        Events by LSOA code (the assessed period; LSOAs absent count 0).
    population : Series
        Residents by LSOA code.
    layers : sa_toolkit.maps.MapLayers
    level : {"lsoa", "ward"}
    threshold : int
        Counts from 1 to ``threshold - 1`` are suppressed (``status`` "suppressed").

    Returns
    -------
    DataFrame
        One row per area polygon of the partnership: ``code, name, count, population,
        value, lower, upper`` (the rate and its 95% interval, Byar's method as the tables),
        ``status`` ("shown", "suppressed" or "missing": no population), ``above`` (on the
        overdispersed funnel, :func:`overdispersed_flags`). ``attrs``:
        ``codes_without_polygon`` (LSOA codes with events but no polygon),
        ``events_without_polygon``, ``average`` (the partnership rate), ``method``.
    """
    from sa_toolkit.indicators import rate

    if level not in ("lsoa", "ward"):
        raise ArgumentError(f"area_rates: level must be 'lsoa' or 'ward', not {level!r}")
    counts = counts.copy()
    counts.index = counts.index.astype(str)
    population = population.copy()
    population.index = population.index.astype(str)
    lsoas = layers.partnership_lsoas
    polygons = set(layers.lsoas["code"])
    mine = counts.index.isin(layers.data_codes) if layers.data_codes else True
    no_polygon = counts[mine & ~counts.index.isin(polygons) & (counts > 0)]
    # only the partnership's LSOAs: events elsewhere are a neighbour's
    if level == "lsoa":
        areas = pd.DataFrame({"code": lsoas["code"].astype(str), "name": lsoas["name"].astype(str)})
        areas["count"] = areas["code"].map(counts).fillna(0).astype(int)
        areas["population"] = areas["code"].map(population)
    else:
        if layers.wards is None:
            raise ArgumentError("area_rates: no ward boundaries for a ward map")
        wards = layers.partnership_wards
        frame = pd.DataFrame(
            {
                "ward": lsoas["ward_code"].astype("string"),
                "count": lsoas["code"].astype(str).map(counts).fillna(0).to_numpy(),
                "population": lsoas["code"].astype(str).map(population).to_numpy(),
            }
        )
        by_ward = frame.groupby("ward", dropna=True).agg(
            count=("count", "sum"), population=("population", lambda s: s.sum(min_count=1))
        )
        areas = pd.DataFrame({"code": wards["code"].astype(str), "name": wards["name"].astype(str)})
        areas["count"] = areas["code"].map(by_ward["count"]).fillna(0).astype(int)
        areas["population"] = areas["code"].map(by_ward["population"])
    areas = areas.reset_index(drop=True)
    has_pop = areas["population"].notna() & (areas["population"] > 0)
    areas["value"] = np.nan
    areas["lower"] = np.nan
    areas["upper"] = np.nan
    if has_pop.any():
        rated = rate(areas[has_pop], "count", "population", per=per)
        for column in ("value", "lower", "upper"):
            areas.loc[has_pop, column] = rated[column].to_numpy()
    small = (areas["count"] >= 1) & (areas["count"] < threshold)
    areas["status"] = np.where(~has_pop, "missing", np.where(small, "suppressed", "shown"))
    areas["above"] = False
    method, average = "", np.nan
    if has_pop.sum() > 1:
        flags = overdispersed_flags(
            areas.loc[has_pop, "count"],
            areas.loc[has_pop, "population"],
            confidence=confidence,
            per=per,
        )
        # a suppressed area is never marked: the outline would tell its count
        areas.loc[has_pop, "above"] = (
            flags["above"].to_numpy() & (areas.loc[has_pop, "status"] == "shown").to_numpy()
        )
        method, average = flags.attrs["method"], flags.attrs["average"]
    areas.attrs.update(
        codes_without_polygon=int(len(no_polygon)),
        events_without_polygon=int(no_polygon.sum()),
        average=average,
        method=method,
        confidence=confidence,
        level=level,
        per=per,
        value_label=f"Rate per {per:,}",
        unit_suffix=f" per {per:,}",
    )
    return areas


def matching_note(areas: pd.DataFrame, what: str = "events") -> str:
    """A sentence on the data that could not be mapped and the areas without data."""
    parts = []
    n = areas.attrs.get("codes_without_polygon", 0)
    if n:
        parts.append(
            f"{areas.attrs['events_without_polygon']:,} {what} in {n:,} areas of the data "
            "with no boundary (a different boundary year) are not mapped"
        )
    missing = int((areas["status"] == "missing").sum())
    if missing:
        parts.append(f"{missing:,} areas on the map have no population figure (hatched)")
    return ("; ".join(parts) + ".").capitalize() if parts else ""
