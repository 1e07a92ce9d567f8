"""Drawing maps in the house style: choropleths of rates and hotspot maps.

Static matplotlib figures from :func:`sa_toolkit.charts.new_figure` (no web tiles: reports
make no internet requests), in British National Grid (metres, so distances are true), with
a scale bar, a north arrow and the boundary attribution in the source line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.colors import PowerNorm
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from sa_toolkit import charts
from sa_toolkit.errors import ArgumentError
from sa_toolkit.maps.layers import ATTRIBUTION
from sa_toolkit.maps.report import measure_words

#: light to dark Analysis Function blues: a single hue stays ordered for colour-blind readers
CLASS_COLOURS = tuple(reversed(charts.SEQUENTIAL))
#: outline of areas significantly above the partnership rate: orange reads against blue
#: for every common colour-vision deficiency
ABOVE_COLOUR = "#F46A25"
NEIGHBOUR_FILL = "#EFEFEF"
MISSING_HATCH = "///"
SUPPRESSED_HATCH = "..."


class SparseHotspotError(ArgumentError):
    """No hexagon holds enough points to be drawn (all would be suppressed)."""


def _map_figure(title, subtitle, source, figsize):
    fig, ax = charts.new_figure(title, subtitle, _source_with_attribution(source), figsize=figsize)
    return fig, ax


def _add_polygons(ax, frame, *, facecolor, edgecolor, linewidth, hatch=None, zorder=1.0):
    """The polygons of ``frame`` as one collection of paths in map units.

    Drawn straight from the geometries, not through geopandas' ``plot`` (which converts
    and rescales on every call and asked for a redraw after each layer).
    """
    paths = [_polygon_path(g) for g in frame.geometry.to_numpy()]
    collection = PathCollection(
        paths,
        facecolors=facecolor,
        edgecolors=edgecolor,
        linewidths=linewidth,
        hatch=hatch,
        zorder=zorder,
    )
    ax.add_collection(collection, autolim=False)
    return collection


def _add_outlines(ax, frame, *, color, linewidth, zorder=2.0):
    """The boundaries of ``frame``'s polygons (no fill)."""
    return _add_polygons(
        ax, frame, facecolor="none", edgecolor=color, linewidth=linewidth, zorder=zorder
    )


def _source_with_attribution(source: str) -> str:
    return f"{source.rstrip('. ')}. {ATTRIBUTION}."


def _nice_number(x: float) -> float:
    """1, 2 or 5 times a power of ten, not above ``x``."""
    power = 10 ** np.floor(np.log10(x))
    for step in (5, 2, 1):
        if step * power <= x:
            return step * power
    return power


def class_breaks(values, n_classes: int = 5, scheme: str = "quantile", breaks=None):
    """Class boundaries (ascending, without the minimum) for a choropleth.

    ``scheme`` "quantile": equal numbers of areas per class, boundaries rounded to two
    significant figures (duplicates merged); "fixed": the given ``breaks``.
    """
    values = pd.Series(values, dtype="float64").dropna()
    if scheme == "fixed":
        if breaks is None or len(breaks) == 0:
            raise ArgumentError("class_breaks: fixed classes need their breaks")
        return sorted(float(b) for b in breaks)
    if scheme != "quantile":
        raise ArgumentError(f"class_breaks: scheme must be 'quantile' or 'fixed', not {scheme!r}")
    if values.empty or values.nunique() < 2:
        return []
    cuts = np.quantile(values, np.linspace(0, 1, n_classes + 1)[1:-1])
    rounded = []
    for cut in cuts:
        if cut <= 0:
            continue
        digits = 1 - int(np.floor(np.log10(abs(cut))))
        value = round(float(cut), digits)
        if value > values.min() and (not rounded or value > rounded[-1]):
            rounded.append(value)
    return rounded


def _format_break(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def class_labels(breaks: list[float], unit: str = "") -> list[str]:
    """Legend labels: "under 5.0", "5.0 to under 10", ..., "20 and over"."""
    if not breaks:
        return [f"all areas{unit}"]
    decimals = max((max(0, 1 - int(np.floor(np.log10(abs(b))))) for b in breaks if b), default=0)
    decimals = min(decimals, 2)
    text = [_format_break(b, decimals) + unit for b in breaks]
    labels = [f"under {text[0]}"]
    labels += [f"{a} to under {b}" for a, b in zip(text[:-1], text[1:], strict=True)]
    labels.append(f"{text[-1]} and over")
    return labels


def _polygon_path(geometry) -> MplPath:
    """A matplotlib path for a (multi)polygon, holes included (for drawing and clipping)."""
    import shapely

    vertices, codes = [], []
    for polygon in shapely.get_parts(geometry):
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = np.asarray(ring.coords)
            vertices.append(coords)
            codes.append(
                [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
            )
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def map_figsize(outline, width: float = 8.0, map_width: float = 5.6) -> tuple[float, float]:
    """A figure size whose map panel has the partnership's shape (legend to the right)."""
    minx, miny, maxx, maxy = outline.bounds
    ratio = (maxy - miny) / max(maxx - minx, 1.0)
    return width, float(np.clip(map_width * ratio, 3.5, 9.0))


def _frame_axes(ax, outline, margin: float = 0.04) -> None:
    minx, miny, maxx, maxy = outline.bounds
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    ax.set_xlim(minx - dx, maxx + dx)
    ax.set_ylim(miny - dy, maxy + dy)
    ax.set_aspect("equal")
    ax.set_anchor("W")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def add_scale_bar(ax) -> float:
    """A scale bar in the lower left (the axes are in metres); returns its length in m."""
    from matplotlib.offsetbox import AnchoredOffsetbox, AuxTransformBox, TextArea, VPacker
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    length = _nice_number((x1 - x0) / 5)
    bar = AuxTransformBox(ax.transData)
    height = (x1 - x0) / 150
    bar.add_artist(Rectangle((0, 0), length / 2, height, fc="black", ec="black", lw=0.6))
    bar.add_artist(Rectangle((length / 2, 0), length / 2, height, fc="white", ec="black", lw=0.6))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    box = VPacker(
        children=[bar, TextArea(label, textprops={"fontsize": 8})], align="center", pad=0, sep=2
    )
    anchored = AnchoredOffsetbox(loc="lower left", child=box, frameon=True, pad=0.3, borderpad=0.5)
    anchored.patch.set(facecolor="white", edgecolor="none", alpha=0.85)
    anchored.set_in_layout(False)
    ax.add_artist(anchored)
    ax.sa_furniture = [*getattr(ax, "sa_furniture", []), anchored]
    return length


def add_north_arrow(ax) -> None:
    """A north arrow in the upper right (grid north, within a degree of true north)."""
    arrow = ax.annotate(
        "N",
        xy=(0.96, 0.97),
        xytext=(0.96, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5},
    )
    arrow.set_in_layout(False)
    ax.sa_furniture = [*getattr(ax, "sa_furniture", []), arrow]


def _settle_layout(fig, ax) -> None:
    """Solve the map's layout once, at the PNG's resolution, and keep it.

    Only the layout is solved (and the map's equal-aspect box applied), not a draw of
    every polygon; the PNG and the SVG are then saved with these positions instead of
    each solving the layout again. Call when every artist that takes part in the layout
    is on the figure (labels and the map furniture do not).
    """
    if getattr(fig, "sa_layout_settled", False):
        return
    charts.settle_layout(fig, charts.PNG_DPI)
    ax.apply_aspect()
    fig.sa_layout_settled = True


def place_labels(ax, points: pd.DataFrame, *, fontsize: float = 7.5, min_fontsize: float = 6.5):
    """Name places without overlaps: each label tries its point, then positions around
    it, then a smaller font; a label that fits nowhere is left off.

    ``points``: ``x, y, label`` in data units, most important first. Returns the labels
    left off.
    """
    fig = ax.figure
    _settle_layout(fig, ax)  # positions fixed before measuring text
    renderer = fig.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    # the scale bar and north arrow are obstacles too
    placed = [a.get_window_extent(renderer) for a in getattr(ax, "sa_furniture", [])]
    omitted = []
    offsets = [(0, 0), (0, 9), (0, -9), (14, 0), (-14, 0), (12, 9), (-12, 9), (12, -9), (-12, -9)]
    for _, row in points.iterrows():
        done = False
        for size in (fontsize, min_fontsize):
            for dx, dy in offsets:
                text = ax.annotate(
                    str(row["label"]),
                    (row["x"], row["y"]),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha="center",
                    va="center",
                    fontsize=size,
                    color="#0B0C0C",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                )
                text.set_in_layout(False)
                box = text.get_window_extent(renderer).expanded(1.08, 1.15)
                inside = (
                    box.x0 >= axes_box.x0
                    and box.x1 <= axes_box.x1
                    and box.y0 >= axes_box.y0
                    and box.y1 <= axes_box.y1
                )
                if inside and not any(box.overlaps(other) for other in placed):
                    placed.append(box)
                    done = True
                    break
                text.remove()
            if done:
                break
        if not done:
            omitted.append(str(row["label"]))
    return omitted


def _label_points(frame) -> pd.DataFrame:
    points = frame.geometry.representative_point()
    return pd.DataFrame({"x": points.x.to_numpy(), "y": points.y.to_numpy()})


def choropleth(
    areas: pd.DataFrame,
    layers,
    *,
    title: str,
    subtitle: str,
    source: str,
    level: str = "lsoa",
    threshold: int = 0,
    unit: str = "",
    legend_title: str = "Rate per 1,000 residents",
    scheme: str = "quantile",
    breaks=None,
    n_classes: int = 5,
    label_top: int = 3,
    figsize: tuple[float, float] | None = None,
    suppressed_label: str | None = None,
):
    """A choropleth of ``areas`` (from :func:`sa_toolkit.maps.area_rates`) on its polygons.

    Classes are stated in the legend (quantiles or ``breaks``); areas with no data are
    hatched and "No data", suppressed ones hatched and "Fewer than N"; areas flagged
    ``above`` are outlined in orange; neighbours are grey; the ``label_top`` areas with
    the highest shown values (lowest, where ``areas.attrs["concern"]`` is "below") are
    named. Returns the figure (``fig.sa_classes`` holds the
    breaks, ``fig.sa_omitted_labels`` the names left off).
    """
    polygons = layers.lsoas if level == "lsoa" else layers.wards
    if polygons is None:
        raise ArgumentError(f"choropleth: no {level} boundaries")
    own = polygons[polygons["in_partnership"]]
    shapes = own[["code", "geometry"]].merge(
        areas.assign(code=areas["code"].astype(str)), on="code", how="left"
    )
    shapes["status"] = shapes["status"].fillna("missing")
    shown = shapes["status"] == "shown"
    cuts = class_breaks(shapes.loc[shown, "value"], n_classes, scheme, breaks)
    colours = _class_colours(len(cuts) + 1)
    fig, ax = _map_figure(title, subtitle, source, figsize or map_figsize(layers.outline))
    neighbours = polygons[~polygons["in_partnership"]]
    if len(neighbours):
        _add_polygons(ax, neighbours, facecolor=NEIGHBOUR_FILL, edgecolor="white", linewidth=0.5)
    index = np.searchsorted(cuts, shapes["value"].fillna(-np.inf).to_numpy(), side="right")
    handles = []
    for k, colour in enumerate(colours):
        part = shapes[shown & (index == k)]
        if len(part):
            _add_polygons(ax, part, facecolor=colour, edgecolor="white", linewidth=0.3)
    labels = class_labels(cuts, unit)
    handles += [
        Patch(facecolor=c, edgecolor="white", label=label)
        for c, label in zip(colours, labels, strict=True)
    ]
    for status, hatch, label in (
        ("suppressed", SUPPRESSED_HATCH, suppressed_label or f"Fewer than {threshold} (not shown)"),
        ("missing", MISSING_HATCH, "No data"),
    ):
        part = shapes[shapes["status"] == status]
        if len(part):
            _add_polygons(
                ax, part, facecolor="white", edgecolor="#6F777B", linewidth=0.3, hatch=hatch
            )
            handles.append(Patch(facecolor="white", edgecolor="#6F777B", hatch=hatch, label=label))
    if level == "lsoa" and layers.wards is not None:
        _add_outlines(ax, layers.partnership_wards, color="#3D3D3D", linewidth=0.6)
    above = shapes[shapes["above"].fillna(False).astype(bool)]
    if len(above):
        _add_outlines(ax, above, color=ABOVE_COLOUR, linewidth=2.2)
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=ABOVE_COLOUR,
                linewidth=2.2,
                label=measure_words(areas)["flag"].capitalize(),
            )
        )
    _frame_axes(ax, layers.outline)
    ax.legend(
        handles=handles,
        title=legend_title,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        title_fontsize=8.5,
        frameon=False,
        alignment="left",
    )
    add_scale_bar(ax)
    add_north_arrow(ax)
    fig.sa_omitted_labels = []
    if label_top:
        words = measure_words(areas)
        pick = shapes[shown].nsmallest if words["ascending"] else shapes[shown].nlargest
        top = pick(label_top, "value")
        points = _label_points(top).assign(label=top["name"].to_numpy())
        fig.sa_omitted_labels = place_labels(ax, points)
    _settle_layout(fig, ax)
    fig.sa_classes = cuts
    return fig


def _class_colours(n: int) -> list[str]:
    if n <= len(CLASS_COLOURS):
        # spread over the palette so few classes still span light to dark
        idx = np.round(np.linspace(0, len(CLASS_COLOURS) - 1, n)).astype(int)
        return [CLASS_COLOURS[i] for i in idx]
    raise ArgumentError(f"choropleth: at most {len(CLASS_COLOURS)} classes")


def to_grid(longitude, latitude):
    """Longitude/latitude (WGS84) to British National Grid eastings and northings."""
    from pyproj import Transformer

    transformer = Transformer.from_crs(4326, 27700, always_xy=True)
    return transformer.transform(np.asarray(longitude, float), np.asarray(latitude, float))


def hotspot_map(
    longitude,
    latitude,
    layers,
    *,
    title: str,
    subtitle: str,
    source: str,
    min_count: int = 1,
    hexagons_across: int = 30,
    order: list[str] | None = None,
    colorbar_label: str = "Incidents per hexagon",
    figsize: tuple[float, float] | None = None,
):
    """Hexagonal density of points inside the partnership, with ward boundaries and names.

    Points outside the partnership's outline are left out (``fig.sa_points_outside``), and
    hexagons with fewer than ``min_count`` points are not drawn (pass the suppression
    threshold). Ward names (``order``: most important first) are placed without overlaps;
    names that fit nowhere are in ``fig.sa_omitted_labels``.
    """
    import shapely

    lon = pd.to_numeric(pd.Series(np.asarray(longitude)), errors="coerce")
    lat = pd.to_numeric(pd.Series(np.asarray(latitude)), errors="coerce")
    keep = (lon.notna() & lat.notna()).to_numpy()
    x, y = to_grid(lon[keep], lat[keep])
    inside = shapely.contains_xy(layers.outline, x, y)
    x, y = x[inside], y[inside]
    if x.size == 0:
        raise ArgumentError("hotspot_map: no point lies inside the partnership")
    fig, ax = _map_figure(title, subtitle, source, figsize or map_figsize(layers.outline))
    minx, miny, maxx, maxy = layers.outline.bounds
    gridsize = max(10, int(hexagons_across))
    hexes = ax.hexbin(
        x,
        y,
        gridsize=gridsize,
        extent=(minx, maxx, miny, maxy),
        mincnt=max(1, int(min_count)),
        cmap=charts.sequential_cmap(),
        linewidths=0.1,
        edgecolors="white",
        zorder=2,
    )
    # thousands of hexagons, each clipped to the outline: as vectors they made the SVG
    # slow to write and to open; the SVG embeds them as an image (text and lines stay vector)
    hexes.set_rasterized(True)
    values = np.asarray(hexes.get_array())
    if values.size == 0:
        fig.clf()
        raise SparseHotspotError(
            f"hotspot_map: no hexagon holds {max(1, int(min_count))} or more points"
        )
    # square-root colour scale: one very busy hexagon does not wash out the rest
    hexes.set_norm(PowerNorm(0.5, vmin=float(values.min()), vmax=float(values.max())))
    clip = PathPatch(_polygon_path(layers.outline), transform=ax.transData, fc="none", ec="none")
    ax.add_patch(clip)
    hexes.set_clip_path(clip)
    neighbours = layers.lsoas[~layers.lsoas["in_partnership"]]
    if len(neighbours):
        _add_polygons(
            ax, neighbours, facecolor=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_FILL, linewidth=0.3
        )
    wards = layers.partnership_wards
    if wards is not None:
        _add_outlines(ax, wards, color="#6F777B", linewidth=0.6, zorder=3)
    outline = shapely.get_parts(shapely.boundary(layers.outline))
    for line in outline:
        coords = np.asarray(line.coords)
        ax.plot(coords[:, 0], coords[:, 1], color="#0B0C0C", linewidth=1.2, zorder=4)
    _frame_axes(ax, layers.outline)
    # beside the map itself (an inset follows the axes' equal-aspect box), not the figure edge
    cax = ax.inset_axes([1.03, 0.15, 0.035, 0.7])
    cax.set_in_layout(False)
    bar = fig.colorbar(hexes, cax=cax)
    bar.set_label(colorbar_label)
    bar.outline.set_visible(False)
    add_scale_bar(ax)
    add_north_arrow(ax)
    fig.sa_omitted_labels = []
    if wards is not None:
        named = wards.assign(name=wards["name"].astype(str))
        if order:
            rank = {name: i for i, name in enumerate(order)}
            named = named.assign(_rank=named["name"].map(rank).fillna(len(rank))).sort_values(
                ["_rank", "name"]
            )
        points = _label_points(named).assign(label=named["name"].to_numpy())
        fig.sa_omitted_labels = place_labels(ax, points)
    _settle_layout(fig, ax)
    fig.sa_points_outside = int((~inside).sum())
    fig.sa_points_without_location = int((~keep).sum())
    return fig
