"""Time windows the assessment counts in: school days and Friday/Saturday nights.

One definition serves the demo generator, the analyses and the tests, so the after-school
peak and the night-time economy are measured with the rules the demo data were made by.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError

#: Approximate English school holidays as ``(month, first_day, last_day)``, repeated every
#: year; pass a local authority's own term dates to :func:`school_days` as ``holidays``.
SCHOOL_HOLIDAYS = ((2, 14, 21), (4, 1, 14), (5, 25, 31), (7, 22, 31), (8, 1, 31), (10, 24, 31),
                   (12, 20, 31), (1, 1, 3))  # fmt: skip


def school_days(dates, holidays: Sequence | None = None) -> np.ndarray:
    """Whether each date is a school day: Monday to Friday outside the school holidays.

    Parameters
    ----------
    dates : array-like of dates or date-times
    holidays : sequence, optional
        Holidays as ``(first_date, last_date)`` pairs (inclusive, any date-like), e.g. a
        local authority's term calendar. Default: :data:`SCHOOL_HOLIDAYS`.

    Returns
    -------
    numpy.ndarray of bool
    """
    d = pd.DatetimeIndex(pd.to_datetime(pd.Series(np.asarray(dates)), errors="coerce"))
    if d.isna().any():
        raise ArgumentError("school_days: every date must be a valid date")
    out = np.asarray(d.day_of_week < 5)
    if holidays is None:
        month, day = np.asarray(d.month), np.asarray(d.day)
        for m, first, last in SCHOOL_HOLIDAYS:
            out &= ~((month == m) & (day >= first) & (day <= last))
        return out
    day = d.normalize()
    for first, last in holidays:
        a, b = pd.Timestamp(first), pd.Timestamp(last)
        if b < a:
            raise ArgumentError(f"school_days: holiday {first} to {last} ends before it starts")
        out &= ~np.asarray((day >= a) & (day <= b))
    return out


def fri_sat_night_mask(weekday, hour) -> np.ndarray:
    """Friday or Saturday night, 22:00 to 03:00, from weekday (0 = Monday) and hour.

    The small hours belong to the night before: Saturday 01:00 is Friday night.
    """
    weekday, hour = np.asarray(weekday), np.asarray(hour)
    return (np.isin(weekday, [4, 5]) & (hour >= 22)) | (np.isin(weekday, [5, 6]) & (hour < 3))


def fri_sat_night(times) -> np.ndarray:
    """:func:`fri_sat_night_mask` for date-times."""
    t = pd.DatetimeIndex(times)
    return fri_sat_night_mask(t.day_of_week, t.hour)
