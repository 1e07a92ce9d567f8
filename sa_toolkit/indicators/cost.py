"""Cost of crime: counts x unit costs, uplifted to the assessment year's prices.

Unit costs (``sa_toolkit/data/unit_costs.csv``) and the GDP deflator
(``sa_toolkit/data/deflators.csv``) are data with their source and price year, so
that an analyst can replace either without touching code. A cost at price year P is
expressed at year Y's prices by multiplying by deflator(Y) / deflator(P), the HM
Treasury Green Book convention for general inflation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from sa_toolkit.errors import ArgumentError
from sa_toolkit.indicators._common import DATA_DIR, check_counts, check_frame, with_outputs
from sa_toolkit.periods import FinancialYear


@cache
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / name, dtype="string", keep_default_na=False)


def _partner_table(name: str, processed_dir) -> pd.DataFrame | None:
    """The partnership's own table (``raw/partner/<name>.csv`` as ingested), if there is one."""
    if processed_dir is None or not (Path(processed_dir) / name).is_dir():
        return None
    from sa_toolkit.tables import read_table

    return read_table(name, processed_dir).drop(
        columns=["source_file", "source_line"], errors="ignore"
    )


def unit_costs(processed_dir=None) -> pd.DataFrame:
    """Unit costs: ``offence, unit_cost, price_year, police_uk_crime_type, source, note``.

    The partnership's ``unit_costs`` table (from ``raw/partner/unit_costs.csv``) replaces
    the toolkit default when ``processed_dir`` holds one.
    """
    own = _partner_table("unit_costs", processed_dir)
    table = (_read("unit_costs.csv") if own is None else own).copy()
    table["unit_cost"] = table["unit_cost"].astype("float64")
    for col in ("offence", "price_year", "police_uk_crime_type", "source"):
        table[col] = table[col].astype("string").fillna("")
    return table


def deflators(processed_dir=None) -> pd.DataFrame:
    """The GDP deflator series ``financial_year, gdp_deflator, source, note`` (the
    partnership's ``deflators`` table replaces the default when present)."""
    own = _partner_table("deflators", processed_dir)
    table = (_read("deflators.csv") if own is None else own).copy()
    table["gdp_deflator"] = table["gdp_deflator"].astype("float64")
    table["financial_year"] = table["financial_year"].astype("string")
    return table


def _unverified(table: pd.DataFrame, key: str) -> list[str]:
    if "note" not in table.columns:
        return []
    notes = table["note"].astype("string").fillna("").str.lower()
    flagged = notes.str.contains("not verified") | notes.str.contains("approximate")
    return [str(v) for v in table.loc[flagged, key]]


def unverified_note(
    costs: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    offences: list[str] | None = None,
    years: list[str] | None = None,
) -> str:
    """A sentence for the report where costs are used, naming the values not yet verified.

    A row is unverified when its ``note`` says "not verified" or "approximate" (the
    default tables mark them; a partnership's own tables replace them). ``offences`` and
    ``years`` restrict the note to the unit costs and deflator years actually used.
    Empty when every value used is verified.
    """
    costs = unit_costs() if costs is None else costs
    series = deflators() if series is None else series
    cost_rows = _unverified(costs, "offence")
    if offences is not None:
        used = set(offences)
        mapped = dict(
            zip(
                costs["offence"].astype(str), costs["police_uk_crime_type"].astype(str), strict=True
            )
        )
        cost_rows = [o for o in cost_rows if o in used or mapped.get(o, "") in used]
    year_rows = _unverified(series, "financial_year")
    if years is not None:
        wanted = {FinancialYear.parse(y).label for y in years}
        year_rows = [y for y in year_rows if y in wanted]
    parts = []
    if cost_rows:
        parts.append("the Home Office unit costs for " + ", ".join(o.lower() for o in cost_rows))
    if year_rows:
        parts.append(
            "the GDP deflator values for " + ", ".join(year_rows) + " used to update prices"
        )
    if not parts:
        return ""
    return (
        "Not yet verified: "
        + " and ".join(parts)
        + " could not be checked against the published tables, so the cost figures are "
        "approximate until they are (a partnership can supply its own checked tables)."
    )


def uplift_factor(
    from_year: str | FinancialYear, to_year: str | FinancialYear, series: pd.DataFrame | None = None
) -> float:
    """deflator(to_year) / deflator(from_year)."""
    table = deflators() if series is None else series
    index = dict(zip(table["financial_year"].astype(str), table["gdp_deflator"], strict=True))
    labels = [FinancialYear.parse(y).label for y in (from_year, to_year)]
    missing = [y for y in labels if y not in index]
    if missing:
        raise ArgumentError(
            f"cost_of_crime: no GDP deflator for {', '.join(missing)}; the series covers "
            f"{min(index)} to {max(index)} (sa_toolkit/data/deflators.csv)"
        )
    return float(index[labels[1]]) / float(index[labels[0]])


def cost_of_crime(
    data: pd.DataFrame,
    offence: str,
    count: str,
    prices: str | FinancialYear,
    match_on: str = "offence",
    costs: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    processed_dir=None,
) -> pd.DataFrame:
    """Cost of the offences in each row at the ``prices`` year's prices.

    Parameters
    ----------
    data : DataFrame
        Counts by offence (e.g. by police.uk crime type and year).
    offence, count : str
        Columns naming the offence and holding the count.
    prices : str
        Financial year whose prices the costs are expressed in (e.g. ``2025/26``).
    match_on : str
        Column of the unit-cost table that ``offence`` is matched to: ``offence`` (the
        Home Office categories) or ``police_uk_crime_type``.
    costs, series : DataFrame, optional
        Unit costs and deflators; by default :func:`unit_costs` and :func:`deflators`
        (the partnership's own tables in ``processed_dir`` when present).

    Returns
    -------
    DataFrame
        The data plus ``unit_cost, cost_price_year, uplift, unit_cost_uplifted,
        cost_source`` and ``value`` (the cost in pounds). Offences with no unit cost (e.g.
        drug offences) get no cost and say so in ``method``; the count is not dropped.
    """
    fn = "cost_of_crime"
    check_frame(data, [offence, count], fn)
    counts = check_counts(data, count, fn)
    table = unit_costs(processed_dir) if costs is None else costs
    series = deflators(processed_dir) if series is None else series
    check_frame(table, [match_on, "unit_cost", "price_year", "source"], fn)
    target = FinancialYear.parse(prices)
    table = table[table[match_on].astype(str).str.strip() != ""]
    if table[match_on].duplicated().any():
        raise ArgumentError(f"{fn}: the unit-cost table lists an offence twice in '{match_on}'")
    lookup = table.set_index(table[match_on].astype(str))
    keys = data[offence].astype(str)
    out = data.copy()
    out["unit_cost"] = keys.map(lookup["unit_cost"]).astype("float64")
    out["cost_price_year"] = keys.map(lookup["price_year"])
    out["cost_source"] = keys.map(lookup["source"])
    factors = {
        y: uplift_factor(y, target, series) for y in out["cost_price_year"].dropna().unique()
    }
    out["uplift"] = out["cost_price_year"].map(factors).astype("float64")
    out["unit_cost_uplifted"] = out["unit_cost"] * out["uplift"]
    value = counts * out["unit_cost_uplifted"]
    method = np.where(
        out["unit_cost"].notna(),
        f"count x unit cost, uplifted to {target.label} prices by the GDP deflator",
        "no unit cost for this offence",
    )
    return with_outputs(out, value, np.nan, np.nan, np.nan, method)
