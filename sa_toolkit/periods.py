"""Reporting periods used in community safety assessments.

Financial years run April to March and are written ``2024/25`` (accepted also as
``2024-25``); reports folders use the hyphenated form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from sa_toolkit.errors import UserError

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


def year_range(first: FinancialYear, last: FinancialYear) -> list[FinancialYear]:
    """Financial years from ``first`` to ``last`` inclusive."""
    return [FinancialYear(y) for y in range(first.start_year, last.start_year + 1)]
