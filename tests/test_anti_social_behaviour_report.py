"""The anti-social behaviour report's sections (sa_toolkit.analysis.anti_social_behaviour_report
and _sections) on small hand-built data, with hand-worked expectations."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sa_toolkit.analysis import anti_social_behaviour as asb
from sa_toolkit.analysis import anti_social_behaviour_report as report_sections
from sa_toolkit.analysis import anti_social_behaviour_sections as sections
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.analysis.sections import Chart
from sa_toolkit.periods import FinancialYear

FY = FinancialYear.parse("2025/26")


def monthly_rows(counts: dict[str, int], source: str = "police", category="nuisance"):
    """One row per incident: ``counts`` maps a month ("2025-04") to its number."""
    months = [m for m, n in counts.items() for _ in range(n)]
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(months, freq="M"),
            "source": source,
            "category": category,
        }
    )


def overdispersed_police(low: int = 50, high: int = 150) -> pd.DataFrame:
    """2024/25: months alternating ``low`` and ``high`` (1,200: 50 and 150 are far more
    variable than chance); 2025/26: 110 a month (1,320, +10%)."""
    last = {str(m): (low if i % 2 == 0 else high) for i, m in
            enumerate(pd.period_range("2024-04", "2025-03", freq="M"))}  # fmt: skip
    this = {str(m): 110 for m in pd.period_range("2025-04", "2026-03", freq="M")}
    return monthly_rows(last | this)


def test_source_changes_allow_for_the_extra_variation_of_the_monthly_counts():
    """Hand-worked: one complete year before, months 50, 150, ... (mean 100): the
    dispersion is sum((x - 100)^2) / 100 / 11 = 12 * 2500 / 100 / 11 = 27.27 (11 df).
    1,200 -> 1,320: the Poisson test gives z = 60 / sqrt(2520 / 4) = 2.39 (p 0.018,
    significant); allowing for the variation z = 60 / sqrt(27.27 * 630) = 0.458,
    p = 2 P(t_11 > 0.458) = 0.656 (not significant)."""
    phi = 12 * 2500 / 100 / 11
    z = 60 / np.sqrt(phi * 2520 * 0.25)
    assert z == pytest.approx(0.4577, abs=1e-4)
    expected_p = 2 * stats.t.sf(z, 11)
    assert expected_p == pytest.approx(0.656, abs=0.001)

    poisson = yc.change_row(1200, 1320, None, 0.05)
    assert poisson["significant"] and poisson["p_value"] == pytest.approx(0.018, abs=0.001)

    changes = asb.source_changes(overdispersed_police(), FY).set_index("source")
    police = changes.loc["police"]
    assert (police["before"], police["after"]) == (1200, 1320)
    assert police["change"] == pytest.approx(10.0)
    assert police["p_value"] == pytest.approx(expected_p, abs=1e-6)
    assert not police["significant"]
    assert police["variation"] == "allowed for"
    assert changes.loc["all sources", "p_value"] == pytest.approx(expected_p, abs=1e-6)


def test_source_changes_test_at_the_configured_level():
    """Months 90, 110, ...: dispersion 12 * 100 / 100 / 11 = 1.091; 1,200 -> 1,320 gives
    z = 60 / sqrt(1.091 * 630) = 2.289, p = 2 P(t_11 > 2.289) = 0.043: significant at
    the 5% level, not at 1%."""
    z = 60 / np.sqrt(12 / 11 * 630)
    assert z == pytest.approx(2.289, abs=0.001)
    expected_p = 2 * stats.t.sf(z, 11)
    assert expected_p == pytest.approx(0.043, abs=0.001)
    rows = overdispersed_police(90, 110)
    at_5 = asb.source_changes(rows, FY, significance_level=0.05).set_index("source")
    at_1 = asb.source_changes(rows, FY, significance_level=0.01).set_index("source")
    assert at_5.loc["police", "p_value"] == pytest.approx(expected_p, abs=1e-6)
    assert at_5.loc["police", "significant"] and not at_1.loc["police", "significant"]


def test_source_changes_without_a_complete_year_before_allow_for_chance_only():
    rows = monthly_rows({"2025-02": 40, "2025-03": 40, "2025-04": 60, "2025-05": 60})
    changes = asb.source_changes(rows, FY).set_index("source")
    assert changes.loc["police", "variation"] == "chance only"
    note = sections.source_test_note(changes, 0.05)
    assert "tested against chance variation alone" in note


def test_source_test_note_says_the_test_and_the_configured_level():
    changes = asb.source_changes(overdispersed_police(), FY).set_index("source")
    note = sections.source_test_note(changes, 0.01)
    assert "Poisson" not in note and "5%" not in note
    assert "how much the same count has varied before" in note
    assert "real-world variation beyond chance" in note
    assert "less than 1 times in 100 (99% confidence)" in note
    assert "chance variation alone" not in note


def test_source_table_names_sources_in_words_and_hides_small_counts():
    """Police 10 -> 20, council 6 -> 3, housing none: council's 3 is below 5, so it and
    the change and test worked out from it are hidden, and police's 20 with them (the only
    other non-zero source: 23 - 20 would give the 3 away)."""
    rows = pd.concat(
        [
            monthly_rows({"2024-05": 10, "2025-05": 20}),
            monthly_rows({"2024-06": 6, "2025-06": 3}, source="council"),
        ],
        ignore_index=True,
    )
    by_source = asb.source_changes(rows, FY).set_index("source")
    table = sections.source_table(by_source, FY, True, 5).set_index("source")
    assert list(table.index) == ["Police", "Council", "Housing", "All sources"]
    assert table.loc["Police", "2024/25"] == 10 and table.loc["Police", "2025/26"] == "[c]"
    assert table.loc["Police", "change_%"] == "[c]"
    assert table.loc["Council", "2025/26"] == "<5"
    assert table.loc["Council", "change_%"] == "[c]" and table.loc["Council", "p_value"] == "[c]"
    assert table.loc["All sources", "2025/26"] == 23
    assert table.loc["All sources", "change_%"] == pytest.approx(43.8)  # 7 / 16
    # without last year only this year's counts
    alone = sections.source_table(by_source, FY, False, 5)
    assert list(alone.columns) == ["source", "2025/26"]


def test_source_table_hides_last_years_small_counts_and_what_gives_them_away():
    """Council 3 -> 30 last year below 5: hidden, with its change; police (10, the other
    non-zero source) is hidden too in that year, or 13 - 10 would give the 3 away."""
    rows = pd.concat(
        [
            monthly_rows({"2024-05": 10, "2025-05": 20}),
            monthly_rows({"2024-06": 3, "2025-06": 30}, source="council"),
        ],
        ignore_index=True,
    )
    by_source = asb.source_changes(rows, FY).set_index("source")
    table = sections.source_table(by_source, FY, True, 5).set_index("source")
    assert table.loc["Council", "2024/25"] == "<5" and table.loc["Council", "2025/26"] == 30
    assert table.loc["Council", "change_%"] == "[c]"
    assert table.loc["Police", "2024/25"] == "[c]" and table.loc["Police", "change_%"] == "[c]"
    assert table.loc["Police", "2025/26"] == 20
    assert table.loc["All sources", "2024/25"] == 13
    assert table.loc["Housing", "2024/25"] == 0


def make_report(tmp_path, **overrides) -> report_sections.ASBReport:
    cfg = SimpleNamespace(
        suppression_threshold=5,
        partnership_short_name="Testtown",
        year=FY,
        significance_level=0.05,
        processed_dir=tmp_path,
        raw_dir=tmp_path,
    )
    incidents = pd.concat(
        [
            monthly_rows({"2024-05": 10, "2025-05": 20}),
            monthly_rows({"2024-06": 6, "2025-06": 3}, source="council", category="personal"),
        ],
        ignore_index=True,
    )
    months = pd.period_range("2024-04", "2026-03", freq="M")
    fields = {
        "cfg": cfg,
        "framework": pd.DataFrame(),
        "police_only": False,
        "years": [FY.previous(), FY],
        "comparison": SimpleNamespace(note=lambda: "", has_previous=True, compared=True),
        "compared": True,
        "period": "2024/25 to 2025/26",
        "incidents": incidents,
        "lookup": pd.DataFrame(),
        "places": None,
        "this_year": asb.in_year(incidents, FY),
        "by_source": asb.source_changes(incidents, FY).set_index("source"),
        "monthly": asb.monthly_by_source(incidents, months),
        "season": pd.DataFrame(columns=["month", "mean", "index", "years"]),
        "wards": pd.DataFrame(),
        "spread": {},
        "repeats": {},
        "survey": None,
        "waves": pd.DataFrame(),
        "strand_change": pd.DataFrame(),
        "fire_table": None,
        "fires": pd.DataFrame(),
        "caveats": [],
        "flags": [],
        "source": report_sections.PARTNER_SOURCES,
    }
    fields.update(overrides)
    return report_sections.ASBReport(**fields)


def test_incidents_by_source_section_parts(tmp_path):
    section = report_sections.incidents_by_source(make_report(tmp_path))
    parts = section.parts
    # category table, the months compared (none missing: empty), source table, trend
    assert len(parts) == 4
    assert "by category and source, Testtown, 2025/26" in parts[0]
    assert ">Council<" in parts[0]
    assert str(parts[1]) == ""
    table = str(parts[2])
    assert "Anti-social behaviour incidents by source, Testtown" in table
    for label in ("Police", "Council", "Housing", "All sources"):
        assert f">{label}</th>" in table
    assert ">police<" not in table and ">all sources<" not in table
    assert "&lt;5" in table  # council's 3
    chart = parts[3]
    assert isinstance(chart, Chart)
    assert chart.name == "03_anti_social_behaviour_trend_by_source"
    assert chart.arguments["title"].startswith("Anti-social behaviour incidents in 2025/26")
    assert chart.arguments["subtitle"] == (
        "Incidents per month by source, Testtown, 2024/25 to 2025/26"
    )
    assert chart.alt.startswith(
        "Line chart of monthly anti-social behaviour incidents reported to the police, "
        "council and housing providers in Testtown"
    )
    assert list(chart.arguments["monthly"].columns) == ["Police", "Council", "Housing"]


def test_incidents_without_the_partners_extract_say_so(tmp_path):
    report = make_report(tmp_path, police_only=True)
    parts = report_sections.incidents_by_source(report).parts
    assert "Not available" in parts[0] and "was not supplied" in parts[0]
    assert "recorded by the police" in parts[-1].alt


def test_without_last_year_the_table_has_no_change_and_no_test_note(tmp_path):
    report = make_report(
        tmp_path,
        compared=False,
        comparison=SimpleNamespace(note=lambda: "", has_previous=False, compared=False),
    )
    parts = report_sections.incidents_by_source(report).parts
    assert "Change on 2024/25 not available: no data for 2024/25." in parts[2]
    table = str(parts[3])
    assert "Change" not in table and "Significance" not in table


def test_sections_whose_data_were_not_supplied_give_the_note(tmp_path):
    report = make_report(tmp_path)
    fires = report_sections.deliberate_fires(report).parts
    assert len(fires) == 1 and "deliberate fires cannot be shown" in fires[0]
    survey = report_sections.perceptions(report).parts
    assert len(survey) == 1
    assert "residents&#x27; perceptions of anti-social behaviour cannot be shown" in survey[0]
    assert not report_sections.fires_maps(report)
    assert not report_sections.perceptions_map(report)
    # no complete year: no seasonality chart
    assert not report_sections.seasonality(report)


def test_key_findings_headline_carries_the_months_compared_and_the_events(tmp_path):
    report = make_report(
        tmp_path,
        comparison=SimpleNamespace(
            note=lambda: "April 2025 missing.", has_previous=True, compared=True
        ),
        flags=["(Spans a change.)"],
    )
    key = report_sections.key_findings(report)
    assert key[0].startswith("Anti-social behaviour incidents reported to the police")
    assert key[0].endswith("April 2025 missing. (Spans a change.)")
    assert key[1] == "Too few years of data to measure seasonality."
    assert len(key) == 2  # no wards, survey or fires


def test_recommendations_name_a_source_that_rose_significantly(tmp_path):
    """Police 100 -> 200 (+100%, p < 0.001) is named; the council's 6 -> 3 is not."""
    incidents = monthly_rows({"2024-05": 100, "2025-05": 200})
    report = make_report(
        tmp_path,
        incidents=incidents,
        by_source=asb.source_changes(incidents, FY).set_index("source"),
        framework=pd.DataFrame(
            columns=["indicator_id", "name", "significant", "change", "rag", "polarity"]
        ),
        wards=pd.DataFrame(columns=["ward", "share", "value", "incidents"]),
        repeats={"repeat_locations": 0, "minimum": 10, "repeat_share": np.nan},
    )
    block = str(report_sections.recommendations(report).parts[0])
    assert "ASB reported to the police (+100%)" in block
    assert "ASB reported to the police, council and housing providers (+100%)" in block
    assert "the council" not in block
    # police data only: the police's rise is named once
    police_only = str(
        report_sections.recommendations(dataclasses.replace(report, police_only=True)).parts[0]
    )
    assert police_only.count("ASB reported to") == 1


def test_deliberate_fires_section_names_the_types_and_hides_small_counts(tmp_path):
    """2025/26: 3 primary (below 5: hidden with its rate) and 40 secondary deliberate
    fires in 20,000 residents: 20 per 10,000; an accidental fire is not counted."""
    fire_table = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2025-06"] * 44, freq="M"),
            "motive": ["deliberate"] * 43 + ["accidental"],
            "incident_type": ["primary"] * 3 + ["secondary"] * 41,
        }
    )
    fires = asb.deliberate_fires(fire_table, {"2025/26": 20000.0}, [FY])
    report = make_report(tmp_path, fire_table=fire_table, fires=fires)
    chart, table = report_sections.deliberate_fires(report).parts
    assert isinstance(chart, Chart)
    assert chart.name == "03_anti_social_behaviour_deliberate_fires"
    assert list(chart.arguments["series"]) == ["Primary", "Secondary"]
    assert ">Primary<" in table and ">Secondary<" in table
    assert ">primary<" not in table
    assert "&lt;5" in table and "[c]" in table
    assert ">40<" in table and ">20.00<" in table


def test_deliberate_fires_change_allows_for_the_extra_variation_of_monthly_fires():
    """The same hand-worked case as the sources': 2024/25 months of 50 and 150 deliberate
    fires (1,200), 2025/26 110 a month (1,320): p 0.656 allowing for the variation, 0.018
    (significant) against chance alone; a fire that was not deliberate is not counted."""
    from scipy import stats

    months = pd.period_range("2024-04", "2026-03", freq="M")
    per_month = [50 if i % 2 == 0 else 150 for i in range(12)] + [110] * 12
    table = pd.DataFrame(
        {
            "month": np.repeat(months, per_month).astype(str),
            "motive": "deliberate",
        }
    )
    table = pd.concat(
        [table, pd.DataFrame({"month": ["2025-05"], "motive": ["accidental"]})],
        ignore_index=True,
    )
    monthly = asb.deliberate_fires_monthly(table)
    assert monthly.sum() == 2520 and len(monthly) == 24
    fires = pd.DataFrame(
        {"year": ["2024/25", "2025/26"], "type": ["primary", "primary"], "fires": [1200, 1320]}
    )
    expected_p = 2 * stats.t.sf(60 / np.sqrt(12 * 2500 / 100 / 11 * 630), 11)
    allowing = asb.fires_sentence(fires, FY, 5, 0.05, monthly)
    chance_only = asb.fires_sentence(fires, FY, 5, 0.05)
    assert "not statistically significant" in allowing
    assert "not statistically significant" not in chance_only
    assert expected_p > 0.05
