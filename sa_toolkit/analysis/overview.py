"""Calculations behind the 00 Overview report.

The overview answers, for the whole partnership, what the 2009 rolling plan answers in
its opening pages and Appendix 1: how every priority's indicators moved (the performance
framework), where the partnership stands in its Most Similar Group (MSG), how much crime
and anti-social behaviour (ASB) there was and of what kind, what crime cost, and which
categories should be priorities (the priority-setting matrix, scored by the rules in
``docs/assumptions_log.md``). The notebook only calls these functions and draws.

Every table read is read once: :func:`load_overview` reads the street-level counts
through the same :class:`~sa_toolkit.indicators.computations.DataSource` cache that the
framework uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.board_language import month_name
from sa_toolkit.config import Config
from sa_toolkit.coverage import Coverage, YearComparison, compare_years
from sa_toolkit.errors import ArgumentError, UserError
from sa_toolkit.periods import FinancialYear, financial_year_label, financial_year_of
from sa_toolkit.priorities import PRIORITY_NAMES  # noqa: F401 - re-exported

ASB = "Anti-social behaviour"
ALL_CRIME = "All crime"
STREET_SOURCE = "data.police.uk street-level crime"
MSG_SOURCE = "Home Office, police recorded crime by Most Similar Group"
RAG_NAMES = {"R": "Red", "A": "Amber", "G": "Green"}

#: Priority-setting matrix: score bands (documented in docs/assumptions_log.md).
VOLUME_BANDS = (5.0, 15.0)  # share of crime and ASB, %: <5 -> 1, 5 to <15 -> 2, >=15 -> 3
HARM_BANDS = (2_000.0, 10_000.0)  # cost per offence at the year's prices, pounds
#: bands of the average score of the measured dimensions (1-3 each): with all four
#: measured, 9 or more of 12 is High and 7 or 8 Medium
PRIORITY_BANDS = ((2.25, "High"), (1.75, "Medium"), (0.0, "Lower"))
NOT_MEASURED = "not measured"
TREND_SCORES = {
    "increasing and getting worse": 3,
    "no significant change": 2,
    "decreasing and getting better": 1,
}
PEER_SCORES = {"worse": 3, "similar": 2, "better": 1}
TREND_YEARS = 5


# ----------------------------------------------------------------------------- loading


@dataclass
class OverviewData:
    """What the overview reads, once.

    Attributes
    ----------
    counts : DataFrame
        Partnership street-level counts, one row per month (``period[M]``, every month;
        NaN in a month the police data do not hold: a gap, not a zero
        from the first year needed to the assessment year's March) and one column per
        crime type, ASB included.
    lsoa_counts : Series
        Crimes (not ASB) in the assessment year by LSOA code.
    wards : Series
        Ward name by LSOA code (empty when there is no lookup).
    msg : DataFrame
        The ``msg_crime`` table.
    populations : dict
        Partnership population by financial-year label (``None`` when not known).
    """

    cfg: Config
    counts: pd.DataFrame
    lsoa_counts: pd.Series
    wards: pd.Series
    msg: pd.DataFrame
    populations: dict[str, float | None]
    source: object = None
    notes: list[str] = field(default_factory=list)
    #: why the cost of crime could not be estimated (set by :func:`cost_by_year`)
    cost_reason: str = ""
    #: False when no MSG table was supplied (``msg`` is then empty)
    msg_supplied: bool = True
    #: the months the (force-wide) police data hold
    coverage: Coverage | None = None

    @property
    def police(self) -> Coverage:
        if self.coverage is not None:
            return self.coverage
        # built without one (tests, callers of old): the months that hold counts
        return Coverage.of("police_street", self.counts.index[self.counts.notna().any(axis=1)])

    def comparison(self) -> YearComparison:
        """The assessed year against the one before, like for like."""
        return compare_years(self.police, self.cfg.year)


def first_year_needed(cfg: Config) -> FinancialYear:
    """The earliest year any part of the overview uses (baseline, last year, trend)."""
    return min(cfg.baseline_year, cfg.year.previous(TREND_YEARS - 1), cfg.year.previous())


def street_month_counts(
    street: pd.DataFrame, months: pd.PeriodIndex, coverage: Coverage | None = None
) -> pd.DataFrame:
    """Counts by month and crime type, every month of ``months`` present (0 if none).

    With ``coverage``, a month the police data do not hold is NaN (missing), not 0.
    """
    months = pd.PeriodIndex(months, freq="M")
    rows = street[street["month"].isin(months)]
    counts = pd.crosstab(rows["month"], rows["crime_type"].astype(str))
    counts = counts.reindex(index=months, fill_value=0).astype("int64")
    counts.index.name = "month"
    counts.columns.name = None
    if coverage is not None and not months.isin(coverage.months).all():
        counts = counts.astype("float64")
        counts.loc[~months.isin(coverage.months), :] = np.nan
    return counts


def load_overview(cfg: Config, source=None) -> OverviewData:
    """Read the street-level counts, the lookup and the MSG table for the overview.

    Parameters
    ----------
    cfg : Config
    source : DataSource, optional
        Shared with :func:`performance_framework` so the street table is read once.
    """
    from sa_toolkit.indicators.computations import DataSource, NotComputable, population
    from sa_toolkit.tables import read_table

    src = source if source is not None else DataSource.from_config(cfg)
    if not src.lsoas:
        raise UserError(
            f"the partnership's LSOAs are unknown: no lookup row has CSP code "
            f"{cfg.partnership_code} (partnership.code) and partnership.lsoas is empty"
        )
    try:
        street = src.read("police_street", ["month", "lsoa_code", "crime_type"])
    except NotComputable as exc:
        raise UserError(str(exc)) from None
    # the months of the force's download: a month it lacks is missing, not zero
    coverage = Coverage.of("police_street", pd.PeriodIndex(street["month"], freq="M").unique())
    street = street[street["lsoa_code"].astype(str).isin(src.lsoas)]
    # months before the police data begin are left out, not counted as zero
    start = first_year_needed(cfg).first_month
    if len(street):
        start = max(start, financial_year_of(street["month"].min()).first_month)
    months = pd.period_range(start, cfg.year.last_month, freq="M")
    counts = street_month_counts(street, months, coverage)
    this_year = street[
        street["month"].isin(cfg.year.months) & (street["crime_type"].astype(str) != ASB)
    ]
    lsoa_counts = this_year["lsoa_code"].astype(str).value_counts()
    try:
        lookup = src.read("lookup", ["lsoa_code", "ward_name"])
        wards = pd.Series(
            lookup["ward_name"].astype(str).to_numpy(), index=lookup["lsoa_code"].astype(str)
        )
        wards = wards[~wards.index.duplicated()]
    except NotComputable:
        wards = pd.Series(dtype="object")
    from sa_toolkit.analysis.priority_common import table_supplied

    msg_columns = ["area_code", "area_name", "area_type", "financial_year", "offence_group",
                   "offences", "population"]  # fmt: skip
    msg_supplied = table_supplied("msg_crime", cfg.processed_dir)
    msg = (
        read_table("msg_crime", cfg.processed_dir, columns=msg_columns)
        if msg_supplied
        else pd.DataFrame({c: pd.Series(dtype=float if c in ("offences", "population") else str)
                           for c in msg_columns})
    )  # fmt: skip
    # plain text once: the MSG table is filtered some sixty times
    msg = msg.astype({c: str for c in msg.columns if c not in ("offences", "population")})
    populations: dict[str, float | None] = {}
    notes: list[str] = []
    first = first_year_needed(cfg)
    fy = first
    while fy <= cfg.year:
        try:
            pop, note = population(src, fy)
            populations[fy.label] = pop
            if note:
                notes.append(f"{fy.label}: {note}")
        except NotComputable:
            populations[fy.label] = None
        fy = fy.next()
    return OverviewData(
        cfg, counts, lsoa_counts, wards, msg, populations, src, notes, msg_supplied=msg_supplied,
        coverage=coverage,
    )  # fmt: skip


# ----------------------------------------------------------------------------- helpers


def year_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Monthly counts summed by financial year (rows labelled ``2024/25``), over the months
    present (see :func:`complete_years` for the years with all twelve)."""
    labels = financial_year_label(counts.index).to_numpy()
    return counts.groupby(labels).sum()


def complete_years(data: OverviewData) -> list[str]:
    """Labels of the financial years whose twelve months are all in the police data."""
    return [y.label for y in data.police.complete_years()]


def comparison_totals(data: OverviewData, cmp: YearComparison) -> pd.DataFrame:
    """Counts by crime type over the compared months: rows ``this`` and ``last``."""
    counts = data.counts
    return (
        pd.DataFrame(
            {
                "this": counts[counts.index.isin(cmp.this_months)].sum(),
                "last": counts[counts.index.isin(cmp.last_months)].sum(),
            }
        )
        .T.round()
        .astype("int64")
    )


def crime_columns(counts: pd.DataFrame) -> list[str]:
    return [c for c in counts.columns if c != ASB]


def _pct(before: float, after: float) -> float | None:
    return None if not before else (after - before) / before * 100


def _signed(p: float | None) -> str:
    return (
        "n/a"
        if p is None or (isinstance(p, float) and math.isnan(p))
        else (findings.format_signed_percent(p))
    )


# ----------------------------------------------------------------------------- framework


def performance_framework(cfg: Config, source=None) -> pd.DataFrame:
    """The performance framework of every priority, computed from the processed data.

    Under ``sa run`` the rows computed once for the run are read instead
    (:func:`sa_toolkit.analysis.priority_framework.performance_framework`).
    """
    from sa_toolkit.analysis import priority_framework

    return priority_framework.performance_framework(cfg, source)


def _value_text(value, unit: str, threshold: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    if unit == "count":
        if 1 <= value < threshold:
            return f"<{threshold}"
        return findings.format_number(value)
    from sa_toolkit.measures import format_value

    # the one precision of every report (sa_toolkit.measures.DECIMALS)
    return format_value(value, unit)


def _small_count(value, unit: str, threshold: int) -> bool:
    return unit == "count" and isinstance(value, int | float) and 1 <= value < threshold


def framework_for_publication(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The framework with small counts hidden (and the change that would reveal them).

    Counts from 1 to ``threshold - 1`` become ``<threshold``; the change and p-value of
    such a row are removed, since with the other year's count they would reveal it.
    """
    out = frame.copy().astype({"baseline": object, "actual": object, "change": object})
    for i, row in out.iterrows():
        small = [_small_count(row[k], row["unit"], threshold) for k in ("baseline", "actual")]
        if any(small):
            for key, hide in zip(("baseline", "actual"), small, strict=True):
                if hide:
                    out.at[i, key] = f"<{threshold}"
            out.at[i, "change"] = None
            out.at[i, "p_value"] = np.nan
    return out


def indicator_label(indicator_id: str, name: str) -> str:
    """The name as the board reads it: today's wording, a retired National Indicator's
    code only as a reference after it ("... (formerly NI 16)"); ids are never shown."""
    from sa_toolkit.board_language import indicator_name

    return indicator_name(indicator_id, name)


def framework_display(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Rows for the report's framework table: one per indicator, priority order kept.

    The traffic light is its colour name (shown as a chip with its text) and the
    reason is spelled out beside it, so nothing depends on colour alone.
    """
    rows = []
    columns = ["Priority", "Indicator", "Baseline", "Actual", "Change", "Traffic light",
               "Assessment", "Significant change"]  # fmt: skip
    for _, row in frame.iterrows():
        unit = row["unit"]
        hide = any(_small_count(row[k], unit, threshold) for k in ("baseline", "actual"))
        change = row["change"]
        if hide or change is None or (isinstance(change, float) and math.isnan(change)):
            change_text = ""
        else:
            change_text = f"{change:+.1f}{' pp' if row['change_unit'] == 'pp' else '%'}"
        label = str(row["rag_label"])
        reason = label.split(": ", 1)[1] if ": " in label else label
        rows.append(
            {
                "Priority": PRIORITY_NAMES.get(str(row["priority"]), str(row["priority"])),
                "Indicator": indicator_label(str(row["indicator_id"]), str(row["name"])),
                "Baseline": _value_text(row["baseline"], unit, threshold),
                "Actual": _value_text(row["actual"], unit, threshold),
                "Change": change_text,
                "Traffic light": RAG_NAMES.get(str(row["rag"])),
                "Assessment": reason,
                "Significant change": str(row["significant"] or ""),
            }
        )
    # no indicator computable (e.g. too few months of data): the table keeps its columns
    return pd.DataFrame(rows, columns=columns)


def framework_not_computed(frame: pd.DataFrame) -> str:
    """Why the framework has no rows: the first reasons an indicator could not be computed."""
    from sa_toolkit.board_language import token_findings

    # a reason that names tables, folders or commands is the analyst's detail (run log)
    reasons = [
        r
        for r in dict.fromkeys(frame.attrs.get("not_computed", {}).values())
        if not token_findings(r)
    ]
    text = "No performance indicator could be computed from the data supplied"
    if reasons:
        return f"{text} ({'; '.join(reasons[:3])})."
    return f"{text}: the run log lists the data not supplied and the months each source covers."


def write_framework_download(
    frame: pd.DataFrame, output_dir, threshold: int, cfg: Config | None = None
) -> Path:
    """Write ``performance_framework.xlsx`` into the report folder (small counts hidden):
    the formatted workbook (title, plain headers, rounded values, notes) given ``cfg``."""
    from sa_toolkit.framework import workbook_title, write_framework

    path = Path(output_dir) / "performance_framework.xlsx"
    title = workbook_title(cfg, threshold) if cfg is not None else None
    return write_framework(framework_for_publication(frame, threshold), path, title=title)


def framework_summary(frame: pd.DataFrame) -> dict:
    """Counts of red, amber, green and unrated indicators, and the ones to act on.

    ``worsened`` lists indicators whose change was statistically significant in the
    wrong direction; ``missed`` those that missed a target.
    """
    rag = frame["rag"].astype(str)
    worse = []
    missed = []
    for _, row in frame.iterrows():
        change = row["change"]
        has_change = change is not None and not (isinstance(change, float) and math.isnan(change))
        if (
            row["significant"] == "yes"
            and has_change
            and row["polarity"]
            in (
                "lower_is_better",
                "higher_is_better",
            )
        ):
            bad = change > 0 if row["polarity"] == "lower_is_better" else change < 0
            if bad:
                worse.append(
                    f"{row['name']} ({change:+.1f}{' pp' if row['change_unit'] == 'pp' else '%'})"
                )
        if "missed" in str(row["rag_label"]) and row["target_type"] != "none":
            missed.append(f"{row['name']}: {str(row['rag_label']).split(': ', 1)[-1]}")
    return {
        "indicators": len(frame),
        "red": int((rag == "R").sum()),
        "amber": int((rag == "A").sum()),
        "green": int((rag == "G").sum()),
        "not_rated": int((~rag.isin(["R", "A", "G"])).sum()),
        "worsened": worse,
        "missed": missed,
    }


def framework_sentence(summary: dict, year_label: str) -> str:
    n = summary["indicators"]
    text = (
        f"Of {n} performance indicators in {year_label}, {summary['green']} were green, "
        f"{summary['amber']} amber and {summary['red']} red"
    )
    if summary["not_rated"]:
        text += f" ({summary['not_rated']} not rated)"
    k = len(summary["worsened"])
    text += f"; {k} worsened significantly" if k else "; none worsened significantly"
    return text + "."


# ----------------------------------------------------------------------------- MSG


def _msg_rates(msg: pd.DataFrame, members, year: str, group: str) -> pd.DataFrame:
    rows = msg[
        (msg["area_type"].astype(str) == "csp")
        & msg["area_code"].astype(str).isin(members)
        & (msg["financial_year"].astype(str) == year)
    ]
    if group != ALL_CRIME:
        rows = rows[rows["offence_group"].astype(str) == group]
    if rows.empty:
        return rows
    return (
        rows.assign(
            area_code=rows["area_code"].astype(str), area_name=rows["area_name"].astype(str)
        )
        .groupby(["area_code", "area_name"], as_index=False)
        .agg(offences=("offences", "sum"), population=("population", "first"))
    )


def _position(above_below: str, comparison: str) -> str:
    """Above / Just above / Below / Just below, as the 2009 MSG table words it."""
    if above_below == "equal":
        return "At average"
    base = "above" if above_below == "above" else "below"
    return base.capitalize() if comparison != "similar" else f"Just {base}"


def msg_position(msg: pd.DataFrame, cfg: Config, year: FinancialYear, group: str) -> dict | None:
    """The partnership's rank (1 = worst) and position against the MSG average."""
    from sa_toolkit.indicators.peers import peer_comparison

    members = list(cfg.msg_members) or sorted(
        msg.loc[msg["area_type"].astype(str) == "csp", "area_code"].astype(str).unique()
    )
    rates = _msg_rates(msg, members, year.label, group)
    if rates.empty or cfg.partnership_code not in set(rates["area_code"]):
        return None
    if (rates["population"] <= 0).any():
        return None
    # "similar" when within the funnel limits allowing for the group's real-world
    # variation (Spiegelhalter 2005), at the configured significance level
    result = peer_comparison(
        rates, "area_code", "lower_is_better", count="offences", denominator="population",
        confidence=1 - cfg.significance_level,
    )  # fmt: skip
    own = result[result["area_code"] == cfg.partnership_code].iloc[0]
    return {
        "rank": int(own["rank"]),
        "members": int(own["members"]),
        "value": float(own["value"]),
        "lower": float(own["lower"]),
        "upper": float(own["upper"]),
        "offences": int(own["offences"]),
        "peer_average": float(own["peer_average"]),
        "above_below": str(own["above_below"]),
        "comparison": str(own["comparison"]),
        "position": _position(str(own["above_below"]), str(own["comparison"])),
        "table": result,
        "overdispersion": result.attrs.get("overdispersion"),
    }


def _area_change(
    msg: pd.DataFrame, area_type: str, code: str | None, group: str, cfg
) -> float | None:
    rows = msg[msg["area_type"].astype(str) == area_type]
    if code is not None:
        rows = rows[rows["area_code"].astype(str) == code]
    if group != ALL_CRIME:
        rows = rows[rows["offence_group"].astype(str) == group]
    by_year = rows.groupby(rows["financial_year"].astype(str))["offences"].sum()
    before, after = by_year.get(cfg.year.previous().label), by_year.get(cfg.year.label)
    if before is None or after is None:
        return None
    return _pct(float(before), float(after))


def msg_groups(msg: pd.DataFrame, cfg: Config) -> list[str]:
    """``All crime`` then the offence groups, largest in the partnership first."""
    own = msg[
        (msg["area_code"].astype(str) == cfg.partnership_code)
        & (msg["financial_year"].astype(str) == cfg.year.label)
    ]
    order = own.groupby(own["offence_group"].astype(str))["offences"].sum()
    order = order.sort_values(ascending=False, kind="stable")
    return [ALL_CRIME, *order.index]


def msg_comparison(msg: pd.DataFrame, cfg: Config) -> pd.DataFrame:
    """The 2009-style MSG table: rank and position last year and this, progress, % change.

    Rank 1 is the highest rate in the group (worst). "Just above" / "Just below" mean the
    partnership's 95% interval contains the group average. Progress compares ranks: a
    higher rank number than last year is an improvement. The % changes are of offences
    between last year and this for the partnership, the region and England and Wales.
    """
    region = msg.loc[msg["area_type"].astype(str) == "region", "area_code"].astype(str)
    region_code = region.iloc[0] if len(region) else None
    rows = []
    for group in msg_groups(msg, cfg):
        now = msg_position(msg, cfg, cfg.year, group)
        before = msg_position(msg, cfg, cfg.year.previous(), group)
        if now is None:
            continue
        if before is None:
            progress = "n/a"
        elif now["rank"] > before["rank"]:
            progress = "Improved"
        elif now["rank"] < before["rank"]:
            progress = "Worsened"
        else:
            progress = "No change"
        rows.append(
            {
                "offence_group": group,
                "rank_last": before["rank"] if before else None,
                "position_last": before["position"] if before else "n/a",
                "rank_this": now["rank"],
                "position_this": now["position"],
                "members": now["members"],
                "progress": progress,
                "rate_this": now["value"],
                "peer_average_this": now["peer_average"],
                "comparison_this": now["comparison"],
                "offences_this": now["offences"],
                "change_partnership": _area_change(msg, "csp", cfg.partnership_code, group, cfg),
                "change_region": _area_change(msg, "region", region_code, group, cfg)
                if region_code
                else None,
                "change_national": _area_change(msg, "national", None, group, cfg),
            }
        )
    return pd.DataFrame(rows)


def msg_display(table: pd.DataFrame, cfg: Config, threshold: int) -> pd.DataFrame:
    """The MSG table as the report shows it (ranks as ordinals, changes signed)."""
    last, this = cfg.year.previous().label, cfg.year.label

    def rank(value, members):
        return "n/a" if value is None or pd.isna(value) else f"{findings.ordinal(int(value))}"

    out = pd.DataFrame(
        {
            "Offence group": table["offence_group"],
            f"Rank {last}": [
                rank(v, m) for v, m in zip(table["rank_last"], table["members"], strict=True)
            ],
            f"Against average {last}": table["position_last"],
            f"Rank {this}": [
                rank(v, m) for v, m in zip(table["rank_this"], table["members"], strict=True)
            ],
            f"Against average {this}": table["position_this"],
            "Progress": table["progress"],
            f"Rate per 1,000 {this}": [
                f"<{threshold}" if 1 <= n < threshold else findings.format_number(v, 1)
                for v, n in zip(table["rate_this"], table["offences_this"], strict=True)
            ],
            "MSG average": [findings.format_number(v, 1) for v in table["peer_average_this"]],
            f"% change {cfg.partnership_short_name}": [
                "[c]" if 1 <= n < threshold else _signed(p)
                for p, n in zip(table["change_partnership"], table["offences_this"], strict=True)
            ],
            f"% change {cfg.region}": [_signed(p) for p in table["change_region"]],
            "% change England and Wales": [_signed(p) for p in table["change_national"]],
        }
    )
    if not msg_has_last_year(table):  # no MSG figures for last year: no columns of n/a
        out = out[["Offence group", f"Rank {this}", f"Against average {this}",
                   f"Rate per 1,000 {this}", "MSG average"]]  # fmt: skip
    return out


def msg_has_last_year(table: pd.DataFrame) -> bool:
    """True when the MSG comparison holds any figure for the year before the assessed one."""
    return bool(len(table)) and not (
        table["rank_last"].isna().all() and table["change_partnership"].isna().all()
    )


def funnel_position(value: float, limits: pd.Series) -> str:
    """Where a value lies against the funnel limits at its own population.

    ``limits`` holds ``lower_95, upper_95, lower_99_8, upper_99_8``. Returns e.g.
    "well above, outside the 99.8% limits", "below, outside the 95% limits" or
    "within the 95% limits".
    """
    if value > limits["upper_99_8"]:
        return "well above, outside the 99.8% limits"
    if value > limits["upper_95"]:
        return "above, outside the 95% limits"
    if value < limits["lower_99_8"]:
        return "well below, outside the 99.8% limits"
    if value < limits["lower_95"]:
        return "below, outside the 95% limits"
    return "within the 95% limits"


def msg_funnel(msg: pd.DataFrame, cfg: Config, group: str = ALL_CRIME) -> dict | None:
    """Points, control limits and a finding title for the MSG funnel plot."""
    from sa_toolkit.indicators.peers import funnel_limits

    pos = msg_position(msg, cfg, cfg.year, group)
    if pos is None:
        return None
    table = pos["table"]
    points = pd.DataFrame(
        {
            "label": table["area_name"].astype(str),
            "denominator": table["population"].astype(float),
            "value": table["value"].astype(float),
        }
    )
    pops = points["denominator"]
    grid = np.linspace(pops.min() * 0.8, pops.max() * 1.15, 120)
    od = pos["overdispersion"]
    tau2 = od.tau2 if od is not None else 0.0
    limits = funnel_limits(grid, pos["peer_average"], tau2=tau2).rename(
        columns={"population": "denominator", "lower_99_8": "lower_998", "upper_99_8": "upper_998"}
    )
    own = table[table["area_code"] == cfg.partnership_code].iloc[0]
    at_own = funnel_limits([float(own["population"])], pos["peer_average"], tau2=tau2).iloc[0]
    value = pos["value"]
    where = funnel_position(value, at_own)
    subject = "recorded crime rate" if group == ALL_CRIME else f"{group.lower()} rate"
    name = cfg.partnership_short_name
    average = findings.format_number(pos["peer_average"], 1)
    if where.startswith("within"):
        tail = f"within the range expected around the Most Similar Group average ({average})"
    else:
        direction, bounds = where.split(", ", 1)
        tail = f"{direction} the Most Similar Group average ({average}), {bounds}"
    title = (
        f"{name}'s {subject} ({findings.format_number(value, 1)} per 1,000) was {tail} "
        f"in {cfg.year.label}"
    )
    return {
        "points": points,
        "limits": limits,
        "average": pos["peer_average"],
        "highlight": str(own["area_name"]),
        "title": title,
        "rank": pos["rank"],
        "members": pos["members"],
        "where": where,
        "value": value,
        "limits_note": (od.describe() if od is not None else ""),
    }


def msg_funnel_note(funnel: dict) -> str:
    """How to read the funnel plot, and whether its limits allow for real-world variation."""
    note = (
        "How to read this chart: each dot is one partnership of the Most Similar Group, placed by "
        "its population and its rate. The funnel shows the range a rate could fall in by chance "
        "around the group average, inner lines 95%, outer lines 99.8%; smaller partnerships have "
        "wider limits because their rates vary more by chance."
    )
    if funnel.get("limits_note"):
        note += f" In {funnel['members']} partnerships this year, {funnel['limits_note']}."
    return note


def msg_sentences(table: pd.DataFrame, cfg: Config) -> list[str]:
    """Rank of all crime and the offence group where the partnership ranks worst."""
    if table.empty:
        return []
    name = cfg.partnership_short_name
    out = []
    total = table[table["offence_group"] == ALL_CRIME]
    if not total.empty:
        row = total.iloc[0]
        out.append(
            findings.rank_sentence(
                name, int(row["rank_this"]), int(row["members"]), subject="all recorded crime"
            ).rstrip(".")
            + f", {row['position_this'].lower()} the group average in {cfg.year.label}."
        )
    groups = table[table["offence_group"] != ALL_CRIME]
    if not groups.empty:
        worst = groups.sort_values(["rank_this", "rate_this"], ascending=[True, False]).iloc[0]
        out.append(
            findings.rank_sentence(
                name,
                int(worst["rank_this"]),
                int(worst["members"]),
                subject=str(worst["offence_group"]).lower(),
            ).rstrip(".")
            + f": its worst position among the offence groups in {cfg.year.label}."
        )
    return out


# ----------------------------------------------------------------------------- trend and mix


def crime_trend(data: OverviewData) -> dict:
    """Monthly recorded crime (all types but ASB) and ASB, with this year against last."""
    cfg = data.cfg
    counts = data.counts
    start = min(cfg.baseline_year, cfg.year.previous()).first_month
    counts = counts[counts.index >= start]
    # a month missing from the police data stays missing (NaN) in both series
    crime = counts[crime_columns(counts)].sum(axis=1, min_count=1).rename(ALL_CRIME)
    if counts[crime_columns(counts)].empty:
        crime = pd.Series(0.0, index=counts.index, name=ALL_CRIME).where(counts.notna().all(axis=1))
    asb = counts[ASB] if ASB in counts else pd.Series(0.0, index=counts.index, name=ASB)
    if ASB not in counts:
        asb = asb.where(crime.notna())
    # like for like: the months of this year and last both hold (coverage.compare_years);
    # the police data may begin with the assessed year: last year is then unknown, not zero
    cmp = data.comparison()
    compared = cmp.compared and cmp.has_previous
    out = {
        "crime": crime,
        "asb": asb.rename(ASB),
        "compared": compared,
        "months_note": cmp.note(),
        "months_compared": cmp.n_months,
        # True when the previous year holds data but too few months to compare with
        "too_few_months": cmp.has_previous and not cmp.compared,
    }
    from sa_toolkit.indicators.overdispersion import dispersion_before

    for key, series in (("crime", crime), ("asb", asb)):
        # how much the count varies beyond chance, from the months before the year tested
        out[f"{key}_dispersion"] = dispersion_before(series, cfg.year.first_month)
        out[f"{key}_this"] = int(cmp.total(series.fillna(0), "this"))
        out[f"{key}_last"] = int(cmp.total(series.fillna(0), "last")) if compared else None
        out[f"{key}_change"] = _pct(out[f"{key}_last"], out[f"{key}_this"]) if compared else None
    first, final = counts.index[0], counts.index[-1]
    out["period"] = f"{first.strftime('%B %Y')} to {final.strftime('%B %Y')}"
    # breaks and events (COVID-19 restrictions, counting rule changes) the comparison spans
    from sa_toolkit.indicators.catalogue import (
        comparison_caveats,
        comparison_flags,
        load_series_breaks,
    )

    breaks = load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None))
    ids, previous = ["total_crime_rate", "asb_rate"], cfg.year.previous()
    out["caveats"] = comparison_caveats(ids, previous, cfg.year, breaks) if compared else []
    out["flags"] = comparison_flags(ids, previous, cfg.year, breaks) if compared else []
    return out


def change_test(
    before: int, after: int, significance_level: float = 0.05, dispersion=None
) -> tuple[bool | None, float | None]:
    """Is the change between two annual counts significant? (equal exposure)

    ``dispersion`` (:func:`sa_toolkit.indicators.overdispersion.dispersion_before` of the
    monthly series) allows for the series' variation beyond chance; without it the test
    assumes pure Poisson variation.
    """
    from sa_toolkit.indicators.change import poisson_change

    if before == 0 and after == 0:
        return None, None
    frame = pd.DataFrame({"b": [before], "a": [after], "n": [1.0], "m": [1.0]})
    result = poisson_change(frame, "b", "a", "n", "m", dispersion=dispersion)
    p = float(result["p_value"].iloc[0])
    return p < significance_level, p


def trend_title(subject: str, before: int, after: int, year_label: str) -> str:
    pct = _pct(before, after)
    if pct is None or round(pct) == 0:
        return f"{subject} was about level in {year_label} ({findings.format_number(after)})"
    verb = "rose" if pct > 0 else "fell"
    return (
        f"{subject} {verb} {findings.format_percent(pct)} in {year_label} "
        f"({findings.format_number(before)} to {findings.format_number(after)})"
    )


def movement(before: int, after: int) -> str:
    """``rose 4%``, ``fell 0.5%`` or ``was about level``."""
    pct = _pct(before, after)
    if pct is None or findings.format_percent(pct) in ("0%", "0.0%"):
        return "was about level"
    return f"{'rose' if pct > 0 else 'fell'} {findings.format_percent(pct)}"


def trend_chart_title(trend: dict, year_label: str) -> str:
    """One finding for the chart of recorded crime and ASB together."""
    if not trend.get("compared", True):
        return (
            f"{findings.format_number(trend['crime_this'])} offences and "
            f"{findings.format_number(trend['asb_this'])} anti-social behaviour incidents "
            f"were recorded in {year_label}"
        )
    return (
        f"Recorded crime {movement(trend['crime_last'], trend['crime_this'])} and police-recorded "
        f"anti-social behaviour {movement(trend['asb_last'], trend['asb_this'])} in {year_label}"
    )


def trend_frame(trend: dict) -> pd.DataFrame:
    """Recorded crime and ASB side by side, for one chart (ASB is not part of crime)."""
    return pd.DataFrame({"Recorded crime": trend["crime"], ASB: trend["asb"]})


def series_breaks_for(indicator_ids, months: pd.PeriodIndex, raw_dir=None) -> dict:
    """Series breaks (not comparable) of the given catalogue indicators inside ``months``
    (package registry and, with ``raw_dir``, the partnership's own)."""
    from sa_toolkit.indicators.catalogue import load_series_breaks

    table = load_series_breaks(raw_dir=raw_dir)
    table = table[
        table["indicator"].isin(list(indicator_ids)) & (table["effect"] == "not_comparable")
    ]
    out = {}
    for _, row in table.iterrows():
        month = pd.Period(row["starts"], freq="M")
        if months[0] < month <= months[-1]:
            out[month] = str(row["reason"]).split(" (")[0]
    return out


def crime_mix(data: OverviewData, threshold: int) -> pd.DataFrame:
    """Crime by type this year and last, change and share (ASB listed apart, at the end)."""
    cmp = data.comparison()
    # like for like: only the calendar months both years hold are summed
    totals = comparison_totals(data, cmp)
    compared = cmp.compared and cmp.has_previous
    frame = pd.DataFrame(
        {
            "crime_type": totals.columns,
            # no data for last year (the police data begin this year): unknown, not zero
            "last": totals.loc["last"].to_numpy() if compared else np.nan,
            "this": totals.loc["this"].to_numpy(),
        }
    )
    crimes = frame[frame["crime_type"] != ASB].sort_values("this", ascending=False, kind="stable")
    total_this = int(crimes["this"].sum())
    crimes = crimes.assign(
        change=[_pct(b, a) for b, a in zip(crimes["last"], crimes["this"], strict=True)],
        share=crimes["this"] / total_this * 100 if total_this else np.nan,
    )
    asb = frame[frame["crime_type"] == ASB].assign(
        change=lambda f: [_pct(b, a) for b, a in zip(f["last"], f["this"], strict=True)],
        share=np.nan,
    )
    return pd.concat([crimes, asb], ignore_index=True)


def mix_display(mix: pd.DataFrame, cfg: Config, threshold: int) -> pd.DataFrame:
    """The mix table with small counts (and the figures derived from them) hidden."""
    from sa_toolkit.disclosure import SECONDARY_MARKER, is_small

    this, last = cfg.year.label, cfg.year.previous().label
    small_this = is_small(mix["this"], threshold)
    small_last = is_small(mix["last"], threshold)
    rows = []
    for i, row in mix.reset_index(drop=True).iterrows():
        hide_change = small_this[i] or small_last[i]
        rows.append(
            {
                "Offence type": row["crime_type"]
                + (" (not part of recorded crime)" if row["crime_type"] == ASB else ""),
                last: f"<{threshold}"
                if small_last[i]
                else ("" if pd.isna(row["last"]) else findings.format_number(row["last"])),
                this: f"<{threshold}" if small_this[i] else findings.format_number(row["this"]),
                "% change": SECONDARY_MARKER if hide_change else _signed(row["change"]),
                "Share of recorded crime": ""
                if pd.isna(row["share"])
                else (
                    SECONDARY_MARKER
                    if small_this[i]
                    else f"{findings.format_number(row['share'], 1)}%"
                ),
            }
        )
    out = pd.DataFrame(rows)
    if mix["last"].isna().all():  # no data for last year: no column of blanks or zeros
        out = out.drop(columns=[last, "% change"])
    return out


def mix_sentence(mix: pd.DataFrame, cfg: Config) -> str | None:
    crimes = mix[mix["crime_type"] != ASB]
    total = int(crimes["this"].sum())
    if crimes.empty or not total:
        return None
    top = crimes.iloc[0]
    return findings.share_sentence(
        str(top["crime_type"]),
        int(top["this"]),
        f"recorded crime in {cfg.year.label}",
        total,
        threshold=cfg.suppression_threshold,
    )


# ----------------------------------------------------------------------------- cost of crime


def cost_by_year(data: OverviewData) -> dict | None:
    """Estimated cost of crime by offence group, baseline year to the assessment year.

    Counts of each police.uk crime type with a Home Office unit cost are multiplied by
    the unit cost uplifted to the assessment year's prices by the GDP deflator
    (:func:`sa_toolkit.indicators.cost_of_crime`). Returns None, with the reason in
    ``data.notes``, when the deflator series does not reach the years needed.
    """
    from sa_toolkit.indicators.cost import cost_of_crime, deflators, unit_costs, unverified_note

    cfg = data.cfg
    totals = year_totals(data.counts)
    years = []
    fy = cfg.baseline_year
    while fy <= cfg.year:
        years.append(fy.label)
        fy = fy.next()
    years = [y for y in years if y in totals.index]  # years with police data

    def fail(reason: str) -> None:
        data.cost_reason = reason
        data.notes.append(reason)

    if not years:
        fail(f"no police data from {cfg.baseline_year.label} to {cfg.year.label}")
        return None
    totals = totals.loc[years]
    costs = unit_costs(cfg.processed_dir)
    mapped = costs.loc[costs["police_uk_crime_type"].astype(str) != "", "police_uk_crime_type"]
    types = [t for t in mapped.astype(str) if t in totals.columns]
    if not types:
        fail("no police.uk crime type has a Home Office unit cost")
        return None
    long = (
        totals[types]
        .rename_axis("financial_year")
        .reset_index()
        .melt(id_vars="financial_year", var_name="crime_type", value_name="offences")
    )
    series = deflators(cfg.processed_dir)
    price_year, price_note = _price_year(cfg.year, costs, series)
    try:
        costed = cost_of_crime(
            long,
            "crime_type",
            "offences",
            price_year,
            match_on="police_uk_crime_type",
            processed_dir=cfg.processed_dir,
        )
    except ArgumentError as exc:
        from sa_toolkit.board_language import without_internals

        fail(without_internals(str(exc)))  # shown in the report
        return None
    table = costed.pivot(index="crime_type", columns="financial_year", values="value")[years]
    table = table.loc[table[years[-1]].sort_values(ascending=False).index]
    unit = costed.drop_duplicates("crime_type").set_index("crime_type")
    total = table.sum()
    uncosted = [c for c in crime_columns(data.counts) if c not in types and totals[c].sum() > 0]
    # a year with months missing from the police data: its cost is over the months held
    held = {y: len(data.police.present_in(FinancialYear.parse(y))) for y in years}
    partial = {y: n for y, n in held.items() if n < 12}
    change = _pct(float(total.iloc[0]), float(total.iloc[-1]))
    # a police.uk type costed at its cheapest offence's cost (violence, vehicle crime): the
    # cost is a lower bound, not that type's harm
    notes = dict(
        zip(costs["police_uk_crime_type"].astype(str), costs["note"].astype(str), strict=True)
    )
    lower_bound = [t for t in types if "the lower" in notes.get(t, "").lower()]
    price_years = sorted(set(costs["price_year"].astype(str)) - {""})
    return {
        "table": table,
        "total": total,
        "unit_cost": unit["unit_cost_uplifted"],
        "price_year": price_year,
        # why the prices are not the assessed year's (no deflator for it), or ""
        "price_note": price_note,
        "first": years[0],
        "last": years[-1],
        # not set against each other when either end year lacks months
        "change": None if years[0] in partial or years[-1] in partial else change,
        "partial": partial,
        "uncosted": uncosted,
        "cost_source": sorted(set(unit["cost_source"].dropna().astype(str))),
        "lower_bound": lower_bound,
        "unverified": unverified_note(
            costs,
            series,
            offences=types,
            years=[*price_years, price_year],
        ),
    }


def _price_year(year: FinancialYear, costs: pd.DataFrame, series: pd.DataFrame) -> tuple[str, str]:
    """The year whose prices costs are shown at: the assessed year's when the GDP deflator
    reaches it; otherwise the unit costs' own price year, left as estimated (an old year
    before the series begins is not uplifted with a made-up deflator)."""
    held = set(series["financial_year"].astype(str))
    if year.label in held:
        return year.label, ""
    own = sorted(set(costs["price_year"].astype(str)) - {""})
    base = next((y for y in own if y in held), None)
    if base is None:
        return year.label, ""  # cost_of_crime names what is missing
    return base, (
        f"Costs are at {base} prices, the prices the Home Office unit costs were estimated at: "
        f"the GDP deflator series used here starts in {min(held)}, after {year.label}, so they "
        "are not adjusted to that year's prices."
    )


def cost_display(cost: dict) -> pd.DataFrame:
    """Cost table in millions of pounds, with a total row."""
    table = cost["table"] / 1e6
    table.loc["Total"] = table.sum()
    out = table.map(lambda v: f"£{v:,.1f}m")
    out.insert(0, "Offence group", out.index)
    return out.reset_index(drop=True)


def cost_sentence(cost: dict) -> str:
    first, last = cost["total"].iloc[0] / 1e6, cost["total"].iloc[-1] / 1e6
    if cost["first"] == cost["last"]:  # one year of data: nothing to compare
        return (
            f"The estimated cost of crime was £{last:,.1f}m in {cost['last']} "
            f"(at {cost['price_year']} prices)."
        )
    pct = cost["change"]
    if cost.get("partial") and (
        cost["first"] in cost["partial"] or cost["last"] in cost["partial"]
    ):
        return (
            f"The estimated cost of crime was £{first:,.1f}m in {cost['first']} and £{last:,.1f}m "
            f"in {cost['last']} (at {cost['price_year']} prices), not compared: "
            + cost_partial_note(cost)
        )
    if pct is None or round(pct) == 0:
        move = "was about the same"
    else:
        move = f"{'rose' if pct > 0 else 'fell'} {findings.format_percent(pct)}"
    return (
        f"The estimated cost of crime {move} between {cost['first']} and "
        f"{cost['last']} (£{first:,.1f}m to £{last:,.1f}m at {cost['price_year']} prices)."
    )


def cost_partial_note(cost: dict) -> str:
    """``"2013/14 covers 10 of 12 months (months missing from the police data)."``"""
    parts = [f"{y} covers {n} of 12 months" for y, n in cost.get("partial", {}).items()]
    if not parts:
        return ""
    return "; ".join(parts) + " (months missing from the police data)."


def cost_chart(cost: dict, cfg: Config):
    """Stacked bars of the cost of crime by offence group and year (£m)."""
    from sa_toolkit import charts

    table = cost["table"] / 1e6
    years = list(table.columns)
    title = cost_sentence(cost).rstrip(".")
    fig, ax = charts.new_figure(
        title,
        f"Estimated economic and social cost of recorded offences with a Home Office unit "
        f"cost, £ million at "
        f"{cost['price_year']} prices, {cfg.partnership_short_name}, {years[0]} to {years[-1]}",
        "data.police.uk street-level crime; Home Office, The economic and social costs of "
        "crime (Heeks et al., 2018), uplifted by the HM Treasury GDP deflator",
        figsize=(9.0, 5.0),
    )
    shown = list(table.index[: len(charts.CATEGORICAL) - 1])
    other = [g for g in table.index if g not in shown]
    parts = table.loc[shown]
    if other:
        parts.loc["Other costed offences"] = table.loc[other].sum()
    bottom = np.zeros(len(years))
    x = np.arange(len(years))
    for i, (group, values) in enumerate(parts.iterrows()):
        ax.bar(
            x,
            values.to_numpy(),
            bottom=bottom,
            color=charts.CATEGORICAL[i % len(charts.CATEGORICAL)],
            label=group,
            width=0.7,
        )
        bottom += values.to_numpy()
    for xi, total in zip(x, bottom, strict=True):
        ax.annotate(
            f"£{total:,.1f}m",
            (xi, total),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_xticks(x, years)
    ax.set_ylabel("£ million")
    ax.set_ylim(0, bottom.max() * 1.12 if bottom.max() > 0 else 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.grid(axis="x", visible=False)
    from sa_toolkit import figure_data  # the figure's data table (accessible reports)

    parts.loc["Total"] = bottom
    figure_data.attach(fig, *figure_data.wide_table(parts.T, "Year", "£{:,.1f}m"))
    return fig


# ----------------------------------------------------------------------------- priority matrix


def _band(value: float, bands: tuple[float, float]) -> int:
    low, high = bands
    return 1 if value < low else (2 if value < high else 3)


def category_trends(data: OverviewData) -> pd.DataFrame:
    """Fingertips-style trend of each category's rate over the last five years.

    A category whose catalogue indicator has a series break inside those years gets
    ``trend`` = "not assessed: series break" (the rates either side do not compare).
    """
    from sa_toolkit.indicators.catalogue import load_catalogue, load_series_breaks
    from sa_toolkit.indicators.rate import rate
    from sa_toolkit.indicators.trend import trend

    cfg = data.cfg
    years = [cfg.year.previous(k).label for k in range(TREND_YEARS - 1, -1, -1)]
    totals = year_totals(data.counts)
    # complete years only: a year with a month missing is not a year's count
    full = set(complete_years(data))
    years = [y for y in years if y in totals.index and y in full]
    totals = totals.loc[years]
    pops = {y: data.populations.get(y) for y in years}
    categories = list(totals.columns)
    if len(years) < TREND_YEARS:
        return pd.DataFrame(
            {
                "crime_type": categories,
                "trend": f"not assessed: fewer than {TREND_YEARS} complete years",
            }
        )
    if any(p is None or p <= 0 for p in pops.values()):
        return pd.DataFrame({"crime_type": categories, "trend": "not assessed: no population"})
    long = (
        totals.rename_axis("financial_year")
        .reset_index()
        .melt(id_vars="financial_year", var_name="crime_type", value_name="offences")
    )
    long["population"] = long["financial_year"].map(pops).astype(float)
    rates = rate(long, "offences", "population", per=1000)
    # on the log scale (changes in crime are proportional), allowing for year-to-year
    # variation beyond chance (trend's random-effects test)
    positive = rates.groupby("crime_type", observed=True)["offences"].transform("min") > 0
    out = trend(
        rates[positive], "financial_year", group_cols="crime_type", polarity="lower_is_better",
        log_scale=True,
    )  # fmt: skip
    if not positive.all():  # a year with none: no log-scale trend
        absent = sorted(set(rates.loc[~positive, "crime_type"]))
        out = pd.concat(
            [
                out,
                pd.DataFrame(
                    {"crime_type": absent, "trend": "cannot be calculated", "slope": np.nan}
                ),
            ],
            ignore_index=True,
        )
    out = out[["crime_type", "trend", "slope"]].copy()
    # categories measured by a catalogue indicator with a break inside the window
    catalogue = load_catalogue()
    breaks = load_series_breaks(raw_dir=getattr(cfg, "raw_dir", None))
    breaks = breaks[breaks["effect"] == "not_comparable"]
    start = FinancialYear.parse(years[0]).start
    end = cfg.year.end
    broken = {}
    for indicator_id, comp in catalogue["computation"].items():
        if not isinstance(comp, dict) or comp.get("function") not in (
            "police_crime_rate",
            "police_crime_count",
        ):
            continue
        kinds = comp.get("crime_types")
        if not isinstance(kinds, list) or len(kinds) != 1:
            continue
        rows = breaks[breaks["indicator"] == indicator_id]
        for _, brk in rows.iterrows():
            if start < brk["starts"] <= end:
                broken[kinds[0]] = f"{brk['first_period']}"
    out["trend"] = [
        f"not assessed: series break from {month_name(broken[c])}" if c in broken else t
        for c, t in zip(out["crime_type"], out["trend"], strict=True)
    ]
    return out


def matrix_key() -> str:
    """The matrix's scoring rule in words, from the constants the code scores with."""
    (high, _), (medium, _), _ = PRIORITY_BANDS
    return (
        "Each dimension scores 1 to 3: volume by share of all recorded crime and ASB "
        f"(under {VOLUME_BANDS[0]:g}%: 1; under {VOLUME_BANDS[1]:g}%: 2; otherwise 3); harm by "
        f"the Home Office cost of one offence at this year's prices (under "
        f"£{HARM_BANDS[0]:,.0f}: 1; under £{HARM_BANDS[1]:,.0f}: 2; otherwise 3); trend over "
        "five years (getting better: 1; no significant change: 2; getting worse: 3); position "
        "among the Most Similar Group (better: 1; similar: 2; worse: 3). A dimension that "
        "cannot be measured is shown as not measured and does not score. Priority by the "
        f"average score of the measured dimensions: {high:g} or more High (with all four "
        f"measured, {high * 4:g} or more of 12); {medium:g} or more Medium ({medium * 4:g} or "
        f"{high * 4 - 1:g} of 12); otherwise Lower."
    )


def priority_band(scores: list[int]) -> str:
    """High, Medium or Lower from the measured dimensions' scores (:data:`PRIORITY_BANDS`)."""
    if not scores:
        return NOT_MEASURED
    average = sum(scores) / len(scores)
    return next(label for cut, label in PRIORITY_BANDS if average >= cut - 1e-9)


def priority_matrix(data: OverviewData, msg_table: pd.DataFrame, cost: dict | None) -> pd.DataFrame:
    """Score each crime type and ASB on volume, harm, trend and peer position (1-3 each).

    The rule is :func:`matrix_key` (the text the report prints). A dimension that cannot
    be measured is ``None`` (shown "not measured") and does not score: no unit cost; a
    unit cost that is only the cheapest offence of a police.uk type (violence, vehicle
    crime) unless that already scores 3; no five-year trend; no peer data. ``score`` is
    the total of the measured dimensions and ``out_of`` 3 x their number.
    """
    cfg = data.cfg
    totals = year_totals(data.counts)
    this = totals.loc[cfg.year.label] if cfg.year.label in totals.index else totals.iloc[-1] * 0
    grand = float(this.sum())
    trends = category_trends(data).set_index("crime_type")
    unit = cost["unit_cost"] if cost else pd.Series(dtype=float)
    lower_bound = set(cost.get("lower_bound", [])) if cost else set()
    peers = msg_table.set_index("offence_group") if not msg_table.empty else pd.DataFrame()
    rows = []
    for category in totals.columns:
        count = int(this.get(category, 0))
        share = count / grand * 100 if grand else 0.0
        missing = []
        volume = _band(share, VOLUME_BANDS)
        cost_each = float(unit[category]) if category in unit.index else np.nan
        harm = None if np.isnan(cost_each) else _band(cost_each, HARM_BANDS)
        if harm is None:
            missing.append("harm (no unit cost)")
        elif category in lower_bound and harm < 3:
            harm = None
            missing.append("harm (the unit cost is only its cheapest offence's)")
        trend_label = str(trends["trend"].get(category, "not assessed"))
        trend_score = TREND_SCORES.get(trend_label)
        if trend_score is None:
            missing.append("trend")
        if category in getattr(peers, "index", []):
            comparison = str(peers.loc[category, "comparison_this"])
            peer = PEER_SCORES.get(comparison)
            rank = f"{findings.ordinal(int(peers.loc[category, 'rank_this']))} of {int(peers.loc[category, 'members'])}"
        else:
            comparison, rank, peer = "no peer data", "n/a", None
        if peer is None:
            missing.append("peer position")
        measured = [v for v in (volume, harm, trend_score, peer) if v is not None]
        rows.append(
            {
                "category": category,
                "count": count,
                "share": share,
                "cost_per_offence": cost_each,
                "trend": trend_label,
                "msg_rank": rank,
                "peer_comparison": comparison,
                "volume_score": volume,
                "harm_score": harm,
                "trend_score": trend_score,
                "peer_score": peer,
                "total_score": sum(measured),
                "out_of": 3 * len(measured),
                "average_score": sum(measured) / len(measured),
                "priority": priority_band(measured),
                "not_measured": "; ".join(missing),
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("harm_score", "trend_score", "peer_score"):
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(
        ["average_score", "count"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)


def matrix_display(matrix: pd.DataFrame, threshold: int) -> pd.DataFrame:
    from sa_toolkit.disclosure import SECONDARY_MARKER, is_small

    small = is_small(matrix["count"], threshold)

    def scored(score, detail: str) -> str:
        return (
            NOT_MEASURED + (f" ({detail})" if detail else "")
            if pd.isna(score)
            else f"{score} ({detail})"
        )

    return pd.DataFrame(
        {
            "Category": matrix["category"],
            "Offences or incidents": [
                f"<{threshold}" if s else findings.format_number(c)
                for c, s in zip(matrix["count"], small, strict=True)
            ],
            "Volume": [
                f"{v} ({SECONDARY_MARKER if s else findings.format_number(p, 1) + '%'})"
                for v, p, s in zip(matrix["volume_score"], matrix["share"], small, strict=True)
            ],
            "Harm": [
                scored(h, "no unit cost" if np.isnan(c) else "£" + findings.format_number(c))
                for h, c in zip(matrix["harm_score"], matrix["cost_per_offence"], strict=True)
            ],
            "Trend": [
                scored(t, label)
                for t, label in zip(matrix["trend_score"], matrix["trend"], strict=True)
            ],
            "Peer position": [
                scored(p, f"{c}{', ' + r if r != 'n/a' else ''}")
                for p, c, r in zip(
                    matrix["peer_score"], matrix["peer_comparison"], matrix["msg_rank"], strict=True
                )
            ],
            "Score": [
                f"{t} of {o}" for t, o in zip(matrix["total_score"], matrix["out_of"], strict=True)
            ],
            "Priority": matrix["priority"],
        }
    )


def matrix_sentence(matrix: pd.DataFrame) -> str | None:
    if matrix.empty:
        return None
    top = matrix[matrix["priority"] == "High"]
    if top.empty:
        top = matrix.head(3)
        lead = "No category scored high priority; the highest scores were"
    else:
        lead = "The priority-setting matrix scores as high priority"
    items = [
        f"{r.category.lower()} ({r.total_score} of {getattr(r, 'out_of', 12)})"
        for r in top.itertuples()
    ]
    if len(items) > 1:
        text = ", ".join(items[:-1]) + " and " + items[-1]
    else:
        text = items[0]
    return f"{lead} {text}."


# ----------------------------------------------------------------------------- places


def top_wards(data: OverviewData, n: int = 3) -> list[str]:
    """The wards with most recorded crime this year, each with its share."""
    counts = data.lsoa_counts
    total = int(counts.sum())
    if not total or data.wards.empty:
        return []
    wards = counts.groupby(data.wards.reindex(counts.index).fillna("Unknown ward")).sum()
    wards = wards.sort_values(ascending=False).head(n)
    return [
        f"{ward} ({findings.format_percent(c / total * 100)} of recorded crime)"
        for ward, c in wards.items()
        if c
    ]


# ----------------------------------------------------------------------------- findings


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
            f"{findings.format_number(trend['crime_this'])} offences were recorded in "
            f"{cfg.year.label}. {trend['months_note']}"
        ]
    else:
        out = [
            f"{findings.format_number(trend['crime_this'])} offences were recorded in "
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


def implications_text(framework: dict, matrix: pd.DataFrame, places: list[str]):
    """The closing block: what worsened or missed target, where, and what to prioritise."""
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
    )
