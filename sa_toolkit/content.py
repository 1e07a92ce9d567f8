"""The analyst's words: plain Markdown files rendered into the reports.

A strategic assessment is more than figures: the horizon scanning (PESTELO), what
residents told us, what partners did and how far last year's actions got, and the
analyst's commentary on each report are written by people. They live as plain Markdown
files in the year's content folder (``reports.content_dir``, default ``content/``):

``content/<year>/``
    ``horizon_scanning.md``, ``community_views.md``, ``partner_activity.md``,
    ``commentary/<report>.md`` (one per report, e.g. ``commentary/01_violent_crime.md``)
    and ``priorities.yml`` (optional changes to the recommended priorities, read by
    :mod:`sa_toolkit.assessment_summary`).

``sa run`` writes the templates (from ``sa_toolkit/templates/content/``) for any file
that is missing, never overwriting one. A paragraph that starts "To be written" is a
piece still to write: it shows as a visible note in the draft reports, and ``sa publish``
refuses while any remain, naming them. HTML comments (``<!-- -->``) are guidance for the
analyst and are not shown; any other raw HTML is shown as text, never interpreted.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sa_toolkit.config import Config

TEMPLATE_PACKAGE = "sa_toolkit.templates"
TEMPLATE_FOLDER = "content"
TO_BE_WRITTEN = "To be written"
TO_BE_WRITTEN_CLASS = "sa-to-be-written"
PRIORITIES_FILE = "priorities.yml"
COMMENTARY_FOLDER = "commentary"
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_MARKER_RE = re.compile(rf"^\s*{TO_BE_WRITTEN}\b", re.IGNORECASE)


@dataclass(frozen=True)
class ContentFile:
    """One piece of the analyst's writing and where it appears.

    ``reports`` are the notebook names whose rendered report includes it (``*`` = every
    report: the commentary, one file per report).
    """

    key: str
    file: str
    template: str
    reports: tuple[str, ...]


CONTENT_FILES = (
    ContentFile("horizon_scanning", "horizon_scanning.md", "horizon_scanning.md", ("00_overview",)),
    ContentFile("partner_activity", "partner_activity.md", "partner_activity.md", ("00_overview",)),
    ContentFile(
        "community_views", "community_views.md", "community_views.md", ("06_safer_communities",)
    ),
)


@dataclass(frozen=True)
class Section:
    """A ``##`` section of a content file (or the whole file when it has none)."""

    title: str
    to_be_written: bool


@dataclass
class Piece:
    """A content file as read: its title, sections and rendered HTML."""

    key: str
    path: Path
    title: str
    markdown: str
    sections: list[Section]
    report: str | None = None  # for commentary: the report it belongs to

    @property
    def missing(self) -> list[str]:
        """Plain names of the parts still to be written, e.g. "Horizon scanning: economic"."""
        if not any(s.to_be_written for s in self.sections):
            return []
        if len(self.sections) == 1 and self.sections[0].title == self.title:
            return [self.title]
        return [f"{self.title}: {s.title.lower()}" for s in self.sections if s.to_be_written]

    def html(self, heading_level: int = 2) -> str:
        return render_markdown(self.markdown, heading_level=heading_level)


# ----------------------------------------------------------------------------- files


def content_dir(cfg: Config) -> Path:
    """The year's content folder, ``<reports.content_dir>/<year-slug>/``."""
    return Path(cfg.content_dir or Path(cfg.root) / "content") / cfg.year.slug


def template_text(name: str) -> str:
    return (
        resources.files(TEMPLATE_PACKAGE)
        .joinpath(TEMPLATE_FOLDER)
        .joinpath(name)
        .read_text(encoding="utf-8")
    )


def commentary_path(folder: Path, report: str) -> Path:
    return folder / COMMENTARY_FOLDER / f"{report}.md"


def ensure_content_files(cfg: Config, reports: list[str]) -> list[Path]:
    """Write the template of every missing content file of the year; return those written.

    Existing files are never changed.
    """
    folder = content_dir(cfg)
    wanted = [(folder / f.file, f.template) for f in CONTENT_FILES]
    wanted += [(commentary_path(folder, r), "commentary.md") for r in reports]
    wanted.append((folder / PRIORITIES_FILE, PRIORITIES_FILE))
    written = []
    for path, template in wanted:
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template_text(template), encoding="utf-8")
        written.append(path)
    return written


def read_piece(path: Path, key: str, template: str, report: str | None = None) -> Piece:
    """Read a content file (its template when the file does not exist)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else template_text(template)
    text = text.replace("\r\n", "\n")
    title, sections = _outline(text, default_title=key.replace("_", " ").capitalize())
    return Piece(key, path, title, text, sections, report)


def read_content(cfg: Config, reports: list[str]) -> list[Piece]:
    """Every content piece of the year, in report order (commentary last within a report)."""
    folder = content_dir(cfg)
    pieces = [read_piece(folder / f.file, f.key, f.template) for f in CONTENT_FILES]
    for report in reports:
        pieces.append(
            read_piece(commentary_path(folder, report), "commentary", "commentary.md", report)
        )
    return pieces


def to_be_written(
    pieces: list[Piece], titles: dict[str, str] | None = None, reports: list[str] | None = None
) -> list[str]:
    """Plain names of everything still to be written, e.g. "Analyst's commentary on
    Violent crime". With ``reports``, only the pieces that appear in one of them."""
    out = []
    by_key = {f.key: f for f in CONTENT_FILES}
    for piece in pieces:
        if piece.report is not None:
            if reports is not None and piece.report not in reports:
                continue
            if piece.missing:
                name = (titles or {}).get(piece.report, piece.report)
                out.append(f"Analyst's commentary on {name}")
        elif reports is None or any(r in reports for r in by_key[piece.key].reports):
            out.extend(piece.missing)
    return out


def content_fingerprint(cfg: Config) -> str:
    """SHA-256 over the year's content files (names and bytes), to tell when they changed."""
    folder = content_dir(cfg)
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _outline(text: str, default_title: str) -> tuple[str, list[Section]]:
    """The file's ``#`` title and its ``##`` sections with their to-be-written state."""
    visible = _COMMENT_RE.sub("", text)
    title = default_title
    sections: list[tuple[str, list[str]]] = []
    body: list[str] = []
    for line in visible.splitlines():
        if line.startswith("# ") and title == default_title and not sections:
            title = line[2:].strip()
        elif line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            body.append(line)
    if not sections:
        return title, [Section(title, _pending(body))]
    out = [Section(name, _pending(lines)) for name, lines in sections]
    # text before the first section (an introduction) is optional, but not a marker
    if any(_MARKER_RE.match(p.strip()) for p in "\n".join(body).split("\n\n")):
        out.insert(0, Section(title, True))
    return title, out


def _pending(lines: list[str]) -> bool:
    """A section is to be written when it is empty or a paragraph starts "To be written"."""
    paragraphs = [p.strip() for p in "\n".join(lines).split("\n\n") if p.strip()]
    return not paragraphs or any(_MARKER_RE.match(p) for p in paragraphs)


# ----------------------------------------------------------------------------- rendering


def render_markdown(text: str, heading_level: int = 2) -> str:
    """Markdown to HTML (CommonMark and tables, markdown-it-py), raw HTML escaped.

    The file's ``#`` heading becomes ``<h{heading_level}>`` (and ``##`` one below), so it
    fits under the report's own title; "To be written" paragraphs get a visible note.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    tokens = md.parse(_COMMENT_RE.sub("", text))
    shift = heading_level - 1
    for i, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
        if token.type == "paragraph_open" and i + 1 < len(tokens):
            inline = tokens[i + 1]
            if _MARKER_RE.match(inline.content or ""):
                token.attrSet("class", TO_BE_WRITTEN_CLASS)
        if token.type == "table_open":
            token.attrSet("class", "sa-table")
    return md.renderer.render(tokens, md.options, {})


def piece_block(piece: Piece, extra_html: str = "") -> str:
    """A report section holding one content piece (``extra_html`` goes before the text)."""
    css = "sa-content"
    if piece.missing:
        css += " sa-content-draft"
    return (
        f'<section class="{css}" data-sa-content="{html.escape(piece.key)}">'
        + _with_extra(piece.html(2), extra_html)
        + "</section>"
    )


def _with_extra(rendered: str, extra_html: str) -> str:
    if not extra_html:
        return rendered
    # after the piece's own heading, when it has one
    match = re.match(r"\s*<h2>.*?</h2>\n?", rendered, re.DOTALL)
    if match:
        return rendered[: match.end()] + extra_html + rendered[match.end() :]
    return extra_html + rendered


#: where each piece goes in its report: after the key findings, or at the end
AFTER_FINDINGS = "after_findings"
AT_END = "end"
_POSITION = {"commentary": AFTER_FINDINGS, "community_views": AFTER_FINDINGS}


def survey_reports(reports: list[str], pieces: list[Piece]) -> list[str]:
    """The reports among ``reports`` whose additions include the residents' survey."""
    by_key = {f.key: f for f in CONTENT_FILES}
    found = []
    for piece in pieces:
        if piece.key != "community_views":
            continue
        targets = [piece.report] if piece.report is not None else by_key[piece.key].reports
        found += [r for r in targets if r in reports and r not in found]
    return found


def report_blocks(
    cfg: Config, reports: list[str], pieces: list[Piece] | None = None
) -> dict[str, dict[str, str]]:
    """HTML to add to each report: its content pieces (community views with the survey).

    Returns ``{report name: {position: html}}`` (positions :data:`AFTER_FINDINGS`,
    :data:`AT_END`) for the reports that get any. The survey's table costs a few seconds
    (it reads and weights the survey): ``sa run`` asks for the reports of
    :func:`survey_reports` separately, while the first notebooks run.
    """
    pieces = pieces if pieces is not None else read_content(cfg, reports)
    blocks: dict[str, dict[str, list[str]]] = {}
    by_key = {f.key: f for f in CONTENT_FILES}
    for piece in pieces:
        if piece.report is not None:
            targets = [piece.report] if piece.report in reports else []
        else:
            targets = [r for r in by_key[piece.key].reports if r in reports]
        if not targets:
            continue
        extra = ""
        if piece.key == "community_views":
            from sa_toolkit.community_views import survey_summary_html

            extra = survey_summary_html(cfg)
        position = _POSITION.get(piece.key, AT_END)
        for report in targets:
            blocks.setdefault(report, {}).setdefault(position, []).append(piece_block(piece, extra))
    return {
        name: {pos: "\n".join(parts) for pos, parts in by_pos.items()}
        for name, by_pos in blocks.items()
    }


def add_to_notebook(nb, additions: dict[str, str] | None, top_html: str = "") -> None:
    """Put the analyst's text (and a notice at the top) into an executed notebook.

    Each addition becomes a cell without source holding one HTML output, so the rendered
    report and the executed notebook show the same. ``after_findings`` goes after the
    cell that shows the key findings (the report's headline), else after the title.
    """
    import nbformat

    def cell(text: str, tag: str):
        new = nbformat.v4.new_code_cell(source="", metadata={"tags": [tag]})
        new.outputs = [
            nbformat.v4.new_output("display_data", data={"text/html": text}, metadata={})
        ]
        new.execution_count = None
        return new

    additions = additions or {}
    cells = nb.cells
    title_at = next((i for i, c in enumerate(cells) if c.cell_type == "markdown"), -1)
    findings_at = next(
        (
            i
            for i, c in enumerate(cells)
            for out in c.get("outputs", [])
            if "headline" in (out.get("metadata", {}).get("sa_toolkit") or {})
        ),
        title_at,
    )
    if additions.get(AT_END):
        cells.append(cell(additions[AT_END], "sa-content"))
    if additions.get(AFTER_FINDINGS):
        cells.insert(findings_at + 1, cell(additions[AFTER_FINDINGS], "sa-content"))
    if top_html:
        cells.insert(title_at + 1, cell(top_html, "sa-notice"))
