"""Synthetic partner extracts (``partner/<dataset>.csv``) consistent with the demo police data.

Written in the templates of ``data/templates/`` (see ``docs/data_templates.md``). What the
data carry, so that the analysis has something true to find (each listed in the data log):

* crime incidents add up exactly to the data.police.uk street-level counts by month, LSOA and
  crime type (rows without a location stay without one);
* domestic abuse is about a fifth of violence (more in estates and residential areas);
* alcohol-related violence is about a third, far more in the town centre and concentrated on
  Friday and Saturday nights (22:00-03:00);
* robbery of young victims (10-17) peaks 15:00-18:00 on school days;
* some victims are repeat victims (domestic abuse most of all), close together in time;
* victims and suspects aged 10-24 are over-represented against the population;
* the residents' survey has a wave every two years of about 1,000 weighted respondents, with
  real change between waves (feeling safe after dark improves; drug use or dealing seen as a
  problem worsens);
* treatment, re-offending, first-time entrants, probation, fires, alcohol admissions and road
  casualties at levels plausible for about 300,000 residents.

Deterministic for a seed; ``scale`` thins the volumes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from sa_toolkit import time_windows
from sa_toolkit.demo.geography import DEMO_CSP_CODE
from sa_toolkit.ingest.partner import (
    DATASETS,
    ESP_AGE_BANDS,
    HATE_STRANDS,
    SURVEY_AGE_BANDS,
    SURVEY_QUESTIONS,
)
from sa_toolkit.periods import FinancialYear

VIOLENCE = "Violence and sexual offences"
ASB = "Anti-social behaviour"

#: crime type -> [(offence code, description, ONS offence group, share)] (demo codes: a subset)
OFFENCES: dict[str, list[tuple[str, str, str, float]]] = {
    VIOLENCE: [
        ("1", "Murder", "Violence against the person", 0.0008),
        ("5D", "Assault with intent to cause serious harm", "Violence against the person", 0.02),
        ("8N", "Assault with injury", "Violence against the person", 0.27),
        ("105A", "Assault without injury", "Violence against the person", 0.31),
        ("8L", "Harassment", "Violence against the person", 0.12),
        ("8Q", "Stalking", "Violence against the person", 0.03),
        ("8U", "Controlling or coercive behaviour", "Violence against the person", 0.03),
        ("3B", "Threats to kill", "Violence against the person", 0.03),
        ("19C", "Rape of a female aged 16 and over", "Sexual offences", 0.03),
        ("17A", "Sexual assault on a female aged 13 and over", "Sexual offences", 0.04),
    ],
    "Robbery": [
        ("34B", "Robbery of personal property", "Robbery", 0.9),
        ("34A", "Robbery of business property", "Robbery", 0.1),
    ],
    "Burglary": [
        ("28E", "Burglary - residential", "Theft offences", 0.7),
        ("30C", "Burglary - business and community", "Theft offences", 0.3),
    ],
    "Vehicle crime": [
        ("45", "Theft from a vehicle", "Theft offences", 0.55),
        ("48", "Theft or unauthorised taking of a motor vehicle", "Theft offences", 0.3),
        ("126", "Interfering with a motor vehicle", "Theft offences", 0.15),
    ],
    "Theft from the person": [("39", "Theft from the person", "Theft offences", 1.0)],
    "Bicycle theft": [("44", "Theft of a pedal cycle", "Theft offences", 1.0)],
    "Shoplifting": [("46", "Shoplifting", "Theft offences", 1.0)],
    "Other theft": [
        ("49", "Other theft", "Theft offences", 0.85),
        ("40", "Theft in a dwelling", "Theft offences", 0.15),
    ],
    "Criminal damage and arson": [
        ("58A", "Criminal damage to a dwelling", "Criminal damage and arson", 0.3),
        (
            "58B",
            "Criminal damage to a building other than a dwelling",
            "Criminal damage and arson",
            0.15,
        ),
        ("58C", "Criminal damage to a vehicle", "Criminal damage and arson", 0.35),
        ("58D", "Other criminal damage", "Criminal damage and arson", 0.15),
        ("56B", "Arson not endangering life", "Criminal damage and arson", 0.05),
    ],
    "Public order": [
        ("125", "Public fear, alarm or distress", "Public order offences", 0.9),
        ("62A", "Violent disorder", "Public order offences", 0.1),
    ],
    "Drugs": [
        ("92A", "Trafficking in controlled drugs", "Drug offences", 0.2),
        ("92D", "Possession of cannabis", "Drug offences", 0.6),
        ("92E", "Possession of controlled drugs (excluding cannabis)", "Drug offences", 0.2),
    ],
    "Possession of weapons": [
        ("10D", "Possession of article with blade or point", "Possession of weapons offences", 0.6),
        ("10C", "Possession of other weapons", "Possession of weapons offences", 0.3),
        ("10A", "Possession of firearms offences", "Possession of weapons offences", 0.1),
    ],
    "Other crime": [
        ("99", "Other notifiable offences", "Miscellaneous crimes against society", 1.0)
    ],
}
#: P(domestic abuse) of a violence offence by code, before calibration to DA_SHARE
DA_BY_CODE = {"8U": 5.0, "8Q": 1.8, "19C": 1.5, "8N": 1.2, "105A": 1.1, "8L": 1.0, "3B": 1.0,
              "1": 1.0, "5D": 0.6, "17A": 0.3}  # fmt: skip
DA_SHARE = 0.20
ALCOHOL_SHARE = 1 / 3
#: relative likelihood of alcohol-related violence by LSOA character
ALCOHOL_BY_CHARACTER = {"town_centre": 3.0, "arterial": 1.2, "estate": 0.8, "residential": 0.7}
DA_BY_CHARACTER = {"town_centre": 0.4, "arterial": 0.9, "estate": 1.3, "residential": 1.2}
#: crime types with an individual victim: share of incidents that have one
VICTIM_SHARE = {VIOLENCE: 1.0, "Robbery": 0.92, "Theft from the person": 1.0, "Burglary": 0.75,
                "Vehicle crime": 1.0, "Bicycle theft": 1.0, "Other theft": 0.7,
                "Criminal damage and arson": 0.7, "Public order": 0.5}  # fmt: skip
#: share of incidents with a known suspect
SUSPECT_KNOWN = {VIOLENCE: 0.55, "Robbery": 0.3, "Burglary": 0.1, "Vehicle crime": 0.08,
                 "Theft from the person": 0.1, "Bicycle theft": 0.05, "Other theft": 0.15,
                 "Shoplifting": 0.5, "Criminal damage and arson": 0.2, "Public order": 0.6,
                 "Drugs": 1.0, "Possession of weapons": 0.97, "Other crime": 0.6}  # fmt: skip
#: age bands (lo, hi, probability): young people over-represented against ~8% (10-17)
#: and ~10% (18-24) of the population
AGES = {
    "violence_victim": [(1, 9, 0.03), (10, 17, 0.14), (18, 24, 0.22), (25, 34, 0.25),
                        (35, 44, 0.16), (45, 54, 0.11), (55, 64, 0.06), (65, 90, 0.03)],
    "da_victim": [(16, 24, 0.20), (25, 34, 0.33), (35, 44, 0.25), (45, 54, 0.13), (55, 85, 0.09)],
    "robbery_victim": [(10, 17, 0.32), (18, 24, 0.30), (25, 34, 0.18), (35, 44, 0.10),
                       (45, 80, 0.10)],
    "property_victim": [(18, 24, 0.10), (25, 34, 0.24), (35, 44, 0.22), (45, 54, 0.18),
                        (55, 64, 0.13), (65, 90, 0.13)],
    "suspect": [(10, 17, 0.14), (18, 24, 0.28), (25, 34, 0.28), (35, 44, 0.16), (45, 70, 0.14)],
    "robbery_suspect": [(12, 17, 0.42), (18, 24, 0.38), (25, 45, 0.20)],
    "youth_robbery_suspect": [(13, 17, 0.75), (18, 21, 0.25)],
}  # fmt: skip
# school days and Friday/Saturday nights: one definition for the demo and the analyses
school_days = time_windows.school_days
fri_sat_night = time_windows.fri_sat_night_mask


# -- time-of-week profiles: weight[weekday, hour], weekday 0 = Monday ---------------------------


def _profile(kind: str) -> np.ndarray:
    hours = np.arange(24)
    w = np.ones((7, 24))
    day = np.exp(-0.5 * ((hours - 14) / 4.0) ** 2)
    evening = np.exp(-0.5 * ((hours - 20) / 3.0) ** 2)
    night = np.exp(-0.5 * (((hours + 6) % 24 - 5) / 2.5) ** 2)  # centred on 23:00
    if kind == "general":
        w = w * (0.15 + day + 0.8 * evening)
        w[4:6] *= 1.15
    elif kind == "night_time_economy":
        w = w * (0.05 + 0.15 * day + 0.3 * evening + 0.3 * night)
        w[fri_sat_night(*np.meshgrid(np.arange(7), hours, indexing="ij"))] *= 14.0
    elif kind == "domestic":
        w = w * (0.2 + 0.4 * day + 1.2 * evening + 0.4 * night)
        w[5:7] *= 1.3
    elif kind == "after_school":
        w = w * (0.1 + 0.5 * day + 0.5 * evening)
    elif kind == "daytime":
        w = w * (0.05 + day)
        w[6] *= 0.6
    elif kind == "overnight":
        w = w * (0.3 + 0.3 * evening + 1.2 * np.exp(-0.5 * (((hours + 6) % 24 - 9) / 3.0) ** 2))
    return w / w.sum()


PROFILE_BY_TYPE = {
    "Burglary": "daytime", "Shoplifting": "daytime", "Vehicle crime": "overnight",
    "Bicycle theft": "daytime", "Other theft": "general", "Theft from the person": "general",
    "Criminal damage and arson": "overnight", "Public order": "general", "Drugs": "general",
    "Possession of weapons": "general", "Other crime": "general", "Robbery": "general",
    VIOLENCE: "general",
}  # fmt: skip
#: crime types whose time is a window (offence start to end), for aoristic analysis
WINDOW_HOURS = {"Burglary": 9.0, "Vehicle crime": 10.0, "Bicycle theft": 6.0,
                "Criminal damage and arson": 8.0, "Other theft": 3.0}  # fmt: skip


def _sample_times(
    rng: np.random.Generator, months: np.ndarray, profile: np.ndarray, school_boost: float = 1.0
) -> np.ndarray:
    """One timestamp per row inside its month, drawn from a weekday x hour profile.

    ``school_boost`` multiplies the 15:00-18:00 weight on school days (youth profile).
    """
    out = np.empty(len(months), dtype="datetime64[m]")
    for month in np.unique(months):
        rows = np.flatnonzero(months == month)
        period = pd.Period(month, freq="M")
        days = pd.date_range(period.start_time, periods=period.days_in_month, freq="D")
        w = profile[days.day_of_week].copy()  # days x 24
        if school_boost != 1.0:
            w[np.ix_(school_days(days), np.arange(15, 18))] *= school_boost
        flat = w.ravel() / w.sum()
        pick = rng.choice(flat.size, size=rows.size, p=flat)
        minutes = rng.integers(0, 60, rows.size)
        base = days.to_numpy().astype("datetime64[m]")
        out[rows] = (
            base[pick // 24]
            + (pick % 24).astype("timedelta64[h]").astype("timedelta64[m]")
            + minutes.astype("timedelta64[m]")
        )
    return out


def _ages(rng: np.random.Generator, n: int, bands) -> np.ndarray:
    p = np.array([b[2] for b in bands])
    idx = rng.choice(len(bands), size=n, p=p / p.sum())
    lo = np.array([b[0] for b in bands])[idx]
    hi = np.array([b[1] for b in bands])[idx]
    return rng.integers(lo, hi + 1)


def _calibrated(p_raw: np.ndarray, share: float) -> np.ndarray:
    return np.clip(p_raw * share / p_raw.mean(), 0, 0.95)


def _hex_ids(rng: np.random.Generator, n: int, prefix: str) -> np.ndarray:
    values = rng.choice(16**8, size=n, replace=False)
    return np.char.add(prefix, np.char.upper(np.array([f"{v:08x}" for v in values])))


def _yn(flag: np.ndarray) -> np.ndarray:
    return np.where(flag, "Y", "N")


def _blank_int(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    return np.where(known, values.astype(str), "")


def _lsoa_characters(geo) -> pd.Series:
    lsoas = getattr(geo, "lsoas", geo)
    return lsoas.set_index("lsoa_code")["character"]


# -- crime incidents ------------------------------------------------------------------------


def crime_incidents_frame(street: pd.DataFrame, geo, seed: int) -> pd.DataFrame:
    """One incident per data.police.uk street-level crime (anti-social behaviour excluded)."""
    rng = np.random.default_rng([seed, 501])
    crimes = street[street["Crime type"] != ASB]
    crimes = crimes.sort_values(["Month", "Crime type"], kind="stable").reset_index(drop=True)
    n = len(crimes)
    ctype = crimes["Crime type"].astype(str).to_numpy()
    months = crimes["Month"].astype(str).to_numpy()
    lsoa = crimes["LSOA code"].fillna("").astype(str).to_numpy()
    character = (
        pd.Series(lsoa).map(_lsoa_characters(geo)).fillna("residential").to_numpy(dtype=object)
    )
    code = np.empty(n, dtype=object)
    desc = np.empty(n, dtype=object)
    group = np.empty(n, dtype=object)
    for crime_type, options in OFFENCES.items():
        rows = np.flatnonzero(ctype == crime_type)
        if rows.size == 0:
            continue
        p = np.array([o[3] for o in options])
        pick = rng.choice(len(options), size=rows.size, p=p / p.sum())
        code[rows] = np.array([o[0] for o in options], dtype=object)[pick]
        desc[rows] = np.array([o[1] for o in options], dtype=object)[pick]
        group[rows] = np.array([o[2] for o in options], dtype=object)[pick]

    violence = ctype == VIOLENCE
    robbery = ctype == "Robbery"
    da = np.zeros(n, bool)
    alcohol = np.zeros(n, bool)
    v_idx = np.flatnonzero(violence)
    if v_idx.size:
        p_da = (
            pd.Series(code[v_idx]).map(DA_BY_CODE).to_numpy()
            * pd.Series(character[v_idx]).map(DA_BY_CHARACTER).to_numpy()
        )
        p_da = _calibrated(p_da, DA_SHARE)
        da[v_idx] = rng.random(v_idx.size) < p_da
        assault = np.isin(code[v_idx], ["8N", "105A", "5D", "1", "125"])
        p_alc = pd.Series(character[v_idx]).map(ALCOHOL_BY_CHARACTER).to_numpy() * np.where(
            assault, 1.6, 0.5
        )
        p_alc = p_alc * np.where(da[v_idx], 0.6, 1.0)
        alcohol[v_idx] = rng.random(v_idx.size) < _calibrated(p_alc, ALCOHOL_SHARE)
    public_order = ctype == "Public order"
    alcohol |= public_order & (rng.random(n) < 0.25)
    da |= (ctype == "Criminal damage and arson") & (rng.random(n) < 0.06)

    # victims
    has_victim = rng.random(n) < pd.Series(ctype).map(VICTIM_SHARE).fillna(0.0).to_numpy()
    victim_age = np.zeros(n, dtype=int)
    vv = has_victim & violence & ~da
    victim_age[vv] = _ages(rng, vv.sum(), AGES["violence_victim"])
    vd = has_victim & da
    victim_age[vd] = _ages(rng, vd.sum(), AGES["da_victim"])
    vr = has_victim & robbery
    victim_age[vr] = _ages(rng, vr.sum(), AGES["robbery_victim"])
    vp = has_victim & ~violence & ~robbery & ~da
    victim_age[vp] = _ages(rng, vp.sum(), AGES["property_victim"])
    theft_person = ctype == "Theft from the person"
    vt = has_victim & theft_person
    victim_age[vt] = _ages(rng, vt.sum(), AGES["robbery_victim"])
    victim_sex = np.where(
        da, np.where(rng.random(n) < 0.76, "F", "M"),
        np.where(violence | robbery, np.where(rng.random(n) < 0.58, "M", "F"),
                 np.where(rng.random(n) < 0.5, "M", "F")),
    )  # fmt: skip
    youth_robbery = robbery & has_victim & (victim_age >= 10) & (victim_age <= 17)

    # suspects
    known = rng.random(n) < pd.Series(ctype).map(SUSPECT_KNOWN).fillna(0.3).to_numpy()
    known |= da & (rng.random(n) < 0.85)
    suspect_age = _ages(rng, n, AGES["suspect"])
    suspect_age[robbery] = _ages(rng, robbery.sum(), AGES["robbery_suspect"])
    suspect_age[youth_robbery] = _ages(rng, youth_robbery.sum(), AGES["youth_robbery_suspect"])
    suspect_age[da] = np.clip(victim_age[da] + rng.integers(-3, 8, da.sum()), 16, 90)
    suspect_sex = np.where(
        da, np.where(rng.random(n) < 0.8, "M", "F"),
        np.where(rng.random(n) < np.where(ctype == "Shoplifting", 0.6, 0.84), "M", "F"),
    )  # fmt: skip

    # times: the event time follows a profile by kind of offence
    when = np.empty(n, dtype="datetime64[m]")
    kind = pd.Series(ctype).map(PROFILE_BY_TYPE).fillna("general").to_numpy(dtype=object)
    kind[violence & alcohol & ~da] = "night_time_economy"
    kind[da] = "domestic"
    kind[youth_robbery] = "after_school"
    for k in np.unique(kind):
        rows = np.flatnonzero(kind == k)
        when[rows] = _sample_times(
            rng, months[rows], _profile(k), school_boost=9.0 if k == "after_school" else 1.0
        )
    window = pd.Series(ctype).map(WINDOW_HOURS).fillna(0.0).to_numpy()
    window_minutes = (window * 60 * rng.uniform(0.1, 1.0, n)).astype(int)
    window_minutes[window == 0] = np.where(rng.random((window == 0).sum()) < 0.2, 10, 0)
    offence_end = when
    offence_start = when - window_minutes.astype("timedelta64[m]")
    # recorded on the day or a few days later, within the month published
    end_day = offence_end.astype("datetime64[D]")
    month_end = (months.astype("datetime64[M]") + np.timedelta64(1, "M")).astype(
        "datetime64[D]"
    ) - np.timedelta64(1, "D")
    lag = np.minimum(rng.geometric(0.6, n) - 1, (month_end - end_day).astype(int))
    recorded = end_day + lag.astype("timedelta64[D]")

    knife = (violence & (rng.random(n) < 0.045)) | (robbery & (rng.random(n) < 0.25))
    knife |= np.isin(code, ["10D"])
    firearm = (violence & (rng.random(n) < 0.003)) | (robbery & (rng.random(n) < 0.015))
    firearm |= np.isin(code, ["10A"])
    gang = ((violence | robbery) & (rng.random(n) < 0.03)) | (
        np.isin(code, ["92A"]) & (rng.random(n) < 0.12)
    )
    hate = (violence | public_order) & (rng.random(n) < 0.035)
    hate |= (ctype == "Criminal damage and arson") & (rng.random(n) < 0.015)
    strand_names = np.array(list(HATE_STRANDS) + ["race;religion"], dtype=object)
    strand = strand_names[
        rng.choice(len(strand_names), size=n, p=[0.66, 0.12, 0.12, 0.05, 0.02, 0.03])
    ]
    strand = np.where(hate, strand, "")
    serious = np.isin(code, ["1", "5D", "8N"]) | robbery | knife
    syv = serious & has_victim & (victim_age >= 1) & (victim_age <= 19)

    victim_id = _repeat_victim_ids(rng, has_victim, da, violence, lsoa, recorded, ctype)
    frame = pd.DataFrame(
        {
            "incident_id": [f"CR{i + 1:07d}/{str(m)[2:4]}" for i, m in enumerate(months)],
            "recorded_date": recorded.astype(str),
            "offence_start": offence_start,
            "offence_end": offence_end,
            "offence_code": code,
            "offence_description": desc,
            "offence_group": group,
            "crime_type": ctype,
            "lsoa_code": lsoa,
            "longitude": crimes["Longitude"].to_numpy(),
            "latitude": crimes["Latitude"].to_numpy(),
            "domestic_abuse": _yn(da),
            "alcohol_related": _yn(alcohol),
            "knife_or_sharp_instrument": _yn(knife),
            "firearm": _yn(firearm),
            "gang_related": _yn(gang),
            "hate_crime": _yn(hate),
            "hate_crime_strand": strand,
            "serious_youth_violence": _yn(syv),
            "victim_id": victim_id,
            "victim_age": victim_age,
            "victim_sex": victim_sex,
            "suspect_age": _blank_int(suspect_age, known),
            "suspect_sex": np.where(known, suspect_sex, ""),
        }
    )
    # a repeat victim keeps the age and sex of the first incident
    has = frame["victim_id"] != ""
    first = frame[has].groupby("victim_id")[["victim_age", "victim_sex"]].transform("first")
    frame.loc[has, ["victim_age", "victim_sex"]] = first.to_numpy()
    frame["victim_age"] = np.where(has, frame["victim_age"].astype(str), "")
    frame["victim_sex"] = np.where(has, frame["victim_sex"], "")
    return frame


def _repeat_victim_ids(rng, has_victim, da, violence, lsoa, recorded, ctype) -> np.ndarray:
    """Pseudonymous victim ids; some victims suffer several incidents close in time.

    Incidents chosen to be repeats are taken in date order within their LSOA and offence
    family, and consecutive ones share a victim (chains of 2 to 5), so repeats fall within
    months of each other, as real repeat victimisation does.
    """
    n = len(has_victim)
    family = np.where(da, "da", np.where(violence, "violence", ctype.astype(object)))
    repeat_p = np.where(da, 0.45, np.where(violence, 0.14, 0.06))
    repeat = has_victim & (rng.random(n) < repeat_p)
    ids = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((recorded, lsoa, family))
    order = order[repeat[order]]
    fam_l = (family[order] + "|" + lsoa[order].astype(object)).astype(str)
    next_id = 0
    start = 0
    while start < order.size:
        chain = min(int(rng.integers(2, 6)), order.size - start)
        same = fam_l[start : start + chain] == fam_l[start]
        chain = int(np.argmin(same)) if not same.all() else chain
        ids[order[start : start + chain]] = next_id
        next_id += 1
        start += chain
    singles = np.flatnonzero(has_victim & (ids < 0))
    ids[singles] = next_id + np.arange(singles.size)
    total = next_id + singles.size
    labels = _hex_ids(rng, total, "V")
    return np.where(ids >= 0, labels[np.maximum(ids, 0)], "")


# -- anti-social behaviour ------------------------------------------------------------------

POLICE_ASB_SUBCATEGORY = {"Rowdy or nuisance behaviour": 0.55, "Street drinking": 0.08,
                          "Drug-related": 0.10, "Neighbour dispute": 0.10, "Vehicle nuisance": 0.07,
                          "Begging": 0.05, "Noise": 0.05}  # fmt: skip
COUNCIL_ASB_SUBCATEGORY = {"Fly-tipping": 0.40, "Noise": 0.30, "Graffiti": 0.10, "Litter": 0.08,
                           "Abandoned vehicle": 0.04, "Fireworks": 0.03, "Street drinking": 0.05}  # fmt: skip
HOUSING_ASB_SUBCATEGORY = {"Neighbour dispute": 0.35, "Noise": 0.30, "Rowdy or nuisance behaviour": 0.2,
                           "Drug-related": 0.15}  # fmt: skip
ASB_CATEGORY = {"Fly-tipping": "environmental", "Graffiti": "environmental", "Litter": "environmental",
                "Abandoned vehicle": "environmental", "Neighbour dispute": "personal"}  # fmt: skip
COUNCIL_ASB_PER_YEAR = 9000
HOUSING_ASB_PER_YEAR = 2500
ASB_STREETS = ["High Street", "Market Street", "Station Road", "Canal Path", "Church Lane",
               "Mill Road", "Victoria Street", "Park Avenue", "Bridge Street", "Green Lane",
               "Tower Block Walkway", "Garage Court"]  # fmt: skip


def _choose(rng, options: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(options.values()))
    return rng.choice(np.array(list(options), dtype=object), size=n, p=p / p.sum())


def asb_incidents_frame(street, geo, first_year, last_year, seed, scale) -> pd.DataFrame:
    """Police ASB (one per published ASB row) plus council and housing incidents."""
    rng = np.random.default_rng([seed, 502])
    police = street[street["Crime type"] == ASB].reset_index(drop=True)
    months = police["Month"].astype(str).to_numpy()
    n_pol = len(police)
    pol_sub = _choose(rng, POLICE_ASB_SUBCATEGORY, n_pol)
    pol = pd.DataFrame(
        {
            "source": "police",
            "subcategory": pol_sub,
            "incident_datetime": _sample_times(rng, months, _profile("general")),
            "lsoa_code": police["LSOA code"].fillna("").astype(str).to_numpy(),
            "location": police["Location"].fillna("").astype(str).to_numpy(),
            "longitude": police["Longitude"].to_numpy(),
            "latitude": police["Latitude"].to_numpy(),
        }
    )
    lsoas = getattr(geo, "borough", getattr(geo, "lsoas", geo))
    all_months = pd.period_range(first_year.first_month, last_year.last_month, freq="M")
    pieces = [pol]
    for source, per_year, subs, weight_by in (
        ("council", COUNCIL_ASB_PER_YEAR, COUNCIL_ASB_SUBCATEGORY,
         {"town_centre": 3.0, "arterial": 1.5, "estate": 1.8, "residential": 0.7}),
        ("housing", HOUSING_ASB_PER_YEAR, HOUSING_ASB_SUBCATEGORY,
         {"town_centre": 0.3, "arterial": 0.5, "estate": 6.0, "residential": 0.3}),
    ):  # fmt: skip
        season = 1 + 0.2 * np.cos(2 * np.pi * (np.asarray(all_months.month) - 7) / 12)
        counts = rng.poisson(per_year / 12 * scale * season)
        m = np.repeat(all_months.astype(str).to_numpy(), counts)
        k = m.size
        w = lsoas["character"].map(weight_by).to_numpy() * rng.lognormal(0, 0.3, len(lsoas))
        pos = rng.choice(len(lsoas), size=k, p=w / w.sum())
        # a few locations per LSOA, one of them much busier: repeat locations
        loc = rng.choice(4, size=k, p=[0.55, 0.2, 0.15, 0.1])
        street_idx = (pos * 5 + loc * 7) % len(ASB_STREETS)
        pieces.append(
            pd.DataFrame(
                {
                    "source": source,
                    "subcategory": _choose(rng, subs, k),
                    "incident_datetime": _sample_times(rng, m, _profile("general")),
                    "lsoa_code": lsoas["lsoa_code"].to_numpy()[pos],
                    "location": np.char.add("On or near ", np.array(ASB_STREETS)[street_idx]),
                    "longitude": np.round(
                        lsoas["longitude"].to_numpy()[pos] + (loc - 1.5) * 0.0012, 6
                    ),
                    "latitude": np.round(
                        lsoas["latitude"].to_numpy()[pos] + (loc - 1.5) * 0.0008, 6
                    ),
                }
            )
        )
    frame = pd.concat(pieces, ignore_index=True)
    frame["category"] = frame["subcategory"].map(ASB_CATEGORY).fillna("nuisance")
    prefix = frame["source"].map({"police": "P", "council": "C", "housing": "H"})
    frame["incident_id"] = (
        prefix + "-" + pd.Series(np.arange(1, len(frame) + 1)).astype(str).str.zfill(7)
    )
    frame = frame.sort_values("incident_datetime", kind="stable")
    return frame[DATASETS["asb_incidents"].header].reset_index(drop=True)


# -- residents' survey ----------------------------------------------------------------------

#: question -> (logit of the "yes" answers in the first wave, change per wave)
SURVEY_LEVELS = {
    "asb_noisy_neighbours": (-1.9, 0.0), "asb_teenagers_hanging_around": (-0.6, -0.05),
    "asb_rubbish_litter": (-0.4, 0.0), "asb_vandalism_graffiti": (-0.95, -0.05),
    "asb_drug_use_dealing": (-0.95, 0.32), "asb_drunk_rowdy": (-1.0, 0.0),
    "asb_abandoned_vehicles": (-2.6, 0.0), "safe_day": (2.0, 0.0),
    "safe_after_dark": (0.15, 0.25), "different_backgrounds_get_on": (1.3, 0.0),
    "satisfied_with_area": (1.15, 0.05), "police_council_deal_with_asb": (-1.0, 0.12),
    "parents_take_responsibility": (-0.9, 0.0),
}  # fmt: skip
SURVEY_CHARACTER = {
    "town_centre": {"asb_drunk_rowdy": 1.0, "asb_drug_use_dealing": 0.5, "safe_after_dark": -0.4,
                    "asb_rubbish_litter": 0.4},
    "estate": {"asb_teenagers_hanging_around": 0.6, "asb_drug_use_dealing": 0.6,
               "asb_rubbish_litter": 0.4, "safe_after_dark": -0.35, "satisfied_with_area": -0.5,
               "asb_vandalism_graffiti": 0.5},
    "arterial": {"asb_rubbish_litter": 0.3, "asb_drunk_rowdy": 0.3},
    "residential": {"safe_after_dark": 0.35, "satisfied_with_area": 0.4,
                    "asb_teenagers_hanging_around": -0.3, "asb_drug_use_dealing": -0.4},
}  # fmt: skip
SURVEY_AGE_SHARE = [0.16, 0.24, 0.19, 0.15, 0.11, 0.08, 0.07]  # residents 16+, inner London
SURVEY_RESPONSE = [0.5, 0.7, 0.9, 1.0, 1.2, 1.4, 1.3]  # young people respond less


def survey_waves(first_year: FinancialYear, last_year: FinancialYear) -> list[int]:
    """Fieldwork years: every two years, the second autumn of the range first."""
    return list(range(first_year.start_year + 1, last_year.start_year + 1, 2))


def residents_survey_frame(geo, first_year, last_year, seed, scale) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 503])
    lsoas = getattr(geo, "borough", getattr(geo, "lsoas", geo))
    wards = lsoas.groupby("ward_code").agg(
        population=("population_2021", "sum"),
        character=("character", lambda c: c.mode().iloc[0]),
    )
    pieces = []
    for w_i, wave in enumerate(survey_waves(first_year, last_year)):
        n = max(40, int(round(rng.normal(1000, 25) * scale)))
        # equal allocation by ward, response skewed by age: weights correct both
        ward = rng.choice(wards.index.to_numpy(), size=n)
        resp = np.array(SURVEY_AGE_SHARE) * np.array(SURVEY_RESPONSE)
        age_i = rng.choice(len(SURVEY_AGE_BANDS), size=n, p=resp / resp.sum())
        sex = np.where(rng.random(n) < 0.54, "F", "M")  # women respond a little more
        sex[rng.random(n) < 0.01] = "X"
        ward_share = wards["population"] / wards["population"].sum()
        sampled_ward = pd.Series(ward).value_counts(normalize=True)
        w_ward = (ward_share / sampled_ward).reindex(ward).to_numpy()
        w_age = (np.array(SURVEY_AGE_SHARE) / (resp / resp.sum()))[age_i]
        w_sex = np.where(sex == "F", 0.5 / 0.54, 0.5 / 0.46)
        weight = w_ward * w_age * w_sex * rng.lognormal(0, 0.15, n)
        weight = weight * n / weight.sum()
        char = wards["character"].reindex(ward).to_numpy()
        frame = {
            "respondent_id": [f"W{wave}-{i + 1:05d}" for i in range(n)],
            "wave": wave,
            "weight": np.round(weight, 4),
            "ward_code": ward,
            "age_band": np.array(SURVEY_AGE_BANDS)[age_i],
            "sex": sex,
        }
        old = age_i >= 5
        young = age_i <= 1
        for q, (scale_q, yes) in SURVEY_QUESTIONS.items():
            base, step = SURVEY_LEVELS[q]
            logit = (
                base
                + step * w_i
                + pd.Series(char)
                .map(lambda c, q=q: SURVEY_CHARACTER.get(c, {}).get(q, 0.0))
                .to_numpy()
            )
            if q == "safe_after_dark":
                logit = logit - 0.4 * old + 0.2 * young - 0.3 * (sex == "F")
            if q == "asb_teenagers_hanging_around":
                logit = logit + 0.3 * old - 0.4 * young
            p_yes = 1 / (1 + np.exp(-logit))
            dont_know = rng.random(n) < 0.04
            is_yes = (rng.random(n) < p_yes) & ~dont_know
            others = [a for a in scale_q if a not in yes and a != "Don't know"]
            if q == "different_backgrounds_get_on":
                others = others[:2]  # the two 'all same / too few' answers are rare
            ans = np.where(
                is_yes,
                np.array(yes, dtype=object)[(rng.random(n) < 0.7).astype(int)],
                np.array(others, dtype=object)[rng.integers(0, len(others), n)],
            )
            ans[dont_know] = "Don't know"
            ans[rng.random(n) < 0.01] = ""  # item non-response
            frame[q] = ans
        pieces.append(pd.DataFrame(frame))
    return pd.concat(pieces, ignore_index=True)


# -- aggregate returns ----------------------------------------------------------------------


def _fy_index(months: pd.PeriodIndex, first_year: FinancialYear) -> np.ndarray:
    return np.asarray(months.year - (months.month < 4) - first_year.start_year, dtype=float)


def treatment_frame(first_year, last_year, seed, scale) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 504])
    months = pd.period_range(first_year.first_month, last_year.last_month, freq="M")
    t = _fy_index(months, first_year)
    levels = {  # in treatment, yearly trend, effective share, completions/month, new/month
        "opiate": (900, 0.98, 0.91, 5.0, 12),
        "non_opiate": (260, 1.03, 0.86, 10.0, 16),
        "alcohol": (400, 1.04, 0.87, 18.0, 30),
        "non_opiate_and_alcohol": (210, 1.02, 0.86, 7.0, 12),
    }
    rows = []
    for group, (level, trend, eff, comp, new) in levels.items():
        in_t = np.round(level * scale * trend**t * (1 + rng.normal(0, 0.01, len(months))))
        in_t = np.maximum(in_t, 1).astype(int)
        effective = rng.binomial(in_t, eff)
        rows.append(
            pd.DataFrame(
                {
                    "area_code": DEMO_CSP_CODE,
                    "month": months.astype(str),
                    "substance_group": group,
                    "in_treatment": in_t,
                    "in_effective_treatment": effective,
                    "successful_completions": rng.poisson(comp * scale * trend**t),
                    "new_presentations": rng.poisson(new * scale * trend**t),
                }
            )
        )
    return pd.concat(rows, ignore_index=True).sort_values(["month", "substance_group"])


def drug_prevalence_frame(first_year, last_year, seed, scale) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 505])
    rows = []
    for start in range(first_year.start_year, last_year.start_year + 1, 3):
        fy = FinancialYear(start)
        ocu = 1850 * scale * (0.99 ** (start - first_year.start_year)) * rng.normal(1, 0.02)
        for group, share in (("opiate_and_crack", 1.0), ("opiate", 0.78), ("crack", 0.72)):
            est = ocu * share
            rows.append(
                {
                    "area_code": DEMO_CSP_CODE,
                    "financial_year": fy.label,
                    "drug_group": group,
                    "age_range": "15-64",
                    "estimate": round(est),
                    "lower": round(est * 0.86),
                    "upper": round(est * 1.17),
                    "source": f"Demo estimates of opiate and crack cocaine use, {fy.label}",
                }
            )
    return pd.DataFrame(rows)


def _quarters(first: pd.Period, last: pd.Period) -> pd.PeriodIndex:
    return pd.period_range(first.asfreq("Q"), last.asfreq("Q"), freq="Q")


def reoffending_frame(first_year, last_year, seed, scale) -> pd.DataFrame:
    """MoJ cohorts up to 18 months before the end of the data (re-offending takes time)."""
    rng = np.random.default_rng([seed, 506])
    quarters = _quarters(first_year.first_month, last_year.last_month - 18)
    t = np.arange(len(quarters)) / 4
    rows = []
    for cohort, ppo, size, rate, freq, trend in (
        ("adult", "N", 410, 0.27, 3.7, -0.004),
        ("adult", "Y", 45, 0.62, 5.5, -0.01),
        ("juvenile", "N", 40, 0.36, 3.9, -0.006),
        ("juvenile", "Y", 6, 0.7, 5.0, 0.0),
    ):
        offenders = np.maximum(rng.poisson(size * scale, len(quarters)), 1)
        reoff = rng.binomial(offenders, np.clip(rate + trend * 4 * t, 0.05, 0.95))
        reoffences = reoff + rng.poisson(np.maximum(reoff * (freq - 1), 0))
        rows.append(
            pd.DataFrame(
                {
                    "area_code": DEMO_CSP_CODE,
                    "cohort_quarter": [str(q) for q in quarters],
                    "cohort": cohort,
                    "ppo": ppo,
                    "offenders": offenders,
                    "reoffenders": reoff,
                    "reoffences": reoffences,
                }
            )
        )
    return pd.concat(rows, ignore_index=True).sort_values(["cohort_quarter", "cohort", "ppo"])


def youth_fte_frame(first_year, last_year, seed, scale) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 507])
    quarters = _quarters(first_year.first_month, last_year.last_month)
    t = np.arange(len(quarters)) / 4
    pop = np.round(26100 * (1.005**t)).astype(int)
    return pd.DataFrame(
        {
            "area_code": DEMO_CSP_CODE,
            "quarter": [str(q) for q in quarters],
            "first_time_entrants": rng.poisson(21 * scale * 0.95**t),
            "population_10_17": pop,
        }
    )


def probation_frame(first_year, last_year, seed, scale) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 508])
    quarters = _quarters(first_year.first_month, last_year.last_month)
    rows = []
    for order, size, emp, acc in (
        ("community_order", 60, 0.45, 0.86),
        ("suspended_sentence_order", 30, 0.5, 0.88),
        ("licence", 70, 0.3, 0.72),
    ):
        for age_group, share, emp_adj in (("18-24", 0.3, -0.08), ("25+", 0.7, 0.0)):
            n = rng.poisson(size * share * scale, len(quarters))
            rows.append(
                pd.DataFrame(
                    {
                        "area_code": DEMO_CSP_CODE,
                        "quarter": [str(q) for q in quarters],
                        "order_type": order,
                        "age_group": age_group,
                        "terminations": n,
                        "in_employment": rng.binomial(n, emp + emp_adj),
                        "in_settled_accommodation": rng.binomial(n, acc),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True).sort_values(["quarter", "order_type", "age_group"])


def fire_incidents_frame(geo, first_year, last_year, seed, scale) -> pd.DataFrame:
    """About 240 primary and 300 secondary fires a year; deliberate fires in the estates."""
    rng = np.random.default_rng([seed, 509])
    lsoas = getattr(geo, "borough", getattr(geo, "lsoas", geo))
    months = pd.period_range(first_year.first_month, last_year.last_month, freq="M")
    pieces = []
    for kind, per_year, peak, props in (
        ("primary", 240, 12, {"dwelling": 0.5, "other_building": 0.15, "road_vehicle": 0.25,
                              "other": 0.1}),
        ("secondary", 300, 4, {"refuse": 0.55, "grassland": 0.2, "outdoor": 0.2, "other": 0.05}),
    ):  # fmt: skip
        season = 1 + 0.25 * np.cos(2 * np.pi * (np.asarray(months.month) - peak) / 12)
        counts = rng.poisson(per_year / 12 * scale * season)
        m = np.repeat(months.astype(str).to_numpy(), counts)
        k = m.size
        deliberate_p = 0.3 if kind == "primary" else 0.62
        w = (
            lsoas["character"]
            .map({"town_centre": 1.5, "arterial": 1.2, "estate": 2.5, "residential": 0.7})
            .to_numpy()
        )
        pos = rng.choice(len(lsoas), size=k, p=w / w.sum())
        motive = np.where(
            rng.random(k) < deliberate_p,
            "deliberate",
            np.where(rng.random(k) < 0.93, "accidental", "not_known"),
        )
        casualties = np.where(kind == "primary", rng.poisson(0.07, k), 0)
        fatal = (kind == "primary") & (rng.random(k) < 0.004)
        pieces.append(
            pd.DataFrame(
                {
                    "incident_datetime": _sample_times(rng, m, _profile("general")),
                    "incident_type": kind,
                    "property_type": _choose(rng, props, k),
                    "motive": motive,
                    "casualties": casualties,
                    "fatalities": fatal.astype(int),
                    "lsoa_code": lsoas["lsoa_code"].to_numpy()[pos],
                    "longitude": np.round(
                        lsoas["longitude"].to_numpy()[pos] + rng.uniform(-0.005, 0.005, k), 6
                    ),
                    "latitude": np.round(
                        lsoas["latitude"].to_numpy()[pos] + rng.uniform(-0.003, 0.003, k), 6
                    ),
                }
            )
        )
    frame = pd.concat(pieces, ignore_index=True).sort_values("incident_datetime", kind="stable")
    frame.insert(0, "incident_id", [f"IRS-{i + 1:06d}" for i in range(len(frame))])
    return frame.reset_index(drop=True)


#: population share by ESP band (inner-London shape: many 25-44s, few over 70)
_POP_SHARE = np.array([6.6, 5.8, 5.2, 5.0, 7.0, 10.5, 11.5, 10.0, 8.0, 6.8, 6.2, 5.3, 4.0, 3.1,
                       2.4, 1.4, 0.7, 0.3, 0.2])  # fmt: skip
#: narrow alcohol-related admissions per 100,000 by ESP band, men (women about half)
_ADMISSION_RATE = np.array([10, 10, 15, 120, 200, 260, 320, 420, 560, 720, 860, 960, 1020, 1050,
                            1050, 1000, 950, 900, 850])  # fmt: skip


def alcohol_admissions_frame(geo, first_year, last_year, seed, scale) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 510])
    lsoas = getattr(geo, "borough", getattr(geo, "lsoas", geo))
    total = lsoas["population_2021"].sum()
    rows = []
    for i, start in enumerate(range(first_year.start_year, last_year.start_year + 1)):
        fy = FinancialYear(start)
        for sex, sex_share, rate_mult in (("F", 0.505, 0.5), ("M", 0.495, 1.0)):
            pop = np.round(total * (1.006**i) * sex_share * _POP_SHARE / _POP_SHARE.sum())
            lam = pop * _ADMISSION_RATE * rate_mult / 100000 * (1.015**i) * scale
            rows.append(
                pd.DataFrame(
                    {
                        "area_code": DEMO_CSP_CODE,
                        "financial_year": fy.label,
                        "sex": sex,
                        "age_band": ESP_AGE_BANDS,
                        "admissions": rng.poisson(lam),
                        "population": pop.astype(int),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def road_casualties_frame(first_year, last_year, seed, scale) -> pd.DataFrame:
    """About 1,000 casualties a year, 130 killed or seriously injured, 10 of them children."""
    rng = np.random.default_rng([seed, 511])
    users = {"pedestrian": 0.22, "pedal_cyclist": 0.2, "motorcyclist": 0.16,
             "car_occupant": 0.34, "other": 0.08}  # fmt: skip
    rows = []
    for i, year in enumerate(range(first_year.start_year, last_year.start_year + 1)):
        for severity, per_year in (("fatal", 3.0), ("serious", 127.0), ("slight", 870.0)):
            for age_group, share in (("child", 0.08), ("adult", 0.89), ("unknown", 0.03)):
                for user, u_share in users.items():
                    child_ped = 2.0 if (age_group == "child" and user == "pedestrian") else 1.0
                    lam = per_year * share * u_share * child_ped * scale * 0.97**i
                    rows.append(
                        {
                            "area_code": DEMO_CSP_CODE,
                            "year": year,
                            "severity": severity,
                            "age_group": age_group,
                            "road_user": user,
                            "casualties": int(rng.poisson(lam)),
                        }
                    )
    return pd.DataFrame(rows)


# -- writing --------------------------------------------------------------------------------


def _write_csv(frame: pd.DataFrame, header: list[str], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = pl.from_pandas(frame[header].reset_index(drop=True))
    out = out.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d %H:%M") for c, t in out.schema.items() if t.is_temporal()]
    )
    tmp = path.with_suffix(".csv.tmp")
    out.write_csv(tmp, null_value="")
    tmp.replace(path)
    return len(frame)


def write_partner(
    raw_dir,
    geography,
    first_year: FinancialYear,
    last_year: FinancialYear,
    seed: int,
    scale: float = 1.0,
    street: pd.DataFrame | None = None,
) -> dict[str, int]:
    """Write every partner extract under ``raw_dir/partner/``; return rows written per file.

    Parameters
    ----------
    raw_dir : path
        The raw folder (files go to ``partner/<dataset>.csv``).
    geography : sa_toolkit.demo.geography.Geography
        The demo geography.
    first_year, last_year : FinancialYear
        The years covered.
    seed : int
        Random seed; the same seed gives the same files.
    scale : float
        Volume multiplier for the partner-only volumes (incidents follow ``street``).
    street : pandas.DataFrame
        The demo data.police.uk street-level rows (columns as published); the crime
        incidents and police ASB incidents are derived from them.
    """
    if street is None:
        raise ValueError("write_partner needs the street-level police rows to agree with them")
    first_year, last_year = FinancialYear.parse(first_year), FinancialYear.parse(last_year)
    folder = Path(raw_dir) / "partner"
    frames = {
        "crime_incidents": crime_incidents_frame(street, geography, seed),
        "asb_incidents": asb_incidents_frame(street, geography, first_year, last_year, seed, scale),
        "residents_survey": residents_survey_frame(geography, first_year, last_year, seed, scale),
        "treatment_monthly": treatment_frame(first_year, last_year, seed, scale),
        "drug_prevalence": drug_prevalence_frame(first_year, last_year, seed, scale),
        "reoffending": reoffending_frame(first_year, last_year, seed, scale),
        "youth_first_time_entrants": youth_fte_frame(first_year, last_year, seed, scale),
        "probation_outcomes": probation_frame(first_year, last_year, seed, scale),
        "fire_incidents": fire_incidents_frame(geography, first_year, last_year, seed, scale),
        "alcohol_admissions": alcohol_admissions_frame(
            geography, first_year, last_year, seed, scale
        ),
        "road_casualties": road_casualties_frame(first_year, last_year, seed, scale),
    }
    return {
        name: _write_csv(frame, DATASETS[name].header, folder / f"{name}.csv")
        for name, frame in frames.items()
    }
