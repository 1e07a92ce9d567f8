"""The run's measure set: every measure a report quotes, computed once.

One row per measure and period: ``measure_id, label, priority, period, value, lower,
upper, confidence, method, numerator, denominator, unit, multiplier, definition, source,
note``. The set is built from the one performance-framework computation
(:func:`sa_toolkit.analysis.priority_framework.compute_performance_framework`: the
catalogue's computed indicators for the assessed year and the year before, like for like)
plus the report measures the catalogue does not hold (:data:`REPORT_MEASURES`), each with
its 95% interval (Byar or exact Poisson for counts and rates, Wilson for percentages, the
directly standardised rate's own interval).

Under ``sa run`` the runner computes the set once, in a thread of its own process while the
notebooks' kernels start (:func:`start_run_measures`), and writes it to the run's shared
folder (``measures.json``, with the performance framework the notebooks read) and to the
year's report folder as ``measures.csv`` and ``measures.xlsx`` in board language (labels,
not ids; small counts shown as ``<threshold``). The notebooks, the summary page and the Word
document read it through :func:`load_measure_set`; a notebook run on its own computes the
same set (the same function).

Contract: every interval holds its estimate (``lower <= value <= upper``); a value is
printed by :func:`format_value` (one precision per unit, in every report) and a change is
computed from the values as printed (:func:`displayed_change`), so it reconciles.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: the set's columns, in order
COLUMNS = [
    "measure_id", "label", "priority", "period", "value", "lower", "upper", "confidence",
    "method", "numerator", "denominator", "unit", "multiplier", "definition", "source", "note",
]  # fmt: skip

#: the published table's columns (board language: no ids), from the set's
PUBLISHED = {
    "label": "Measure",
    "priority_name": "Priority",
    "period": "Period",
    "value": "Value",
    "lower": "Lower 95% limit",
    "upper": "Upper 95% limit",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "unit_text": "Unit",
    "definition": "Definition",
    "source": "Source",
    "method_text": "Interval method",
    "note": "Notes",
}

#: the framework unit -> multiplier and the unit in words
UNITS = {
    "rate_per_1000": (1000, "per 1,000 residents"),
    "rate_per_10000": (10000, "per 10,000 residents"),
    "rate_per_100000": (100000, "per 100,000"),
    "percent": (100, "%"),
    "count": (1, "number"),
    "ratio": (1, "re-offences per re-offender"),
}

#: decimals a value is shown with, by unit, in every report (framework tables, sentences);
#: a displayed change is computed from the values rounded so (:func:`displayed`)
DECIMALS = {"percent": 1, "count": 0, "rate_per_100000": 1}
DEFAULT_DECIMALS = 2

SHARED_FILE = "measures.json"
#: written by the runner before it starts computing; removed when the set (or its
#: failure) is written: a notebook waits for the set while it exists
PENDING_FILE = "measures.pending"
FAILED_FILE = "measures.failed"
PUBLISHED_CSV = "measures.csv"
PUBLISHED_XLSX = "measures.xlsx"
#: longest a notebook waits for the runner's set before computing its own
WAIT_SECONDS = 600.0


@dataclass
class MeasureSet:
    """The run's measures (:data:`COLUMNS`) and the performance framework they come from."""

    frame: pd.DataFrame
    framework: pd.DataFrame

    def row(self, measure_id: str, period: str) -> pd.Series | None:
        hit = self.frame[
            (self.frame["measure_id"] == measure_id) & (self.frame["period"] == period)
        ]
        return None if hit.empty else hit.iloc[0]

    def value(self, measure_id: str, period: str) -> float | None:
        row = self.row(measure_id, period)
        return None if row is None else _number(row["value"])

    def periods(self, measure_id: str) -> list[str]:
        return list(self.frame.loc[self.frame["measure_id"] == measure_id, "period"])


# ----------------------------------------------------------------------------- intervals


def _number(x) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _interval_input(unit: str, count, denominator, lower=None, upper=None):
    """How a measure's interval is found: ``("own", (lower, upper, method))``, ``("none",
    (None, None, reason))``, or ``(kind, (count, denominator, per))`` for a statistic."""
    if lower is not None and upper is not None:
        return "own", (lower, upper, "the rate's own interval (directly standardised, Dobson)")
    count, denominator = _number(count), _number(denominator)
    if count is None:
        return "none", (None, None, "no interval: no count")
    per = UNITS.get(unit, (1, ""))[0]
    if unit == "percent":
        if not denominator or count > denominator:
            return "none", (None, None, "no interval: no denominator")
        return "proportion", (count, denominator, 100)
    if unit == "ratio":
        if not denominator:
            return "none", (None, None, "no interval: no denominator")
        # re-offences per re-offender: the count of re-offences is the random part
        return "rate", (count, denominator, 1)
    if unit == "count":
        return "rate", (count, 1.0, 1)
    if not denominator:
        return "none", (None, None, "no interval: no denominator")
    return "rate", (count, denominator, per)


def _statistic(kind: str, rows: list[tuple]) -> list[tuple]:
    """Intervals of many (count, denominator) pairs with one call of the statistic."""
    from sa_toolkit.indicators import proportion, rate

    per = rows[0][2]
    data = pd.DataFrame({"x": [r[0] for r in rows], "n": [r[1] for r in rows]})
    if kind == "proportion":
        out = proportion(data, "x", "n", multiplier=per)
    else:
        out = rate(data, "x", "n", per=per)
    return [
        (float(lo), float(hi), str(method))
        for lo, hi, method in zip(out["lower"], out["upper"], out["method"], strict=True)
    ]


def intervals(requests: list[tuple]) -> list[tuple]:
    """``interval(*request)`` for each request, the statistics computed in batches.

    Each request is ``(unit, count, denominator, lower, upper)``. Rates with the same
    multiplier and percentages are computed together (one validation and one vectorised
    interval per batch, not one small frame per measure); a batch the statistic refuses
    is computed one measure at a time, so one bad value refuses only its own interval.
    """
    results: list[tuple | None] = [None] * len(requests)
    batches: dict[tuple, list[int]] = {}
    inputs = []
    for i, (unit, count, denominator, lower, upper) in enumerate(requests):
        kind, detail = _interval_input(unit, count, denominator, lower, upper)
        inputs.append(detail)
        if kind in ("own", "none"):
            results[i] = detail
        else:
            batches.setdefault((kind, detail[2]), []).append(i)
    for (kind, _), members in batches.items():
        try:
            found = _statistic(kind, [inputs[i] for i in members])
        except ValueError:
            found = [_statistic(kind, [inputs[i]])[0] for i in members]
        for i, value in zip(members, found, strict=True):
            results[i] = value
    return results


def interval(unit: str, value: float, count, denominator, lower=None, upper=None):
    """``(lower, upper, method)`` of a measure's 95% interval, or ``(None, None, reason)``.

    Rates and counts: Byar's method (exact Poisson below 10 events) on the count; a
    percentage: Wilson score on the numerator and denominator (a survey's weighted share
    on its effective sample size); a value computed with its own interval (a directly
    standardised rate) keeps it.
    """
    return intervals([(unit, count, denominator, lower, upper)])[0]


# ----------------------------------------------------------------------------- the set


def _framework_measures(framework: pd.DataFrame) -> list[dict]:
    from sa_toolkit.indicators.catalogue import load_catalogue

    catalogue = load_catalogue()
    details = framework.attrs.get("computed_values", {})
    rows, requests = [], []
    for fw in framework[["indicator_id", "unit", "name", "priority"]].to_dict("records"):
        indicator_id = str(fw["indicator_id"])
        known = catalogue.loc[indicator_id] if indicator_id in catalogue.index else None
        for key in ("baseline", "actual"):
            rec = details.get(indicator_id, {}).get(key)
            if rec is None:
                continue
            unit = str(fw["unit"])
            requests.append((unit, rec["count"], rec["denominator"], rec["lower"], rec["upper"]))
            rows.append(
                {
                    "measure_id": indicator_id,
                    "label": str(fw["name"]),
                    "priority": str(fw["priority"]),
                    "period": rec["period"],
                    "value": rec["value"],
                    "numerator": rec["count"],
                    "denominator": rec["denominator"],
                    "unit": unit,
                    "multiplier": UNITS.get(unit, (1, ""))[0],
                    "definition": "" if known is None else str(known.get("definition") or ""),
                    "source": "" if known is None else str(known.get("source") or ""),
                    "note": rec["note"],
                }
            )
    for row, (lo, hi, method) in zip(rows, intervals(requests), strict=True):
        row.update(lower=lo, upper=hi, confidence=0.95 if lo is not None else None, method=method)
    return rows


def build_measure_set(framework: pd.DataFrame, cfg=None, source=None) -> MeasureSet:
    """The set from a framework computed with its values' details (``attrs``), plus the
    report measures of :data:`REPORT_MEASURES` when ``cfg`` is given."""
    rows = _framework_measures(framework)
    if cfg is not None:
        from sa_toolkit.measure_definitions import report_measures

        rows += report_measures(cfg, source)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return MeasureSet(frame, framework)


def compute_measure_set(cfg, source=None) -> MeasureSet:
    """Compute the run's measure set for ``cfg.year`` (the framework once, then the set)."""
    from sa_toolkit.analysis.priority_framework import compute_performance_framework, local_source

    source = source if source is not None else local_source(cfg)
    framework = compute_performance_framework(cfg, source)
    return build_measure_set(framework, cfg, source)


# ----------------------------------------------------------------------------- sharing


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_shared(ms: MeasureSet, cfg, folder: str | Path) -> Path:
    """Write the set (and its framework, for :mod:`priority_framework`) to the run's folder."""
    from sa_toolkit.analysis import priority_framework as pf

    pf.write_shared_framework(ms.framework, cfg, folder)
    doc = {
        "key": pf._shared_key(cfg),
        "rows": [[_plain(v) for v in row] for row in ms.frame.itertuples(index=False)],
    }
    path = Path(folder) / SHARED_FILE
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _wait_for_runner(folder: Path, timeout: float) -> None:
    """While the runner is computing the set (its pending marker), wait for it."""
    end = time.monotonic() + timeout
    while (folder / PENDING_FILE).exists() and time.monotonic() < end:
        time.sleep(0.1)


def shared_measure_set(cfg, wait: float = WAIT_SECONDS) -> MeasureSet | None:
    """The run's set (waiting while the runner computes it), or None (not under a run,
    the runner failed, or the set is for another configuration)."""
    from sa_toolkit.analysis import priority_framework as pf

    folder = os.environ.get(pf.SHARED_DIR_ENV)
    if not folder:
        return None
    folder = Path(folder)
    _wait_for_runner(folder, wait)
    try:
        doc = json.loads((folder / SHARED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if doc.get("key") != pf._shared_key(cfg):
        return None
    framework = pf.shared_framework(cfg)
    if framework is None:
        return None
    return MeasureSet(pd.DataFrame(doc["rows"], columns=COLUMNS), framework)


def wait_for_run_measures(wait: float = WAIT_SECONDS) -> None:
    """Under ``sa run``, wait while the runner computes the set (no-op otherwise)."""
    from sa_toolkit.analysis import priority_framework as pf

    folder = os.environ.get(pf.SHARED_DIR_ENV)
    if folder:
        _wait_for_runner(Path(folder), wait)


def load_measure_set(cfg, source=None) -> MeasureSet:
    """The run's measure set: the runner's shared copy, else computed here."""
    shared = shared_measure_set(cfg)
    return shared if shared is not None else compute_measure_set(cfg, source)


def start_run_measures(cfg, shared_dir: Path, report_dir: Path) -> threading.Thread:
    """Compute the set in a thread while the notebooks start; they wait for it.

    The pending marker is written before the thread starts, so a notebook that asks
    first waits; a failure is written to ``measures.failed`` (the notebooks then compute
    the set themselves, the way they would on their own) and never stops the run.
    """
    shared_dir = Path(shared_dir)
    (shared_dir / PENDING_FILE).write_text("", encoding="utf-8")

    def work():
        try:
            ms = compute_measure_set(cfg)
            write_shared(ms, cfg, shared_dir)
            write_published(ms, report_dir, cfg.suppression_threshold)
        except Exception as exc:  # noqa: BLE001 - the notebooks compute it then
            with contextlib.suppress(OSError):
                (shared_dir / FAILED_FILE).write_text(f"{type(exc).__name__}: {exc}")
        finally:
            with contextlib.suppress(OSError):
                (shared_dir / PENDING_FILE).unlink()

    thread = threading.Thread(target=work, name="measure-set", daemon=True)
    thread.start()
    return thread


# ----------------------------------------------------------------------------- publishing


def decimals(unit: str, value: float | None = None) -> int:
    """Decimals of ``unit``; more for a value below 1 so it keeps two significant figures
    (a rate of 0.004 per 1,000 is not shown as 0.00)."""
    places = DECIMALS.get(unit, DEFAULT_DECIMALS)
    if unit != "count" and value is not None and 0 < abs(value) < 1:
        places = max(places, 1 - math.floor(math.log10(abs(value))))
    return places


def displayed(value, unit: str) -> float | None:
    """``value`` rounded as the reports show it (half away from zero, as printed)."""
    from decimal import ROUND_HALF_UP, Decimal

    number = _number(value)
    if number is None:
        return None
    step = Decimal(1).scaleb(-decimals(unit, number))
    return float(Decimal(repr(number)).quantize(step, rounding=ROUND_HALF_UP))


def format_value(value, unit: str) -> str:
    """A measure's value as every report quotes it (``1,281``, ``3.5%``, ``25.07``)."""
    number = displayed(value, unit)
    if number is None:
        return ""
    text = f"{number:,.{decimals(unit, _number(value))}f}"
    return f"{text}%" if unit == "percent" else text


def displayed_change(baseline, actual, unit: str) -> float | None:
    """The change between two values as displayed (pp for percentages, else %), to one
    decimal: ``1.8%`` to ``3.5%`` is +1.7 pp whatever the unrounded values were, so a
    reader can reconcile every change with the two figures beside it."""
    from sa_toolkit.indicators.change import simple_change

    b, a = displayed(baseline, unit), displayed(actual, unit)
    if b is None or a is None:
        return None
    change = simple_change(b, a, unit)
    return None if change is None or math.isnan(change) else round(change, 1)


def published_frame(ms: MeasureSet, threshold: int) -> pd.DataFrame:
    """The set in board language: labels, periods, values, intervals, definitions.

    A numerator from 1 to ``threshold - 1`` is shown as ``<threshold``; so are a count
    measure's value and its interval (they would reveal it).
    """
    from sa_toolkit.priorities import PRIORITY_NAMES

    out = ms.frame.copy().astype(
        {"value": object, "lower": object, "upper": object, "numerator": object}
    )
    out["priority_name"] = out["priority"].map(lambda p: PRIORITY_NAMES.get(p, p))
    out["unit_text"] = out["unit"].map(lambda u: UNITS.get(u, (1, u))[1])
    out["method_text"] = out["method"]
    for i, row in out.iterrows():
        count = _number(row["numerator"])
        if count is not None and 0 < count < threshold:
            out.at[i, "numerator"] = f"<{threshold}"
            if row["unit"] == "count":
                out.at[i, "value"] = f"<{threshold}"
                out.at[i, "lower"] = out.at[i, "upper"] = None
    for column in ("value", "lower", "upper", "numerator", "denominator"):
        # four decimals: more than any report shows, so every quoted figure can be checked
        out[column] = [round(v, 4) if isinstance(v, float) else v for v in out[column]]
    return out[list(PUBLISHED)].rename(columns=PUBLISHED)


def write_published(ms: MeasureSet, folder: str | Path, threshold: int) -> list[Path]:
    """Write ``measures.csv`` and ``measures.xlsx`` (sheet "Measures") into ``folder``."""
    from sa_toolkit import safe_output

    frame = published_frame(ms, threshold)
    folder = Path(folder)
    return [
        safe_output.write_csv(frame, folder / PUBLISHED_CSV),
        safe_output.write_xlsx(frame, folder / PUBLISHED_XLSX, sheet_name="Measures"),
    ]
