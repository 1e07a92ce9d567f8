"""A priority's map section in one call: ward and LSOA choropleths and a hotspot map.

Notebooks call :func:`priority_maps` with the assessed year's events (``lsoa_code,
longitude, latitude``); it returns False without boundary files (the notebook then keeps
its density plot) and says which files would add maps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import display

from sa_toolkit import disclosure, findings
from sa_toolkit.errors import ArgumentError
from sa_toolkit.findings import HtmlBlock
from sa_toolkit.maps.draw import SparseHotspotError, choropleth, hotspot_map
from sa_toolkit.maps.layers import boundary_layers_available, load_layers
from sa_toolkit.maps.rates import area_rates, matching_note
from sa_toolkit.maps.report import (
    map_alt_text,
    map_title,
    partnership_lookup,
    population_by_lsoa,
    show_map,
    show_missing_boundaries,
)

#: an LSOA map with more of its areas suppressed than this is replaced by a sentence
MAX_SUPPRESSED_SHARE = 1 / 3


def _layers_and_population(cfg):
    """Layers, residents by LSOA and the mid-year used, read once per partnership and year
    in a kernel (each notebook draws several maps)."""
    key = (str(cfg.processed_dir), cfg.partnership_code, tuple(cfg.lsoas), cfg.year.label)
    if key not in _CACHE:
        if not boundary_layers_available(cfg.processed_dir).get("lsoa"):
            _CACHE[key] = (None, None, None)
        else:
            layers = load_layers(cfg.processed_dir, partnership_lookup(cfg), cfg.year.start_year)
            population, mid_year = population_by_lsoa(cfg) if layers is not None else (None, None)
            _CACHE[key] = (layers, population, mid_year)
    return _CACHE[key]


_CACHE: dict[tuple, tuple] = {}


def map_layers(cfg):
    """The partnership's map layers (cached per configuration), or None."""
    return _layers_and_population(cfg)[0]


def _hotspot_title(wards: pd.DataFrame, what: str) -> tuple[str, str]:
    total = wards["count"].sum()
    top = wards.sort_values("count", ascending=False).head(3)
    if total == 0 or top.empty:
        return f"{what}: no incidents in the year", f"Map of {what.lower()}: none in the year."
    first = top.iloc[0]
    share = first["count"] / total * 100
    title = (
        f"{what} concentrated in {first['name']} ward, with "
        f"{findings.format_percent(share)} of the partnership's total"
    )
    named = "; ".join(
        f"{r['name']} {findings.format_percent(r['count'] / total * 100)}"
        for _, r in top.iterrows()
    )
    alt = (
        f"Map of the density of {what.lower()} within the partnership, with ward boundaries and "
        f"names. Wards with the largest shares: {named}."
    )
    return title, alt


def priority_maps(
    cfg,
    output_dir,
    events: pd.DataFrame,
    *,
    what: str,
    name: str,
    source: str,
    count_label: str = "Offences",
    per: int = 1000,
    hotspot: bool = True,
    levels=("ward", "lsoa"),
    threshold: int | None = None,
) -> bool:
    """Show the maps of one measure; False (with a note) when there are no boundaries.

    Parameters
    ----------
    events : DataFrame
        The assessed year's events in the partnership: ``lsoa_code`` and, for the hotspot
        map, ``longitude, latitude``.
    what : str
        The measure in words, capitalised ("Violence against the person").
    name : str
        Figure name stem ("01_violent_crime_violence"); ``_ward_map``, ``_lsoa_map``,
        ``_hotspot_map`` are appended.
    """
    layers, population, mid_year = _layers_and_population(cfg)
    if layers is None:
        show_missing_boundaries()
        return False
    threshold = cfg.suppression_threshold if threshold is None else threshold
    place, year = cfg.partnership_short_name, cfg.year.label
    counts = events.groupby(events["lsoa_code"].astype(str)).size()
    unit = f"per {per:,} residents"
    wards = None
    for level in levels:
        if level == "ward" and layers.wards is None:
            continue
        areas = area_rates(counts, population, layers, level, threshold=threshold, per=per)
        if level == "ward":
            wards = areas
        word = "ward" if level == "ward" else "LSOA"
        # judged among the areas with any events: a rare offence (robbery: 63 in 185 LSOAs)
        # leaves most LSOAs at zero and the rest hidden, and its "highest rates" read 0.0
        with_events = areas["count"] >= 1
        small = (
            (areas.loc[with_events, "status"] == "suppressed").mean() if with_events.any() else 1.0
        )
        if level == "lsoa" and small > MAX_SUPPRESSED_SHARE:
            # a map mostly hatched shows nothing: say so instead of drawing it
            display(
                HtmlBlock(
                    f'<p class="sa-note">{what} by LSOA is not mapped: '
                    f"{findings.format_percent(small * 100)} of the LSOAs where any were "
                    f"recorded had fewer than {threshold} in {year}, too few to show. The ward map above shows where "
                    "rates are high.</p>"
                )
            )
            continue
        fig = choropleth(
            areas,
            layers,
            level=level,
            threshold=threshold,
            title=map_title(areas, what, level),
            subtitle=f"{what} {unit} by {word}, {place}, {year}; classes hold about equal "
            f"numbers of {word}s (quantiles)",
            source=source,
            legend_title=f"Rate {unit}",
        )
        notes = [
            f"Rates use the mid-{mid_year} population estimates; the partnership rate is "
            f"{areas.attrs['average']:.1f} {unit}."
            if np.isfinite(areas.attrs.get("average", np.nan))
            else "",
            matching_note(areas, count_label.lower()),
        ]
        if level == "ward" and layers.ward_rule and layers.ward_rule != "the lookup":
            notes.append(f"LSOAs are placed in wards by {layers.ward_rule}.")
        if fig.sa_omitted_labels:
            notes.append(
                f"{len(fig.sa_omitted_labels)} names left off the map to avoid overlaps "
                "(see the table)."
            )
        show_map(
            fig,
            f"{name}_{level}_map",
            map_alt_text(areas, what, level),
            output_dir,
            areas,
            threshold=threshold,
            level=level,
            caption=f"{what} {unit} by {word}, {place}, {year}",
            notes=notes,
            count_label=count_label,
        )
    located = events.dropna(subset=["longitude", "latitude"]) if hotspot else events.iloc[:0]
    if hotspot and len(located) >= max(threshold, 1):
        order = (
            wards.sort_values("count", ascending=False)["name"].tolist()
            if wards is not None
            else None
        )
        title, alt = (
            _hotspot_title(wards, what)
            if wards is not None
            else (
                f"Where {what.lower()} happened in {place}",
                f"Map of the density of {what.lower()}.",
            )
        )
        try:
            fig = hotspot_map(
                located["longitude"],
                located["latitude"],
                layers,
                title=title,
                subtitle=f"{count_label} per hexagon, {place}, {year}; hexagons with fewer "
                f"than {threshold} not drawn",
                source=source,
                min_count=threshold,
                order=order,
                colorbar_label=f"{count_label} per hexagon",
            )
        except SparseHotspotError:
            display(
                HtmlBlock(
                    f'<p class="sa-note">No hotspot map of {what.lower()}: no small area '
                    f"held {threshold} or more in {year}, too few to show.</p>"
                )
            )
            return True
        left_out = len(events) - len(located) + fig.sa_points_outside
        notes = []
        if left_out:
            notes.append(
                f"{disclosure.safe_count(left_out, threshold).capitalize()} "
                f"{count_label.lower()} without coordinates or placed outside the "
                "partnership's boundary are not drawn."
            )
        if fig.sa_omitted_labels:
            notes.append(
                f"{len(fig.sa_omitted_labels)} ward names left off the map to avoid overlaps."
            )
        if wards is not None and wards["count"].sum() > 0:  # the shares the alt text names
            from sa_toolkit import figure_data

            shares = wards.sort_values("count", ascending=False)
            figure_data.attach(
                fig,
                pd.DataFrame(
                    {
                        "Ward": shares["name"].astype(str).to_numpy(),
                        count_label: shares["count"].to_numpy(),
                        "Share of the partnership": shares["count"].to_numpy()
                        / shares["count"].sum(),
                    }
                ),
                counts=[count_label],
                derived=["Share of the partnership"],
                formats={"Share of the partnership": "{:.0%}"},
            )
        show_map(fig, f"{name}_hotspot_map", alt, output_dir, notes=notes, threshold=threshold)
    return True


def clear_cache() -> None:
    """Forget cached layers (tests that change the processed folder)."""
    _CACHE.clear()


def survey_ward_map(
    cfg,
    output_dir,
    survey: pd.DataFrame,
    question: str,
    *,
    what: str,
    name: str,
    source: str,
    wave: int,
    min_respondents: int = 30,
    concern: str = "above",
) -> bool:
    """A ward choropleth of one survey measure (% giving the positive answers) in one wave.

    Wards with fewer than ``min_respondents`` answers are hatched and not shown; a ward is
    outlined when the lower end of its 95% interval (Wilson, on the Kish effective sample)
    is above the partnership's percentage, or, with ``concern="below"`` (a measure where a
    low figure is the concern, such as feeling safe), when the upper end is below it.
    Returns False without ward boundaries.
    """
    if concern not in ("above", "below"):
        raise ArgumentError(f"survey_ward_map: concern must be 'above' or 'below', not {concern!r}")
    from sa_toolkit.partner import survey_percentages

    layers = _layers_and_population(cfg)[0]
    if layers is None or layers.wards is None:
        show_missing_boundaries()
        return False
    rows = survey[pd.to_numeric(survey["wave"]) == wave]
    overall = survey_percentages(rows, question, by=("wave",))
    average = float(overall["value"].iloc[0]) if len(overall) else np.nan
    by_ward = survey_percentages(rows, question, by=("ward_code",))
    by_ward = by_ward.assign(code=by_ward["ward_code"].astype(str)).set_index("code")
    wards = layers.partnership_wards
    areas = pd.DataFrame({"code": wards["code"].astype(str), "name": wards["name"].astype(str)})
    areas["count"] = areas["code"].map(by_ward["respondents"]).fillna(0).astype(int)
    for column in ("value", "lower", "upper"):
        areas[column] = areas["code"].map(by_ward[column])
    enough = areas["count"] >= min_respondents
    areas["status"] = np.where(
        areas["value"].isna(), "missing", np.where(enough, "shown", "suppressed")
    )
    # the outlined wards ("above" is the column maps outline, whichever side is the concern)
    if concern == "above":
        areas["above"] = enough & (areas["lower"] > average)
    else:
        areas["above"] = enough & (areas["upper"] < average)
    areas = areas.reset_index(drop=True)
    areas.attrs.update(
        average=average,
        value_label="% of residents",
        unit_suffix="%",
        measure_word="percentage",
        concern=concern,
        flag_note=(
            f"{concern.capitalize()} partnership percentage: the "
            f"{'lower' if concern == 'above' else 'upper'} end of the ward's 95% interval "
            "(Wilson, on the effective sample size of the weighted survey) is "
            f"{concern} the partnership's {average:.1f}%."
        ),
        codes_without_polygon=0,
        events_without_polygon=0,
    )
    place = cfg.partnership_short_name
    fig = choropleth(
        areas,
        layers,
        level="ward",
        threshold=min_respondents,
        title=map_title(areas, what, "ward"),
        subtitle=f"{what}, % of residents by ward, {place}, survey wave {wave}; classes hold "
        "about equal numbers of wards (quantiles)",
        source=source,
        legend_title="% of residents",
        unit="%",
        suppressed_label=f"Fewer than {min_respondents} respondents (not shown)",
    )
    show_map(
        fig,
        f"{name}_ward_map",
        map_alt_text(areas, what, "ward"),
        output_dir,
        areas,
        threshold=cfg.suppression_threshold,  # respondents below it are shown as "<N"
        level="ward",
        caption=f"{what}, % of residents by ward, {place}, survey wave {wave}",
        notes=[
            f"Wards with fewer than {min_respondents} respondents are hatched and not shown; "
            f"the partnership's figure is {average:.1f}%."
        ],
        count_label="Respondents",
    )
    return True
