"""The Word document's tables, written as one WordprocessingML string, are the tables
python-docx's own per-cell calls wrote (the way AssessmentDocument.table wrote them
before): compared element by element, canonicalised, on awkward inputs."""

from __future__ import annotations

import pytest
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from sa_toolkit.document.writer import RAG_FILL, AssessmentDocument


def reference_table(doc, caption, header, rows, rag_col=None, row_headers=False):
    """The table as python-docx's API writes it, cell by cell (the independent reference)."""
    doc.tables += 1
    doc._caption("Table", doc.tables, caption)
    width = max([len(header)] + [len(r) for r in rows]) if (header or rows) else 1
    grid = ([header] if header else []) + [list(r) for r in rows]
    table = doc.doc.add_table(rows=len(grid), cols=width)
    table.style = doc.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    size = Pt(11 if width <= 3 else 9.5 if width <= 6 else 8)

    def shade(cell, fill):
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)

    for r, values in enumerate(grid):
        row = table.rows[r]
        for i, text in enumerate(values[:width]):
            cell = row.cells[i]
            run = cell.paragraphs[0].add_run(text)
            run.font.size = size
            label = text.strip()
            if header and r == 0:
                run.bold = True
                shade(cell, "F3F2F1")
            elif row_headers and i == 0:
                run.bold = True
            elif label in RAG_FILL and (rag_col is None or i == rag_col):
                fill, colour = RAG_FILL[label]
                shade(cell, fill)
                run.font.color.rgb = RGBColor.from_string(colour)
                run.bold = True
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstRow"), "1" if header else "0")
    look.set(qn("w:firstColumn"), "1" if row_headers else "0")
    del look.attrib[qn("w:val")]
    if header:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(flag)
    doc.doc.add_paragraph()
    return table


AWKWARD = [
    "Fish & chips <shop>",
    " \"quoted\" and 'single' ",
    "  leading",
    "trailing  ",
    "a\tb",
    "\tstarts with a tab",
    "line one\nline two",
    "crlf\r\nend",
    "\n",
    "",
    " ",
    "\xa0non-breaking\xa0",
    "£1,000 – £2,000 (≥ 5%)",
    "x > y && z < w; ]]>",
]

CASES = {
    "escaping, spaces, tabs and breaks, 4 columns": (
        ["Measure & <type>", ' "Quoted" ', "Value's", "Traffic light"],
        [AWKWARD[i : i + 4] for i in range(0, len(AWKWARD), 4)],
        {},
    ),
    "one column": (["Only"], [["a"], [" b "], ["Red"], ["c\td"]], {}),
    "eight columns, short rows and a short header": (
        ["A", "B", "C"],
        [[str(i) for i in range(8)], ["x"], [], ["1", "2", "3", "4", "5"]],
        {},
    ),
    "traffic lights in any column": (
        ["Measure", "Last year", "This year", "Traffic light"],
        [
            ["Red", "Green", " Amber ", "Not rated"],
            ["red", "GREEN", "Amber.", "Not  rated"],
            ["Robbery", "1", "2", "Green"],
        ],
        {},
    ),
    "traffic lights in one column": (
        ["Measure", "Last year", "Traffic light"],
        [["Red", "Green", "Amber"], ["Robbery", "Not rated", " Red "], ["Green", "", ""]],
        {"rag_col": 2},
    ),
    "row headers": (
        ["Priority", "Recommendation", "Traffic light"],
        [["Violence", "Keep", "Red"], ["Red", "Green", "Amber"], ["", "x", "Green"]],
        {"row_headers": True},
    ),
    "row headers and no header row": ([], [["Red", "2", "Green"], ["b"]], {"row_headers": True}),
    "no header row": ([], [["1", "Red"], ["Amber", " & "]], {}),
    "header row only": (["A", "B", "C", "D", "E", "F", "G"], [], {}),
    "nothing": ([], [], {}),
}


def body_xml(doc: AssessmentDocument, method: str = "c14n") -> list[bytes]:
    """Every element of the document's body, serialised (c14n: canonical)."""
    return [etree.tostring(el, method=method) for el in doc.doc.element.body]


def build(writer, cases=CASES):
    doc = AssessmentDocument()
    doc.paragraph("Before the tables")
    for caption, (header, rows, options) in cases.items():
        writer(doc, caption, header, rows, **options)
        doc.paragraph("Between the tables")
    return doc


@pytest.mark.parametrize("case", list(CASES))
def test_each_table_is_the_one_python_docx_wrote(case):
    ours = build(AssessmentDocument.table, {case: CASES[case]})
    reference = build(reference_table, {case: CASES[case]})
    assert body_xml(ours) == body_xml(reference)


def test_all_tables_in_one_document_are_written_as_python_docx_wrote_them():
    ours, reference = build(AssessmentDocument.table), build(reference_table)
    # caption, table, the empty paragraph after it, in place (before the final w:sectPr)
    assert body_xml(ours) == body_xml(reference)
    # and as the document saves them: attribute order and namespace declarations too
    assert body_xml(ours, "xml") == body_xml(reference, "xml")
    assert len(ours.doc.tables) == len(CASES)


def test_the_comparison_sees_a_dropped_bold_or_shading():
    reference = build(reference_table)
    expected = body_xml(reference)
    for tag in ("w:b", "w:shd", "w:color", "w:tblHeader", "w:br", "w:tab"):
        changed = build(reference_table)
        element = next(changed.doc.element.body.iter(qn(tag)))
        element.getparent().remove(element)
        assert body_xml(changed) != expected, tag
    changed = build(reference_table)
    t = next(el for el in changed.doc.element.body.iter(qn("w:t")) if el.text == "  leading")
    t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space")
    assert body_xml(changed) != expected


def test_the_table_returned_is_python_docx_s():
    doc = AssessmentDocument()
    table = doc.table(
        "Measures", ["Measure", "Traffic light"], [["Robbery", "Red"], ["a\tb"]], rag_col=1
    )
    assert isinstance(table, Table)
    assert table._tbl is doc.doc.tables[0]._tbl
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Measure", "Traffic light"],
        ["Robbery", "Red"],
        ["a\tb", ""],
    ]
    red = table.rows[1].cells[1]
    run = Paragraph(red._tc.find(qn("w:p")), red).runs[0]
    assert run.bold and run.font.size == Pt(11)
    assert run.font.color.rgb == RGBColor.from_string("FFFFFF")
    assert table.style.name == "Table Grid"
    assert table.alignment == WD_TABLE_ALIGNMENT.LEFT
    # the body ends with the section's properties, after the table's empty paragraph
    assert doc.doc.element.body[-1].tag == qn("w:sectPr")
    assert doc.doc.element.body[-3] is table._tbl
