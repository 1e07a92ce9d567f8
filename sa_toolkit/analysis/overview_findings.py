"""The overview's key findings (the first is the report's headline) and its
recommendations for the rolling plan."""

from __future__ import annotations

import pandas as pd

from sa_toolkit import disclosure, findings
from sa_toolkit.analysis.overview_cost import cost_sentence
from sa_toolkit.analysis.overview_framework import framework_sentence
from sa_toolkit.analysis.overview_matrix import matrix_sentence
from sa_toolkit.analysis.overview_msg import msg_sentences
from sa_toolkit.analysis.overview_trend import change_test
from sa_toolkit.config import Config


def _count(n, cfg: Config) -> str:
    """A whole partnership's count as a reader may see it (small in a tiny partnership)."""
    return disclosure.safe_count(n, cfg.suppression_threshold)


def key_findings(
    trend: dict,
    framework: dict,
    msg_table: pd.DataFrame,
    cost: dict | None,
    matrix: pd.DataFrame,
    cfg: Config,
) -> list[str]:
    """Three to six findings, the first the headline on total recorded crime."""
    from sa_toolkit.analysis.priority_common import not_available_text

    previous = cfg.year.previous().label
    if trend.get("compared", True):
        significant, _ = change_test(
            trend["crime_last"], trend["crime_this"], cfg.significance_level,
            trend.get("crime_dispersion"),
        )  # fmt: skip
        when = f"In {cfg.year.label} against {previous}, "
        sentence = findings.change_sentence(
            "recorded crime",
            trend["crime_last"],
            trend["crime_this"],
            significant=significant,
            threshold=cfg.suppression_threshold,
        )
        out = [when + sentence[0].lower() + sentence[1:]]
    elif trend.get("too_few_months"):
        out = [
            f"{_count(trend['crime_this'], cfg)} offences were recorded in "
            f"{cfg.year.label}. {trend['months_note']}"
        ]
    else:
        out = [
            f"{_count(trend['crime_this'], cfg)} offences were recorded in "
            f"{cfg.year.label}. " + not_available_text(f"Change on {previous}", previous)
        ]
    if trend.get("months_note") and not trend.get("too_few_months"):
        # like for like, or a year with months missing: the headline says so
        out[0] = out[0].rstrip() + " " + trend["months_note"]
    if trend.get("flags"):  # a comparison spanning COVID-19 restrictions or a rule change
        out[0] = out[0].rstrip() + " " + " ".join(trend["flags"])
    out.append(framework_sentence(framework, cfg.year.label))
    out.extend(msg_sentences(msg_table, cfg)[:1])
    if cost is not None:
        out.append(cost_sentence(cost))
    sentence = matrix_sentence(matrix)
    if sentence:
        out.append(sentence)
    if not trend.get("compared", True):
        out.append(
            f"{findings.format_number(trend['asb_this'])} anti-social behaviour incidents were "
            f"recorded by the police in {cfg.year.label}."
        )
        return out[:6]
    all_sources = all_source_asb_sentence(cfg)
    if all_sources:  # the one definition of anti-social behaviour, as its own report leads
        out.append(all_sources)
        return out[:6]
    asb_sig, _ = change_test(
        trend["asb_last"], trend["asb_this"], cfg.significance_level, trend.get("asb_dispersion")
    )
    out.append(
        findings.change_sentence(
            "Police-recorded anti-social behaviour",
            trend["asb_last"],
            trend["asb_this"],
            unit="incidents",
            significant=asb_sig,
            threshold=cfg.suppression_threshold,
        )
    )
    return out[:6]


def all_source_asb_sentence(cfg: Config) -> str | None:
    """The anti-social behaviour report's headline (incidents reported to the police, the
    council and housing providers), by the same functions; None without the partners'
    extract (police-recorded incidents are then the definition: ``measure_definitions``)."""
    from sa_toolkit.analysis import anti_social_behaviour as asb
    from sa_toolkit.analysis.priority_common import table_supplied
    from sa_toolkit.coverage import compare_years, table_coverage
    from sa_toolkit.errors import UserError
    from sa_toolkit.indicators.computations import NotComputable

    processed = getattr(cfg, "processed_dir", None)
    if not processed or not table_supplied("asb_incidents", processed):
        return None
    from sa_toolkit.analysis.priority_framework import local_source

    try:
        incidents = local_source(cfg).read("asb_incidents", ["month", "source", "lsoa_code"])
        comparison = compare_years(table_coverage("asb_incidents", processed), cfg.year)
    except (NotComputable, UserError):
        return None
    compared = comparison.compared and comparison.has_previous
    by_source = asb.source_changes(
        incidents, cfg.year, compared, comparison, cfg.significance_level
    ).set_index("source")
    return asb.headline_sentence(by_source, cfg.year, cfg.suppression_threshold)


def implications_text(
    framework: dict, matrix: pd.DataFrame, places: list[str], compared: bool = True
):
    """The closing block: what worsened or missed target, where, and what to prioritise.

    ``compared``: whether a framework row was judged or this year could be set against
    last (:func:`sa_toolkit.findings.implications`)."""
    high = matrix[matrix["priority"] == "High"]["category"].tolist()
    notes = []
    if high:
        notes.append(
            "The matrix suggests the rolling plan keep or add as priorities: "
            + ", ".join(c.lower() for c in high)
        )
    return findings.implications(
        worsened=framework["worsened"],
        missed_target=framework["missed"],
        places=places,
        notes=notes,
        compared=compared,
    )
