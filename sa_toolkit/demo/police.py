"""Synthetic data.police.uk street, outcomes and stop-and-search files for the demo force.

Volumes and mixes resemble an inner-London borough (about 57,000 street-level rows a year,
anti-social behaviour about a fifth). The data carry the patterns an assessment should
find, each documented in ``docs/data_log.md``:

* seasonality (violence and ASB peak in summer, burglary in winter);
* hotspots: the town-centre LSOAs about five times and the arterial-route LSOAs about
  twice the borough rate, so that the top 5% of LSOAs hold about a quarter of violence;
* acquisitive crime (burglary, vehicle crime, theft) falling about 5% a year and
  "Violence and sexual offences" rising about 4% a year;
* one series break: "Public order" steps up by 35% from April 2022 (an invented
  recording-practice change, written by ``sa demo`` to the demo's own
  ``<raw_dir>/series_breaks.csv``, never to the package's registry of real events);
* stop and search peaking on Friday and Saturday nights (22:00-03:00).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from sa_toolkit.demo.geography import FORCE_NAME, FORCE_SLUG, Geography

STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
OUTCOMES_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Outcome type",
]  # fmt: skip
STOP_SEARCH_HEADER = [
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
    "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
    "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]  # fmt: skip

ASB = "Anti-social behaviour"
VIOLENCE = "Violence and sexual offences"
PUBLIC_ORDER = "Public order"
#: Crime type -> (rows a year for Demo Borough at scale 1 in the first year,
#:               yearly trend factor, seasonal amplitude, peak month, hotspot exponent)
# The hotspot exponent sharpens (>1) or flattens (<1) the LSOA weights for that type.
CRIME_TYPES: dict[str, tuple[float, float, float, int, float]] = {
    ASB: (12500, 0.97, 0.18, 7, 1.0),
    VIOLENCE: (15000, 1.04, 0.10, 7, 1.0),
    "Burglary": (3700, 0.95, 0.12, 12, 0.4),
    "Vehicle crime": (4600, 0.95, 0.08, 11, 0.6),
    "Other theft": (4400, 0.95, 0.06, 8, 0.9),
    "Theft from the person": (1500, 0.95, 0.08, 12, 1.6),
    "Bicycle theft": (1100, 0.95, 0.30, 7, 0.8),
    "Shoplifting": (2900, 1.00, 0.05, 12, 1.6),
    "Criminal damage and arson": (3400, 0.99, 0.06, 10, 0.6),
    PUBLIC_ORDER: (3000, 1.00, 0.08, 7, 1.0),
    "Drugs": (1800, 1.00, 0.05, 6, 1.0),
    "Robbery": (1400, 0.98, 0.10, 1, 1.1),
    "Possession of weapons": (450, 1.02, 0.05, 6, 1.0),
    "Other crime": (900, 1.00, 0.03, 6, 0.5),
}
ACQUISITIVE = ["Burglary", "Vehicle crime", "Other theft", "Theft from the person", "Bicycle theft"]
#: the recording-practice change: Public order x1.35 from this month
SERIES_BREAK = (PUBLIC_ORDER, "2022-04", 1.35)
#: relative crime rate of an LSOA by its character (before per-LSOA noise)
CHARACTER_WEIGHT = {"town_centre": 6.0, "arterial": 2.6, "estate": 1.2, "residential": 0.5}
NO_LOCATION_SHARE = 0.015
STOP_SEARCHES_PER_YEAR = 3600

OUTCOMES = {  # outcome type -> probability for a crime with an outcome
    "Investigation complete; no suspect identified": 0.47,
    "Unable to prosecute suspect": 0.25,
    "Suspect charged": 0.07,
    "Local resolution": 0.05,
    "Offender given a caution": 0.02,
    "Action to be taken by another organisation": 0.04,
    "Further investigation is not in the public interest": 0.03,
    "Formal action is not in the public interest": 0.02,
    "Suspect charged as part of another case": 0.01,
    "Offender given penalty notice": 0.01,
    "Offender given a drugs possession warning": 0.03,
}
COURT_RESULTS = {
    "Offender sent to prison": 0.25,
    "Offender given suspended prison sentence": 0.15,
    "Offender fined": 0.2,
    "Offender given community sentence": 0.2,
    "Defendant found not guilty": 0.1,
    "Court case unable to proceed": 0.1,
}
STREETS = [
    "High Street", "Market Square", "Station Road", "Church Lane", "Park Avenue", "Mill Road",
    "Canal Walk", "Victoria Street", "Albert Road", "Queens Road", "Kings Parade", "Bridge Street",
    "Green Lane", "Manor Way", "Chapel Street", "Nightclub", "Shopping Area", "Supermarket",
    "Petrol Station", "Parking Area", "Sports/Recreation Area", "Further/Higher Educational Building",
    "Theatre/Concert Hall", "Bus/Coach Station", "Hospital", "Pedestrian Subway",
]  # fmt: skip


def _months(first_year, last_year) -> pd.PeriodIndex:
    return pd.period_range(first_year.first_month, last_year.last_month, freq="M")


def lsoa_weights(geo: Geography, seed: int) -> pd.Series:
    """Relative crime rate of every LSOA (both partnerships), indexed by LSOA code."""
    rng = np.random.default_rng([seed, 11])
    lsoas = geo.lsoas
    base = lsoas["character"].map(CHARACTER_WEIGHT).to_numpy(dtype=float)
    noise = rng.lognormal(0.0, 0.3, len(lsoas))
    rate = base * noise * lsoas["population_2021"].to_numpy() / 1760.0
    return pd.Series(rate, index=lsoas["lsoa_code"].to_numpy())


def _crime_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    words = rng.integers(0, 2**63, size=(n, 4), dtype=np.int64)
    return np.array([f"{a:016x}{b:016x}{c:016x}{d:016x}" for a, b, c, d in words.tolist()])


def street_frame(
    geo: Geography, first_year, last_year, seed: int, scale: float = 1.0
) -> pd.DataFrame:
    """Every street-level row, with the data.police.uk column names.

    Also carries ``_month`` (period) and ``_outcome_delay`` helpers, dropped when written.
    """
    rng = np.random.default_rng([seed, 1])
    months = _months(first_year, last_year)
    lsoas = geo.lsoas.set_index("lsoa_code")
    weights = lsoa_weights(geo, seed)
    in_borough = lsoas.index.isin(geo.borough["lsoa_code"])
    start_year = months[0].year + (months[0].month >= 4) - 1
    pieces = []
    for crime_type, (annual, trend, amp, peak, sharp) in CRIME_TYPES.items():
        w = weights.to_numpy() ** sharp
        w = w / w[in_borough].sum()  # volumes are the borough's; the neighbour adds its share
        fy_index = np.asarray(months.year - start_year - (months.month < 4), dtype=float)
        season = 1 + amp * np.cos(2 * np.pi * (np.asarray(months.month) - peak) / 12)
        expected = annual / 12 * scale * trend**fy_index * season
        if crime_type == SERIES_BREAK[0]:
            expected = expected * np.where(
                months >= pd.Period(SERIES_BREAK[1], "M"), SERIES_BREAK[2], 1.0
            )
        # per LSOA-month expected counts; the neighbour partnership gets its share by weight
        lam = np.outer(expected, w)
        counts = rng.poisson(lam)
        m_idx, l_idx = np.nonzero(counts)
        reps = counts[m_idx, l_idx]
        frame = pd.DataFrame(
            {
                "_month": np.repeat(months[m_idx].astype(str), reps),
                "_lsoa": np.repeat(weights.index.to_numpy()[l_idx], reps),
                "Crime type": crime_type,
            }
        )
        pieces.append(frame)
    df = pd.concat(pieces, ignore_index=True)
    n = len(df)
    lsoa_info = lsoas.loc[df["_lsoa"]]
    # data.police.uk snaps points to anonymised map points near the LSOA: a few per LSOA
    point = rng.integers(0, 6, n)
    point_rng = np.random.default_rng([seed, 2])
    offsets = point_rng.uniform(-1, 1, size=(len(lsoas), 6, 2))
    lsoa_pos = lsoas.index.get_indexer(df["_lsoa"])
    lat = lsoa_info["latitude"].to_numpy() + offsets[lsoa_pos, point, 0] * 0.004
    lon = lsoa_info["longitude"].to_numpy() + offsets[lsoa_pos, point, 1] * 0.006
    street_names = np.array(STREETS)[(lsoa_pos * 7 + point * 3) % len(STREETS)]
    location = np.char.add("On or near ", street_names.astype(str))
    no_loc = rng.random(n) < NO_LOCATION_SHARE
    is_asb = (df["Crime type"] == ASB).to_numpy()
    outcome = rng.choice(
        list(OUTCOMES), size=n, p=np.array(list(OUTCOMES.values())) / sum(OUTCOMES.values())
    )
    df = pd.DataFrame(
        {
            "Crime ID": np.where(is_asb, "", _crime_ids(rng, n)),
            "Month": df["_month"].to_numpy(),
            "Reported by": FORCE_NAME,
            "Falls within": FORCE_NAME,
            "Longitude": np.where(no_loc, np.nan, np.round(lon, 6)),
            "Latitude": np.where(no_loc, np.nan, np.round(lat, 6)),
            "Location": np.where(no_loc, "No location", location),
            "LSOA code": np.where(no_loc, "", df["_lsoa"].to_numpy()),
            "LSOA name": np.where(no_loc, "", lsoa_info["lsoa_name"].to_numpy()),
            "Crime type": df["Crime type"].to_numpy(),
            "_outcome": np.where(is_asb, "", outcome),
            "_delay": rng.geometric(0.45, n) - 1,
            "_court": rng.choice(list(COURT_RESULTS), size=n, p=list(COURT_RESULTS.values())),
            "_court_delay": rng.integers(2, 9, n),
            "_lsoa": df["_lsoa"].to_numpy(),
        }
    )
    df = df.sort_values(["Month", "Crime type"], kind="stable").reset_index(drop=True)
    df["Last outcome category"] = _last_outcome(df, months[-1])
    df["Context"] = ""
    return df


def _last_outcome(df: pd.DataFrame, last_month: pd.Period) -> np.ndarray:
    """Street-level last outcome as of the final published month."""
    month = pd.PeriodIndex(df["Month"], freq="M")
    age = np.asarray((last_month.ordinal - month.asi8), dtype=int)
    decided = df["_delay"].to_numpy() <= age
    court_decided = df["_delay"].to_numpy() + df["_court_delay"].to_numpy() <= age
    charged = df["_outcome"].to_numpy() == "Suspect charged"
    last = np.where(decided, df["_outcome"].to_numpy(), "Under investigation")
    last = np.where(charged & decided, "Awaiting court outcome", last)
    last = np.where(charged & court_decided, df["_court"].to_numpy(), last)
    return np.where(df["Crime type"].to_numpy() == ASB, "", last)


def outcomes_frame(street: pd.DataFrame, last_month: pd.Period) -> pd.DataFrame:
    """Outcome events (one per decided crime, two for charged ones that reached court)."""
    crimes = street[street["Crime type"] != ASB]
    month = pd.PeriodIndex(crimes["Month"], freq="M").asi8
    first = month + crimes["_delay"].to_numpy()
    court = first + crimes["_court_delay"].to_numpy()
    charged = (crimes["_outcome"] == "Suspect charged").to_numpy()
    cols = [
        "Crime ID",
        "Reported by",
        "Falls within",
        "Longitude",
        "Latitude",
        "Location",
        "LSOA code",
        "LSOA name",
    ]
    a = crimes.loc[first <= last_month.ordinal, cols].assign(
        _ord=first[first <= last_month.ordinal],
        **{"Outcome type": crimes.loc[first <= last_month.ordinal, "_outcome"].to_numpy()},
    )
    keep = charged & (court <= last_month.ordinal)
    b = crimes.loc[keep, cols].assign(
        _ord=court[keep], **{"Outcome type": crimes.loc[keep, "_court"].to_numpy()}
    )
    out = pd.concat([a, b], ignore_index=True)
    out["Month"] = pd.PeriodIndex.from_ordinals(out["_ord"].to_numpy(), freq="M").astype(str)
    return out.sort_values(["Month"], kind="stable")[OUTCOMES_HEADER]


def stop_search_frame(
    geo: Geography, first_year, last_year, seed: int, scale: float = 1.0
) -> pd.DataFrame:
    """Stop-and-search records with local date-times peaking on Friday and Saturday nights."""
    rng = np.random.default_rng([seed, 3])
    months = _months(first_year, last_year)
    start, end = months[0].start_time, months[-1].end_time.normalize() + pd.Timedelta(days=1)
    n_days = (end - start).days
    n = rng.poisson(STOP_SEARCHES_PER_YEAR * scale * n_days / 365.25)
    # weight of each hour of the week (Monday 00:00 = 0): an evening bulge every day and a
    # strong Friday/Saturday night peak (22:00-03:00, running into Saturday/Sunday)
    hours = np.arange(168)
    dow, hod = hours // 24, hours % 24
    weight = np.where((hod >= 7) & (hod <= 21), 1.0, 0.45)
    weight = weight + np.where((hod >= 16) & (hod <= 21), 0.5, 0.0)
    weekend_night = ((dow == 4) | (dow == 5)) & (hod >= 22) | ((dow == 5) | (dow == 6)) & (hod < 3)
    weight = np.where(weekend_night, 4.0, weight)
    first_monday = start - pd.Timedelta(days=start.day_of_week)
    n_weeks = (end - first_monday).days // 7 + 1
    week = rng.integers(0, n_weeks, n * 2)
    hour = rng.choice(168, size=n * 2, p=weight / weight.sum())
    minute = rng.integers(0, 60, n * 2)
    ts = first_monday + pd.to_timedelta(week * 7 * 24 * 60 + hour * 60 + minute, unit="min")
    ts = ts[(ts >= start) & (ts < end)][:n]
    ts = ts.sort_values()
    local = pd.DatetimeIndex(ts).tz_localize(
        "Europe/London", ambiguous="NaT", nonexistent="shift_forward"
    )
    local = local[~local.isna()]
    n = len(local)
    iso = local.strftime("%Y-%m-%dT%H:%M:%S%z")
    iso = [s[:-2] + ":" + s[-2:] for s in iso]
    borough = geo.borough
    w = lsoa_weights(geo, seed)[borough["lsoa_code"]].to_numpy()
    pick = rng.choice(len(borough), size=n, p=w / w.sum())
    no_coords = rng.random(n) < 0.06
    lat = borough["latitude"].to_numpy()[pick] + rng.uniform(-0.003, 0.003, n)
    lon = borough["longitude"].to_numpy()[pick] + rng.uniform(-0.005, 0.005, n)

    def choose(options: dict[str, float]) -> np.ndarray:
        p = np.array(list(options.values()), dtype=float)
        return rng.choice(list(options), size=n, p=p / p.sum())

    obj = choose(
        {
            "Controlled drugs": 0.6, "Offensive weapons": 0.15, "Stolen goods": 0.1,
            "Article for use in theft": 0.06, "Anything to threaten or harm anyone": 0.04,
            "Articles for use in criminal damage": 0.03, "Firearms": 0.02,
        }
    )  # fmt: skip
    legislation = np.where(
        obj == "Controlled drugs",
        "Misuse of Drugs Act 1971 (section 23)",
        np.where(
            obj == "Firearms",
            "Firearms Act 1968 (section 47)",
            "Police and Criminal Evidence Act 1984 (section 1)",
        ),
    )
    legislation = np.where(
        rng.random(n) < 0.02, "Criminal Justice and Public Order Act 1994 (section 60)", legislation
    )
    outcome = choose(
        {
            "A no further action disposal": 0.70, "Arrest": 0.14, "Community resolution": 0.06,
            "Khat or Cannabis warning": 0.05, "Penalty Notice for Disorder": 0.02,
            "Summons / charged by post": 0.02, "Caution (simple or conditional)": 0.01,
        }
    )  # fmt: skip
    linked = np.where(
        outcome == "A no further action disposal",
        "",
        np.where(rng.random(n) < 0.7, "True", "False"),
    )
    officer_eth = choose({"White": 0.45, "Black": 0.35, "Asian": 0.12, "Other": 0.05, "Mixed": 0.0})
    self_defined = {
        "White": "White - English/Welsh/Scottish/Northern Irish/British",
        "Black": "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
        "Asian": "Asian/Asian British - Any other Asian background",
        "Other": "Other ethnic group - Not stated",
        "Mixed": "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background",
    }
    self_eth = np.array([self_defined[e] for e in officer_eth])
    self_eth = np.where(rng.random(n) < 0.15, "Other ethnic group - Not stated", self_eth)
    operation = rng.random(n) < 0.03
    return pd.DataFrame(
        {
            "Type": choose(
                {"Person search": 0.85, "Person and Vehicle search": 0.12, "Vehicle search": 0.03}
            ),
            "Date": iso,
            "Part of a policing operation": np.where(operation, "True", "False"),
            "Policing operation": np.where(operation, "Operation Nightsafe", ""),
            "Latitude": np.where(no_coords, np.nan, np.round(lat, 6)),
            "Longitude": np.where(no_coords, np.nan, np.round(lon, 6)),
            "Gender": choose({"Male": 0.88, "Female": 0.11, "Other": 0.01}),
            "Age range": choose(
                {"under 10": 0.002, "10-17": 0.16, "18-24": 0.38, "25-34": 0.27, "over 34": 0.19}
            ),
            "Self-defined ethnicity": self_eth,
            "Officer-defined ethnicity": officer_eth,
            "Legislation": legislation,
            "Object of search": obj,
            "Outcome": outcome,
            "Outcome linked to object of search": linked,
            "Removal of more than just outer clothing": np.where(
                rng.random(n) < 0.03, "True", "False"
            ),
            "_month": local.strftime("%Y-%m"),
        }
    )


def _write(frame: pd.DataFrame, header: list[str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = pl.from_pandas(frame[header].reset_index(drop=True), nan_to_null=True)
    out = out.with_columns(
        pl.col(c).cast(pl.String).replace("", None) for c in header if out.schema[c] == pl.String
    )
    out.write_csv(path, null_value="", float_precision=6)


def write_police(
    raw_dir: Path, geo: Geography, first_year, last_year, seed: int, scale: float = 1.0
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Write the monthly folders under ``raw_dir/police_uk``; return the street frame and counts."""
    street = street_frame(geo, first_year, last_year, seed, scale)
    months = _months(first_year, last_year)
    outcomes = outcomes_frame(street, months[-1])
    stops = stop_search_frame(geo, first_year, last_year, seed, scale)
    base = Path(raw_dir) / "police_uk"
    by_month = {
        "street": dict(tuple(street.groupby("Month", sort=True))),
        "outcomes": dict(tuple(outcomes.groupby("Month", sort=True))),
        "stop-and-search": dict(tuple(stops.groupby("_month", sort=True))),
    }
    headers = {
        "street": STREET_HEADER,
        "outcomes": OUTCOMES_HEADER,
        "stop-and-search": STOP_SEARCH_HEADER,
    }
    for month in months.astype(str):
        for kind, groups in by_month.items():
            frame = groups.get(month, pd.DataFrame(columns=headers[kind]))
            _write(frame, headers[kind], base / month / f"{month}-{FORCE_SLUG}-{kind}.csv")
    counts = {"street": len(street), "outcomes": len(outcomes), "stop-and-search": len(stops)}
    return street, counts
