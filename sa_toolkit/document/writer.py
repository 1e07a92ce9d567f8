"""A python-docx document with numbered, captioned figures and tables.

:class:`AssessmentDocument` wraps :class:`docx.Document`: headings use Word's heading
styles (so the navigation pane and a table of contents work), figures and tables get
"Figure N" / "Table N" captions with Word ``SEQ`` fields (Word renumbers them when fields
are updated), pictures carry their alt text in ``descr``, and table header rows repeat on
each page. :func:`add_html` turns the HTML the notebooks display (key findings, tables,
figures, notes, the analyst's text) into those elements, with BeautifulSoup.
"""

from __future__ import annotations

import base64
import io
import re

from docx import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Inches, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from sa_toolkit.figure_data import DATA_CAPTION

#: traffic light cell colours (as the reports' chips) and text colours
RAG_FILL = {
    "Red": ("D4351C", "FFFFFF"),
    "Amber": ("F47738", "0B0C0C"),
    "Green": ("00703C", "FFFFFF"),
    "Not rated": ("505A5F", "FFFFFF"),
}
FIGURE_WIDTH = Inches(6.3)
_SKIP = {"style", "script", "noscript", "template"}


class AssessmentDocument:
    """The document being written, with its figure and table counters."""

    def __init__(self) -> None:
        self.doc = Document()
        self.figures = 0
        self.tables = 0
        # python-docx finds a style given by name by searching every style each time, and
        # given a style object it still searches them for the default (443 look-ups, about
        # 1 s, in the demo's document): the style's id is found once and set directly
        self._style_ids: dict[str, str] = {}
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        for section in self.doc.sections:
            section.left_margin = section.right_margin = Inches(1)

    # ------------------------------------------------------------------ text

    def style_id(self, name: str) -> str:
        """The id of the document's style called ``name``, looked up once."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def add_paragraph(self, style: str | None = None) -> Paragraph:
        """A new paragraph at the end of the document, in ``style`` (None: the default)."""
        para = self.doc.add_paragraph()
        if style is not None:
            para._p.style = self.style_id(style)
        return para

    def heading(self, text: str, level: int) -> None:
        level = max(1, min(level, 4))
        self.add_paragraph(f"Heading {level}").add_run(" ".join(text.split()))

    def paragraph(self, text: str = "", style: str | None = None, bold: bool = False):
        para = self.add_paragraph(style)
        if text:
            run = para.add_run(" ".join(text.split()))
            run.bold = bold
        return para

    def bullets(self, items, style: str = "List Bullet") -> None:
        for item in items:
            self.paragraph(item, style=style)

    def notice(self, text: str, colour: str = "D4351C", paragraph: Paragraph | None = None) -> None:
        """A bold coloured notice, in a new paragraph or in ``paragraph`` (kept for it)."""
        para = paragraph if paragraph is not None else self.doc.add_paragraph()
        run = para.add_run(text)
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(colour)

    # ------------------------------------------------------------------ captions

    def _caption(self, kind: str, number: int, text: str) -> None:
        """``Figure 3: text`` in the Caption style, the number a Word SEQ field."""
        para = self.add_paragraph("Caption")
        para.add_run(f"{kind} ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), f" SEQ {kind} \\* ARABIC ")
        run = OxmlElement("w:r")
        text_el = OxmlElement("w:t")
        text_el.text = str(number)
        run.append(text_el)
        field.append(run)
        para._p.append(field)
        para.add_run(f": {' '.join(text.split())}")
        # keep a table's caption with the table, a figure's with the figure above it
        para.paragraph_format.keep_with_next = kind == "Table"

    def figure(self, png: bytes, alt: str, title: str) -> None:
        self.figures += 1
        picture_para = self.doc.add_paragraph()
        picture_para.add_run().add_picture(io.BytesIO(png), width=FIGURE_WIDTH)
        picture_para.paragraph_format.keep_with_next = True
        for doc_pr in picture_para._p.iter(qn("wp:docPr")):
            doc_pr.set("descr", " ".join(alt.split()))
            doc_pr.set("title", " ".join(title.split()))
        self._caption("Figure", self.figures, title)

    def table(
        self,
        caption: str,
        header: list[str],
        rows: list[list[str]],
        rag_col=None,
        row_headers: bool = False,
    ):
        """A captioned table; ``rag_col`` (index) cells are coloured by their text.

        ``row_headers``: the first column names each row (as ``<th scope="row">`` in the
        HTML): its cells are bold and the table's look says so (Word's "First Column"),
        as the header row is marked "Header Row" and repeats on each page.
        """
        self.tables += 1
        self._caption("Table", self.tables, caption)
        width = max([len(header)] + [len(r) for r in rows]) if (header or rows) else 1
        grid = ([header] if header else []) + [list(r) for r in rows]
        # the whole w:tbl written as one WordprocessingML string and parsed once: python-docx
        # adds a cell's run, its properties and its text element by element (and the text
        # character by character), most of the document's cost. The XML is the one its
        # add_table and the per-cell calls wrote (tests/test_document_tables.py compares them)
        tbl = parse_xml(
            _tbl_xml(
                grid,
                width,
                self.doc._block_width,
                self.style_id("Table Grid"),
                header=bool(header),
                rag_col=rag_col,
                row_headers=row_headers,
            )
        )
        body = self.doc._body
        body._element._insert_tbl(tbl)  # before the final w:sectPr, as add_table
        self.doc.add_paragraph()
        return Table(tbl, body)

    def save(self, path) -> None:
        self.doc.save(str(path))


def _half_points(width: int) -> int:
    """A cell's font size in half points by the table's column count: 11, 9.5 or 8 pt."""
    return 22 if width <= 3 else 19 if width <= 6 else 16


def _escape(text: str) -> str:
    """``text`` for XML character content (``"`` too, for an attribute value)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


_BREAKS = re.compile(r"([\t\r\n])")


def _run_text_xml(text: str) -> str:
    """A run's content as python-docx writes ``run.text = text``: a tab is ``w:tab``, a
    line break or carriage return ``w:br``, the text between them a ``w:t`` (with
    ``xml:space="preserve"`` when it starts or ends with white space)."""
    out = []
    for piece in _BREAKS.split(text) if _BREAKS.search(text) else (text,):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{_escape(piece)}</w:t>")
    return "".join(out)


def _tbl_xml(
    grid: list[list[str]],
    width: int,
    block_width: int,
    style_id: str,
    header: bool,
    rag_col,
    row_headers: bool,
) -> str:
    """The ``w:tbl`` of :meth:`AssessmentDocument.table`, as python-docx writes it.

    ``add_table`` gives the grid and cell widths (the width between the margins shared
    evenly), ``w:tblW`` and ``w:tblLook``; then the style, left alignment, the header
    row's shading and repeat (``w:tblHeader``), and each cell's run (bold, size, traffic
    light fill and colour) as the table's per-cell python-docx calls set them. A row
    shorter than the widest keeps its empty cells.

    The look says which of the header row and first column are headers: python-docx
    marks both on every table, but a table without row headers must not claim them, or
    assistive technology reads its first column as headers; the legacy ``w:val`` bit
    mask is left out, as it would override the flags.
    """
    col = Emu(block_width // width).twips
    size = f'<w:sz w:val="{_half_points(width)}"/>'
    plain_tc = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{col}"/></w:tcPr><w:p/></w:tc>'
    out = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblStyle w:val="{_escape(style_id)}"/><w:tblW w:type="auto" w:w="0"/>'
        f'<w:jc w:val="left"/><w:tblLook w:firstColumn="{int(row_headers)}" '
        f'w:firstRow="{int(header)}" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
        f'w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    out.append(f'<w:gridCol w:w="{col}"/>' * width)
    out.append("</w:tblGrid>")
    for r, values in enumerate(grid):
        head = header and r == 0
        out.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>' if head else "<w:tr>")
        values = values[:width]
        for i, text in enumerate(values):
            fill, props = "", ""
            label = text.strip()
            if head:
                fill, props = "F3F2F1", "<w:b/>"
            elif row_headers and i == 0:
                props = "<w:b/>"
            elif label in RAG_FILL and (rag_col is None or i == rag_col):
                fill, colour = RAG_FILL[label]
                props = f'<w:b/><w:color w:val="{colour}"/>'
            shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{col}"/>{shading}</w:tcPr>'
                f"<w:p><w:r><w:rPr>{props}{size}</w:rPr>{_run_text_xml(text)}</w:r></w:p></w:tc>"
            )
        out.append(plain_tc * (width - len(values)))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# ----------------------------------------------------------------------------- HTML


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _figure_title(img) -> str:
    title = img.get("data-sa-title")
    if title:
        return title
    alt = img.get("alt", "")
    first = re.split(r"(?<=[.:])\s", alt, maxsplit=1)[0]
    return first.rstrip(".:") or "Figure"


def _inline_paragraph(doc: AssessmentDocument, node, style: str | None = None) -> None:
    """A paragraph keeping bold and italic runs."""
    para = doc.add_paragraph(style)
    pending = "sa-to-be-written" in (node.get("class") or [])

    def walk(el, bold=False, italic=False):
        for child in el.children:
            if isinstance(child, str):
                text = re.sub(r"\s+", " ", child)
                if text.strip() or (text == " " and para.runs):
                    run = para.add_run(text)
                    run.bold = bold or pending
                    run.italic = italic
                    if pending:
                        run.font.color.rgb = RGBColor.from_string("B35900")
            elif child.name in ("strong", "b"):
                walk(child, True, italic)
            elif child.name in ("em", "i"):
                walk(child, bold, True)
            elif child.name == "br":
                para.add_run().add_break()
            elif child.name not in _SKIP:
                walk(child, bold, italic)

    walk(node)


def _table(doc: AssessmentDocument, node) -> None:
    caption_el = node.find("caption")
    caption = _text(caption_el) if caption_el else "Table"
    if caption.startswith(DATA_CAPTION) and doc.figures:
        # a figure's data table (sa_toolkit.figure_data) follows its figure: name it
        caption = f"Data for Figure {doc.figures}" + caption[len(DATA_CAPTION) :]
    header: list[str] = []
    rows: list[list[str]] = []
    head = node.find("thead")
    if head:
        header = [_text(c) for c in head.find_all(["th", "td"])]
    row_headers = False
    for tr in node.find_all("tr"):
        if head and tr.find_parent("thead") is head:
            continue
        found = tr.find_all(["th", "td"], recursive=False)
        cells = [_text(c) for c in found]
        if not header and not rows and all(c.name == "th" for c in tr.find_all(["th", "td"])):
            header = cells
            continue
        row_headers = row_headers or bool(found and found[0].get("scope") == "row")
        rows.append(cells)
    doc.table(caption, header, rows, row_headers=row_headers)


def add_html(doc: AssessmentDocument, markup: str, heading_offset: int = 0) -> None:
    """Add the elements of an HTML fragment to the document.

    ``h1``/``h2`` become Heading 2 (the report is Heading 1), ``h3`` Heading 3 and so on
    (plus ``heading_offset``); paragraphs keep bold and italic; lists become bullets;
    tables become captioned Word tables; images become numbered figures with alt text.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    _walk(doc, soup, heading_offset)


def _walk(doc: AssessmentDocument, node, offset: int) -> None:
    for child in node.children:
        if isinstance(child, str):
            if child.strip() and type(child).__name__ == "NavigableString":
                doc.paragraph(child.strip())
            continue
        name = child.name
        if name in _SKIP:
            continue
        if name and re.fullmatch(r"h[1-6]", name):
            doc.heading(_text(child), max(2, int(name[1])) + offset)
        elif name == "p":
            if _text(child):
                _inline_paragraph(doc, child)
        elif name in ("ul", "ol"):
            style = "List Number" if name == "ol" else "List Bullet"
            for item in child.find_all("li", recursive=False):
                _inline_paragraph(doc, item, style=style)
        elif name == "table":
            _table(doc, child)
        elif name == "img":
            src = child.get("src", "")
            if src.startswith("data:image/png;base64,"):
                png = base64.b64decode(src.split(",", 1)[1])
                doc.figure(png, child.get("alt", ""), _figure_title(child))
        elif name in ("figcaption", "summary"):
            continue  # the caption is the figure's own; a details' summary is a control
        elif name in ("pre", "code"):
            doc.paragraph(_text(child))
        else:
            _walk(doc, child, offset)
