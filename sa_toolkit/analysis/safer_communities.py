"""Priority 6, safer communities: the calculations behind ``06_safer_communities``.

Feeling safe during the day and after dark (by wave and by ward); cohesion, satisfaction
with the area and confidence that the police and council deal with crime and
anti-social behaviour; hate crime by monitored strand; fires and fire casualties with
rates per 100,000; killed or seriously injured road casualties against the target; and
population change as context.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit.analysis.priority_common import TableStore, up_to_year, year_of_month
from sa_toolkit.disclosure import safe_count

SAFETY = {"safe_day": "Feel safe during the day", "safe_after_dark": "Feel safe after dark"}
COMMUNITY = {
    "different_backgrounds_get_on": "Different backgrounds get on well together",
    "satisfied_with_area": "Satisfied with the area as a place to live",
    "police_council_deal_with_asb": "Police and council deal with crime and ASB",
}
STRANDS = {
    "race": "Race", "religion": "Religion", "sexual_orientation": "Sexual orientation",
    "disability": "Disability", "transgender": "Transgender",
}  # fmt: skip


def load(cfg, lsoas) -> TableStore:
    """The tables the safer communities report reads, each once, with only needed columns."""
    previous = cfg.year.previous().first_month.start_time.date()
    first = min(cfg.baseline_year, cfg.year.previous()).first_month.start_time.date()
    last = cfg.year.last_month.start_time.date()
    local = ("lsoa_code", "in", list(lsoas))
    return TableStore(
        cfg.processed_dir,
        columns={
            "residents_survey": ["wave", "weight", "ward_code", *SAFETY, *COMMUNITY],
            "crime_incidents": ["month", "lsoa_code", "hate_crime", "hate_crime_strand"],
            "fire_incidents": [
                "month",
                "incident_type",
                "motive",
                "casualties",
                "fatalities",
                "lsoa_code",
            ],  # fmt: skip
            "road_casualties": None,
            "population": ["year", "lsoa_code", "age_min", "population"],
            "police_street": ["month", "lsoa_code", "crime_type"],
            "lookup": ["lsoa_code", "ward_code", "ward_name"],
        },
        filters={
            "crime_incidents": [("month", ">=", previous), ("month", "<=", last), local],
            "fire_incidents": [("month", ">=", first), ("month", "<=", last), local],
            "police_street": [("month", ">=", previous), ("month", "<=", last), local],
            "population": [local],
        },
    )


# ----------------------------------------------------------------------------- survey


def survey_measures(survey: pd.DataFrame, questions: dict[str, str], year=None) -> dict:
    """Weighted % (Kish-Wilson intervals) by wave and, for the latest wave, by ward.

    With ``year``, only the waves in effect by its end (fieldwork year at most its closing
    calendar year, :func:`~sa_toolkit.analysis.priority_common.up_to_year`). None without
    survey answers (for those waves).
    """
    from sa_toolkit.partner import survey_percentages

    survey = up_to_year(survey, year, "wave", "wave")
    if survey is None or survey.empty:
        return None
    waves = pd.to_numeric(survey["wave"])
    latest = int(waves.max())
    by_wave, by_ward = [], []
    for question, label in questions.items():
        by_wave.append(survey_percentages(survey, question, by=("wave",)).assign(question=label))
        by_ward.append(
            survey_percentages(survey[waves == latest], question, by=("ward_code",)).assign(
                question=label
            )
        )
    return {
        "by_wave": pd.concat(by_wave, ignore_index=True),
        "by_ward": pd.concat(by_ward, ignore_index=True),
        "latest_wave": latest,
    }


def wave_change(by_wave: pd.DataFrame, significance_level: float = 0.05) -> pd.DataFrame:
    """Change between the last two waves of each question, in points, with the z test.

    The test uses the Kish effective sample size of each wave as its sample size (the
    weighted proportion times that size as the count), as the intervals do.
    """
    from sa_toolkit.indicators import proportion_change

    rows = []
    if by_wave is None:
        by_wave = pd.DataFrame(columns=["question", "wave", "value", "effective_n"])
    for question, part in by_wave.groupby("question", sort=False):
        part = part.assign(w=pd.to_numeric(part["wave"])).sort_values("w")
        if len(part) < 2:
            continue
        before, after = part.iloc[-2], part.iloc[-1]
        rows.append(
            {
                "question": question,
                "wave_before": int(before["w"]),
                "wave_after": int(after["w"]),
                "before": float(before["value"]),
                "after": float(after["value"]),
                "x0": round(before["value"] / 100 * before["effective_n"]),
                "n0": round(before["effective_n"]),
                "x1": round(after["value"] / 100 * after["effective_n"]),
                "n1": round(after["effective_n"]),
            }
        )
    if not rows:
        return pd.DataFrame(
            columns=["question", "wave_before", "wave_after", "before", "after", "change",
                     "p_value", "significant"]
        )  # fmt: skip
    frame = pd.DataFrame(rows)
    tested = proportion_change(frame, "x0", "n0", "x1", "n1", confidence=1 - significance_level)
    frame["change"] = tested["value"]
    frame["p_value"] = tested["p_value"]
    frame["significant"] = tested["significant"]
    return frame.drop(columns=["x0", "n0", "x1", "n1"])


# ----------------------------------------------------------------------------- hate crime


def hate_crime(incidents: pd.DataFrame, year, significance_level: float = 0.05) -> dict:
    """Hate crimes this year and last: all (distinct crimes) and by monitored strand.

    A crime flagged with two strands counts once in ``all`` and once in each strand.
    None without the incident extract.
    """
    from sa_toolkit.analysis.priority_common import covers_year
    from sa_toolkit.indicators import poisson_change

    if incidents is None:
        return None
    compared = covers_year(incidents["month"], year.previous())
    flagged = incidents[incidents["hate_crime"].fillna(False).astype(bool)]
    fy = year_of_month(flagged["month"]) if len(flagged) else np.array([], dtype=int)
    labels = {year.start_year - 1: year.previous().label, year.start_year: year.label}
    counts = {}
    for start, label in labels.items():
        rows = flagged[fy == start]
        strands = rows["hate_crime_strand"].astype("string").fillna("").str.split(";").explode()
        strands = strands.str.strip()
        counts[label] = strands[strands != ""].value_counts()
    table = (
        pd.DataFrame(counts)
        .reindex(list(STRANDS))
        .fillna(0)
        .astype(int)
        .rename(index=STRANDS)
        .rename_axis("strand")
    )
    totals = pd.DataFrame(
        {"last_year": [int((fy == year.start_year - 1).sum())],
         "this_year": [int((fy == year.start_year).sum())]}
    )  # fmt: skip
    if not compared:
        # no data for last year: this year's counts only, the change "not available"
        return {
            "by_strand": table[[year.label]],
            "last_year": None,
            "this_year": int(totals["this_year"][0]),
            "change": None,
            "p_value": None,
            "significant": False,
            "has_comparison": False,
        }
    # allowing for the count's variation beyond chance, from its months before the year
    # (months the extract does not hold are missing, not zero)
    from sa_toolkit.indicators.overdispersion import dispersion_before

    observed = sorted(set(pd.PeriodIndex(incidents["month"], freq="M")))
    monthly = (
        pd.Series(1, index=pd.PeriodIndex(flagged["month"], freq="M"))
        .groupby(level=0).sum().reindex(observed, fill_value=0)
    )  # fmt: skip
    test = poisson_change(
        totals, "last_year", "this_year", confidence=1 - significance_level,
        dispersion=dispersion_before(monthly, year.first_month),
    ).iloc[0]  # fmt: skip
    return {
        "has_comparison": True,
        "by_strand": table,
        "last_year": int(totals["last_year"][0]),
        "this_year": int(totals["this_year"][0]),
        "change": float(test["value"]),
        "p_value": float(test["p_value"]),
        "significant": bool(test["significant"]),
    }


# ----------------------------------------------------------------------------- fires


def population_total(population: pd.DataFrame, start_year: int) -> tuple[int, int] | None:
    """(mid-year used, residents) for a financial year: its start year or the nearest
    estimate (:func:`sa_toolkit.periods.nearest_mid_year`); None without any estimate."""
    from sa_toolkit.periods import FinancialYear, nearest_mid_year

    used, _ = nearest_mid_year(population["year"].unique(), FinancialYear(start_year))
    if used is None:
        return None
    return used, int(population.loc[population["year"] == used, "population"].sum())


def _fire_tests(table, measures, fire, year, significance_level, populations):
    """Each fire measure's change, allowing for its monthly variation beyond chance."""
    from sa_toolkit.indicators import poisson_change
    from sa_toolkit.indicators.overdispersion import dispersion_before

    months = pd.PeriodIndex(fire["month"], freq="M")
    pops = ("pop_last", "pop_this") if populations else (None, None)
    parts = []
    for i, name in enumerate(table["measure"]):
        monthly = pd.Series(measures[name].to_numpy(), index=months).groupby(level=0).sum()
        parts.append(
            poisson_change(
                table.iloc[[i]],
                "last_year",
                "this_year",
                *pops,
                confidence=1 - significance_level,
                dispersion=dispersion_before(monthly, year.first_month),
            )  # fmt: skip
        )
    return pd.concat(parts)


def fires(
    fire: pd.DataFrame, population: pd.DataFrame, year, significance_level: float = 0.05
) -> dict:
    """Fires by kind and casualties, this year and last, with rates per 100,000.

    ``table``: measure, last_year, this_year, rate_last, rate_this (per 100,000, with the
    interval of this year's rate), change (%), p_value; ``monthly``: primary and
    secondary fires per month; ``has_comparison``: False when the extract holds nothing for
    last year, and then ``table`` has only ``measure, this_year, rate_this, lower, upper``.
    None without the fire extract.
    """
    from sa_toolkit.analysis.priority_common import covers_year
    from sa_toolkit.indicators import rate

    if fire is None:
        return None
    compared = covers_year(fire["month"], year.previous())
    if population is None:
        population = pd.DataFrame({"year": [], "population": []})
    kind = fire["incident_type"].astype(str)
    fy = year_of_month(fire["month"])
    measures = {
        "Primary fires": (kind == "primary").astype(int),
        "Secondary fires": (kind == "secondary").astype(int),
        # deliberate fires are the anti-social behaviour report's measure, per 10,000 (NI 33):
        # one measure, one multiplier, so they are not repeated here per 100,000
        "Fire casualties (non-fatal)": pd.to_numeric(fire["casualties"]).fillna(0).astype(int),
        "Fire fatalities": pd.to_numeric(fire["fatalities"]).fillna(0).astype(int),
    }
    rows = []
    for name, values in measures.items():
        rows.append(
            {
                "measure": name,
                "last_year": int(values[fy == year.start_year - 1].sum()),
                "this_year": int(values[fy == year.start_year].sum()),
            }
        )
    table = pd.DataFrame(rows)
    pop_last = population_total(population, year.start_year - 1)
    pop_this = population_total(population, year.start_year)
    if pop_last and pop_this:
        table["pop_last"], table["pop_this"] = pop_last[1], pop_this[1]
        now = rate(table, "this_year", "pop_this", per=100000)
        table["rate_last"] = table["last_year"] / table["pop_last"] * 100000
        table["rate_this"], table["lower"], table["upper"] = (
            now["value"],
            now["lower"],
            now["upper"],
        )
        tested = _fire_tests(table, measures, fire, year, significance_level, populations=True)
        table = table.drop(columns=["pop_last", "pop_this"])
    else:
        tested = _fire_tests(table, measures, fire, year, significance_level, populations=False)
    table["change"] = tested["value"]
    table["p_value"] = tested["p_value"]
    table["significant"] = tested["significant"]
    if not compared:
        table = _this_year_only(table, pop_this, rate)
    months = pd.period_range(fire["month"].min(), year.last_month, freq="M") if len(fire) else []
    monthly = (
        pd.DataFrame({"month": fire["month"], "kind": kind.str.capitalize() + " fires"})
        .groupby(["month", "kind"])
        .size()
        .unstack("kind")
        .reindex(months)
        .fillna(0)
        .astype(int)
    )
    monthly.columns.name = None
    return {"table": table, "monthly": monthly, "has_comparison": compared}


def _this_year_only(table: pd.DataFrame, pop_this, rate) -> pd.DataFrame:
    # last year's zeros are missing data, not zero fires: keep this year's figures only
    out = table[["measure", "this_year"]].copy()
    if pop_this:
        out["pop_this"] = pop_this[1]
        now = rate(out, "this_year", "pop_this", per=100000)
        out["rate_this"], out["lower"], out["upper"] = now["value"], now["lower"], now["upper"]
        out = out.drop(columns="pop_this")
    out["significant"] = False
    return out


# ----------------------------------------------------------------------------- roads


def road_casualties(roads: pd.DataFrame, area_code: str, year=None) -> pd.DataFrame:
    """Killed or seriously injured casualties by calendar year: all and children.

    With ``year``, calendar years up to its starting one (2022 for 2022/23, the year the
    framework's KSI indicator uses), none ending after it.

    Each count has its Poisson interval (exact below 10, Byar above), for judging
    year-to-year movement in small numbers.
    """
    from sa_toolkit.indicators import rate

    if roads is None:
        return pd.DataFrame(columns=["year", "casualties", "value", "lower", "upper", "group"])
    rows = up_to_year(roads[roads["area_code"].astype(str) == area_code], year, "year",
                      "calendar_year")  # fmt: skip
    ksi = rows[rows["severity"].astype(str).isin(["fatal", "serious"])]
    years = sorted(int(y) for y in rows["year"].unique())
    out = []
    for label, part in (("All ages", ksi), ("Children (0-15)", ksi[ksi["age_group"] == "child"])):
        by_year = part.groupby(pd.to_numeric(part["year"]))["casualties"].sum()
        frame = pd.DataFrame({"year": years, "casualties": by_year.reindex(years).fillna(0)})
        frame["casualties"] = frame["casualties"].astype(int)
        frame["one"] = 1
        out.append(rate(frame, "casualties", "one", per=1).drop(columns="one").assign(group=label))
    result = pd.concat(out, ignore_index=True) if out else pd.DataFrame()
    return result


# ----------------------------------------------------------------------------- population


def population_change(population: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """Residents by broad age group at two mid-years, with the change in %."""
    groups = {"0-15": (0, 15), "16-64": (16, 64), "65 and over": (65, 200)}
    if population is None or population.empty:
        return pd.DataFrame(columns=["age_group", "first", "last", "change"])
    years = sorted(int(y) for y in population["year"].unique())
    first = max([y for y in years if y <= first_year], default=years[0] if years else None)
    last = max([y for y in years if y <= last_year], default=None)
    if first is None or last is None:
        return pd.DataFrame(columns=["age_group", "first", "last", "change"])
    rows = []
    for label, (lo, hi) in [*groups.items(), ("All ages", (0, 200))]:
        band = population[(population["age_min"] >= lo) & (population["age_min"] <= hi)]
        a = int(band.loc[band["year"] == first, "population"].sum())
        b = int(band.loc[band["year"] == last, "population"].sum())
        rows.append({"age_group": label, "first": a, "last": b,
                     "change": (b - a) / a * 100 if a else np.nan})  # fmt: skip
    frame = pd.DataFrame(rows)
    frame.attrs["years"] = (first, last)
    return frame


# ----------------------------------------------------------------------------- findings


def _wave_sentence(row) -> str:
    from sa_toolkit import findings

    moved = row["after"] - row["before"]
    verb = "rose" if moved > 0 else "fell"
    text = (
        f"{row['question']}: {findings.format_number(row['after'])}% in {row['wave_after']}"
        f" ({verb} from {findings.format_number(row['before'])}% in {row['wave_before']};"
        f" the change is {'' if row['significant'] else 'not '}statistically significant)"
    )
    return text + "."


def _no_change(year) -> str:
    previous = year.previous().label
    return f"the change on {previous} is not available: no data for {previous}."


def key_findings(safety_change, community_change, lowest_ward, hate, roads_ksi, ksi_target,
                 fire_table, year, threshold: int = 0) -> list[str]:  # fmt: skip
    """Up to five sentences from the computed results (most important first)."""
    from sa_toolkit import findings

    out = []
    changes = pd.concat([safety_change, community_change], ignore_index=True)
    after_dark = changes[changes["question"] == SAFETY["safe_after_dark"]]
    if len(after_dark):
        sentence = _wave_sentence(after_dark.iloc[0])
        if lowest_ward:
            sentence = sentence.rstrip(".") + f"; lowest in {lowest_ward}."
        out.append(sentence)
    for label in (COMMUNITY["police_council_deal_with_asb"],
                  COMMUNITY["different_backgrounds_get_on"]):  # fmt: skip
        row = changes[changes["question"] == label]
        if len(row):
            out.append(_wave_sentence(row.iloc[0]))
    if hate is not None and hate["last_year"] is None:
        out.append(
            f"{safe_count(hate['this_year'], threshold).capitalize()} hate crimes were recorded in {year.label}; "
            + _no_change(year)
        )
    elif hate is not None and (hate["this_year"] or hate["last_year"]):
        out.append(
            findings.change_sentence(
                "Recorded hate crime", hate["last_year"], hate["this_year"],
                significant=hate["significant"] if hate["last_year"] else None,
                threshold=threshold,
            ).rstrip(".")
            + f" between {year.previous().label} and {year.label}."
        )  # fmt: skip
    all_ksi = roads_ksi[roads_ksi["group"] == "All ages"] if len(roads_ksi) else roads_ksi
    if len(all_ksi):
        latest = all_ksi.iloc[-1]
        n = int(latest["casualties"])
        count = f"Fewer than {threshold}" if 0 < n < threshold else f"{n:,}"
        text = (
            f"{count} people were killed or seriously injured on the roads in {int(latest['year'])}"
        )
        if ksi_target is not None:
            met = latest["casualties"] <= ksi_target
            text += f", {'within' if met else 'above'} the target of {ksi_target:,.0f}"
        out.append(text + ".")
    fire_rows = fire_table.set_index("measure") if fire_table is not None else pd.DataFrame()
    if "Primary fires" in fire_rows.index and "last_year" not in fire_rows.columns:
        n = int(fire_rows.loc["Primary fires", "this_year"])
        count = f"Fewer than {threshold}" if 0 < n < threshold else f"{n:,}"
        out.append(f"{count} primary fires were attended in {year.label}; " + _no_change(year))
    elif "Primary fires" in fire_rows.index:
        row = fire_rows.loc["Primary fires"]
        out.append(
            findings.change_sentence(
                "Primary fires", row["last_year"], row["this_year"], unit="fires",
                significant=bool(row["significant"]) if row["last_year"] else None,
                threshold=threshold,
            )
        )  # fmt: skip
    return out[:5]
