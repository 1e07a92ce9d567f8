"""Most Similar Group (MSG) recorded crime: 15 partnerships, a region and a national total.

Layout (documented in ``docs/data_log.md``): ``Financial year, Area code, Area name, Area
type, Offence group, Offences, Population``, one row per area, financial year and offence
group. Offence groups are the data.police.uk crime types other than anti-social behaviour
(ASB is not a notifiable offence), so the partnership's own rows reconcile with its
street-level data: they are exactly the count of its LSOAs' street rows in the year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit.demo.geography import DEMO_CSP_CODE, DEMO_CSP_NAME
from sa_toolkit.demo.police import ASB, CRIME_TYPES
from sa_toolkit.periods import financial_year_label

MSG_HEADER = [
    "Financial year", "Area code", "Area name", "Area type", "Offence group", "Offences",
    "Population",
]  # fmt: skip
# "Demo" names, so that no reader takes a demo peer for a real partnership
PEER_NAMES = [
    "Demo Ashbury", "Demo Bramcote", "Demo Castleford Vale", "Demo Dunmore", "Demo Eastbridge",
    "Demo Fairholme", "Demo Glenmoor", "Demo Harrowgate Fields", "Demo Ivybridge Park",
    "Demo Juniper Hill", "Demo Kestrel Bay", "Demo Longmead", "Demo Marston Cross", "Demo Netherby",
]  # fmt: skip
REGION = ("X12000007", "Demo London region", "region", 8_900_000, 0.92)
NATIONAL = ("X04000001", "England and Wales", "national", 60_500_000, 0.62)
OFFENCE_GROUPS = [t for t in CRIME_TYPES if t != ASB]


def msg_frame(street: pd.DataFrame, geo, population: dict[int, int], seed: int) -> pd.DataFrame:
    """Build the MSG table; the demo partnership's rows aggregate ``street`` exactly."""
    rng = np.random.default_rng([seed, 31])
    borough = set(geo.borough["lsoa_code"])
    own = street[street["LSOA code"].isin(borough) & (street["Crime type"] != ASB)]
    fy = financial_year_label(pd.PeriodIndex(own["Month"], freq="M")).to_numpy()
    counts = (
        pd.crosstab(fy, own["Crime type"]).reindex(columns=OFFENCE_GROUPS, fill_value=0).astype(int)
    )
    years = list(counts.index)
    rows = []
    for year in years:
        mid = int(year[:4])
        pop = population[mid]
        for group in OFFENCE_GROUPS:
            rows.append(
                [
                    year,
                    DEMO_CSP_CODE,
                    DEMO_CSP_NAME,
                    "csp",
                    group,
                    int(counts.loc[year, group]),
                    pop,
                ]
            )
    base_rate = counts.div(
        [population[int(y[:4])] for y in years], axis=0
    )  # offences per resident for each year and group
    # peers: similar partnerships with their own level (+/-25%) and a little yearly noise
    for i, name in enumerate(PEER_NAMES, start=2):
        level = rng.uniform(0.75, 1.25)
        group_mix = rng.lognormal(0, 0.12, len(OFFENCE_GROUPS))
        pop0 = rng.uniform(230_000, 360_000)
        for k, year in enumerate(years):
            pop = int(round(pop0 * 1.004**k))
            lam = base_rate.loc[year].to_numpy() * pop * level * group_mix * rng.lognormal(0, 0.03)
            offences = rng.poisson(lam)
            for group, value in zip(OFFENCE_GROUPS, offences, strict=True):
                rows.append([year, f"X22{i:06d}", name, "csp", group, int(value), pop])
    for code, name, kind, pop0, level in (REGION, NATIONAL):
        for k, year in enumerate(years):
            pop = int(round(pop0 * 1.005**k))
            lam = base_rate.loc[year].to_numpy() * pop * level
            for group, value in zip(OFFENCE_GROUPS, rng.poisson(lam), strict=True):
                rows.append([year, code, name, kind, group, int(value), pop])
    return pd.DataFrame(rows, columns=MSG_HEADER)


def write_msg(
    raw_dir: Path, street: pd.DataFrame, geo, population: dict[int, int], seed: int
) -> Path:
    path = Path(raw_dir) / "msg" / "recorded_crime_msg.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = msg_frame(street, geo, population, seed)
    frame.to_csv(path, index=False)
    return path
