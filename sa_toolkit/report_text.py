"""Every piece of text a reader can see in a year's report folder.

The disclosure and board-language checks read a rendered assessment as a reader would:
the visible text of every HTML page, the alternative text, titles and labels that
assistive technology reads out, the words drawn in every chart (SVG figures keep their
text as text), and every paragraph, table cell and picture description of the Word
document and every cell of the Excel workbooks. Machine files (``manifest.json``, the
executed notebooks) are not read: a reader never opens them.

``reader_texts(folder)`` returns one :class:`ReaderText` per piece, each naming where it
is (file, and which part), so a check can say where a problem was found.
``reader_tables(folder)`` returns every table a reader sees (HTML, Word, Excel) as rows of
cell texts with their column headers, for checks that need a cell's column or row (is this
cell a count or a rate?) or a whole line (can a hidden cell be worked out from the total?).
In an SVG figure the tick labels of an axis or colour scale are told apart from the words
written on the chart (part ``"axis tick"``): a tick is a point of a scale, not a figure.
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


@dataclass(frozen=True)
class ReaderTable:
    """One table a reader sees: its column headers and its rows of cell texts."""

    file: str  # path relative to the report folder
    part: str  # "table 3: <caption>", "table 12", "sheet Performance framework"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def where(self) -> str:
        return f"{self.file} ({self.part})"


#: Parts of :func:`reader_texts` that are single table cells (their tables are read
#: whole by :func:`reader_tables`).
def is_table_cell(part: str) -> bool:
    return part in ("td", "th") or part.endswith(" cell") or "!" in part


def _report_files(folder: Path):
    """(name relative to the folder, path, lower-case suffix) of every file, sorted."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path, path.suffix.lower()


def reader_texts(folder: Path) -> list[ReaderText]:
    """All reader-visible text of a report folder (a year's ``reports/<year>/``)."""
    texts: list[ReaderText] = []
    for name, path, suffix in _report_files(folder):
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


def reader_tables(folder: Path) -> list[ReaderTable]:
    """Every table of a report folder: HTML tables, Word tables and Excel sheets."""
    tables: list[ReaderTable] = []
    for name, path, suffix in _report_files(folder):
        if suffix in (".html", ".htm"):
            tables.extend(html_tables(path.read_text(encoding="utf-8"), name))
        elif suffix == ".docx":
            tables.extend(docx_tables(path, name))
        elif suffix == ".xlsx":
            tables.extend(xlsx_tables(path, name))
    return tables


def _cell_text(cell) -> str:
    return " ".join(cell.get_text(" ").split())


def html_tables(page: str, name: str = "page") -> Iterator[ReaderTable]:
    """Each ``<table>`` of a page: the last header row's cells and every body row."""
    soup = BeautifulSoup(page, "html.parser")
    for hidden in soup.find_all(NOT_SHOWN):
        hidden.decompose()
    for number, table in enumerate(soup.find_all("table"), start=1):
        caption = table.find("caption")
        part = f"table {number}" + (f": {_cell_text(caption)}" if caption else "")
        header: tuple[str, ...] = ()
        rows: list[tuple[str, ...]] = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue  # a nested table is read on its own
            cells = []
            for cell in tr.find_all(["td", "th"], recursive=False):
                span = str(cell.get("colspan", "1"))
                cells.extend(
                    [_cell_text(cell)] * (int(span) if span.isdigit() and span != "0" else 1)
                )
            in_head = tr.find_parent("thead") is not None
            if in_head or (not rows and not header and tr.find("td") is None):
                header = tuple(cells)
            else:
                rows.append(tuple(cells))
        yield ReaderTable(name, part, header, tuple(rows))


def docx_tables(path: Path, name: str) -> Iterator[ReaderTable]:
    """Each Word table; its first row is the header (the toolkit repeats it on each page)."""
    from docx import Document

    for number, table in enumerate(Document(str(path)).tables, start=1):
        grid = [tuple(cell.text.strip() for cell in row.cells) for row in table.rows]
        if grid:
            yield ReaderTable(name, f"table {number}", grid[0], tuple(grid[1:]))


def xlsx_tables(path: Path, name: str) -> Iterator[ReaderTable]:
    """Each sheet of a workbook; its first non-empty row is the header."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            grid = [
                tuple("" if v is None else _xlsx_value(v) for v in row)
                for row in sheet.iter_rows(values_only=True)
            ]
            grid = [row for row in grid if any(row)]
            if grid:
                at = _xlsx_header_row(grid)
                # title and note rows above the header are kept as rows (read as text)
                yield ReaderTable(
                    name, f"sheet {sheet.title}", grid[at], tuple(grid[:at] + grid[at + 1 :])
                )
    finally:
        book.close()


def _xlsx_header_row(grid: list[tuple[str, ...]]) -> int:
    """The header of a sheet: the first row of words as wide as the table below it.

    A sheet may open with a title and notes above its header (one filled cell each).
    """
    widest = max(sum(1 for v in row if v) for row in grid)
    for at, row in enumerate(grid):
        filled = [v for v in row if v]
        if len(filled) >= max(2, 0.6 * widest) and not any(_is_number(v) for v in filled):
            return at
    return 0


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _xlsx_value(value) -> str:
    # a whole number stored as a float (3.0) is shown by Excel as 3
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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
    yield from _svg_walk(root, name, in_tick=False)


# matplotlib groups each tick of an axis (or of a colour bar, itself an axis) as
# <g id="xtick_3"> / <g id="ytick_2">; everything else written on a chart is in other groups
_TICK_GROUP = re.compile(r"^[xy]tick_\d+$")


def _svg_tag(element) -> str:
    return element.tag.removeprefix(_SVG_NS) if isinstance(element.tag, str) else ""


def _svg_walk(element, name: str, in_tick: bool) -> Iterator[ReaderText]:
    tag = _svg_tag(element)
    if tag == "g" and _TICK_GROUP.match(element.get("id", "")):
        in_tick = True
    children = list(element)
    if tag == "g" and len(children) > 1 and all(_svg_tag(c) == "text" for c in children):
        # one text of the chart wrapped over lines (matplotlib writes a <text> per line in
        # the text's group): read as the one sentence a reader sees, not cut at each line
        text = " ".join(" ".join("".join(c.itertext()).split()) for c in children).strip()
        if text:
            yield ReaderText(name, "axis tick" if in_tick else "figure text", text)
        return
    if tag in ("text", "title", "desc"):
        text = " ".join("".join(element.itertext()).split())
        if text:
            if tag != "text":
                part = f"figure {tag}"
            else:
                part = "axis tick" if in_tick else "figure text"
            yield ReaderText(name, part, text)
        return
    for child in element:
        yield from _svg_walk(child, name, in_tick)


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
