"""The indicator catalogue (``sa_toolkit/data/indicators.yml``) and series breaks
(``sa_toolkit/data/series_breaks.csv``): definitions are data, not code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from sa_toolkit.errors import InputFileError
from sa_toolkit.indicators._common import DATA_DIR
from sa_toolkit.periods import FinancialYear

CATALOGUE_PATH = DATA_DIR / "indicators.yml"
SERIES_BREAKS_PATH = DATA_DIR / "series_breaks.csv"

PRIORITIES = (
    "violent_crime",
    "youth_crime",
    "anti_social_behaviour",
    "drugs_and_alcohol",
    "reoffending",
    "safer_communities",
)
UNITS = ("count", "rate_per_1000", "rate_per_10000", "rate_per_100000", "percent", "ratio")
POLARITIES = ("lower_is_better", "higher_is_better", "none")
TARGET_TYPES = ("relative_change", "point_change", "level", "none")
REQUIRED_TEXT = ("id", "name", "priority", "definition", "numerator", "denominator", "source")
FIELDS = (
    "id",
    "name",
    "priority",
    "definition",
    "numerator",
    "denominator",
    "unit",
    "polarity",
    "source",
    "status",
    "current_equivalent",
    "computation",
    "note",
)


def validate_catalogue(entries: list[dict], file: str = "indicators.yml") -> None:
    """Every entry has a definition, unit and polarity (and the other fields) with allowed values.

    Raises :class:`InputFileError` naming the indicator and the field.
    """
    from sa_toolkit.indicators.computations import COMPUTATIONS

    if not isinstance(entries, list) or not entries:
        raise InputFileError(file, "the catalogue lists no indicators under 'indicators:'")
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = (
            f"indicator {entry.get('id', f'number {i}')!r}"
            if isinstance(entry, dict)
            else f"entry {i}"
        )
        if not isinstance(entry, dict):
            raise InputFileError(file, f"{where} is not a mapping of fields")
        if "target" in entry or "target_type" in entry:
            raise InputFileError(
                file,
                f"{where} carries a target: targets belong to the partnership, in the targets "
                "file named by performance.targets (see data/templates/targets.csv)",
                column="target",
            )
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise InputFileError(
                file, f"{where} has unknown field(s) {unknown}", expected=", ".join(FIELDS)
            )
        for key in REQUIRED_TEXT:
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise InputFileError(file, f"{where} lacks a {key}", column=key)
        for key, allowed in (
            ("unit", UNITS),
            ("polarity", POLARITIES),
            ("priority", PRIORITIES),
        ):
            value = entry.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise InputFileError(
                    file, f"{where} lacks a {key}", column=key, expected=", ".join(allowed)
                )
            if value not in allowed:
                raise InputFileError(
                    file,
                    f"{where} has an unknown {key}",
                    column=key,
                    expected=", ".join(allowed),
                    found=repr(value),
                )
        if entry["id"] in seen:
            raise InputFileError(file, f"{where} is listed twice", column="id")
        seen.add(entry["id"])
        comp = entry.get("computation")
        if comp is not None:
            if not isinstance(comp, dict) or comp.get("function") not in COMPUTATIONS:
                raise InputFileError(
                    file,
                    f"{where} names an unknown computation",
                    column="computation",
                    expected=", ".join(sorted(COMPUTATIONS)),
                    found=repr(comp.get("function") if isinstance(comp, dict) else comp),
                )


def load_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """The validated catalogue as a frame, one row per indicator, indexed by ``id``."""
    file = Path(path) if path else CATALOGUE_PATH
    try:
        # libyaml's safe loader when present: the same document, read ten times faster
        # (it is read in every notebook of a run)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        doc = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise InputFileError(str(file), f"cannot read the indicator catalogue ({exc})") from None
    entries = doc.get("indicators") if isinstance(doc, dict) else None
    validate_catalogue(entries, str(file))
    frame = pd.DataFrame([{k: e.get(k) for k in FIELDS} for e in entries])
    return frame.set_index("id", drop=False)


def period_start(text: str) -> pd.Timestamp:
    """Start date of a period written ``2022/23`` (financial year), ``2022-04`` (month) or ``2016``."""
    text = str(text).strip()
    if len(text) == 4 and text.isdigit():
        return pd.Timestamp(int(text), 1, 1)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        return pd.Timestamp(int(text[:4]), int(text[5:]), 1)
    return FinancialYear.parse(text).start


#: columns of ``series_breaks.csv`` (the package's and a partnership's own)
SERIES_BREAK_COLUMNS = [
    "indicator",
    "first_period",
    "reason",
    "comparison_note",
    "effect",
    "source",
]
#: ``not_comparable``: the counting or the definition changed, no change is computed across
#: it; ``context``: an event that moved the figures (COVID-19 restrictions) or a partial
#: counting change: the change is computed and every comparison spanning it says so
BREAK_EFFECTS = ("not_comparable", "context")
#: a partnership's own known breaks (e.g. a change in its force's recording practice), in
#: the raw folder beside the downloads; the same columns as the package file
LOCAL_SERIES_BREAKS = "series_breaks.csv"
#: ``indicator`` value of a break that concerns every indicator
ALL_INDICATORS = "*"


def _read_breaks(file: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(file, dtype="string", keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputFileError(str(file), f"cannot be read ({exc})") from None
    if list(table.columns) != SERIES_BREAK_COLUMNS:
        raise InputFileError(
            str(file),
            "unexpected header",
            line=1,
            expected=",".join(SERIES_BREAK_COLUMNS),
            found=",".join(table.columns),
        )
    starts = []
    for line, row in enumerate(table.itertuples(index=False), start=2):
        for column in ("indicator", "reason", "source"):
            if not str(getattr(row, column)).strip():
                raise InputFileError(
                    str(file),
                    f"{column} is blank: every break names its indicator, reason and source",
                    line=line,
                    column=column,
                )
        if row.effect not in BREAK_EFFECTS:
            raise InputFileError(
                str(file),
                "unknown effect",
                line=line,
                column="effect",
                expected=", ".join(BREAK_EFFECTS),
                found=repr(row.effect),
            )
        try:
            starts.append(period_start(row.first_period))
        except Exception:  # noqa: BLE001 - reported with its line
            raise InputFileError(
                str(file),
                "first_period is not a period",
                line=line,
                column="first_period",
                expected="2022/23, 2022-04 or 2016",
                found=repr(row.first_period),
            ) from None
    table["starts"] = pd.Series(starts, dtype="datetime64[ns]")
    table["origin"] = str(file)
    return table


def load_series_breaks(path: str | Path | None = None, raw_dir: str | Path | None = None):
    """Known series breaks: :data:`SERIES_BREAK_COLUMNS` plus ``starts`` (first day) and
    ``origin`` (the file).

    The package's registry (``sa_toolkit/data/series_breaks.csv``: real events, each with
    its published source) and, with ``raw_dir``, the partnership's own
    ``<raw_dir>/series_breaks.csv`` when there is one (the demo writes its invented
    break there, so a real partnership's run never sees it).
    """
    tables = [_read_breaks(Path(path) if path else SERIES_BREAKS_PATH)]
    if raw_dir is not None and (Path(raw_dir) / LOCAL_SERIES_BREAKS).is_file():
        tables.append(_read_breaks(Path(raw_dir) / LOCAL_SERIES_BREAKS))
    return pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]


def breaks_between(
    indicator: str,
    baseline: FinancialYear,
    actual: FinancialYear,
    breaks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every break of ``indicator`` (or of all indicators) starting after the baseline year
    begins and before the actual year ends: what a comparison of the two years spans."""
    table = load_series_breaks() if breaks is None else breaks
    which = table["indicator"].isin([indicator, ALL_INDICATORS])
    return table[which & (table["starts"] > baseline.start) & (table["starts"] < actual.end)]


def break_between(
    indicator: str,
    baseline: FinancialYear,
    actual: FinancialYear,
    breaks: pd.DataFrame | None = None,
) -> pd.Series | None:
    """The first break that makes the two years not comparable (``effect`` not_comparable),
    None when there is none (context events: :func:`breaks_between`)."""
    rows = breaks_between(indicator, baseline, actual, breaks)
    if "effect" in rows.columns:
        rows = rows[rows["effect"] == "not_comparable"]
    return None if rows.empty else rows.iloc[0]


def context_between(
    indicator: str,
    baseline: FinancialYear,
    actual: FinancialYear,
    breaks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Context events (``effect`` context) a comparison of the two years spans."""
    rows = breaks_between(indicator, baseline, actual, breaks)
    return rows[rows["effect"] == "context"]


def comparison_caveats(
    indicator_ids, baseline: FinancialYear, actual: FinancialYear, breaks: pd.DataFrame
) -> list[str]:
    """Sentences for a report: every break or event the comparison of ``baseline`` with
    ``actual`` spans for these indicators (each once), e.g. "2019/20 and 2020/21 compared
    with care: COVID-19 restrictions: ...". Empty when none."""
    seen: dict[str, str] = {}
    for indicator in indicator_ids:
        for row in breaks_between(indicator, baseline, actual, breaks).itertuples(index=False):
            key = f"{row.first_period}|{row.reason}"
            if key not in seen:
                lead = (
                    "not compared" if row.effect == "not_comparable" else "to be compared with care"
                )
                seen[key] = (
                    f"{baseline.label} and {actual.label} {lead}: {row.reason} "
                    f"(source: {row.source})."
                )
    return list(seen.values())


def comparison_flags(
    indicator_ids, baseline: FinancialYear, actual: FinancialYear, breaks: pd.DataFrame
) -> list[str]:
    """The short notes (``comparison_note``, capitalised) of the breaks and events the
    comparison spans, each once: for a headline ("Compared with care: 2020/21 was a year of
    COVID-19 restrictions.")."""
    out: list[str] = []
    for indicator in indicator_ids:
        for note in breaks_between(indicator, baseline, actual, breaks)["comparison_note"]:
            text = f"{str(note)[:1].upper()}{str(note)[1:]}."
            if text not in out:
                out.append(text)
    return out
