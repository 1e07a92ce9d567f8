"""Board language: what a reader of the assessment must never see, and where it is.

A strategic assessment is read by board members, not by the analyst who ran it. The scan
reads a year's report folder as a reader would (:func:`sa_toolkit.report_text.reader_texts`)
and lists every internal that leaked into it, each with its kind, the token and where it
is. The rules (one function each, unit-tested in ``tests/test_board_language.py``):

``indicator id``
    a catalogue id (``serious_violence_rate``, ``LI1``, ``ASBO_breach``): reports name
    indicators in words.
``dataset key`` / ``snake_case``
    any word joined by underscores (``treatment_monthly``, ``lower_is_better``); dataset
    keys are the processed tables' names.
``file name``, ``path``
    a file name with an extension (``recorded_crime_msg.csv``) or a folder path
    (``msg/recorded_crime_msg.csv``, ``/tmp/...``, ``data/templates/...``).
``command line``
    a toolkit command or option (``sa framework --values``, ``sa ingest``, ``make test``).
``raw category``
    lower-case values joined by slashes as they are stored ("police/council/housing").
``ISO month``
    ``2022-04`` (or a date ``2022-04-01``) in words a reader reads: months are written
    "April 2022".
``ONS code``
    an ONS area code (``E05000123``, ``E01008745``) is shown only as a reference in
    brackets right after its name ("Hendon (E05000123)"); a code on its own is flagged.
``NI code first``
    a retired National Indicator code leading a name ("NI47 People killed..."): the current
    name comes first, the code only as a reference after it ("... (formerly NI 47)"), in
    brackets or a cell of its own.
``retired name``
    a name of a retired era (ASBOs, "prolific and priority offenders", "road traffic
    accidents") not preceded, in the same text, by its current name (Criminal Behaviour
    Orders or injunctions, Integrated Offender Management, road collisions).
``jargon without gloss``
    a term of the glossary (``sa_toolkit/data/glossary.csv``: Byar's method, Kish
    effective sample size, aoristic, Gini coefficient, overdispersion, ...) used in a
    report whose notes do not define it (the definition's text must be on the same page;
    a figure counts with the report it belongs to).

Web addresses and e-mail addresses are not scanned (they are how a reader finds a source).

**The run log** (``run_log.html``) is the analyst's technical page, one link from the
summary: provenance is its purpose, so file names, folders (relative or absolute: the
analyst's configuration may name either), dataset keys, checksums, ISO months, the
partnership's ONS code, the commands that fill a gap and the analyst's error messages
are allowed there, and its terms need no gloss. What names things for a reader still
applies to it (:data:`RUN_LOG_RULES`): no indicator id, no NI code leading a name, no
retired name, no raw category value (its report headlines come from the reports). The
machine files (``manifest.json``, executed notebooks) are not reader text and are not
scanned. Every other page, the Word document, the figures and the Excel framework must be
clean of every kind.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sa_toolkit.errors import UserError

#: the analyst's technical page (see the module docstring) and the rules that apply to it
RUN_LOG = "run_log.html"
RUN_LOG_RULES = frozenset({"indicator id", "NI code first", "retired name", "raw category"})
GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.csv"

KINDS = (
    "indicator id",
    "dataset key",
    "snake_case",
    "file name",
    "path",
    "absolute path",
    "command line",
    "raw category",
    "ISO month",
    "ONS code",
    "NI code first",
    "retired name",
    "jargon without gloss",
)

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+")
_EXTENSIONS = (
    "csv|tsv|parquet|xlsx|xls|ods|json|ipynb|py|yml|yaml|zip|geojson|gpkg|shp|docx|html|htm"
    "|md|txt|log|j2"
)
_FILE_NAME = re.compile(rf"(?<![\w/.-])[\w-][\w.-]*\.(?:{_EXTENSIONS})\b", re.IGNORECASE)
_ABSOLUTE_PATH = re.compile(
    r"(?<![\w.])(?:/(?:tmp|home|Users|var|work|mnt|opt|srv|private|root|usr|etc)(?:/[^\s,;:)\"']*)?"
    r"|~/[^\s,;:)\"']*|[A-Za-z]:\\[^\s,;)\"']*)"
)
# a relative path: word/word... with at least one segment a project folder, or a file at its end
_PROJECT_FOLDERS = (
    "data|raw|processed|reports|content|config|notebooks|templates|partner|msg|police_uk"
    "|geography|boundaries|rejects|population|figures|docs|sa_toolkit"
)
_RELATIVE_PATH = re.compile(
    rf"(?<![\w/])(?:\.{{1,2}}/)?(?:{_PROJECT_FOLDERS})/[\w.<>*/-]*[\w>*]"
    rf"|(?<![\w/])[\w.-]+(?:/[\w.-]+)+\.(?:{_EXTENSIONS})\b",
    re.IGNORECASE,
)
_COMMAND = re.compile(
    r"\bsa\s+(?:demo|ingest|run|publish|framework)\b(?:\s+--?[a-z][\w-]*)*"
    r"|(?<![\w-])--[a-z][a-z-]{2,}\b"
    r"|\bmake\s+(?:assessment|test|install|lint|format)\b"
    r"|\b(?:papermill|pytest|pip\s+install|python\s+-m)\b"
)
_RAW_CATEGORY = re.compile(r"(?<![\w/])[a-z]+(?:/[a-z]+)+(?![\w/])")
_RAW_CATEGORY_ALLOWED = frozenset({"and/or", "either/or", "n/a"})
_ISO_MONTH = re.compile(r"(?<![\w-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-[0-3]\d)?(?![\w-])")
_SNAKE = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?![\w-])")
_LOCAL_ID = re.compile(r"(?<![\w-])LI\d+(?![\w-])")
_ONS_CODE = re.compile(r"(?<![\w-])[EWSNKL]\d{8}(?![\w-])")
# a code in brackets right after a name: "Hendon (E05000123)", "Sunderland 036C (E01008745)"
_ONS_REFERENCE = re.compile(r"\w[\w'’.,& -]*\(\s*$")
_NI_CODE = re.compile(r"(?<![\w-])NI ?\d{1,3}[a-z]*(?![\w-])")
#: retired-era names and the current name that must come first in the same text
RETIRED_NAMES: tuple[tuple[re.Pattern, re.Pattern, str], ...] = (
    (
        re.compile(r"\bASBOs?\b|\bAnti-Social Behaviour Orders?\b", re.IGNORECASE),
        re.compile(r"Criminal Behaviour Orders?|civil injunctions?", re.IGNORECASE),
        "Criminal Behaviour Orders and civil injunctions (ASBOs before 2014)",
    ),
    (
        re.compile(r"\bprolific and priority offenders?\b", re.IGNORECASE),
        re.compile(r"Integrated Offender Management|\bIOM\b"),
        "Integrated Offender Management (formerly prolific and priority offenders)",
    ),
    (
        re.compile(r"\broad traffic accidents?\b", re.IGNORECASE),
        re.compile(r"\broad (?:traffic )?collisions?\b|\broad casualt", re.IGNORECASE),
        "road collisions",
    ),
)


#: a retired-era wording in an indicator's name -> today's wording (the board reads today's)
CURRENT_WORDING: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\broad traffic accidents\b"), "road collisions"),
    (
        re.compile(r"\bprolific and priority\s*/\s*IOM cohort\b"),
        "Integrated Offender Management cohort",
    ),
    (
        re.compile(r"\bprolific and priority offenders\b"),
        "the Integrated Offender Management cohort",
    ),
    (
        re.compile(r"^ASBO breach rate$"),
        "Breach rate of Criminal Behaviour Orders and civil injunctions (ASBOs before 2014)",
    ),
)
_NI_ID = re.compile(r"^NI(\d+)([a-z]*)$")


def indicator_name(indicator_id: str, name: str) -> str:
    """An indicator's name as a board reads it: today's wording first and, for a retired
    National Indicator, its code as a reference after the name.

    >>> indicator_name("NI47", "People killed or seriously injured in road traffic accidents")
    'People killed or seriously injured in road collisions (formerly NI 47)'
    """
    text = str(name).strip()
    for old, new in CURRENT_WORDING:
        text = old.sub(new, text)
    match = _NI_ID.match(str(indicator_id))
    if match and "NI " not in text:
        text = f"{text} (formerly NI {match.group(1)}{match.group(2)})"
    return text


def without_internals(text: str) -> str:
    """An analyst's message made fit for a reader: bracketed asides that name files,
    folders, ids or commands are dropped, and so is a leading key label.

    >>> without_internals("cost_of_crime: no GDP deflator for 2013/14 (sa_toolkit/data/deflators.csv)")
    'no GDP deflator for 2013/14'
    """
    text = re.sub(
        r"\s*\(([^()]*)\)", lambda m: "" if token_findings(m.group(1)) else m.group(0), str(text)
    )
    return re.sub(r"(?<![\w-])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+:\s*", "", text).strip()


def plain_reason(text: str, fallback: str = "the data supplied give no value") -> str:
    """:func:`without_internals`, or ``fallback`` when internals remain (a function or
    table named mid-sentence): a reason shown to a reader."""
    plain = without_internals(text)
    return plain if plain and not token_findings(plain) else fallback


def month_name(value) -> str:
    """A month as a reader writes it: ``2022-04`` -> ``April 2022`` (other text unchanged)."""
    import calendar

    text = str(value).strip()
    match = re.fullmatch(r"((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-[0-3]\d)?", text)
    if not match:
        return text
    return f"{calendar.month_name[int(match.group(2))]} {match.group(1)}"


@dataclass(frozen=True)
class Finding:
    """One internal a reader would see."""

    kind: str
    token: str
    file: str
    part: str
    text: str

    def where(self) -> str:
        return f"{self.file} ({self.part})"


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    pattern: re.Pattern
    definition: str
    source: str


@lru_cache(maxsize=1)
def load_glossary() -> tuple[GlossaryTerm, ...]:
    """The one glossary (``sa_toolkit/data/glossary.csv``), shared by every report."""
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        GlossaryTerm(
            term=r["term"],
            pattern=re.compile(r["matches"], re.IGNORECASE),
            definition=r["definition"],
            source=r["source"],
        )
        for r in rows
    )


def terms_used(texts: Iterable[str]) -> list[GlossaryTerm]:
    """The glossary terms a set of texts uses, with those their definitions use in turn."""
    joined = "\n".join(texts)
    found = [t for t in load_glossary() if t.pattern.search(joined)]
    while True:  # a definition may use another term: the reader needs that one too
        more = [
            t
            for t in load_glossary()
            if t not in found and any(t.pattern.search(f"{f.definition} {f.source}") for f in found)
        ]
        if not more:
            return found
        found.extend(more)


@lru_cache(maxsize=1)
def _known_ids() -> tuple[frozenset[str], frozenset[str]]:
    """(indicator ids, dataset keys), for naming what a snake_case token is."""
    import yaml

    # the catalogue's ids straight from its file (the indicators package is slow to import)
    path = Path(__file__).resolve().parent / "data" / "indicators.yml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    ids = frozenset(str(e["id"]) for e in doc.get("indicators", []))
    try:
        from sa_toolkit.ingest.spec import registered_datasets

        datasets = frozenset(registered_datasets())
    except Exception:  # noqa: BLE001 - naming is a nicety; the token is flagged either way
        datasets = frozenset()
    return ids, datasets | {"msg_crime", "lookup"}


def _mask(text: str, pattern: re.Pattern) -> str:
    """``text`` with ``pattern``'s matches blanked (same length), so later rules skip them."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def token_findings(text: str) -> list[tuple[str, str]]:
    """``(kind, token)`` for every internal in one piece of reader text (every rule but the
    glossary one, which needs the whole page)."""
    found: list[tuple[str, str]] = []
    text = _mask(text, _URL)
    for rule in (_commands, _absolute_paths, _paths, _file_names, _raw_categories):
        hits, text = rule(text)
        found.extend(hits)
    found.extend(_ids_and_snake_case(text))
    found.extend(_iso_months(text))
    found.extend(_ons_codes(text))
    found.extend(_ni_codes_first(text))
    found.extend(_retired_names(text))
    return found


def _matches(text: str, pattern: re.Pattern, kind: str) -> tuple[list[tuple[str, str]], str]:
    hits = [(kind, m.group(0).strip()) for m in pattern.finditer(text)]
    return hits, _mask(text, pattern)


def _commands(text: str):
    return _matches(text, _COMMAND, "command line")


def _absolute_paths(text: str):
    return _matches(text, _ABSOLUTE_PATH, "absolute path")


def _paths(text: str):
    return _matches(text, _RELATIVE_PATH, "path")


def _file_names(text: str):
    return _matches(text, _FILE_NAME, "file name")


def _raw_categories(text: str):
    hits = [
        ("raw category", m.group(0))
        for m in _RAW_CATEGORY.finditer(text)
        if m.group(0).lower() not in _RAW_CATEGORY_ALLOWED
    ]
    return hits, _mask(text, _RAW_CATEGORY)


def _ids_and_snake_case(text: str) -> list[tuple[str, str]]:
    ids, datasets = _known_ids()
    out = []
    for m in _SNAKE.finditer(text):
        token = m.group(0)
        kind = "indicator id" if token in ids else "dataset key" if token in datasets else None
        out.append((kind or "snake_case", token))
    out.extend(("indicator id", m.group(0)) for m in _LOCAL_ID.finditer(text))
    return out


def _iso_months(text: str) -> list[tuple[str, str]]:
    return [("ISO month", m.group(0)) for m in _ISO_MONTH.finditer(text)]


def _ons_codes(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _ONS_CODE.finditer(text):
        before, after = text[: m.start()], text[m.end() :]
        if _ONS_REFERENCE.search(before) and after.lstrip().startswith(")"):
            continue
        out.append(("ONS code", m.group(0)))
    return out


def _ni_codes_first(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _NI_CODE.finditer(text):
        before = text[: m.start()].rstrip()
        after = text[m.end() :]
        leads = not re.search(r"[A-Za-z]", before) and after.strip() != ""
        # "NI47 People killed...": the code is followed by the indicator's name
        names_follow = re.match(r"\s*[:\-–]?\s*[A-Z][a-z]", after) is not None
        if leads or names_follow:
            out.append(("NI code first", m.group(0)))
    return out


def _retired_names(text: str) -> list[tuple[str, str]]:
    out = []
    for retired, current, _advice in RETIRED_NAMES:
        for m in retired.finditer(text):
            if not current.search(text[: m.start()]):
                out.append(("retired name", m.group(0)))
    return out


def _page_of(file: str, pages: Sequence[str]) -> str:
    """The report a file belongs to: a figure ``figures/01_violent_crime_x.svg`` belongs
    to ``01_violent_crime.html`` (``pages`` longest first)."""
    if file.endswith((".html", ".htm", ".docx")):
        return file
    name = file.rsplit("/", 1)[-1]
    for page in pages:
        stem = page.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if name.startswith((f"{stem}_", f"{stem}.")):
            return page
    return file


def scan_texts(texts) -> list[Finding]:
    """Findings in reader texts (:class:`sa_toolkit.report_text.ReaderText`)."""
    findings: list[Finding] = []
    by_page: dict[str, list] = {}
    pages = sorted({t.file for t in texts if t.file.endswith((".html", ".htm"))}, key=len)[::-1]
    page_of: dict[str, str] = {}
    for piece in texts:
        if Path(piece.file).name == RUN_LOG:
            findings.extend(
                Finding(kind, token, piece.file, piece.part, piece.text)
                for kind, token in token_findings(piece.text)
                if kind in RUN_LOG_RULES
            )
            continue
        findings.extend(
            Finding(kind, token, piece.file, piece.part, piece.text)
            for kind, token in token_findings(piece.text)
        )
        if not piece.file.endswith(".xlsx"):  # a data download: the reports gloss its terms
            if piece.file not in page_of:
                page_of[piece.file] = _page_of(piece.file, pages)
            by_page.setdefault(page_of[piece.file], []).append(piece)
    findings.extend(_unglossed(by_page))
    return findings


def _unglossed(by_page: dict[str, list]) -> list[Finding]:
    out = []
    for page, pieces in by_page.items():
        if not page.endswith((".html", ".htm", ".docx")):
            continue  # a figure no report shows is not read on its own
        joined = " ".join(" ".join(p.text.split()) for p in pieces)
        for term in load_glossary():
            first = next((p for p in pieces if term.pattern.search(p.text)), None)
            if first is None:
                continue
            if " ".join(term.definition.split()) not in joined:
                out.append(
                    Finding(
                        "jargon without gloss",
                        term.term,
                        first.file,
                        first.part,
                        first.text,
                    )
                )
    return out


def scan_folder(folder: Path) -> list[Finding]:
    """Every internal in a year's report folder that a reader would see."""
    from sa_toolkit.report_text import reader_texts

    return scan_texts(reader_texts(Path(folder)))


def counts_by_kind(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.kind for f in findings)
    return {kind: counts[kind] for kind in KINDS if counts[kind]}


def describe(findings: Sequence[Finding], limit: int = 12) -> str:
    """An analyst-facing list: counts by kind, then the first findings with where they are."""
    counts = ", ".join(f"{n} {kind}" for kind, n in counts_by_kind(findings).items())
    lines = [f"{len(findings)} internal(s) in reader text ({counts}):"]
    for f in findings[:limit]:
        context = " ".join(f.text.split())
        if len(context) > 100:
            at = max(0, context.find(f.token) - 40)
            context = ("..." if at else "") + context[at : at + 100] + "..."
        lines.append(f"  - {f.kind} '{f.token}' in {f.where()}: {context}")
    if len(findings) > limit:
        lines.append(f"  ... and {len(findings) - limit} more")
    return "\n".join(lines)


def check_board_language(report_dir: Path, year_label: str = "") -> None:
    """Refuse (a :class:`UserError`) when a year's reports show internals to a reader.

    Called by ``sa publish``; the message names each kind and where the first ones are.
    """
    findings = scan_folder(report_dir)
    if findings:
        year = f"{year_label} " if year_label else ""
        raise UserError(
            f"{year}cannot be published: the reports show internals a board reader should not "
            f"see.\n{describe(findings)}\nFix their source (the notebook or the library's text) "
            "and run `sa run` again."
        )
