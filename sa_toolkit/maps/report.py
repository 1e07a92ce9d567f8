"""Maps in a report: the figure with its data table beside it and the attribution under it,
and the sentences (title, alt text) that state what the map shows."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from sa_toolkit import charts
from sa_toolkit.findings import HtmlBlock
from sa_toolkit.maps.layers import ATTRIBUTION, MISSING_BOUNDARIES

LEVEL_WORDS = {"lsoa": ("LSOA", "LSOAs"), "ward": ("ward", "wards")}


def partnership_lookup(cfg):
    """The partnership's rows of the processed lookup (``lsoa_code`` and ward columns)."""
    from sa_toolkit.tables import read_table

    lookup = read_table("lookup", cfg.processed_dir)
    if cfg.lsoas:
        return lookup[lookup["lsoa_code"].astype(str).isin(set(cfg.lsoas))]
    return lookup[lookup["csp_code"].astype(str) == cfg.partnership_code]


def population_by_lsoa(cfg) -> tuple[pd.Series, int | None]:
    """Residents by LSOA for the assessed year (the nearest mid-year estimate)."""
    from sa_toolkit.periods import nearest_mid_year
    from sa_toolkit.tables import read_table

    population = read_table(
        "population", cfg.processed_dir, columns=["year", "lsoa_code", "population"]
    )
    mid_year, _ = nearest_mid_year(population["year"].unique(), cfg.year)
    if mid_year is None:
        return pd.Series(dtype="float64"), None
    rows = population[population["year"] == mid_year]
    return rows.groupby(rows["lsoa_code"].astype(str), observed=True)["population"].sum(), mid_year


def measure_words(areas: pd.DataFrame) -> dict[str, str]:
    """How a map names its measure and its outlined areas, from ``areas.attrs``.

    ``measure_word`` ("rate"; "percentage" for a survey), ``concern`` ("above": areas
    significantly above the partnership are outlined; "below" for a measure where low is
    the concern, such as feeling safe). Returns ``word, flag`` ("significantly above the
    partnership rate"), ``column`` ("Above partnership rate"), ``extreme`` ("highest") and
    ``ascending`` (the order that puts the areas of concern first).
    """
    word = areas.attrs.get("measure_word", "rate")
    below = areas.attrs.get("concern", "above") == "below"
    side = "below" if below else "above"
    return {
        "word": word,
        "flag": f"significantly {side} the partnership {word}",
        "column": f"{side.capitalize()} partnership {word}",
        "extreme": "lowest" if below else "highest",
        "ascending": below,
    }


def map_title(areas: pd.DataFrame, what: str, level: str = "lsoa") -> str:
    """The finding: how many areas are significantly above the partnership rate (or below
    it, for a measure where low is the concern), or where the rate is highest."""
    one, many = LEVEL_WORDS[level]
    words = measure_words(areas)
    order = {"by": "value", "ascending": words["ascending"]}
    flagged = areas[areas["above"]].sort_values(**order)
    shown = areas[areas["status"] == "shown"].sort_values(**order)
    if len(flagged) == 1:
        return f"{what} was {words['flag']} in one {one}, {flagged.iloc[0]['name']}"
    if len(flagged) > 1:
        names = " and ".join(flagged["name"].head(2))
        return f"{what} was {words['flag']} in {len(flagged)} {many}, {words['extreme']} in {names}"
    if len(shown):
        return (
            f"No {one} had {what.lower()} {words['flag']}; "
            f"the {words['extreme']} {words['word']} was in {shown.iloc[0]['name']}"
        )
    return f"{what} by {one}"


def map_alt_text(areas: pd.DataFrame, what: str, level: str = "lsoa", n: int = 3) -> str:
    """Alt text naming the top areas and their values."""
    one, many = LEVEL_WORDS[level]
    words = measure_words(areas)
    shown = areas[areas["status"] == "shown"].sort_values("value", ascending=words["ascending"])
    shown = shown.head(n)
    suffix = areas.attrs.get("unit_suffix", f" per {areas.attrs.get('per', 1000):,}")
    label = areas.attrs.get("value_label", "rate").lower()
    top = "; ".join(f"{r['name']} {r['value']:.1f}{suffix}" for _, r in shown.iterrows())
    flagged = int(areas["above"].sum())
    average = areas.attrs.get("average", np.nan)
    text = (
        f"Map of {what.lower()} by {one} ({label}). "
        f"{words['extreme'].capitalize()} {words['word']}s: {top}."
    )
    if np.isfinite(average):
        text += f" Partnership {average:.1f}{suffix};"
    side = "below" if words["ascending"] else "above"
    text += f" {flagged} {one if flagged == 1 else many} significantly {side} it (outlined)."
    return text


def area_table(areas: pd.DataFrame, threshold: int, level: str = "lsoa", count_label="Count"):
    """The map's data, highest rate first (lowest first where low is the concern): name,
    count, rate and interval, flag."""
    from sa_toolkit.disclosure import mask_small_counts

    one, _ = LEVEL_WORDS[level]
    words = measure_words(areas)
    rate_col = areas.attrs.get("value_label", f"Rate per {areas.attrs.get('per', 1000):,}")
    order = areas.assign(_v=areas["value"].where(areas["status"] == "shown")).sort_values(
        ["_v", "name"], ascending=[words["ascending"], True], na_position="last"
    )
    table = pd.DataFrame(
        {
            one[:1].upper() + one[1:]: order["name"].to_numpy(),  # "LSOA", not "Lsoa"
            count_label: order["count"].to_numpy(),
            rate_col: order["value"].round(1).to_numpy(),
            "95% interval": [
                f"{lo:.1f} to {hi:.1f}" if np.isfinite(lo) else "no data"
                for lo, hi in zip(order["lower"], order["upper"], strict=True)
            ],
            words["column"]: np.where(order["above"], "yes", "no"),
        }
    )
    missing = (order["status"] == "missing").to_numpy()
    table = mask_small_counts(table, count_label, threshold, derived=[rate_col, "95% interval"])
    table[rate_col] = table[rate_col].astype(object)
    table.loc[missing, rate_col] = "no data"
    # a value the map hatches (too few respondents, say) is not in its table either
    hidden = (order["status"] == "suppressed").to_numpy() & ~table[count_label].astype(
        str
    ).str.startswith("<").to_numpy()
    table.loc[hidden, [rate_col, "95% interval"]] = "not shown"
    return table


def show_map(
    fig,
    name: str,
    alt_text: str,
    output_dir,
    areas: pd.DataFrame | None = None,
    *,
    threshold: int = 0,
    level: str = "lsoa",
    caption: str = "",
    notes=(),
    count_label: str = "Count",
    beside: int = 10,
):
    """Save the map (PNG and SVG, with alt text) and show it with its data table beside it
    (the ``beside`` highest rates; every area in a table that opens under it) and the
    attribution under it."""
    from IPython.display import display

    from sa_toolkit.report_tables import html_table

    paths = charts.save_and_show(fig, name, alt_text, output_dir, show=False)
    from sa_toolkit.figure_data import data_details

    # a map without an area table (a hotspot map) shows the data its builder attached
    data = (
        data_details(fig, caption or getattr(fig, "sa_title", ""), threshold)
        if areas is None
        else ""
    )
    image = charts.img_html(paths["png"].read_bytes(), alt_text, data_html=data)
    notes = [n for n in notes if n]
    side = ""
    full = ""
    if areas is not None and len(areas):
        table = area_table(areas, threshold, level, count_label)
        method = areas.attrs.get("method", "")
        words = measure_words(areas)
        flag_note = areas.attrs.get("flag_note") or (
            f"{words['column']}: beyond the "
            f"{areas.attrs.get('confidence', 0.998) * 100:g}% limit of a funnel around the "
            "partnership rate that allows for the extra variation between areas "
            f"({'overdispersion, Spiegelhalter 2005' if method != 'Poisson' else 'Poisson'})."
        )
        side = html_table(
            table.head(beside),
            caption=f"{caption}: the {min(beside, len(table))} {words['extreme']} {words['word']}s",
            formats={table.columns[2]: 1},
        )
        if len(table) > beside:
            full = (
                f"<details><summary>Every {LEVEL_WORDS[level][0]} on the map "
                f"({len(table)})</summary>"
                + html_table(
                    table, caption=caption, formats={table.columns[2]: 1}, notes=[flag_note]
                )
                + "</details>"
            )
        else:
            notes.append(flag_note)
    block = (
        '<div class="sa-map" style="display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start">'
        f'<div style="flex:3 1 420px;min-width:0">{image}</div>'
        f'<div style="flex:2 1 300px;min-width:0;overflow-x:auto">{side}</div></div>'
        + full
        + "".join(f'<p class="sa-note">{html.escape(n)}</p>' for n in notes)
        + f'<p class="sa-attribution"><small>{html.escape(ATTRIBUTION)}.</small></p>'
    )
    display(HtmlBlock(block))
    return paths


_MISSING_SHOWN: set[int] = set()


def show_missing_boundaries():
    """Say, once per notebook (kernel), that maps need boundary files."""
    from IPython.display import display

    if _MISSING_SHOWN:
        return
    _MISSING_SHOWN.add(1)
    display(HtmlBlock(f'<p class="sa-missing">{html.escape(MISSING_BOUNDARIES)}</p>'))
