"""The first year of the data: every report renders with "not available" notes instead of
comparisons with a year the data do not hold; a year after the data end stops before
anything runs.

One ``sa demo --scale 0.05`` -> ``sa ingest`` -> ``sa run --year 2020/21`` (the demo's first
year) in a temporary project, shared by the module; unit tests cover the helpers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sa_toolkit.analysis import priority_common as pc
from sa_toolkit.analysis import youth_crime as yc
from sa_toolkit.errors import UserError
from sa_toolkit.periods import FinancialYear, nearest_mid_year
from sa_toolkit.tables import months_text, table_months

REPO = Path(__file__).resolve().parents[1]
FIRST = "2020/21"  # demo.first_year in config/assessment.yml
NOTE = "not available: no data for 2019/20"


def _sa(root: Path, *args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("sa")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sa_toolkit.cli"]
    env = {**os.environ, "SA_PROJECT_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*command, *args], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def first_year_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("sa_first_year")
    (root / "config").mkdir()
    shutil.copy(REPO / "config" / "assessment.yml", root / "config" / "assessment.yml")
    (root / "notebooks").mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(nb, root / "notebooks" / nb.name)
    steps = {"demo": _sa(root, "demo", "--scale", "0.05")}
    assert steps["demo"].returncode == 0, steps["demo"].stderr[-2000:]
    steps["ingest"] = _sa(root, "ingest")
    assert steps["ingest"].returncode == 0, steps["ingest"].stderr[-2000:]
    steps["run"] = _sa(root, "run", "--year", FIRST)
    steps["late"] = _sa(root, "run", "--year", "2026/27")
    return SimpleNamespace(root=root, steps=steps, report_dir=root / "reports" / "2020-21")


def _notes(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<p class=.sa-missing.>(.*?)</p>", html, re.S)]


@pytest.mark.slow
def test_first_year_renders_all_seven_reports(first_year_run):
    run = first_year_run.steps["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "7 of 7 reports rendered" in " ".join(run.stderr.split() + run.stdout.split())
    manifest = json.loads((first_year_run.report_dir / "manifest.json").read_text())
    assert [nb["status"] for nb in manifest["notebooks"]] == ["succeeded"] * 7
    for nb in manifest["notebooks"]:
        assert not nb["error"] and not nb["warnings"], nb["name"]
        executed = json.loads((first_year_run.report_dir / f"{nb['name']}.ipynb").read_text())
        for cell in executed["cells"]:
            for out in cell.get("outputs", []):
                assert out["output_type"] != "error", (nb["name"], out.get("ename"))
                assert out.get("name") != "stderr", (nb["name"], "".join(out.get("text", "")))


@pytest.mark.slow
@pytest.mark.parametrize(
    "report",
    [
        "00_overview",
        "01_violent_crime",
        "02_youth_crime",
        "03_anti_social_behaviour",
        "04_drugs_and_alcohol",
        "06_safer_communities",
    ],
)
def test_first_year_notes_instead_of_comparisons(first_year_run, report):
    html = unescape((first_year_run.report_dir / f"{report}.html").read_text(encoding="utf-8"))
    assert any(NOTE in n for n in _notes(html)), _notes(html)
    # a year without data is not compared as a year of zero crime
    assert not re.search(r"(rose|fell) from 0 to", html)
    assert "2019/20 and 2020/21" not in html


@pytest.mark.slow
def test_first_year_reoffending_report_compares_nothing_with_zero(first_year_run):
    html = unescape((first_year_run.report_dir / "05_reoffending.html").read_text(encoding="utf-8"))
    assert not re.search(r"(rose|fell) from 0 to", html)


@pytest.mark.slow
def test_year_after_the_data_stops_before_running(first_year_run):
    late = first_year_run.steps["late"]
    assert late.returncode == 2, late.stdout + late.stderr
    message = " ".join((late.stdout + late.stderr).split())
    assert "no police data for 2026/27" in message
    assert "cover April 2020 to March 2026" in message
    assert "Traceback" not in message
    assert not (first_year_run.root / "reports" / "2026-27").exists()


# ----------------------------------------------------------------------------- helpers


def test_nearest_mid_year_prefers_own_then_earlier_then_earliest():
    assert nearest_mid_year([2020, 2021, 2022], FinancialYear(2021)) == (2021, "")
    used, note = nearest_mid_year([2020, 2021], FinancialYear(2024))
    assert used == 2021 and "mid-2021" in note and "latest" in note
    # before the first estimate (the first year's comparison year): the earliest, said so
    used, note = nearest_mid_year(np.array([2022, 2020, 2021]), FinancialYear(2019))
    assert used == 2020
    assert note == "population: mid-2020 estimate used for 2019/20 (the earliest available)"
    assert nearest_mid_year([], FinancialYear(2019)) == (None, "")


def test_covers_year_uses_the_span_of_the_data():
    months = pd.Series(pd.period_range("2020-04", "2021-03", freq="M"))
    assert pc.covers_year(months, FinancialYear(2020))
    assert not pc.covers_year(months, FinancialYear(2019))
    assert not pc.covers_year(months, FinancialYear(2021))
    # a quiet month inside the span is a month with none, not missing data
    sparse = pd.Series([pd.Period("2019-05", "M"), pd.Period("2021-02", "M")])
    assert pc.covers_year(sparse, FinancialYear(2020))
    assert not pc.covers_year(pd.Series([], dtype="period[M]"), FinancialYear(2020))


def test_not_available_text_and_note():
    assert (
        pc.not_available_text("change on 2019/20", "2019/20")
        == "Change on 2019/20 not available: no data for 2019/20."
    )
    html = pc.not_available("Change on 2019/20", "2019/20")._repr_html_()
    assert "sa-missing" in html and NOTE in html


def _partitions(tmp_path, months):
    for m in months:
        folder = tmp_path / "police_street" / f"period={m}"
        folder.mkdir(parents=True)
        (folder / "x.parquet").write_bytes(b"")
    # a month folder without a file holds no data
    (tmp_path / "police_street" / "period=2030-01").mkdir()


def test_table_months_and_runner_preflight(tmp_path):
    from sa_toolkit import runner

    _partitions(tmp_path, ["2020-04", "2020-05", "2021-03"])
    assert table_months("police_street", tmp_path) == [
        pd.Period("2020-04", "M"),
        pd.Period("2020-05", "M"),
        pd.Period("2021-03", "M"),
    ]
    assert table_months("fire_incidents", tmp_path) == []
    assert months_text(table_months("police_street", tmp_path)) == "April 2020 to March 2021"
    assert runner.police_months(tmp_path) == [(2020, 4), (2020, 5), (2021, 3)]

    def cfg(year):
        return SimpleNamespace(year=FinancialYear.parse(year), processed_dir=tmp_path)

    runner.check_year_has_police_data(cfg("2020/21"))  # covered: no error
    for year in ("2021/22", "2019/20"):
        with pytest.raises(UserError) as err:
            runner.check_year_has_police_data(cfg(year))
        assert f"no police data for {year}" in str(err.value)
        assert "cover April 2020 to March 2021" in str(err.value)
    # no police table at all: the reports say what is missing, nothing stops here
    runner.check_year_has_police_data(
        SimpleNamespace(year=FinancialYear(2030), processed_dir=tmp_path / "none")
    )


def test_youth_changes_without_the_year_before():
    totals = pd.DataFrame({"Victims 10-17": [12]}, index=pd.Index(["2020/21"], name="year"))
    row = yc.latest_changes(totals, FinancialYear(2020)).iloc[0]
    assert row["after"] == 12 and np.isnan(row["before"]) and np.isnan(row["change"])
    assert not row["significant"]
    text = yc.change_finding("Victims", np.nan, 12, "victims", {}, compared_with="2019/20")
    assert text == (
        "Victims: 12 victims; the change on 2019/20 is not available: no data for 2019/20."
    )
    # with the year before: 10 -> 15 is +50%
    totals = pd.DataFrame({"v": [10, 15]}, index=["2019/20", "2020/21"])
    assert yc.latest_changes(totals, FinancialYear(2020)).iloc[0]["change"] == pytest.approx(50)


def test_youth_years_start_with_the_data():
    cfg = SimpleNamespace(baseline_year=FinancialYear(2020), year=FinancialYear(2022))
    assert [y.label for y in yc.years_to(cfg)] == ["2020/21", "2021/22", "2022/23"]
    held = [pd.Period("2021-06", "M"), pd.Period("2023-03", "M")]
    assert [y.label for y in yc.years_to(cfg, held)] == ["2021/22", "2022/23"]
    # data beginning after the assessed year still leave the year itself
    assert [y.label for y in yc.years_to(cfg, [pd.Period("2024-04", "M")])] == ["2022/23"]


def test_fires_without_last_year_give_this_year_only():
    from sa_toolkit.analysis import safer_communities as sc

    fire = pd.DataFrame(
        {
            "incident_type": ["primary", "primary", "secondary"],
            "motive": ["deliberate", "accidental", "deliberate"],
            "casualties": [1, 0, 0],
            "fatalities": [0, 0, 0],
            "month": pd.PeriodIndex(["2020-04", "2020-09", "2021-01"], freq="M"),
        }
    )
    # only a mid-2020 estimate: used for both years (the nearest)
    population = pd.DataFrame({"year": [2020], "population": [200000]})
    result = sc.fires(fire, population, FinancialYear(2020))
    assert result["has_comparison"] is False
    table = result["table"].set_index("measure")
    assert "last_year" not in table.columns and "change" not in table.columns
    assert table.loc["Primary fires", "this_year"] == 2
    # 2 fires in 200,000 residents: 1.0 per 100,000
    assert table.loc["Primary fires", "rate_this"] == pytest.approx(1.0)
    hate = sc.hate_crime(
        pd.DataFrame(
            {
                "hate_crime": [True, False],
                "hate_crime_strand": ["race", ""],
                "month": pd.PeriodIndex(["2020-05", "2020-06"], freq="M"),
            }
        ),
        FinancialYear(2020),
    )
    assert hate["last_year"] is None and hate["this_year"] == 1 and not hate["significant"]
    sentences = sc.key_findings(
        pd.DataFrame(columns=["question"]), pd.DataFrame(columns=["question"]), "", hate,
        pd.DataFrame(), None, result["table"], FinancialYear(2020), 5,
    )  # fmt: skip
    assert sentences == [
        "Fewer than 5 hate crimes were recorded in 2020/21; the change on 2019/20 is not available: "
        "no data for 2019/20.",
        "Fewer than 5 primary fires were attended in 2020/21; the change on 2019/20 is not "
        "available: no data for 2019/20.",
    ]


def test_overview_cost_sentence_for_one_year():
    from sa_toolkit.analysis import overview as ov

    cost = {
        "total": pd.Series([7_600_000.0]),
        "change": None,
        "first": "2020/21",
        "last": "2020/21",
        "price_year": "2020/21",
    }
    assert ov.cost_sentence(cost) == (
        "The estimated cost of crime was £7.6m in 2020/21 (at 2020/21 prices)."
    )
