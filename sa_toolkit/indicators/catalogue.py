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


def load_series_breaks(path: str | Path | None = None) -> pd.DataFrame:
    """Known series breaks: ``indicator, first_period, reason, comparison_note, source`` plus
    ``starts``."""
    file = Path(path) if path else SERIES_BREAKS_PATH
    table = pd.read_csv(file, dtype="string", keep_default_na=False)
    expected = ["indicator", "first_period", "reason", "comparison_note", "source"]
    if list(table.columns) != expected:
        raise InputFileError(
            str(file),
            "unexpected header",
            expected=",".join(expected),
            found=",".join(table.columns),
        )
    starts = []
    for line, value in enumerate(table["first_period"], start=2):
        try:
            starts.append(period_start(value))
        except Exception:  # noqa: BLE001 - reported with its line
            raise InputFileError(
                str(file),
                "first_period is not a period",
                line=line,
                column="first_period",
                expected="2022/23, 2022-04 or 2016",
                found=repr(value),
            ) from None
    table["starts"] = starts
    return table


def break_between(
    indicator: str,
    baseline: FinancialYear,
    actual: FinancialYear,
    breaks: pd.DataFrame | None = None,
) -> pd.Series | None:
    """The series break starting after the baseline year begins and before the actual year ends."""
    table = load_series_breaks() if breaks is None else breaks
    rows = table[
        (table["indicator"] == indicator)
        & (table["starts"] > baseline.start)
        & (table["starts"] < actual.end)
    ]
    return None if rows.empty else rows.iloc[0]
