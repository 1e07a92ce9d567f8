"""Maps on the partnership's own boundaries: choropleths of rates and hotspot maps.

- :mod:`.layers`: the processed boundary layers (``sa ingest`` writes them from the ONS
  files in ``data/raw/geography/boundaries/``), LSOAs placed in wards;
- :mod:`.rates`: rates per 1,000 residents by LSOA or ward, and the areas significantly
  above the partnership on an overdispersed funnel;
- :mod:`.draw`: the figures (classes in the legend, hatched missing and suppressed areas,
  outlined flagged areas, ward names without overlaps, scale bar, north arrow, attribution);
- :mod:`.report`: the figure with its data table beside it, the title and the alt text.

Typical use in a notebook::

    layers = maps.load_layers(cfg.processed_dir, maps.partnership_lookup(cfg), cfg.year.start_year)
    if layers is None:
        maps.show_missing_boundaries()
    else:
        areas = maps.area_rates(counts_by_lsoa, population, layers, "ward", threshold=5)
        fig = maps.choropleth(areas, layers, level="ward", title=maps.map_title(areas, "Violence", "ward"), ...)
        maps.show_map(fig, "01_violence_wards", maps.map_alt_text(areas, "Violence", "ward"), out, areas)
"""

from __future__ import annotations

from sa_toolkit.maps.draw import (
    choropleth,
    class_breaks,
    class_labels,
    hotspot_map,
    place_labels,
    to_grid,
)
from sa_toolkit.maps.layers import (
    ATTRIBUTION,
    MISSING_BOUNDARIES,
    MapLayers,
    boundary_layers_available,
    load_layers,
)
from sa_toolkit.maps.rates import area_rates, matching_note, overdispersed_flags
from sa_toolkit.maps.report import (
    area_table,
    map_alt_text,
    map_title,
    partnership_lookup,
    population_by_lsoa,
    show_map,
    show_missing_boundaries,
)
from sa_toolkit.maps.sections import clear_cache, map_layers, priority_maps, survey_ward_map

__all__ = [
    "ATTRIBUTION",
    "MISSING_BOUNDARIES",
    "MapLayers",
    "area_rates",
    "area_table",
    "boundary_layers_available",
    "choropleth",
    "class_breaks",
    "class_labels",
    "clear_cache",
    "map_layers",
    "priority_maps",
    "hotspot_map",
    "load_layers",
    "map_alt_text",
    "map_title",
    "matching_note",
    "overdispersed_flags",
    "partnership_lookup",
    "place_labels",
    "population_by_lsoa",
    "show_map",
    "show_missing_boundaries",
    "survey_ward_map",
    "to_grid",
]
