"""Accessible, citable reports (issue 11 item 6): numbered and captioned figures and
tables, short alt text with the data in a linked table, row headers, no focusable
non-interactive wrappers, titles that fit the figure, small series on their own axis."""

from __future__ import annotations

import json
import re

import nbformat
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from sa_toolkit import charts, figure_data
from sa_toolkit.render import render_html
from sa_toolkit.report_access import make_accessible
from sa_toolkit.report_tables import html_table

# ----------------------------------------------------------------------------- alt text


def test_long_alt_text_keeps_what_the_chart_shows_and_its_finding():
    alt = (
        "Chart of proven re-offending rates with 95% intervals by cohort and year: Adult "
        "2020/21 26%; Adult 2021/22 25%; Adult 2022/23 18%; Adult 2023/24 22%; Juvenile "
        "2021/22 60%; Juvenile 2023/24 45%; Prolific and priority offenders 2020/21 60%; "
        "Prolific and priority offenders 2021/22 75%"
    )
    short = figure_data.short_alt_text(
        alt, "The juvenile cohort re-offended most: 45% re-offended in 2023/24", has_table=True
    )
    assert short == (
        "Chart of proven re-offending rates with 95% intervals by cohort and year. "
        "The juvenile cohort re-offended most: 45% re-offended in 2023/24. "
        "The data are in the table under the figure."
    )


def test_short_alt_text_is_left_as_written_and_a_long_sentence_is_cut_at_a_clause():
    assert figure_data.short_alt_text("Map of robbery by ward.", "Robbery") == (
        "Map of robbery by ward."
    )
    sentence = "Line chart of " + ", ".join(f"offence group number {i}" for i in range(20))
    short = figure_data.short_alt_text(sentence, None)
    assert len(short) <= figure_data.ALT_TEXT_LIMIT and short.endswith("number 8.")


# ----------------------------------------------------------------------------- titles


@pytest.mark.parametrize("width", [6.0, 7.5, 9.0, 10.0])
def test_titles_fit_the_figure(width):
    """The rendered title, subtitle and source lie inside the figure (the issue's title was
    cut off at "between 15:00 a"), measured on the drawn figure."""
    title = (
        "Anti-social behaviour peaked on Saturdays between 15:00 and 18:00, when 14% of "
        "the week's incidents were reported, WWWWW MMMMM"
    )
    subtitle = "Incidents per hour and weekday, Demo Borough, April 2025 to March 2026 " * 2
    fig, _ax = charts.new_figure(
        title, subtitle, "Source: police incidents " * 6, figsize=(width, 4)
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert len(fig.texts) >= 3
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (width, text.get_text()[:40])
        assert box.y0 >= 0 and box.y1 <= fig.bbox.height
    assert "\n" in fig.texts[0].get_text()  # the title did need wrapping at these widths


def test_a_word_wider_than_the_figure_is_broken_not_cut_off():
    lines = charts._wrap("W" * 80, 3.0, charts.TITLE_SIZE, "bold")
    assert "".join(lines) == "W" * 80 and len(lines) > 1
    assert all(charts._text_width(line, charts.TITLE_SIZE, "bold") <= 3.0 for line in lines)


# ----------------------------------------------------------------------------- small series


def _months(n=36):
    return pd.period_range("2023-04", periods=n, freq="M")


def test_series_an_order_of_magnitude_apart_get_their_own_axes():
    """Gun crime (about 10 a month) no longer shares robbery's axis (about 110)."""
    rng = np.random.default_rng(7)
    months = _months()
    frame = pd.DataFrame(
        {
            "Robbery": rng.poisson(110, len(months)),
            "Knife crime": rng.poisson(60, len(months)),
            "Gun crime": rng.poisson(10, len(months)),
        },
        index=months,
    )
    assert charts.magnitude_groups(frame) == [["Robbery", "Knife crime"], ["Gun crime"]]
    fig = charts.monthly_trend(frame, title="Robbery rose", subtitle="Per month", source="x")
    monthly_axes = [ax for ax in fig.axes if ax.get_ylabel() == "Offences"]
    assert len(monthly_axes) == 2
    top, bottom = monthly_axes
    labels = [t.get_text() for t in bottom.get_legend().get_texts()]
    assert "Gun crime" in labels and "Robbery" not in labels
    # the small series fills its own axis: its top is near its largest month, not 110+
    assert bottom.get_ylim()[1] < 2 * frame["Gun crime"].max()
    assert top.get_ylim()[1] >= frame["Robbery"].max()


def test_series_of_a_similar_size_share_one_axis():
    months = _months(24)
    frame = pd.DataFrame({"A": [100.0] * 24, "B": [25.0] * 24, "C": [21.0] * 24}, index=months)
    # 100 / 21 < 5: one axis; a fourth series at 19 (100 / 19 > 5) would get its own
    assert charts.magnitude_groups(frame) == [["A", "B", "C"]]
    frame["D"] = 19.0
    assert charts.magnitude_groups(frame) == [["A", "B", "C"], ["D"]]
    fig = charts.monthly_trend(frame[["A", "B"]], title="t", subtitle="s", source="x")
    assert len([ax for ax in fig.axes if ax.get_ylabel() == "Offences"]) == 1


# ----------------------------------------------------------------------------- data tables


def test_a_figures_data_table_hides_small_counts():
    months = _months(12)
    counts = pd.Series([3, 12, 0, 7, 9, 4, 15, 11, 2, 8, 6, 10], index=months, name="Robbery")
    fig = charts.monthly_trend(counts, title="Robbery", subtitle="s", source="x")
    block = figure_data.data_details(fig, "Robbery", threshold=5)
    soup = BeautifulSoup(block, "html.parser")
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.tbody.find_all("tr")]
    assert rows[0] == ["Apr 2023", "<5"] and rows[1] == ["May 2023", "12"]
    assert rows[2] == ["Jun 2023", "0"]  # zero is not a small count
    assert [r[1] for r in rows].count("<5") == 3  # 3, 4 and 2
    assert soup.details.summary.get_text() == figure_data.DATA_SUMMARY


def _report_notebook() -> nbformat.NotebookNode:
    """A notebook whose outputs are a figure with its data table and a table, rendered."""
    fig = charts.bar_chart(
        pd.Series({"North": 120, "South": 80, "East": 45}, name="Offences"),
        title="North had the most offences",
        subtitle="Offences by ward",
        source="x",
    )
    details = figure_data.data_details(fig, fig.sa_title, threshold=5)
    figure = charts.img_html(
        charts.figure_png(fig, dpi=30),
        "Bar chart of offences by ward: North 120; South 80; East 45. " + "More values. " * 30,
        title=fig.sa_title,
        data_html=details,
    )
    table = html_table(
        pd.DataFrame({"Ward": ["North", "South"], "Rate": [3.1, 2.2]}), caption="Rates by ward"
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A report")]
    for markup in (figure, table):
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [
            nbformat.v4.new_output("display_data", data={"text/html": markup, "text/plain": ""})
        ]
        nb.cells.append(cell)
    return nb


def test_rendered_page_numbers_captions_and_links_figures_to_their_data(tmp_path):
    page = render_html(_report_notebook(), tmp_path / "report.html", "A report")
    soup = BeautifulSoup(page, "html.parser")
    _check_accessible_page(soup, "report.html")
    caption = soup.find("figure").figcaption
    assert caption.get_text(" ", strip=True).startswith("Figure 1: North had the most offences.")
    assert caption.a["href"] == "#table-1"
    data_caption = soup.find(id="table-1").caption.get_text(" ", strip=True)
    assert data_caption == "Table 1: Data for Figure 1: North had the most offences"
    assert soup.find(id="table-2").caption.get_text(" ", strip=True) == "Table 2: Rates by ward"
    # the bars, top first, with their values; North is a row header
    first = soup.find(id="table-1").tbody.tr
    assert first.th["scope"] == "row" and first.th.get_text() == "North"
    assert [td.get_text() for td in first.find_all("td")] == ["120"]


def test_tabindex_is_removed_only_from_non_interactive_elements():
    page = make_accessible(
        "<html><body><div class='jp-Cell-inputWrapper' tabindex='0'>x</div>"
        "<a href='#x' tabindex='0'>link</a><table><tr><th>A</th><th>B</th></tr>"
        "<tr><td>North</td><td>1</td></tr></table></body></html>"
    )
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("div", class_="jp-Cell-inputWrapper").get("tabindex") is None
    assert soup.find("a")["tabindex"] == "0"
    # a table without a thead: its first row is the header, the rest get row headers
    assert [th.get("scope") for th in soup.find_all("th")] == ["col", "col", "row"]
    assert soup.find_all("tr")[1].th.get_text() == "North"


# ----------------------------------------------------------------------------- rendered demo


def _check_accessible_page(soup: BeautifulSoup, name: str) -> None:
    """The issue's checks on one rendered page."""
    focusable = [el.name for el in soup.find_all(attrs={"tabindex": True}) if el.name != "a"]
    assert not focusable, f"{name}: non-interactive elements with tabindex: {focusable}"
    ids = {el["id"] for el in soup.find_all(id=True)}
    figures = soup.find_all("figure")
    for n, figure in enumerate(figures, start=1):
        img = figure.find("img")
        alt = img.get("alt", "")
        assert 10 <= len(alt) <= figure_data.ALT_TEXT_LIMIT, f"{name}: alt of {len(alt)}: {alt}"
        caption = figure.find("figcaption")
        assert caption is not None, f"{name}: figure {n} has no caption"
        assert caption.get_text().startswith(f"Figure {n}: "), caption.get_text()
        link = caption.find("a", href=True)
        assert link is not None, f"{name}: figure {n} links to no data table"
        target = link["href"].lstrip("#")
        assert target in ids and soup.find(id=target).name == "table", (name, n, target)
    tables = soup.find_all("table")
    numbered = 0
    for table in tables:
        head = table.find("thead")
        cols = head.find_all("th") if head else []
        assert all(th.get("scope") == "col" for th in cols), f"{name}: header without scope"
        for row in table.tbody.find_all("tr", recursive=False) if table.tbody else []:
            first = row.find(["th", "td"])
            assert first.name == "th" and first.get("scope") == "row", (
                f"{name}: a row without a row header in '{table.caption}'"
            )
        caption = table.find("caption")
        if caption is not None:
            numbered += 1
            text = caption.get_text(" ", strip=True)
            assert text.startswith(f"Table {numbered}: "), f"{name}: {text}"


def test_every_rendered_report_is_accessible_and_citable(rendered_reports):
    pages = sorted(rendered_reports.glob("0*.html"))
    assert len(pages) == 7
    figures = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<(?!a\b)[a-z]+[^>]*\btabindex=", html), path.name
        soup = BeautifulSoup(html, "html.parser")
        _check_accessible_page(soup, path.name)
        figures += len(soup.find_all("figure"))
    assert figures >= 30  # the demo draws about forty figures


def test_a_small_series_year_totals_are_not_written_below_the_threshold(monkeypatch):
    """Gun crime on its own axis gets its year totals written on the bars: a total from 1
    to the threshold minus 1 is written "<N", never as the number."""
    monkeypatch.setenv(figure_data.THRESHOLD_ENV, "5")
    months = pd.period_range("2023-04", periods=24, freq="M")
    gun = [0] * 10 + [1, 2] + [1] * 12  # 3 in 2023/24, 12 in 2024/25
    frame = pd.DataFrame({"Robbery": [110] * 24, "Gun crime": gun}, index=months)
    fig = charts.monthly_trend(frame, title="t", subtitle="s", source="x")
    small_panel = fig.axes[3]  # second row: the gun crime panel of year totals
    labels = [t.get_text() for t in small_panel.texts]
    assert labels == ["<5", "12"]


def test_heat_map_data_are_whole_counts_by_hour_with_small_ones_hidden():
    """An offence shared over the hours it may have happened in gives fractional counts:
    the table rounds them (1.6 -> 2, hidden as <5; 7.5 -> 8) and heads hours 00:00..."""
    grid = pd.DataFrame(
        [[1.6, 7.5, 0.2], [12.0, 0.0, 4.4]], index=["Monday", "Tuesday"], columns=[0, 1, 22]
    ).rename_axis("Weekday")
    fig = charts.heat_map(grid, title="t", subtitle="s", source="x")
    soup = BeautifulSoup(figure_data.data_details(fig, "t", threshold=5), "html.parser")
    assert [th.get_text() for th in soup.thead.find_all("th")] == [
        "Weekday", "00:00", "01:00", "22:00",
    ]  # fmt: skip
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.tbody.find_all("tr")]
    assert rows == [["Monday", "<5", "8", "0"], ["Tuesday", "12", "0", "<5"]]


def test_interval_charts_follow_the_same_rule():
    """Killed or seriously injured, all ages (about 10 a year) against children (about 1):
    the children get their own axis; cohorts of a similar size share one."""
    from sa_toolkit.analysis.priority_common import interval_chart

    years = ["2021", "2022", "2023"]
    rows = [("All ages", y, v) for y, v in zip(years, [10, 9, 12], strict=True)]
    rows += [("Children", y, v) for y, v in zip(years, [1, 2, 1], strict=True)]
    values = pd.DataFrame(rows, columns=["group", "year", "value"])
    values["lower"], values["upper"] = values["value"] * 0.5, values["value"] * 1.6
    kwargs = {"x": "year", "series": "group", "title": "t", "subtitle": "s", "source": "x"}
    fig = interval_chart(values, ylabel="Casualties", **kwargs)
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[1].get_legend().get_texts()] == ["Children"]
    assert fig.axes[1].get_ylim()[1] < 5  # the children's axis fits their values
    similar = values.assign(value=[10, 9, 12, 6, 7, 5])
    similar["lower"], similar["upper"] = similar["value"] * 0.5, similar["value"] * 1.6
    assert len(interval_chart(similar, ylabel="Casualties", **kwargs).axes) == 1


# ----------------------------------------------------------------------------- density maps


def _density_points():
    """Four places far apart (each its own hexagon): 25, 12, 7 and 2 offences."""
    sizes = {(-1.5, 53.0): 25, (-1.4, 53.1): 12, (-1.3, 53.2): 7, (-1.2, 53.3): 2}
    lon = np.concatenate([np.full(n, x) for (x, _y), n in sizes.items()])
    lat = np.concatenate([np.full(n, y) for (_x, y), n in sizes.items()])
    return lon, lat


def test_a_density_map_drawn_without_boundaries_has_its_data_in_bands():
    """Hexagons of 25, 12 and 7 offences are drawn (threshold 5), the one of 2 is not: the
    table gives the bands (5 to 9, 10 to 19, 20 or more), each holding 1 of the 4 hexagons
    (25.0%), the undrawn one's 2 offences as <5, and shares of all 46 offences:
    7/46 = 15%, 12/46 = 26%, 25/46 = 54%."""
    lon, lat = _density_points()
    fig = charts.density_map(
        lon, lat, gridsize=10, min_count=5, title="t", subtitle="s", source="x"
    )
    soup = BeautifulSoup(figure_data.data_details(fig, "t", threshold=5), "html.parser")
    head = [th.get_text() for th in soup.thead.find_all("th")]
    assert head == ["Offences per hexagon", "Share of hexagons", "Offences", "Share of offences"]
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.tbody.find_all("tr")]
    assert rows == [
        ["5 to 9", "25.0%", "7", "15%"],
        ["10 to 19", "25.0%", "12", "26%"],
        ["20 or more", "25.0%", "25", "54%"],
        ["Fewer than 5 (not drawn)", "25.0%", "<5", "[c]"],
    ]


def test_a_density_maps_caption_links_to_its_data_table():
    lon, lat = _density_points()
    fig = charts.density_map(
        lon, lat, gridsize=10, min_count=5, title="Offences cluster", subtitle="s", source="x"
    )
    block = charts.img_html(
        charts.figure_png(fig, dpi=20),
        "Map of hexagonal bins of offences.",
        title=fig.sa_title,
        data_html=figure_data.data_details(fig, fig.sa_title, threshold=5),
    )
    soup = BeautifulSoup(make_accessible(f"<html><body>{block}</body></html>"), "html.parser")
    link = soup.find("figure").figcaption.a
    assert link is not None and link.get_text() == "Data: Table 1"
    assert soup.find(id=link["href"][1:]).name == "table"


# ----------------------------------------------------------------------------- run log


def test_run_log_tables_are_captioned_numbered_and_have_row_headers(tmp_path):
    from pathlib import Path
    from types import SimpleNamespace

    from sa_toolkit.config import load_config
    from sa_toolkit.report_index import render_run_log

    repo = Path(__file__).resolve().parents[1]
    cfg = load_config(repo / "config" / "assessment.yml").with_overrides(processed_dir=tmp_path)
    results = [
        SimpleNamespace(
            name="01_alpha", title="Alpha", status="succeeded", headline="Alpha rose",
            error=None, seconds=1.5,
        )
    ]  # fmt: skip
    inputs = [
        {"dataset": "police_street", "file": f"police_uk/2024-0{m}.csv", "sha256": "a" * 64,
         "rows_in": 100, "rows_kept": 99, "rows_rejected": 1, "encoding": "utf-8"}
        for m in (4, 5)
    ]  # fmt: skip
    coverage = [
        {"source": "police data", "first": "2023-04", "last": "2025-03", "months": 24,
         "gaps": [], "missing_in_previous": [], "missing_in_year": []}
    ]  # fmt: skip
    manifest = {"generated_at": "2026-05-01T10:00:00+00:00", "coverage": coverage}
    layer = {"file": "geography/boundaries/wards.geojson", "level": "ward", "vintage": "2024",
             "crs": "EPSG:27700", "features": 40, "kept": 22, "in_partnership": 20,
             "neighbours": 2, "sha256": "b" * 64}  # fmt: skip
    (tmp_path / "_boundaries_log.json").write_text(json.dumps({"files": [layer]}))
    soup = BeautifulSoup(render_run_log(cfg, results, inputs, manifest), "html.parser")
    captions = [t.caption.get_text(" ", strip=True) for t in soup.find_all("table")]
    assert captions == [
        "Table 1: Each report's status, headline and run time",
        "Table 2: Months each source holds, with the months missing",
        "Table 3: Input files and rows read, kept and rejected, by dataset",
        "Table 4: Each input file with its rows and SHA-256 checksum",
        "Table 5: Boundary files read for the maps, with the areas kept",
        "Table 6: Datasets not supplied, the file expected and where to get it",
    ]  # the empty processed folder supplies none
    _check_accessible_page(soup, "run_log.html")
    rows = soup.find_all("table")
    assert rows[0].tbody.tr.th.a["href"] == "01_alpha.html"
    assert rows[1].tbody.tr.th.get_text() == "Police data"
    summary = [c.get_text() for c in rows[2].tbody.tr.find_all(["th", "td"])]
    assert summary == ["police_street", "2", "200", "198", "2"]
    assert rows[3].tbody.tr.th.get_text() == "police_uk/2024-04.csv"  # a file names its row


def test_youth_and_fire_interval_charts_follow_the_same_rule():
    """Deliberate fires: primary (about 2 per 10,000 residents) beside secondary (about
    15): 15 / 2 = 7.5 > 5, so primary fires get their own axis; the data table keeps both."""
    from sa_toolkit.analysis import youth_crime as yc

    years = ["2022/23", "2023/24", "2024/25"]
    series = {
        "Primary": ([2.0, 1.8, 2.2], [1.5, 1.3, 1.7], [2.6, 2.4, 2.8]),
        "Secondary": ([15.0, 14.0, 16.0], [13.5, 12.6, 14.5], [16.6, 15.5, 17.6]),
    }
    kwargs = {"title": "t", "subtitle": "s", "source": "x", "ylabel": "Fires per 10,000"}
    fig = yc.interval_chart(years, series, **kwargs)
    assert len(fig.axes) == 2
    legends = [[t.get_text() for t in ax.get_legend().get_texts()] for ax in fig.axes]
    assert legends == [["Secondary (95% interval)"], ["Primary (95% interval)"]]
    assert fig.axes[1].get_ylim()[1] < 5  # primary fires fill their own axis
    assert len(fig.sa_data) == 6 and list(fig.sa_data.columns[:2]) == ["Group", "Period"]
    close = {"A": series["Secondary"], "B": ([12.0, 11.0, 13.0], [10, 9, 11], [14, 13, 15])}
    assert len(yc.interval_chart(years, close, **kwargs).axes) == 1


def test_a_density_maps_data_passes_the_disclosure_check(tmp_path):
    """The check `sa publish` runs reads a small whole number in a table as a count: the
    table gives no number of hexagons (1 of each band here), only their share."""
    from sa_toolkit.disclosure_scan import scan_report_folder

    lon, lat = _density_points()
    fig = charts.density_map(
        lon, lat, gridsize=10, min_count=5, title="t", subtitle="s", source="x"
    )
    block = charts.img_html(
        charts.figure_png(fig, dpi=20),
        "Map of hexagonal bins of offences.",
        title="Offences cluster in the north",
        data_html=figure_data.data_details(fig, "Offences cluster in the north", threshold=5),
    )
    page = make_accessible(f"<html><body><h1>Violent crime</h1>{block}</body></html>")
    (tmp_path / "01_violent_crime.html").write_text(page, encoding="utf-8")
    assert scan_report_folder(tmp_path, 5) == []
