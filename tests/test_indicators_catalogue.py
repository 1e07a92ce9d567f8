"""The indicator catalogue, series breaks and traffic-light rules."""

from __future__ import annotations

import copy

import pytest
import yaml

from sa_toolkit.errors import InputFileError
from sa_toolkit.indicators.catalogue import (
    CATALOGUE_PATH,
    PRIORITIES,
    break_between,
    comparison_caveats,
    context_between,
    load_catalogue,
    load_series_breaks,
    validate_catalogue,
)
from sa_toolkit.periods import FinancialYear
from sa_toolkit.traffic_lights import traffic_light

APPENDIX_1 = (
    "NI15 NI16 NI20 NI26 NI28 NI29 NI32 NI34 LI1 NI19 NI43 NI44_white NI45 NI46 NI69 NI110 NI111 "
    "NI115 NI117 LI2 NI38 NI39 NI40 NI41 NI42 NI18 NI30 NI143 NI144 NI17 NI21 NI22 NI27 NI33i "
    "NI33ii NI195 NI196 ASBO_breach ABC_breach NI1 NI3 NI5 NI23 NI35 NI36 NI37 NI47 NI48 NI49i "
    "NI49ii NI49iii"
).split()


def _entries() -> list[dict]:
    return yaml.safe_load(CATALOGUE_PATH.read_text())["indicators"]


def test_catalogue_holds_every_appendix_1_indicator_and_todays_equivalents():
    catalogue = load_catalogue()
    missing = [i for i in APPENDIX_1 if i not in catalogue.index]
    assert not missing
    assert set(catalogue["priority"]) == set(PRIORITIES)
    # every retired indicator that names a current equivalent points at a catalogue entry
    equivalents = catalogue["current_equivalent"].dropna()
    assert set(equivalents) <= set(catalogue.index)
    assert (catalogue["status"] == "current").sum() >= 20
    assert catalogue["computation"].notna().sum() >= 25


@pytest.mark.parametrize("field", ["definition", "unit", "polarity"])
def test_catalogue_fails_when_an_indicator_lacks_a_required_field(field):
    entries = copy.deepcopy(_entries())
    entries[3].pop(field)
    with pytest.raises(InputFileError, match=f"lacks a {field}"):
        validate_catalogue(entries)
    entries = copy.deepcopy(_entries())
    entries[3][field] = ""
    with pytest.raises(InputFileError, match=f"lacks a {field}"):
        validate_catalogue(entries)


def test_catalogue_rejects_bad_values():
    entries = copy.deepcopy(_entries())
    entries[0]["unit"] = "per_cent"
    with pytest.raises(InputFileError, match="unknown unit"):
        validate_catalogue(entries)
    entries = copy.deepcopy(_entries())
    entries[1]["target_type"] = "level"
    entries[1]["target"] = 293
    # the package ships no local targets: they belong to the partnership's targets file
    with pytest.raises(InputFileError, match="targets belong to the partnership"):
        validate_catalogue(entries)
    entries = copy.deepcopy(_entries())
    entries[2]["computation"] = {"function": "magic"}
    with pytest.raises(InputFileError, match="unknown computation"):
        validate_catalogue(entries)
    entries = copy.deepcopy(_entries())
    entries.append(copy.deepcopy(entries[0]))
    with pytest.raises(InputFileError, match="listed twice"):
        validate_catalogue(entries)


def test_series_breaks_hold_real_events_with_sources_and_no_demo_break():
    breaks = load_series_breaks()
    assert {"NI15", "NI20", "violence_and_sexual_offences_rate", "*"} <= set(breaks["indicator"])
    # the demo's invented public order step (April 2022) is not a real event
    assert not breaks["reason"].str.contains("demo", case=False).any()
    assert not (
        (breaks["indicator"] == "public_order_rate") & (breaks["first_period"] == "2022-04")
    ).any()
    assert (breaks["source"].str.strip() != "").all()
    fy = FinancialYear
    row = break_between("NI15", fy(2007), fy(2008), breaks)
    assert row["comparison_note"] == "comparison not possible: counting rules changed"
    # COVID-19: context for every indicator. Restrictions began on 23 March 2020 (the last
    # days of 2019/20) and ran into July 2021: every comparison from 2018/19 -> 2019/20 to
    # 2021/22 -> 2022/23 spans them; 2017/18 -> 2018/19 and 2022/23 -> 2023/24 do not
    for base, spans in (
        (2017, False), (2018, True), (2019, True), (2020, True), (2021, True), (2022, False),
    ):  # fmt: skip
        events = context_between("asb_rate", fy(base), fy(base + 1), breaks)
        assert bool(events["reason"].str.contains("COVID-19").any()) == spans, base
    # a context event is no break: the years are still compared
    assert break_between("asb_rate", fy(2019), fy(2020), breaks) is None
    # Home Office Counting Rules changes of April 2018 and May 2023 (stalking and harassment)
    assert len(context_between("violence_and_sexual_offences_rate", fy(2017), fy(2018), breaks))
    hocr_2023 = context_between("total_crime_rate", fy(2022), fy(2023), breaks)
    assert hocr_2023["reason"].str.contains("31 May 2023").any()


def test_local_series_breaks_join_the_registry(tmp_path):
    from sa_toolkit.demo.generate import write_series_breaks

    write_series_breaks(tmp_path)
    fy = FinancialYear
    assert break_between("public_order_rate", fy(2021), fy(2022), load_series_breaks()) is None
    both = load_series_breaks(raw_dir=tmp_path)
    row = break_between("public_order_rate", fy(2021), fy(2022), both)
    assert row is not None and "demo data" in row["reason"]
    assert break_between("public_order_rate", fy(2022), fy(2023), both) is None


def test_local_series_breaks_bad_rows_named(tmp_path):
    header = "indicator,first_period,reason,comparison_note,effect,source\n"
    (tmp_path / "series_breaks.csv").write_text(
        header + "public_order_rate,2022-04,changed,not comparable,maybe,Force memo\n"
    )
    with pytest.raises(InputFileError, match="unknown effect") as err:
        load_series_breaks(raw_dir=tmp_path)
    assert "line 2" in str(err.value) and "effect" in str(err.value)
    (tmp_path / "series_breaks.csv").write_text(
        header + "public_order_rate,2022-04,changed,not comparable,not_comparable,\n"
    )
    with pytest.raises(InputFileError, match="source is blank"):
        load_series_breaks(raw_dir=tmp_path)
    (tmp_path / "series_breaks.csv").write_text("indicator,first_period,reason\n")
    with pytest.raises(InputFileError, match="unexpected header"):
        load_series_breaks(raw_dir=tmp_path)


def test_comparison_caveats_name_the_event_and_its_source():
    fy = FinancialYear
    text = comparison_caveats(
        ["total_crime_rate", "asb_rate"], fy(2019), fy(2020), load_series_breaks()
    )
    assert len(text) == 1
    assert text[0].startswith("2019/20 and 2020/21 to be compared with care: COVID-19")
    assert "SI 2020/350" in text[0]
    assert comparison_caveats(["asb_rate"], fy(2024), fy(2025), load_series_breaks()) == []


def _light(**kw):
    base = dict(
        polarity="lower_is_better",
        target_type="none",
        target=None,
        change=None,
        change_unit="%",
        actual=None,
        unit="rate_per_1000",
        significant=None,
        tolerance=2.0,
    )
    base.update(kw)
    return traffic_light(**base)


@pytest.mark.parametrize(
    "kw, rag",
    [
        # relative change target -5: -6% met; -4% missed by 1 (<= 2) amber; -2% missed by 3 red
        (dict(target_type="relative_change", target=-5, change=-6), "G"),
        (dict(target_type="relative_change", target=-5, change=-4), "A"),
        (dict(target_type="relative_change", target=-5, change=-2), "R"),
        (dict(target_type="relative_change", target=-5, change=-3), "A"),  # missed by exactly 2
        # higher is better, +12% target, +1% actual: missed by 11 -> red (NI 40)
        (
            dict(polarity="higher_is_better", target_type="relative_change", target=12, change=1),
            "R",
        ),
        # point change -3 on a percentage: +8 pp missed by 11 (NI 41)
        (
            dict(target_type="point_change", target=-3, change=8, change_unit="pp", unit="percent"),
            "R",
        ),
        # level 293 (lower is better): 284 met; 298 missed by 5/293 = 1.7% amber; 300 = 2.4% red
        (dict(target_type="level", target=293, actual=284, unit="count"), "G"),
        (dict(target_type="level", target=293, actual=298, unit="count"), "A"),
        (dict(target_type="level", target=293, actual=300, unit="count"), "R"),
        # level on a percentage, higher is better: 89% vs 90% is 1 point short -> amber
        (
            dict(
                polarity="higher_is_better",
                target_type="level",
                target=90,
                actual=89,
                unit="percent",
            ),
            "A",
        ),
        # no target: direction and significance, amber when not significant
        (dict(change=-10, significant=True), "G"),
        (dict(change=10, significant=True), "R"),
        (dict(change=-10, significant=False), "A"),
        (dict(change=10), ""),  # not tested: a direction alone is no evidence of change
        (dict(change=-10), ""),
        (dict(target_type="tbc", target=None, change=-10, significant=True), ""),
        (dict(change=0), "A"),
        # nothing to judge
        (dict(target_type="relative_change", target=None, change=-3), ""),
        (dict(target_type="relative_change", target=-5, change=None), ""),
        (dict(polarity="none", change=-10, significant=True), ""),
    ],
)
def test_traffic_light_rules(kw, rag):
    light = _light(**kw)
    assert light.rag == rag
    assert light.label  # always a text label
    if rag:
        assert light.label.startswith({"G": "Green", "A": "Amber", "R": "Red"}[rag])


def test_the_shipped_catalogue_has_no_targets():
    from sa_toolkit.indicators.catalogue import CATALOGUE_PATH

    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    assert "target:" not in text and "target_type:" not in text
    assert "target" not in load_catalogue().columns


def test_no_target_labels_say_the_rule():
    assert _light(change=-10, significant=True).label == (
        "Green: better, statistically significant (no target)"
    )
    assert _light(change=10, significant=False).label == (
        "Amber: worse, not statistically significant (no target)"
    )
    assert "significance test" in _light(change=10).label
    assert _light(target_type="tbc", target=None, change=1).label == (
        "no rating: target to be confirmed"
    )


def test_traffic_light_tolerance_is_configurable():
    kw = dict(target_type="relative_change", target=-5, change=-4)
    assert _light(**kw, tolerance=0).rag == "R"
    assert _light(**kw, tolerance=1).rag == "A"
