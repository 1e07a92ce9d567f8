"""Every piece of text a reader can see in a year's report folder.

The disclosure and board-language checks read a rendered assessment as a reader would:
the visible text of every HTML page, the alternative text, titles and labels that
assistive technology reads out, the words drawn in every chart (SVG figures keep their
text as text), and every paragraph, table cell and picture description of the Word
document and every cell of the Excel workbooks. Machine files (``manifest.json``, the
executed notebooks) are not read: a reader never opens them.

``reader_texts(folder)`` returns one :class:`ReaderText` per piece, each naming where it
is (file, and which part), so a check can say where a problem was found.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from bs4 import BeautifulSoup

# Attributes whose values a screen reader or a tooltip shows to the reader.
READ_OUT_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "placeholder")
# Elements whose text is read as one piece.
BLOCKS = ("p", "li", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
          "dt", "dd", "summary", "pre", "blockquote")  # fmt: skip
# Elements whose content is never shown as text.
NOT_SHOWN = ("script", "style", "noscript", "template")

_SVG_NS = "{http://www.w3.org/2000/svg}"
_DOCX_DESCRIPTION = re.compile(r'<wp:docPr\b[^>]*?\bdescr="([^"]*)"')


@dataclass(frozen=True)
class ReaderText:
    """One piece of reader-visible text and where it is."""

    file: str  # path relative to the report folder
    part: str  # "text", "alt", "title", "figure text", "paragraph", "cell B4", ...
    text: str

    def where(self) -> str:
        return f"{self.file} ({self.part})"


def reader_texts(folder: Path) -> list[ReaderText]:
    """All reader-visible text of a report folder (a year's ``reports/<year>/``)."""
    folder = Path(folder)
    texts: list[ReaderText] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            texts.extend(html_texts(path.read_text(encoding="utf-8"), name))
        elif suffix == ".svg":
            texts.extend(svg_texts(path, name))
        elif suffix == ".docx":
            texts.extend(docx_texts(path, name))
        elif suffix == ".xlsx":
            texts.extend(xlsx_texts(path, name))
        elif suffix in (".csv", ".md", ".txt"):
            texts.append(ReaderText(name, "text", path.read_text(encoding="utf-8")))
    return texts


def html_texts(page: str, name: str = "page") -> Iterator[ReaderText]:
    """The visible text of an HTML page, block by block, and the attributes read out."""
    soup = BeautifulSoup(page, "html.parser")
    if soup.title and soup.title.string:
        yield ReaderText(name, "page title", soup.title.string.strip())
    for hidden in soup.find_all(NOT_SHOWN):
        hidden.decompose()
    body = soup.body or soup
    for element in body.find_all(True):
        for attribute in READ_OUT_ATTRIBUTES:
            value = element.get(attribute)
            if isinstance(value, str) and value.strip():
                yield ReaderText(name, attribute, value.strip())
    # one piece per block keeps a finding's sentence together for context; words directly
    # in a block that also holds other blocks (a list item with a paragraph) stay with it
    pieces: dict[int, tuple[str, list[str]]] = {}
    for string in body.find_all(string=True):
        if not str(string).strip():
            continue
        block = string.find_parent(BLOCKS)
        key = id(block) if block is not None else 0
        part = block.name if block is not None else "text"
        pieces.setdefault(key, (part, []))[1].append(str(string))
    for part, strings in pieces.values():
        text = " ".join(" ".join(strings).split())
        if text:
            yield ReaderText(name, part, text)


def svg_texts(path: Path, name: str) -> Iterator[ReaderText]:
    """Words drawn in a chart: its ``<text>`` elements, title and description."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError:
        return
    for element in root.iter():
        tag = element.tag.removeprefix(_SVG_NS)
        if tag in ("text", "title", "desc"):
            text = " ".join("".join(element.itertext()).split())
            if text:
                yield ReaderText(name, "figure text" if tag == "text" else f"figure {tag}", text)


def docx_texts(path: Path, name: str) -> Iterator[ReaderText]:
    """Paragraphs, table cells, headers, footers and picture descriptions of a Word file."""
    from docx import Document

    document = Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text.strip():
            yield ReaderText(name, "paragraph", paragraph.text.strip())
    for number, table in enumerate(document.tables, start=1):
        for row in table.rows:
            for cell in row.cells:
                if cell.text.strip():
                    yield ReaderText(name, f"table {number} cell", cell.text.strip())
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                if paragraph.text.strip():
                    yield ReaderText(name, "header or footer", paragraph.text.strip())
    # alt text lives in the drawing's docPr description, which python-docx does not expose
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    for description in _DOCX_DESCRIPTION.findall(xml):
        if description.strip():
            yield ReaderText(name, "picture description", _unescape_xml(description))


def xlsx_texts(path: Path, name: str) -> Iterator[ReaderText]:
    """Every non-empty cell of every sheet of a workbook, with sheet names."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield ReaderText(name, "sheet name", sheet.title)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None and str(cell.value).strip():
                        yield ReaderText(name, f"{sheet.title}!{cell.coordinate}", str(cell.value))
    finally:
        book.close()


def _unescape_xml(text: str) -> str:
    for entity, char in (("&quot;", '"'), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")
