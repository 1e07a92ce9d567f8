"""Priority 4, drugs and alcohol: the key findings, written from the computed results.

Part of the calculations behind ``04_drugs_and_alcohol`` (re-exported by
:mod:`sa_toolkit.analysis.drugs_alcohol`).
"""

from __future__ import annotations

import pandas as pd

from sa_toolkit.analysis.drugs_alcohol_searches import NO_FURTHER_ACTION


def key_findings(offences: dict, searches: dict, pen: dict | None, violence: dict,
                 admissions: pd.DataFrame, year, significance_level: float = 0.05,
                 threshold: int = 0) -> list[str]:  # fmt: skip
    """Three to six sentences, the most important first, from the computed results.

    Counts from 1 to ``threshold - 1``, and shares that would give one away, are written
    by the disclosure rule (:func:`sa_toolkit.disclosure.safe_count`).
    """
    from sa_toolkit import findings
    from sa_toolkit.disclosure import safe_count, share_is_disclosive

    def supply_clause(this_year) -> str:
        supply = table.loc["Supply", "this_year"]
        if share_is_disclosive(supply, this_year, threshold):
            return f"; supply offences were {safe_count(supply, threshold)} of them"
        return (
            f"; supply offences were {findings.format_percent(offences['supply_share'])} of"
            f" them ({supply:,})"
        )

    out = []
    table = offences["table"].set_index("kind") if offences is not None else None
    total = table.loc["All drug offences"] if table is not None else None
    if total is not None and pd.isna(total["last_year"]):
        previous = year.previous().label
        sentence = (
            f"{safe_count(total['this_year'], threshold)} drug offences were recorded in "
            f"{year.label}"
        )
        if "Supply" in table.index and total["this_year"]:
            sentence += supply_clause(total["this_year"])
        out.append(
            sentence + f"; the change on {previous} is not available: no data for {previous}."
        )
    elif total is not None and (total["last_year"] or total["this_year"]):
        sentence = findings.change_sentence(
            "Recorded drug offences", total["last_year"], total["this_year"],
            significant=bool(total["significant"]), threshold=threshold,
        ).rstrip(".")  # fmt: skip
        if "Supply" in table.index and total["this_year"]:
            sentence += supply_clause(total["this_year"])
        out.append(sentence + f" in {year.label}.")
    if violence is not None and violence["violence"] and violence["count"]:
        top = violence["wards"].iloc[0]
        out.append(
            findings.share_sentence(
                "Alcohol-related offences",
                violence["count"],
                "violence against the person",
                violence["violence"],
                threshold=threshold,
            ).rstrip(".")
            + f"; {top['ward_name']} ward had {findings.format_percent(top['share_of_all'])} of"
            f" them and {findings.format_percent(violence['night_share'])} happened on Friday"
            " and Saturday nights."
        )
    persons = admissions[admissions["sex"] == "Persons"].dropna(subset=["value"])
    persons = persons.astype({"value": float, "lower": float, "upper": float})
    now = persons[persons["financial_year"] == year.label]
    before = persons[persons["financial_year"] == year.previous().label]
    if len(now) and len(before):
        from sa_toolkit.indicators import dsr_change

        a, b = now.iloc[0], before.iloc[0]
        # a test of the two rates, not "do the intervals overlap" (which is not a test)
        pair = pd.DataFrame({"b": [b["value"]], "bl": [b["lower"]], "bu": [b["upper"]],
                             "a": [a["value"]], "al": [a["lower"]], "au": [a["upper"]]})  # fmt: skip
        tested = dsr_change(
            pair, "b", "bl", "bu", "a", "al", "au", confidence=1 - significance_level
        )
        out.append(
            findings.change_sentence(
                "The alcohol-related hospital admission rate",
                b["value"],
                a["value"],
                unit="per 100,000, age-standardised",
                significant=bool(tested["significant"][0]),
            )
        )
    if pen is not None:
        out.append(
            f"About {findings.format_percent(pen['value'])} of the estimated"
            f" {pen['estimate']:,.0f} opiate users were in treatment in {year.label}"
            f" (range {findings.format_percent(pen['lower'])} to"
            f" {findings.format_percent(pen['upper'])}), leaving some"
            f" {pen['unmet_need']:,.0f} not in treatment."
        )
    if searches is not None and searches["this_year"]:
        nfa = searches["outcomes"].set_index("outcome")["searches"].get(NO_FURTHER_ACTION, 0)
        where = "in the partnership" if searches["scope"] == "partnership" else "force-wide"
        if share_is_disclosive(nfa, searches["this_year"], threshold):
            out.append(
                f"There were {safe_count(searches['this_year'], threshold)} stop and searches"
                f" for drugs {where} in {year.label}: too few to show how many ended with no"
                " further action."
            )
        else:
            out.append(
                f"Of {searches['this_year']:,} stop and searches for drugs {where} in"
                f" {year.label}, {findings.format_percent(nfa / searches['this_year'] * 100)}"
                " ended with no further action."
            )
    return out[:6]
