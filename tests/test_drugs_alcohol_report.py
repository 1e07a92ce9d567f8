"""The sections of the drugs and alcohol report (``analysis.drugs_alcohol_report``).

Each section is built from a small hand-made report; the expected titles, alt texts,
notes and hidden cells are worked out by hand here, never taken from the code under test.
"""

from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from IPython.display import HTML

from sa_toolkit.analysis import drugs_alcohol_report as das
from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.periods import FinancialYear

FY = FinancialYear.parse("2025/26")
THRESHOLD = 5


@pytest.fixture
def cfg(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "processed").mkdir()
    return SimpleNamespace(
        year=FY,
        partnership_short_name="Demo",
        partnership_code="X1",
        suppression_threshold=THRESHOLD,
        significance_level=0.05,
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        root=tmp_path,
    )


class Store:
    """Stands in for the TableStore: the frames it holds, None for the others."""

    def __init__(self, **frames):
        self.frames = frames

    def get(self, name):
        return self.frames.get(name)


def empty_framework() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["name", "rag", "rag_label", "significant", "target_type", "change"]
    )


def report(cfg, **results) -> das.DrugsAlcoholReport:
    """A report with nothing supplied, but for ``results``."""
    values = {
        "cfg": cfg,
        "store": Store(),
        "lsoas": ["E1", "E2"],
        "framework": empty_framework(),
        "offences": None,
        "searches": None,
        "treatment": pd.DataFrame(columns=["year", "substance_group", "in_treatment"]),
        "penetration": None,
        "violence": None,
        "admissions": pd.DataFrame(columns=["sex", "financial_year", "value", "lower", "upper"]),
        "views": None,
    }
    values.update(results)
    return das.DrugsAlcoholReport(**values)


def rows(html: str) -> dict[str, list[str]]:
    """A table's body rows: first cell -> the other cells' text."""
    body = html.split("<tbody>")[1]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        out[cells[0]] = cells[1:]
    return out


def headers(html: str) -> list[str]:
    head = html.split("<thead>")[1].split("</thead>")[0]
    return [unescape(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


def only_note(section: Section) -> str:
    assert len(section.parts) == 1, section.parts
    return unescape(re.sub(r"<[^>]+>", "", str(section.parts[0])))


# ----------------------------------------------------------------------------- not supplied


def test_every_section_says_when_its_data_were_not_supplied(cfg):
    nothing = report(cfg)
    notes = {
        "offences": only_note(das.drug_offences_section(nothing)),
        "maps": only_note(das.drug_offence_maps(nothing)),
        "searches": only_note(das.stop_and_search_section(nothing)),
        "treatment": only_note(das.treatment_section(nothing)),
        "violence": only_note(das.alcohol_violence_section(nothing)),
        "admissions": only_note(das.admissions_section(nothing)),
        "perceptions": only_note(das.perceptions_section(nothing)),
    }
    assert notes["offences"] == (
        "Not available: the partnership's crime incident extract was not supplied, so the "
        "breakdown of drug offences cannot be shown."
    )
    assert notes["maps"] == (
        "Not available: the data.police.uk street-level crime download was not supplied, so "
        "maps of drug offences cannot be shown."
    )
    assert notes["searches"].startswith("Not available: the data.police.uk stop and search")
    assert notes["searches"].endswith("so stop and search cannot be shown.")
    assert notes["treatment"].endswith("so treatment activity cannot be shown.")
    assert notes["violence"].endswith("so alcohol-related violence cannot be shown.")
    assert notes["admissions"].endswith("so the admission rate cannot be shown.")
    assert notes["perceptions"].endswith("so survey perceptions cannot be shown.")
    assert all(text.startswith("Not available: ") for text in notes.values())


# ----------------------------------------------------------------------------- drug offences


def offences(last: list[int], this: list[int], compared: bool = True) -> dict:
    """Possession and supply in each year (the third row is their total), two months."""
    kinds = ["Possession", "Supply"]
    monthly = pd.DataFrame(
        {k: [a, b] for k, a, b in zip(kinds, last, this, strict=True)},
        index=pd.PeriodIndex(["2024-04", "2025-04"], freq="M"),
    )
    table = pd.DataFrame(
        {
            "kind": [*kinds, "All drug offences"],
            "last_year": [*last, sum(last)] if compared else [np.nan] * 3,
            "this_year": [*this, sum(this)],
            "change": [10.0, 20.0, 30.0] if compared else [np.nan] * 3,
            "p_value": [0.5, 0.5, 0.5] if compared else [np.nan] * 3,
            "significant": [False, False, False],
        }
    )
    return {"monthly": monthly, "table": table, "has_comparison": compared}


def test_drug_offences_chart_states_the_change_and_the_table_hides_small_counts(cfg):
    section = das.drug_offences_section(report(cfg, offences=offences([20, 10], [30, 3])))
    chart, table = section.parts
    assert isinstance(chart, Chart)
    assert chart.name == "04_drugs_and_alcohol_drug_offences_trend"
    # 30 -> 33 offences is a rise of 3 / 30 = 10%
    assert chart.arguments["title"] == "Drug offences rose 10% in 2025/26"
    assert chart.arguments["subtitle"] == (
        "Recorded drug offences per month by kind, Demo, April 2024 to April 2025"
    )
    assert chart.alt == (
        "Line chart of monthly possession and supply offences in Demo: 33 drug offences in "
        "2025/26 against 30 in 2024/25."
    )
    assert headers(table)[:3] == ["Offence", "2024/25", "2025/26"]
    cells = rows(table)
    # 3 supply offences are fewer than 5: hidden, with their change; possession then
    # hidden too, or the total (33) would give the 3 away
    assert cells["Supply"][:3] == ["10", "<5", "[c]"]
    assert cells["Possession"][:3] == ["20", "[c]", "[c]"]
    assert cells["All drug offences"][:2] == ["30", "33"]
    assert "Drug offences by kind, Demo, 2024/25 and 2025/26" in table


def test_drug_offences_without_last_year_say_the_change_is_not_available(cfg):
    section = das.drug_offences_section(
        report(cfg, offences=offences([0, 0], [12, 8], compared=False))
    )
    chart, note, table = section.parts
    assert chart.arguments["title"] == "20 drug offences were recorded in 2025/26"
    assert chart.alt.endswith(": 20 drug offences in 2025/26.")
    assert "Change on 2024/25 not available: no data for 2024/25." in note
    # only this year's counts: no column for the year the data do not hold
    assert headers(table) == ["Offence", "2025/26"]
    assert rows(table)["Supply"] == ["8"]


def test_drug_offence_maps_take_the_years_drug_offences_in_the_partnership(cfg):
    street = pd.DataFrame(
        {
            "month": pd.PeriodIndex(
                ["2025-04", "2026-03", "2025-05", "2025-06", "2025-03"], freq="M"
            ),
            "lsoa_code": ["E1", "E2", "E9", "E1", "E1"],
            "crime_type": ["Drugs", "Drugs", "Drugs", "Burglary", "Drugs"],
            "longitude": [0.0] * 5,
            "latitude": [0.0] * 5,
        }
    )
    section = das.drug_offence_maps(report(cfg, store=Store(police_street=street)))
    (maps,) = section.parts
    assert hasattr(maps, "show_in")
    # in: rows 0 and 1; out: another area (E9), not drugs, and the year before
    assert list(maps.events.index) == [0, 1]
    assert maps.name == "04_drugs_and_alcohol_drug_offences"
    assert maps.what == "Drug offences"


# ----------------------------------------------------------------------------- stop and search


def searches(outcomes: dict[str, int], found: int, linked: int, **extra) -> dict:
    n = sum(outcomes.values())
    rates = pd.DataFrame(
        {
            "measure": ["Action taken", "Drugs found"],
            "numerator": [found, linked],
            "searches": [n, n],
            "value": [found / n * 100, linked / n * 100] if n else [np.nan, np.nan],
            "lower": [1.0, 1.0],
            "upper": [99.0, 99.0],
        }
    )
    values = {
        "scope": "partnership",
        "this_year": n,
        "last_year": None,
        "this_year_compared": None,
        "months_note": "",
        "no_coordinates": 7,
        "outcomes": pd.DataFrame({"outcome": list(outcomes), "searches": list(outcomes.values())}),
        "rates": rates,
    }
    values.update(extra)
    return values


def test_stop_and_search_names_the_commonest_outcome_and_hides_small_counts(cfg):
    result = searches(
        {"A no further action disposal": 12, "Arrest": 6, "Community resolution": 2},
        found=8,
        linked=3,
        last_year=25,
    )
    chart, table = das.stop_and_search_section(report(cfg, searches=result)).parts
    # 12 of 20 = 60%; the 2 community resolutions are too few, and alone, so not drawn
    assert chart.arguments["title"] == (
        "60% of drug searches in the partnership ended with no further action"
    )
    assert list(chart.arguments["values"].index) == ["A no further action disposal", "Arrest"]
    assert chart.arguments["values"].tolist() == [60.0, 30.0]
    assert chart.alt == (
        "Bar chart of the outcomes of 20 stop and searches for drugs in the partnership in "
        "2025/26; the most common was A no further action disposal (60%)."
    )
    cells = rows(table)
    assert cells["Action taken"][:3] == ["8", "20", "40.0%"]
    # drugs found in 3 searches: hidden with its percentage and interval
    assert cells["Drugs found"] == ["<5", "20", "[c]", "[c]", "[c]"]
    assert "Stop and search for drugs in the partnership: outcomes, 2025/26 (25 searches in " \
        "2024/25)" in table  # fmt: skip
    assert "7 drug searches in the force data had no coordinates" in table


def test_stop_and_search_of_fewer_searches_than_the_threshold_shows_no_shares(cfg):
    # 3 searches: 2 of 3 ended with no further action would be 67%, and give away 2
    result = searches({"A no further action disposal": 2, "Arrest": 1}, found=1, linked=1)
    (note,) = das.stop_and_search_section(report(cfg, searches=result)).parts
    assert isinstance(note, HTML)
    assert note.data == (
        "<p>There were fewer than 5 stop and searches for drugs in the partnership in "
        "2025/26: too few to show by outcome.</p>"
    )


def test_stop_and_search_hides_a_small_count_of_last_year_and_of_all_searches(cfg):
    result = searches(
        {"A no further action disposal": 12, "Arrest": 6, "Community resolution": 2},
        found=8,
        linked=6,
        last_year=4,
        this_year_compared=18,
        months_note="April 2024 is missing.",
    )
    result["rates"].loc[1, "searches"] = 3  # a measure counted over a few searches only
    _, table = das.stop_and_search_section(report(cfg, searches=result)).parts
    assert "(18 searches against fewer than 5 in 2024/25, the same months)" in table
    cells = rows(table)
    assert cells["Drugs found"] == ["[c]", "<5", "[c]", "[c]", "[c]"]


def test_stop_and_search_with_no_searches_says_so(cfg):
    result = searches({"Arrest": 0}, found=0, linked=0, scope="force")
    result["this_year"] = 0
    (note,) = das.stop_and_search_section(report(cfg, searches=result)).parts
    assert isinstance(note, HTML)
    assert note.data == "<p>No stop and search for drugs force-wide in 2025/26.</p>"


# ----------------------------------------------------------------------------- treatment


def treatment() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": ["2025/26"] * 3,
            "substance_group": ["opiate", "alcohol", "non_opiate"],
            "in_treatment": [100, 50, 4],
            "successful_completions": [10, 20, 1],
            "months": [12, 12, 12],
            "value": [10.0, 40.0, 25.0],
            "lower": [5.0, 30.0, 4.0],
            "upper": [17.0, 53.0, 70.0],
        }
    )


def test_treatment_draws_completions_of_enough_clients_and_hides_the_few(cfg):
    pen = {
        "in_treatment": 3.4,
        "value": 25.0,
        "estimate": 1234.0,
        "estimate_year": "2024/25",
        "estimate_lower": 1000.0,
        "estimate_upper": 1500.0,
        "lower": 20.0,
        "upper": 30.0,
    }
    chart, table, penetration = das.treatment_section(
        report(cfg, treatment=treatment(), penetration=pen)
    ).parts
    # non-opiate: 1 completion of 4 clients is not drawn; opiate's 10% is the lowest
    assert chart.arguments["title"] == (
        "Opiate clients completed treatment least often (10% in 2025/26)"
    )
    assert chart.alt == (
        "Chart of successful completion percentages with intervals by substance group: "
        "Opiate 10%; Alcohol only 40%"
    )
    assert chart.arguments["values"]["value"].isna().tolist() == [False, False, True]
    by_group = {cells_[0]: cells_ for cells_ in _body_cells(table)}
    assert by_group["Non-opiate"][1:] == ["<5", "[c]", "[c]", "[c]", "[c]"]
    assert by_group["Opiate"][1:3] == ["100", "10"]
    # an average of 3.4 clients a month rounds to 3: fewer than 5
    assert penetration.data == (
        "<p>Penetration: an average of fewer than 5 opiate clients a month were in treatment "
        "in 2025/26, 25% of the 1,234 opiate users estimated for 2024/25 (95% interval of "
        "the estimate 1,000 to 1,500, so 20% to 30%).</p>"
    )


def _body_cells(html: str) -> list[list[str]]:
    """Each body row's cells after the row header (the year), for rows sharing a header."""
    body = html.split("<tbody>")[1]
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        out.append(cells[1:])
    return out


def test_treatment_with_too_few_clients_says_so_instead_of_a_chart(cfg):
    few = treatment().iloc[[2]]
    note, table = das.treatment_section(report(cfg, treatment=few)).parts
    assert note.data == (
        "<p>Too few clients in each substance group in 2025/26 to show completion rates.</p>"
    )
    assert "Adults in treatment (average per month) and successful completions, Demo" in table


# ----------------------------------------------------------------------------- alcohol


def violence() -> dict:
    wards = pd.DataFrame(
        {
            "ward_name": ["Central", "Riverside", "Hill"],
            "alcohol_related": [40, 8, 2],
            "violence": [100, 40, 3],
            "share_of_ward_violence": [40.0, 20.0, 66.7],
            "share_of_all": [80.0, 16.0, 4.0],
        }
    )
    return {
        "count": 50,
        "violence": 143,
        "share": 50 / 143 * 100,
        "wards": wards,
        "night_share": 30.0,
        "night_share_other": 10.0,
    }


def test_alcohol_violence_names_the_top_ward_and_hides_small_wards(cfg):
    chart, table = das.alcohol_violence_section(report(cfg, violence=violence())).parts
    assert chart.arguments["title"] == (
        "Central had 80% of alcohol-related violence; 30% was on Friday and Saturday nights"
    )
    assert chart.alt == (
        "Bar chart of alcohol-related violence in the ten wards with most: Central 40 "
        "offences of 50."
    )
    cells = rows(table)
    assert cells["Central"] == ["40", "100", "40%", "80%"]
    # Hill: 2 alcohol-related of 3 violent offences, both fewer than 5
    assert cells["Hill"] == ["<5", "<5", "[c]", "[c]"]
    assert "held 30% of alcohol-related violence and 10% of other violence." in table


def test_alcohol_violence_none_in_the_year_says_so(cfg):
    none = violence() | {"count": 0}
    (note,) = das.alcohol_violence_section(report(cfg, violence=none)).parts
    assert note.data == (
        "<p>No violence against the person flagged as alcohol-related was recorded in Demo "
        "in 2025/26.</p>"
    )


def admissions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": ["Persons", "Persons", "Females", "Females"],
            "financial_year": ["2024/25", "2025/26", "2024/25", "2025/26"],
            "value": [500.0, 450.0, 300.0, np.nan],
            "lower": [480.0, 430.0, 280.0, np.nan],
            "upper": [520.0, 470.0, 320.0, np.nan],
        }
    )


def test_admissions_title_states_the_change_and_alt_lists_the_rates(cfg):
    (chart,) = das.admissions_section(report(cfg, admissions=admissions())).parts
    # 500 -> 450 per 100,000 is a fall of 10%; two years are too few for a trend
    assert chart.arguments["title"] == (
        "The alcohol-related admission rate fell 10% between 2024/25 and 2025/26; five-year "
        "trend: cannot be calculated"
    )
    assert chart.alt.endswith(": 2024/25 500 per 100,000; 2025/26 450 per 100,000")
    # the females' 2025/26 rate was not calculated: left out of the chart
    assert len(chart.arguments["values"]) == 3


def test_perceptions_chart_and_ward_table(cfg):
    by_wave = pd.DataFrame(
        {
            "wave": [2024, 2025, 2024, 2025],
            "question": ["Drunk", "Drunk", "Drugs", "Drugs"],
            "value": [20.0, 25.0, 30.0, 35.0],
            "lower": [15.0, 20.0, 25.0, 30.0],
            "upper": [25.0, 30.0, 35.0, 40.0],
        }
    )
    by_ward = pd.DataFrame(
        {
            "ward_code": ["W1", "W2", "W1", "W2"],
            "question": ["Drunk", "Drunk", "Drugs", "Drugs"],
            "value": [25.0, 10.0, 35.0, 20.0],
            "lower": [20.0, 5.0, 30.0, 15.0],
            "upper": [30.0, 15.0, 40.0, 25.0],
            "respondents": [100, 12, 100, 12],
        }
    )
    lookup = pd.DataFrame(
        {"lsoa_code": ["E1", "E2"], "ward_code": ["W1", "W2"], "ward_name": ["North", "South"]}
    )
    views = {"by_wave": by_wave, "by_ward": by_ward, "latest_wave": 2025}
    chart, table = das.perceptions_section(
        report(cfg, views=views, store=Store(lookup=lookup))
    ).parts
    assert chart.arguments["title"] == "35% of residents see drugs as a big problem (2025)"
    cells = rows(table)
    assert cells["North"] == ["25% (20-30)", "35% (30-40)"]
    assert cells["South"] == ["fewer than 30 answers"] * 2


# ----------------------------------------------------------------------------- whole report


def test_recommendations_name_wards_holding_a_tenth_and_the_night(cfg):
    (block,) = das.recommendations(report(cfg, violence=violence())).parts
    text = unescape(str(block))
    # Central holds 80%, Riverside 16%: both named; Hill (4%) is not in the top two
    assert "Central ward (80% of alcohol-related violence)" in text
    assert "Riverside ward (16% of alcohol-related violence)" in text
    assert "Hill ward" not in text
    assert f"{pc.FRI_SAT_NIGHT}: 30% of alcohol-related violence" in text


def test_recommendations_without_violence_name_no_place(cfg):
    (block,) = das.recommendations(report(cfg)).parts
    assert "ward (" not in str(block)
    assert "Friday" not in str(block)


def test_key_findings_end_with_the_traffic_lights(cfg):
    framework = empty_framework()
    framework.loc[0] = ["Drug offences", "R", "Red", "yes", "none", 5.0]
    framework.loc[1] = ["Admissions", "G", "Green", "no", "none", -5.0]
    out = das.key_findings(report(cfg, framework=framework, violence=violence()))
    assert out[0].startswith("Alcohol-related offences accounted for 35% of violence")
    assert out[-1] == (
        "Traffic lights of the 2 rated indicators for drugs and alcohol: 1 green, 0 amber "
        "and 1 red."
    )


def test_framework_section_is_one_captioned_table(cfg, monkeypatch):
    from sa_toolkit.analysis import priority_framework as pf

    shown = pd.DataFrame({"Indicator": ["Drug offences"], "RAG": ["R"]})
    monkeypatch.setattr(pf, "framework_table", lambda frame, threshold: shown)
    monkeypatch.setattr(pf, "methods_notes", lambda cfg: ["How to read it."])
    (table,) = das.framework_section(report(cfg)).parts
    assert "Drugs and alcohol indicators, Demo, 2024/25 to 2025/26" in table
    assert "How to read it." in table
