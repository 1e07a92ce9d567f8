"""Reporting periods used in community safety assessments.

Financial years run April to March and are written ``2024/25`` (accepted also as
``2024-25``); reports folders use the hyphenated form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sa_toolkit._lazy import lazy_module
from sa_toolkit.errors import UserError

# pandas is imported on first use: the configuration (and so every `sa` command) needs only
# FinancialYear parsing, and importing pandas costs about 0.25 s of each command's start-up.
pd = lazy_module("pandas")

_FY_RE = re.compile(r"^\s*(\d{4})\s*[/\-]\s*(\d{2}|\d{4})\s*$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, April of ``start_year`` to March of ``start_year + 1``."""

    start_year: int

    @classmethod
    def parse(cls, text: str | int | FinancialYear) -> FinancialYear:
        """Parse ``2024/25``, ``2024-25`` or ``2024/2025`` (also a FinancialYear)."""
        if isinstance(text, FinancialYear):
            return text
        match = _FY_RE.match(str(text))
        if not match:
            raise UserError(
                f"'{text}' is not a financial year; write it as e.g. 2024/25 or 2024-25"
            )
        start = int(match.group(1))
        end_text = match.group(2)
        end = int(end_text) if len(end_text) == 4 else (start + 1) % 100
        if (len(end_text) == 4 and end != start + 1) or (
            len(end_text) == 2 and int(end_text) != (start + 1) % 100
        ):
            raise UserError(
                f"'{text}' is not a financial year: the second year must follow the first "
                f"(e.g. {start}/{(start + 1) % 100:02d})"
            )
        return cls(start)

    @property
    def label(self) -> str:
        """``2024/25``."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        """``2024-25``, used for folder names."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_month(self) -> pd.Period:
        return pd.Period(f"{self.start_year}-04", freq="M")

    @property
    def last_month(self) -> pd.Period:
        return pd.Period(f"{self.start_year + 1}-03", freq="M")

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.period_range(self.first_month, self.last_month, freq="M")

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.start_year, 4, 1)

    @property
    def end(self) -> pd.Timestamp:
        """Exclusive end: 1 April of the next year."""
        return pd.Timestamp(self.start_year + 1, 4, 1)

    def previous(self, n: int = 1) -> FinancialYear:
        return FinancialYear(self.start_year - n)

    def next(self, n: int = 1) -> FinancialYear:
        return FinancialYear(self.start_year + n)

    def __str__(self) -> str:
        return self.label


def financial_year_of(month: pd.Period | pd.Timestamp) -> FinancialYear:
    """The financial year holding a month or date."""
    year, m = month.year, month.month
    return FinancialYear(year if m >= 4 else year - 1)


def financial_year_label(months: pd.Series | pd.PeriodIndex) -> pd.Series:
    """Vectorised: the financial-year label (``2024/25``) of each monthly period."""
    idx = pd.PeriodIndex(months, freq="M")
    start = idx.year - (idx.month < 4).astype(int)
    end = (start + 1) % 100
    labels = [f"{s}/{e:02d}" for s, e in zip(start, end, strict=True)]
    return pd.Series(labels, index=getattr(months, "index", None), dtype="string")


def nearest_mid_year(available, year: FinancialYear) -> tuple[int | None, str]:
    """The mid-year population estimate to use for a financial year, and a note when it is
    not the year's own.

    As ONS-based analyses do: the estimate for mid-``year.start_year`` when there is one,
    else the latest earlier one, else (a year before the first estimate) the earliest.

    Parameters
    ----------
    available : iterable of int
        Mid-years with an estimate.
    year : FinancialYear

    Returns
    -------
    (int or None, str)
        The mid-year used (None when there is no estimate at all) and ``""`` or a note such
        as ``"population: mid-2020 estimate used for 2019/20 (the earliest available)"``.
    """
    years = sorted({int(y) for y in available})
    if not years:
        return None, ""
    wanted = year.start_year
    if wanted in years:
        return wanted, ""
    earlier = [y for y in years if y < wanted]
    if earlier:
        return earlier[-1], f"population: mid-{earlier[-1]} estimate (latest available)"
    return years[0], (
        f"population: mid-{years[0]} estimate used for {year.label} (the earliest available)"
    )


def year_range(first: FinancialYear, last: FinancialYear) -> list[FinancialYear]:
    """Financial years from ``first`` to ``last`` inclusive."""
    return [FinancialYear(y) for y in range(first.start_year, last.start_year + 1)]


def span_label(first: FinancialYear, last: FinancialYear) -> str:
    """``"2020/21 to 2025/26"``, or one year's label when the span is one year."""
    return last.label if first == last else f"{first.label} to {last.label}"


def _as_month(month: pd.Period | pd.Timestamp | str) -> pd.Period:
    """A monthly period from a Period, Timestamp or ``YYYY-MM`` text."""
    if isinstance(month, str) and not re.match(r"^\s*\d{4}-\d{2}\s*$", month):
        raise UserError(f"'{month}' is not a month; write it as e.g. 2025-01")
    try:
        return pd.Period(month, freq="M")
    except (ValueError, TypeError):
        raise UserError(f"'{month}' is not a month; write it as e.g. 2025-01") from None


@dataclass(frozen=True, order=True)
class MonthRange:
    """A run of whole months, ``first`` to ``last`` inclusive.

    Rolling 12 months, financial year to date and quarters are all month ranges, so
    that counts can be selected with ``frame["month"].between(r.first, r.last)`` or
    ``r.contains(frame["month"])``.
    """

    first: pd.Period
    last: pd.Period
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "first", _as_month(self.first))
        object.__setattr__(self, "last", _as_month(self.last))
        if self.last < self.first:
            raise UserError(f"period ends ({self.last}) before it starts ({self.first})")

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.period_range(self.first, self.last, freq="M")

    @property
    def n_months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def label(self) -> str:
        """e.g. ``Feb 2024 to Jan 2025`` (with the range's name in front when it has one)."""
        span = (
            self.first.strftime("%b %Y")
            if self.first == self.last
            else f"{self.first.strftime('%b %Y')} to {self.last.strftime('%b %Y')}"
        )
        return f"{self.name} ({span})" if self.name else span

    def contains(self, months: pd.Series | pd.PeriodIndex) -> pd.Series:
        """Boolean mask: which monthly periods fall in the range."""
        idx = pd.PeriodIndex(months, freq="M")
        mask = (idx >= self.first) & (idx <= self.last)
        return pd.Series(mask, index=getattr(months, "index", None))

    def previous_year(self) -> MonthRange:
        """The same months one year earlier."""
        name = f"{self.name}, a year earlier" if self.name else ""
        return MonthRange(self.first - 12, self.last - 12, name)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter: Q1 is April to June, Q4 is January to March."""

    year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise UserError(f"quarter number must be 1 to 4, found {self.number}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse ``2024/25 Q3`` (also ``2024-25 Q3``)."""
        match = re.match(r"^\s*(.+?)\s*[Qq]([1-4])\s*$", str(text))
        if not match:
            raise UserError(f"'{text}' is not a financial quarter; write it as e.g. 2024/25 Q3")
        return cls(FinancialYear.parse(match.group(1)), int(match.group(2)))

    @property
    def first_month(self) -> pd.Period:
        return self.year.first_month + 3 * (self.number - 1)

    @property
    def last_month(self) -> pd.Period:
        return self.first_month + 2

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.period_range(self.first_month, self.last_month, freq="M")

    @property
    def label(self) -> str:
        return f"{self.year.label} Q{self.number}"

    def as_range(self) -> MonthRange:
        return MonthRange(self.first_month, self.last_month, self.label)

    def previous_year(self) -> Quarter:
        return Quarter(self.year.previous(), self.number)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year.previous(), 4)
        return Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.label


def quarter_of(month: pd.Period | pd.Timestamp | str) -> Quarter:
    """The financial quarter holding a month or date."""
    m = _as_month(month)
    fy = financial_year_of(m)
    return Quarter(fy, (m.month - 4) % 12 // 3 + 1)


def rolling_12_months(to_month: pd.Period | pd.Timestamp | str) -> MonthRange:
    """The twelve months ending with ``to_month`` (e.g. Feb 2024 to Jan 2025)."""
    last = _as_month(to_month)
    return MonthRange(last - 11, last, f"rolling 12 months to {last.strftime('%b %Y')}")


def financial_year_to_date(month: pd.Period | pd.Timestamp | str) -> MonthRange:
    """April of the month's financial year up to and including ``month``."""
    last = _as_month(month)
    fy = financial_year_of(last)
    return MonthRange(fy.first_month, last, f"{fy.label} to date")


def same_period_last_year(
    period: FinancialYear | Quarter | MonthRange,
) -> FinancialYear | Quarter | MonthRange:
    """The same period one year earlier, keeping its kind."""
    if isinstance(period, FinancialYear):
        return period.previous()
    if isinstance(period, (Quarter, MonthRange)):
        return period.previous_year()
    raise UserError(f"cannot take the same period a year earlier of {period!r}")


def as_month_range(period: FinancialYear | Quarter | MonthRange) -> MonthRange:
    """Any period as a :class:`MonthRange` (for selecting monthly data)."""
    if isinstance(period, MonthRange):
        return period
    if isinstance(period, Quarter):
        return period.as_range()
    if isinstance(period, FinancialYear):
        return MonthRange(period.first_month, period.last_month, period.label)
    raise UserError(f"{period!r} is not a financial year, quarter or month range")
