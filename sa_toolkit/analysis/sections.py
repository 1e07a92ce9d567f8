"""A report section as the notebooks show it: its tables, notes and charts, in order.

Each notebook reads as its report's outline: parameters, then per section one call to
``sa_toolkit.analysis`` that returns a :class:`Section`, then :func:`show` to draw it.
The section function does all the work (reading the measures, testing, wording titles,
alt text and notes, applying disclosure control); the notebook only places the result.

A part of a section is anything IPython can display (an HTML table from
``report_tables.html_table``, a note from ``priority_common.not_available``, Markdown), a
:class:`Chart` (a figure to draw and save), or any object with a ``show_in(output_dir)``
method (maps, which save their own files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Chart:
    """A figure to draw: the chart builder, its arguments, its file name and alt text.

    ``draw(**arguments)`` returns a matplotlib figure (a builder of
    :mod:`sa_toolkit.charts` or :mod:`sa_toolkit.analysis.priority_common`); it is saved
    as ``figures/<name>.png`` and ``.svg`` and shown with ``alt`` as its alternative text.
    """

    draw: Callable[..., Any]
    arguments: dict[str, Any]
    name: str
    alt: str

    def show_in(self, output_dir: str | Path) -> dict[str, Path]:
        from sa_toolkit import charts

        figure = self.draw(**self.arguments)
        return charts.save_and_show(figure, self.name, self.alt, output_dir)


@dataclass
class Section:
    """What one heading of a report shows, in order; empty when there is nothing to show."""

    parts: list[Any] = field(default_factory=list)

    def add(self, *parts: Any) -> Section:
        """Append parts, skipping ``None`` (a part that does not apply this year)."""
        self.parts.extend(part for part in parts if part is not None)
        return self

    def extend(self, parts: Iterable[Any]) -> Section:
        return self.add(*parts)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def charts(self) -> list[Chart]:
        return [part for part in self.parts if isinstance(part, Chart)]


def show(section: Section | None, output_dir: str | Path) -> None:
    """Display a section's parts in order: draw and save its charts, show its tables and notes."""
    if section is None:
        return
    from IPython.display import display

    for part in section.parts:
        if hasattr(part, "show_in"):
            part.show_in(output_dir)
        else:
            display(part)
