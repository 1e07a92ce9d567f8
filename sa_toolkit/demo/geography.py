"""The fictional geography shared by every demo dataset.

Demo Borough: about 300,000 residents in 170 LSOAs within 20 wards, plus a small
neighbouring partnership ("Demo Riverside") policed by the same force, so that the
analysis must select the partnership's LSOAs rather than take everything in the force
files. Each LSOA has a character (town centre, arterial route, estate, residential) that
the generators use to place hotspots.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

DEMO_CSP_CODE = "X22000001"
DEMO_CSP_NAME = "Demo Borough"
NEIGHBOUR_CSP_CODE = "X22000016"
NEIGHBOUR_CSP_NAME = "Demo Riverside"
DEMO_LAD_CODE = "X09000001"
NEIGHBOUR_LAD_CODE = "X09000016"
FORCE_SLUG = "demo-metropolitan"  # data.police.uk file name part: YYYY-MM-<force>-street.csv
FORCE_NAME = "Demo Metropolitan Police Service"
CENTRE_LAT, CENTRE_LON = 51.470, -0.060

# Ward names start with "Demo" so that no reader takes a demo ward for a real place.
WARD_NAMES = [
    "Demo Market Cross",
    "Demo Abbey Fields",
    "Demo Brookside",
    "Demo Canal Wharf",
    "Demo Dockside",
    "Demo Elm Park",
    "Demo Foxhill",
    "Demo Gasworks",
    "Demo Hatfield Green",
    "Demo Ironbridge",
    "Demo Jubilee",
    "Demo Kingsmead",
    "Demo Lantern Hill",
    "Demo Millbank Estate",
    "Demo Northgate",
    "Demo Old Kent Way",
    "Demo Priory",
    "Demo Queens Row",
    "Demo Riverside North",
    "Demo Station Road",
]
NEIGHBOUR_WARD_NAMES = ["Demo Riverside Quay", "Demo Tannery Lane"]
# Wards whose LSOAs lie on the arterial route through the borough
ARTERIAL_WARDS = {"Demo Old Kent Way", "Demo Station Road", "Demo Northgate"}
ESTATE_WARDS = {"Demo Millbank Estate", "Demo Gasworks", "Demo Dockside", "Demo Foxhill"}
TOWN_CENTRE_WARD = "Demo Market Cross"


@dataclass(frozen=True)
class Geography:
    """The demo LSOAs (``lsoas`` frame) with their wards and partnership."""

    lsoas: pd.DataFrame

    @property
    def borough(self) -> pd.DataFrame:
        return self.lsoas[self.lsoas["csp_code"] == DEMO_CSP_CODE]


def _ward_sizes(rng: np.random.Generator, n_wards: int, total: int) -> list[int]:
    """Split ``total`` LSOAs over wards as evenly as possible, in a seeded order."""
    sizes = np.full(n_wards, total // n_wards)
    sizes[: total - int(sizes.sum())] += 1
    rng.shuffle(sizes)
    return sizes.tolist()


@lru_cache(maxsize=4)
def build_geography(seed: int = 20261125) -> Geography:
    """Build the deterministic demo geography.

    Returns a frame with one row per LSOA: ``lsoa_code, lsoa_name, ward_code, ward_name,
    csp_code, csp_name, lad_code, latitude, longitude, character, population_2021``.
    ``character`` is ``town_centre``, ``arterial``, ``estate`` or ``residential``.
    """
    rng = np.random.default_rng(seed)
    rows = []
    lsoa_seq = 0
    ward_seq = 0

    def add_area(ward_names, n_lsoas, csp_code, csp_name, lad_code, origin_lat, origin_lon, cols):
        nonlocal lsoa_seq, ward_seq
        sizes = _ward_sizes(rng, len(ward_names), n_lsoas)
        area_seq = 0
        for w, (ward, size) in enumerate(zip(ward_names, sizes, strict=True)):
            ward_seq += 1
            ward_code = f"X05{ward_seq:06d}"
            # wards on a grid roughly 1.6 km square
            wlat = origin_lat + (w // cols - 1.5) * 0.0145
            wlon = origin_lon + (w % cols - 2.0) * 0.0235
            for _ in range(size):
                lsoa_seq += 1
                area_seq += 1
                msoa = (area_seq - 1) // 5 + 1
                letter = "ABCDE"[(area_seq - 1) % 5]
                if ward == TOWN_CENTRE_WARD:
                    character = "town_centre"
                elif ward in ARTERIAL_WARDS:
                    character = "arterial"
                elif ward in ESTATE_WARDS:
                    character = "estate"
                else:
                    character = "residential"
                rows.append(
                    {
                        "lsoa_code": f"X01{lsoa_seq:06d}",
                        "lsoa_name": f"{csp_name} {msoa:03d}{letter}",
                        "ward_code": ward_code,
                        "ward_name": ward,
                        "csp_code": csp_code,
                        "csp_name": csp_name,
                        "lad_code": lad_code,
                        "latitude": round(wlat + rng.uniform(-0.006, 0.006), 6),
                        "longitude": round(wlon + rng.uniform(-0.010, 0.010), 6),
                        "character": character,
                        # LSOAs hold 1,000-3,000 residents; about 1,750 on average here
                        "population_2021": int(rng.normal(1760, 160)),
                    }
                )

    add_area(
        WARD_NAMES, 170, DEMO_CSP_CODE, DEMO_CSP_NAME, DEMO_LAD_CODE, CENTRE_LAT, CENTRE_LON, 5
    )
    add_area(
        NEIGHBOUR_WARD_NAMES,
        12,
        NEIGHBOUR_CSP_CODE,
        NEIGHBOUR_CSP_NAME,
        NEIGHBOUR_LAD_CODE,
        CENTRE_LAT + 0.045,
        CENTRE_LON - 0.02,
        2,
    )
    frame = pd.DataFrame(rows)
    return Geography(lsoas=frame)
