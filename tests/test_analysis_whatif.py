"""What-if: alter the demo data and check that the findings and traffic lights follow.

A small demo (``sa demo --scale 0.05`` -> ``sa ingest``) is made once; each test copies
its processed tables, changes the knife flag of some incidents of the assessed year in
the Parquet files (so knife crime rises or falls by a third against the year before),
and checks the violent crime key finding and the NI 28 row of the performance framework.
The expected counts are worked out here from the Parquet files, not by the analysis.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from sa_toolkit.analysis import violent_crime as vc
from sa_toolkit.config import load_config
from sa_toolkit.tables import partnership_lsoas

REPO = Path(__file__).resolve().parents[1]
SA = [str(Path(sys.executable).with_name("sa"))]


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("whatif")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for args in (
        ["demo", "--scale", "0.05", "--raw-dir", str(root / "raw")],
        ["ingest", "--raw-dir", str(root / "raw"), "--processed-dir", str(root / "processed")],
    ):
        proc = subprocess.run(
            [*SA, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return root


def _config(root: Path):
    """The project's configuration with the partnership's target for NI 28 (-5%, the seed
    plan's) for the assessed year: the package ships no targets."""
    import yaml

    doc = yaml.safe_load((REPO / "config" / "assessment.yml").read_text(encoding="utf-8"))
    year = load_config(None).year
    targets = root / "targets.csv"
    targets.write_text(
        "indicator_id,year,target_type,target,source,agreed_by\n"
        f"NI28,{year.label},relative_change,-5%,Test plan,Test board\n",
        encoding="utf-8",
    )
    doc.setdefault("performance", {})["targets"] = str(targets)
    doc.setdefault("data", {}).update(
        raw_dir=str(root / "raw"), processed_dir=str(root / "processed")
    )
    path = root / "assessment.yml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return load_config(path)


def _year_files(processed: Path, year) -> list[Path]:
    folders = [processed / "crime_incidents" / f"period={m.strftime('%Y-%m')}" for m in year.months]
    return [f for folder in folders for f in sorted(folder.glob("*.parquet"))]


def _knife_count(processed: Path, year, lsoas: set[str]) -> int:
    total = 0
    for file in _year_files(processed, year):
        table = pq.read_table(file, columns=["lsoa_code", "knife_or_sharp_instrument"])
        local = pc.is_in(table["lsoa_code"].cast(pa.string()), pa.array(sorted(lsoas)))
        knife = pc.fill_null(table["knife_or_sharp_instrument"], False)
        total += pc.sum(pc.and_(pc.fill_null(local, False), knife)).as_py() or 0
    return total


def _set_knife_count(processed: Path, year, lsoas: set[str], wanted: int) -> None:
    """Flip knife flags of local violence in ``year`` until it has ``wanted`` knife crimes."""
    to_flip = wanted - _knife_count(processed, year, lsoas)
    make_knife = to_flip > 0
    for file in _year_files(processed, year):
        if to_flip == 0:
            break
        table = pq.read_table(file)
        flags = table["knife_or_sharp_instrument"].to_pylist()
        codes = table["lsoa_code"].cast(pa.string()).to_pylist()
        groups = table["offence_group"].cast(pa.string()).to_pylist()
        for i, (flag, code, group) in enumerate(zip(flags, codes, groups, strict=True)):
            if to_flip == 0 or code not in lsoas:
                continue
            if make_knife and not flag and group == "Violence against the person":
                flags[i], to_flip = True, to_flip - 1
            elif not make_knife and flag:
                flags[i], to_flip = False, to_flip + 1
        column = table.schema.get_field_index("knife_or_sharp_instrument")
        table = table.set_column(
            column,
            table.schema.field(column),
            pa.array(flags, type=table.schema.field(column).type),
        )
        pq.write_table(table, file)
    assert to_flip == 0, "not enough incidents to flip"


def _altered(small_demo: Path, tmp_path: Path, factor: float):
    root = tmp_path / "project"
    shutil.copytree(small_demo, root)
    cfg = _config(root)
    lsoas = set(partnership_lsoas(cfg))
    processed = root / "processed"
    before = _knife_count(processed, cfg.year.previous(), lsoas)
    after = round(before * factor)
    _set_knife_count(processed, cfg.year, lsoas, after)
    assert _knife_count(processed, cfg.year, lsoas) == after
    return root, cfg, before, after


def _knife_finding_and_light(cfg):
    data = vc.load(cfg)
    summary = vc.year_summary(data)
    framework = vc.framework_rows(data)
    found = vc.key_findings(data, summary, framework)
    ni28 = framework.set_index("indicator_id").loc["NI28"]
    return found, ni28


def test_knife_crime_rising_by_a_third_turns_the_finding_and_the_light_red(small_demo, tmp_path):
    root, cfg, before, after = _altered(small_demo, tmp_path, 4 / 3)
    percent = round((after - before) / before * 100)
    assert 30 <= percent <= 36
    found, ni28 = _knife_finding_and_light(cfg)
    knife = next(f for f in found if f.startswith("Knife crime"))
    assert knife.startswith(
        f"Knife crime rose {percent}% ({before:,} to {after:,} offences), missing the -5% target"
    )
    assert ni28["rag"] == "R"
    assert ni28["rag_label"].startswith("Red: target -5% missed")
    assert ni28["change"] > 25  # the rate rises with the count (population nearly flat)

    # the rendered notebook says the same (one papermill run, in its own process)
    out = tmp_path / "out.ipynb"
    proc = subprocess.run(
        [sys.executable, "-m", "papermill", str(REPO / "notebooks" / "01_violent_crime.ipynb"),
         str(out), "-k", "python3", "-p", "processed_dir", str(root / "processed"),
         "-p", "raw_dir", str(root / "raw"), "-p", "output_dir", str(tmp_path / "report"),
         "-p", "config_path", str(root / "assessment.yml")],
        cwd=REPO / "notebooks", capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = json.dumps(json.loads(out.read_text())["cells"])
    assert f"Knife crime rose {percent}% ({before:,} to {after:,} offences)" in html
    assert (
        "Serious knife crime rate per 1,000 population (formerly NI 28): Red: target -5% missed"
        in html
    )


def test_knife_crime_falling_by_a_third_meets_the_target(small_demo, tmp_path):
    _, cfg, before, after = _altered(small_demo, tmp_path, 2 / 3)
    percent = round((before - after) / before * 100)
    found, ni28 = _knife_finding_and_light(cfg)
    knife = next(f for f in found if f.startswith("Knife crime"))
    assert knife.startswith(
        f"Knife crime fell {percent}% ({before:,} to {after:,} offences), better than the -5% target"
    )
    assert ni28["rag"] == "G"
    assert ni28["rag_label"].startswith("Green")
