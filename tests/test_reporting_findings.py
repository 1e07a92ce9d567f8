"""Findings sentences and report tables against hand-written expected text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sa_toolkit import findings as f
from sa_toolkit.disclosure import DisclosureError
from sa_toolkit.errors import ArgumentError
from sa_toolkit.report_tables import RAG_CHIP, html_table, rag_chip

# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234, 0, "1,234"),
        (1234567.891, 2, "1,234,567.89"),
        (0.5, 0, "1"),  # half away from zero, not to even
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (-0.04, 1, "0.0"),  # no "-0.0"
        (12.25, 1, "12.3"),
    ],
)
def test_format_number(value, decimals, expected):
    assert f.format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("percent", "expected"), [(-5, "-5%"), (3.2, "+3%"), (0, "0%"), (0.04, "0%"), (-0.4, "-0.4%")]
)
def test_format_signed_percent(percent, expected):
    assert f.format_signed_percent(percent) == expected


def test_percent_change_and_ordinal():
    assert f.percent_change(830, 724) == pytest.approx(-12.771084, rel=1e-6)
    assert f.percent_change(0, 5) is None
    assert [f.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


# ----------------------------------------------------------------------------- sentences


def test_change_sentence_fall_better_than_target_significant():
    # (724 - 830) / 830 = -12.77% -> "13%"; -12.77 < -5 so better than the target.
    assert (
        f.change_sentence("Knife crime", 830, 724, target=-5, significant=True)
        == "Knife crime fell 13% (830 to 724 offences), better than the -5% target; "
        "the fall is statistically significant."
    )


def test_change_sentence_rise_missing_target_not_significant():
    # 1,200 -> 1,260 is +5.0%: worse than a -3% target.
    assert (
        f.change_sentence("Robbery", 1200, 1260, target=-3, significant=False)
        == "Robbery rose 5% (1,200 to 1,260 offences), missing the -3% target; "
        "the rise is not statistically significant."
    )


def test_change_sentence_meeting_target_at_shown_precision():
    # 1,000 -> 950 is exactly -5%.
    assert (
        f.change_sentence("Burglary", 1000, 950, target=-5)
        == "Burglary fell 5% (1,000 to 950 offences), meeting the -5% target."
    )


def test_change_sentence_no_change_and_zero_baseline():
    assert (
        f.change_sentence("Gun crime", 12, 12, significant=False)
        == "Gun crime did not change (12 offences)."
    )
    assert f.change_sentence("Gun crime", 0, 4) == "Gun crime rose from 0 to 4 offences."


def test_change_sentence_rate_with_decimals_and_higher_is_better():
    # 72.4 -> 75.1 is +3.73% -> "4%"; higher is better, target +2% -> better.
    assert (
        f.change_sentence(
            "The share feeling safe after dark",
            72.4,
            75.1,
            unit="per cent",
            decimals=1,
            target=2,
            lower_is_better=False,
            significant=True,
        )
        == "The share feeling safe after dark rose 4% (72.4 to 75.1 per cent), better than "
        "the +2% target; the rise is statistically significant."
    )
    # Under 1%: one decimal. 2,000 -> 2,013 is +0.65%.
    assert (
        f.change_sentence("The violence rate", 2000, 2013, unit="")
        == "The violence rate rose 0.7% (2,000 to 2,013)."
    )


def test_change_sentence_refuses_bad_numbers():
    with pytest.raises(ArgumentError, match="before"):
        f.change_sentence("X", float("nan"), 3)
    with pytest.raises(ArgumentError, match="subject"):
        f.change_sentence("", 1, 3)


def test_share_concentration_and_rank_sentences():
    # 1,234 / 3,980 = 31.0%.
    assert (
        f.share_sentence("Domestic abuse", 1234, "violence", 3980)
        == "Domestic abuse accounted for 31% of violence (1,234 of 3,980 offences)."
    )
    # 22 of 180 LSOAs = 12.2%.
    assert (
        f.concentration_sentence(22 / 180, 180)
        == "Half of offences happened in 12% of LSOAs (22 of 180)."
    )
    assert (
        f.rank_sentence("Demo Borough", 3, 15, subject="robbery")
        == "Demo Borough ranked 3rd of 15 in its Most Similar Group for robbery "
        "(1 = highest rate)."
    )
    with pytest.raises(ArgumentError):
        f.rank_sentence("X", 16, 15, subject="robbery")


# ----------------------------------------------------------------------------- blocks


def test_key_findings_block_escapes_and_limits():
    block = f.key_findings(["Knife crime fell 13% (830 to 724 offences).", "A < B & C"])
    assert block._repr_html_() == str(block)
    assert "<h2" in block and ">Key findings</h2>" in block
    assert re.findall(r"<li>(.*?)</li>", block) == [
        "Knife crime fell 13% (830 to 724 offences).",
        "A &lt; B &amp; C",
    ]
    with pytest.raises(ArgumentError, match="1 to 6"):
        f.key_findings([f"Finding {i}." for i in range(7)])
    with pytest.raises(ArgumentError):
        f.key_findings([])


def test_show_key_findings_marks_headline(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, metadata=None: shown.append(metadata)
    )
    # nothing is returned, so a call on a cell's last line is not displayed a second time
    assert f.show_key_findings(["Violence rose 9%.", "Robbery fell 4%."]) is None
    assert shown == [{"sa_toolkit": {"headline": "Violence rose 9%."}}]


def test_implications_block():
    block = f.implications(
        worsened=["Robbery (+21%)"],
        missed_target=["Knife crime (target -5%, actual +3%)", "Domestic abuse repeat rate"],
        places=["Central ward (14% of offences)"],
        times=["Friday and Saturday, 22:00 to 03:00"],
    )
    # one heading, and each line a recommendation followed by what it rests on
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", block) == ["Recommendations for the rolling plan"]
    assert re.findall(r"<li>(.*?)</li>", block) == [
        "Make reversing these rises a priority of the plan; each worsened by more than chance "
        "would explain: Robbery (+21%).",
        "Review the actions behind the targets not met: Knife crime (target -5%, actual +3%); "
        "Domestic abuse repeat rate.",
        "Focus resources on the places where the problem concentrates: Central ward (14% of "
        "offences).",
        "Plan patrols and services for the times when it peaks: Friday and Saturday, 22:00 to "
        "03:00.",
    ]
    quiet = f.implications()
    assert re.findall(r"<li>(.*?)</li>", quiet) == [
        "Keep the current actions and watch for change: no indicator worsened by more than "
        "chance would explain or missed its target."
    ]
    # nothing could be compared: no claim that nothing worsened
    unknown = f.implications(compared=False, places=["Central ward (14% of offences)"])
    assert re.findall(r"<li>(.*?)</li>", unknown) == [
        "Review the current actions once the missing data are supplied: nothing in this report "
        "could be compared with an earlier year or with a target, so whether anything worsened "
        "is not known.",
        "Focus resources on the places where the problem concentrates: Central ward (14% of "
        "offences).",
    ]
    # what worsened was compared, whatever the caller says
    assert "Robbery (+21%)" in f.implications(worsened=["Robbery (+21%)"], compared=False)
    assert "not known" not in f.implications(worsened=["Robbery (+21%)"], compared=False)


def test_a_framework_row_counts_as_assessed_when_tested_or_rated_against_a_target():
    import pandas as pd

    from sa_toolkit.analysis.priority_framework import assessed_indicators

    frame = pd.DataFrame(
        {
            "significant": ["yes", "no", "", "", ""],
            "target_type": ["none", "none", "reduction", "reduction", "none"],
            "rag": ["R", "G", "A", "", "G"],
        }
    )
    # tested (2), rated against a target (1); untested and unrated (2) are not
    assert assessed_indicators(frame) == 3
    assert assessed_indicators(frame.iloc[3:]) == 0
    assert assessed_indicators(frame.iloc[:0]) == 0
    assert assessed_indicators(None) == 0


# ----------------------------------------------------------------------------- tables


def _relative_luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("label", list(RAG_CHIP))
def test_rag_chip_text_contrast_meets_wcag_aa(label):
    background, text = RAG_CHIP[label]
    light, dark = sorted([_relative_luminance(background), _relative_luminance(text)])[::-1]
    assert (light + 0.05) / (dark + 0.05) >= 4.5


def test_rag_chip_always_has_text_label():
    assert ">Red</span>" in rag_chip("R")
    assert ">Amber</span>" in rag_chip("amber")
    assert ">Not rated</span>" in rag_chip(None)


def test_html_table_framework_rows():
    frame = pd.DataFrame(
        {
            "indicator": ["Knife crime", "Robbery"],
            "baseline": [830, 1200],
            "actual": [724, np.nan],
            "change_pct": [-12.77, np.nan],
            "traffic_light": ["Green", None],
        }
    )
    table = html_table(
        frame,
        caption="Performance framework, Demo Borough, 2025/26",
        rag_columns="traffic_light",
        formats={"change_pct": "{:+.1f}%"},
        headers={"change_pct": "Change"},
        notes="<5: fewer than 5.",
    )
    assert "<caption" in table and "Performance framework, Demo Borough, 2025/26</caption>" in table
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    assert headers == ["Indicator", "Baseline", "Actual", "Change", "Traffic light"]
    # the first column is the row header: a screen reader reads "Knife crime" with each value
    assert re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table) == ["Knife crime", "Robbery"]
    body = table.split("<tbody>", 1)[1]
    cells = re.findall(r"<t[dh][ >][^>]*>(.*?)</t[dh]>", body.replace("<td>", "<td >"))
    assert [re.sub(r"<[^>]+>", "", c) for c in cells] == [
        "Knife crime",
        "830",
        "724.0",
        "-12.8%",
        "Green",
        "Robbery",
        "1,200",
        "n/a",
        "n/a",
        "Not rated",
    ]
    assert "background:#00703C" in table
    assert "&lt;5: fewer than 5." in table


def test_html_table_index_handling_and_suppressed_cells_right_aligned():
    frame = pd.DataFrame({"offences": [120, "<5", "[c]"]}, index=["A", "B", "C"])
    table = html_table(frame, caption="Offences by ward")
    # unnamed index dropped: the one column is both the column and the row header
    assert re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table) == ["Offences"]
    assert table.count("text-align:right") == 4
    # A suppressed table's display (all text) is still aligned as numbers.
    shown = pd.DataFrame({"ward": ["x", "y"], "n": ["1,234", "<5"], "pct": ["+3%", "[c]"]})
    assert html_table(shown, caption="x").count("text-align:right") == 6
    named = frame.rename_axis("ward")
    # a named index is the first column, and so the row headers
    assert re.findall(r'<th scope="row"[^>]*>(.*?)</th>', html_table(named, caption="x")) == [
        "A",
        "B",
        "C",
    ]
    assert re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html_table(named, caption="x")) == [
        "Ward",
        "Offences",
    ]


def test_html_table_refuses_identifiers_listings_and_missing_caption():
    with pytest.raises(DisclosureError, match="crime_id"):
        html_table(pd.DataFrame({"crime_id": ["a"], "n": [1]}), caption="x")
    with pytest.raises(ArgumentError, match="listing"):
        html_table(pd.DataFrame({"n": range(10)}), caption="x", max_rows=5)
    with pytest.raises(ArgumentError, match="caption"):
        html_table(pd.DataFrame({"n": [1]}), caption=" ")


def test_report_css_ships_and_fetches_nothing():
    from importlib.resources import files

    css = (files("sa_toolkit") / "templates" / "report.css").read_text()
    assert ".sa-rag" in css and ".sa-table" in css
    assert not re.search(r"url\(|@import|https?:", css)


def test_a_table_of_changes_counts_as_compared_only_with_a_row_of_both_years():
    import pandas as pd

    from sa_toolkit.analysis.priority_framework import compared_rows

    nan = float("nan")
    assert compared_rows(pd.DataFrame({"before": [nan, 40.0], "after": [12155, 38]}))
    # real data with no year before: a count this year is not a comparison
    assert not compared_rows(pd.DataFrame({"before": [nan, nan], "after": [12155, 12155]}))
    assert not compared_rows(pd.DataFrame(columns=["before", "after"]))
    assert not compared_rows(pd.DataFrame({"after": [3]}))
    assert not compared_rows(None)
