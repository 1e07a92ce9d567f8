"""Benchmark: `sa run` of the seven assessment notebooks against a floor of trivial ones.

Both are measured the same way, in the same process, through the runner's own code path
(:func:`sa_toolkit.runner.run_assessment`: papermill in as many worker processes as
``--jobs``, each notebook rendered to HTML in its worker):

* **floor**: seven trivial notebooks, each with the standard ``parameters`` cell, that
  import pandas, matplotlib and seaborn and draw one figure (what any notebook costs:
  kernel start-up, imports, one figure, rendering);
* **assessment**: the project's ``notebooks/NN_*.ipynb`` on the demo data.

It prints both wall times, their ratio (target: at most 2x) and each notebook's time from
the run's ``manifest.json``. Runs alternate floor / assessment ``--repeat`` times and the
best of each is compared, so a busy moment on the machine does not favour one side.

Everything is written under a temporary project (config, reports), never into the
project's ``reports/``. Demo data are generated once into ``benchmarks/_work/assessment/``
(git-ignored) unless ``--raw-dir`` and ``--processed-dir`` point at existing ones.

Usage: ``python benchmarks/run_assessment.py [--repeat 2] [--jobs 0]
[--raw-dir DIR --processed-dir DIR] [--regenerate]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work" / "assessment"
NAMES = [
    "00_floor", "01_floor", "02_floor", "03_floor", "04_floor", "05_floor", "06_floor",
]  # fmt: skip

FLOOR_CODE = """\
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

frame = pd.DataFrame({"month": np.arange(24), "offences": np.arange(24) % 7 + 20})
fig, ax = plt.subplots(figsize=(8, 4))
sns.lineplot(data=frame, x="month", y="offences", ax=ax)
ax.set_title("A trivial figure")
plt.show()"""


def _sa() -> list[str]:
    script = Path(sys.executable).with_name("sa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sa_toolkit.cli"]


def ensure_demo(raw: Path, processed: Path, regenerate: bool) -> None:
    """Generate the full-scale demo data and ingest it, unless already there."""
    if regenerate:
        shutil.rmtree(raw, ignore_errors=True)
        shutil.rmtree(processed, ignore_errors=True)
    if not (processed / "_ingest_log.json").is_file():
        print(f"Generating demo data in {raw.parent} (once)...", flush=True)
        for args in (
            ["demo", "--raw-dir", str(raw)],
            ["ingest", "--raw-dir", str(raw), "--processed-dir", str(processed)],
        ):
            subprocess.run([*_sa(), *args], cwd=ROOT, check=True, capture_output=True)


def write_floor_notebooks(folder: Path) -> None:
    """Seven trivial notebooks with the standard parameters cell."""
    from sa_toolkit.notebook_params import PARAMETERS

    folder.mkdir(parents=True, exist_ok=True)
    defaults = {"suppression_threshold": "0"}
    params = "\n".join(f"{p} = {defaults.get(p, repr(''))}" for p in PARAMETERS)
    for name in NAMES:
        nb = new_notebook(
            cells=[
                new_markdown_cell(f"# Floor {name[:2]}\n\nA trivial notebook."),
                new_code_cell(params, metadata={"tags": ["parameters"]}),
                new_code_cell(FLOOR_CODE),
            ],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        )
        nbformat.write(nb, folder / f"{name}.ipynb")


def write_config(project: Path, raw: Path, processed: Path, reports: Path) -> Path:
    """The project's configuration with data and report folders pointed elsewhere."""
    doc = yaml.safe_load((ROOT / "config" / "assessment.yml").read_text(encoding="utf-8"))
    doc.setdefault("data", {}).update(raw_dir=str(raw), processed_dir=str(processed))
    doc.setdefault("reports", {})["output_dir"] = str(reports)
    doc.setdefault("partnership", {})["lookup"] = str(
        raw / "geography" / "lsoa_ward_csp_lookup.csv"
    )
    path = project / "config" / "assessment.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (workers, kernels)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_run(config: Path, notebooks: Path, jobs: int | None) -> tuple[float, float, dict]:
    """Wall time and CPU seconds of one runner call, and the manifest it wrote.

    CPU counts the parent, its worker processes and their kernels (all waited for
    when the run returns), so it shows the work done whatever else loads the machine.
    """
    from rich.console import Console

    from sa_toolkit.config import load_config
    from sa_toolkit.runner import run_assessment

    cfg = load_config(config)
    console = Console(stderr=True, quiet=True)
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = run_assessment(cfg, jobs=jobs, console=console, notebooks_dir=notebooks)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    manifest = json.loads((result.report_dir / "manifest.json").read_text(encoding="utf-8"))
    for nb in result.notebooks:
        if nb.status != "succeeded":
            print(f"  warning: {nb.name} failed: {nb.error}", flush=True)
    return seconds, cpu, manifest, all(nb.status == "succeeded" for nb in result.notebooks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs of each")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at once (0 = cores)")
    parser.add_argument("--raw-dir", type=Path, default=WORK / "raw")
    parser.add_argument("--processed-dir", type=Path, default=WORK / "processed")
    parser.add_argument("--regenerate", action="store_true", help="generate the demo data again")
    args = parser.parse_args(argv)
    raw, processed = args.raw_dir.resolve(), args.processed_dir.resolve()
    ensure_demo(raw, processed, args.regenerate)

    with tempfile.TemporaryDirectory(prefix="sa-bench-run-") as tmp:
        tmp = Path(tmp)
        floor_dir = tmp / "floor_notebooks"
        write_floor_notebooks(floor_dir)
        configs = {
            "floor": write_config(tmp / "floor", raw, processed, tmp / "floor" / "reports"),
            "assessment": write_config(
                tmp / "assessment", raw, processed, tmp / "assessment" / "reports"
            ),
        }
        notebooks = {"floor": floor_dir, "assessment": ROOT / "notebooks"}
        times: dict[str, list[float]] = {"floor": [], "assessment": []}
        cpus: dict[str, list[float]] = {"floor": [], "assessment": []}
        manifests: dict[str, dict] = {}
        for i in range(args.repeat):
            for kind in ("floor", "assessment"):
                seconds, cpu, manifest, complete = timed_run(
                    configs[kind], notebooks[kind], args.jobs
                )
                load = os.getloadavg()[0]
                print(
                    f"run {i + 1}: {kind:<10} {seconds:6.1f} s   CPU {cpu:6.1f} s   "
                    f"(load {load:.1f})"
                    + ("" if complete else "   not counted: a notebook failed"),
                    flush=True,
                )
                if not complete:  # a failed notebook did less work: its time is no measure
                    continue
                times[kind].append(seconds)
                cpus[kind].append(cpu)
                if seconds <= min(times[kind]):
                    manifests[kind] = manifest

    if not times["floor"] or not times["assessment"]:
        print("No complete run of each kind: no ratio.")
        return 1

    floor, assessment = min(times["floor"]), min(times["assessment"])
    ratio = assessment / floor
    jobs = args.jobs if args.jobs is not None else "config (0 = cores)"
    print()
    print(f"sa run, seven notebooks, jobs={jobs}, best of {args.repeat}")
    print(f"  floor (trivial notebooks): {floor:6.1f} s")
    print(f"  assessment (demo data):    {assessment:6.1f} s")
    print(f"  ratio:                     {ratio:6.2f}x   (target <= 2.00x)")
    mid_floor, mid_assessment = (
        statistics.median(times["floor"]),
        statistics.median(times["assessment"]),
    )
    print(
        f"  median of each:            {mid_floor:6.1f} s / {mid_assessment:6.1f} s = "
        f"{mid_assessment / mid_floor:.2f}x (the spread of a shared machine)"
    )
    floor_cpu, assessment_cpu = min(cpus["floor"]), min(cpus["assessment"])
    print(
        f"  CPU s (parent, workers, kernels; least of each): floor {floor_cpu:.1f}, "
        f"assessment {assessment_cpu:.1f}, ratio {assessment_cpu / floor_cpu:.2f}x"
    )
    print()
    print("Per notebook (seconds in its worker: execution + rendering), fastest assessment run:")
    floor_nb = {n["name"][:2]: n["seconds"] for n in manifests["floor"]["notebooks"]}
    for nb in manifests["assessment"]["notebooks"]:
        print(
            f"  {nb['name']:<28} {nb['seconds']:6.1f} s   (floor {floor_nb.get(nb['name'][:2], float('nan')):.1f} s)"
        )
    total = sum(n["seconds"] for n in manifests["assessment"]["notebooks"])
    total_floor = sum(floor_nb.values())
    print(f"  {'sum':<28} {total:6.1f} s   (floor {total_floor:.1f} s)")
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
