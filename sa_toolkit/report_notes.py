"""Each report's closing notes: how to read it, its sources, and a glossary of its terms.

``sa run`` adds the notes to every executed notebook before it is rendered
(:func:`add_notes`), so the HTML report and the Word document (built from the executed
notebooks) end with the same section. The glossary is the library's one glossary
(``sa_toolkit/data/glossary.csv``, :func:`sa_toolkit.board_language.load_glossary`): a
report's notes define exactly the terms it uses (found in its text, the alternative text
of its figures and the words drawn in them), and the terms their definitions use. The
sources are the "Source:" lines of the report's tables and charts, each listed once.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sa_toolkit.board_language import GlossaryTerm, terms_used

#: the tag of the notes cell (the runner adds it once; a second call replaces it)
NOTES_TAG = "sa-notes"
NOTES_TITLE = "Notes"

HOW_TO_READ = (
    "Figures are for the financial year assessed (April to March) and are compared with "
    "the year before unless a table or chart says otherwise. A change is called "
    "statistically significant only when it is larger than the usual ups and downs of the "
    "figures would explain; a change that is not significant may still be worth watching. "
    "Every traffic light is written in words as well as shown in colour. Small counts are "
    "not shown, so that no one can be identified. A month for which no data were supplied "
    "is shown as missing, never as zero."
)

_SOURCE = re.compile(r"\bSources?:\s*(.+)")
_TAGS = re.compile(r"<[^>]+>")


def _plain(markup: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", markup)).split())


def notebook_texts(nb) -> list[str]:
    """The reader text of an executed notebook: markdown, HTML and text outputs, alt text."""
    texts: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            texts.append(cell.source)
            continue
        if NOTES_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for kind in ("text/html", "text/markdown"):
                if kind in data:
                    value = data[kind]
                    text = "".join(value) if isinstance(value, list) else str(value)
                    texts.append(text)
                    texts.extend(re.findall(r'\balt="([^"]*)"', text))
            alt = (out.get("metadata", {}).get("image/png") or {}).get("alt")
            if alt:
                texts.append(str(alt))
    return [_plain(t) for t in texts if t]


def figure_texts(figures_dir: Path | None, report: str) -> list[str]:
    """The words drawn in a report's SVG figures (``figures/<report>_*.svg``), line by
    line, with a source line's continuation joined to it."""
    if figures_dir is None or not Path(figures_dir).is_dir():
        return []
    from sa_toolkit.demo_data import FOOTER
    from sa_toolkit.report_text import svg_texts

    out: list[str] = []
    for path in sorted(Path(figures_dir).glob(f"{report}_*.svg")):
        lines = [t.text for t in svg_texts(path, path.name)]
        for i, line in enumerate(lines):
            if _SOURCE.match(line):
                # the source is the figure's last block of words: join its wrapped lines
                rest = []
                for more in lines[i + 1 :]:
                    if FOOTER.startswith(more) or more.startswith(FOOTER[:20]):
                        break
                    rest.append(more)
                out.append(" ".join([line, *rest]))
                break
        out.extend(lines)
    return out


def sources_in(texts: list[str]) -> list[str]:
    """The distinct sources named in "Source: ..." lines, in order of first use."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _SOURCE.finditer(text):
            source = match.group(1).strip().rstrip(".")
            # a sentence after the source (a note) is not part of it
            source = re.split(r"(?<=[a-z)])\. (?=[A-Z])", source)[0]
            if source and len(source) < 300:
                seen.setdefault(source, None)
    return list(seen)


def notes_html(terms: list[GlossaryTerm], sources: list[str]) -> str:
    """The notes section: how to read the report, its sources, the glossary."""
    e = html.escape
    parts = [
        f'<section class="sa-notes"><h2>{NOTES_TITLE}</h2>',
        f"<h3>How to read this report</h3><p>{e(HOW_TO_READ)}</p>",
    ]
    if sources:
        parts.append(
            "<h3>Sources</h3><ul>" + "".join(f"<li>{e(s)}.</li>" for s in sources) + "</ul>"
        )
    if terms:
        items = "".join(
            f"<dt>{e(t.term)}</dt><dd>{e(t.definition)} <small>Reference: {e(t.source)}."
            "</small></dd>"
            for t in sorted(terms, key=lambda t: t.term.lower())
        )
        parts.append(f"<h3>Glossary</h3><dl>{items}</dl>")
    parts.append("</section>")
    return "".join(parts)


def with_notes(page: str) -> str:
    """A whole HTML page (the summary) with its notes section before ``</main>`` (or
    ``</body>``), from the page's own visible text."""
    from sa_toolkit.report_text import html_texts

    texts = [t.text for t in html_texts(page)]
    section = notes_html(terms_used([*texts, HOW_TO_READ]), sources_in(texts))
    for closing in ("</main>", "</body>"):
        at = page.rfind(closing)
        if at != -1:
            return page[:at] + section + "\n" + page[at:]
    return page + section


def add_notes(nb, report: str, figures_dir: Path | None = None) -> str:
    """Append the notes section to an executed notebook (replacing an earlier one).

    Returns the section's HTML.
    """
    import nbformat

    nb.cells = [c for c in nb.cells if NOTES_TAG not in c.get("metadata", {}).get("tags", [])]
    texts = notebook_texts(nb) + figure_texts(figures_dir, report)
    section = notes_html(terms_used([*texts, HOW_TO_READ]), sources_in(texts))
    cell = nbformat.v4.new_code_cell(source="", metadata={"tags": [NOTES_TAG]})
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": section}, metadata={})
    ]
    cell.execution_count = None
    nb.cells.append(cell)
    return section
