"""The violent crime report's sections on where violence happens (``01_violent_crime``).

The hotspot tables, the concentration curve, the density plot (without boundary files)
and the maps; :mod:`sa_toolkit.analysis.violent_crime_report` names them with the other
sections and :func:`~sa_toolkit.analysis.violent_crime_report.prepare` makes the report
they read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sa_toolkit import charts, findings, report_tables
from sa_toolkit.analysis.sections import Chart, Section
from sa_toolkit.analysis.violent_crime_data import in_year, measure_mask
from sa_toolkit.analysis.violent_crime_places import (
    concentration_sentence,
    top_places,
    ward_label_points,
)
from sa_toolkit.analysis.violent_crime_tables import places_display
from sa_toolkit.disclosure import suppression_note
from sa_toolkit.geography import place_level

if TYPE_CHECKING:  # the report module imports this one
    from sa_toolkit.analysis.violent_crime_report import ViolentCrimeReport

#: the stem of every figure the report saves (``figures/01_violent_crime_*.png``)
FIGURE = "01_violent_crime"


# ----------------------------------------------------------------------------- places


def hotspot_tables(report: ViolentCrimeReport) -> Section:
    """The wards (or MSOAs) and LSOAs with most offences and with the highest rates."""
    data = report.data
    places = place_level(data.areas)
    section = Section()
    for table, label in ((report.wards, places.title), (report.lsoas, "LSOA")):
        for by, what in (("offences", "most offences"), ("rate", "highest rates")):
            top = top_places(table, by=by)
            if top.empty:
                continue
            section.add(
                report_tables.html_table(
                    places_display(top, data.threshold, place=label, ward=places.title),
                    caption=f"{label}s with the {what} of {data.focus_label.lower()}, "
                    f"{report.place_name}, {report.year_label}",
                    notes=[suppression_note(data.threshold)],
                )
            )
    return section


def concentration(report: ViolentCrimeReport) -> Section:
    """The concentration curve of violence by LSOA (none drawn in a year without any)."""
    data, conc = report.data, report.conc
    counts = report.lsoas.set_index("place")["offences"]
    if counts.sum() <= 0:
        return Section()
    top5 = conc[conc["measure"] == "share in top 5% of areas"].iloc[0]
    half = charts.share_of_places_holding(counts)
    gini = conc.loc[conc["measure"] == "Gini coefficient", "value"].iloc[0]
    return Section(
        [
            Chart(
                charts.concentration_curve,
                {
                    "counts": counts,
                    "title": f"Half of violence happened in {findings.format_percent(half * 100)} "
                    f"of LSOAs; the top 5% held {findings.format_percent(top5['value'] * 100)}",
                    "subtitle": f"Cumulative share of {data.focus_label.lower()} by LSOA (most "
                    f"affected first), {report.place_name}, {report.year_label}",
                    "source": data.source_note,
                    "place": "LSOAs",
                },
                f"{FIGURE}_concentration",
                f"Concentration curve: {concentration_sentence(data, conc, report.wards)} "
                f"Gini coefficient {gini:.2f}.",
            )
        ]
    )


def density(report: ViolentCrimeReport) -> Section:
    """A hexagon density plot of violence, drawn only without boundary files (the maps
    below replace it) and when enough offences have coordinates to show without
    disclosing a small count."""
    from sa_toolkit import maps

    data, focus = report.data, report.focus
    located = focus[["longitude", "latitude"]].notna().all(axis=1)
    if located.sum() < data.threshold or maps.map_layers(report.cfg) is not None:
        return Section()
    top_ward = report.wards.sort_values("offences", ascending=False).iloc[0]
    unplaced = int((~located).sum())
    without = f"; {unplaced:,} offences without coordinates not shown" if unplaced else ""
    return Section(
        [
            Chart(
                charts.density_map,
                {
                    "longitude": focus.loc[located, "longitude"],
                    "latitude": focus.loc[located, "latitude"],
                    "title": f"Violence clusters in {top_ward['place']} ward, with "
                    f"{findings.format_percent(top_ward['share'])} of the partnership's offences",
                    "subtitle": f"{data.focus_label} per hexagon, {report.place_name}, "
                    f"{report.year_label}; hexagons with fewer than {data.threshold} offences "
                    f"not drawn{without}",
                    "labels": ward_label_points(data, report.wards),
                    "source": data.source_note,
                    "min_count": data.threshold,
                },
                f"{FIGURE}_density",
                f"Map of hexagonal bins of {data.focus_label.lower()} in {report.place_name}, "
                f"{report.year_label}: the densest cluster is in {top_ward['place']} ward.",
            )
        ]
    )


@dataclass
class PriorityMaps:
    """The maps of violence (rates and hotspots) and of robbery (rates), drawn by
    :func:`sa_toolkit.maps.priority_maps` when shown; without boundary files it shows the
    note naming the files that would add them, and robbery is not mapped."""

    cfg: object
    violence: pd.DataFrame
    violence_label: str
    robbery: pd.DataFrame
    source: str

    def show_in(self, output_dir: str | Path) -> bool:
        from sa_toolkit import maps

        if not maps.priority_maps(
            self.cfg,
            output_dir,
            self.violence,
            what=self.violence_label,
            name=f"{FIGURE}_violence",
            source=self.source,
        ):
            return False
        maps.priority_maps(
            self.cfg,
            output_dir,
            self.robbery,
            what="Robbery",
            name=f"{FIGURE}_robbery",
            source=self.source,
            hotspot=False,
        )
        return True


def area_maps(report: ViolentCrimeReport) -> Section:
    """Rates of violence and of robbery by ward and LSOA, and the hotspot map of violence."""
    data = report.data
    this_year = in_year(data.incidents, data.year)
    robbery = data.measures[data.measures["measure"] == "robbery"].iloc[0]
    return Section(
        [
            PriorityMaps(
                cfg=report.cfg,
                violence=report.focus,
                violence_label=data.focus_label,
                robbery=this_year[measure_mask(this_year, robbery)],
                source=data.source_note,
            )
        ]
    )
