"""The violent crime report's sections (sa_toolkit.analysis.violent_crime_report).

Each section is built from a small hand-made year of incidents and checked for the parts
a reader sees, in order: titles, alt texts, captions, the cells that must be suppressed,
and the "not supplied" note when its data are absent. Expected figures are worked out by
hand in the comments, never taken from the code under test.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from sa_toolkit.analysis import violent_crime as vc
from sa_toolkit.analysis import violent_crime_report as sections
from sa_toolkit.analysis.sections import Chart, Section, show
from sa_toolkit.coverage import Coverage, compare_years
from sa_toolkit.disclosure import SECONDARY_MARKER
from tests.test_analysis_violent_crime import YEAR, _data, _incident

MSG_COLUMNS = [
    "area_code", "area_name", "area_type", "financial_year", "offence_group", "offences",
    "population",
]  # fmt: skip


def _cfg(tmp_path, **kw):
    # an empty processed folder: no table supplied, no boundary files (no maps)
    settings = dict(
        year=YEAR, processed_dir=tmp_path, raw_dir=None, significance_level=0.05,
        amber_tolerance=2.0, suppression_threshold=5, partnership_code="E1",
        partnership_short_name="Testborough", lsoas=["L1", "L2", "L3"], msg_members=(),
    )  # fmt: skip
    settings.update(kw)
    return SimpleNamespace(**settings)


def _report(tmp_path, rows, population=None, msg=None, framework=None):
    data = _data(rows, population)
    data.cfg = _cfg(tmp_path)
    data.area_code = "E1"
    data.msg_supplied = msg is not None
    data.msg = pd.DataFrame(columns=MSG_COLUMNS) if msg is None else msg
    return sections.from_data(data, framework=pd.DataFrame() if framework is None else framework)


def _year_rows():
    """10 offences in 2024/25; in 2025/26 10 on a Friday noon in L1 (North ward), 5 on a
    Saturday at 23:00 in L3 (South ward), and 2 robberies."""
    rows = [_incident("2024-06") for _ in range(10)]
    rows += [_incident("2025-06", lsoa="L1") for _ in range(10)]
    rows += [_incident("2025-06", lsoa="L3", start=pd.Timestamp("2025-06-07 23:00"))] * 5
    rows += [_incident("2025-07", group="Robbery", description="Robbery of personal property")] * 2
    return rows


def _table_rows(html) -> list[list[str]]:
    """The cells of an HTML table, row by row (header row first)."""
    table = BeautifulSoup(str(html), "html.parser").find("table")
    return [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table("tr")]


def _caption(html) -> str:
    return BeautifulSoup(str(html), "html.parser").find("caption").get_text(strip=True)


def _text(part) -> str:
    return BeautifulSoup(str(part), "html.parser").get_text(" ", strip=True)


def test_trends_draw_two_charts_with_titles_and_totals_in_the_alt_text(tmp_path):
    section = sections.trends(_report(tmp_path, _year_rows()))
    volume, serious = section.parts  # the incident extract: no "not supplied" note first
    assert isinstance(volume, Chart) and volume.name == "01_violent_crime_trend_volume"
    # violence 10 -> 15 is +50%; domestic abuse and sexual offences 0 -> 0 have no change
    assert volume.arguments["title"] == "Violence against the person rose 50% in 2025/26"
    assert volume.alt.endswith(
        "2024/25 to 2025/26: Violence against the person 10 to 15; Domestic abuse 0 to 0; "
        "Sexual offences 0 to 0."
    )
    assert "April 2024 to March 2026" in volume.arguments["subtitle"]
    # robbery 0 -> 2: a count below 5 is given in words and no percentage is picked
    assert serious.name == "01_violent_crime_trend_serious"
    assert serious.arguments["title"] == "Violent crime measures in 2025/26"
    assert "Robbery 0 to fewer than 5" in serious.alt
    assert list(serious.arguments["monthly"].columns) == [
        "Serious violence", "Robbery", "Knife crime", "Gun crime",
    ]  # fmt: skip
    assert serious.arguments["monthly"].loc[pd.Period("2025-07", freq="M"), "Robbery"] == 2


def test_trends_with_open_police_data_say_what_they_cannot_show(tmp_path):
    rows = [
        {"month": pd.Period("2025-05", freq="M"), "lsoa_code": "L1", "longitude": -0.1,
         "latitude": 51.5, "crime_type": crime}
        for crime in ["Violence and sexual offences"] * 6 + ["Robbery"]
    ]  # fmt: skip
    data = _data(rows)
    data.cfg = _cfg(tmp_path)
    data.measures = vc.load_measures("police")
    data.source = "police"
    report = sections.ViolentCrimeReport(
        data=data, summary=vc.year_summary(data), framework=pd.DataFrame(), peers={},
        wards=pd.DataFrame(), lsoas=pd.DataFrame(), conc=pd.DataFrame(),
        times=vc.temporal(data), ages=vc.age_profiles(data), people=vc.shares_and_repeats(data),
        focus=vc.focus_incidents(data),
    )  # fmt: skip
    parts = sections.trends(report).parts
    assert "crime incident extract was not supplied" in _text(parts[0])
    assert "counted from data.police.uk street-level crime (open data) instead" in _text(parts[0])
    assert [p.name for p in parts[1:]] == [
        "01_violent_crime_trend_volume", "01_violent_crime_trend_serious",
    ]  # fmt: skip
    # no times, ages or flags in the open data: each section names what is missing
    for section, what in (
        (sections.when, "offences by hour and weekday cannot be shown"),
        (sections.victims_and_suspects, "the ages of victims and suspects cannot be shown"),
        (sections.domestic_abuse, "repeat victimisation and alcohol-related violence cannot"),
    ):
        (note,) = section(report).parts
        assert what in _text(note)


def test_rates_table_suppresses_small_counts_and_what_they_reveal(tmp_path):
    months_note, table = sections.rates(_report(tmp_path, _year_rows())).parts
    assert str(months_note) == ""  # every month held: no note
    assert _caption(table) == (
        "Violent crime measures, Testborough, 2024/25 and 2025/26: offences, change and "
        "rate per 1,000 residents"
    )
    rows = {r[0]: r for r in _table_rows(table)}
    assert rows["Measure"][1:3] == ["2024/25", "2025/26"]
    # 15 offences among 1,000 residents: 15.00 per 1,000, +50% on 10
    assert rows["Violence against the person"][1:4] == ["10", "15", "+50%"]
    assert rows["Violence against the person"][5] == "15.00"
    # 2 robberies: shown as <5, and the change, rate and interval that would reveal them hidden
    assert rows["Robbery"][1:] == ["0", "<5"] + [SECONDARY_MARKER] * 4


def test_rates_without_last_year_say_the_change_is_not_available(tmp_path):
    # the data begin with the assessed year: every month of it held, none of the year before
    report = _report(tmp_path, [_incident("2025-06") for _ in range(8)])
    report.data.compare = compare_years(Coverage.of("crime_incidents", YEAR.months), YEAR)
    report.data.has_comparison = False
    report.summary = vc.year_summary(report.data)
    parts = sections.rates(report).parts
    assert str(parts[0]) == ""  # the year is complete: no note on missing months
    assert _text(parts[1]) == "Change on 2024/25 not available: no data for 2024/25."
    assert _caption(parts[2]) == (
        "Violent crime measures, Testborough, 2025/26: offences and rate per 1,000 residents"
    )
    assert _table_rows(parts[2])[0] == ["Measure", "2025/26", "Rate per 1,000", "95% interval"]


def test_most_similar_group_funnel_or_the_reason_there_is_none(tmp_path):
    (note,) = sections.most_similar_group(_report(tmp_path, _year_rows())).parts
    assert "Most Similar Group (MSG) recorded crime table was not supplied" in _text(note)

    msg = pd.DataFrame(
        {
            "area_code": ["E1", "E2", "E3"], "area_name": ["Test", "Peer A", "Peer B"],
            "area_type": "csp", "financial_year": "2025/26",
            "offence_group": "Violence and sexual offences",
            "offences": [100, 120, 80], "population": [10_000, 10_000, 10_000],
        }
    )  # fmt: skip
    (other_year,) = sections.most_similar_group(
        _report(tmp_path, _year_rows(), msg=msg.assign(financial_year="2023/24"))
    ).parts
    assert str(other_year) == (
        "<p>The Most Similar Group table has no violence figures for 2025/26.</p>"
    )

    (funnel,) = sections.most_similar_group(_report(tmp_path, _year_rows(), msg=msg)).parts
    # 300 offences in 30,000 residents: the group's average is 10.0 per 1,000, Testborough's
    # own 100 in 10,000 is 10.0, inside any funnel
    assert funnel.name == "01_violent_crime_funnel"
    assert funnel.arguments["title"] == (
        "Testborough's violence rate is within the range expected around its peers' average"
    )
    assert funnel.arguments["average"] == pytest.approx(10.0)
    assert funnel.alt.startswith("Funnel plot: ")
    assert "10.0 offences per 1,000 residents" in funnel.alt
    assert funnel.alt.endswith("(not significantly different).")


def test_hotspot_tables_rank_wards_and_lsoas_and_hide_small_counts(tmp_path):
    rows = [_incident("2024-06") for _ in range(10)]
    rows += [_incident("2025-06", lsoa="L1") for _ in range(12)]
    rows += [_incident("2025-06", lsoa="L3") for _ in range(3)]
    parts = sections.hotspot_tables(_report(tmp_path, rows)).parts
    assert [_caption(p) for p in parts] == [
        "Wards with the most offences of violence against the person, Testborough, 2025/26",
        "Wards with the highest rates of violence against the person, Testborough, 2025/26",
        "LSOAs with the most offences of violence against the person, Testborough, 2025/26",
        "LSOAs with the highest rates of violence against the person, Testborough, 2025/26",
    ]
    wards = _table_rows(parts[0])
    # North (L1 and L2, 800 residents): 12 of 15 offences = 80.0%, 15.0 per 1,000
    assert wards[1][:4] == ["North", "12", "80.0", "15.0"]
    # South: 3 offences, below 5: count, share, rate and interval all hidden
    assert wards[2] == ["South", "<5", SECONDARY_MARKER, SECONDARY_MARKER, SECONDARY_MARKER]
    # rates rank only places with at least 10 offences: North alone
    assert [r[0] for r in _table_rows(parts[1])[1:]] == ["North"]
    lsoas = _table_rows(parts[2])
    assert [r[:3] for r in lsoas[1:]] == [["Lsoa 1", "North", "12"], ["Lsoa 3", "South", "<5"],
                                          ["Lsoa 2", "North", "0"]]  # fmt: skip


def test_concentration_curve_title_and_alt_text(tmp_path):
    (curve,) = sections.concentration(_report(tmp_path, _year_rows())).parts
    # LSOA counts 10, 0, 5: the busiest of 3 LSOAs (33%) holds 10 of 15 (67%), more than half;
    # Gini of (0, 5, 10): 2 * (1*0 + 2*5 + 3*10) / (3 * 15) - 4/3 = 0.44
    assert curve.name == "01_violent_crime_concentration"
    assert curve.arguments["title"] == (
        "Half of violence happened in 33% of LSOAs; the top 5% held 67%"
    )
    assert "held 67% of it in 2025/26; North ward had the most (10 offences, 67%)" in curve.alt
    assert curve.alt.endswith("Gini coefficient 0.44.")
    # no violence in any LSOA: no curve
    report = _report(tmp_path, _year_rows())
    report.lsoas = report.lsoas.assign(offences=0)
    assert not sections.concentration(report)


def test_density_map_only_with_enough_located_offences(tmp_path):
    rows = _year_rows() + [_incident("2025-08", longitude=float("nan"))] * 2
    (density,) = sections.density(_report(tmp_path, rows)).parts
    # North (L1, where the 2 offences without coordinates are too): 12 of 17 = 71%
    assert density.arguments["title"] == (
        "Violence clusters in North ward, with 71% of the partnership's offences"
    )
    assert density.arguments["subtitle"].endswith(
        "hexagons with fewer than 5 offences not drawn; 2 offences without coordinates not shown"
    )
    assert len(density.arguments["longitude"]) == 15
    # four located offences: fewer than the threshold, no plot that could reveal them
    assert not sections.density(_report(tmp_path, [_incident("2025-06")] * 4))


def test_heat_map_title_gives_the_night_time_share(tmp_path):
    (heat,) = sections.when(_report(tmp_path, _year_rows())).parts
    # 5 of 15 offences on Saturday at 23:00 (33%); 22:00-03:00 on two nights is 10 of the
    # week's 168 hours (6%)
    assert heat.arguments["title"] == (
        "33% of violence happened on Friday and Saturday nights, in 6% of the week"
    )
    assert heat.alt.startswith("Heat map of offences by hour and weekday. Friday and Saturday")
    # no profile of times (no violence in the year): nothing to draw, and no "not
    # supplied" note, as the extract was supplied
    report = _report(tmp_path, _year_rows())
    report.times = {"table": None, "night_share": None, "night_hours_share": None, "peak": None}
    assert not sections.when(report)


def _population_with_ages():
    # 1,000 residents each year: 100 aged 15-19 and 900 aged 25-34
    return pd.DataFrame(
        {
            "year": [2024, 2024, 2025, 2025],
            "lsoa_code": ["L1"] * 4,
            "age_min": [15, 25, 15, 25],
            "population": [100, 900, 100, 900],
        }
    )


def test_victims_and_suspects_chart_and_table_with_small_counts_hidden(tmp_path):
    rows = [_incident("2025-06", victim_age=17.0) for _ in range(10)]
    rows += [_incident("2025-06", victim_age=30.0) for _ in range(3)]
    chart, table = sections.victims_and_suspects(
        _report(tmp_path, rows, population=_population_with_ages())
    ).parts
    # victims aged 15-19: 10 of 13 (77%) against 10% of residents, 7.7 times; the Wilson
    # interval of 10/13 starts near 0.50, so the ratio's starts near 5, above 1
    assert chart.name == "01_violent_crime_ages"
    assert chart.arguments["title"] == (
        "Victims aged 15-19 were 7.7 times their share of residents (77% against 10%)"
    )
    assert chart.alt.startswith("Bar chart of the age profile of victims and suspects")
    assert _caption(table).startswith("Over-representation of age groups among victims")
    by_band = {r[1]: r for r in _table_rows(table)[1:]}
    assert by_band["15-19"][2] == "10"
    # 3 victims aged 25-34: the count and its share, ratio and interval hidden
    assert by_band["25-34"][2:] == ["<5", SECONDARY_MARKER, "90.0", SECONDARY_MARKER,
                                    SECONDARY_MARKER]  # fmt: skip


def test_victims_and_suspects_with_population_totals_only_ask_for_ages(tmp_path):
    population = pd.DataFrame(
        {"year": [2024, 2025], "lsoa_code": ["L1", "L1"], "age_min": [pd.NA, pd.NA],
         "population": [1000, 1000]}
    )  # fmt: skip
    rows = [_incident("2025-06", victim_age=17.0) for _ in range(6)]
    (note,) = sections.victims_and_suspects(_report(tmp_path, rows, population=population)).parts
    assert "population estimates supplied are totals only" in note.data


def test_domestic_abuse_table_hides_a_small_count(tmp_path):
    rows = [_incident("2024-06") for _ in range(10)]
    rows += [_incident("2025-06") for _ in range(12)]
    rows += [_incident("2025-06", domestic_abuse=True) for _ in range(3)]
    (table,) = sections.domestic_abuse(_report(tmp_path, rows)).parts
    assert _caption(table) == (
        "Domestic abuse, repeat victimisation and alcohol-related violence, Testborough, 2025/26"
    )
    by_measure = {r[0]: r for r in _table_rows(table)[1:]}
    # 3 of 15 offences flagged: below 5, so the count, the share and its interval are hidden
    share = by_measure["Domestic abuse share of violence against the person"]
    assert share[1:5] == ["<5", "15", SECONDARY_MARKER, SECONDARY_MARKER]
    assert share[5] == "0.0"  # none of last year's 10
    assert by_measure["Alcohol-related share of violence against the person"][1:4] == [
        "0", "15", "0.0",
    ]  # fmt: skip


def test_framework_section_shows_rows_or_nothing(tmp_path):
    assert not sections.framework_section(_report(tmp_path, _year_rows()))
    framework = pd.DataFrame(
        [
            {"indicator_id": "NI28", "name": "Knife crime", "unit": "count", "baseline": 40.0,
             "actual": 30.0, "change": -25.0, "change_unit": "%", "target": -5.0,
             "target_type": "relative_change", "significant": "no", "rag": "G",
             "rag_label": "Green: target met"},
        ]
    )  # fmt: skip
    (table,) = sections.framework_section(
        _report(tmp_path, _year_rows(), framework=framework)
    ).parts
    assert _caption(table) == "Violent crime performance framework, 2024/25 to 2025/26"
    header, row = _table_rows(table)
    assert header[0] == "Indicator" and row[0] == "Knife crime"
    assert row[3] == "-25.0%"
    assert "Green: target met" in row


def test_key_findings_and_recommendations_of_the_report(tmp_path):
    report = _report(tmp_path, _year_rows())
    found = sections.key_findings(report)
    # 10 -> 15 with equal populations: 15 of 25 at 1/2, p = 0.42, not significant
    assert found[0] == (
        "Between 2024/25 and 2025/26, violence against the person rose 50% (10 to 15 "
        "offences); the rise is not statistically significant."
    )
    (block,) = sections.recommendations(report).parts
    text = _text(block)
    # North: 10 offences of 15 (67%) in 800 residents = 12.5 per 1,000
    assert "North ward: 10 offences of violence against the person (67%), 12.5 per 1,000" in text
    assert "Friday and Saturday nights, 22:00 to 03:00: 33% of violence in 6% of the week" in text


def test_every_chart_draws_and_is_saved_under_its_name(tmp_path):
    report = _report(tmp_path / "processed", _year_rows())
    out = tmp_path / "report"
    names = []
    for section in (
        sections.trends, sections.concentration, sections.density, sections.when,
    ):  # fmt: skip
        built = section(report)
        assert isinstance(built, Section)
        names += [chart.name for chart in built.charts()]
        show(built, out)
    for name in names:
        assert (out / "figures" / f"{name}.png").is_file()
    assert names == [
        "01_violent_crime_trend_volume", "01_violent_crime_trend_serious",
        "01_violent_crime_concentration", "01_violent_crime_density",
        "01_violent_crime_heat_map",
    ]  # fmt: skip
