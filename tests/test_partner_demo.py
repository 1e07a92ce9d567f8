"""The demo partner extracts agree with the police data and carry the patterns an assessment
looks for; they pass their own validation; they are deterministic for a seed."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sa_toolkit.demo.geography import build_geography
from sa_toolkit.demo.partner import fri_sat_night, school_days, write_partner
from sa_toolkit.ingest import run_ingest
from sa_toolkit.ingest.partner import DATASETS, POLICE_CRIME_TYPES
from sa_toolkit.periods import FinancialYear

SEED = 7
FIRST, LAST = FinancialYear(2020), FinancialYear(2025)
STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
#: rows a year in a small test street file (violence large enough for stable shares)
VOLUMES = {"Violence and sexual offences": 6000, "Robbery": 1500, "Anti-social behaviour": 1200}


def small_street(geo) -> pd.DataFrame:
    """A hand-built data.police.uk street frame: two financial years, every crime type."""
    rng = np.random.default_rng(99)
    lsoas = geo.lsoas
    months = pd.period_range("2024-04", "2026-03", freq="M").astype(str)
    rows = []
    for crime_type in [*POLICE_CRIME_TYPES, "Anti-social behaviour"]:
        per_month = VOLUMES.get(crime_type, 120) / 12
        for month in months:
            n = rng.poisson(per_month)
            pos = rng.integers(0, len(lsoas), n)
            no_location = rng.random(n) < 0.02
            for p, blank in zip(pos, no_location, strict=True):
                lsoa = lsoas.iloc[p]
                rows.append(
                    {
                        "Crime ID": ""
                        if crime_type == "Anti-social behaviour"
                        else f"id{len(rows)}",
                        "Month": month,
                        "Reported by": "Test",
                        "Falls within": "Test",
                        "Longitude": np.nan if blank else lsoa["longitude"],
                        "Latitude": np.nan if blank else lsoa["latitude"],
                        "Location": "No location" if blank else "On or near High Street",
                        "LSOA code": "" if blank else lsoa["lsoa_code"],
                        "LSOA name": "" if blank else lsoa["lsoa_name"],
                        "Crime type": crime_type,
                        "Last outcome category": "",
                        "Context": "",
                    }
                )
    return pd.DataFrame(rows, columns=STREET_HEADER)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    geo = build_geography()
    street = small_street(geo)
    raw = tmp_path_factory.mktemp("raw")
    counts = write_partner(raw, geo, FIRST, LAST, SEED, 1.0, street)
    processed = tmp_path_factory.mktemp("processed")
    run_ingest(raw, processed)
    return {"geo": geo, "street": street, "raw": raw, "counts": counts, "processed": processed}


def read(demo, name: str) -> pd.DataFrame:
    return pd.read_csv(demo["raw"] / "partner" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_every_dataset_written_and_valid(demo):
    assert set(demo["counts"]) == set(DATASETS) - {"unit_costs", "deflators"}
    log = json.loads((demo["processed"] / "_ingest_log.json").read_text())
    by_dataset = {f["dataset"]: f for f in log["files"]}
    for name, rows in demo["counts"].items():
        assert rows > 0, name
        entry = by_dataset[name]
        assert (entry["rows_in"], entry["rows_kept"], entry["rows_rejected"]) == (rows, rows, 0)


def test_incidents_add_up_to_police_counts_by_month_lsoa_and_type(demo):
    street = demo["street"]
    crimes = street[street["Crime type"] != "Anti-social behaviour"]
    police = crimes.groupby(["Month", "LSOA code", "Crime type"]).size()
    inc = read(demo, "crime_incidents")
    month = inc["recorded_date"].str.slice(0, 7)
    incidents = inc.groupby([month, inc["lsoa_code"], inc["crime_type"]]).size()
    incidents.index.names = police.index.names
    pd.testing.assert_series_equal(police.sort_index(), incidents.sort_index())
    # police ASB rows reappear as the police-source ASB incidents, LSOA by LSOA
    asb = read(demo, "asb_incidents")
    pol = asb[asb["source"] == "police"]
    got = pol.groupby([pol["incident_datetime"].str.slice(0, 7), pol["lsoa_code"]]).size()
    asb_street = street[street["Crime type"] == "Anti-social behaviour"]
    want = asb_street.groupby(["Month", "LSOA code"]).size()
    assert got.sort_index().tolist() == want.sort_index().tolist()
    assert set(asb["source"]) == {"police", "council", "housing"}


def test_domestic_abuse_and_alcohol_shares_of_violence(demo):
    inc = read(demo, "crime_incidents")
    v = inc[inc["crime_type"] == "Violence and sexual offences"]
    da = (v["domestic_abuse"] == "Y").mean()
    alcohol = (v["alcohol_related"] == "Y").mean()
    assert 0.17 <= da <= 0.23, da
    assert 0.29 <= alcohol <= 0.38, alcohol


def test_alcohol_violence_peaks_on_friday_and_saturday_nights_in_the_town_centre(demo):
    inc = read(demo, "crime_incidents")
    v = inc[inc["crime_type"] == "Violence and sexual offences"]
    start = pd.to_datetime(v["offence_start"])
    night = fri_sat_night(start.dt.day_of_week.to_numpy(), start.dt.hour.to_numpy())
    alcohol = (v["alcohol_related"] == "Y").to_numpy()
    # the two nights are 10 of the week's 168 hours (6%)
    assert night[alcohol].mean() > 0.35
    assert night[alcohol].mean() > 4 * night[~alcohol].mean()
    character = v["lsoa_code"].map(demo["geo"].lsoas.set_index("lsoa_code")["character"])
    share = pd.Series(alcohol).groupby(character.to_numpy()).mean()
    assert share["town_centre"] > 2 * share["residential"]


def test_youth_robbery_peaks_after_school_on_school_days(demo):
    inc = read(demo, "crime_incidents")
    r = inc[(inc["crime_type"] == "Robbery") & (inc["victim_age"] != "")]
    r = r[r["victim_age"].astype(int).between(10, 17)]
    assert len(r) > 300
    start = pd.to_datetime(r["offence_start"])
    school = school_days(start.dt.normalize())
    after_school = start.dt.hour.between(15, 17).to_numpy()
    # 3 of 24 hours is 12.5%
    assert after_school[school].mean() > 0.4
    assert after_school[school].mean() > 2 * after_school[~school].mean()


def test_repeat_victims_and_young_people_over_represented(demo):
    inc = read(demo, "crime_incidents")
    victims = inc[inc["victim_id"] != ""]
    per_victim = victims.groupby("victim_id").size()
    assert (per_victim >= 2).any()
    da = victims[victims["domestic_abuse"] == "Y"].groupby("victim_id").size()
    assert (da >= 2).mean() > (per_victim >= 2).mean()  # DA victims are repeat victims more often
    # a repeat victim keeps one age and sex
    assert victims.groupby("victim_id")[["victim_age", "victim_sex"]].nunique().max().max() == 1
    v = victims[victims["crime_type"] == "Violence and sexual offences"]
    young = v["victim_age"].astype(int).between(10, 24).mean()
    assert young > 0.25  # residents aged 10-24 are about 18% of the population
    suspects = inc[inc["suspect_age"] != ""]["suspect_age"].astype(int)
    assert suspects.between(10, 24).mean() > 0.3


def test_survey_waves_every_two_years_of_about_1000(demo):
    survey = read(demo, "residents_survey")
    counts = survey["wave"].astype(int).value_counts().sort_index()
    assert counts.index.tolist() == [2021, 2023, 2025]
    assert counts.between(900, 1100).all()
    w = survey["weight"].astype(float)
    sums = w.groupby(survey["wave"]).sum()
    assert np.allclose(sums.to_numpy(), counts.to_numpy(), rtol=0.001)


def test_survey_shows_real_change_between_waves(demo):
    from sa_toolkit.partner import survey_percentages

    survey = read(demo, "residents_survey")
    drugs = survey_percentages(survey, "asb_drug_use_dealing").set_index("wave")
    # the first and last waves' intervals do not overlap: a real worsening
    assert drugs.loc["2025", "lower"] > drugs.loc["2021", "upper"]


def test_aggregate_returns_are_plausible_for_300000_residents(demo):
    treat = read(demo, "treatment_monthly")
    opiate = treat[treat["substance_group"] == "opiate"]["in_treatment"].astype(int)
    assert 700 <= opiate.mean() <= 1100
    prevalence = read(demo, "drug_prevalence")
    assert (prevalence["lower"].astype(float) < prevalence["estimate"].astype(float)).all()
    reoff = read(demo, "reoffending")
    adults = reoff[(reoff["cohort"] == "adult") & (reoff["ppo"] == "N")]
    rate = adults["reoffenders"].astype(int).sum() / adults["offenders"].astype(int).sum()
    assert 0.2 <= rate <= 0.32
    fte = read(demo, "youth_first_time_entrants")
    per_year = fte["first_time_entrants"].astype(int).sum() / (len(fte) / 4)
    assert 40 <= per_year <= 120
    fires = read(demo, "fire_incidents")
    assert 400 <= len(fires) / 6 <= 700
    adm = read(demo, "alcohol_admissions")
    crude = adm["admissions"].astype(int).sum() / adm["population"].astype(int).sum() * 1e5
    assert 250 <= crude <= 700
    roads = read(demo, "road_casualties")
    ksi = roads[roads["severity"].isin(["fatal", "serious"])]["casualties"].astype(int).sum() / 6
    assert 90 <= ksi <= 180


def test_deterministic_for_a_seed_and_scale_thins(tmp_path, demo):
    geo, street = demo["geo"], demo["street"]
    again = write_partner(tmp_path / "a", geo, FIRST, LAST, SEED, 1.0, street)
    assert again == demo["counts"]
    for name in ("crime_incidents", "residents_survey", "fire_incidents"):
        assert (tmp_path / "a" / "partner" / f"{name}.csv").read_bytes() == (
            demo["raw"] / "partner" / f"{name}.csv"
        ).read_bytes()
    thin = write_partner(tmp_path / "b", geo, FIRST, LAST, SEED, 0.1, street)
    assert thin["fire_incidents"] < demo["counts"]["fire_incidents"] / 5
    assert thin["residents_survey"] < demo["counts"]["residents_survey"] / 5
