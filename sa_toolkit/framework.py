"""The performance framework: baseline, actual, change, traffic light, target, comment.

Rows come from the values an analyst enters (CSV or xlsx) and from the indicators the
toolkit computes from the processed data (``computation`` in the catalogue). Entered
numbers win over computed ones. A value that is not a number (blank, ``tbc``, "baseline
to be established in 08/09") is kept as a note: the row gets no change and no traffic
light, never an error. A number followed by a bracketed remark ("1,669 (projected
08/09)") is read as the number, and the remark is added to the comment.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit import safe_output
from sa_toolkit.board_language import indicator_name, plain_reason
from sa_toolkit.errors import InputFileError, UserError
from sa_toolkit.indicators.catalogue import (
    POLARITIES,
    TARGET_TYPES,
    UNITS,
    break_between,
    context_between,
    load_catalogue,
    load_series_breaks,
)
from sa_toolkit.indicators.change import (
    change_unit,
    dsr_change,
    poisson_change,
    proportion_change,
    simple_change,
)
from sa_toolkit.indicators.computations import (
    COHORT_COMPUTATIONS,
    WAVE_COMPUTATIONS,
    DataSource,
    NotComputable,
    before_period,
    compute,
)
from sa_toolkit.indicators.overdispersion import dispersion_from_totals
from sa_toolkit.measures import displayed
from sa_toolkit.periods import FinancialYear
from sa_toolkit.targets import load_targets, targets_for_year
from sa_toolkit.traffic_lights import NO_TARGET_TEXT, traffic_light

VALUE_COLUMNS = ("indicator_id", "baseline", "actual")
OPTIONAL_COLUMNS = (
    "name", "priority", "unit", "polarity", "target_type", "target", "comment",
    "baseline_count", "actual_count", "baseline_denominator", "actual_denominator",
)  # fmt: skip
OUTPUT_COLUMNS = [
    "indicator_id", "name", "priority", "baseline", "actual", "change", "change_unit", "rag",
    "rag_label", "target", "target_type", "significant", "p_value", "unit", "polarity",
    "value_source", "comment", "target_source",
]  # fmt: skip

_PER = {"rate_per_1000": 1000, "rate_per_10000": 10000, "rate_per_100000": 100000}
_NUMBER = re.compile(
    r"^\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*%?\s*(?:\((.*)\))?\s*$"
)


class FrameDetails(dict):
    """Details kept in a framework's ``attrs`` (the values' counts and intervals, the
    indicators not computed), shared by every copy of the frame.

    pandas deep-copies ``attrs`` into the result of almost every operation on a frame
    (a selection, a sort, each row of ``iterrows``): one run made about 950 copies of
    these details, a second of work. They are written once, when the framework is built
    or read, and only read after that, so a copy can be the same object.
    """

    def __deepcopy__(self, memo) -> FrameDetails:
        return self


@dataclass(frozen=True)
class Parsed:
    """A cell read as a number where it is one; otherwise its text is the note."""

    number: float | None
    text: str
    remark: str = ""


def parse_value(cell: object) -> Parsed:
    """``"1,669 (projected 08/09)"`` -> 1669 with remark; ``"tbc"`` -> no number, note ``tbc``."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell is pd.NA:
        return Parsed(None, "")
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        return Parsed(float(cell), f"{cell:g}")
    text = str(cell).strip()
    match = _NUMBER.match(text.replace("\u2212", "-"))
    if match:
        return Parsed(float(match.group(1).replace(",", "")), text, (match.group(2) or "").strip())
    return Parsed(None, text)


def _clean(cell: object) -> str:
    if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return str(cell).strip()


def read_values(path: str | Path) -> pd.DataFrame:
    """Read entered values (CSV or xlsx) as text through the validated reader.

    Columns are found by name (ignoring case and spaces); a row with the wrong number of
    fields is refused with its line, never read shifted. ``attrs["lines"]`` holds each
    row's line (or sheet row) number.
    """
    from sa_toolkit.ingest.reader import read_text_table

    file = Path(path)
    if not file.is_file():
        raise InputFileError(str(file), "file not found")
    suffix = file.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise InputFileError(
            str(file), "unsupported file type", expected=".csv or .xlsx", found=suffix
        )
    text, table = read_text_table(
        file,
        known=VALUE_COLUMNS + OPTIONAL_COLUMNS,
        required=VALUE_COLUMNS,
        sheet_names=("values", "Performance framework"),
    )
    lines = text["source_line"].to_list()
    text = text.drop("source_line").fill_null("")
    frame = pd.DataFrame({c: text[c].to_list() for c in text.columns}, dtype=str)
    ids = frame["indicator_id"].str.strip()
    for i, value in enumerate(ids):
        if not value:
            raise InputFileError(
                str(file), "indicator_id is blank", line=lines[i], column="indicator_id"
            )
    dup = ids.duplicated()
    if dup.any():
        line = lines[int(np.argmax(dup.to_numpy()))]
        raise InputFileError(
            str(file),
            f"indicator {ids[dup].iloc[0]!r} is listed twice",
            line=line,
            column="indicator_id",
        )
    for column, allowed in (
        ("unit", UNITS),
        ("polarity", POLARITIES),
        ("target_type", TARGET_TYPES),
    ):
        if column in frame.columns:
            for i, value in enumerate(frame[column].str.strip()):
                if value and value not in allowed:
                    raise InputFileError(
                        str(file), f"unknown {column}", line=lines[i], column=column,
                        expected=", ".join(allowed), found=repr(value),
                    )  # fmt: skip
    frame["indicator_id"] = ids
    frame.attrs["unknown_columns"] = [
        c for c in frame.columns if c not in VALUE_COLUMNS + OPTIONAL_COLUMNS
    ]
    frame.attrs["lines"] = lines
    frame.attrs["encoding"] = table.encoding
    return frame


def _significance(
    unit: str,
    base: Parsed,
    act: Parsed,
    counts: dict[str, float | None],
    level: float,
    dispersion=None,
) -> tuple[bool | None, float | None]:
    """Test the change where counts or sample sizes allow; (None, None) when not testable."""
    b_n, a_n = counts.get("baseline_count"), counts.get("actual_count")
    b_d, a_d = counts.get("baseline_denominator"), counts.get("actual_denominator")
    confidence = 1 - level
    limits = [
        counts.get(k) for k in ("baseline_lower", "baseline_upper", "actual_lower", "actual_upper")
    ]
    try:
        if b_n is None and None not in limits and base.number and act.number:
            # a directly standardised rate: the ratio of the two rates, from their intervals
            frame = pd.DataFrame(
                {"b": [base.number], "bl": [limits[0]], "bu": [limits[1]],
                 "a": [act.number], "al": [limits[2]], "au": [limits[3]]}
            )  # fmt: skip
            out = dsr_change(frame, "b", "bl", "bu", "a", "al", "au", confidence=confidence)
            p = float(out["p_value"][0])
            return p < level, p
        if unit == "percent":
            if b_d and a_d:
                x0 = b_n if b_n is not None else round(base.number / 100 * b_d)
                x1 = a_n if a_n is not None else round(act.number / 100 * a_d)
                frame = pd.DataFrame({"x0": [x0], "n0": [b_d], "x1": [x1], "n1": [a_d]})
                out = proportion_change(
                    frame, "x0", "n0", "x1", "n1", confidence=max(confidence, 0.9)
                )
                p = float(out["p_value"][0])
                return p < level, p
            return None, None
        if b_n is None and unit == "count":
            b_n, a_n = base.number, act.number
        if b_n is None or a_n is None or b_n != round(b_n) or a_n != round(a_n):
            return None, None
        per = _PER.get(unit)
        if per and (not b_d or not a_d) and base.number and act.number:
            # counts entered beside rates: the populations are implied by count / rate
            b_d, a_d = b_n / base.number * per, a_n / act.number * per
        frame = pd.DataFrame({"b": [b_n], "a": [a_n], "nb": [b_d or 1.0], "na": [a_d or 1.0]})
        out = poisson_change(
            frame, "b", "a", "nb", "na", confidence=max(confidence, 0.9), dispersion=dispersion
        )
        p = float(out["p_value"][0])
        return p < level, p
    except (UserError, ValueError):
        return None, None


#: computations whose value is a count of events (or a rate of one): their year-on-year
#: test allows for the extra-Poisson variation of the same count over earlier years
COUNT_COMPUTATIONS = frozenset({
    "police_crime_count", "police_crime_rate", "incident_flag_count", "incident_flag_rate",
    "incident_offence_count", "incident_offence_rate", "young_victims_count",
    "asb_incident_rate", "fire_rate", "fire_casualty_rate",
})  # fmt: skip
HISTORY_YEARS = 5


def _history_dispersion(comp: dict, data: DataSource, baseline_year: FinancialYear):
    """Dispersion of the computed count over the years up to the baseline (not the year
    tested), from the same computation; None when fewer than four years are computable."""
    totals, fy = [], baseline_year
    for _ in range(HISTORY_YEARS):
        try:
            result = compute(comp, data, fy)
        except NotComputable:
            break
        if result.count is None:
            return None
        totals.append(float(result.count))
        fy = fy.previous()
    dispersion = dispersion_from_totals(totals[::-1])
    return dispersion if dispersion.extra else None


def _row_fields(
    entered: dict, catalogue: pd.DataFrame, indicator_id: str, agreed: dict | None = None
) -> tuple[dict, list[str]]:
    """Entered fields over the catalogue's; the target entered, else the partnership's.

    ``agreed`` is the row of the partnership's targets file for this indicator and year
    (:func:`sa_toolkit.targets.targets_for_year`); the catalogue carries no targets.
    """
    known = catalogue.loc[indicator_id].to_dict() if indicator_id in catalogue.index else {}
    fields, notes = {}, []
    for key in ("name", "priority", "unit", "polarity"):
        value = _clean(entered.get(key))
        fields[key] = value or (known.get(key) or "")
    entered_type = _clean(entered.get("target_type"))
    fields["target_source"] = ""
    target_cell = entered.get("target")
    if _clean(target_cell):
        parsed = parse_value(target_cell)
        fields["target"], fields["target_type"] = parsed.number, entered_type
        if parsed.number is None:
            notes.append(f"target: {parsed.text}")
    elif agreed:
        # "tbc" without a type: a target is agreed in principle, not yet set
        fields["target_type"] = agreed["target_type"] or "tbc"
        fields["target"] = agreed["target"]
        fields["target_source"] = f"{agreed['agreed_by']}; {agreed['source']}"
    else:
        fields["target"], fields["target_type"] = None, entered_type
    if not fields["target_type"]:
        fields["target_type"] = "none" if fields["target"] is None else ""
    if not fields["unit"]:
        notes.append("unit unknown: add it to the values file or the catalogue")
    if not fields["polarity"]:
        fields["polarity"] = "none"
    if fields["target_type"] == "":
        notes.append("target type unknown")
        fields["target_type"] = "none"
        fields["target"] = None
    fields["computation"] = known.get("computation")
    return fields, notes


def _one_per_computation(
    catalogue: pd.DataFrame, entered_ids: set[str], with_target: set[str] = frozenset()
) -> dict[str, list[str]]:
    """Computed indicators, one per distinct computation.

    A retired national indicator and today's equivalent often compute the same number
    (NI 28 and the knife crime rate): the board should see it once, so the entry with a
    target is kept (else the first in the catalogue) and the others are named in its
    comment. ``with_target`` names the indicators the partnership set a target for.
    Returns ``{kept_id: [names of the same measure]}`` in catalogue order.
    """
    groups: dict[str, list[str]] = {}
    for indicator_id, comp in catalogue["computation"].items():
        if isinstance(comp, dict) and indicator_id not in entered_ids:
            groups.setdefault(json.dumps(comp, sort_keys=True, default=str), []).append(
                indicator_id
            )

    def has_target(indicator_id: str) -> bool:
        return indicator_id in with_target

    kept: dict[str, list[str]] = {}
    for ids in groups.values():
        chosen = next((i for i in ids if has_target(i)), ids[0])
        kept[chosen] = [indicator_name(i, catalogue.at[i, "name"]) for i in ids if i != chosen]
    order = {i: n for n, i in enumerate(catalogue.index)}
    return dict(sorted(kept.items(), key=lambda item: order[item[0]]))


def build_framework(
    values: pd.DataFrame | None = None,
    *,
    year: FinancialYear | str,
    catalogue: pd.DataFrame | None = None,
    data: DataSource | None = None,
    tolerance: float = 2.0,
    significance_level: float = 0.05,
    series_breaks: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Build the performance framework table.

    Parameters
    ----------
    values : DataFrame, optional
        Entered values (see :func:`read_values`); all text.
    year : FinancialYear or str
        The actual year; the baseline is the year before.
    catalogue : DataFrame, optional
        Default: :func:`load_catalogue`.
    data : DataSource, optional
        Where to compute catalogue indicators from; None to use entered values only.
    tolerance : float
        Amber tolerance (% or points).
    significance_level : float
        Level for "significant" (e.g. 0.05).
    targets : DataFrame, optional
        The partnership's targets (:func:`sa_toolkit.targets.read_targets`); the rows for
        ``year`` are used. A target entered in ``values`` wins. None: no targets, every
        row is rated by direction and significance.

    Returns
    -------
    DataFrame
        One row per indicator with :data:`OUTPUT_COLUMNS`.
    """
    year = FinancialYear.parse(year)
    baseline_year = year.previous()
    catalogue = load_catalogue() if catalogue is None else catalogue
    breaks = load_series_breaks() if series_breaks is None else series_breaks
    agreed_targets = targets_for_year(targets, year)
    entries: list[tuple[str, dict, str]] = []
    if values is not None:
        for record in values.to_dict("records"):
            entries.append((record["indicator_id"], record, "entered"))
    entered_ids = {e[0] for e in entries}
    also_reported: dict[str, list[str]] = {}
    if data is not None:
        with_target = {i for i, t in agreed_targets.items() if t["target"] is not None}
        for indicator_id, others in _one_per_computation(
            catalogue, entered_ids, with_target
        ).items():
            entries.append((indicator_id, {"indicator_id": indicator_id}, "computed"))
            also_reported[indicator_id] = others
    rows = []
    skipped: dict[str, str] = {}
    #: each computed value with its count, denominator, interval and period, by indicator
    #: and "baseline"/"actual": the run's measure set (sa_toolkit.measures) is built from it
    computed_values: dict[str, dict[str, dict]] = {}
    for indicator_id, entered, origin in entries:
        fields, notes = _row_fields(
            entered, catalogue, indicator_id, agreed_targets.get(indicator_id)
        )
        base, act = parse_value(entered.get("baseline")), parse_value(entered.get("actual"))
        counts = {
            k: parse_value(entered.get(k)).number
            for k in (
                "baseline_count",
                "actual_count",
                "baseline_denominator",
                "actual_denominator",
            )
        }
        source = "entered" if origin == "entered" else ""
        comp = fields["computation"]
        why_not = ""  # the analyst's reason (tables, functions), kept in attrs["not_computed"]
        if (
            data is not None
            and isinstance(comp, dict)
            and (base.number is None or act.number is None)
        ):
            computed_any = False
            # a year with no computable baseline (the first year of data) has no period
            base_period = act_period = ""
            for key, parsed, fy, other in (
                ("baseline", base, baseline_year, year),
                ("actual", act, year, baseline_year),
            ):
                if parsed.number is not None or (origin == "entered" and parsed.text):
                    continue
                try:
                    # like for like with the other year, as the reports (sa_toolkit.coverage)
                    result = compute(comp, data, fy, compared_with=other)
                except NotComputable as exc:
                    # the comment is read in the reports: the reason in plain words
                    notes.append(f"{key} not computed: {plain_reason(str(exc))}")
                    why_not = f"{key} not computed: {exc}"
                    continue
                computed_any = True
                months_note = result.months_note.rstrip(".")  # notes are joined by "; "
                if months_note and months_note not in notes:
                    notes.append(months_note)
                parsed = Parsed(result.value, f"{result.value:g}", result.note)
                if key == "baseline":
                    base, base_period = parsed, result.period
                else:
                    act, act_period = parsed, result.period
                counts[f"{key}_count"] = result.count
                counts[f"{key}_denominator"] = result.denominator
                counts[f"{key}_lower"], counts[f"{key}_upper"] = result.lower, result.upper
                computed_values.setdefault(indicator_id, {})[key] = _computed_record(result, fy)
            if (
                computed_any
                and comp["function"] in WAVE_COMPUTATIONS | COHORT_COMPUTATIONS
                and base_period
                and base_period == act_period
            ):
                # one survey wave (or re-offending cohort) serves both years: compare
                # with the one before it
                try:
                    before = before_period(comp["function"], act_period)
                    result = compute({**comp, **before}, data, baseline_year)
                    base = Parsed(result.value, f"{result.value:g}", result.note)
                    counts["baseline_count"] = result.count
                    counts["baseline_denominator"] = result.denominator
                    computed_values[indicator_id]["baseline"] = _computed_record(
                        result, baseline_year
                    )
                except NotComputable as exc:
                    base = Parsed(None, "")
                    computed_values[indicator_id].pop("baseline", None)
                    notes.append(f"baseline not computed: {plain_reason(str(exc))}")
            if computed_any:
                source = "computed from data" if origin == "computed" else "entered and computed"
        if origin == "computed" and base.number is None and act.number is None:
            skipped[indicator_id] = why_not or (notes[-1] if notes else "no value")
            continue
        for label, parsed in (("baseline", base), ("actual", act)):
            if parsed.number is None and parsed.text:
                notes.append(f"{label}: {parsed.text}")
            elif parsed.remark:
                notes.append(f"{label}: {parsed.remark}")
        unit = fields["unit"]
        c_unit = change_unit(unit) if unit else ""
        change = np.nan
        significant, p_value = None, None
        brk = break_between(indicator_id, baseline_year, year, breaks)
        # events the comparison spans (COVID-19 restrictions): compared, and said so
        for event in context_between(indicator_id, baseline_year, year, breaks).itertuples():
            notes.append(f"{event.comparison_note} ({event.reason})")
        if brk is not None:
            notes.append(f"{brk['comparison_note']} ({brk['reason']})")
        elif unit and base.number is not None and act.number is not None:
            # from the values as every report shows them, so the change shown beside them
            # reconciles (1.8% to 3.5% is +1.7 pp; sa_toolkit.measures.displayed)
            change = simple_change(displayed(base.number, unit), displayed(act.number, unit), unit)
            if np.isnan(change) and c_unit == "%" and base.number == 0:
                notes.append("no % change from a baseline of zero")
            dispersion = (
                _history_dispersion(comp, data, baseline_year)
                if data is not None
                and source != "entered"
                and isinstance(comp, dict)
                and comp.get("function") in COUNT_COMPUTATIONS
                else None
            )
            significant, p_value = _significance(
                unit, base, act, counts, significance_level, dispersion
            )
        light = traffic_light(
            polarity=fields["polarity"],
            target_type=fields["target_type"],
            target=fields["target"],
            change=None if np.isnan(change) else change,
            change_unit=c_unit,
            actual=act.number,
            unit=unit,
            significant=significant,
            tolerance=tolerance,
        )
        if also_reported.get(indicator_id):
            names = ", ".join(also_reported[indicator_id])
            notes.append(f"the same measure as {names}, shown once")
        comment = "; ".join([c for c in [_clean(entered.get("comment"))] + notes if c])
        rows.append(
            {
                "indicator_id": indicator_id,
                "name": indicator_name(indicator_id, fields["name"]),
                "priority": fields["priority"],
                "baseline": base.number if base.number is not None else base.text,
                "actual": act.number if act.number is not None else act.text,
                "change": None if np.isnan(change) else round(change, 1),
                "change_unit": c_unit if not np.isnan(change) else "",
                "rag": light.rag,
                "rag_label": light.label,
                "target": fields["target"],
                "target_type": fields["target_type"],
                "significant": {True: "yes", False: "no", None: ""}[significant],
                "p_value": p_value,
                "unit": unit,
                "polarity": fields["polarity"],
                "value_source": source,
                "comment": comment,
                "target_source": fields["target_source"],
            }
        )
    frame = pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
    # catalogue indicators left out because neither year could be computed, with the reason
    frame.attrs["not_computed"] = FrameDetails(skipped)
    frame.attrs["computed_values"] = FrameDetails(
        {k: v for k, v in computed_values.items() if k in set(frame["indicator_id"])}
    )
    return frame


def _computed_record(result, fy: FinancialYear) -> dict:
    """What the measure set keeps of one computed value (plain numbers, JSON-ready)."""

    def number(x):
        return None if x is None or not np.isfinite(x) else float(x)

    return {
        "year": fy.label,
        "period": result.period or fy.label,
        "value": float(result.value),
        "count": number(result.count),
        "denominator": number(result.denominator),
        "lower": number(result.lower),
        "upper": number(result.upper),
        "note": " ".join(t for t in (result.note, result.months_note) if t),
    }


_RAG_STYLE = {"G": "#00703c", "A": "#b35c00", "R": "#d4351c"}


def format_target(target: object, target_type: str, unit: str) -> str:
    """The target column as every table shows it: ``-5%``, ``+3 pp``, ``293``, "none set..."."""
    if target_type in ("none", "", None):
        return NO_TARGET_TEXT
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return "to be confirmed"
    if target_type == "relative_change":
        return f"{target:+g}%"
    if target_type == "point_change":
        return f"{target:+g} pp"
    return f"{target:,g}{'%' if unit == 'percent' else ''}"


def row_target(frame: pd.DataFrame | None, indicator_id: str, kind: str) -> float | None:
    """The partnership's target of one framework row when it is of ``kind``, else None.

    ``kind`` ``level`` gives a value to draw on a chart of levels; ``relative_change`` a
    % to compare a change with. No target, a target to be confirmed or one of another
    kind give None (never NaN), so a caller can write ``if target is not None``.
    """
    if frame is None or len(frame) == 0 or "indicator_id" not in frame:
        return None
    rows = frame[frame["indicator_id"] == indicator_id]
    if rows.empty or rows["target_type"].iloc[0] != kind:
        return None
    value = rows["target"].iloc[0]
    return None if value is None or pd.isna(value) else float(value)


def _format_target(row: pd.Series) -> str:
    return format_target(row["target"], row["target_type"], row["unit"])


def framework_html(frame: pd.DataFrame, caption: str = "Performance framework") -> str:
    """An accessible HTML table: every traffic light has its colour name and reason in text."""
    head = ["Indicator", "Priority", "Baseline", "Actual", "Change", "Traffic light", "Target",
            "Significant", "Comment"]  # fmt: skip
    out = [f"<table class='sa-framework'><caption>{html.escape(caption)}</caption><thead><tr>"]
    out += [f"<th scope='col'>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for _, row in frame.iterrows():

        def cell(value, unit=row["unit"]):
            if isinstance(value, float):
                return f"{value:,.4g}{'%' if unit == 'percent' else ''}"
            return html.escape(str(value))

        change = (
            ""
            if pd.isna(row["change"])
            else f"{row['change']:+.1f}{' pp' if row['change_unit'] == 'pp' else '%'}"
        )
        rag = row["rag"]
        colour = _RAG_STYLE.get(rag)
        light = (
            f"<span style='border-left:0.8em solid {colour};padding-left:0.4em'>"
            f"<strong>{rag}</strong> {html.escape(row['rag_label'])}</span>"
            if colour
            else html.escape(row["rag_label"])
        )
        cells = [
            f"<th scope='row'>{html.escape(str(row['indicator_id']))} {html.escape(str(row['name']))}</th>",
            f"<td>{html.escape(str(row['priority']).replace('_', ' '))}</td>",
            f"<td>{cell(row['baseline'])}</td>",
            f"<td>{cell(row['actual'])}</td>",
            f"<td>{change}</td>",
            f"<td>{light}</td>",
            f"<td>{html.escape(_format_target(row))}</td>",
            f"<td>{html.escape(str(row['significant']))}</td>",
            f"<td>{html.escape(str(row['comment']))}</td>",
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def workbook_title(cfg, threshold: int = 0):
    """The formatted workbook's title, notes and demo notice for a configuration."""
    from sa_toolkit import demo_data
    from sa_toolkit.framework_workbook import WorkbookTitle
    from sa_toolkit.traffic_lights import rule_text

    return WorkbookTitle(
        partnership=cfg.partnership_name,
        year=cfg.year.label,
        baseline_year=cfg.year.previous().label,
        rule=rule_text(cfg.amber_tolerance, cfg.significance_level),
        threshold=int(threshold),
        demo_notice=demo_data.NOTICE if demo_data.is_demo(cfg.processed_dir) else "",
    )


def write_framework(
    frame: pd.DataFrame,
    out: str | Path,
    caption: str = "Performance framework",
    *,
    title=None,
) -> Path:
    """Write ``.csv``, ``.xlsx`` or ``.html`` (by the file's suffix).

    With ``title`` (:func:`workbook_title`) an ``.xlsx`` is the formatted workbook
    (:mod:`sa_toolkit.framework_workbook`: title, plain headers, rounded values, traffic
    lights as word and colour, notes); without it, the plain table of every column.
    """
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".html"):
        raise UserError(f"--out must end in .csv, .xlsx or .html, not '{path.name}'")
    path.parent.mkdir(parents=True, exist_ok=True)
    # partner text (names, comments) reaches these files: no cell may be a formula
    if suffix == ".csv":
        safe_output.write_csv(frame, path)
    elif suffix == ".xlsx" and title is not None:
        from sa_toolkit.framework_workbook import write_workbook

        write_workbook(frame, path, title)
    elif suffix == ".xlsx":
        safe_output.write_xlsx(frame, path, sheet_name="Performance framework")
    else:
        body = framework_html(frame, caption)
        path.write_text(
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(caption)}</title></head><body>{body}</body></html>\n",
            encoding="utf-8",
        )
    return path


def framework_command(config_loader, values, out, year, use_data, console) -> pd.DataFrame:
    """``sa framework``: read entered values, compute from data, write the table."""
    cfg = config_loader(year=year)
    entered = read_values(values) if values is not None else None
    if entered is not None and entered.attrs.get("unknown_columns"):
        console.print(
            f"Note: {values} has column(s) the framework does not use: "
            f"{', '.join(entered.attrs['unknown_columns'])}"
        )
    source = DataSource.from_config(cfg) if use_data else None
    if entered is None and source is None:
        raise UserError(
            "nothing to build: give --values FILE, or leave out --no-data to compute from data"
        )
    targets = load_targets(cfg)
    frame = build_framework(
        entered,
        year=cfg.year,
        series_breaks=load_series_breaks(raw_dir=cfg.raw_dir),
        data=source,
        tolerance=cfg.amber_tolerance,
        significance_level=cfg.significance_level,
        targets=targets,
    )
    skipped = frame.attrs.get("not_computed", {})
    if frame.empty:
        reason = next(iter(skipped.values()), "no indicators")
        raise UserError(
            f"no indicator could be computed from {cfg.processed_dir} ({reason}); run `sa ingest` "
            "first, or give entered values with --values"
        )
    if skipped:
        first_id, first_reason = next(iter(skipped.items()))
        console.print(
            f"{len(skipped)} catalogue indicators could not be computed from the data and are left "
            f"out (e.g. {first_id}: {first_reason})"
        )
    caption = f"Performance framework {cfg.year.previous().label} to {cfg.year.label}"
    if out is not None:
        path = write_framework(frame, out, caption, title=workbook_title(cfg))
        console.print(f"Wrote {len(frame)} indicators to {path}")
    counts = frame["rag"].value_counts()
    console.print(
        f"{caption}: {len(frame)} indicators; green {counts.get('G', 0)}, amber "
        f"{counts.get('A', 0)}, red {counts.get('R', 0)}, no rating {(frame['rag'] == '').sum()}"
    )
    if out is None:
        console.print(
            frame[["indicator_id", "baseline", "actual", "change", "change_unit", "rag"]].to_string(
                index=False
            )
        )
    return frame
