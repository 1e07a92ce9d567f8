"""The partnership among its Most Similar Group (MSG): the 2009-style rank table, the
funnel plot's points and limits, and the sentences that quote them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sa_toolkit import findings
from sa_toolkit.analysis.overview_data import ALL_CRIME, percent_change, signed_percent
from sa_toolkit.config import Config
from sa_toolkit.periods import FinancialYear


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


def _members(msg: pd.DataFrame, cfg: Config) -> list[str]:
    return list(cfg.msg_members) or sorted(
        msg.loc[msg["area_type"].astype(str) == "csp", "area_code"].astype(str).unique()
    )


def msg_position(
    msg: pd.DataFrame,
    cfg: Config,
    year: FinancialYear,
    group: str,
    rates: pd.DataFrame | None = None,
) -> dict | None:
    """The partnership's rank (1 = worst) and position against the MSG average.

    ``rates``: the members' offences and populations for this year and group, when the
    caller has them (:class:`_MsgRates`); otherwise they are selected from ``msg``.
    """
    from sa_toolkit.indicators.peers import peer_comparison

    if rates is None:
        rates = _msg_rates(msg, _members(msg, cfg), year.label, group)
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
    return percent_change(float(before), float(after))


class _MsgRates:
    """:func:`_msg_rates` for every offence group of the given years, from one grouping
    of the table (the MSG table calls it 28 times; each selection cost about 6 ms)."""

    def __init__(self, msg: pd.DataFrame, members, years) -> None:
        rows = msg[
            (msg["area_type"].astype(str) == "csp")
            & msg["area_code"].astype(str).isin(members)
            & msg["financial_year"].astype(str).isin(years)
        ]
        rows = rows.assign(
            area_code=rows["area_code"].astype(str),
            area_name=rows["area_name"].astype(str),
            financial_year=rows["financial_year"].astype(str),
            offence_group=rows["offence_group"].astype(str),
        )
        self._empty = rows.iloc[:0]
        self._parts: dict[tuple[str, str], pd.DataFrame] = {}
        for keys, by in ((["financial_year"], None), (["financial_year", "offence_group"], 1)):
            grouped = rows.groupby(
                [*keys, "area_code", "area_name"], as_index=False, sort=True
            ).agg(offences=("offences", "sum"), population=("population", "first"))
            for key, part in grouped.groupby(keys, sort=False):
                year = key[0]
                group = ALL_CRIME if by is None else key[by]
                self._parts[(year, group)] = part[
                    ["area_code", "area_name", "offences", "population"]
                ].reset_index(drop=True)

    def get(self, year: str, group: str) -> pd.DataFrame:
        return self._parts.get((year, group), self._empty)


class _AreaChanges:
    """:func:`_area_change` for every area and offence group, from one grouping."""

    def __init__(self, msg: pd.DataFrame, years) -> None:
        self._before, self._after = years
        text = pd.DataFrame(
            {
                "area_type": msg["area_type"].astype(str),
                "area_code": msg["area_code"].astype(str),
                "offence_group": msg["offence_group"].astype(str),
                "financial_year": msg["financial_year"].astype(str),
                "offences": msg["offences"],
            }
        )
        text = text[text["financial_year"].isin(years)]
        self._totals: dict[tuple, float] = {}
        for keys in (
            ["area_type", "area_code", "offence_group"],
            ["area_type", "area_code"],
            ["area_type", "offence_group"],
            ["area_type"],
        ):
            sums = text.groupby([*keys, "financial_year"], sort=False)["offences"].sum()
            for key, total in sums.items():
                *where, year = key
                code = where[1] if "area_code" in keys else None
                group = where[-1] if "offence_group" in keys else ALL_CRIME
                self._totals[(where[0], code, group, year)] = float(total)

    def get(self, area_type: str, code: str | None, group: str) -> float | None:
        before = self._totals.get((area_type, code, group, self._before))
        after = self._totals.get((area_type, code, group, self._after))
        if before is None or after is None:
            return None
        return percent_change(before, after)


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
    years = (cfg.year.previous().label, cfg.year.label)
    rates = _MsgRates(msg, _members(msg, cfg), years)
    changes = _AreaChanges(msg, years)
    rows = []
    for group in msg_groups(msg, cfg):
        now = msg_position(msg, cfg, cfg.year, group, rates.get(cfg.year.label, group))
        before = msg_position(
            msg, cfg, cfg.year.previous(), group, rates.get(cfg.year.previous().label, group)
        )
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
                "change_partnership": changes.get("csp", cfg.partnership_code, group),
                "change_region": changes.get("region", region_code, group) if region_code else None,
                "change_national": changes.get("national", None, group),
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
                "[c]" if 1 <= n < threshold else signed_percent(p)
                for p, n in zip(table["change_partnership"], table["offences_this"], strict=True)
            ],
            f"% change {cfg.region}": [signed_percent(p) for p in table["change_region"]],
            "% change England and Wales": [signed_percent(p) for p in table["change_national"]],
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
