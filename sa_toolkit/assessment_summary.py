"""The assessment's summary for the board: the year, recommended priorities, what changed.

Computed after the notebooks, from the measures the reports compute, by the same library
functions (no second figure for one measure):

- **the year in one page**: recorded crime and anti-social behaviour this year against last
  (:func:`~sa_toolkit.analysis.overview.crime_trend`), the performance framework's traffic
  lights, what improved and what worsened (significant changes and targets, the run's
  framework rows), where (the wards with most crime, ``overview.top_wards``) and for whom
  (the age groups of victims and suspects over-represented against the population,
  ``violent_crime.age_profiles``);
- **recommended priorities** for the coming plan year: keep, add, drop or watch for each of
  the plan's priorities (and add for a crime category the priority-setting matrix scores
  high that no priority covers), each with its reasons, by the rule of
  :func:`recommend` (documented in ``docs/assumptions_log.md``); the analyst can change any
  of them in ``content/<year>/priorities.yml`` before publishing;
- **what changed since last year's assessment**: the year's measures and
  recommendations are written to ``reports/<year>/assessment_summary.json``; when the
  previous year's folder holds one, each indicator's traffic light and each priority's
  recommendation are compared with it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from pathlib import Path
from typing import Any

from sa_toolkit.config import Config
from sa_toolkit.errors import UserError
from sa_toolkit.priorities import PRIORITY_NAMES

SUMMARY_FILE = "assessment_summary.json"
RECOMMENDATIONS = ("keep", "add", "drop", "watch")
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
#: The plan's priorities, in report order (the framework's ``priority`` values).
PLAN_PRIORITIES = PRIORITY_NAMES
_POLICE_FUNCTIONS = ("police_crime_rate", "police_crime_count")


# ----------------------------------------------------------------------------- the year


def _framework_rows(cfg: Config, shared_dir: Path | None):
    """The run's performance framework: the overview's shared copy, else computed."""
    from sa_toolkit.analysis import priority_framework as pf

    if shared_dir is not None and (Path(shared_dir) / pf.SHARED_FRAMEWORK_FILE).is_file():
        previous = os.environ.get(pf.SHARED_DIR_ENV)
        os.environ[pf.SHARED_DIR_ENV] = str(shared_dir)
        try:
            frame = pf.shared_framework(cfg)
        finally:
            if previous is None:
                os.environ.pop(pf.SHARED_DIR_ENV, None)
            else:
                os.environ[pf.SHARED_DIR_ENV] = previous
        if frame is not None:
            return frame
    return pf.compute_performance_framework(cfg, pf.local_source(cfg))


def _number(value) -> float | None:
    if value is None or isinstance(value, str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _direction(row, significant_only: bool = True) -> str | None:
    """'better' / 'worse' for a (with ``significant_only``, significant) change, else None."""
    change = _number(row["change"])
    if (significant_only and row["significant"] != "yes") or not change:
        return None
    if row["polarity"] == "lower_is_better":
        return "worse" if change > 0 else "better"
    if row["polarity"] == "higher_is_better":
        return "worse" if change < 0 else "better"
    return None


def _change_text(row) -> str:
    change = _number(row["change"])
    if change is None:
        return ""
    unit = " points" if row["change_unit"] == "pp" else "%"
    return f"{change:+.1f}{unit}"


def measures(framework, threshold: int = 0) -> list[dict[str, Any]]:
    """The framework rows as plain records (the measures compared year on year).

    Counts from 1 to ``threshold - 1`` are left out (``None``): the file is published.
    """

    def shown(value, unit):
        number = _number(value)
        if unit == "count" and number is not None and 0 < number < threshold:
            return None
        return number

    out = []
    for _, row in framework.iterrows():
        out.append(
            {
                "indicator_id": str(row["indicator_id"]),
                "name": str(row["name"]),
                "priority": str(row["priority"]),
                "unit": str(row["unit"]),
                "actual": shown(row["actual"], row["unit"]),
                "baseline": shown(row["baseline"], row["unit"]),
                "change": _number(row["change"]),
                "change_text": _change_text(row),
                "rag": str(row["rag"]) if row["rag"] in RAG_WORDS else None,
                "rag_label": str(row["rag_label"] or ""),
                "target_type": str(row["target_type"]),
                "direction": _direction(row),
                "moved": _direction(row, significant_only=False),
            }
        )
    return out


def improved_and_worsened(records: list[dict]) -> tuple[list[str], list[str]]:
    """Sentences for what improved (significantly better, or a target met without moving
    the wrong way) and what worsened (significantly worse, or red: a target missed beyond
    tolerance or a significant deterioration)."""
    improved, worsened = [], []
    for m in records:
        name = m["name"]
        if m["direction"] == "worse" or m["rag"] == "R":
            why = "significantly worse" if m["direction"] == "worse" else m["rag_label"]
            worsened.append(f"{name} ({m['change_text'] or 'no change'}; {why})")
        elif m["direction"] == "better" or (
            m["rag"] == "G" and m["target_type"] != "none" and m.get("moved") != "worse"
        ):
            why = "significantly better" if m["direction"] == "better" else m["rag_label"]
            improved.append(f"{name} ({m['change_text'] or 'no change'}; {why})")
    return improved, worsened


def _for_whom(cfg: Config) -> list[str]:
    """Over-represented age groups of violence victims and suspects (violent crime report)."""
    from sa_toolkit.analysis import violent_crime as vc

    data = vc.load(cfg)
    sentence = vc.age_sentence(vc.age_profiles(data)["ratios"])
    return [f"Violence: {sentence[0].lower()}{sentence[1:]}"] if sentence else []


# ----------------------------------------------------------------------------- priorities


def category_priorities() -> dict[str, str]:
    """Crime category -> plan priority, from the catalogue: an indicator computed from one
    data.police.uk category belongs to that category's priority."""
    from sa_toolkit.indicators.catalogue import load_catalogue

    mapping: dict[str, str] = {}
    for _, row in load_catalogue().iterrows():
        comp = row.get("computation")
        if not isinstance(comp, dict) or comp.get("function") not in _POLICE_FUNCTIONS:
            continue
        kinds = comp.get("crime_types")
        if isinstance(kinds, list) and len(kinds) == 1 and row["priority"] in PLAN_PRIORITIES:
            mapping.setdefault(str(kinds[0]), str(row["priority"]))
    return mapping


_PEER_WORDS = {
    "worse": "worse than similar partnerships",
    "similar": "similar to similar partnerships",
    "better": "better than similar partnerships",
}


def _matrix_reason(row: dict) -> str:
    peers = _PEER_WORDS.get(row["peer_comparison"], "no peer comparison")
    out_of = int(row.get("out_of", 12))
    # the score is out of 3 per dimension measured: say so when fewer than all four were
    unmeasured = row.get("not_measured", "")
    basis = f"; not measured: {unmeasured}" if unmeasured else ""
    return (
        f"{row['category']} scored {row['total_score']} of {out_of} in the priority-setting "
        f"matrix ({row['priority'].lower()}; five-year trend: {row['trend']}; {peers}{basis})"
    )


def recommend(records: list[dict], matrix: list[dict], mapping: dict[str, str]) -> list[dict]:
    """Keep, add, drop or watch, with reasons (the rule in docs/assumptions_log.md).

    For each plan priority, from its framework indicators and the matrix categories that
    belong to it:

    - **keep** when an indicator is red (target missed beyond tolerance) or worsened
      significantly, or a category of the priority scores high in the matrix;
    - otherwise **watch** when an indicator is amber, a category scores medium, or a
      category's five-year trend is getting worse or it is worse than similar
      partnerships; also watch when nothing could be rated (no evidence to change);
    - otherwise **drop** (as a standalone priority; its indicators stay in the
      framework) when every rated indicator is green and its categories score lower.

    A category scoring high that belongs to no plan priority is recommended to **add**.
    """
    out = []
    for key, title in PLAN_PRIORITIES.items():
        own = [m for m in records if m["priority"] == key and m["rag"]]
        cats = [r for r in matrix if mapping.get(r["category"]) == key]
        red = [m for m in own if m["rag"] == "R"]
        worse = [m for m in own if m["direction"] == "worse" and m["rag"] != "R"]
        amber = [m for m in own if m["rag"] == "A"]
        green = [m for m in own if m["rag"] == "G"]
        high = [r for r in cats if r["priority"] == "High"]
        medium = [r for r in cats if r["priority"] == "Medium"]
        rising = [
            r
            for r in cats
            if r not in high + medium
            and (r["trend"] == "increasing and getting worse" or r["peer_comparison"] == "worse")
        ]
        reasons = [f"{m['name']}: {m['rag_label']}" for m in red]
        reasons += [f"{m['name']} worsened significantly ({m['change_text']})" for m in worse]
        reasons += [_matrix_reason(r) for r in high]
        if reasons:
            decision = "keep"
        else:
            reasons = [f"{m['name']}: {m['rag_label']}" for m in amber]
            reasons += [_matrix_reason(r) for r in medium + rising]
            if reasons:
                decision = "watch"
            elif green:
                decision = "drop"
                reasons = [
                    f"All {len(green)} rated indicators were green"
                    + (" and its crime categories score lower in the matrix" if cats else "")
                    + "; keep them in the performance framework"
                ]
            else:
                decision = "watch"
                reasons = ["No indicator of this priority could be rated this year"]
        out.append(
            {
                "key": key,
                "name": title,
                "recommendation": decision,
                "computed": decision,
                "reasons": reasons,
                "set_by": "toolkit",
            }  # fmt: skip
        )
    for row in matrix:
        if row["priority"] == "High" and row["category"] not in mapping:
            key = row["category"].lower().replace(" ", "_")
            out.append(
                {
                    "key": key,
                    "name": row["category"],
                    "recommendation": "add",
                    "computed": "add",
                    "reasons": [_matrix_reason(row) + "; no plan priority covers it"],
                    "set_by": "toolkit",
                }  # fmt: skip
            )
    return out


def apply_overrides(recommendations: list[dict], path: Path) -> list[dict]:
    """The analyst's changes from ``priorities.yml`` (a mapping of priority key to
    ``recommendation`` and ``reasons``); a key not computed is added (e.g. a new priority)."""
    import yaml

    if not path.is_file():
        return recommendations
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise UserError(f"{path}: expected priorities as keys, e.g. 'violent_crime:'")
    by_key = {r["key"]: r for r in recommendations}
    for key, body in doc.items():
        if not isinstance(body, dict) or body.get("recommendation") not in RECOMMENDATIONS:
            raise UserError(
                f"{path}: {key}: expected 'recommendation:' one of {', '.join(RECOMMENDATIONS)}"
                f" and 'reasons:', found {body!r}"
            )
        reasons = body.get("reasons")
        if not isinstance(reasons, (str, list)) or not reasons:
            raise UserError(f"{path}: {key}: give the reasons for the recommendation")
        reasons = [reasons] if isinstance(reasons, str) else [str(r) for r in reasons]
        entry = by_key.get(str(key))
        if entry is None:
            name = PLAN_PRIORITIES.get(str(key), str(key).replace("_", " ").capitalize())
            entry = {"key": str(key), "name": name, "computed": None, "reasons": []}
            recommendations.append(entry)
            by_key[str(key)] = entry
        entry["computed_reasons"] = entry.get("reasons", [])
        entry.update(
            {"recommendation": body["recommendation"], "reasons": reasons, "set_by": "analyst"}
        )
    return recommendations


# ----------------------------------------------------------------------------- summary


def compute_summary(cfg: Config, shared_dir: Path | None = None) -> dict[str, Any]:
    """The year's summary (JSON-ready); see the module docstring."""
    from sa_toolkit import content, demo_data
    from sa_toolkit.analysis import overview as ov

    framework = _framework_rows(cfg, shared_dir)
    records = measures(framework, cfg.suppression_threshold)
    summary_counts = ov.framework_summary(framework)
    data = ov.load_overview(cfg)
    trend = ov.crime_trend(data)
    msg_table = ov.msg_comparison(data.msg, cfg)
    cost = ov.cost_by_year(data)
    matrix_frame = ov.priority_matrix(data, msg_table, cost)
    matrix = [
        {
            "category": str(r.category),
            "total_score": int(r.total_score),
            "out_of": int(r.out_of),
            "not_measured": str(r.not_measured),
            "priority": str(r.priority),
            "trend": str(r.trend),
            "peer_comparison": str(r.peer_comparison),
        }
        for r in matrix_frame.itertuples()
    ]
    improved, worsened = improved_and_worsened(records)
    notes = []
    try:
        for_whom = _for_whom(cfg)
    except Exception as exc:  # noqa: BLE001 - a part that cannot be computed is said so
        for_whom = []
        notes.append(f"Victims and suspects by age could not be compared: {exc}")
    recs = recommend(records, matrix, category_priorities())
    recs = apply_overrides(recs, content.content_dir(cfg) / content.PRIORITIES_FILE)
    year_text = ov.key_findings(trend, summary_counts, msg_table, cost, matrix_frame, cfg)
    return {
        "partnership": cfg.partnership_name,
        "year": cfg.year.label,
        "plan_year": cfg.year.next().label,
        "synthetic_demo": demo_data.is_demo(cfg.processed_dir),
        "crime": {
            k: trend.get(k)
            for k in (
                "crime_this",
                "crime_last",
                "crime_change",
                "asb_this",
                "asb_last",
                "asb_change",
                "compared",
            )  # fmt: skip
        },
        "findings": year_text,
        "framework": {
            k: summary_counts[k] for k in ("indicators", "red", "amber", "green", "not_rated")
        },  # fmt: skip
        "improved": improved,
        "worsened": worsened,
        "where": ov.top_wards(data),
        "for_whom": for_whom,
        "notes": notes,
        "matrix": matrix,
        "recommendations": recs,
        "measures": records,
        # for the Word document's annex; not written to the JSON
        "_framework": framework,
    }


def previous_summary(cfg: Config) -> tuple[dict | None, str | None]:
    """Last year's summary and its state ("published" or "rendered"), if in ``reports/``."""
    from sa_toolkit.runner import PUBLISHED_MARKER

    folder = Path(cfg.output_dir) / cfg.year.previous().slug
    path = folder / SUMMARY_FILE
    if not path.is_file():
        return None, None
    with contextlib.suppress(OSError, ValueError):
        doc = json.loads(path.read_text(encoding="utf-8"))
        state = "published" if (folder / PUBLISHED_MARKER).exists() else "rendered"
        return doc, state
    return None, None


def changes_since(previous: dict | None, current: dict) -> dict[str, Any] | None:
    """Measures and recommendations compared with last year's assessment (None without one).

    Returns ``measures`` (indicators whose traffic light changed, with both values),
    ``new_measures`` / ``dropped_measures`` (names), ``recommendations`` (each priority's
    recommendation then and now) and ``crime`` (recorded crime in each assessment).
    """
    if not previous:
        return None
    before = {m["indicator_id"]: m for m in previous.get("measures", [])}
    now = {m["indicator_id"]: m for m in current.get("measures", [])}
    moved = []
    for key, m in now.items():
        old = before.get(key)
        if old is None or old.get("rag") == m.get("rag"):
            continue
        moved.append(
            {
                "name": m["name"],
                "rag_before": RAG_WORDS.get(old.get("rag"), "Not rated"),
                "rag_now": RAG_WORDS.get(m.get("rag"), "Not rated"),
                "actual_before": old.get("actual"),
                "actual_now": m.get("actual"),
                "unit": m.get("unit"),
            }
        )
    recs_before = {r["key"]: r for r in previous.get("recommendations", [])}
    recs = []
    for r in current.get("recommendations", []):
        old = recs_before.get(r["key"])
        recs.append(
            {
                "name": r["name"],
                "before": old["recommendation"] if old else None,
                "now": r["recommendation"],
            }
        )
    for key, old in recs_before.items():
        if key not in {r["key"] for r in current.get("recommendations", [])}:
            recs.append({"name": old["name"], "before": old["recommendation"], "now": None})
    return {
        "year": previous.get("year"),
        "measures": moved,
        "unchanged": sum(
            1 for k, m in now.items() if k in before and before[k].get("rag") == m.get("rag")
        ),
        "new_measures": [m["name"] for k, m in now.items() if k not in before],
        "dropped_measures": [m["name"] for k, m in before.items() if k not in now],
        "recommendations": recs,
        "crime": {
            "before": previous.get("crime", {}).get("crime_this"),
            "now": current.get("crime", {}).get("crime_this"),
        },  # fmt: skip
    }


def write_summary(summary: dict, folder: Path) -> Path:
    path = Path(folder) / SUMMARY_FILE
    public = {k: v for k, v in summary.items() if not k.startswith("_")}
    path.write_text(json.dumps(public, indent=1, default=str) + "\n", encoding="utf-8")
    return path
