"""Youth crime (priority 2): the calculations behind ``notebooks/02_youth_crime``.

Young victims and suspects (10-17, 18-24) from the partner crime extract, serious youth
violence, first-time entrants against the population aged 10-17, the after-school peak
(15:00-18:00 on school days against other days), youth robbery, and the re-offending,
employment and accommodation of young offenders. Every function takes frames and
returns frames or plain numbers. The sentences built from them are in
:mod:`~sa_toolkit.analysis.youth_crime_text`, the module's own charts in
:mod:`~sa_toolkit.analysis.youth_crime_charts` (both importable from here too, as other
reports use them); the report's data, read once, in
:mod:`~sa_toolkit.analysis.youth_crime_data` and its sections in
:mod:`~sa_toolkit.analysis.youth_crime_report` and
:mod:`~sa_toolkit.analysis.youth_crime_offenders`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# the sentences and charts moved to their own modules; other reports import them from here
from sa_toolkit.analysis.youth_crime_charts import hourly_chart, interval_chart  # noqa: F401
from sa_toolkit.analysis.youth_crime_text import (  # noqa: F401
    after_school_sentence,
    change_finding,
    count_text,
    counts_text,
    employment_title,
    fte_sentence,
    probation_sentence,
    publishable,
    reoffending_sentence,
)
from sa_toolkit.periods import FinancialYear, financial_year_label, financial_year_of, year_range
from sa_toolkit.time_windows import SCHOOL_HOLIDAYS, school_days  # noqa: F401 - part of this API

#: age groups reported for young people
YOUTH_BANDS = {"10-17": (10, 17), "18-24": (18, 24)}
AFTER_SCHOOL = ("15:00", "18:00")
INCIDENT_COLUMNS = [
    "month", "lsoa_code", "crime_type", "offence_start", "offence_end", "serious_youth_violence",
    "victim_age", "suspect_age",
]  # fmt: skip


def years_to(cfg, held=None) -> list[FinancialYear]:
    """Financial years from the baseline year (or the year before, if later) to the year.

    With ``held`` (the months a table holds, e.g. ``tables.table_months``), years before
    the data begin are left out, so they are not shown or compared as years with none.
    """
    first = min(cfg.baseline_year, cfg.year.previous())
    held = sorted(held) if held is not None else []
    if held:
        first = max(first, min(financial_year_of(held[0]), cfg.year))
    return year_range(first, cfg.year)


def _age_band(ages: pd.Series) -> pd.Series:
    a = pd.to_numeric(ages, errors="coerce")
    out = pd.Series(pd.NA, index=ages.index, dtype="object")
    for label, (lo, hi) in YOUTH_BANDS.items():
        out[(a >= lo) & (a <= hi)] = label
    return out


def load_incidents(src, cfg) -> pd.DataFrame:
    """The partnership's crime incidents from the first year shown to the year assessed."""
    table = src.read("crime_incidents", INCIDENT_COLUMNS)
    months = pd.PeriodIndex(table["month"], freq="M")
    first = years_to(cfg)[0].first_month
    keep = (months >= first) & (months <= cfg.year.last_month)
    return table[keep].reset_index(drop=True)


def change_row(
    before: float, after: float, dispersion=None, significance_level: float = 0.05
) -> dict:
    """% change of two counts with its test (:func:`indicators.poisson_change`): exact
    Poisson, or quasi-Poisson with ``dispersion`` (from the series' monthly counts,
    :func:`sa_toolkit.indicators.overdispersion.dispersion_before`)."""
    from sa_toolkit.indicators import poisson_change

    if pd.isna(before) or (before == 0 and after == 0):  # NaN: no data for the year before
        return {"change": np.nan, "p_value": np.nan, "significant": False}
    out = poisson_change(
        pd.DataFrame({"b": [before], "a": [after]}), "b", "a",
        confidence=1 - significance_level, dispersion=dispersion,
    )  # fmt: skip
    change = (after - before) / before * 100 if before else np.nan
    return {
        "change": change,
        "p_value": float(out["p_value"][0]),
        "significant": bool(out["significant"][0]),
    }


# ----------------------------------------------------------------------------- victims, suspects


def young_people_monthly(incidents: pd.DataFrame, months: pd.PeriodIndex) -> pd.DataFrame:
    """Monthly victims and suspects aged 10-17 and 18-24 (one incident = one victim/suspect).

    Returns columns ``Victims 10-17, Victims 18-24, Suspects 10-17, Suspects 18-24``
    indexed by every month (0 when none).
    """
    columns = {}
    for role, col in (("Victims", "victim_age"), ("Suspects", "suspect_age")):
        band = _age_band(incidents[col])
        for label in YOUTH_BANDS:
            sel = incidents.loc[band == label, "month"]
            columns[f"{role} {label}"] = (
                pd.PeriodIndex(sel, freq="M").value_counts().reindex(months, fill_value=0)
            )
    out = pd.DataFrame(columns).astype(int)
    out.index.name = "month"
    return out


def year_totals(monthly: pd.DataFrame, years: Sequence[FinancialYear]) -> pd.DataFrame:
    """Financial-year totals of monthly columns (rows: years)."""
    rows = {y.label: monthly.reindex(y.months, fill_value=0).sum() for y in years}
    return pd.DataFrame(rows).T.rename_axis("year")


def latest_changes(
    totals: pd.DataFrame,
    year: FinancialYear,
    significance_level: float = 0.05,
    monthly: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each column's change from the year before to ``year`` with its test.

    With ``monthly`` (the same columns by month), each change is tested allowing for the
    extra variation its monthly counts show before ``year``
    (:func:`sa_toolkit.indicators.overdispersion.dispersion_before`); without it, or with
    too few months before, against chance variation alone (exact Poisson).
    When ``totals`` has no row for the year before (no data for it), ``before``, ``change``
    and ``p_value`` are NaN and nothing is significant.
    """
    after = totals.loc[year.label]
    previous = year.previous().label
    before = totals.loc[previous] if previous in totals.index else None
    rows = []
    for col in totals.columns:
        b = np.nan if before is None else float(before[col])
        dispersion = monthly_dispersion(monthly[col], year) if monthly is not None else None
        rows.append({"measure": col, "before": b, "after": int(after[col]),
                     **change_row(b, float(after[col]), dispersion, significance_level)})  # fmt: skip
    return pd.DataFrame(rows)


def monthly_dispersion(monthly: pd.Series, year: FinancialYear):
    """The extra-Poisson variation of a monthly count before ``year``, or None (no months)."""
    from sa_toolkit.indicators.overdispersion import dispersion_before

    series = pd.Series(monthly).dropna()
    return dispersion_before(series, year.first_month) if len(series) else None


def serious_youth_violence_monthly(incidents: pd.DataFrame, months: pd.PeriodIndex) -> pd.Series:
    """Incidents flagged serious youth violence per month of ``months`` (0 where none)."""
    flagged = incidents.loc[incidents["serious_youth_violence"].fillna(False).astype(bool)]
    counts = pd.PeriodIndex(flagged["month"], freq="M").value_counts()
    return counts.reindex(months, fill_value=0).astype(int)


def serious_youth_violence(incidents: pd.DataFrame, years: Sequence[FinancialYear]) -> pd.Series:
    """Incidents flagged serious youth violence per financial year (victims, LI 2)."""
    flagged = incidents.loc[incidents["serious_youth_violence"].fillna(False).astype(bool)]
    labels = financial_year_label(flagged["month"]).value_counts()
    return pd.Series([int(labels.get(y.label, 0)) for y in years], index=[y.label for y in years])


# ----------------------------------------------------------------------------- first-time entrants


def first_time_entrants(fte: pd.DataFrame, area_code: str, years: Sequence[FinancialYear]):
    """First-time entrants per financial year and the rate per 100,000 aged 10-17.

    A financial year is its four calendar quarters starting with April (as the MoJ
    publishes quarters); years without all four quarters are left out. The population is
    the mean of the quarters' 10-17 populations. Intervals: Byar / exact Poisson
    (:func:`sa_toolkit.indicators.rate`).
    """
    from sa_toolkit.indicators import rate

    rows = fte[fte["area_code"].astype(str) == str(area_code)]
    quarters = pd.PeriodIndex(rows["quarter"].astype(str), freq="Q")
    out = []
    for y in years:
        first = pd.Period(y.start, freq="Q")
        sel = rows[(quarters >= first) & (quarters <= first + 3)]
        if len(sel) < 4:
            continue
        out.append({"year": y.label, "entrants": int(sel["first_time_entrants"].sum()),
                    "population_10_17": float(sel["population_10_17"].mean())})  # fmt: skip
    frame = pd.DataFrame(out, columns=["year", "entrants", "population_10_17"])
    if frame.empty:
        return frame.assign(value=[], lower=[], upper=[], confidence=[], method=[])
    return rate(frame, "entrants", "population_10_17", per=100000)


# ----------------------------------------------------------------------------- after school


def after_school_peak(
    incidents: pd.DataFrame,
    year: FinancialYear,
    crime_types: Sequence[str] | None = None,
    max_age: int = 17,
    holidays: Sequence | None = None,
    significance_level: float = 0.05,
) -> dict:
    """Share of offences against young victims from 15:00 to 18:00, school days v other days.

    Offences against victims aged 10 to ``max_age`` in ``year`` (of ``crime_types``, all
    when None) are split by whether the offence started on a school day; each group's
    share in the window is taken with :func:`sa_toolkit.indicators.window_share`
    (aoristic for offences with a start and an end). The difference is tested with the
    two-proportion z test (:func:`sa_toolkit.indicators.proportion_change`).

    Returns
    -------
    dict
        ``school_share, other_share`` (0..1), ``school_offences, other_offences``,
        ``ratio`` (school share / other share), ``p_value, significant`` and ``hourly``:
        a frame of hours 0..23 with each group's share of its offences by hour.
    """
    from sa_toolkit.indicators import proportion_change, window_share
    from sa_toolkit.indicators.temporal import hour_of_week_weights

    ages = pd.to_numeric(incidents["victim_age"], errors="coerce")
    months = pd.PeriodIndex(incidents["month"], freq="M")
    sel = (ages >= 10) & (ages <= max_age) & (months >= year.first_month)
    sel &= months <= year.last_month
    if crime_types is not None:
        sel &= incidents["crime_type"].astype(str).isin(list(crime_types))
    rows = incidents.loc[sel, ["offence_start", "offence_end"]].dropna(subset=["offence_start"])
    school = school_days(rows["offence_start"], holidays) if len(rows) else np.array([], bool)
    result = {"school_offences": int(school.sum()), "other_offences": int((~school).sum())}
    hourly = {}
    for key, part in (("school", rows[school]), ("other", rows[~school])):
        if part.empty:
            result[f"{key}_share"] = np.nan
            hourly[key] = np.full(24, np.nan)
            continue
        share = window_share(part, "offence_start", AFTER_SCHOOL, end="offence_end")
        result[f"{key}_share"] = float(share["value"][0])
        weights = hour_of_week_weights(part, "offence_start", "offence_end").reshape(7, 24)
        hourly[key] = weights.sum(axis=0) / weights.sum()
    result["hourly"] = pd.DataFrame(
        {"School days": hourly["school"], "Other days": hourly["other"]},
        index=pd.RangeIndex(24, name="hour"),
    )
    s, o = result["school_share"], result["other_share"]
    result["ratio"] = s / o if o and not np.isnan(o) and not np.isnan(s) else np.nan
    if result["school_offences"] and result["other_offences"]:
        test = proportion_change(
            pd.DataFrame(
                {"x0": [o * result["other_offences"]], "n0": [result["other_offences"]],
                 "x1": [s * result["school_offences"]], "n1": [result["school_offences"]]}
            ),
            "x0", "n0", "x1", "n1", confidence=1 - significance_level,
        )  # fmt: skip
        result["p_value"] = float(test["p_value"][0])
        result["significant"] = bool(test["significant"][0])
    else:
        result["p_value"], result["significant"] = np.nan, False
    return result


# ----------------------------------------------------------------------------- youth robbery


def youth_robbery(incidents: pd.DataFrame, years: Sequence[FinancialYear]) -> pd.DataFrame:
    """Robbery per financial year: victims aged 10-17 and 18-24, suspects aged 10-17.

    Returns columns ``robberies, victims_10_17, victims_18_24, suspects_10_17,
    suspects_known`` and ``share_victims_10_17`` (%).
    """
    rob = incidents[incidents["crime_type"].astype(str) == "Robbery"]
    labels = financial_year_label(rob["month"])
    v = pd.to_numeric(rob["victim_age"], errors="coerce")
    s = pd.to_numeric(rob["suspect_age"], errors="coerce")
    rows = []
    for y in years:
        in_year = (labels == y.label).to_numpy()
        n = int(in_year.sum())
        v10 = int(((v >= 10) & (v <= 17)).to_numpy()[in_year].sum())
        rows.append(
            {
                "year": y.label,
                "robberies": n,
                "victims_10_17": v10,
                "victims_18_24": int(((v >= 18) & (v <= 24)).to_numpy()[in_year].sum()),
                "suspects_10_17": int(((s >= 10) & (s <= 17)).to_numpy()[in_year].sum()),
                "suspects_known": int(s.notna().to_numpy()[in_year].sum()),
                "share_victims_10_17": v10 / n * 100 if n else np.nan,
            }
        )
    return pd.DataFrame(rows)


def young_victim_places(
    incidents: pd.DataFrame,
    lookup: pd.DataFrame,
    year: FinancialYear,
    crime_types: Sequence[str] | None = ("Robbery",),
    max_age: int = 17,
) -> pd.DataFrame:
    """Victims aged 10 to ``max_age`` by ward in ``year``, most first, with each ward's share."""
    ages = pd.to_numeric(incidents["victim_age"], errors="coerce")
    months = pd.PeriodIndex(incidents["month"], freq="M")
    sel = (ages >= 10) & (ages <= max_age) & (months >= year.first_month)
    sel &= months <= year.last_month
    if crime_types is not None:
        sel &= incidents["crime_type"].astype(str).isin(list(crime_types))
    wards = lookup.assign(lsoa_code=lookup["lsoa_code"].astype(str))
    ward_of = dict(zip(wards["lsoa_code"], wards["ward_name"].astype(str), strict=True))
    names = incidents.loc[sel, "lsoa_code"].astype(str).map(ward_of).fillna("Unknown ward")
    counts = names.value_counts()
    all_wards = sorted(set(wards["ward_name"].astype(str)))
    counts = counts.reindex(sorted(set(all_wards) | set(counts.index)), fill_value=0)
    total = counts.sum()
    out = pd.DataFrame({"ward": counts.index, "victims": counts.to_numpy().astype(int)})
    out["share"] = out["victims"] / total * 100 if total else np.nan
    return out.sort_values(["victims", "ward"], ascending=[False, True]).reset_index(drop=True)


# ----------------------------------------------------------------------------- re-offending


def juvenile_reoffending(reoffending: pd.DataFrame, area_code: str, year=None) -> pd.DataFrame:
    """Juvenile cohorts by financial year: rate (Wilson) and frequency (Byar) with intervals.

    A financial year's cohort is its four calendar quarters from April (incomplete years
    are left out; MoJ figures lag about 18 months). ``ppo=False`` rows are all offenders.
    With ``year``, only cohort quarters ending by the end of that financial year
    (:func:`~sa_toolkit.analysis.priority_common.up_to_year`).

    Returns
    -------
    DataFrame
        ``year, offenders, reoffenders, reoffences, rate, rate_lower, rate_upper,
        frequency, frequency_lower, frequency_upper``.
    """
    from sa_toolkit.analysis.priority_common import up_to_year
    from sa_toolkit.indicators import reoffending_frequency, reoffending_rate

    reoffending = up_to_year(reoffending, year, "cohort_quarter", "quarter")
    rows = reoffending[
        (reoffending["area_code"].astype(str) == str(area_code))
        & (reoffending["cohort"].astype(str) == "juvenile")
        & ~reoffending["ppo"].astype(bool)
    ]
    q = pd.PeriodIndex(rows["cohort_quarter"].astype(str), freq="Q")
    # calendar quarter -> financial year of its first month (2024Q1 is in 2023/24)
    start_year = np.where(np.asarray(q.quarter) >= 2, np.asarray(q.year), np.asarray(q.year) - 1)
    rows = rows.assign(year=[f"{y}/{(y + 1) % 100:02d}" for y in start_year])
    grouped = rows.groupby("year", sort=True)
    out = grouped[["offenders", "reoffenders", "reoffences"]].sum()
    out = out[grouped.size() == 4].reset_index()
    cols = ["year", "offenders", "reoffenders", "reoffences", "rate", "rate_lower", "rate_upper",
            "frequency", "frequency_lower", "frequency_upper"]  # fmt: skip
    if out.empty:
        return pd.DataFrame(columns=cols)
    r = reoffending_rate(out, "offenders", "reoffenders")
    out["rate"], out["rate_lower"], out["rate_upper"] = r["value"], r["lower"], r["upper"]
    has = out["reoffenders"] > 0
    out[["frequency", "frequency_lower", "frequency_upper"]] = np.nan
    if has.any():
        f = reoffending_frequency(out[has].reset_index(drop=True), "reoffenders", "reoffences")
        out.loc[has, "frequency"] = f["value"].to_numpy()
        out.loc[has, "frequency_lower"] = f["lower"].to_numpy()
        out.loc[has, "frequency_upper"] = f["upper"].to_numpy()
    return out[cols]


def reoffending_trend(cohorts: pd.DataFrame) -> dict:
    """Fingertips-style trend (:func:`indicators.trend`) of the rate and of the frequency."""
    from sa_toolkit.indicators import trend

    out = {}
    for key in ("rate", "frequency"):
        pts = cohorts.dropna(subset=[key]).rename(
            columns={key: "value", f"{key}_lower": "lower", f"{key}_upper": "upper"}
        )
        if len(pts) < 3:
            out[key] = "cannot be calculated"
            continue
        points = min(5, len(pts))
        res = trend(pts[["year", "value", "lower", "upper"]], "year",
                    polarity="lower_is_better", points=points)  # fmt: skip
        out[key] = str(res["trend"][0])
    return out


# ----------------------------------------------------------------------------- probation


def probation_by_age(
    probation: pd.DataFrame, area_code: str, years: Sequence[FinancialYear]
) -> pd.DataFrame:
    """Employment and settled accommodation at the end of probation, by age group and year.

    Returns ``year, age_group, terminations, in_employment, employment, employment_lower,
    employment_upper, in_settled_accommodation, accommodation, accommodation_lower,
    accommodation_upper`` (percentages with Wilson intervals; none for an age group with no
    orders ending that year, which is still listed); years without all four
    quarters are left out.
    """
    from sa_toolkit.indicators import proportion

    rows = probation[probation["area_code"].astype(str) == str(area_code)]
    q = pd.PeriodIndex(rows["quarter"].astype(str), freq="Q")
    parts = []
    for y in years:
        first = pd.Period(y.start, freq="Q")
        sel = rows[(q >= first) & (q <= first + 3)]
        if pd.PeriodIndex(sel["quarter"].astype(str), freq="Q").nunique() < 4:
            continue
        agg = sel.groupby(sel["age_group"].astype(str))[
            ["terminations", "in_employment", "in_settled_accommodation"]
        ].sum()
        parts.append(agg.reset_index().assign(year=y.label))
    cols = ["year", "age_group", "terminations", "in_employment", "in_settled_accommodation"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)[cols]
    # every age group in every year, so that series by age line up year for year; a
    # group with no orders ending has no percentage (missing, not zero)
    grid = pd.MultiIndex.from_product(
        [out["year"].unique(), sorted(out["age_group"].unique())], names=["year", "age_group"]
    )
    out = out.set_index(["year", "age_group"]).reindex(grid, fill_value=0).reset_index()
    ended = out["terminations"] > 0
    for col, name in (("in_employment", "employment"), ("in_settled_accommodation",
                                                         "accommodation")):  # fmt: skip
        for suffix in ("", "_lower", "_upper"):
            out[name + suffix] = np.nan
        if ended.any():
            p = proportion(out[ended], col, "terminations", multiplier=100)
            out.loc[ended, name] = p["value"].to_numpy()
            out.loc[ended, f"{name}_lower"] = p["lower"].to_numpy()
            out.loc[ended, f"{name}_upper"] = p["upper"].to_numpy()
    return out
