"""Anti-social behaviour (priority 3): the calculations behind ``notebooks/03_anti_social_behaviour``.

Incidents by source (police, council, housing) and category, seasonality, hotspots and
repeat locations (aggregated: no street names or addresses are published), residents'
perceptions of the seven ASB strands with Wilson intervals on the Kish effective sample
size and the significance of change between waves, and deliberate fires. Breaches of
ASB orders are not in any dataset: they are entered in the framework with
``sa framework --values``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sa_toolkit.analysis.priority_common import up_to_year
from sa_toolkit.periods import FinancialYear

ASB_COLUMNS = ["month", "source", "category", "incident_datetime", "lsoa_code", "location",
               "longitude", "latitude"]  # fmt: skip
SOURCES = ("police", "council", "housing")
#: the sources as a reader sees them (the stored values are lower case)
SOURCE_LABELS = {"police": "Police", "council": "Council", "housing": "Housing",
                 "all sources": "All sources"}  # fmt: skip
CATEGORIES = ("personal", "nuisance", "environmental")
#: the seven ASB strands of the residents' survey (NI 17), in the order of the question
STRANDS = {
    "asb_noisy_neighbours": "Noisy neighbours or loud parties",
    "asb_teenagers_hanging_around": "Teenagers hanging around",
    "asb_rubbish_litter": "Rubbish or litter",
    "asb_vandalism_graffiti": "Vandalism and graffiti",
    "asb_drug_use_dealing": "People using or dealing drugs",
    "asb_drunk_rowdy": "People being drunk or rowdy",
    "asb_abandoned_vehicles": "Abandoned or burnt-out cars",
}
#: locations with at least this many incidents in a year are counted as repeat locations
REPEAT_LOCATION_MIN = 10
LOCATION_BANDS = ((1, 1, "1"), (2, 4, "2-4"), (5, 9, "5-9"), (10, 19, "10-19"),
                  (20, None, "20 or more"))  # fmt: skip
CALENDAR = ["April", "May", "June", "July", "August", "September", "October", "November",
            "December", "January", "February", "March"]  # fmt: skip


SOURCE_POLICE = "data.police.uk street-level crime: anti-social behaviour (open data)"


def police_incidents(src) -> pd.DataFrame:
    """Anti-social behaviour from the data.police.uk street-level files, in the shape of the
    ``asb_incidents`` extract (:data:`ASB_COLUMNS`), for a partnership that has no extract:
    every row is ``source="police"``; the open data have no category and no time."""
    rows = src.read("police_street", ["month", "crime_type", "lsoa_code", "location",
                                      "longitude", "latitude"])  # fmt: skip
    rows = rows[rows["crime_type"].astype(str) == "Anti-social behaviour"]
    return pd.DataFrame(
        {
            "month": rows["month"].to_numpy(),
            "source": "police",
            "category": pd.Series(pd.NA, index=rows.index, dtype="string").to_numpy(),
            "incident_datetime": pd.NaT,
            "lsoa_code": rows["lsoa_code"].astype(str).to_numpy(),
            "location": rows["location"].astype("string").to_numpy(),
            "longitude": rows["longitude"].to_numpy(),
            "latitude": rows["latitude"].to_numpy(),
        }
    )


def in_year(frame: pd.DataFrame, year: FinancialYear) -> pd.DataFrame:
    months = pd.PeriodIndex(frame["month"], freq="M")
    return frame[(months >= year.first_month) & (months <= year.last_month)]


def by_source_category(asb: pd.DataFrame, year: FinancialYear) -> pd.DataFrame:
    """Incidents in ``year`` by category (rows) and source (columns), zeros included."""
    rows = in_year(asb, year)
    table = pd.crosstab(rows["category"].astype(str), rows["source"].astype(str))
    # every category and source is shown, 0 when none; others after them
    cats = list(CATEGORIES) + [c for c in table.index if c not in CATEGORIES]
    srcs = list(SOURCES) + [s for s in table.columns if s not in SOURCES]
    table = table.reindex(index=cats, columns=srcs)
    table = table.fillna(0).astype(int)
    table.index = [c.capitalize() for c in table.index]
    table.columns = [c.capitalize() for c in table.columns]
    table.index.name = "Category"
    return table


def source_changes(
    asb: pd.DataFrame,
    year: FinancialYear,
    compared: bool = True,
    comparison=None,
    significance_level: float = 0.05,
) -> pd.DataFrame:
    """Incidents per source (and all sources) last year and this, with the change's test.

    The test allows for the extra-Poisson variation of each source's count, estimated
    from its monthly counts before ``year``
    (:func:`sa_toolkit.indicators.overdispersion.dispersion_before`), at
    ``significance_level``; ``variation`` says whether that estimate could be made
    (``"allowed for"``) or the test allows for chance variation alone (``"chance only"``:
    less than a complete year of months before).

    ``compared=False`` (no data for last year): ``before`` and the change are NaN.
    ``comparison`` (a :class:`sa_toolkit.coverage.YearComparison`): only the months both
    years hold are counted (like for like); not ``compared`` there -> not compared here.
    """
    from sa_toolkit.analysis.youth_crime import change_row
    from sa_toolkit.indicators.overdispersion import dispersion_before

    if comparison is not None:
        compared = compared and comparison.compared and comparison.has_previous
        this, last = comparison.rows(asb, "month", "this"), comparison.rows(asb, "month", "last")
    else:
        this, last = in_year(asb, year), in_year(asb, year.previous())
    # each source's variation beyond chance, from its monthly counts before the year
    # (months in which no source recorded anything are missing, not zero)
    months = pd.PeriodIndex(asb["month"], freq="M")
    observed = months.unique().sort_values()  # not a set of boxed Periods: slow on many rows
    by_month = pd.crosstab(months, asb["source"].astype(str).to_numpy()).reindex(observed)
    by_month = by_month.fillna(0)
    rows = []
    for source in [*SOURCES, "all sources"]:
        if source == "all sources":
            b, a = len(last), len(this)
            series = by_month.sum(axis=1)
        else:
            b = int((last["source"].astype(str) == source).sum())
            a = int((this["source"].astype(str) == source).sum())
            series = by_month[source] if source in by_month else by_month.sum(axis=1) * 0
        b = b if compared else np.nan
        dispersion = dispersion_before(series, year.first_month) if len(series) else None
        # too few complete years before the year to estimate the extra variation: the
        # test allows for chance variation alone (said in the table's note)
        estimated = dispersion is not None and dispersion.method != "poisson"
        rows.append(
            {"source": source, "before": b, "after": a,
             **change_row(b, a, dispersion, significance_level),
             "variation": "allowed for" if estimated else "chance only"}
        )  # fmt: skip
    return pd.DataFrame(rows)


def monthly_by_source(asb: pd.DataFrame, months: pd.PeriodIndex, coverage=None) -> pd.DataFrame:
    """Incidents per month by source (columns ``Police, Council, Housing``), zeros kept.

    With ``coverage`` (:class:`sa_toolkit.coverage.Coverage` of the source table), a month
    it does not hold is NaN: missing, not zero.
    """
    m = pd.PeriodIndex(asb["month"], freq="M")
    table = pd.crosstab(m, asb["source"].astype(str).to_numpy())
    table = table.reindex(index=months, columns=list(SOURCES), fill_value=0).fillna(0)
    table.columns = [c.capitalize() for c in table.columns]
    table.index.name = "month"
    table = table.astype(int)
    if coverage is not None and not pd.PeriodIndex(months, freq="M").isin(coverage.months).all():
        from sa_toolkit.coverage import with_gaps

        table = with_gaps(table, coverage)
    return table


def seasonality(monthly: pd.Series) -> pd.DataFrame:
    """Seasonal index per calendar month: mean incidents in that month / mean of all months.

    Uses complete financial years only (April to March, all twelve months with data: a
    missing month, NaN, leaves its year out), so every calendar month counts the same
    number of times. Returns ``month`` (April first), ``mean``, ``index`` (1 = average
    month) and ``years``.
    """
    s = monthly.copy()
    s.index = pd.PeriodIndex(s.index, freq="M")
    fy = np.asarray(s.index.year - (s.index.month < 4).astype(int))
    held = s.notna().groupby(fy).sum()
    complete = held.index[held == 12]
    n_years = len(complete)
    s = s[np.isin(fy, complete)]
    if s.empty:
        return pd.DataFrame(columns=["month", "mean", "index", "years"])
    means = s.groupby(np.asarray(s.index.month)).mean()
    order = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    means = means.reindex(order)
    overall = means.mean()
    return pd.DataFrame(
        {
            "month": CALENDAR,
            "mean": means.to_numpy(),
            "index": (means / overall).to_numpy() if overall else np.nan,
            "years": n_years,
        }
    )


def ward_rates(
    rows: pd.DataFrame, lookup: pd.DataFrame, population: pd.DataFrame, mid_year: int, per=1000
) -> pd.DataFrame:
    """Incidents per ward with the rate per ``per`` residents (Byar / exact intervals).

    ``population`` is the ``population`` table (LSOA rows); the latest estimate at or
    before ``mid_year`` is used. Wards with no incidents are kept (0).
    """
    from sa_toolkit.indicators import rate

    lk = lookup.assign(lsoa_code=lookup["lsoa_code"].astype(str),
                       ward_name=lookup["ward_name"].astype(str))  # fmt: skip
    years = sorted(int(y) for y in population["year"].unique() if int(y) <= mid_year)
    used = years[-1] if years else int(population["year"].min())
    pop = population[population["year"] == used]
    pop = pop.groupby(pop["lsoa_code"].astype(str), observed=True)["population"].sum()
    lk = lk[lk["lsoa_code"].isin(pop.index)]
    ward_pop = pop.reindex(lk["lsoa_code"]).groupby(lk["ward_name"].to_numpy()).sum()
    ward_of = dict(zip(lk["lsoa_code"], lk["ward_name"], strict=True))
    counts = rows["lsoa_code"].astype(str).map(ward_of).value_counts()
    out = pd.DataFrame({"ward": ward_pop.index, "population": ward_pop.to_numpy()})
    out["incidents"] = out["ward"].map(counts).fillna(0).astype(int)
    out = out[out["population"] > 0].reset_index(drop=True)
    out = rate(out, "incidents", "population", per=per)
    total = out["incidents"].sum()
    out["share"] = out["incidents"] / total * 100 if total else np.nan
    out.attrs["population_year"] = used
    return out.sort_values(["incidents", "ward"], ascending=[False, True]).reset_index(drop=True)


def lsoa_concentration(rows: pd.DataFrame, all_lsoas: Sequence[str]) -> dict:
    """Share of incidents in the busiest 10% of LSOAs and the Gini coefficient."""
    from sa_toolkit.indicators import concentration

    located = rows[rows["lsoa_code"].notna()]
    if located.empty:
        return {"top10_share": np.nan, "top10_areas": 0, "areas": len(all_lsoas), "gini": np.nan}
    res = concentration(
        located.assign(lsoa_code=located["lsoa_code"].astype(str)), "lsoa_code",
        all_areas=list(all_lsoas), top_shares=(0.10,),
    )  # fmt: skip
    return {
        "top10_share": float(res["value"][0]) * 100,
        "top10_areas": int(res["areas_in_top"][0]),
        "areas": int(res["areas"][0]),
        "gini": float(res["value"][1]),
    }


def repeat_locations(rows: pd.DataFrame, minimum: int = REPEAT_LOCATION_MIN) -> dict:
    """How incidents spread over locations (an LSOA and its location description).

    Returns ``bands``: locations and incidents by incidents per location (aggregates
    only: no location is named), and ``repeat_locations, repeat_incidents,
    repeat_share`` (%) for locations with ``minimum`` or more incidents. Incidents
    without a location are counted in ``unlocated``.
    """
    has_place = rows["location"].notna() & (rows["location"].astype(str).str.strip() != "")
    has_place &= rows["lsoa_code"].notna()
    located = rows[has_place]
    per_place = located.groupby(
        [located["lsoa_code"].astype(str), located["location"].astype(str)]
    ).size()
    bands = []
    for lo, hi, label in LOCATION_BANDS:
        sel = (per_place >= lo) & ((per_place <= hi) if hi is not None else True)
        bands.append({"incidents_per_location": label, "locations": int(sel.sum()),
                      "incidents": int(per_place[sel].sum())})  # fmt: skip
    repeat = per_place[per_place >= minimum]
    total = int(per_place.sum())
    return {
        "bands": pd.DataFrame(bands),
        "locations": int(len(per_place)),
        "repeat_locations": int(len(repeat)),
        "repeat_incidents": int(repeat.sum()),
        "repeat_share": repeat.sum() / total * 100 if total else np.nan,
        "repeat_location_share": len(repeat) / len(per_place) * 100 if len(per_place) else np.nan,
        "unlocated": int((~has_place).sum()),
        "minimum": minimum,
    }


# ----------------------------------------------------------------------------- survey


def strand_waves(survey: pd.DataFrame, year: FinancialYear | None = None) -> pd.DataFrame:
    """Weighted % seeing each strand as a very or fairly big problem, per wave.

    Uses :func:`sa_toolkit.partner.survey_percentages` (Wilson interval on the Kish
    effective sample size). Returns ``strand, label, wave, respondents, effective_n,
    value, lower, upper``. With ``year``, only the waves in effect by its end (fieldwork
    year at most its closing calendar year, :func:`~sa_toolkit.analysis.priority_common.up_to_year`).
    """
    from sa_toolkit.partner import survey_percentages

    columns = ["strand", "label", "wave", "respondents", "effective_n", "value", "lower", "upper"]
    survey = up_to_year(survey, year, "wave", "wave")
    if survey is None or survey.empty:
        return pd.DataFrame(columns=columns)
    parts = []
    for strand, label in STRANDS.items():
        res = survey_percentages(survey, strand, by=("wave",))
        parts.append(res.assign(strand=strand, label=label))
    out = pd.concat(parts, ignore_index=True)
    out["wave"] = out["wave"].astype(int)
    return out[columns]


def strand_change(waves: pd.DataFrame, significance_level: float = 0.05) -> pd.DataFrame:
    """Latest wave against the one before, per strand: pp change and its z test.

    The test (:func:`sa_toolkit.indicators.change`, unit ``percent``) uses the weighted
    numerators and the Kish effective sample sizes, at ``significance_level`` (the
    interval is at the matching confidence).
    """
    from sa_toolkit.indicators import change

    ordered = sorted(waves["wave"].unique())
    if len(ordered) < 2:
        return pd.DataFrame(columns=["strand", "label", "before_wave", "after_wave", "before",
                                     "after", "change", "lower", "upper", "p_value",
                                     "significant"])  # fmt: skip
    before_wave, after_wave = ordered[-2], ordered[-1]
    b = waves[waves["wave"] == before_wave].set_index("strand")
    a = waves[waves["wave"] == after_wave].set_index("strand")
    common = [s for s in STRANDS if s in a.index and s in b.index]
    frame = pd.DataFrame(
        {
            "strand": common,
            "label": [STRANDS[s] for s in common],
            "x0": (b.loc[common, "value"] / 100 * b.loc[common, "effective_n"]).to_numpy(),
            "n0": b.loc[common, "effective_n"].to_numpy(),
            "x1": (a.loc[common, "value"] / 100 * a.loc[common, "effective_n"]).to_numpy(),
            "n1": a.loc[common, "effective_n"].to_numpy(),
        }
    )
    res = change(frame, "x0", "x1", "percent", "n0", "n1", confidence=1 - significance_level)
    return pd.DataFrame(
        {
            "strand": common,
            "label": frame["label"],
            "before_wave": before_wave,
            "after_wave": after_wave,
            "before": b.loc[common, "value"].to_numpy(),
            "after": a.loc[common, "value"].to_numpy(),
            "change": res["value"],
            "lower": res["lower"],
            "upper": res["upper"],
            "p_value": res["p_value"],
            "significant": res["significant"].astype(bool),
        }
    )


def strands_by_ward(survey: pd.DataFrame, lookup: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Per ward in one wave: respondents and % seeing each strand as a big problem.

    Returns one row per ward and strand: ``ward, strand, label, respondents,
    effective_n, value, lower, upper``.
    """
    from sa_toolkit.partner import survey_percentages

    rows = survey[pd.to_numeric(survey["wave"]) == wave]
    names = dict(
        zip(lookup["ward_code"].astype(str), lookup["ward_name"].astype(str), strict=False)
    )
    parts = []
    for strand, label in STRANDS.items():
        res = survey_percentages(rows, strand, by=("ward_code",))
        parts.append(res.assign(strand=strand, label=label))
    out = pd.concat(parts, ignore_index=True)
    out["ward"] = out["ward_code"].astype(str).map(names).fillna(out["ward_code"].astype(str))
    return out[["ward", "strand", "label", "respondents", "effective_n", "value", "lower",
                "upper"]]  # fmt: skip


# ----------------------------------------------------------------------------- fires


def deliberate_fires(
    fires: pd.DataFrame, populations: dict[str, float], years: Sequence[FinancialYear]
) -> pd.DataFrame:
    """Deliberate primary and secondary fires per financial year, rate per 10,000.

    ``populations`` maps each year's label to the partnership's population. Returns
    ``year, type, fires, population, value, lower, upper`` (Byar / exact intervals).
    """
    from sa_toolkit.indicators import rate
    from sa_toolkit.periods import financial_year_label

    deliberate = fires[fires["motive"].astype(str) == "deliberate"]
    labels = financial_year_label(deliberate["month"])
    rows = []
    for y in years:
        if y.label not in populations:
            continue
        sel = deliberate[(labels == y.label).to_numpy()]
        kinds = sel["incident_type"].astype(str)
        for kind in ("primary", "secondary"):
            rows.append({"year": y.label, "type": kind, "fires": int((kinds == kind).sum()),
                         "population": populations[y.label]})  # fmt: skip
    out = pd.DataFrame(rows, columns=["year", "type", "fires", "population"])
    if out.empty:
        return out
    return rate(out, "fires", "population", per=10000)


def deliberate_fires_monthly(fires: pd.DataFrame) -> pd.Series:
    """Deliberate fires (primary and secondary) per month the fire data hold."""
    months = pd.PeriodIndex(fires["month"], freq="M")
    deliberate = (fires["motive"].astype(str) == "deliberate").to_numpy()
    counts = pd.Series(deliberate.astype(int), index=months).groupby(level=0).sum()
    return counts.sort_index()


# ----------------------------------------------------------------------------- tables


def ward_strand_table(
    survey: pd.DataFrame, lookup: pd.DataFrame, wave: int, threshold: int = 0
) -> pd.DataFrame:
    """Wards (rows) by strand (columns) of the % seeing it as a big problem, one wave.

    Wards with fewer respondents than ``threshold`` are left out; the ``respondents``
    column gives each ward's base. A percentage that stands for fewer than ``threshold``
    of a ward's respondents is shown as ``[c]`` (disclosure control).
    """
    long = strands_by_ward(survey, lookup, wave)
    base = long.groupby("ward")["respondents"].max()
    wide = long.pivot(index="ward", columns="label", values="value")
    wide = wide[[label for label in STRANDS.values() if label in wide.columns]].round(0)
    respondents = base.reindex(wide.index).astype(int)
    if threshold > 1:
        # a percentage of a ward's sample that stands for fewer than `threshold` residents
        # (2% of 100 respondents) discloses them: shown as [c], like a hidden count
        from sa_toolkit.disclosure import SECONDARY_MARKER

        people = wide.mul(respondents, axis=0) / 100
        small = (people > 0) & (people.round(0) < threshold)
        wide = wide.astype(object).mask(small, SECONDARY_MARKER)
    wide.insert(0, "respondents", respondents)
    wide = wide[wide["respondents"] >= max(threshold, 1)]
    return wide.rename_axis("Ward").reset_index()


# The sentences and figures live in their own modules; their names stay importable from here.
from sa_toolkit.analysis.anti_social_behaviour_charts import (  # noqa: E402
    strands_chart,
    ward_labels,
    ward_strand_chart,
)
from sa_toolkit.analysis.anti_social_behaviour_text import (  # noqa: E402
    financial_years_text,
    fires_sentence,
    headline_sentence,
    hotspot_sentence,
    season_sentence,
    survey_sentence,
    ward_strand_sentence,
)

__all__ = [
    "ASB_COLUMNS", "CALENDAR", "CATEGORIES", "LOCATION_BANDS", "REPEAT_LOCATION_MIN",
    "SOURCES", "SOURCE_LABELS", "SOURCE_POLICE", "STRANDS", "by_source_category", "deliberate_fires",
    "financial_years_text", "fires_sentence", "headline_sentence", "hotspot_sentence",
    "in_year", "lsoa_concentration", "monthly_by_source", "police_incidents",
    "repeat_locations", "season_sentence", "seasonality", "source_changes", "strand_change",
    "strand_waves", "strands_by_ward", "strands_chart", "survey_sentence", "ward_labels",
    "ward_rates", "ward_strand_chart", "ward_strand_sentence", "ward_strand_table",
]  # fmt: skip
