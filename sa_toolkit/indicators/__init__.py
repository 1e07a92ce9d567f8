"""The statistics library: one module per statistic, PHEindicatormethods style.

Each function takes a DataFrame and column names, checks its arguments first (raising
:class:`sa_toolkit.errors.ArgumentError` with a plain message) and returns the frame
with ``value, lower, upper, confidence, method``.
"""

from sa_toolkit.indicators.change import (
    change,
    change_unit,
    dsr_change,
    poisson_change,
    proportion_change,
    simple_change,
)
from sa_toolkit.indicators.concentration import concentration, gini, lorenz_curve
from sa_toolkit.indicators.cost import cost_of_crime, deflators, unit_costs, uplift_factor
from sa_toolkit.indicators.dsr import dsr, european_standard_population
from sa_toolkit.indicators.mean import mean
from sa_toolkit.indicators.over_representation import over_representation
from sa_toolkit.indicators.peers import compare_to_reference, funnel_limits, peer_comparison
from sa_toolkit.indicators.proportion import proportion
from sa_toolkit.indicators.rate import rate
from sa_toolkit.indicators.reoffending import reoffending_frequency, reoffending_rate
from sa_toolkit.indicators.repeat_victimisation import repeat_victimisation
from sa_toolkit.indicators.temporal import temporal_profile, window_share
from sa_toolkit.indicators.trend import trend, trend_label

__all__ = [
    "change",
    "change_unit",
    "compare_to_reference",
    "concentration",
    "cost_of_crime",
    "deflators",
    "dsr",
    "dsr_change",
    "european_standard_population",
    "funnel_limits",
    "gini",
    "lorenz_curve",
    "mean",
    "over_representation",
    "peer_comparison",
    "poisson_change",
    "proportion",
    "proportion_change",
    "rate",
    "reoffending_frequency",
    "reoffending_rate",
    "repeat_victimisation",
    "simple_change",
    "temporal_profile",
    "trend",
    "trend_label",
    "unit_costs",
    "uplift_factor",
    "window_share",
]
