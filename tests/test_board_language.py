"""Board language: no ids, file names, command lines, raw codes or unglossed jargon in
anything a reader sees (issue 11 item 3).

Unit tests give each rule of :mod:`sa_toolkit.board_language` examples written by hand
(what it must flag and what it must leave alone); the demo test scans every rendered
report of the session's demo run (the real-data and small-partnership runs are scanned in
``test_real_data.py`` and ``test_small_partnership.py``, which own those runs).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from sa_toolkit import board_language as bl
from sa_toolkit.errors import UserError
from sa_toolkit.report_text import ReaderText


def kinds(text: str) -> list[tuple[str, str]]:
    return bl.token_findings(text)


# ----------------------------------------------------------------------------- one rule each


def test_indicator_ids_are_named_as_ids():
    assert kinds("serious_violence_rate Serious violence rate per 1,000 population") == [
        ("indicator id", "serious_violence_rate")
    ]
    assert kinds("LI1 Personal robbery offences") == [("indicator id", "LI1")]
    assert kinds("Robbery rate per 1,000 population (+60%)") == []


def test_dataset_keys_and_other_snake_case():
    assert kinds("Source: NDTMS partnership extract (treatment_monthly)") == [
        ("dataset key", "treatment_monthly")
    ]
    assert kinds("polarity lower_is_better") == [("snake_case", "lower_is_better")]
    # hyphens and apostrophes are words, not internals
    assert kinds("Re-offending and well-being of 10-17 year olds; residents' views") == []


def test_file_names_and_paths():
    assert kinds("Source: MSG recorded crime (msg/recorded_crime_msg.csv).") == [
        ("path", "msg/recorded_crime_msg.csv")
    ]
    assert kinds("layout in data_log.md") == [("file name", "data_log.md")]
    assert kinds("template in data/templates/crime_incidents.csv") == [
        ("path", "data/templates/crime_incidents.csv")
    ]
    found = kinds("No extract (/tmp/x/data/raw/partner/crime_incidents.csv) was supplied")
    assert found == [("absolute path", "/tmp/x/data/raw/partner/crime_incidents.csv")]
    # numbers with a decimal point, years and rates are not files
    assert kinds("3.5 per 1,000 in 2024/25, e.g. 12.5% of all") == []


def test_command_lines():
    assert kinds("enter baseline and actual with sa framework --values") == [
        ("command line", "sa framework --values")
    ]
    assert kinds("run sa ingest first") == [("command line", "sa ingest")]
    assert kinds("then make test") == [("command line", "make test")]
    assert kinds("Partners make sure the run of data is complete") == []


def test_raw_category_values():
    assert kinds("reported by police/council/housing") == [
        ("raw category", "police/council/housing")
    ]
    assert kinds("victims and/or suspects, n/a, 2024/25, per 1,000 / year") == []


def test_iso_months_in_words():
    assert kinds("not assessed: series break from 2022-04") == [("ISO month", "2022-04")]
    assert kinds("the break of 2022-04-01") == [("ISO month", "2022-04-01")]
    assert kinds("from April 2022 in 2022/23, 2013-14, aged 10-17") == []
    assert bl.month_name("2022-04") == "April 2022"
    assert bl.month_name("2022/23") == "2022/23"


def test_ons_codes_only_in_brackets_after_their_name():
    assert kinds("E05000123") == [("ONS code", "E05000123")]
    assert kinds("E01008745 Sunderland 036C") == [("ONS code", "E01008745")]
    assert kinds("Hendon (E05000123) and Sunderland 036C (E01008745)") == []


def test_ni_codes_only_as_a_reference_after_the_name():
    assert kinds("NI47 People killed or seriously injured in road collisions") == [
        ("NI code first", "NI47")
    ]
    assert kinds("NI 30: Re-offending rate") == [("NI code first", "NI 30")]
    assert kinds("People killed or seriously injured in road collisions (formerly NI 47)") == []
    assert kinds("NI 47") == []  # a reference column's cell
    assert kinds("Residents' survey (NI 1, NI 5 and NI 21 questions)") == []


def test_retired_names_need_the_current_name_first():
    assert kinds("ASBO breach rate") == [("retired name", "ASBO")]
    assert kinds("People killed or seriously injured in road traffic accidents") == [
        ("retired name", "road traffic accidents")
    ]
    assert kinds("Re-offending rate of prolific and priority offenders") == [
        ("retired name", "prolific and priority offenders")
    ]
    assert (
        kinds("Breaches of Criminal Behaviour Orders and civil injunctions (ASBOs before 2014)")
        == []
    )
    assert (
        kinds(
            "The Integrated Offender Management cohort (formerly prolific and priority offenders)"
        )
        == []
    )


def test_an_analysts_message_made_fit_for_a_reader():
    message = (
        "cost_of_crime: no GDP deflator for 2013/14; the series covers 2015/16 to 2025/26 "
        "(sa_toolkit/data/deflators.csv)"
    )
    plain = bl.without_internals(message)
    assert plain == "no GDP deflator for 2013/14; the series covers 2015/16 to 2025/26"
    assert kinds(plain) == []
    kept = "mid-2021 estimate used for 2008/09 (the earliest available)"
    assert bl.without_internals(kept) == kept
    # a function named mid-sentence: the reader gets the plain reason instead
    named = "alcohol_admissions_dsr gave no value for 2024/25"
    assert bl.plain_reason(named) == "the data supplied give no value"
    assert bl.plain_reason(kept) == kept


def test_web_addresses_are_not_scanned():
    assert kinds("Download from https://data.police.uk/data/archive/2024-03.zip today") == []


def test_indicator_names_for_the_board():
    name = bl.indicator_name("NI47", "People killed or seriously injured in road traffic accidents")
    assert name == "People killed or seriously injured in road collisions (formerly NI 47)"
    assert kinds(name) == []
    assert bl.indicator_name("NI33ii", "Deliberate secondary fires per 10,000 population") == (
        "Deliberate secondary fires per 10,000 population (formerly NI 33ii)"
    )
    ppo = bl.indicator_name("NI30", "Re-offending rate of prolific and priority offenders")
    assert ppo.startswith("Re-offending rate of the Integrated Offender Management cohort")
    assert kinds(bl.indicator_name("ASBO_breach", "ASBO breach rate")) == []
    # idempotent: a name already for the board is left as it is
    assert bl.indicator_name("NI47", name) == name
    assert bl.indicator_name("robbery_rate", "Robbery rate") == "Robbery rate"


# ----------------------------------------------------------------------------- glossary


def test_glossary_defines_the_terms_the_issue_names():
    glossary = bl.load_glossary()
    for used in (
        "Byar's method",
        "Kish effective sample sizes",
        "aoristic method",
        "Gini coefficient 0.59",
        "allows for overdispersion",
        "a funnel plot",
        "Wilson interval",
        "directly standardised rate (DSR)",
    ):
        assert any(t.pattern.search(used) for t in glossary), used
    terms = [t.term for t in glossary]
    assert len(terms) == len(set(terms))
    for term in glossary:
        assert len(term.definition) > 40 and term.source.strip(), term.term
        # the glossary speaks board language too
        assert kinds(f"{term.term}. {term.definition} {term.source}") == [], term.term


def test_jargon_needs_its_definition_on_the_same_report():
    byar = next(t for t in bl.load_glossary() if t.term == "Byar's method")
    used = ReaderText("02_youth.html", "p", "Lower and upper: 95% interval (Byar's method).")
    in_figure = ReaderText("figures/02_youth_chart.svg", "figure text", "Gini coefficient 0.4")
    found = bl.scan_texts([used, in_figure])
    unglossed = {f.token for f in found if f.kind == "jargon without gloss"}
    # the figure's term counts against its report; the definitions' own terms too
    assert {"Byar's method", "Gini coefficient", "Confidence interval"} <= unglossed
    notes = [
        ReaderText("02_youth.html", "dd", t.definition)
        for t in bl.terms_used([used.text, in_figure.text])
    ]
    assert bl.scan_texts([used, in_figure, *notes]) == []
    # defined on another report does not count
    other = [ReaderText("03_other.html", "dd", byar.definition)]
    assert any(f.token == "Byar's method" for f in bl.scan_texts([used, *other]))


def test_report_notes_define_every_term_used_and_list_sources():
    import nbformat

    from sa_toolkit import report_notes

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Youth\n\nRates with Byar's method."),
        nbformat.v4.new_code_cell(""),
    ]
    nb.cells[1].outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<p>Kish effective sample size 30. Source: Residents' survey.</p>"},
        )
    ]
    section = report_notes.add_notes(nb, "02_youth")
    report_notes.add_notes(nb, "02_youth")  # a second call replaces the notes
    assert sum(report_notes.NOTES_TAG in c.metadata.get("tags", []) for c in nb.cells) == 1
    assert "<li>Residents&#x27; survey.</li>" in section
    pieces = [ReaderText("02_youth.html", "p", t) for t in report_notes.notebook_texts(nb)]
    shown = html.unescape(re.sub(r"<[^>]+>", " ", section))
    pieces.append(ReaderText("02_youth.html", "notes", shown))
    assert [f for f in bl.scan_texts(pieces) if f.kind == "jargon without gloss"] == []
    assert "<dt>Effective sample size</dt>" in section and "<dt>Byar&#x27;s method</dt>" in section


# ----------------------------------------------------------------------------- pages


def test_run_log_is_the_analysts_page_but_names_indicators_in_words():
    provenance = ReaderText("run_log.html", "td", "police_uk/2025-09/2025-09-x-street.csv")
    command = ReaderText("run_log.html", "p", "enter them with sa framework --values FILE")
    machine = ReaderText("run_log.html", "td", "/home/analyst/data/raw/msg/msg.csv")
    headline = ReaderText("run_log.html", "td", "robbery_rate rose; NI47 People killed")
    found = bl.scan_texts([provenance, command, machine, headline])
    assert [(f.kind, f.token) for f in found] == [
        ("indicator id", "robbery_rate"),
        ("NI code first", "NI47"),
    ]
    # the same words on a report page are leaks
    report = [ReaderText("01_violent_crime.html", p.part, p.text) for p in (provenance, command)]
    assert {f.kind for f in bl.scan_texts(report)} >= {"path", "command line"}


def test_check_board_language_names_kind_and_place(tmp_path):
    (tmp_path / "01_violent_crime.html").write_text(
        "<html><body><p>enter with sa framework --values</p>"
        "<table><tr><td>serious_violence_rate Serious violence</td></tr></table></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "run_log.html").write_text(
        "<html><body><td>msg/recorded_crime_msg.csv</td></body></html>", encoding="utf-8"
    )
    with pytest.raises(UserError) as refused:
        bl.check_board_language(tmp_path, "2025/26")
    message = str(refused.value)
    assert "2025/26 cannot be published" in message
    assert "1 command line" in message and "1 indicator id" in message
    assert "01_violent_crime.html (p)" in message and "01_violent_crime.html (td)" in message
    assert "run_log.html" not in message
    (tmp_path / "01_violent_crime.html").write_text(
        "<html><body><p>Violence rose.</p></body></html>", encoding="utf-8"
    )
    bl.check_board_language(tmp_path)  # clean: no refusal


def test_publish_refuses_reports_that_show_internals(tmp_path, monkeypatch):
    """``sa publish`` refuses, naming where, once the other checks pass."""
    from runner_support import make_project, write_commentary
    from typer.testing import CliRunner

    from sa_toolkit.cli import app

    monkeypatch.delenv("SA_PROJECT_ROOT", raising=False)
    config = make_project(tmp_path, ["good/02_beta.ipynb"])
    write_commentary(tmp_path, "2024-25", ["02_beta"])
    runner = CliRunner()
    assert runner.invoke(app, ["--config", str(config), "run"]).exit_code == 0
    page = tmp_path / "reports" / "2024-25" / "02_beta.html"
    clean = page.read_text(encoding="utf-8")
    page.write_text(
        clean.replace("</body>", "<p>Source: extract (treatment_monthly).</p></body>"),
        encoding="utf-8",
    )
    refused = runner.invoke(app, ["--config", str(config), "publish"])
    assert refused.exit_code == 2
    said = " ".join(refused.output.split())
    assert "cannot be published" in said and "dataset key 'treatment_monthly'" in said
    assert "02_beta.html (p)" in said
    assert not (tmp_path / "reports" / "2024-25" / "PUBLISHED.json").exists()
    page.write_text(clean, encoding="utf-8")
    assert runner.invoke(app, ["--config", str(config), "publish"]).exit_code == 0


# ----------------------------------------------------------------------------- the demo


@pytest.mark.slow
def test_demo_reports_show_no_internals(rendered_reports: Path):
    findings = bl.scan_folder(rendered_reports)
    assert findings == [], bl.describe(findings, limit=40)


@pytest.mark.slow
def test_each_report_has_one_recommendations_heading_and_ends_with_notes(rendered_reports):
    from sa_toolkit.findings import RECOMMENDATIONS_TITLE

    reports = sorted(rendered_reports.glob("[0-9][0-9]_*.html"))
    assert len(reports) == 7
    for page in reports:
        text = page.read_text(encoding="utf-8")
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", text, re.S)
        plain = [re.sub(r"<[^>]+>|¶", "", h).strip() for h in headings]
        assert plain.count(RECOMMENDATIONS_TITLE) == 1, (page.name, plain)
        assert "Implications for the rolling plan" not in text, page.name
        assert plain[-1] == "Notes", (page.name, plain[-3:])
        assert "<h3>Glossary</h3>" in text and "<h3>Sources</h3>" in text, page.name
    manifest = json.loads((rendered_reports / "manifest.json").read_text(encoding="utf-8"))
    assert all(nb["status"] == "succeeded" for nb in manifest["notebooks"])
