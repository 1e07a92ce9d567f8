"""When offences happen: share by hour and weekday, share in a time window.

Offences with a known time count fully in their hour. Offences recorded with a start
and an end (e.g. a burglary discovered after a weekend away) are apportioned
*aoristically*: each hour of the week between start and end gets the fraction of the
span it covers, so every offence adds up to one. Spans of a week or more are spread
evenly over the 168 hours of the week.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import check_frame, with_outputs

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
HOURS_IN_WEEK = 168


def _datetimes(data: pd.DataFrame, column: str, fn: str, allow_missing: bool) -> pd.Series:
    values = pd.to_datetime(data[column], errors="coerce")
    bad = values.isna() & data[column].notna() & (data[column].astype("string").str.strip() != "")
    if bad.any():
        row = bad[bad].index[0]
        raise ArgumentError(
            f"{fn}: column '{column}' must hold date-times; row {row} holds {data[column][row]!r}"
        )
    if not allow_missing and values.isna().any():
        row = values.isna()[values.isna()].index[0]
        raise ArgumentError(f"{fn}: column '{column}' is missing a date-time in row {row}")
    return values


def hour_of_week_weights(data: pd.DataFrame, start: str, end: str | None = None) -> np.ndarray:
    """Aoristic weight of all offences in each of the 168 hours (Monday 00:00 first)."""
    fn = "temporal_profile"
    check_frame(data, [start, end], fn)
    s = _datetimes(data, start, fn, allow_missing=False)
    e = _datetimes(data, end, fn, allow_missing=True) if end else pd.Series(pd.NaT, index=s.index)
    later = e.notna() & (e < s)
    if later.any():
        row = later[later].index[0]
        raise ArgumentError(f"{fn}: row {row} ends ({e[row]}) before it starts ({s[row]})")
    weights = np.zeros(HOURS_IN_WEEK)
    point = e.isna() | (e == s)
    ps = s[point]
    np.add.at(weights, (ps.dt.day_of_week * 24 + ps.dt.hour).to_numpy(), 1.0)
    spans = ~point
    if spans.any():
        ss, ee = s[spans], e[spans]
        hours = ((ee - ss) / pd.Timedelta(hours=1)).to_numpy()
        week_plus = hours >= HOURS_IN_WEEK
        weights += week_plus.sum() / HOURS_IN_WEEK
        ss, ee = ss[~week_plus], ee[~week_plus]
        if len(ss):
            floor = ss.dt.floor("h")
            n_slots = np.ceil(((ee - floor) / pd.Timedelta(hours=1)).to_numpy()).astype(int)
            owner = np.repeat(np.arange(len(ss)), n_slots)
            offset = np.arange(n_slots.sum()) - np.repeat(np.cumsum(n_slots) - n_slots, n_slots)
            slot_start = floor.to_numpy()[owner] + offset * np.timedelta64(1, "h")
            slot_end = slot_start + np.timedelta64(1, "h")
            s_arr, e_arr = ss.to_numpy()[owner], ee.to_numpy()[owner]
            overlap = np.minimum(slot_end, e_arr) - np.maximum(slot_start, s_arr)
            total = (ee - ss).to_numpy()[owner]
            share = overlap / total
            slot_ts = pd.DatetimeIndex(slot_start)
            np.add.at(weights, (slot_ts.day_of_week * 24 + slot_ts.hour).to_numpy(), share)
    return weights


def temporal_profile(data: pd.DataFrame, start: str, end: str | None = None) -> pd.DataFrame:
    """Share of offences in each hour of each weekday (168 rows, shares sum to 1).

    Returns ``weekday, hour, offences`` (aoristic, may be fractional) and the standard
    output columns, ``value`` being the share.
    """
    weights = hour_of_week_weights(data, start, end)
    total = weights.sum()
    if total <= 0:
        raise ArgumentError("temporal_profile: there are no offences")
    out = pd.DataFrame(
        {
            "weekday": pd.Categorical(np.repeat(WEEKDAYS, 24), categories=WEEKDAYS, ordered=True),
            "hour": np.tile(np.arange(24), 7),
            "offences": weights,
        }
    )
    method = "aoristic share by hour and weekday" if end else "share by hour and weekday"
    return with_outputs(out, weights / total, np.nan, np.nan, np.nan, method)


def _hour(text: str, fn: str) -> int:
    match = re.match(r"^\s*(\d{1,2}):00\s*$", str(text))
    if not match or int(match.group(1)) > 24:
        raise ArgumentError(
            f"{fn}: window times must be whole hours written HH:00 (e.g. 15:00), found {text!r}"
        )
    return int(match.group(1)) % 24


def window_share(
    data: pd.DataFrame,
    start: str,
    window: tuple[str, str] = ("15:00", "18:00"),
    end: str | None = None,
    weekdays: list[str] | None = None,
) -> pd.DataFrame:
    """Share of offences from ``window[0]`` up to ``window[1]`` (e.g. 15:00 to 18:00).

    A window may cross midnight (``("22:00", "02:00")``); ``weekdays`` restricts it to
    some days (e.g. Monday to Friday for school days). Returns one row with
    ``offences_in_window, offences`` and the standard output columns.
    """
    fn = "window_share"
    first, last = _hour(window[0], fn), _hour(window[1], fn)
    if first == last:
        raise ArgumentError(f"{fn}: the window {window[0]}-{window[1]} is empty")
    days = WEEKDAYS if weekdays is None else weekdays
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown:
        raise ArgumentError(f"{fn}: unknown weekday(s) {unknown}; use e.g. Monday")
    hours = (
        list(range(first, last)) if first < last else list(range(first, 24)) + list(range(0, last))
    )
    weights = hour_of_week_weights(data, start, end)
    total = weights.sum()
    if total <= 0:
        raise ArgumentError(f"{fn}: there are no offences")
    # a window crossing midnight belongs to the day it starts on
    slots = []
    for d in days:
        i = WEEKDAYS.index(d)
        for h in hours:
            day = i if (first < last or h >= first) else (i + 1) % 7
            slots.append(day * 24 + h)
    inside = weights[slots].sum()
    out = pd.DataFrame(
        {
            "window": [f"{window[0]}-{window[1]}"],
            "offences_in_window": [inside],
            "offences": [total],
        }
    )
    return with_outputs(out, inside / total, np.nan, np.nan, np.nan, "share in time window")
