"""The Word document: structure (python-docx), and that LibreOffice opens it.

A small hand-made executed notebook goes through the same builder as ``sa run``'s; the
demo's own document (from the session pipeline) is checked in test_assessment_demo.py.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from docx import Document
from docx.oxml.ns import qn

from sa_toolkit import charts, demo_data
from sa_toolkit.config import load_config
from sa_toolkit.document import build_document
from sa_toolkit.report_tables import html_table

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f0c8a70000000049454e44ae426082"
)


@dataclass
class Result:
    name: str
    title: str
    status: str = "succeeded"


def _notebook(title: str, figure_title: str, alt: str):
    import pandas as pd

    nb = nbformat.v4.new_notebook()
    findings = nbformat.v4.new_code_cell("")
    findings.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<h2>Key findings</h2><ul><li>Robbery rose 61%.</li></ul>"},
            metadata={"sa_toolkit": {"headline": "Robbery rose 61%."}},
        )
    ]
    table = nbformat.v4.new_code_cell("")
    frame = pd.DataFrame({"Measure": ["Robbery"], "2025/26": [74], "Traffic light": ["R"]})
    table.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": str(html_table(frame, caption="Measures", rag_columns="Traffic light"))
            },
        )
    ]
    figure = nbformat.v4.new_code_cell("")
    figure.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": charts.img_html(PNG, alt, title=figure_title)}
        )
    ]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\nWhat this report covers."),
        nbformat.v4.new_code_cell("area = ''"),
        findings,
        nbformat.v4.new_markdown_cell("## Trends"),
        table,
        figure,
    ]
    return nb


@pytest.fixture
def built(tmp_path, monkeypatch):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "assessment.yml").write_text(
        "partnership: {name: Test Partnership, code: X1}\nassessment: {year: 2025/26}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SA_PROJECT_ROOT", str(tmp_path))
    cfg = load_config(tmp_path / "config" / "assessment.yml")
    folder = tmp_path / "reports" / "2025-26"
    folder.mkdir(parents=True)
    results = []
    for i, title in enumerate(["Overview", "Violent crime", "Youth crime"]):
        name = f"0{i}_{title.lower().replace(' ', '_')}"
        nbformat.write(
            _notebook(title, f"{title} chart title", f"Line chart of {title.lower()} by month"),
            folder / f"{name}.ipynb",
        )
        results.append(Result(name, title))
    results.append(Result("03_broken", "Broken report", status="failed"))
    summary = {
        "plan_year": "2026/27",
        "year": "2025/26",
        "findings": ["Recorded crime rose 10%."],
        "improved": [],
        "worsened": ["Robbery (+61%; significantly worse)"],
        "where": ["Demo Market Cross (24% of recorded crime)"],
        "for_whom": [],
        "recommendations": [
            {
                "key": "violent_crime",
                "name": "Violent crime",
                "recommendation": "keep",
                "reasons": ["Robbery: Red"],
                "set_by": "toolkit",
                "computed": "keep",
            },
        ],  # fmt: skip
        "changes_since_last_year": None,
    }
    path = build_document(
        cfg, folder, results, summary, pending=["Horizon scanning: legal"], demo=True
    )
    return path


def test_document_has_heading_styles_one_heading_1_per_report(built):
    doc = Document(built)
    heading_1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heading_1 == [
        "Summary", "Overview", "Violent crime", "Youth crime", "Broken report",
        "Annex A: performance framework", "Annex B: data sources",
    ]  # fmt: skip
    heading_2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert heading_2.count("Key findings") == 3 and heading_2.count("Trends") == 3
    assert "Recommended priorities for 2026/27" in heading_2
    text = "\n".join(p.text for p in doc.paragraphs)
    assert demo_data.NOTICE in text
    assert "Draft: the analyst's text is still to be written for Horizon scanning: legal." in text
    assert "This report failed in this run" in text
    assert doc.sections[0].footer.paragraphs[0].text == demo_data.FOOTER


def test_figures_and_tables_are_numbered_with_captions_and_alt_text(built):
    doc = Document(built)
    # every text run, including the number inside the caption's SEQ field
    captions = [
        "".join(t.text for t in p._p.iter(qn("w:t")))
        for p in doc.paragraphs
        if p.style.name == "Caption"
    ]
    figures = [c for c in captions if c.startswith("Figure")]
    tables = [c for c in captions if c.startswith("Table")]
    assert figures == [
        "Figure 1: Overview chart title",
        "Figure 2: Violent crime chart title",
        "Figure 3: Youth crime chart title",
    ]
    # the summary's priorities table, then one "Measures" table per report
    assert tables == [
        "Table 1: Recommended priorities for 2026/27",
        "Table 2: Measures",
        "Table 3: Measures",
        "Table 4: Measures",
    ]
    alts = [el.get("descr") for el in doc.element.body.iter(qn("wp:docPr"))]
    assert alts == [
        "Line chart of overview by month",
        "Line chart of violent crime by month",
        "Line chart of youth crime by month",
    ]
    # the report tables: header row repeated on each page, traffic light as text and colour
    measures = doc.tables[1]
    assert [c.text for c in measures.rows[0].cells] == ["Measure", "2025/26", "Traffic light"]
    assert measures.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    red = measures.rows[1].cells[2]
    assert red.text == "Red"
    assert red._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D4351C"


def test_row_headers_are_marked_only_where_the_reports_have_them(built):
    doc = Document(built)

    def look(table):
        element = table._tbl.tblPr.find(qn("w:tblLook"))
        return element.get(qn("w:firstRow")), element.get(qn("w:firstColumn"))

    # a report table names each row in its first column (th scope="row" in the HTML)
    measures = doc.tables[1]
    assert look(measures) == ("1", "1")
    assert measures.rows[1].cells[0].paragraphs[0].runs[0].bold
    assert not measures.rows[1].cells[1].paragraphs[0].runs[0].bold
    headers = {tuple(c.text for c in t.rows[0].cells)[:2]: look(t) for t in doc.tables}
    assert headers[("Priority", "Recommendation")] == ("1", "1")
    # a table whose first column is not a row header (the framework annex's priority
    # group) does not claim one, and one without a header row does not claim that either
    from sa_toolkit.document.writer import AssessmentDocument

    plain = AssessmentDocument()
    grouped = plain.table("Framework", ["Priority", "Indicator"], [["Violence", "Robbery"]])
    bare = plain.table("Values", [], [["1", "2"]], row_headers=True)
    assert look(grouped) == ("1", "0")
    assert not grouped.rows[1].cells[0].paragraphs[0].runs[0].bold
    assert look(bare) == ("0", "1")


def test_libreoffice_opens_the_document(built, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    out = tmp_path / "pdf"
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(out), str(built)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    pdf = out / (Path(built).stem + ".pdf")
    assert pdf.is_file(), proc.stdout + proc.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60
        ).stdout
        assert "Figure 2: Violent crime chart title" in text
        assert "Annex A: performance framework" in text
