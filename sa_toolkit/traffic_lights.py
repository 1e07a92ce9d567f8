"""Traffic lights (red / amber / green): the one rule, always with a text label.

This module is the only place a light is decided: ``sa framework``, the framework tables
of every report, the overview and the charts all call :func:`traffic_light`, and the
reports print :func:`rule_text` as their note. The rule:

With a target (the partnership's, from its targets file; the toolkit ships none)
    * ``relative_change`` target t (in %): met when the % change is at or below t
      (lower is better) or at or above t (higher is better). ``-5`` means "at least a
      5% fall".
    * ``point_change`` target t (in percentage points): the same on the pp change.
    * ``level`` target t (in the indicator's unit): met when the actual value is at or
      below t (lower is better) or at or above t (higher is better). The shortfall is
      measured in % of the target for counts and rates, in points for percentages.
    * **G** when met; **A** when missed by no more than ``tolerance`` (% or points,
      ``performance.amber_tolerance`` in the configuration); **R** otherwise.
    * A target agreed but not yet set (``tbc``): no light, "target to be confirmed".

Without a target (``target_type`` none): direction and significance
    * **G** when the change is in the better direction and statistically significant,
      **R** when in the worse direction and statistically significant, **A** when it
      is not statistically significant (or there was no change). Significance is at
      ``performance.significance_level``, allowing for extra-Poisson variation where
      the series shows it (:mod:`sa_toolkit.indicators.overdispersion`).
    * When the change cannot be tested (no counts or sample sizes), no light: a
      direction alone is not evidence of change.

No light (blank) when the change or value it needs is unavailable (a note such as
``tbc``), when the indicator has no polarity, or across a series break.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sa_toolkit.errors import ArgumentError

TARGET_TYPES = ("relative_change", "point_change", "level", "tbc", "none")
#: what the target column says for a row with no target
NO_TARGET_TEXT = "none set (direction and significance)"
POLARITIES = ("lower_is_better", "higher_is_better", "none")
COLOUR_NAMES = {"G": "Green", "A": "Amber", "R": "Red", "": ""}


@dataclass(frozen=True)
class TrafficLight:
    """A rating: ``rag`` is G, A, R or blank; ``label`` always says it in words."""

    rag: str
    label: str

    @property
    def colour(self) -> str:
        return COLOUR_NAMES[self.rag]


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _fmt(x: float, unit: str) -> str:
    return f"{x:+g}{unit}" if unit in ("%", "pp") else f"{x:g}"


def traffic_light(
    *,
    polarity: str,
    target_type: str,
    target: float | None,
    change: float | None,
    change_unit: str,
    actual: float | None,
    unit: str,
    significant: bool | None,
    tolerance: float,
) -> TrafficLight:
    """Rate one indicator by the rules in this module's docstring.

    Parameters
    ----------
    polarity : str
        ``lower_is_better``, ``higher_is_better`` or ``none``.
    target_type : str
        ``relative_change``, ``point_change``, ``level``, ``tbc`` (agreed, not yet set)
        or ``none``.
    target : float or None
    change : float or None
        The change in ``change_unit`` (``%`` or ``pp``).
    actual : float or None
        The actual value (for level targets).
    unit : str
        The indicator's unit (``percent`` makes level shortfalls points).
    significant : bool or None
        Whether the change is statistically significant; None when not tested.
    tolerance : float
        Amber tolerance in % or points.
    """
    if target_type not in TARGET_TYPES:
        raise ArgumentError(
            f"target type must be one of {', '.join(TARGET_TYPES)}, not {target_type!r}"
        )
    if polarity not in POLARITIES:
        raise ArgumentError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
    if polarity == "none":
        return TrafficLight("", "no rating: the indicator has no better direction")
    lower_better = polarity == "lower_is_better"
    if target_type == "tbc" or (target_type != "none" and _missing(target)):
        return TrafficLight("", "no rating: target to be confirmed")
    if target_type in ("relative_change", "point_change"):
        wanted = "%" if target_type == "relative_change" else "pp"
        if _missing(change):
            return TrafficLight("", "no rating: no change to compare with the target")
        if change_unit != wanted:
            return TrafficLight(
                "",
                f"no rating: a {target_type.replace('_', ' ')} target needs a change in {wanted}",
            )
        shortfall = (change - target) if lower_better else (target - change)
        target_text = f"target {_fmt(target, wanted)}"
        return _judge(shortfall, tolerance, wanted, target_text)
    if target_type == "level":
        if _missing(actual):
            return TrafficLight("", "no rating: no actual value")
        gap = (actual - target) if lower_better else (target - actual)
        side = "at or below" if lower_better else "at or above"
        if unit == "percent":
            return _judge(gap, tolerance, "pp", f"target {side} {target:g}%")
        if target == 0:
            shortfall = math.inf if gap > 0 else gap
        else:
            shortfall = gap / abs(target) * 100
        return _judge(shortfall, tolerance, "%", f"target {side} {target:g}")
    # no target: direction and significance
    if _missing(change):
        return TrafficLight("", "no rating: no target and no change figure to judge")
    if change == 0:
        return TrafficLight("A", "Amber: no change (no target)")
    improved = (change < 0) if lower_better else (change > 0)
    direction = "better" if improved else "worse"
    if significant is None:
        return TrafficLight(
            "", f"no rating: {direction}, but with no target the change needs a "
            "significance test and no counts were given to test it",
        )  # fmt: skip
    if not significant:
        return TrafficLight("A", f"Amber: {direction}, not statistically significant (no target)")
    if improved:
        return TrafficLight("G", "Green: better, statistically significant (no target)")
    return TrafficLight("R", "Red: worse, statistically significant (no target)")


def rule_text(tolerance: float, significance_level: float) -> str:
    """The traffic-light rule in plain words, for a report's notes."""
    confidence = (1 - significance_level) * 100
    return (
        "Traffic lights. Where the partnership has set a target: green when it is met, "
        f"amber when it is missed by no more than {tolerance:g}% (or {tolerance:g} "
        "percentage points for percentages), red otherwise. Where no target is set: green "
        "when the indicator moved in the better direction and the change is statistically "
        "significant, red when it moved in the worse direction and is significant, amber "
        f"when the change is not significant at the {confidence:g}% level. Significance "
        "allows for the way counts vary from year to year beyond chance alone. No light is "
        "shown when there is nothing to compare, when a change cannot be tested, or when "
        "the way the figures are recorded changed between the two years."
    )


def _judge(shortfall: float, tolerance: float, unit: str, target_text: str) -> TrafficLight:
    if shortfall <= 0:
        return TrafficLight("G", f"Green: {target_text} met")
    missed = "missed" if math.isinf(shortfall) else f"missed by {shortfall:.1f}{unit}"
    if shortfall <= tolerance:
        return TrafficLight("A", f"Amber: {target_text} {missed} (within {tolerance:g}{unit})")
    return TrafficLight("R", f"Red: {target_text} {missed}")
