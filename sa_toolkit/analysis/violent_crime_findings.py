"""Violent crime: the framework's rows, the key findings and the recommendations."""

from __future__ import annotations

import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.violent_crime_data import (
    NIGHT_TIME_ECONOMY,
    ViolentCrimeData,
)
from sa_toolkit.analysis.violent_crime_people import (
    domestic_abuse_sentence,
    night_sentence,
)
from sa_toolkit.analysis.violent_crime_places import concentration_sentence, peer_sentence
from sa_toolkit.analysis.violent_crime_trends import direction
from sa_toolkit.disclosure import is_small, safe_count
from sa_toolkit.geography import place_level

# ----------------------------------------------------------------------------- framework


def framework_rows(data: ViolentCrimeData) -> pd.DataFrame:
    """The performance framework's rows for the violent crime priority (computed from data).

    Uses :func:`sa_toolkit.framework.build_framework` on the violent crime part of the
    catalogue; the incidents already read serve the framework's reads of
    ``crime_incidents`` (same rows), so the table is not read twice.
    """
    from sa_toolkit.framework import build_framework
    from sa_toolkit.indicators.catalogue import load_catalogue
    from sa_toolkit.indicators.computations import DataSource
    from sa_toolkit.tables import read_table

    cfg = data.cfg
    if data.year == cfg.year:
        from sa_toolkit.analysis import priority_framework as pf
        from sa_toolkit.measures import wait_for_run_measures

        wait_for_run_measures()
        if pf.shared_framework(cfg) is not None:
            # under sa run: the run's rows, computed once for every report (sa_toolkit.measures)
            return pf.priority_framework(cfg, "violent_crime", enter_missing=False)
    catalogue = load_catalogue()
    catalogue = catalogue[catalogue["priority"] == "violent_crime"]

    def reader(name, processed_dir, columns=None):
        if name == "crime_incidents" and data.source == "incidents":
            frame = data.incidents
            return frame if columns is None else frame[list(columns)]
        return read_table(name, processed_dir, columns=columns)

    from sa_toolkit.indicators.catalogue import load_series_breaks
    from sa_toolkit.targets import load_targets

    source = DataSource.from_config(cfg)
    source.reader = reader
    return build_framework(
        year=data.year,
        catalogue=catalogue,
        data=source,
        # the package's breaks and the partnership's own, as the run's framework
        series_breaks=load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None)),
        tolerance=cfg.amber_tolerance,
        significance_level=cfg.significance_level,
        targets=load_targets(cfg),
    )


# ----------------------------------------------------------------------------- findings


def _target_row(frame_rows: pd.DataFrame, indicator_id: str) -> pd.Series | None:
    if not indicator_id or frame_rows is None or frame_rows.empty:
        return None
    rows = frame_rows[frame_rows["indicator_id"] == indicator_id]
    return None if rows.empty else rows.iloc[0]


def measure_sentence(
    row: pd.Series, framework: pd.DataFrame | None = None, subject=None, threshold: int = 0
) -> str:
    """The change of one measure in counts, against its framework target where it has one."""
    target_row = _target_row(framework, row["indicator_id"])
    target = None
    if target_row is not None and target_row["target_type"] == "relative_change":
        target = target_row["target"]
        target = None if target is None or pd.isna(target) else float(target)
    return findings.change_sentence(
        subject or row["label"],
        row["previous"],
        row["actual"],
        target=target,
        significant=bool(row["significant"]),
        lower_is_better=row["polarity"] != "higher_is_better",
        threshold=threshold,
    )


def level_sentence(row: pd.Series, data: ViolentCrimeData, note: bool = True) -> str:
    """The measure's count and rate in the assessed year, for a year without a comparison:
    "In 2020/21, 412 offences of violence against the person were recorded (3.2 per 1,000
    residents). Change on 2019/20 not available: no data for 2019/20." (suppressed below
    the threshold)."""
    from sa_toolkit.analysis.priority_common import not_available_text
    from sa_toolkit.disclosure import is_small

    count = row["actual"]
    if is_small([count], data.threshold)[0]:
        text = f"In {data.year.label}, fewer than {data.threshold} offences of {row['label'].lower()} were recorded."
    else:
        text = (
            f"In {data.year.label}, {findings.format_number(count)} offences of "
            f"{row['label'].lower()} were recorded "
            f"({findings.format_number(row['value'], 1)} per 1,000 residents)."
        )
    if note:
        previous = data.year.previous().label
        text += " " + not_available_text(f"Change on {previous}", previous)
    return text


def key_findings(
    data: ViolentCrimeData,
    summary: pd.DataFrame,
    framework: pd.DataFrame | None,
    *,
    peers: dict | None = None,
    conc: pd.DataFrame | None = None,
    wards: pd.DataFrame | None = None,
    times: dict | None = None,
    people: pd.DataFrame | None = None,
) -> list[str]:
    """Three to six key findings, the violence headline first."""
    previous = data.year.previous()
    if not data.has_comparison:
        out = [level_sentence(summary.loc[data.focus], data)]
        if "knife_crime" in summary.index:
            out.append(level_sentence(summary.loc["knife_crime"], data, note=False))
    else:
        out = [
            measure_sentence(
                summary.loc[data.focus],
                framework,
                subject=f"Between {previous.label} and {data.year.label}, {data.focus_label.lower()}",
                threshold=data.threshold,
            )
        ]
        if "knife_crime" in summary.index:
            out.append(
                measure_sentence(summary.loc["knife_crime"], framework, threshold=data.threshold)
            )
    worse = [
        m
        for m in summary.index
        if m not in (data.focus, "knife_crime") and direction(summary.loc[m]) == "worse"
    ]
    if worse:
        worst = max(worse, key=lambda m: summary.loc[m, "change"])
        out.append(measure_sentence(summary.loc[worst], framework, threshold=data.threshold))
    optional = [
        peer_sentence(data, peers) if peers else None,
        concentration_sentence(data, conc, wards)
        if conc is not None and wards is not None
        else None,
        domestic_abuse_sentence(people, data.threshold) if people is not None else None,
        night_sentence(times) if times else None,
    ]
    out.extend(s for s in optional if s)
    if data.months_note:  # months missing: the headline says what was compared
        out[0] = f"{out[0].rstrip()} {data.months_note}"
    flags = data.caveats(short=True)
    if flags:  # the comparison spans COVID-19 restrictions or a counting rule change
        out[0] = f"{out[0].rstrip()} {' '.join(flags)}"
    return out[:6]


def implications(
    data: ViolentCrimeData,
    summary: pd.DataFrame,
    framework: pd.DataFrame | None,
    wards: pd.DataFrame | None = None,
    times: dict | None = None,
    n_places: int = 3,
) -> dict:
    """Arguments for :func:`sa_toolkit.findings.implications`, computed.

    ``worsened``: measures whose rise is statistically significant (not domestic abuse,
    where more reporting is sought); ``missed_target``: framework rows rated amber or red
    against a target; ``places``: the wards with most violence; ``times``: the night-time
    economy window and the busiest hour; ``compared``: whether anything could be compared
    (a framework row judged, or a measure with both years).
    """
    worsened = []
    for _, row in summary.iterrows():
        if direction(row) == "worse":
            if is_small([row["previous"], row["actual"]], data.threshold).any():
                # no percentage: with the other count it would give the small one away
                worsened.append(
                    f"{row['label']} (from {safe_count(row['previous'], data.threshold)} to "
                    f"{safe_count(row['actual'], data.threshold)})"
                )
                continue
            worsened.append(
                f"{row['label']} ({findings.format_signed_percent(row['change'])}, "
                f"{findings.format_number(row['previous'])} to {findings.format_number(row['actual'])})"
            )
    missed = []
    if framework is not None and not framework.empty:
        untargeted = framework[
            (framework["target_type"] == "none")
            & (framework["significant"] == "yes")
            & (framework["rag"] == "R")
        ]
        for _, row in untargeted.iterrows():
            worsened.append(
                f"{row['name']} ({findings.format_signed_percent(row['change'])} in the "
                "performance framework)"
            )
        targeted = framework[
            (framework["target_type"] != "none") & framework["rag"].isin(["R", "A"])
        ]
        for _, row in targeted.iterrows():
            missed.append(f"{row['name']}: {row['rag_label']}")
    places = []
    if wards is not None and wards["offences"].sum() > 0:
        for _, row in wards.sort_values("offences", ascending=False).head(n_places).iterrows():
            named = place_level(data.areas).named(row["place"])
            if is_small([row["offences"]], data.threshold)[0]:
                # the share and rate of a small count give it away: neither is given
                places.append(
                    f"{named}: {safe_count(row['offences'], data.threshold)} offences of "
                    f"{data.focus_label.lower()}"
                )
                continue
            places.append(
                f"{named}: {findings.format_number(row['offences'])} offences of "
                f"{data.focus_label.lower()} ({findings.format_percent(row['share'])}), "
                f"{findings.format_number(row['rate'], 1)} per 1,000 residents"
            )
    time_items = []
    if times and times["night_share"] is not None:
        days = " and ".join(NIGHT_TIME_ECONOMY["weekdays"])
        start, end = NIGHT_TIME_ECONOMY["window"]
        time_items.append(
            f"{days} nights, {start} to {end}: {findings.format_percent(times['night_share'] * 100)} "
            f"of violence in {findings.format_percent(times['night_hours_share'] * 100)} of the week"
        )
        day, hour = times["peak"]
        time_items.append(f"busiest hour {day} {hour:02d}:00 to {(hour + 1) % 24:02d}:00")
    from sa_toolkit.analysis.priority_framework import assessed_indicators

    compared = assessed_indicators(framework) > 0 or bool(
        len(summary) and summary[["previous", "actual"]].notna().all(axis=1).any()
    )
    return {
        "worsened": worsened,
        "missed_target": missed,
        "places": places,
        "times": time_items,
        "compared": compared,
    }
