"""The disclosure scan: each rule that tells a count from another number, against sentences
written by hand; hidden cells given away by totals; and `sa publish` refusing a folder
that holds a small count, naming where it is."""

from __future__ import annotations

import json

import pytest

from sa_toolkit.disclosure import (
    disclosure_text,
    safe_cell,
    safe_count,
    safe_share,
    share_is_disclosive,
)
from sa_toolkit.disclosure_scan import (
    _NUMBER,
    RULES,
    classify_number,
    scan_report_folder,
    small_counts_in_text,
)
from sa_toolkit.disclosure_tables import small_counts_in_table
from sa_toolkit.errors import UserError
from sa_toolkit.report_text import ReaderTable


def _counts(text: str, threshold: int = 5) -> list[str]:
    return [number for number, kind, _ in small_counts_in_text(text, threshold)]


def _rule(text: str, number: str) -> str | None:
    for match in _NUMBER.finditer(text):
        if match.group(0).strip() == number:
            return classify_number(text, match)
    raise AssertionError(f"{number!r} not read as a number in {text!r}")


# ---- counts are found --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the examples
        ("Gun crime (+600%, 2 to 14)", ["2"]),
        ("South ward: 3 offences", ["3"]),
        ("supply offences were 21% of them (3) in 2025/26", ["3"]),
        ("Employment at the end of probation was 50% (1 of 2)", ["1", "2"]),
        # counts in alt text and chart words
        ("2024/25 to 2025/26: Serious violence 4 to 4; Robbery 12 to 13", ["4", "4"]),
        ("2 people were killed or seriously injured on the roads in 2025", ["2"]),
        ("Primary fires rose from 0 to 1 fires.", ["1"]),
        # a count noun wins over a scoring sentence and over "under"
        ("The score counts 3 offences in the ward", ["3"]),
        ("under 4 victims were recorded", ["4"]),
        ("Of 40 victims, 4 were under 18", ["4"]),  # "Of N" people: still counts
    ],
)
def test_small_counts_are_found(text, expected):
    assert _counts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three victims were under 18 in South ward.", ["Three"]),
        ("There were two robberies of young people in the ward.", ["two"]),
        ("four of them", []),  # no count noun follows
        ("One in three victims was under 25.", []),  # a proportion
        ("one of the victims was injured", []),
        ("two-thirds of offences were at night", []),
        ("Two wards had no offences", []),  # places, not people or events
        ("five offences", []),  # at the threshold: shown
        ("Seven priorities, three actions and nineteen offences", []),
        ("Two fires in May and one arson", ["Two"]),
        ("Four offenders were charged.", ["Four"]),
        # the demo's own prose: units, a definition and a noun used as an adjective
        ("the Home Office cost of one offence at this year's prices", []),
        ("One victim or suspect per recorded incident; ages as recorded.", []),
        ("an online consultation (540 responses) and two youth forums.", []),
    ],
)
def test_small_counts_written_as_words_are_found(text, expected):
    assert _counts(text) == expected
    assert all(
        detail == "written as a word"
        for number, _, detail in small_counts_in_text(text, 5)
        if not number[0].isdigit()
    )


def test_counts_at_or_above_the_threshold_and_zero_are_not_small():
    assert _counts("Robbery rose from 0 to 5 offences; knife crime 12 to 140") == []
    assert _counts("Gun crime rose from 3 to 14", threshold=3) == []
    assert _counts("Gun crime rose from 2 to 14", threshold=3) == ["2"]
    assert _counts("Gun crime rose from 2 to 14", threshold=0) == []


# ---- each rule that says a number is not a count -----------------------------------


@pytest.mark.parametrize(
    ("text", "number", "rule"),
    [
        ("a rate of 1.3 per 1,000", "1.3", "decimal"),
        ("0.5 offences per 1,000 residents", "0.5", "decimal"),
        ("missed by no more than 2% (or 2 percentage points)", "2", "percentage"),
        ("a change of 3 pp", "3", "percentage"),
        ("2 per 1,000 residents", "2", "rate"),
        ("down 3 per month", "3", "rate"),
        ("a change of +3 on the year", "+3", "signed"),
        ("young people aged 10-17", "10", "range"),
        ("population 0–4 and 5-9", "4", "range"),
        ("victims with 2+ crimes in the year", "2", "range"),
        ("adults aged 25 and over; children under 4", "4", "age"),
        ("a 3 year-old child", "3", "age"),
        ("(1 = highest rate)", "1", "key"),
        ("Each dimension scores 1 (low) to 3 (high)", "1", "key"),
        ("Priority 1: reduce violent crime", "1", "label"),
        ("See Figure 2 and Table 3", "2", "label"),
        ("NI 1, NI 5 and NI 21 questions", "1", "label"),
        ("Rank 1 is the highest rate in the group", "1", "label"),
        ("Sunderland 003 had the most offences", "003", "label"),
        ("from 1 April 2025", "1", "date or time"),
        ("open at 1 pm", "1", "date or time"),
        ("between 22:00 and 3:00", "3", "date or time"),
        ("£4 million spent", "4", "magnitude"),
        ("costs £3 each", "3", "money"),
        ("2 times as likely", "2", "times"),
        ("1 ward significantly above it", "1", "not people or events"),
        ("2 names left off the map to avoid overlaps", "2", "not people or events"),
        ("1 of 7 reports rendered", "1", "not people or events"),
        ("covering 3 of 12 months", "3", "not people or events"),
        ("Traffic lights of the 4 rated indicators: 0 green, 4 amber", "4", "not people or events"),
        ("a 2 km grid", "2", "not people or events"),
        ("in the last 3 years", "3", "not people or events"),
        (
            "Of 47 performance indicators in 2025/26, 0 were green; 4 worsened significantly.",
            "4",
            "not people or events",
        ),
        ("Volume scores under 5%: 1; under 15%: 2", "2", "score"),
        ("1. Read the data", "1", "list number"),
    ],
)
def test_each_rule_tells_a_number_from_a_count(text, number, rule):
    assert rule in RULES
    assert _rule(text, number) == rule
    assert number.lstrip("+") not in _counts(text) or rule == "decimal"


def test_a_list_after_a_label_and_the_suppression_band_are_not_counts():
    assert _counts("by Home Office offence code (1, 2, 4.1, 5D)") == []
    assert _counts("<5: a count from 1 to 4, not shown to protect privacy") == []
    assert _counts("a count from 1 to 9, not shown to protect privacy", 10) == []
    # not the band of this threshold, or not a sentence about privacy: counts
    assert _counts("a count from 1 to 3, not shown to protect privacy") == ["1", "3"]
    assert _counts("Gun crime rose from 1 to 4") == ["1", "4"]
    assert _counts("1 to 4 offences were not shown") == ["1", "4"]


def test_ordinals_and_codes_are_not_read_as_numbers_at_all():
    assert _counts("ranked 3rd of 15; cohort 2024Q1; LSOA E01000004; Q4") == []
    assert _counts("in 2025/26 against 2024/25") == []


def test_a_percentage_change_gives_a_hidden_count_away():
    found = small_counts_in_text("Gun crime (+600%, fewer than 5 to 14)", 5)
    assert [(k, d) for _, k, d in found] == [
        ("change from a small number", "the percentage change gives the hidden count away: about 2")
    ]
    found = small_counts_in_text("Gun crime fell from 14 to fewer than 5 offences (-79%)", 5)
    assert "about 3" in found[0][2]  # 14 x 0.21 = 2.94
    # written by the rule, without the percentage, nothing is given away
    assert small_counts_in_text("Gun crime rose from fewer than 5 to 14 offences", 5) == []


def test_a_share_of_them_gives_a_small_count_away():
    found = small_counts_in_text(
        "Drug offences rose to 14 offences; supply offences were 21% of them.", 5
    )
    assert [(n, k) for n, k, _ in found] == [("21% of them", "share of a small number")]
    assert "about 3" in found[0][2]  # 14 x 21% = 2.94
    # what is left can be small too: 95% of 40 leaves 2
    assert small_counts_in_text("40 victims; 95% of them were women.", 5)[0][1] == (
        "share of a small number"
    )
    # a share that gives nothing small away is not reported
    assert small_counts_in_text("Drug offences: 140 offences; 21% of them were supply.", 5) == []


# ---- tables ------------------------------------------------------------------------


def _table(header, *rows, part="table 1"):
    return ReaderTable("report.html", part, tuple(header), tuple(tuple(r) for r in rows))


def test_table_cells_are_counts_unless_their_header_says_otherwise():
    table = _table(
        ("Ward", "Offences", "Rate per 1,000", "Share (%)", "Rank", "Score"),
        ("North", "3", "2", "4", "1", "2"),
        ("South", "120", "14.2", "40", "2", "3"),
    )
    found = small_counts_in_table(table, 5)
    # Rank and Score are scores, rate and share not counts; the table has a Score column,
    # so only a column that names a count (Offences) holds counts
    assert [(f.number, f.part.split("column ")[1]) for f in found] == [("3", "'Offences'")]
    assert "row 'North'" in found[0].part


def test_a_score_out_of_its_scale_is_not_a_count():
    table = _table(("Category", "Score", "Priority"), ("Drugs", "1 of 3", "Low"))
    assert small_counts_in_table(table, 5) == []


def test_the_unit_column_and_the_row_name_decide_in_a_framework_table():
    table = _table(
        ("indicator_id", "name", "baseline", "actual", "unit"),
        ("LI1", "Personal robbery offences", "12", "3", "count"),
        ("NI16", "Serious acquisitive crime rate per 1,000", "2", "3", "rate_per_1000"),
    )
    found = small_counts_in_table(table, 5)
    assert [(f.number, f.part.split("column ")[1]) for f in found] == [("3", "'actual'")]


def test_words_in_cells_are_read_with_the_text_rules_and_the_first_column_is_a_name():
    table = _table(
        ("Incidents at the location", "Locations", "Measure"),
        ("1", "350", "Gun crime (+600%, 2 to 14)"),
    )
    found = small_counts_in_table(table, 5)
    assert [(f.number, f.text) for f in found] == [("2", "Gun crime (+600%, 2 to 14)")]


def test_a_total_row_gives_away_the_one_hidden_part():
    # hand-worked: 13 - 10 = 3 possession... supply hidden alone under a shown total
    table = _table(
        ("Offence", "2024/25", "2025/26", "Change"),
        ("Possession", "10", "11", "+10.0%"),
        ("Supply", "<5", "<5", "[c]"),
        ("All drug offences", "13", "14", "+7.7%"),
    )
    found = [f for f in small_counts_in_table(table, 5) if f.kind == "derivable from the total"]
    assert [(f.number, f.part) for f in found] == [
        ("3", "table 1, column '2024/25'"),
        ("3", "table 1, column '2025/26'"),
    ]
    # with the secondary suppression disclosure.suppress_counts applies, nothing is left
    protected = _table(
        ("Offence", "2024/25"), ("Possession", "[c]"), ("Supply", "<5"), ("All drug offences", "13")
    )
    assert small_counts_in_table(protected, 5) == []


def test_a_total_column_gives_away_the_one_hidden_part():
    table = _table(
        ("Category", "Police", "Council", "Housing", "Total"),
        ("Nuisance", "40", "<5", "12", "54"),  # 54 - 40 - 12 = 2
        ("Personal", "30", "<5", "[c]", "41"),  # two hidden: safe
        ("Environmental", "<5", "20", "9", "60"),  # 60 - 29 = 31: not the small part itself
    )
    found = [f for f in small_counts_in_table(table, 5) if f.kind == "derivable from the total"]
    assert [(f.number, f.part) for f in found] == [("2", "table 1, row 'Nuisance'")]


# ---- the one rule used by the sentence builders -------------------------------------


def test_safe_count_and_safe_share():
    assert [safe_count(n, 5) for n in (0, 1, 4, 5, 1234)] == [
        "0",
        "fewer than 5",
        "fewer than 5",
        "5",
        "1,234",
    ]
    assert safe_count(3, 0) == "3"  # no suppression
    assert [safe_cell(n, 5) for n in (0, 3, 12)] == ["0", "<5", "12"]
    # the rule in plain words, for the reports' notes, holds no small count itself
    for threshold in (3, 5, 10):
        assert small_counts_in_text(disclosure_text(threshold), threshold) == []
    assert share_is_disclosive(1, 2, 5)  # 50% (1 of 2)
    assert share_is_disclosive(3, 14, 5)  # a small part
    assert share_is_disclosive(38, 40, 5)  # a small remainder
    assert not share_is_disclosive(0, 40, 5)
    assert safe_share(10, 40, 5) == 25.0
    assert safe_share(1, 2, 5) is None


def test_sentences_say_fewer_than_and_drop_the_percentage():
    from sa_toolkit.findings import change_sentence, share_sentence

    text = change_sentence("Gun crime", 2, 14, threshold=5, significant=True)
    assert text == (
        "Gun crime rose from fewer than 5 to 14 offences; the rise is statistically significant."
    )
    assert _counts(text) == [] and "%" not in text
    assert change_sentence("Gun crime", 1, 3, threshold=5) == (
        "Gun crime was fewer than 5 offences in both years."
    )
    assert change_sentence("Gun crime", 20, 14, threshold=5) == (
        "Gun crime fell 30% (20 to 14 offences)."
    )
    assert share_sentence("Supply", 3, "drug offences", 14, threshold=5) == (
        "Supply accounted for fewer than 5 of drug offences (14 offences in all)."
    )


# ---- a report folder and `sa publish` -----------------------------------------------

PAGE = """<html><body><h1>Violent crime</h1>
<ul class="sa-implications"><li>Worsened significantly: Gun crime (+600%, 2 to 14).</li></ul>
<p>Rank 1 is the highest rate; 3 wards are above the average (2.5 per 1,000).</p>
<img src="x.png" alt="Bar chart: South ward 3 offences">
</body></html>"""


def test_scan_of_a_folder_names_file_part_and_sentence(tmp_path):
    (tmp_path / "01_violent_crime.html").write_text(PAGE, encoding="utf-8")
    found = scan_report_folder(tmp_path, 5)
    assert [(f.file, f.part, f.number) for f in found] == [
        ("01_violent_crime.html", "alt", "3"),
        ("01_violent_crime.html", "li", "2"),
    ]
    assert found[1].text == "Worsened significantly: Gun crime (+600%, 2 to 14)."


def test_sa_publish_refuses_a_folder_with_a_small_count_and_says_where(tmp_path, monkeypatch):
    from sa_toolkit.config import load_config
    from sa_toolkit.runner import publish_year

    monkeypatch.setenv("SA_PROJECT_ROOT", str(tmp_path))
    config = tmp_path / "assessment.yml"
    config.write_text(
        "partnership: {name: Test CSP, code: X22000099}\nassessment: {year: 2025-26}\n",
        encoding="utf-8",
    )
    cfg = load_config(config)
    folder = cfg.report_dir
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps({"notebooks": [{"name": "01_violent_crime", "status": "succeeded"}]}),
        encoding="utf-8",
    )
    (folder / "01_violent_crime.html").write_text(PAGE, encoding="utf-8")
    with pytest.raises(UserError) as refused:
        publish_year(cfg)
    message = str(refused.value)
    assert "2025/26 cannot be published" in message
    assert "01_violent_crime.html (li)" in message
    assert "Gun crime (+600%, 2 to 14)" in message
    assert "01_violent_crime.html (alt)" in message
    assert not (folder / "PUBLISHED.json").exists()
    # once the count is written by the rule, the year publishes
    fixed = PAGE.replace("+600%, 2 to 14", "from fewer than 5 to 14").replace(
        "3 offences", "few offences"
    )
    (folder / "01_violent_crime.html").write_text(fixed, encoding="utf-8")
    # this hand-made page has no notes to gloss its terms: the board-language check is
    # tested on its own (tests/test_board_language.py)
    monkeypatch.setattr("sa_toolkit.board_language.check_board_language", lambda *a, **k: None)
    assert publish_year(cfg).name == "PUBLISHED.json"


@pytest.mark.slow
def test_no_small_count_in_any_text_of_the_demo_assessment(rendered_reports):
    from sa_toolkit.config import load_config

    threshold = load_config(rendered_reports.parents[1] / "config" / "assessment.yml")
    found = scan_report_folder(rendered_reports, threshold.suppression_threshold)
    assert found == [], "\n".join(f.message() for f in found[:30])


def test_the_glossary_reads_as_no_small_count():
    """Every report's notes carry glossary entries: their words must pass the disclosure check
    at any threshold a partnership may set (a ratio 'above 1' or a journal's '19(2)' did not)."""
    from sa_toolkit.board_language import load_glossary
    from sa_toolkit.disclosure_scan import small_counts_in_text

    for term in load_glossary():
        for text in (term.definition, term.source):
            assert small_counts_in_text(text, 10) == [], (term.term, text)


def test_the_run_log_is_the_analysts_page_and_is_not_scanned(tmp_path):
    (tmp_path / "run_log.html").write_text(
        "<p>2 dataset(s) were not supplied.</p><table><tr><th>Features</th></tr>"
        "<tr><td>2</td></tr></table>",
        encoding="utf-8",
    )
    (tmp_path / "01_violent_crime.html").write_text(
        "<p>South ward: 3 offences.</p>", encoding="utf-8"
    )
    found = scan_report_folder(tmp_path, 5)
    assert [(f.file, f.number) for f in found] == [("01_violent_crime.html", "3")]
