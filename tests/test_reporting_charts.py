"""House-style charts: titles, saving and showing with alt text, series breaks, builders."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import pytest

from sa_toolkit import charts
from sa_toolkit.errors import ArgumentError

TITLE = dict(title="Violence fell 8%", subtitle="Offences, Borough, 2025/26", source="Police")


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_palette_matches_installed_afcharts():
    from afcharts.af_colours import get_af_colours

    assert list(charts.CATEGORICAL) == get_af_colours("categorical")
    assert list(charts.SEQUENTIAL) == get_af_colours("sequential", number_of_colours=5)
    assert list(charts.FOCUS) == get_af_colours("focus")


def test_new_figure_has_title_subtitle_and_source():
    fig, ax = charts.new_figure("Robbery rose by a third", "Offences per month, Borough", "Police")
    texts = _texts(fig)
    assert "Robbery rose by a third" in texts
    assert "Offences per month, Borough" in texts
    assert "Source: Police" in texts  # prefixed when missing
    assert fig.sa_title == "Robbery rose by a third"


@pytest.mark.parametrize("field", ["title", "subtitle", "source"])
def test_new_figure_refuses_blank_text(field):
    args = {"title": "t", "subtitle": "s", "source": "x", field: "  "}
    with pytest.raises(ArgumentError, match=field):
        charts.new_figure(**args)


def test_save_and_show_writes_png_svg_and_displays_img_with_alt(tmp_path, monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    fig, ax = charts.new_figure(**TITLE)
    ax.plot([1, 2, 3], [3, 1, 2])
    paths = charts.save_and_show(fig, "01_trend", 'Line chart: "violence" fell <8%>', tmp_path)
    assert paths["png"] == tmp_path / "figures" / "01_trend.png"
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths["svg"].read_text().lstrip().startswith("<?xml")
    assert len(shown) == 1
    markup = shown[0].data
    assert 'alt="Line chart: &quot;violence&quot; fell &lt;8%&gt;"' in markup
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', markup).group(1)
    assert base64.b64decode(encoded) == paths["png"].read_bytes()


@pytest.mark.parametrize(
    ("name", "alt"), [("bad name", "a good alt text"), ("../x", "a good alt text"), ("ok", "")]
)
def test_save_and_show_refuses_bad_name_or_missing_alt(tmp_path, name, alt):
    fig, _ = charts.new_figure(**TITLE)
    with pytest.raises(ArgumentError):
        charts.save_and_show(fig, name, alt, tmp_path, show=False)
    assert not (tmp_path / "figures").exists() or not list((tmp_path / "figures").iterdir())


def _lines_with_data(ax):
    return [line for line in ax.get_lines() if len(line.get_xdata()) > 0]


def test_monthly_trend_never_draws_a_line_across_a_break():
    months = pd.period_range("2021-04", "2025-03", freq="M")
    # 10 a month before the break (April 2023), 20 after: a line or rolling average
    # spanning the break would show values between 10 and 20.
    counts = pd.Series(np.where(months < pd.Period("2023-04", "M"), 10.0, 20.0), index=months)
    fig = charts.monthly_trend(counts, breaks={"2023-04": "New recording rules"}, **TITLE)
    ax = fig.axes[0]
    break_x = pd.Timestamp("2023-04-01")
    data_lines = [
        line
        for line in _lines_with_data(ax)
        if line.get_linestyle() != "--"  # the break marker itself
    ]
    assert len(data_lines) == 4  # monthly + rolling, before and after the break
    for line in data_lines:
        x = pd.to_datetime(line.get_xdata())
        assert (x < break_x).all() or (x >= break_x).all()
        y = np.asarray(line.get_ydata(), dtype=float)
        assert set(np.unique(y[~np.isnan(y)])) <= {10.0, 20.0}
    after = [line for line in data_lines if pd.to_datetime(line.get_xdata())[0] >= break_x]
    rolling = [line for line in after if np.isnan(np.asarray(line.get_ydata(), float)).any()][0]
    # The first rolling value after the break needs 12 months of the new series.
    first = pd.to_datetime(rolling.get_xdata())[np.argmax(~np.isnan(rolling.get_ydata()))]
    assert first == pd.Timestamp("2024-03-01")
    assert any("New recording rules" in t for t in _texts(fig))
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())


def test_monthly_trend_financial_year_totals_are_complete_year_sums():
    months = pd.period_range("2022-01", "2024-06", freq="M")  # complete: 2022/23, 2023/24
    counts = pd.Series(np.arange(len(months), dtype=float), index=months)
    fig = charts.monthly_trend(counts, **TITLE)
    ax_fy = fig.axes[1]
    heights = [p.get_height() for p in ax_fy.patches]
    # Months 2022-04..2023-03 are positions 3..14; 2023-04..2024-03 are 15..26.
    assert heights == [sum(range(3, 15)), sum(range(15, 27))]
    assert [t.get_text() for t in ax_fy.get_xticklabels()] == ["2022/23", "2023/24"]


def test_monthly_trend_leaves_a_gap_for_missing_months():
    months = pd.PeriodIndex(["2024-01", "2024-02", "2024-04"], freq="M")
    fig = charts.monthly_trend(pd.Series([1.0, 2.0, 4.0], index=months), **TITLE)
    monthly = _lines_with_data(fig.axes[0])[0]
    assert np.isnan(np.asarray(monthly.get_ydata(), float)[2])


def test_bar_chart_pairs_traffic_lights_with_text_labels():
    values = pd.Series([5.0, 9.0, 2.0], index=["A", "B", "C"])
    status = pd.Series(["red", "Green", "A"], index=["A", "B", "C"])
    fig = charts.bar_chart(values, status=status, **TITLE)
    texts = _texts(fig)
    assert "5  Red" in texts and "9  Green" in texts and "2  Amber" in texts
    colours = {tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in fig.axes[0].patches}
    from matplotlib.colors import to_rgb

    assert {tuple(round(c, 3) for c in to_rgb(h)) for h in charts.RAG_COLOURS.values()} == colours


def test_rag_label():
    assert charts.rag_label("g") == "Green"
    assert charts.rag_label(" AMBER ") == "Amber"
    assert charts.rag_label(None) == "Not rated"
    with pytest.raises(ArgumentError):
        charts.rag_label("blue")


def test_lorenz_curve_hand_worked():
    curve = charts.lorenz_curve(pd.Series([1, 6, 3]))
    assert curve["share_of_places"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert curve["share_of_count"].tolist() == pytest.approx([0, 0.6, 0.9, 1.0])
    assert charts.share_of_places_holding(pd.Series([1, 6, 3]), 0.5) == pytest.approx(1 / 3)
    assert charts.share_of_places_holding(pd.Series([1, 6, 3]), 0.8) == pytest.approx(2 / 3)
    with pytest.raises(ArgumentError):
        charts.lorenz_curve(pd.Series([0, 0]))


def test_builders_draw_without_warnings(recwarn, tmp_path):
    rng = np.random.default_rng(3)
    points = pd.DataFrame(
        {"label": list("ABCD"), "denominator": [1e5, 2e5, 3e5, 4e5], "value": [20, 22, 18, 25]}
    )
    d = np.linspace(5e4, 5e5, 20)
    se = np.sqrt(20 / (d / 1000))
    limits = pd.DataFrame({"denominator": d, "lower_95": 20 - 2 * se, "upper_95": 20 + 2 * se})
    figs = [
        charts.funnel_plot(points, limits, average=20, highlight="B", **TITLE),
        charts.concentration_curve(pd.Series(rng.pareto(1.5, 50)), **TITLE),
        charts.heat_map(
            pd.DataFrame(rng.poisson(5, (7, 24)), index=charts.WEEKDAYS, columns=range(24)),
            **TITLE,
        ),
        charts.age_profile(
            pd.DataFrame(
                {"Victims": [0.2, 0.5, 0.3], "Population": [0.3, 0.3, 0.4]},
                index=["0-17", "18-24", "25+"],
            ),
            **TITLE,
        ),
        charts.density_map(
            np.r_[rng.normal(-1.5, 0.02, 300), np.nan],
            np.r_[rng.normal(53.0, 0.02, 300), 53.0],
            min_count=3,
            **TITLE,
        ),
    ]
    for i, fig in enumerate(figs):
        charts.save_and_show(fig, f"fig{i}", "alt text for the test figure", tmp_path, show=False)
    assert len(list((tmp_path / "figures").glob("*.png"))) == 5
    assert not [w for w in recwarn.list if not issubclass(w.category, DeprecationWarning)]


def test_density_map_hides_hexagons_below_min_count():
    lon = np.r_[np.full(10, -1.5), -1.4]  # 10 points in one place, 1 alone
    lat = np.r_[np.full(10, 53.0), 53.1]
    fig = charts.density_map(lon, lat, gridsize=10, min_count=3, **TITLE)
    hexes = [c for c in fig.axes[0].collections if hasattr(c, "get_array")][0]
    assert sorted(hexes.get_array().tolist()) == [10]


def test_funnel_plot_requires_highlight_present():
    points = pd.DataFrame({"label": ["A"], "denominator": [1.0], "value": [1.0]})
    limits = pd.DataFrame({"denominator": [1.0]})
    with pytest.raises(ArgumentError, match="Z"):
        charts.funnel_plot(points, limits, average=1, highlight="Z", **TITLE)


def test_breaks_from_series_breaks_table():
    table = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "first_period": ["2022-04", "2023/24"],
            "reason": ["long reason", "other"],
            "comparison_note": ["recording practice changed", "counting rules changed"],
        }
    )
    mapping = charts._breaks_mapping(table)
    assert mapping == {
        pd.Period("2022-04", "M"): "recording practice changed",
        pd.Period("2023-04", "M"): "counting rules changed",
    }
    months = pd.period_range("2021-04", "2024-03", freq="M")
    fig = charts.monthly_trend(pd.Series(1.0, index=months), breaks=table, **TITLE)
    assert "Series break:\ncounting rules changed" in _texts(fig)


def test_a_series_with_small_monthly_counts_is_drawn_as_its_average_only(monkeypatch):
    """Gun crime of 2-4 a month beside robbery of 100 (threshold 5): the gun crime monthly
    line would show counts the tables hide, so only its 12-month average is drawn (24
    months: an average from the twelfth), and the legend says why."""
    from sa_toolkit import figure_data

    monkeypatch.setenv(figure_data.THRESHOLD_ENV, "5")
    months = pd.period_range("2024-04", periods=24, freq="M")
    frame = pd.DataFrame({"Robbery": [100.0] * 24, "Gun crime": [2.0, 3.0, 4.0] * 8}, index=months)
    fig = charts.monthly_trend(frame, financial_years=False, **TITLE)
    lines = [line for ax in fig.axes for line in ax.get_lines() if len(line.get_xdata())]
    faint = [line for line in lines if line.get_alpha() == 0.45]
    # one faint monthly line (robbery); gun crime has only its average (24 points, 12 NaN)
    assert len(faint) == 1 and list(faint[0].get_ydata()) == [100.0] * 24
    averages = [line for line in lines if line.get_linewidth() == 2.2]
    assert len(averages) == 2
    labels = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]
    assert "Monthly figures of Gun crime not drawn: some months had fewer than 5" in labels
    monkeypatch.setenv(figure_data.THRESHOLD_ENV, "2")  # none of 2, 3, 4 is below 2
    fig = charts.monthly_trend(frame, financial_years=False, **TITLE)
    faint = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_alpha() == 0.45]
    assert len([ln for ln in faint if len(ln.get_xdata())]) == 2
