"""Repeat victimisation: share of victims with two or more incidents in a period."""

from __future__ import annotations

import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import check_confidence, check_frame, group_key, group_values
from sa_toolkit.indicators.proportion import proportion


def repeat_victimisation(
    data: pd.DataFrame,
    victim: str,
    when: str,
    period_start: str | pd.Timestamp,
    months: int = 12,
    group_cols: str | list[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of victims with two or more incidents in the ``months`` from ``period_start``.

    Incidents without a victim id cannot be linked: they are left out and counted in
    ``unlinked_incidents`` rather than silently dropped.

    Returns one row (per group) with ``incidents, unlinked_incidents, victims,
    repeat_victims`` and the output columns (a Wilson-interval proportion).
    """
    fn = "repeat_victimisation"
    groups = [group_cols] if isinstance(group_cols, str) else list(group_cols or [])
    check_frame(data, [victim, when, *groups], fn)
    confidence = check_confidence(confidence, fn)
    if not isinstance(months, int) or months < 1:
        raise ArgumentError(f"{fn}: months must be a whole number of at least 1")
    start = pd.Timestamp(period_start)
    end = start + pd.DateOffset(months=months)
    dates = pd.to_datetime(data[when], errors="coerce")
    if dates.isna().any():
        row = dates[dates.isna()].index[0]
        raise ArgumentError(f"{fn}: column '{when}' has no valid date in row {row}")
    in_period = (dates >= start) & (dates < end)
    frame = data.loc[in_period, groups + [victim]].copy()
    ids = frame[victim].astype("string").str.strip()
    frame["_linked"] = ids.notna() & (ids != "")
    frame["_id"] = ids
    rows = []
    key = group_key(groups)
    for name, g in frame.groupby(key, dropna=False, observed=True, sort=True):
        linked = g[g["_linked"]]
        per_victim = linked.groupby("_id").size()
        rows.append(
            {
                **group_values(groups, name),
                "incidents": len(g),
                "unlinked_incidents": int((~g["_linked"]).sum()),
                "victims": int(len(per_victim)),
                "repeat_victims": int((per_victim >= 2).sum()),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty or (out["victims"] == 0).any():
        raise ArgumentError(
            f"{fn}: no identified victims between {start:%Y-%m-%d} and {end:%Y-%m-%d}; "
            "a share of victims needs at least one"
        )
    result = proportion(out, "repeat_victims", "victims", confidence=confidence)
    result["method"] = f"Wilson score; victims with 2+ incidents in {months} months"
    return result
