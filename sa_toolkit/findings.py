"""Key findings and implications written from computed results.

Notebooks never type their findings: they compute results with the library and pass
them here, which turns them into sentences with consistent wording and number
formatting, e.g.

>>> change_sentence("Knife crime", 830, 724, target=-5, significant=True)
'Knife crime fell 13% (830 to 724 offences), better than the -5% target; the fall is statistically significant.'

and into the "Key findings" block that opens each report and the "Implications for the
rolling plan" block that ends it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from sa_toolkit.errors import ArgumentError

HEADLINE_METADATA_KEY = "sa_toolkit"  # same key as sa_toolkit.render reads


class HtmlBlock(str):
    """A string of HTML that a notebook displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        # The notebook's plain-text copy of an output; as a string's repr it repeated the
        # whole HTML (a map's embedded image included: 0.8 MB in the violent crime notebook)
        printer.text(f"<HTML block: {len(self):,} characters>")


# ----------------------------------------------------------------------------- numbers


def _check_number(value, name: str) -> float:
    if isinstance(value, bool) or value is None:
        raise ArgumentError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ArgumentError(f"{name} must be a number, got {value!r}") from None
    if math.isnan(number) or math.isinf(number):
        raise ArgumentError(f"{name} must be a finite number, got {value!r}")
    return number


def _round_half_away(x: float, decimals: int) -> float:
    # Round half away from zero, as readers and spreadsheets expect (Python rounds half to even).
    factor = 10**decimals
    return math.copysign(math.floor(abs(x) * factor + 0.5) / factor, x)


def format_number(value, decimals: int = 0) -> str:
    """Thousands separators and fixed decimals: ``1234.5 -> "1,235"``, ``-0.25, 1 -> "-0.3"``."""
    number = _round_half_away(_check_number(value, "value"), decimals)
    if number == 0:
        number = 0.0  # no "-0"
    return f"{number:,.{decimals}f}"


def percent_decimals(percent: float) -> int:
    """Whole percentages, one decimal for changes under 1%."""
    return 1 if abs(percent) < 0.95 else 0


def format_percent(percent, decimals: int | None = None) -> str:
    """A magnitude in percent without sign: ``-12.77 -> "13%"``."""
    p = _check_number(percent, "percent")
    d = percent_decimals(p) if decimals is None else decimals
    return f"{format_number(abs(p), d)}%"


def format_signed_percent(percent, decimals: int | None = None) -> str:
    """A signed percentage: ``-5 -> "-5%"``, ``3.2 -> "+3%"``, ``0 -> "0%"``."""
    p = _check_number(percent, "percent")
    d = percent_decimals(p) if decimals is None else decimals
    rounded = _round_half_away(p, d)
    if rounded == 0:
        return "0%"
    sign = "+" if rounded > 0 else "-"
    return f"{sign}{format_number(abs(rounded), d)}%"


def percent_change(before, after) -> float | None:
    """``(after - before) / before * 100``; None when ``before`` is 0."""
    b = _check_number(before, "before")
    a = _check_number(after, "after")
    if b == 0:
        return None
    return (a - b) / b * 100


def ordinal(n: int) -> str:
    """``1 -> "1st"``, ``12 -> "12th"``, ``23 -> "23rd"``."""
    if isinstance(n, bool) or int(n) != n:
        raise ArgumentError(f"ordinal needs a whole number, got {n!r}")
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:] if text else text
    return text if text.endswith((".", "!", "?")) else text + "."


# ----------------------------------------------------------------------------- sentences


def change_sentence(
    subject: str,
    before,
    after,
    *,
    unit: str = "offences",
    decimals: int = 0,
    target=None,
    significant: bool | None = None,
    lower_is_better: bool = True,
    threshold: int = 0,
) -> str:
    """One sentence on the change in an indicator.

    Parameters
    ----------
    subject : str
        What changed ("Knife crime", "The violence rate").
    before, after : float
        Baseline and latest value.
    unit : str
        Written after the numbers ("offences", "per 1,000 residents").
    decimals : int
        Decimals of ``before`` and ``after``.
    target : float, optional
        Target % change (e.g. ``-5`` for a 5% reduction).
    significant : bool, optional
        Result of the significance test of the change; omitted when None.
    lower_is_better : bool
        Direction of improvement (crime: lower is better), used against the target.
    threshold : int
        The suppression threshold, for counts: a count from 1 to ``threshold - 1`` is
        written "fewer than N" (:func:`sa_toolkit.disclosure.safe_count`) and the
        percentage change is left out, since with the other count it would give the
        small one away ("rose from fewer than 5 to 14 offences"). 0 for rates.

    Returns
    -------
    str
        E.g. "Knife crime fell 13% (830 to 724 offences), better than the -5% target;
        the fall is statistically significant."
    """
    if not isinstance(subject, str) or not subject.strip():
        raise ArgumentError("change_sentence: subject must be a non-empty string")
    b = _check_number(before, "before")
    a = _check_number(after, "after")
    tail = f" {unit}" if unit else ""
    b_text, a_text = format_number(b, decimals), format_number(a, decimals)
    pct = percent_change(b, a)
    if threshold and decimals == 0 and (_small(b, threshold) or _small(a, threshold)):
        return _small_change_sentence(
            subject, b, a, tail, threshold, pct, target, significant, lower_is_better
        )
    if format_number(a, decimals) == format_number(b, decimals) and (
        pct is None or _round_half_away(pct, 1) == 0
    ):
        text = f"{subject} did not change ({a_text}{tail})"
        noun = "change"
    elif pct is None:
        text = f"{subject} rose from {b_text} to {a_text}{tail}"
        noun = "rise"
    else:
        verb, noun = ("rose", "rise") if a > b else ("fell", "fall")
        if _round_half_away(pct, percent_decimals(pct)) == 0:
            verb = "rose slightly" if a > b else "fell slightly"
            text = f"{subject} {verb} ({b_text} to {a_text}{tail})"
        else:
            text = f"{subject} {verb} {format_percent(pct)} ({b_text} to {a_text}{tail})"
    if target is not None:
        text += ", " + _against_target(pct, _check_number(target, "target"), lower_is_better)
    if significant is True:
        text += f"; the {noun} is statistically significant"
    elif significant is False and noun != "change":
        text += f"; the {noun} is not statistically significant"
    return _sentence(text)


def _small(value: float, threshold: int) -> bool:
    from sa_toolkit.disclosure import is_small

    return bool(is_small([value], threshold)[0])


def _small_change_sentence(subject, b, a, tail, threshold, pct, target, significant, lower):
    """A change between counts where one is small: the small one is "fewer than N"."""
    from sa_toolkit.disclosure import safe_count

    b_text, a_text = safe_count(b, threshold), safe_count(a, threshold)
    if b_text == a_text:
        text = f"{subject} was {a_text}{tail} in both years"
        noun = "change"
    else:
        verb, noun = ("rose", "rise") if a > b else ("fell", "fall")
        text = f"{subject} {verb} from {b_text} to {a_text}{tail}"
    if target is not None:
        text += ", " + _against_target(pct, _check_number(target, "target"), lower)
    if significant is True:
        text += f"; the {noun} is statistically significant"
    elif significant is False and noun != "change":
        text += f"; the {noun} is not statistically significant"
    return _sentence(text)


def _against_target(pct: float | None, target: float, lower_is_better: bool) -> str:
    label = f"the {format_signed_percent(target)} target"
    if pct is None:
        return (
            f"so the {format_signed_percent(target)} target cannot be assessed from a zero baseline"
        )
    # Compare at the precision shown, so that the words agree with the figures.
    d = max(percent_decimals(pct), percent_decimals(target))
    actual, aim = _round_half_away(pct, d), _round_half_away(target, d)
    if actual == aim:
        return f"meeting {label}"
    better = actual < aim if lower_is_better else actual > aim
    return f"better than {label}" if better else f"missing {label}"


def share_sentence(
    part_name: str,
    part,
    whole_name: str,
    whole,
    *,
    unit: str = "offences",
    threshold: int = 0,
) -> str:
    """``"Domestic abuse accounted for 31% of violence (1,234 of 3,980 offences)."``

    With a suppression ``threshold``, a share that would give a small count away (a
    small part, a small remainder or a small whole:
    :func:`sa_toolkit.disclosure.share_is_disclosive`) is not given as a percentage:
    "Supply accounted for fewer than 5 of drug offences (14 offences in all)."
    """
    p = _check_number(part, "part")
    w = _check_number(whole, "whole")
    if w <= 0:
        raise ArgumentError(f"share_sentence: whole must be above 0, got {whole!r}")
    if p < 0 or p > w:
        raise ArgumentError(f"share_sentence: part {part!r} must be between 0 and whole {whole!r}")
    share = p / w * 100
    tail = f" {unit}" if unit else ""
    if threshold:
        from sa_toolkit.disclosure import fewer_than, share_is_disclosive

        if share_is_disclosive(p, w, threshold):
            few = fewer_than(threshold)
            if _small(w, threshold):
                return _sentence(f"{part_name} was part of {whole_name}, {few}{tail} in all")
            if _small(p, threshold):
                return _sentence(
                    f"{part_name} accounted for {few} of {whole_name} "
                    f"({format_number(w)}{tail} in all)"
                )
            return _sentence(
                f"{part_name} accounted for all but {few} of {whole_name} "
                f"({format_number(w)}{tail} in all)"
            )
    return _sentence(
        f"{part_name} accounted for {format_percent(share)} of {whole_name} "
        f"({format_number(p)} of {format_number(w)}{tail})"
    )


def concentration_sentence(
    share_of_places: float,
    n_places: int,
    *,
    measure: str = "offences",
    place: str = "LSOAs",
    share_of_count: float = 0.5,
) -> str:
    """``"Half of offences happened in 12% of LSOAs (22 of 180)."``

    ``share_of_places`` is the fraction (0..1) of places, most affected first, holding
    ``share_of_count`` of the count (see ``charts.share_of_places_holding``).
    """
    s = _check_number(share_of_places, "share_of_places")
    if not 0 < s <= 1:
        raise ArgumentError(f"share_of_places must be in (0, 1], got {share_of_places!r}")
    count = round(s * n_places)
    amount = "Half" if share_of_count == 0.5 else format_percent(share_of_count * 100)
    return _sentence(
        f"{amount} of {measure} happened in {format_percent(s * 100)} of {place} "
        f"({format_number(count)} of {format_number(n_places)})"
    )


def rank_sentence(
    area: str,
    rank: int,
    n_areas: int,
    *,
    subject: str,
    group: str = "its Most Similar Group",
    worst_first: bool = True,
) -> str:
    """``"Borough ranked 3rd of 15 in its Most Similar Group for robbery (1 = highest rate)."``"""
    if not 1 <= int(rank) <= int(n_areas):
        raise ArgumentError(f"rank {rank!r} must be between 1 and {n_areas!r}")
    key = "1 = highest rate" if worst_first else "1 = lowest rate"
    return _sentence(f"{area} ranked {ordinal(rank)} of {n_areas} in {group} for {subject} ({key})")


# ----------------------------------------------------------------------------- blocks

_BLOCK_STYLE = (
    "border-left:6px solid #12436D;background:#F2F6FA;padding:0.6em 1.2em;"
    "margin:1em 0;color:#0B0C0C"
)


def _items(items: Iterable[str], what: str) -> list[str]:
    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ArgumentError(f"{what}: every item must be a non-empty sentence, got {item!r}")
        out.append(item.strip())
    return out


def key_findings(findings: Sequence[str], *, title: str = "Key findings") -> HtmlBlock:
    """The block of 1 to 6 key findings that opens a report, as HTML.

    Parameters
    ----------
    findings : sequence of str
        Sentences made by the functions above (most important first).
    """
    items = _items(findings, "key_findings")
    if not 1 <= len(items) <= 6:
        raise ArgumentError(f"key_findings: give 1 to 6 findings, got {len(items)}")
    lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
    return HtmlBlock(
        f'<section class="sa-key-findings" style="{_BLOCK_STYLE}">'
        f'<h2 style="margin-top:0.3em">{html.escape(title)}</h2><ul>{lis}</ul></section>'
    )


def show_key_findings(findings: Sequence[str], *, title: str = "Key findings") -> None:
    """Display the key findings and mark the first one as the report's headline.

    The index page lists each report with its headline (output metadata
    ``{"sa_toolkit": {"headline": ...}}``, see ``sa_toolkit.render.find_headline``).
    Returns nothing, so that a call on a cell's last line does not show the block twice;
    use :func:`key_findings` for the HTML itself.
    """
    block = key_findings(findings, title=title)
    from IPython.display import HTML, display

    display(HTML(str(block)), metadata={HEADLINE_METADATA_KEY: {"headline": findings[0].strip()}})


#: the one heading of each report's recommendations (the notebooks add no heading of their own)
RECOMMENDATIONS_TITLE = "Recommendations for the rolling plan"


#: the recommendation when nothing in a report could be compared (no "no change" claim)
NOTHING_COMPARED = (
    "Review the current actions once the missing data are supplied: nothing in this report "
    "could be compared with an earlier year or with a target, so whether anything worsened "
    "is not known."
)


def implications(
    *,
    worsened: Iterable[str] = (),
    missed_target: Iterable[str] = (),
    places: Iterable[str] = (),
    times: Iterable[str] = (),
    notes: Iterable[str] = (),
    title: str = RECOMMENDATIONS_TITLE,
    compared: bool = True,
) -> HtmlBlock:
    """The closing block: the report's recommendations for the rolling plan, with reasons.

    One per report, under one heading (:data:`RECOMMENDATIONS_TITLE`): each line is a
    recommendation a board can adopt, followed by what it rests on.

    Parameters
    ----------
    worsened : iterable of str
        Indicators that worsened significantly.
    missed_target : iterable of str
        Indicators that missed their target.
    places, times : iterable of str
        Places and times that concentrate the problem (e.g. "Central ward (14% of
        offences)", "Friday and Saturday nights, 22:00 to 03:00").
    notes : iterable of str
        Further computed sentences.
    compared : bool
        Whether anything in the report could be compared with an earlier year or a
        target. With nothing worsened or missed, the report says the current actions
        can stay only when something was compared; otherwise that it is not known
        whether anything worsened.
    """
    worsened = _items(worsened, "implications")
    missed = _items(missed_target, "implications")
    places = _items(places, "implications")
    times = _items(times, "implications")
    notes = _items(notes, "implications")
    lines = []
    if worsened:
        lines.append(
            "Make reversing these rises a priority of the plan; each worsened by more than "
            f"chance would explain: {'; '.join(worsened)}."
        )
    if missed:
        lines.append(f"Review the actions behind the targets not met: {'; '.join(missed)}.")
    if not worsened and not missed and compared:
        lines.append(
            "Keep the current actions and watch for change: no indicator worsened by more "
            "than chance would explain or missed its target."
        )
    elif not worsened and not missed:
        lines.append(NOTHING_COMPARED)
    if places:
        lines.append(
            f"Focus resources on the places where the problem concentrates: {'; '.join(places)}."
        )
    if times:
        lines.append(f"Plan patrols and services for the times when it peaks: {'; '.join(times)}.")
    lines.extend(_sentence(n) for n in notes)
    lis = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    style = _BLOCK_STYLE.replace("#12436D", "#F46A25").replace("#F2F6FA", "#FEF4EE")
    return HtmlBlock(
        f'<section class="sa-implications" style="{style}">'
        f'<h2 style="margin-top:0.3em">{html.escape(title)}</h2><ul>{lis}</ul></section>'
    )
