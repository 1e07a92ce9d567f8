"""Typed access to the partner tables (``sa ingest`` writes them from ``raw/partner/``).

Every partner table is read with :func:`sa_toolkit.tables.read_table` (names in
:data:`sa_toolkit.partner_datasets.DATASETS`). This module adds what needs more than reading:
weighted survey percentages with their intervals, and the unit costs and deflators where a
partner file replaces the toolkit's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators.proportion import wilson_limits
from sa_toolkit.partner_datasets import SURVEY_QUESTIONS

KISH_METHOD = "Wilson score on the Kish effective sample size"
#: answers left out of a percentage's base
NOT_AN_ANSWER = ("", "Don't know")


def effective_sample_size(weights: np.ndarray | pd.Series) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``."""
    w = np.asarray(weights, dtype=float)
    if w.size == 0:
        return 0.0
    return float(w.sum() ** 2 / np.square(w).sum())


def survey_percentages(
    survey: pd.DataFrame,
    question: str,
    by: Sequence[str] = ("wave",),
    positive: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Weighted percentage giving a ``positive`` answer, with a Wilson interval.

    The base is the respondents who gave an answer: blanks and "Don't know" are excluded, as
    in the Place Survey national indicator definitions and in the performance framework
    (:func:`sa_toolkit.indicators.computations.survey_percent`), so a question shows one
    figure wherever it appears. The interval is the Wilson score interval for the
    weighted proportion on the Kish effective sample size of the base, which allows for the
    loss of precision that unequal weights cause.

    Parameters
    ----------
    survey : DataFrame
        The ``residents_survey`` table (needs ``weight``, ``question`` and the ``by`` columns).
    question : str
        A question column, e.g. ``safe_after_dark``.
    by : sequence of str
        Grouping columns, e.g. ``("wave",)`` or ``("wave", "ward_code")``.
    positive : sequence of str, optional
        Answers counted; default the indicator's usual ones (e.g. "Very safe", "Fairly safe").
    confidence : float

    Returns
    -------
    DataFrame
        ``by`` columns, ``respondents, effective_n, value`` (percent), ``lower, upper,
        confidence, method``.
    """
    fn = "survey_percentages"
    if question not in survey.columns:
        raise ArgumentError(f"{fn}: the survey has no question column '{question}'")
    missing = [c for c in [*by, "weight"] if c not in survey.columns]
    if missing:
        raise ArgumentError(f"{fn}: the survey has no column '{missing[0]}'")
    if not 0 < confidence < 1:
        raise ArgumentError(f"{fn}: confidence must be between 0 and 1, found {confidence}")
    if positive is None:
        if question not in SURVEY_QUESTIONS:
            raise ArgumentError(f"{fn}: give the positive answers for '{question}'")
        positive = SURVEY_QUESTIONS[question][1]
    answer_text = survey[question].astype("string").str.strip()
    answered = survey[answer_text.notna() & ~answer_text.isin(list(NOT_AN_ANSWER))]
    weights = answered["weight"].astype(float)
    if (weights <= 0).any() or weights.isna().any():
        raise ArgumentError(f"{fn}: weights must be positive numbers")
    work = pd.DataFrame(
        {
            "w": weights.to_numpy(),
            "w2": np.square(weights.to_numpy()),
            "yes_w": weights.to_numpy() * answered[question].astype(str).isin(positive).to_numpy(),
        },
        index=answered.index,
    )
    keys = [answered[c].astype(str).to_numpy() for c in by]
    grouped = work.groupby(keys, sort=True) if by else work.groupby(np.zeros(len(work)))
    agg = grouped.agg(w=("w", "sum"), w2=("w2", "sum"), yes_w=("yes_w", "sum"))
    agg["respondents"] = grouped.size()
    out = agg.reset_index(drop=not by)
    if by:
        out.columns = [*by, *agg.columns]
    p = (out["yes_w"] / out["w"]).to_numpy()
    n_eff = (out["w"] ** 2 / out["w2"]).to_numpy()
    lower, upper = wilson_limits(p * n_eff, n_eff, confidence)
    return pd.DataFrame(
        {
            **{c: out[c] for c in by},
            "respondents": out["respondents"].astype(int),
            "effective_n": n_eff,
            "value": p * 100,
            "lower": lower * 100,
            "upper": upper * 100,
            "confidence": confidence,
            "method": KISH_METHOD,
        }
    )


def _partner_or_default(name: str, processed_dir, default) -> pd.DataFrame:
    from sa_toolkit.tables import read_table

    if processed_dir is not None and (Path(processed_dir) / name).is_dir():
        table = read_table(name, processed_dir)
        table = table.drop(columns=["source_file", "source_line"], errors="ignore")
        # the same shape as the default: text as strings, blanks as ""
        for col in table.columns:
            if not pd.api.types.is_float_dtype(table[col]):
                table[col] = table[col].astype("string").fillna("")
        return table
    return default()


def unit_costs(processed_dir=None) -> pd.DataFrame:
    """The unit costs of crime: the partner's ``unit_costs`` table if ingested, else the default."""
    from sa_toolkit.indicators.cost import unit_costs as default

    return _partner_or_default("unit_costs", processed_dir, default)


def deflators(processed_dir=None) -> pd.DataFrame:
    """The deflator series: the partner's ``deflators`` table if ingested, else the default."""
    from sa_toolkit.indicators.cost import deflators as default

    return _partner_or_default("deflators", processed_dir, default)
