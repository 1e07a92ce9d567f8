"""Find small counts in everything a reader of a rendered assessment can see.

:mod:`sa_toolkit.disclosure` suppresses small counts in the tables the toolkit builds;
this module checks the result as a reader gets it. It reads every text of a year's report
folder (:func:`sa_toolkit.report_text.reader_texts`: HTML text and alt text, words drawn
in the figures, the Word document, the Excel framework) and every table
(:func:`~sa_toolkit.report_text.reader_tables`), and reports each count from 1 to
``threshold - 1`` it finds, where it is and in which sentence.

How a count is told from other numbers
--------------------------------------
In running text (sentences, alt text, chart words, table cells holding words) every whole
number from 1 to ``threshold - 1`` is taken to be a count of people or events **unless one
of these rules says what else it is** (each rule is narrow and has its own unit test in
``tests/test_disclosure_scan.py``; the rule's name is in :data:`RULES`):

``count noun``
    Never an exception but the override: a number followed (within four words) by a noun
    that counts people or events (offences, victims, fires...) is a count whatever else
    the sentence says.
``decimal``
    A number with a decimal part (``1.3``, ``0.5``) is a rate, mean or ratio.
``percentage``
    Followed by ``%``, ``per cent``, ``pp`` or ``percentage point(s)``.
``rate``
    Followed by ``per`` (``2 per 1,000 residents``, ``3 per month``).
``signed``
    Written with a sign (``+3``, ``-2``): a change, not a count.
``range``
    Joined to another number by a hyphen or dash, or followed by ``+`` (``10-17``,
    ``0–4``, ``25+``): an age band or a range. "from 2 to 14" is not a range (a change
    between two counts) and is read as two counts.
``age``
    After ``aged``/``age``/``ages`` or before ``year-old``/``years old``; after
    ``under``/``over`` when no count noun follows ("children under 4").
``ordinal``
    With an ordinal suffix (``1st``, ``9th``): a rank.
``key``
    Followed by ``=`` (``1 = highest rate``) or by ``(low)``, ``(medium)``, ``(high)``: the
    key of a scale.
``label``
    After a word that numbers things (Figure, Table, Priority, NI, Annex, Appendix,
    Chart, Map, Section, Step, Part, Page, Quarter, Wave, Tier, Level, Stage, Phase,
    Recommendation, Action, Objective, Option, Question, Version, Key stage, Group...).
``date or time``
    Next to a month name (``1 April``, ``March 2``), in a written date (``01/04/2025``) or
    a time (``10:00``, ``1pm``, ``2 am``).
``magnitude``
    Followed by thousand/million/billion, ``k``, ``m`` or ``bn`` (not small at all).
``money``
    After ``£``, ``$`` or ``€``.
``times``
    Followed by ``times`` or ``x`` (a ratio: "2 times as likely").
``not people or events``
    In a sentence that opens "Of N <things>" ("Of 47 performance indicators, 0 were
    green ...; 4 worsened"), or followed (within four words, before any count noun) by a
    noun that counts things
    which are not people or events: places (wards, LSOAs, neighbourhoods, areas,
    partnerships, peers), time (months, years, weeks, days, hours, minutes, quarters),
    the assessment's own parts (reports, indicators, measures, priorities, names, sources,
    files, rows, questions, dimensions, points, traffic lights green/amber/red), distance
    (km, miles, metres). "1 of 7 reports" and "10 of 12 months" are read this way.
``score``
    In a sentence that talks about a score (score, scores, scored, scoring), a number not
    followed by a count noun is a score.
``list number``
    At the very start of a piece and followed by ``.`` or ``)``: a list or step number.
``the suppression band``
    "1 to N" or "1-N" with N = ``threshold - 1`` in a sentence about privacy or
    suppression ("a count from 1 to 4 is not shown to protect privacy"), unless a count
    noun follows.

A label word also covers a list of numbers after it ("offence code (1, 2, 4.1)").

A **share of a small number** is found too: "P% of them" (them, these, those, which) takes
the last count stated before it in the same sentence as its base, and is reported when P%
of that base, or what is left of it, is from 1 to ``threshold - 1`` ("drug offences rose to
14; supply offences were 21% of them" tells a reader there were 3).

A **change from a small number**: a percentage change in the same clause as a change
written with one count hidden ("+600%, fewer than 5 to 14") gives the hidden count away
(14 / 7 = 2); it is reported when the count it gives is from 1 to ``threshold - 1``.

In tables
---------
A cell holding only a whole number is a count unless its column header, or its row's
first cell, names something else (a rate, %, share, proportion, rank, score, ratio, change,
interval, lower/upper limit, p value, mean, average, index, target, year, month, wave,
run time, files or rows read), the table has a ``unit`` column that does not say count,
or the table is a scoring table (it has a column headed "Score") and the column names no
count. Cells holding words are read with the text rules above.

**Secondary suppression**: a table line (a row with a "Total" column, or a column with a
"Total" or "All ..." row) that hides exactly one part (``<N`` or ``[c]``) while its total and every
other part are shown lets a reader subtract; it is reported when the subtraction gives a
number from 1 to ``threshold - 1``.

Axis ticks of a chart (part ``"axis tick"``) are points of a scale and are not read as
counts; a number written on a chart (a bar label, an annotation) is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sa_toolkit.report_text import (
    ReaderTable,
    ReaderText,
    is_table_cell,
    reader_tables,
    reader_texts,
)

# The table rules (which cell is a count, what a total gives away) are in
# sa_toolkit.disclosure_tables; this module holds the text rules and the folder scan.

#: Names of the rules that tell a number from a count (documented in the module).
RULES = (
    "decimal",
    "percentage",
    "rate",
    "signed",
    "range",
    "age",
    "ordinal",
    "key",
    "label",
    "date or time",
    "magnitude",
    "money",
    "times",
    "not people or events",
    "score",
    "list number",
)

# Nouns that count people or events: a number before one is a count, always.
COUNT_NOUNS = frozenset(
    """
    offence offences crime crimes incident incidents victim victims suspect suspects
    offender offenders reoffender reoffenders re-offender re-offenders reoffence reoffences
    re-offences person persons people resident residents adult adults child children
    young youth youths man men woman women boy boys girl girls fire fires casualty casualties
    admission admissions death deaths fatality fatalities injury injuries robbery robberies
    burglary burglaries arrest arrests search searches stop stops entrant entrants
    termination terminations respondent respondents case cases call calls report-ins
    referral referrals order orders patient patients client clients household households
    family families individual individuals pupil pupils student students exclusion
    exclusions presentation presentations completion completions sanction sanctions
    outcome outcomes charge charges caution cautions killed injured missing
    """.split()
)

# Nouns that count things which are not people or events.
THING_NOUNS = frozenset(
    """
    ward wards lsoa lsoas msoa msoas neighbourhood neighbourhoods area areas place places
    location locations partnership partnerships peer peers force forces district districts
    month months year years week weeks day days hour hours minute minutes second seconds
    quarter quarters wave waves report reports indicator indicators measure measures
    priority priorities name names source sources file files row rows column columns
    question questions dimension dimensions point points green amber red grey
    category categories strand strands group groups type types band bands level levels
    km kilometre kilometres mile miles metre metres m2 chart charts figure figures table
    tables map maps section sections page pages recommendation recommendations action
    actions target targets survey surveys digit digits decimal decimals star stars
    sentence sentences word words line lines layer layers
    """.split()
)

LABEL_WORDS = frozenset(
    """
    rank ranked ranking position code codes figure fig table priority ni annex appendix chart map section step part page pages chapter
    quarter q wave tier level stage phase recommendation action objective option question
    version key group no number item note scenario grade class category band cohort
    """.split()
)

MONTHS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)

_NUMBER = re.compile(
    r"(?<![\w.,/:])(?P<sign>[+\-−]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\w])"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*|[%=£$€+]|\d[\d,]*(?:\.\d+)?")
_SCORE_SENTENCE = re.compile(r"\bscor(e|es|ed|ing)\b", re.IGNORECASE)
_SHARE_OF = re.compile(
    r"(?<![\d.])(?P<pct>\d+(?:\.\d+)?)\s?(?:%|per cent)\s+of\s+(?:them|these|those|which)\b",
    re.IGNORECASE,
)
# a percentage change and a change written with one count hidden, in the same clause:
# "+600%, fewer than 5 to 14" gives the hidden count away (14 / 7 = 2)
_CHANGE_OF_HIDDEN = re.compile(
    r"(?P<pct>[+\-−]?\d+(?:\.\d+)?)%[^;.%]{0,40}?"
    r"(?:(?:fewer than |<)\d+ to (?P<after>\d[\d,]*)|(?P<before>\d[\d,]*) to (?:fewer than |<)\d+)"
    r"|(?:(?:fewer than |<)\d+ to (?P<after2>\d[\d,]*)|(?P<before2>\d[\d,]*) to "
    r"(?:fewer than |<)\d+)[^;.%]{0,40}?(?P<pct2>[+\-−]?\d+(?:\.\d+)?)%",
    re.IGNORECASE,
)


#: counts written as words ("three victims"): read as counts only before a count noun
NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
}
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)})\b(?!-)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One small count a reader could see."""

    file: str
    part: str
    text: str  # the sentence or cell, as the reader sees it
    number: str  # the figure found
    kind: str  # "small count", "share of a small number", "derivable from the total"
    detail: str = ""

    def where(self) -> str:
        return f"{self.file} ({self.part})"

    def message(self) -> str:
        extra = f" ({self.detail})" if self.detail else ""
        return f"{self.where()}: {self.kind} {self.number}{extra} in: {_clip(self.text)}"


def _clip(text: str, width: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _words_after(text: str, end: int, n: int = 4) -> list[str]:
    """The next ``n`` words after position ``end``, lower case, stopping at a clause end."""
    rest = re.split(r"[;:.!?(\[]\s|[;!?]|\)\s*[,;]", text[end:], maxsplit=1)[0]
    return [w.lower() for w in _WORD.findall(rest)[:n]]


def _word_before(text: str, start: int) -> str:
    """The word before a number, over a list of numbers ("offence code (1, 2, 4.1)")."""
    words = _WORD.findall(text[:start])
    while words and words[-1][0].isdigit() and re.search(r"[,(]\s*$", text[:start]):
        start = text.rfind(words.pop(), 0, start)
    return words[-1].lower() if words else ""


def classify_number(text: str, match: re.Match) -> str | None:
    """Why the number at ``match`` is not a count (a rule name), or None when it is one."""
    start, end = match.span()
    after = text[end:]
    before = text[:start]
    # first what the number's own form says it is
    if match.group("frac"):
        return "decimal"
    if len(match.group("int")) > 1 and match.group("int").startswith("0"):
        return "label"  # written with leading zeros: part of a name ("Sunderland 003")
    if re.match(r"\s?(%|per ?cent\b|pp\b|percentage point)", after, re.IGNORECASE):
        return "percentage"
    if re.match(r"\s+per\b", after, re.IGNORECASE):
        return "rate"
    if match.group("sign"):
        return "signed"
    if re.match(r"\s?[\-–—]\s?\d", after) or re.search(r"\d\s?[\-–—]\s?$", before):
        return "range"
    if re.match(r"\+", after):
        return "range"
    if re.match(r"(st|nd|rd|th)\b", after, re.IGNORECASE):
        return "ordinal"
    if re.match(r"\s?=", after) or re.match(r"\s?\((low|medium|high)\)", after, re.IGNORECASE):
        return "key"
    if re.match(r"\s?(:\d\d|/\d|\s?(am|pm)\b|\s?o'clock)", after, re.IGNORECASE) or re.search(
        r"\d[/:]$", before
    ):
        return "date or time"
    if re.match(r"\s?(thousand|million|billion|bn\b|k\b|m\b)", after, re.IGNORECASE):
        return "magnitude"
    if re.search(r"[£$€]\s?$", before):
        return "money"
    if re.match(r"\s?(times\b|x\b|×)", after, re.IGNORECASE):
        return "times"
    # then the words around it
    word_before = _word_before(text, start)
    nxt = _words_after(text, end)
    if word_before in LABEL_WORDS:
        return "label"
    if (nxt and nxt[0] in MONTHS) or word_before in MONTHS:
        return "date or time"
    if word_before in ("aged", "age", "ages") or re.match(
        r"[\s\-]?years?[\s\-]old", after, re.IGNORECASE
    ):
        return "age"
    for word in nxt:
        if word in COUNT_NOUNS:
            return None  # the override: a count noun before any other noun
        if word in THING_NOUNS:
            return "not people or events"
    if _of_things(_sentence_around(text, start, end)):
        return "not people or events"
    if word_before in ("under", "over"):
        return "age"  # "children under 4"; "under 4 victims" is a count (the noun came first)
    if _SCORE_SENTENCE.search(_sentence_around(text, start, end)):
        return "score"
    if not before.strip() and re.match(r"[.)]\s", after):
        return "list number"
    return None


_OF_N = re.compile(r"^\s*of (?:the )?[\d,]+ ((?:[\w\-]+ ){0,2}[\w\-]+)", re.IGNORECASE)


def _of_things(sentence: str) -> bool:
    """A sentence that opens "Of 47 performance indicators, ..." counts those things."""
    match = _OF_N.match(sentence)
    return bool(match) and any(w.lower() in THING_NOUNS for w in match.group(1).split())


def _sentence_around(text: str, start: int, end: int) -> str:
    left = text.rfind(". ", 0, start)
    right = text.find(". ", end)
    return text[left + 1 : right if right >= 0 else len(text)]


def _value(match: re.Match) -> float:
    return float(match.group("int").replace(",", "") + (match.group("frac") or ""))


_PRIVACY_WORDS = re.compile(r"privacy|suppress|not shown|disclos|protect", re.IGNORECASE)


def _band_spans(text: str, threshold: int) -> list[tuple[int, int]]:
    """Where a sentence about suppression names its band: "from 1 to 4", "1-4"."""
    if threshold <= 2:
        return []
    top = threshold - 1
    band = re.compile(rf"(?<![\d.,])1\s?(?:to|-|–)\s?{top}(?![\d.,]\d)")
    spans = []
    for match in band.finditer(text):
        sentence = _sentence_around(text, match.start(), match.end())
        after = _words_after(text, match.end())
        if _PRIVACY_WORDS.search(sentence) and not (after and after[0] in COUNT_NOUNS):
            spans.append(match.span())
    return spans


def small_counts_in_text(text: str, threshold: int) -> list[tuple[str, str, str]]:
    """Each small count in a piece of text: (figure, kind, detail)."""
    if threshold <= 1:
        return []
    found: list[tuple[str, str, str]] = []
    counts_so_far: list[tuple[int, int]] = []  # (position, value) of counts, for shares
    band = _band_spans(text, threshold)
    for match in _NUMBER.finditer(text):
        value = _value(match)
        if any(a <= match.start() < b for a, b in band):
            continue  # "a count from 1 to 4 is not shown": the rule itself, not a count
        if classify_number(text, match) is not None:
            continue
        counts_so_far.append((match.start(), int(value)))
        if 1 <= value < threshold:
            found.append((match.group(0).strip(), "small count", ""))
    found += _small_counts_in_words(text, threshold)
    for match in _CHANGE_OF_HIDDEN.finditer(text):
        pct = float((match.group("pct") or match.group("pct2")).replace("−", "-"))
        after = match.group("after") or match.group("after2")
        before = match.group("before") or match.group("before2")
        if pct <= -100:
            continue
        if after:  # hidden before = after / (1 + pct)
            hidden = round(float(after.replace(",", "")) / (1 + pct / 100))
        else:  # hidden after = before * (1 + pct)
            hidden = round(float(before.replace(",", "")) * (1 + pct / 100))
        if 1 <= hidden < threshold:
            found.append(
                (
                    match.group(0),
                    "change from a small number",
                    f"the percentage change gives the hidden count away: about {hidden}",
                )
            )
    for match in _SHARE_OF.finditer(text):
        bases = [v for pos, v in counts_so_far if pos < match.start() and v >= threshold]
        if not bases:
            continue
        base, pct = bases[-1], float(match.group("pct"))
        part = round(base * pct / 100)
        for derived in (part, base - part):
            if 1 <= derived < threshold:
                found.append(
                    (
                        match.group(0),
                        "share of a small number",
                        f"{match.group('pct')}% of {base:,} is about {derived}",
                    )
                )
                break
    return found


#: words that may follow a counted noun: "three victims were ...", "two fires in May"
_AFTER_COUNTED = frozenset(
    """
    was were is are be been have has had will would could did not in on at of with and or
    but who whom whose which that aged under over from to for by this last each than since
    during between across recorded reported attended died injured killed arrested charged
    """.split()
)


def _small_counts_in_words(text: str, threshold: int) -> list[tuple[str, str, str]]:
    """Counts written as words ("three victims were", "Two offences in May").

    Number words are common in plain prose ("the cost of one offence", "one in three",
    "two youth forums"), so a number word is read as a count only in the narrow form
    of a count: a count noun right after it, itself not the first word of a longer noun
    ("youth forums"), not a unit ("one offence per ...", "of one offence") and not a
    proportion ("one in three victims", "one of the victims").
    """
    found = []
    for match in _NUMBER_WORD.finditer(text):
        value = NUMBER_WORDS[match.group(0).lower()]
        if not 1 <= value < threshold:
            continue
        after = _words_after(text, match.end(), 3)
        before = [w.lower() for w in _WORD.findall(text[: match.start()])[-2:]]
        if not after or after[0] not in COUNT_NOUNS:
            continue
        if len(after) > 1 and after[1] not in _AFTER_COUNTED | COUNT_NOUNS:
            continue  # "two youth forums": the count noun describes another noun
        unit = "per" in _words_after(text, match.end(), 5)
        if unit or (before and before[-1] in ("of", "per", "each", "every", "a")):
            continue  # a unit: "the cost of one offence", "one victim per incident"
        if (
            len(before) == 2
            and before[1] in ("in", "of")
            and (before[0] in NUMBER_WORDS or before[0][0].isdigit())
        ):
            continue  # the "three" of "one in three victims"
        found.append((match.group(0), "small count", "written as a word"))
    return found


# ---- the whole folder ---------------------------------------------------------------


def scan_texts(texts: Iterable[ReaderText], threshold: int) -> list[Finding]:
    """Small counts in reader-visible text (table cells are read by :func:`scan_tables`)."""
    findings: list[Finding] = []
    for piece in texts:
        if is_table_cell(piece.part) or piece.part == "axis tick":
            continue
        for number, kind, detail in small_counts_in_text(piece.text, threshold):
            findings.append(Finding(piece.file, piece.part, piece.text, number, kind, detail))
    return findings


def scan_tables(tables: Iterable[ReaderTable], threshold: int) -> list[Finding]:
    """Small counts in table cells, and hidden cells a total gives away."""
    from sa_toolkit.disclosure_tables import small_counts_in_table

    findings: list[Finding] = []
    for table in tables:
        findings.extend(small_counts_in_table(table, threshold))
    return findings


#: the analyst's provenance page: it counts files, datasets, map features and rows of the
#: inputs, not people or events (board_language treats it as the analyst's page too)
ANALYST_PAGES = frozenset({"run_log.html"})


def scan_report_folder(folder: Path, threshold: int) -> list[Finding]:
    """Every small count a reader could see in a year's report folder (sorted, no repeats).

    The run log (:data:`ANALYST_PAGES`) is not read: its numbers describe the input files.
    """
    folder = Path(folder)
    texts = [t for t in reader_texts(folder) if t.file not in ANALYST_PAGES]
    tables = [t for t in reader_tables(folder) if t.file not in ANALYST_PAGES]
    findings = scan_texts(texts, threshold) + scan_tables(tables, threshold)
    unique = {(f.file, f.part, f.text, f.number, f.kind): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.file, f.part, f.text, f.number))


def refusal_message(findings: list[Finding], threshold: int, limit: int = 12) -> str:
    """An analyst's message naming where each small count is (the first ``limit``)."""
    lines = [
        f"{len(findings)} small number(s) (from 1 to {threshold - 1}) would be published; "
        "each must be shown as fewer than "
        f"{threshold} (or left out) before the reports can be published:"
    ]
    lines += [f"  - {f.message()}" for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"  ... and {len(findings) - limit} more")
    lines.append(
        "A figure in the analyst's text (the content folder) is yours to reword (e.g. "
        f'"fewer than {threshold}") before running `sa run` again; one the toolkit wrote itself is '
        "a fault in the toolkit: please report it with this message."
    )
    return "\n".join(lines)
