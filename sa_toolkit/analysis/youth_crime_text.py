"""Youth crime (priority 2): the sentences, titles and alt-text pieces of its report.

Each function words one finding from the frames :mod:`sa_toolkit.analysis.youth_crime`
computes, and applies disclosure control to the counts it quotes (a count from 1 to
``threshold - 1`` is written "fewer than N" and nothing is worked out from it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def change_finding(
    subject: str,
    before,
    after,
    unit: str,
    test: dict,
    target=None,
    threshold: int = 0,
    compared_with: str = "the year before",
) -> str:
    """A key-finding sentence on a count's change (with its test and optional % target).

    When either count is from 1 to ``threshold - 1`` the counts are not given. When
    ``before`` is NaN (no data for the year ``compared_with``) the sentence gives ``after``
    and says the change is not available.
    """
    from sa_toolkit import findings

    if before is None or pd.isna(before):
        count = count_text(after, threshold)
        return (
            f"{subject}: {count}{' ' + unit if unit else ''}; the change on {compared_with} is "
            f"not available: no data for {compared_with}."
        )
    if any(0 < n < threshold for n in (before, after)):
        return (
            f"{subject}: fewer than {threshold} in {'one' if min(before, after) else 'both'} "
            "of the two years, too few to publish or compare."
        )
    return findings.change_sentence(
        subject, before, after, unit=unit, target=target, significant=test.get("significant")
    )


def after_school_sentence(peak: dict, what: str = "offences against 10-17 year olds") -> str:
    """E.g. "On school days 29% of offences against 10-17 year olds happened 15:00-18:00,
    against 15% on other days (1.9 times as high; significant)."""
    from sa_toolkit import findings

    s, o = peak["school_share"], peak["other_share"]
    if np.isnan(s) or np.isnan(o):
        return f"Too few {what} to compare school days with other days."
    sig = "a statistically significant difference" if peak["significant"] else "not significant"
    ratio = f"{peak['ratio']:.1f} times as high; " if o > 0 else ""
    return (
        f"On school days {findings.format_percent(s * 100)} of {what} happened between "
        f"15:00 and 18:00, against {findings.format_percent(o * 100)} on other days "
        f"({ratio}{sig})."
    )


def count_text(n, threshold: int) -> str:
    """A count as published: ``"fewer than 5"`` when it is from 1 to ``threshold - 1``."""
    n = int(n)
    return f"fewer than {threshold}" if 0 < n < threshold else f"{n:,}"


def publishable(counts: pd.Series, threshold: int) -> pd.Series:
    """Counts with those from 1 to ``threshold - 1`` set to missing (not drawn)."""
    values = counts.astype(float)
    return values.mask((values > 0) & (values < threshold))


def counts_text(counts: pd.Series, threshold: int) -> str:
    """``"2024/25 71, 2025/26 fewer than 5"`` from :func:`publishable` counts."""
    return ", ".join(
        f"{k} {'fewer than ' + str(threshold) if pd.isna(v) else format(int(v), ',')}"
        for k, v in counts.items()
    )


def fte_sentence(fte: pd.DataFrame, threshold: int, framework_row: pd.Series | None) -> str:
    """First-time entrants this year: count, rate with its interval, and the target.

    A count below the suppression threshold is written "fewer than N" and its rate left out.
    """
    last = fte.iloc[-1]
    if 0 < last["entrants"] < threshold:
        text = (
            f"Fewer than {threshold} young people entered the youth justice system for the "
            f"first time in {last['year']}"
        )
        if framework_row is not None and framework_row["rag_label"]:
            text += f"; {str(framework_row['rag_label']).split(': ', 1)[-1]}"
        return text + "."
    text = (
        f"{int(last['entrants']):,} young people entered the youth justice system for the "
        f"first time in {last['year']}: {last['value']:.0f} per 100,000 aged 10-17 (95% "
        f"interval {last['lower']:.0f} to {last['upper']:.0f})"
    )
    if len(fte) > 1:
        prev = fte.iloc[-2]
        text += f", against {prev['value']:.0f} in {prev['year']}"
    if framework_row is not None and framework_row["rag_label"]:
        text += f"; {str(framework_row['rag_label']).split(': ', 1)[-1]}"
    return text + "."


def reoffending_sentence(cohorts: pd.DataFrame, trends: dict, threshold: int = 0) -> str:
    """The latest juvenile cohort's rate and frequency, with the trend.

    When the re-offenders, or those who did not re-offend, are fewer than ``threshold``
    no rate or count of them is given (the one would give the other away).
    """
    last = cohorts.iloc[-1]
    if 0 < last["reoffenders"] < threshold:
        return (
            f"Fewer than {threshold} young offenders in the {last['year']} cohort re-offended "
            f"within a year; recent trend of the rate: {trends['rate']}."
        )
    if 0 < last["offenders"] - last["reoffenders"] < threshold:
        return (
            f"All but fewer than {threshold} of the {int(last['offenders']):,} young offenders in "
            f"the {last['year']} cohort re-offended within a year; recent trend of the rate: "
            f"{trends['rate']}."
        )
    if last["reoffenders"] == 0:
        return f"No young offender in the {last['year']} cohort re-offended within a year."
    return (
        f"{last['rate']:.0f}% of young offenders in the {last['year']} cohort re-offended "
        f"within a year (95% interval {last['rate_lower']:.0f}% to {last['rate_upper']:.0f}%; "
        f"{int(last['reoffenders'])} of {int(last['offenders'])}), committing "
        f"{last['frequency']:.1f} re-offences each; recent trend: {trends['rate']}."
    )


def probation_sentence(
    outcomes: pd.DataFrame, significance_level: float = 0.05, threshold: int = 0
) -> str:
    """Employment of 18-24 year olds leaving probation against those aged 25 and over.

    A group's percentages are not given when they would disclose a count below
    ``threshold`` (:func:`probation_disclosive`).
    """
    latest = outcomes[outcomes["year"] == outcomes["year"].max()].set_index("age_group")
    if "18-24" not in latest.index:
        return "No probation outcomes for 18-24 year olds were supplied."
    y = latest.loc["18-24"]
    if pd.isna(y["employment"]):
        return f"No 18-24 year old ended a probation order in {y['year']}."
    if probation_disclosive(y, threshold):
        return (
            "The employment and accommodation of 18-24 year olds ending a probation order in "
            f"{y['year']} rest on numbers too small to publish."
        )
    latest = latest.dropna(subset=["employment"])
    if "25+" in latest.index and probation_disclosive(latest.loc["25+"], threshold):
        latest = latest.drop(index="25+")
    text = (
        f"{y['employment']:.0f}% of 18-24 year olds ending a probation order in "
        f"{y['year']} were in employment and {y['accommodation']:.0f}% in settled "
        f"accommodation"
    )
    if "25+" in latest.index:
        from sa_toolkit.indicators import proportion_change

        o = latest.loc["25+"]
        # a two-proportion test, not "do the intervals overlap" (which is not a test)
        pair = pd.DataFrame({"x0": [o["in_employment"]], "n0": [o["terminations"]],
                             "x1": [y["in_employment"]], "n1": [y["terminations"]]})  # fmt: skip
        tested = proportion_change(pair, "x0", "n0", "x1", "n1", confidence=1 - significance_level)
        differs = bool(tested["significant"][0])
        text += (
            f", against {o['employment']:.0f}% and {o['accommodation']:.0f}% of those aged 25 "
            f"and over (employment {'differs significantly' if differs else 'does not differ significantly'})"
        )
    return text + "."


def employment_title(outcomes: pd.DataFrame, threshold: int = 0) -> str:
    """Chart title: employment of 18-24 year olds leaving probation against those 25 and over.

    A group whose percentages would disclose a count below ``threshold`` is left out.
    """
    latest = outcomes[outcomes["year"] == outcomes["year"].max()].set_index("age_group")
    latest = latest.dropna(subset=["employment"])  # a group with no orders ending
    hidden = [group for group, row in latest.iterrows() if probation_disclosive(row, threshold)]
    latest = latest.drop(index=hidden)
    if "18-24" not in latest.index:
        return "Employment at the end of probation by age"
    y = latest.loc["18-24"]
    text = f"{y['employment']:.0f}% of 18-24 year olds leaving probation in {y['year']} had a job"
    if "25+" in latest.index:
        text += f", against {latest.loc['25+', 'employment']:.0f}% of those aged 25 and over"
    return text


def probation_disclosive(row: pd.Series, threshold: int) -> bool:
    """True when a probation row's employment or accommodation percentage would let a
    reader work out a count below ``threshold`` (orders ending, people in employment or
    settled accommodation, or those not: :func:`sa_toolkit.disclosure.share_is_disclosive`)."""
    from sa_toolkit.disclosure import share_is_disclosive

    return any(
        share_is_disclosive(row[count], row["terminations"], threshold)
        for count in ("in_employment", "in_settled_accommodation")
    )
