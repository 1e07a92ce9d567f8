"""Priority 4, drugs and alcohol: the calculations behind ``04_drugs_and_alcohol``.

Drug offences split into possession and supply (Home Office offence codes, else the
offence description); stop and search for drugs and its outcomes; treatment numbers,
penetration against the prevalence estimate and successful completions; alcohol-related
violence by ward and on Friday and Saturday nights; alcohol-related hospital admissions
(directly standardised rate, ESP 2013); and residents' perceptions of drunk or rowdy
behaviour and of drug use or dealing.

Stop and search is in :mod:`.drugs_alcohol_searches`, the key findings in
:mod:`.drugs_alcohol_findings` and the report's sections in :mod:`.drugs_alcohol_report`;
the names the notebook and tests have always used stay importable from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# stop and search and the key findings live in their own modules; their names stay
# importable from here, where the notebook and other modules have always found them
from sa_toolkit.analysis.drugs_alcohol_findings import key_findings  # noqa: F401
from sa_toolkit.analysis.drugs_alcohol_searches import (  # noqa: F401
    DRUG_SEARCH,
    NO_FURTHER_ACTION,
    drug_searches,
    lsoa_centroids,
    place_points,
)
from sa_toolkit.analysis.priority_common import (
    TableStore,
    fri_sat_night,
    up_to_year,
    year_of_month,
)

VIOLENCE = "Violence and sexual offences"
DRUGS = "Drugs"
#: Home Office offence codes (HOCR class 92): possession and supply
POSSESSION_CODES = {"92C", "92D", "92E", "92F"}
SUPPLY_CODES = {"92A", "92B", "92G", "92H", "92J"}
_SUPPLY_WORDS = r"traffick|supply|suppl|produc|cultivat|import|export|intent to supply"


def load(cfg) -> TableStore:
    """The tables the drugs and alcohol report reads, each once, with only needed columns."""
    first = min(cfg.baseline_year, cfg.year.previous()).first_month.start_time.date()
    previous = cfg.year.previous().first_month.start_time.date()
    last = cfg.year.last_month.start_time.date()
    return TableStore(
        cfg.processed_dir,
        columns={
            "police_street": ["month", "lsoa_code", "crime_type", "longitude", "latitude"],
            "crime_incidents": [
                "month",
                "crime_type",
                "offence_group",
                "offence_code",
                "offence_description",
                "lsoa_code",
                "alcohol_related",
                "offence_start",
            ],  # fmt: skip
            "police_stop_search": [
                "month",
                "latitude",
                "longitude",
                "object_of_search",
                "outcome",
                "outcome_linked_to_object_of_search",
            ],  # fmt: skip
            "treatment_monthly": None,
            "drug_prevalence": None,
            "alcohol_admissions": None,
            "residents_survey": [
                "wave",
                "weight",
                "ward_code",
                "asb_drunk_rowdy",
                "asb_drug_use_dealing",
            ],  # fmt: skip
            "lookup": ["lsoa_code", "ward_code", "ward_name"],
            "population": ["year", "lsoa_code", "age_min", "population"],
        },
        filters={
            "police_street": [("month", ">=", previous), ("month", "<=", last)],
            "crime_incidents": [
                ("month", ">=", first),
                ("month", "<=", last),
                ("crime_type", "in", [DRUGS, VIOLENCE]),
            ],
            "police_stop_search": [("month", ">=", previous), ("month", "<=", last)],
        },
    )


# ----------------------------------------------------------------------------- drug offences


def drug_offence_kind(codes: pd.Series, descriptions: pd.Series) -> pd.Series:
    """``Possession``, ``Supply`` or ``Other drug offences`` from code, else description."""
    code = codes.astype("string").str.strip().str.upper().fillna("")
    text = descriptions.astype("string").str.lower().fillna("")
    kind = pd.Series("Other drug offences", index=codes.index, dtype=object)
    by_text_supply = text.str.contains(_SUPPLY_WORDS, regex=True)
    by_text_possession = text.str.contains("possess", regex=False) & ~by_text_supply
    kind[by_text_possession.to_numpy()] = "Possession"
    kind[by_text_supply.to_numpy()] = "Supply"
    kind[code.isin(POSSESSION_CODES).to_numpy()] = "Possession"
    kind[code.isin(SUPPLY_CODES).to_numpy()] = "Supply"
    return kind


def drug_offences(incidents: pd.DataFrame, lsoas, year, significance_level: float = 0.05) -> dict:
    """Monthly drug offences by kind and this year against last, with the exact test.

    Returns ``monthly`` (months x kinds), ``table`` (kind, last year, this year, change,
    p_value, significant), ``supply_share`` (% of this year's offences that are supply) and
    ``has_comparison`` (False when the extract holds nothing for last year: last year, the
    change and p_value are then NaN, and the months start with the data); None without
    the incident extract.
    """
    from sa_toolkit.analysis.priority_common import covers_year
    from sa_toolkit.indicators import poisson_change

    if incidents is None:
        return None
    compared = covers_year(incidents["month"], year.previous())
    start = year.previous().first_month if compared else year.first_month
    rows = incidents[
        (incidents["crime_type"].astype(str) == DRUGS)
        & incidents["lsoa_code"].astype(str).isin(list(lsoas))
    ]
    kind = drug_offence_kind(rows["offence_code"], rows["offence_description"])
    frame = pd.DataFrame({"month": rows["month"].to_numpy(), "kind": kind.to_numpy()})
    kinds = [k for k in ("Possession", "Supply", "Other drug offences") if (kind == k).any()]
    months = pd.period_range(
        min(rows["month"].min(), start) if len(rows) else start, year.last_month, freq="M"
    )
    monthly = (
        frame.groupby(["month", "kind"]).size().unstack("kind").reindex(index=months, columns=kinds)
    ).fillna(0)
    monthly = monthly.astype(int)
    monthly.columns.name = None
    this = monthly.loc[monthly.index.isin(year.months)].sum()
    last = monthly.loc[monthly.index.isin(year.previous().months)].sum()
    table = pd.DataFrame({"kind": kinds + ["All drug offences"]})
    table["last_year"] = [int(last[k]) for k in kinds] + [int(last.sum())]
    table["this_year"] = [int(this[k]) for k in kinds] + [int(this.sum())]
    # each kind tested allowing for its own variation beyond chance, estimated from its
    # monthly counts before the year (the extract's months: absent months are not zeros)
    from sa_toolkit.indicators.overdispersion import dispersion_before

    series = {k: monthly[k] for k in kinds}
    series["All drug offences"] = monthly.sum(axis=1)
    tested = pd.concat(
        [
            poisson_change(
                table.iloc[[i]],
                "last_year",
                "this_year",
                confidence=1 - significance_level,
                dispersion=dispersion_before(series[k], year.first_month),
            )  # fmt: skip
            for i, k in enumerate(table["kind"])
        ]
    )
    table["change"] = tested["value"]
    table["p_value"] = tested["p_value"]
    table["significant"] = tested["significant"]
    if not compared:  # no data for last year: unknown, not zero
        table["last_year"] = table["change"] = table["p_value"] = np.nan
        table["significant"] = False
    total = int(this.sum())
    supply = int(this.get("Supply", 0))
    return {
        "monthly": monthly,
        "table": table,
        "supply_share": supply / total * 100 if total else float("nan"),
        "has_comparison": compared,
    }


# ----------------------------------------------------------------------------- treatment


def treatment_summary(treatment: pd.DataFrame, area_code: str, year) -> pd.DataFrame:
    """Average monthly number in treatment and successful completions by substance group.

    Completions are a proportion of the average monthly caseload (as the framework's
    ``treatment_successful_completion``), with Wilson intervals; both years.
    """
    from sa_toolkit.indicators import proportion

    rows = treatment if treatment is not None else pd.DataFrame(columns=["area_code", "month"])
    rows = rows[rows["area_code"].astype(str) == area_code]
    fy = year_of_month(rows["month"])
    out = []
    for label, start in (
        (year.previous().label, year.start_year - 1),
        (year.label, year.start_year),
    ):
        part = rows[fy == start]
        if part.empty:
            continue
        g = part.groupby(part["substance_group"].astype(str))
        caseload = g["in_treatment"].mean().round()
        done = g["successful_completions"].sum()
        frame = pd.DataFrame(
            {
                "year": label,
                "substance_group": caseload.index,
                "in_treatment": caseload.to_numpy().astype(int),
                "successful_completions": done.reindex(caseload.index).to_numpy().astype(int),
                "months": g.size().reindex(caseload.index).to_numpy(),
            }
        )
        frame["successful_completions"] = np.minimum(
            frame["successful_completions"], frame["in_treatment"]
        )
        out.append(frame[frame["in_treatment"] > 0])
    if not out:
        return pd.DataFrame(
            columns=["year", "substance_group", "in_treatment", "successful_completions",
                     "months", "value", "lower", "upper"]
        )  # fmt: skip
    table = pd.concat(out, ignore_index=True)
    return proportion(table, "successful_completions", "in_treatment", multiplier=100)


def penetration(
    treatment: pd.DataFrame, prevalence: pd.DataFrame, area_code: str, year
) -> dict | None:
    """Opiate users in treatment as % of the estimated number of opiate users (penetration).

    The numerator is the average monthly number of opiate clients in treatment; the
    interval comes from the prevalence estimate's own 95% interval (in treatment / upper
    and / lower). The estimate used is the latest for a year up to the assessed one.
    None when either table is missing or has nothing for the year.
    """
    if treatment is None or prevalence is None:
        return None
    prev = prevalence[
        (prevalence["area_code"].astype(str) == area_code)
        & (prevalence["drug_group"].astype(str) == "opiate")
    ]
    prev = up_to_year(prev, year, "financial_year", "financial_year")
    if prev.empty:
        return None
    est = prev.loc[prev["financial_year"].astype(str).idxmax()]
    rows = treatment[
        (treatment["area_code"].astype(str) == area_code)
        & (treatment["substance_group"].astype(str) == "opiate")
    ]
    part = rows[year_of_month(rows["month"]) == year.start_year]
    if part.empty or not est["estimate"]:
        return None
    n = float(part["in_treatment"].mean())
    return {
        "in_treatment": n,
        "estimate": float(est["estimate"]),
        "estimate_lower": float(est["lower"]),
        "estimate_upper": float(est["upper"]),
        "estimate_year": str(est["financial_year"]),
        "value": n / float(est["estimate"]) * 100,
        "lower": n / float(est["upper"]) * 100,
        "upper": n / float(est["lower"]) * 100 if est["lower"] else float("nan"),
        "unmet_need": max(0.0, float(est["estimate"]) - n),
    }


# ----------------------------------------------------------------------------- alcohol


def alcohol_violence(incidents: pd.DataFrame, lookup: pd.DataFrame, lsoas, year) -> dict:
    """Alcohol-related violence in the year: share, by ward, and on Friday/Saturday nights.

    Violence is violence against the person, the one definition of
    :mod:`sa_toolkit.measure_definitions` (the violent crime report's too).
    Returns ``share`` (% of violence flagged alcohol-related), ``count``, ``violence``,
    ``wards`` (ward_name, alcohol_related, violence, share of ward's violence, % of all
    alcohol-related violence; sorted), ``night_share`` (% of alcohol-related violence
    starting on Friday or Saturday night) and ``night_share_other`` (same for violence
    not flagged), the night being 10 of the week's 168 hours (6%). None without the
    incident extract.
    """
    if incidents is None:
        return None
    from sa_toolkit.measure_definitions import VIOLENCE_AGAINST_THE_PERSON

    rows = incidents[
        (incidents["offence_group"].astype(str) == VIOLENCE_AGAINST_THE_PERSON)
        & incidents["month"].isin(year.months)
        & incidents["lsoa_code"].astype(str).isin(list(lsoas))
    ]
    flag = rows["alcohol_related"].fillna(False).astype(bool).to_numpy()
    if lookup is None or lookup.empty:
        names = pd.Series(dtype=object)
    else:
        wards = lookup.drop_duplicates("lsoa_code")
        names = pd.Series(wards["ward_name"].astype(str).to_numpy(),
                          index=wards["lsoa_code"].astype(str))  # fmt: skip
    ward = rows["lsoa_code"].astype(str).map(names).fillna("Unknown ward")
    by_ward = (
        pd.DataFrame({"ward_name": ward.to_numpy(), "alcohol_related": flag, "violence": 1})
        .groupby("ward_name")
        .sum()
        .reset_index()
    )
    by_ward["alcohol_related"] = by_ward["alcohol_related"].astype(int)
    total = int(flag.sum())
    by_ward["share_of_ward_violence"] = by_ward["alcohol_related"] / by_ward["violence"] * 100
    by_ward["share_of_all"] = by_ward["alcohol_related"] / total * 100 if total else np.nan
    by_ward = by_ward.sort_values("alcohol_related", ascending=False, ignore_index=True)
    night = fri_sat_night(rows["offence_start"])
    return {
        "count": total,
        "violence": len(rows),
        "share": total / len(rows) * 100 if len(rows) else float("nan"),
        "wards": by_ward,
        "night_share": night[flag].mean() * 100 if total else float("nan"),
        "night_share_other": night[~flag].mean() * 100 if (~flag).any() else float("nan"),
    }


def alcohol_admissions_dsr(admissions: pd.DataFrame, area_code: str, year=None) -> pd.DataFrame:
    """Directly standardised admission rate per 100,000 (ESP 2013) by financial year.

    Both sexes together (counts and populations added within each age band), and each
    sex; the method is PHE's (Dobson limits, not calculated below 10 admissions). With
    ``year``, that financial year and earlier only.
    """
    from sa_toolkit.indicators import dsr

    columns = ["sex", "financial_year", "total_count", "total_pop", "value", "lower", "upper"]
    if admissions is None:
        return pd.DataFrame(columns=columns)
    rows = admissions[admissions["area_code"].astype(str) == area_code]
    rows = up_to_year(rows, year, "financial_year", "financial_year")
    if rows.empty:
        return pd.DataFrame(columns=columns)
    frame = rows.assign(
        financial_year=rows["financial_year"].astype(str),
        sex=rows["sex"].astype(str),
        age_band=rows["age_band"].astype(str),
    )
    persons = (
        frame.groupby(["financial_year", "age_band"])[["admissions", "population"]]
        .sum()
        .reset_index()
        .assign(sex="Persons")
    )
    both = pd.concat([persons, frame[persons.columns]], ignore_index=True)
    out = dsr(both, "admissions", "population", "age_band", group_cols=["sex", "financial_year"])
    out["sex"] = out["sex"].map({"Persons": "Persons", "F": "Females", "M": "Males"})
    return out.sort_values(["sex", "financial_year"], ignore_index=True)


def admissions_trend(rates: pd.DataFrame, points: int = 5) -> str:
    """Fingertips-style trend wording of the persons' DSR over the last ``points`` years."""
    from sa_toolkit.indicators import trend

    persons = rates[(rates["sex"] == "Persons")].dropna(subset=["value", "lower", "upper"])
    if len(persons) < points:
        return "cannot be calculated"
    out = trend(persons, "financial_year", polarity="lower_is_better", points=points)
    return str(out["trend"].iloc[0])


# ----------------------------------------------------------------------------- perceptions

PERCEPTIONS = {
    "asb_drunk_rowdy": "People being drunk or rowdy in public places",
    "asb_drug_use_dealing": "People using or dealing drugs",
}


def perceptions(survey: pd.DataFrame, year=None) -> dict:
    """% seeing each problem as a very or fairly big problem, by wave and (latest) by ward.

    With ``year``, only the waves in effect by its end (fieldwork year at most its closing
    calendar year). None without survey answers (for those waves).
    """
    from sa_toolkit.partner import survey_percentages

    survey = up_to_year(survey, year, "wave", "wave")
    if survey is None or survey.empty:
        return None
    waves, wards = [], []
    latest = int(pd.to_numeric(survey["wave"]).max())
    last_wave = survey[pd.to_numeric(survey["wave"]) == latest]
    for question, label in PERCEPTIONS.items():
        waves.append(survey_percentages(survey, question, by=("wave",)).assign(question=label))
        wards.append(
            survey_percentages(last_wave, question, by=("ward_code",)).assign(question=label)
        )
    return {"by_wave": pd.concat(waves, ignore_index=True), "by_ward": pd.concat(wards),
            "latest_wave": latest}  # fmt: skip
