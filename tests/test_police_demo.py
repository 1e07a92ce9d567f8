"""The demo data carry the patterns the assessment must find, in the real formats."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.demo.geography import build_geography
from sa_toolkit.demo.police import ACQUISITIVE, stop_search_frame, street_frame
from sa_toolkit.periods import FinancialYear
from sa_toolkit.tables import read_table

SEED = 20261125
FIRST, LAST = FinancialYear(2020), FinancialYear(2025)


@pytest.fixture(scope="module")
def borough_street():
    geo = build_geography(SEED)
    street = street_frame(geo, FIRST, LAST, SEED, scale=1.0)
    borough = street[street["LSOA code"].isin(geo.borough["lsoa_code"])].copy()
    month = pd.PeriodIndex(borough["Month"], freq="M")
    borough["fy"] = month.year - (month.month < 4)
    return geo, street, borough


def test_volume_and_formats(borough_street):
    geo, street, borough = borough_street
    per_year = len(street) / 6
    assert 55_000 <= per_year <= 60_000
    assert street["Crime type"].nunique() == 14
    asb = street[street["Crime type"] == "Anti-social behaviour"]
    assert (asb["Crime ID"] == "").all() and (asb["Last outcome category"] == "").all()
    crimes = street[street["Crime type"] != "Anti-social behaviour"]
    assert crimes["Crime ID"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert crimes["Crime ID"].is_unique
    no_location = street["LSOA code"] == ""
    assert 0.005 < no_location.mean() < 0.03
    assert (street.loc[no_location, "Location"] == "No location").all()
    assert (street["Context"] == "").all()


def test_top_five_percent_of_lsoas_hold_20_to_30_percent_of_violence(borough_street):
    geo, _, borough = borough_street
    violence = borough[borough["Crime type"] == "Violence and sexual offences"]
    by_lsoa = violence.groupby("LSOA code").size().reindex(geo.borough["lsoa_code"], fill_value=0)
    top_n = math.ceil(0.05 * len(by_lsoa))  # 9 of 170
    share = by_lsoa.sort_values(ascending=False).iloc[:top_n].sum() / by_lsoa.sum()
    assert 0.20 <= share <= 0.30


def test_town_centre_and_arterial_several_times_borough_rate(borough_street):
    geo, _, borough = borough_street
    character = geo.borough.set_index("lsoa_code")["character"]
    rate = borough.groupby(borough["LSOA code"].map(character)).size() / character.value_counts()
    borough_rate = len(borough) / len(character)
    assert rate["town_centre"] / borough_rate >= 3
    assert rate["arterial"] / borough_rate >= 1.7
    assert rate["residential"] / borough_rate < 0.7


def test_acquisitive_falls_and_violence_rises(borough_street):
    _, _, borough = borough_street
    counts = borough.groupby(["fy", "Crime type"]).size().unstack()
    acquisitive = counts[ACQUISITIVE].sum(axis=1)
    violence = counts["Violence and sexual offences"]
    # a gradual fall: every year lower than the last but one, and >10% over five years
    assert acquisitive[2025] < 0.9 * acquisitive[2020]
    assert (np.diff(acquisitive.to_numpy()) < 0).sum() >= 4
    assert violence[2025] > 1.1 * violence[2020]


def test_public_order_series_break_in_april_2022(borough_street):
    _, _, borough = borough_street
    po = borough[borough["Crime type"] == "Public order"].groupby("fy").size()
    step = po[2022] / po[2021]
    assert 1.25 <= step <= 1.45
    # no comparable step in any other year
    others = [po[y] / po[y - 1] for y in (2021, 2023, 2024, 2025)]
    assert all(0.9 <= r <= 1.1 for r in others)


def test_seasonality_violence_peaks_in_summer_burglary_in_winter(borough_street):
    _, _, borough = borough_street
    month = pd.PeriodIndex(borough["Month"], freq="M").month
    v = (
        borough[borough["Crime type"] == "Violence and sexual offences"]
        .groupby(month[borough["Crime type"] == "Violence and sexual offences"])
        .size()
    )
    assert v[[6, 7, 8]].mean() > 1.1 * v[[12, 1, 2]].mean()
    b_mask = borough["Crime type"] == "Burglary"
    b = borough[b_mask].groupby(month[b_mask]).size()
    assert b[[11, 12, 1]].mean() > 1.1 * b[[5, 6, 7]].mean()


def test_stop_search_friday_saturday_night_peak():
    geo = build_geography(SEED)
    stops = stop_search_frame(geo, FIRST, LAST, SEED, scale=1.0)
    local = pd.to_datetime(stops["Date"].str[:19])
    dow, hour = local.dt.day_of_week, local.dt.hour
    night = ((dow.isin([4, 5])) & (hour >= 22)) | ((dow.isin([5, 6])) & (hour < 3))
    # 10 of the week's 168 hours: a flat week would put 6% there
    per_hour_night = night.sum() / 10
    per_hour_rest = (~night).sum() / 158
    assert per_hour_night > 3 * per_hour_rest
    assert stops["Date"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[01]:00").all()


def test_sa_demo_then_ingest_small_scale(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--raw-dir", str(raw), "--scale", "0.05"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["demo", "--raw-dir", str(raw), "--scale", "0.05"])
    assert again.exit_code == 2 and "--force" in again.output
    result = runner.invoke(
        app, ["ingest", "--raw-dir", str(raw), "--processed-dir", str(processed)]
    )
    assert result.exit_code == 0, result.output
    street = read_table("police_street", processed)
    assert street["month"].min() == pd.Period("2020-04", "M")
    assert street["month"].max() == pd.Period("2026-03", "M")
    lookup = read_table("lookup", processed)
    assert len(lookup) == 182 and (lookup["csp_code"] == "X22000001").sum() == 170
    # the MSG rows of the demo partnership equal its own street-level crime (ASB excluded)
    msg = read_table("msg_crime", processed)
    own = msg[(msg["area_code"] == "X22000001") & (msg["financial_year"] == "2024/25")]
    fy = street[
        street["lsoa_code"].isin(lookup.loc[lookup["csp_code"] == "X22000001", "lsoa_code"])
        & (street["month"] >= pd.Period("2024-04", "M"))
        & (street["month"] <= pd.Period("2025-03", "M"))
        & (street["crime_type"] != "Anti-social behaviour")
    ]
    expected = fy.groupby("crime_type", observed=True).size()
    got = own.set_index("offence_group")["offences"]
    assert got.sum() == len(fy)
    assert (got.reindex(expected.index.astype(str)).to_numpy() == expected.to_numpy()).all()
    assert set(msg["area_type"]) == {"csp", "region", "national"}
    assert msg.loc[msg["area_type"] == "csp", "area_code"].nunique() == 15
    pop = read_table("population", processed)
    assert set(pop["year"]) == set(range(2020, 2026))
    assert pop["age_band"].nunique() == 19
