"""ONS-style mid-year population estimates by LSOA, sex and single year of age.

Written in the layout of the ONS "Lower layer Super Output Area population estimates"
(sapelsoasyoa) tables, one CSV per mid-year: ``LAD 2021 Code, LAD 2021 Name, LSOA 2021
Code, LSOA 2021 Name, Total, F0 ... F90, M0 ... M90`` (F90/M90 are ages 90 and over).
The age profile is that of an inner-London borough: many residents aged 20-44.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit.demo.geography import Geography

AGES = np.arange(91)
POPULATION_DIR = Path("geography") / "population"


def population_header() -> list[str]:
    return (
        ["LAD 2021 Code", "LAD 2021 Name", "LSOA 2021 Code", "LSOA 2021 Name", "Total"]
        + [f"F{a}" for a in AGES]
        + [f"M{a}" for a in AGES]
    )


def _age_profile() -> np.ndarray:
    """Share of residents at each single year of age 0..90+ (inner-London shape)."""
    ages = AGES.astype(float)
    child = 1.15 * np.exp(-0.5 * ((ages - 6) / 9) ** 2)
    adult = 2.2 * np.exp(-0.5 * ((ages - 32) / 10) ** 2)
    older = 0.9 * np.exp(-0.5 * ((ages - 55) / 14) ** 2)
    profile = child + adult + older + 0.05
    profile[80:] *= np.linspace(1.0, 0.25, 11)
    profile[90] *= 3  # 90 and over is an open band
    return profile / profile.sum()


def population_frame(geo: Geography, mid_year: int, first_mid_year: int, seed: int) -> pd.DataFrame:
    """One mid-year's estimates in the ONS wide layout (integer counts)."""
    rng = np.random.default_rng([seed, 21, mid_year])
    lsoas = geo.lsoas
    growth = 1.004 ** (mid_year - 2021)
    profile = _age_profile()
    # each LSOA has a slightly different age structure (students, families, older residents)
    tilt = np.random.default_rng([seed, 22]).normal(0, 0.15, len(lsoas))
    rows = []
    for i, lsoa in enumerate(lsoas.itertuples(index=False)):
        p = profile * np.exp(tilt[i] * (AGES - 35) / 35)
        p = np.concatenate([p * 0.505, p * 0.495])  # slightly more women than men
        total = int(round(lsoa.population_2021 * growth))
        counts = rng.multinomial(total, p / p.sum())
        rows.append([lsoa.lad_code, lsoa.csp_name, lsoa.lsoa_code, lsoa.lsoa_name, total, *counts])
    return pd.DataFrame(rows, columns=population_header())


def write_population(raw_dir: Path, geo: Geography, years: list[int], seed: int) -> dict[int, int]:
    """Write ``geography/population/sapelsoasyoa_mid-YYYY.csv`` for each mid-year.

    Returns the demo partnership's total population for each mid-year.
    """
    out = Path(raw_dir) / POPULATION_DIR
    out.mkdir(parents=True, exist_ok=True)
    totals = {}
    for year in years:
        frame = population_frame(geo, year, years[0], seed)
        frame.to_csv(out / f"sapelsoasyoa_mid-{year}.csv", index=False)
        in_borough = frame["LSOA 2021 Code"].isin(geo.borough["lsoa_code"])
        totals[year] = int(frame.loc[in_borough, "Total"].sum())
    return totals


def write_lookup(raw_dir: Path, geo: Geography) -> Path:
    """Write the ONS-style LSOA to ward to partnership lookup."""
    lsoas = geo.lsoas
    frame = pd.DataFrame(
        {
            "LSOA21CD": lsoas["lsoa_code"],
            "LSOA21NM": lsoas["lsoa_name"],
            "WD24CD": lsoas["ward_code"],
            "WD24NM": lsoas["ward_name"],
            "CSP24CD": lsoas["csp_code"],
            "CSP24NM": lsoas["csp_name"],
            "LAD24CD": lsoas["lad_code"],
            "LAD24NM": lsoas["csp_name"],
        }
    )
    path = Path(raw_dir) / "geography" / "lsoa_ward_csp_lookup.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path
