"""The reader-visible text of a report folder, read from hand-made files of each kind."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from docx import Document  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from sa_toolkit import charts  # noqa: E402
from sa_toolkit.report_text import reader_texts  # noqa: E402

PAGE = """<html><head><title>Youth crime</title><style>p{color:red}</style></head><body>
<script>var hidden = "3 victims";</script>
<h2>Key findings</h2>
<p>Robbery of young people rose <b>12%</b>.</p>
<img src="figures/a.png" alt="Bar chart of victims by ward">
<table><tr><th>Ward</th><td>North</td></tr></table>
<ul><li>Keep violence as a priority <p>because it rose</p></li></ul>
<div>Loose words outside any block</div>
</body></html>"""


def _texts(folder):
    return {(t.file, t.part, t.text) for t in reader_texts(folder)}


def test_html_text_alt_and_title_are_read_and_scripts_are_not(tmp_path):
    (tmp_path / "report.html").write_text(PAGE, encoding="utf-8")
    texts = _texts(tmp_path)
    assert ("report.html", "page title", "Youth crime") in texts
    assert ("report.html", "p", "Robbery of young people rose 12% .") in texts
    assert ("report.html", "alt", "Bar chart of victims by ward") in texts
    assert ("report.html", "td", "North") in texts
    assert ("report.html", "text", "Loose words outside any block") in texts
    assert ("report.html", "li", "Keep violence as a priority") in texts
    assert ("report.html", "p", "because it rose") in texts
    assert not any("3 victims" in t[2] or "color" in t[2] for t in texts)


def test_words_drawn_in_a_chart_are_read_from_its_svg(tmp_path):
    charts.use_house_style()
    fig, ax = plt.subplots()
    ax.bar(["North ward", "South ward"], [40, 3])
    ax.annotate("South ward: 3 offences", (1, 3))
    ax.set_title("Violence is highest in North ward")
    fig.savefig(tmp_path / "chart.svg", format="svg")
    plt.close(fig)
    drawn = [t.text for t in reader_texts(tmp_path) if t.part == "figure text"]
    assert "South ward: 3 offences" in drawn
    assert "Violence is highest in North ward" in drawn


def test_a_chart_text_wrapped_over_lines_is_read_as_one_sentence(tmp_path):
    charts.use_house_style()
    fig, ax = plt.subplots()
    ax.set_title("Violence was significantly above the partnership rate in 4\nLSOAs")
    fig.savefig(tmp_path / "chart.svg", format="svg")
    plt.close(fig)
    drawn = [t.text for t in reader_texts(tmp_path) if t.part == "figure text"]
    assert "Violence was significantly above the partnership rate in 4 LSOAs" in drawn
    assert not any(t.endswith("rate in 4") for t in drawn)


def test_word_paragraphs_cells_and_picture_descriptions_are_read(tmp_path):
    document = Document()
    document.add_heading("Anti-social behaviour", level=1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Ward"
    table.cell(0, 1).text = "Incidents"
    picture = tmp_path / "p.png"
    fig, ax = plt.subplots(figsize=(1, 1))
    fig.savefig(picture)
    plt.close(fig)
    document.add_picture(str(picture))
    document.inline_shapes[0]._inline.docPr.set("descr", "Map of incidents & calls")
    document.save(tmp_path / "assessment.docx")
    picture.unlink()
    texts = _texts(tmp_path)
    assert ("assessment.docx", "paragraph", "Anti-social behaviour") in texts
    assert ("assessment.docx", "table 1 cell", "Incidents") in texts
    assert ("assessment.docx", "picture description", "Map of incidents & calls") in texts


def test_every_cell_and_sheet_name_of_a_workbook_is_read(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Framework"
    sheet["B4"] = 26.26
    sheet["A1"] = "Performance framework"
    book.save(tmp_path / "framework.xlsx")
    texts = _texts(tmp_path)
    assert ("framework.xlsx", "sheet name", "Framework") in texts
    assert ("framework.xlsx", "Framework!B4", "26.26") in texts
    assert ("framework.xlsx", "Framework!A1", "Performance framework") in texts


def test_machine_files_are_not_read(tmp_path):
    (tmp_path / "manifest.json").write_text('{"count": 3}', encoding="utf-8")
    (tmp_path / "report.ipynb").write_text("{}", encoding="utf-8")
    assert reader_texts(tmp_path) == []


def test_tables_are_read_whole_with_their_headers(tmp_path):
    from sa_toolkit.report_text import reader_tables

    (tmp_path / "report.html").write_text(
        "<table><caption>Offences by ward</caption><thead><tr><th>Ward</th><th>Offences</th>"
        "</tr></thead><tbody><tr><th>North</th><td>&lt;5</td></tr><tr><th>South</th><td>40</td>"
        "</tr></tbody></table>",
        encoding="utf-8",
    )
    book = Workbook()
    sheet = book.active
    sheet.title = "Framework"
    sheet.append(["Performance framework, 2025/26"])  # a title above the header
    sheet.append(["Indicator", "Unit", "Actual"])
    sheet.append(["Robbery", "Number", 3.0])
    book.save(tmp_path / "framework.xlsx")
    tables = {t.file: t for t in reader_tables(tmp_path)}
    html = tables["report.html"]
    assert html.part == "table 1: Offences by ward"
    assert html.header == ("Ward", "Offences")
    assert html.rows == (("North", "<5"), ("South", "40"))
    sheet_table = tables["framework.xlsx"]
    assert sheet_table.header == ("Indicator", "Unit", "Actual")
    assert ("Robbery", "Number", "3") in sheet_table.rows  # 3.0 shown as Excel shows it
    assert ("Performance framework, 2025/26", "", "") in sheet_table.rows


def test_axis_ticks_are_told_from_words_written_on_a_chart(tmp_path):
    charts.use_house_style()
    fig, ax = plt.subplots()
    ax.bar(["North", "South"], [40, 3])
    ax.annotate("3", (1, 3))
    fig.savefig(tmp_path / "chart.svg", format="svg")
    plt.close(fig)
    parts = {(t.part, t.text) for t in reader_texts(tmp_path)}
    assert ("axis tick", "North") in parts and ("axis tick", "40") in parts
    assert ("figure text", "3") in parts
