"""Priority 5, reducing re-offending: the calculations behind ``05_reoffending``.

Proven re-offending rate and frequency by cohort and financial year, with intervals and
the five-year trend; probation employment and accommodation at the end of orders; and
the age profile of suspects against the population.

Cohorts: adults and juveniles are the all-offender rows (``ppo`` False); prolific and
priority offenders (``ppo`` True, adults and juveniles together) are a subset of those
rows and are never added to them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit.analysis.priority_common import TableStore, up_to_year

# the prolific and priority offender (PPO) cohort: today the Integrated Offender Management one
ADULT, JUVENILE, PPO = "Adult", "Juvenile", "Integrated Offender Management"
#: suspect and population age bands (the population table has five-year bands)
AGE_BANDS = ((10, 14), (15, 19), (20, 24), (25, 29), (30, 39), (40, 49), (50, 59), (60, 200))


def load(cfg, lsoas) -> TableStore:
    """The tables the re-offending report reads, each once, with only needed columns."""
    return TableStore(
        cfg.processed_dir,
        columns={
            "reoffending": [
                "area_code",
                "cohort_quarter",
                "cohort",
                "ppo",
                "offenders",
                "reoffenders",
                "reoffences",
            ],
            "probation_outcomes": [
                "area_code",
                "quarter",
                "order_type",
                "age_group",
                "terminations",
                "in_employment",
                "in_settled_accommodation",
            ],
            "crime_incidents": ["month", "lsoa_code", "suspect_age"],
            "population": ["year", "lsoa_code", "age_min", "population"],
        },  # fmt: skip
        filters={
            "crime_incidents": [
                ("month", ">=", cfg.year.first_month.start_time.date()),
                ("month", "<=", cfg.year.last_month.start_time.date()),
                ("lsoa_code", "in", list(lsoas)),
            ],
            "population": [("lsoa_code", "in", list(lsoas))],
        },
    )


def quarter_financial_year(quarters: pd.Series) -> pd.Series:
    """Financial year (``2024/25``) of calendar quarters written ``2024Q2``."""
    q = pd.PeriodIndex(quarters.astype(str), freq="Q")
    start = q.year - (q.quarter == 1).astype(int)
    return pd.Series([f"{s}/{(s + 1) % 100:02d}" for s in start], index=quarters.index)


def cohort_rates(reoffending: pd.DataFrame, area_code: str, year=None) -> pd.DataFrame:
    """Rate and frequency by financial year and cohort, complete years (4 quarters) only.

    With ``year``, only cohort quarters ending by the end of that financial year
    (:func:`~sa_toolkit.analysis.priority_common.up_to_year`): a past year's report shows
    no later cohort.

    Returns ``financial_year, cohort, offenders, reoffenders, reoffences`` and
    ``rate, rate_lower, rate_upper`` (%, Wilson) and ``frequency, frequency_lower,
    frequency_upper`` (re-offences per re-offender, Poisson), NaN where undefined.
    """
    from sa_toolkit.indicators import reoffending_frequency, reoffending_rate

    if reoffending is None:
        return pd.DataFrame(columns=["financial_year", "cohort", "offenders", "reoffenders",
                                     "reoffences", "rate", "rate_lower", "rate_upper",
                                     "frequency", "frequency_lower", "frequency_upper"])  # fmt: skip
    rows = reoffending[reoffending["area_code"].astype(str) == area_code]
    rows = up_to_year(rows, year, "cohort_quarter", "quarter").copy()
    rows["financial_year"] = quarter_financial_year(rows["cohort_quarter"])
    rows["ppo"] = rows["ppo"].astype(bool)
    kind = np.where(rows["ppo"], PPO, np.where(rows["cohort"].astype(str) == "adult", ADULT,
                                               JUVENILE))  # fmt: skip
    rows["group"] = kind
    counts = ["offenders", "reoffenders", "reoffences"]
    agg = rows.groupby(["financial_year", "group"])[counts].sum()
    quarters = rows.groupby(["financial_year", "group"])["cohort_quarter"].nunique()
    agg = agg[quarters.reindex(agg.index) == 4].reset_index().rename(columns={"group": "cohort"})
    out = agg.assign(rate=np.nan, rate_lower=np.nan, rate_upper=np.nan, frequency=np.nan,
                     frequency_lower=np.nan, frequency_upper=np.nan)  # fmt: skip
    ok = out["offenders"] > 0
    if ok.any():
        r = reoffending_rate(out[ok], "offenders", "reoffenders")
        out.loc[ok, ["rate", "rate_lower", "rate_upper"]] = r[["value", "lower", "upper"]].values
    ok = out["reoffenders"] > 0
    if ok.any():
        f = reoffending_frequency(out[ok], "reoffenders", "reoffences")
        out.loc[ok, ["frequency", "frequency_lower", "frequency_upper"]] = f[
            ["value", "lower", "upper"]
        ].values
    order = {ADULT: 0, JUVENILE: 1, PPO: 2}
    return out.sort_values(
        ["cohort", "financial_year"], key=lambda s: s.map(order) if s.name == "cohort" else s
    ).reset_index(drop=True)


def cohort_trends(rates: pd.DataFrame, points: int = 5) -> pd.DataFrame:
    """Fingertips-style trend of each cohort's rate over its last ``points`` years.

    With fewer complete years (at least 3), the trend uses the years there are;
    ``points_used`` says how many.
    """
    from sa_toolkit.indicators import trend

    usable = rates.dropna(subset=["rate"])
    usable = usable[usable["rate_upper"] > usable["rate_lower"]]
    n_years = int(usable.groupby("cohort")["financial_year"].nunique().min()) if len(usable) else 0
    if n_years < 3:
        return pd.DataFrame(columns=["cohort", "trend", "slope", "points_used"])
    out = trend(usable, "financial_year", "rate", "rate_lower", "rate_upper", group_cols="cohort",
                polarity="lower_is_better", points=min(points, n_years))  # fmt: skip
    return out[["cohort", "trend", "slope", "points_used"]]


def latest_cohort_year(rates: pd.DataFrame, year) -> str | None:
    """The latest complete cohort year up to the assessed one (MoJ figures lag ~18 months)."""
    years = sorted(y for y in rates["financial_year"].unique() if y <= year.label)
    return years[-1] if years else None


def rate_change(
    rates: pd.DataFrame, cohort: str, year, significance_level: float = 0.05
) -> dict | None:
    """The latest cohort year's rate against the year before, with the z test (pp)."""
    from sa_toolkit.indicators import proportion_change
    from sa_toolkit.periods import FinancialYear

    latest = latest_cohort_year(rates, year)
    if latest is None:
        return None
    label, previous = latest, FinancialYear.parse(latest).previous().label
    part = rates[rates["cohort"] == cohort].set_index("financial_year")
    if label not in part.index or previous not in part.index:
        return None
    now, before = part.loc[label], part.loc[previous]
    if not now["offenders"] or not before["offenders"]:
        return None
    frame = pd.DataFrame({"x0": [before["reoffenders"]], "n0": [before["offenders"]],
                          "x1": [now["reoffenders"]], "n1": [now["offenders"]]})  # fmt: skip
    test = proportion_change(frame, "x0", "n0", "x1", "n1", confidence=1 - significance_level).iloc[
        0
    ]
    return {
        "cohort": cohort,
        "year": label,
        "before": float(before["rate"]),
        "after": float(now["rate"]),
        "lower": float(now["rate_lower"]),
        "upper": float(now["rate_upper"]),
        "change_pp": float(test["value"]),
        "p_value": float(test["p_value"]),
        "significant": bool(test["significant"]),
        "frequency": float(now["frequency"]),
        "frequency_before": float(before["frequency"]),
        "offenders": int(now["offenders"]),
        "reoffenders": int(now["reoffenders"]),
        "reoffenders_before": int(before["reoffenders"]),
    }


def probation(outcomes: pd.DataFrame, area_code: str, year=None) -> dict:
    """Employment and settled accommodation at termination (% with Wilson intervals).

    ``by_year``: one row per complete financial year and outcome; ``by_group``: the
    latest complete year by order type and age group. With ``year``, only quarters ending
    by the end of that financial year.
    """
    from sa_toolkit.indicators import proportion

    empty = pd.DataFrame(columns=["financial_year", "outcome", "value", "lower", "upper"])
    if outcomes is None:
        return {"by_year": empty, "by_group": empty, "latest_year": None}
    rows = outcomes[outcomes["area_code"].astype(str) == area_code]
    rows = up_to_year(rows, year, "quarter", "quarter").copy()
    rows["financial_year"] = quarter_financial_year(rows["quarter"])
    quarters = rows.groupby("financial_year")["quarter"].nunique()
    complete = sorted(quarters[quarters == 4].index)
    rows = rows[rows["financial_year"].isin(complete)]
    labels = {
        "in_employment": "In employment",
        "in_settled_accommodation": "In settled accommodation",
    }
    frames, groups = [], []
    for column, label in labels.items():
        year_sum = rows.groupby("financial_year")[["terminations", column]].sum().reset_index()
        year_sum = year_sum[year_sum["terminations"] > 0].rename(columns={column: "count"})
        if len(year_sum):
            frames.append(proportion(year_sum, "count", "terminations", multiplier=100)
                          .assign(outcome=label))  # fmt: skip
        if complete:
            last = rows[rows["financial_year"] == complete[-1]]
            g = last.groupby([last["order_type"].astype(str), last["age_group"].astype(str)])[
                ["terminations", column]
            ].sum()
            g = g[g["terminations"] > 0].reset_index().rename(columns={column: "count"})
            if len(g):
                groups.append(proportion(g, "count", "terminations", multiplier=100)
                              .assign(outcome=label))  # fmt: skip
    return {
        "by_year": pd.concat(frames, ignore_index=True) if frames else empty,
        "by_group": pd.concat(groups, ignore_index=True) if groups else empty,
        "latest_year": complete[-1] if complete else None,
    }


def _band_label(lo: int, hi: int) -> str:
    return f"{lo}+" if hi >= 200 else f"{lo}-{hi}"


def offender_ages(incidents: pd.DataFrame, population: pd.DataFrame, year) -> pd.DataFrame:
    """Suspects by age band against residents aged 10 and over (shares, over-representation).

    Suspects are counted once per recorded crime with a known suspect age (a person
    suspected of several crimes counts each time). The population is the mid-year
    estimate of the year's start (the latest earlier one if absent).
    """
    from sa_toolkit.indicators import over_representation

    if incidents is None or population is None:
        incidents = pd.DataFrame({"suspect_age": []})
        population = pd.DataFrame({"year": [], "age_min": [], "population": []})
    ages = pd.to_numeric(incidents["suspect_age"], errors="coerce").dropna()
    years = sorted(int(y) for y in population["year"].unique() if int(y) <= year.start_year)
    if not years or ages.empty:
        return pd.DataFrame(columns=["age_band", "suspects", "population", "count_share",
                                     "population_share", "value", "lower", "upper"])  # fmt: skip
    pop = population[population["year"] == years[-1]]
    rows = []
    for lo, hi in AGE_BANDS:
        rows.append(
            {
                "age_band": _band_label(lo, hi),
                "suspects": int(((ages >= lo) & (ages <= hi)).sum()),
                "population": int(
                    pop.loc[(pop["age_min"] >= lo) & (pop["age_min"] <= hi), "population"].sum()
                ),
            }
        )
    frame = pd.DataFrame(rows)
    frame = frame[frame["population"] > 0].reset_index(drop=True)
    if frame["suspects"].sum() == 0:
        return frame.assign(count_share=0.0, population_share=np.nan, value=np.nan,
                            lower=np.nan, upper=np.nan)  # fmt: skip
    return over_representation(frame, "age_band", "suspects", "population")


# ----------------------------------------------------------------------------- findings


def _cohort_name(cohort: str) -> str:
    return "Integrated Offender Management cohort's" if cohort == PPO else cohort.lower()


def _rate_sentence(change: dict, trend_text: str | None) -> str:
    direction = "rose" if change["change_pp"] > 0 else "fell"
    if round(change["change_pp"], 1) == 0:
        text = (
            f"The {_cohort_name(change['cohort'])} proven re-offending rate was unchanged at "
            f"{change['after']:.1f}%"
        )
    else:
        text = (
            f"The {_cohort_name(change['cohort'])} proven re-offending rate {direction} from "
            f"{change['before']:.1f}% to {change['after']:.1f}% "
            f"({abs(change['change_pp']):.1f} points)"
        )
    text += (
        f" for the {change['year']} cohort; the change is "
        f"{'' if change['significant'] else 'not '}statistically significant"
    )
    if trend_text and trend_text != "cannot be calculated":
        text += f"; trend: {trend_text}"
    return text + "."


def key_findings(rates, trends, prob, ages, year, threshold: int) -> list[str]:
    """Three to six sentences, the most important first, from the computed results."""
    trend_of = dict(zip(trends["cohort"], trends["trend"], strict=False))
    out = []
    for cohort in (ADULT, PPO, JUVENILE):
        change = rate_change(rates, cohort, year)
        if change is None or min(change["reoffenders"], change["reoffenders_before"]) < threshold:
            continue
        sentence = _rate_sentence(change, trend_of.get(cohort))
        if cohort == PPO and not np.isnan(change["frequency"]):
            sentence = sentence.rstrip(".") + (
                f"; each re-offender committed {change['frequency']:.1f} proven re-offences on"
                f" average ({change['frequency_before']:.1f} the year before)."
            )
        out.append(sentence)
    by_year = prob["by_year"]
    if len(by_year) and prob["latest_year"]:
        latest = by_year[by_year["financial_year"] == prob["latest_year"]].set_index("outcome")
        parts = [f"{v['value']:.0f}% {k.lower()}" for k, v in latest.iterrows()]
        out.append(
            f"At the end of their order or licence in {prob['latest_year']}, "
            + " and ".join(parts)
            + f" ({int(latest['terminations'].iloc[0]):,} orders and licences ended)."
        )
    if len(ages) and "value" in ages and ages["value"].notna().any():
        top = ages.loc[ages["value"].idxmax()]
        out.append(
            f"People aged {top['age_band']} were {top['count_share'] * 100:.0f}% of suspects but"
            f" {top['population_share'] * 100:.0f}% of residents aged 10 and over"
            f" ({top['value']:.1f} times their share) in {year.label}."
        )
    return out[:5]
