"""Maps in the rendered demo reports (the session pipeline), and the run without boundaries."""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from sa_toolkit import maps
from sa_toolkit.periods import FinancialYear


@pytest.mark.slow
def test_ingest_reports_the_demo_boundaries(pipeline_run):
    out = pipeline_run.steps["ingest"].stdout
    assert "Boundaries:" in out
    assert "lsoa_2021 170 in the partnership" in " ".join(out.split())


RATES = ("Highest rates:", "Above partnership rate")
PERCENTAGES = ("Highest percentages:", "Above partnership percentage")
# feeling safe: low is the concern, so the wards significantly below are outlined
FEELING_SAFE = ("Lowest percentages:", "Below partnership percentage")


@pytest.mark.slow
@pytest.mark.parametrize(
    "report, figure, words",
    [
        ("01_violent_crime", "01_violent_crime_violence_ward_map", RATES),
        ("01_violent_crime", "01_violent_crime_violence_hotspot_map", None),
        ("01_violent_crime", "01_violent_crime_robbery_ward_map", RATES),
        ("03_anti_social_behaviour", "03_anti_social_behaviour_asb_ward_map", RATES),
        ("03_anti_social_behaviour", "03_anti_social_behaviour_asb_hotspot_map", None),
        ("03_anti_social_behaviour", "03_anti_social_behaviour_deliberate_fires_ward_map", RATES),
        ("03_anti_social_behaviour", "03_anti_social_behaviour_perceptions_ward_map", PERCENTAGES),
        ("04_drugs_and_alcohol", "04_drugs_and_alcohol_drug_offences_ward_map", RATES),
        ("06_safer_communities", "06_safer_communities_safe_after_dark_ward_map", FEELING_SAFE),
    ],
)
def test_demo_reports_draw_maps_with_attribution_and_table(rendered_reports, report, figure, words):
    figures = rendered_reports / "figures"
    assert (figures / f"{figure}.png").is_file() and (figures / f"{figure}.svg").is_file()
    page = html.unescape((rendered_reports / f"{report}.html").read_text(encoding="utf-8"))
    assert maps.ATTRIBUTION in page  # under the map, not only inside the image
    if words is None:
        assert "Wards with the largest shares:" in page  # a hotspot map's alt text
    else:
        alt, column = words
        assert alt in page  # alt text naming the top areas in the map's own measure
        assert column in page  # the table beside the map


@pytest.mark.slow
def test_run_log_lists_the_boundary_files_as_read(pipeline_run, rendered_reports):
    raw = pipeline_run.root / "data" / "raw" / "geography" / "boundaries"
    files = sorted(raw.iterdir())
    assert files, "the demo writes boundary files"
    run_log = html.unescape((rendered_reports / "run_log.html").read_text(encoding="utf-8"))
    assert "Boundary files" in run_log
    for path in files:
        assert path.name in run_log
        assert hashlib.sha256(path.read_bytes()).hexdigest() in run_log
    assert "LSOA 2021" in run_log and "170 in the partnership" in run_log
    manifest = json.loads((rendered_reports / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(f["file"]).name for f in manifest["boundary_files"]} == {p.name for p in files}


@pytest.mark.slow
def test_sparse_hotspot_is_a_sentence_or_a_map(rendered_reports):
    # at the test scale (5% of the demo) drug offences may be too few for any hexagon
    drawn = rendered_reports / "figures" / "04_drugs_and_alcohol_drug_offences_hotspot_map.png"
    page = (rendered_reports / "04_drugs_and_alcohol.html").read_text(encoding="utf-8")
    assert drawn.is_file() or "No hotspot map of drug offences" in page


@pytest.mark.slow
def test_maps_replace_the_density_plots(rendered_reports):
    figures = rendered_reports / "figures"
    assert not (figures / "01_violent_crime_density.png").exists()
    assert not (figures / "03_anti_social_behaviour_density_map.png").exists()


def test_without_boundaries_a_note_names_the_files_that_would_add_maps(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(str(obj)))
    cfg = SimpleNamespace(
        processed_dir=tmp_path,
        partnership_code="E22000248",
        lsoas=("E01000001",),
        year=FinancialYear.parse("2013/14"),
        suppression_threshold=5,
        partnership_short_name="Sunderland",
    )
    maps.clear_cache()
    from sa_toolkit.maps import report

    report._MISSING_SHOWN.clear()
    assert maps.map_layers(cfg) is None
    drawn = maps.priority_maps(
        cfg,
        tmp_path,
        pd.DataFrame({"lsoa_code": ["E01000001"], "longitude": [-1.4], "latitude": [54.9]}),
        what="Violence",
        name="x",
        source="data.police.uk",
    )
    assert drawn is False
    # said once per report, not under every measure
    maps.priority_maps(
        cfg, tmp_path, pd.DataFrame({"lsoa_code": []}), what="Robbery", name="y", source="x"
    )
    assert len(shown) == 1
    assert "LSOA and ward boundary files" in shown[0]
    assert not (tmp_path / "figures").exists()
