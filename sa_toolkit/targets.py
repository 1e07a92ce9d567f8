"""The partnership's own targets: one file, per indicator and year, with who agreed them.

The toolkit ships no local targets: a target is a decision of the partnership, not a
property of an indicator. The file named by ``performance.targets`` in the configuration
(template ``data/templates/targets.csv``, documented in ``docs/indicators.md``) holds

``indicator_id, year, target_type, target, source, agreed_by``

* ``year``: the financial year the target is for (``2025/26``);
* ``target_type``: ``relative_change`` (% change on the year before, ``-5`` = at least
  a 5% fall), ``point_change`` (percentage points) or ``level`` (in the indicator's unit);
* ``target``: a number (``-5``, ``-5%``, ``293``), or ``tbc`` (agreed that there will be
  one: the row says "target to be confirmed" and gets no light);
* ``source``: where it is written down (e.g. "Rolling plan 2008-11, Appendix 1");
* ``agreed_by``: who agreed it (e.g. "Safer Southwark Partnership board, March 2008").

An indicator with no target for the year is rated by direction and significance
(:mod:`sa_toolkit.traffic_lights`). A bad row stops with a message naming the file, row
and column: a target is too important to drop silently.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sa_toolkit.errors import InputFileError
from sa_toolkit.periods import FinancialYear

TARGET_COLUMNS = ("indicator_id", "year", "target_type", "target", "source", "agreed_by")
TARGET_KINDS = ("relative_change", "point_change", "level")
TO_BE_CONFIRMED = "tbc"
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$|^[+-]?\.\d+%?$")


def empty_targets() -> pd.DataFrame:
    """A targets table with no rows (no targets file)."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in TARGET_COLUMNS})
    frame["target_value"] = pd.Series(dtype="float64")
    return frame


def read_targets(path: str | Path) -> pd.DataFrame:
    """Read and check a targets file (CSV or xlsx).

    Returns
    -------
    DataFrame
        :data:`TARGET_COLUMNS` as text (``year`` as ``2025/26``) plus ``target_value``
        (float; NaN for ``tbc``).
    """
    file = Path(path)
    if not file.is_file():
        raise InputFileError(str(file), "targets file not found (performance.targets)")
    if file.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise InputFileError(
            str(file), "unsupported file type", expected=".csv or .xlsx", found=file.suffix
        )
    # the one validated reader: UTF-8 or Windows-1252, Excel's trailing blanks, headers in
    # any case; a row with the wrong number of fields refuses the file (never read shifted)
    from sa_toolkit.ingest.reader import read_text_table

    text, _ = read_text_table(
        file, known=TARGET_COLUMNS, required=TARGET_COLUMNS, sheet_names=("targets",)
    )
    lines = text["source_line"].to_list()
    frame = text.select(list(TARGET_COLUMNS)).to_pandas()
    frame = frame.astype(object).where(frame.notna(), "")
    frame = frame[list(TARGET_COLUMNS)].apply(lambda col: col.str.strip())
    values = []
    for i, row in enumerate(frame.to_dict("records")):
        line = lines[i]

        def fail(column: str, problem: str, expected: str, row=row, line=line) -> None:
            raise InputFileError(
                str(file), problem, line=line, column=column, expected=expected,
                found=repr(row[column]),
            )  # fmt: skip

        for column in ("indicator_id", "year", "target", "source", "agreed_by"):
            if not row[column]:
                fail(column, f"{column} is blank", "a value in every row")
        try:
            frame.loc[i, "year"] = FinancialYear.parse(row["year"]).label
        except Exception:  # noqa: BLE001 - any parse failure is the same user error
            fail("year", "not a financial year", "e.g. 2025/26")
        target = row["target"].replace("\u2212", "-").replace(" ", "")
        if target.lower() == TO_BE_CONFIRMED:
            if row["target_type"] and row["target_type"] not in TARGET_KINDS:
                fail("target_type", "unknown target type", ", ".join(TARGET_KINDS))
            values.append(float("nan"))
            continue
        if row["target_type"] not in TARGET_KINDS:
            fail("target_type", "unknown target type", ", ".join(TARGET_KINDS))
        if not _NUMBER.match(target):
            fail("target", "not a number", "a number such as -5, -5% or 293, or tbc")
        values.append(float(target.rstrip("%").replace(",", "")))
    frame["target_value"] = pd.Series(values, index=frame.index, dtype="float64")
    duplicated = frame.duplicated(["indicator_id", "year"])
    if duplicated.any():
        first = int(duplicated.to_numpy().argmax())
        raise InputFileError(
            str(file),
            f"indicator {frame.at[first, 'indicator_id']!r} has two targets for "
            f"{frame.at[first, 'year']}",
            line=lines[first],
            column="indicator_id",
            expected="one target per indicator and year",
        )
    return frame


def load_targets(cfg) -> pd.DataFrame:
    """The configured targets file (``performance.targets``), or no targets."""
    path = getattr(cfg, "targets", None)
    return read_targets(path) if path else empty_targets()


def targets_for_year(targets: pd.DataFrame | None, year: FinancialYear | str) -> dict:
    """``{indicator_id: {target_type, target, source, agreed_by}}`` for one year."""
    if targets is None or targets.empty:
        return {}
    label = FinancialYear.parse(year).label
    rows = targets[targets["year"] == label]
    return {
        r["indicator_id"]: {
            "target_type": r["target_type"],
            "target": None if pd.isna(r["target_value"]) else float(r["target_value"]),
            "source": r["source"],
            "agreed_by": r["agreed_by"],
        }
        for r in rows.to_dict("records")
    }
