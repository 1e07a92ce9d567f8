"""The year's run log (``run_log.html``) and ``manifest.json``.

The run log is one link from the summary page (``index.html``, written by
:mod:`sa_toolkit.summary_page`): partnership, year, one link, status, headline and run
time per report (a failed report is marked failed), the run date and the data
provenance (each input file with rows read, rows rejected and SHA-256, from the ingest
log ``data/processed/_ingest_log.json``; each boundary layer as read, with what was kept
and its SHA-256, from ``data/processed/_boundaries_log.json``). The manifest records what
is needed to reproduce the run: parameters, package versions, git commit, inputs,
boundary files and each notebook's status and duration.
"""

from __future__ import annotations

import html
import json
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sa_toolkit import demo_data
from sa_toolkit.config import Config

INGEST_LOG = "_ingest_log.json"
#: written by ``sa ingest`` (:mod:`sa_toolkit.ingest.boundaries`; not imported: it loads polars)
BOUNDARIES_LOG = "_boundaries_log.json"
LEVEL_WORDS = {"lsoa": "LSOA", "msoa": "MSOA", "ward": "Ward", "lad": "Local authority"}
CRS_WORDS = {
    "EPSG:4326": "longitude and latitude (EPSG:4326)",
    "EPSG:27700": "British National Grid (EPSG:27700)",
}
#: Packages whose versions the manifest records.
RECORDED_PACKAGES = (
    "sa-toolkit",
    "pandas",
    "numpy",
    "pyarrow",
    "polars",
    "pandera",
    "scipy",
    "statsmodels",
    "PHStatsMethods",
    "matplotlib",
    "seaborn",
    "afcharts",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
)


def load_ingest_log(processed_dir: Path) -> list[dict[str, Any]]:
    """The input files recorded by ``sa ingest`` (empty when there is no log).

    Accepts the log as a list of file records or as a mapping with a ``files`` list;
    each record has ``dataset, file, sha256, rows_in, rows_kept, rows_rejected``.
    """
    path = Path(processed_dir) / INGEST_LOG
    if not path.is_file():
        return []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    records = doc.get("files", []) if isinstance(doc, dict) else doc
    if isinstance(records, dict):  # keyed by file name
        records = [{"file": k, **v} for k, v in records.items() if isinstance(v, dict)]
    keep = ("dataset", "file", "sha256", "rows_in", "rows_kept", "rows_rejected", "encoding")
    return [
        {k: rec.get(k) for k in keep}
        for rec in records
        if isinstance(rec, dict) and rec.get("file")
    ]


def load_boundary_files(processed_dir: Path) -> dict[str, Any]:
    """The boundary layers ``sa ingest`` read (``files``) and how the data's codes matched
    them (``matching``); empty lists without boundary files.

    Each file record: ``file, layer, level, vintage, crs, features, kept, in_partnership,
    neighbours, sha256``.
    """
    path = Path(processed_dir) / BOUNDARIES_LOG
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": [], "matching": {}}
    keep = (
        "file", "layer", "level", "vintage", "crs", "features", "kept", "in_partnership",
        "neighbours", "sha256",
    )  # fmt: skip
    files = [
        {k: rec.get(k) for k in keep}
        for rec in doc.get("files", [])
        if isinstance(rec, dict) and rec.get("file")
    ]
    matching = doc.get("matching") if isinstance(doc.get("matching"), dict) else {}
    return {"files": files, "matching": matching}


def _boundary_section(boundaries: dict[str, Any]) -> str:
    """The run log's table of boundary files: each layer as read and what was kept."""
    e = html.escape
    files = boundaries.get("files") or []
    if not files:
        return ""
    rows = []
    for f in files:
        kind = f"{LEVEL_WORDS.get(str(f.get('level')), str(f.get('level') or ''))} {f.get('vintage') or ''}"
        name = str(f["file"]) + (f" (layer {f['layer']})" if f.get("layer") else "")
        kept = f.get("kept")
        kept_text = (
            f"{_num(kept)} ({_num(f.get('in_partnership'))} in the partnership, "
            f"{_num(f.get('neighbours'))} neighbours)"
            if kept is not None
            else "none"
        )
        rows.append(
            f"<tr><td>{e(name)}</td><td>{e(kind.strip())}</td>"
            f"<td>{e(CRS_WORDS.get(str(f.get('crs')), str(f.get('crs') or '')))}</td>"
            f'<td class="num">{_num(f.get("features"))}</td><td>{e(kept_text)}</td>'
            f'<td class="hash">{e(str(f.get("sha256") or ""))}</td></tr>'
        )
    matched = []
    for level, m in sorted((boundaries.get("matching") or {}).items()):
        if not isinstance(m, dict):
            continue
        matched.append(
            f"<li>{e(LEVEL_WORDS.get(level, level))} boundaries ({e(str(m.get('vintage', '')))}): "
            f"{_num(m.get('codes_with_polygon'))} of the partnership's "
            f"{_num(m.get('codes_in_data'))} codes in the data have a polygon, "
            f"{_num(m.get('codes_without_polygon'))} have none; "
            f"{_num(m.get('polygons_without_data'))} polygons in the partnership have no data.</li>"
        )
    return (
        "<h3>Boundary files</h3>"
        f"<p>{len(files)} boundary layers read for the maps; each keeps the partnership's "
        "areas and its neighbours, in British National Grid.</p>"
        "<table><caption>Boundary files read for the maps, with the areas kept</caption>"
        "<thead><tr><th>File</th><th>Layer</th><th>Read as</th><th>Features</th>"
        "<th>Kept</th><th>SHA-256</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        + (f"<ul>{''.join(matched)}</ul>" if matched else "")
    )


def source_coverage(cfg: Config) -> list[dict[str, Any]]:
    """Per monthly source, the months it holds and the months missing (``coverage``).

    One entry per month-partitioned processed table that was ingested: ``table, source``
    (plain name), ``first, last, months`` (count), ``gaps`` (months missing between the
    first and the last) and ``missing_in_year`` / ``missing_in_previous`` (months of the
    assessed year and the year before that the source lacks; all twelve when it holds
    none of that year). Months are ``YYYY-MM`` text.
    """
    from sa_toolkit.coverage import SOURCE_NAMES, table_coverage

    out = []
    for table in SOURCE_NAMES:
        cov = table_coverage(table, cfg.processed_dir)
        if cov.months.empty:
            continue
        out.append(
            {
                "table": table,
                "source": cov.name[4:] if cov.name.startswith("the ") else cov.name,
                "first": str(cov.months[0]),
                "last": str(cov.months[-1]),
                "months": len(cov.months),
                "gaps": [str(m) for m in cov.gaps],
                "missing_in_year": [str(m) for m in cov.missing_in(cfg.year)],
                "missing_in_previous": [str(m) for m in cov.missing_in(cfg.year.previous())],
            }
        )
    return out


def _coverage_section(cfg: Config, coverage: list[dict[str, Any]]) -> str:
    """The index's "Months covered" table: each source's months with the gaps named."""
    import pandas as pd

    from sa_toolkit.coverage import MIN_MONTHS_COMPARED, months_in_words, span_in_words

    e = html.escape
    if not coverage:
        return "<p>No monthly data were found in the processed data folder.</p>"

    def words(months: list[str], whole: str) -> str:
        if len(months) == 12:
            return whole
        return months_in_words(pd.PeriodIndex(months, freq="M")) if months else "none"

    rows = []
    for c in coverage:
        span = span_in_words(pd.PeriodIndex([c["first"], c["last"]], freq="M"))
        rows.append(
            "<tr>"
            f"<td>{e(c['source'][:1].upper() + c['source'][1:])}</td>"
            f"<td>{e(span)} ({c['months']} months)</td>"
            f"<td>{e(words(c['gaps'], 'none'))}</td>"
            f"<td>{e(words(c['missing_in_previous'], 'all (no data for the year)'))}</td>"
            f"<td>{e(words(c['missing_in_year'], 'all (no data for the year)'))}</td>"
            "</tr>"
        )
    return (
        "<p>A month missing from a source is a gap, never a zero: charts break their line "
        "there, and a comparison of two years uses the months both hold (like for like), or "
        f"is not made when fewer than {MIN_MONTHS_COMPARED} are left.</p>"
        "<table><caption>Months each source holds, with the months missing</caption>"
        "<thead><tr><th>Source</th><th>Months held</th>"
        "<th>Missing between first and last month</th>"
        f"<th>Missing from {e(cfg.year.previous().label)}</th>"
        f"<th>Missing from {e(cfg.year.label)}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def package_versions(names: Sequence[str] = RECORDED_PACKAGES) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit(root: Path) -> dict[str, Any]:
    """The project's commit and whether the working tree had changes (None outside git)."""

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def build_manifest(
    cfg: Config,
    parameters: dict[str, Any],
    results: Sequence[Any],
    inputs: list[dict[str, Any]],
    run_seconds: float,
    only: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The run's manifest as a JSON-ready dict."""
    return {
        "partnership": {"name": cfg.partnership_name, "code": cfg.partnership_code},
        "year": cfg.year.label,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_seconds": round(run_seconds, 2),
        "notebooks_run": list(only or []),
        "parameters": parameters,
        "config_file": str(cfg.source) if cfg.source else None,
        "git": git_commit(cfg.root),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "inputs": inputs,
        "boundary_files": load_boundary_files(cfg.processed_dir)["files"],
        "coverage": source_coverage(cfg),
        "notebooks": [
            {
                "name": r.name,
                "title": r.title,
                "status": r.status,
                "seconds": r.seconds,
                "headline": r.headline,
                "error": r.error,
                "warnings": r.warnings,
                "html": f"{r.name}.html",
                "ipynb": f"{r.name}.ipynb",
            }
            for r in results
        ],
    }


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #0b0c0c;
       max-width: 60rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
.sub { color: #505a5f; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; font-size: 0.95rem; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #b1b4b6;
         vertical-align: top; }
th { background: #f3f2f1; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.hash { font-family: ui-monospace, monospace; font-size: 0.8rem; word-break: break-all; }
.status-failed { color: #d4351c; font-weight: bold; }
.status-succeeded { color: #00703c; }
.failed-error { color: #d4351c; font-size: 0.9rem; }
details summary { cursor: pointer; margin-bottom: 0.5rem; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0.3rem 0; }
tbody th { background: none; font-weight: normal; }
.sa-table-wrap { overflow-x: auto; }
.sa-number { font-weight: bold; }
.sa-demo-notice { border: 3px solid #d4351c; padding: 0.6rem 0.9rem; background: #fef7f6; }
"""


def render_run_log(
    cfg: Config,
    results: Sequence[Any],
    inputs: list[dict[str, Any]],
    manifest: dict[str, Any],
) -> str:
    """The run log page (self-contained: inline CSS, no remote resources).

    Its tables are captioned and numbered, with column and row headers, as the
    reports' are (:func:`sa_toolkit.report_access.make_accessible`)."""
    e = html.escape
    rows = []
    for r in results:
        status = "Failed" if r.status == "failed" else "Complete"
        headline = e(r.headline) if r.headline else ""
        if r.status == "failed":
            headline = (
                f'<span class="failed-error">This report failed: {e(r.error or "unknown error")}'
                "</span>"
            )
        rows.append(
            f'<tr><td><a href="{e(r.name)}.html">{e(r.title)}</a></td>'
            f'<td class="status-{e(r.status)}">{status}</td><td>{headline}</td>'
            f'<td class="num">{r.seconds:.1f}</td></tr>'
        )
    if inputs:
        prov_rows = "".join(
            f"<tr><td>{e(str(i['file']))}</td><td>{e(str(i.get('dataset') or ''))}</td>"
            f'<td class="num">{_num(i.get("rows_in"))}</td>'
            f'<td class="num">{_num(i.get("rows_kept"))}</td>'
            f'<td class="num">{_num(i.get("rows_rejected"))}</td>'
            f"<td>{e(str(i.get('encoding') or ''))}</td>"
            f'<td class="hash">{e(str(i.get("sha256") or ""))}</td></tr>'
            for i in inputs
        )
        total_in = sum(int(i.get("rows_in") or 0) for i in inputs)
        total_rej = sum(int(i.get("rows_rejected") or 0) for i in inputs)
        by_dataset: dict[str, list[int]] = {}
        for i in inputs:
            totals = by_dataset.setdefault(str(i.get("dataset") or ""), [0, 0, 0, 0])
            totals[0] += 1
            for k, key in enumerate(("rows_in", "rows_kept", "rows_rejected"), start=1):
                totals[k] += int(i.get(key) or 0)
        summary_rows = "".join(
            f"<tr><td>{e(name)}</td>"
            + "".join(f'<td class="num">{v:,}</td>' for v in totals)
            + "</tr>"
            for name, totals in sorted(by_dataset.items())
        )
        provenance = (
            f"<p>{len(inputs)} input files, {total_in:,} rows read, {total_rej:,} rows rejected "
            "(rejected rows are listed in <code>data/processed/rejects/</code>).</p>"
            "<table><caption>Input files and rows read, kept and rejected, by dataset</caption>"
            "<thead><tr><th>Dataset</th><th>Files</th><th>Rows read</th>"
            "<th>Rows kept</th><th>Rows rejected</th></tr></thead>"
            f"<tbody>{summary_rows}</tbody></table>"
            f"<details><summary>Each input file with its SHA-256 checksum ({len(inputs)} files)"
            "</summary>"
            "<table><caption>Each input file with its rows and SHA-256 checksum</caption>"
            "<thead><tr><th>File</th><th>Dataset</th><th>Rows read</th>"
            "<th>Rows kept</th><th>Rows rejected</th><th>Read as</th><th>SHA-256</th></tr></thead>"
            f"<tbody>{prov_rows}</tbody></table></details>"
        )
    else:
        provenance = (
            "<p>No ingest log was found in the processed data folder: run "
            "<code>sa ingest</code> to record the input files.</p>"
        )
    provenance += _boundary_section(load_boundary_files(cfg.processed_dir))
    from sa_toolkit.geography import reader_notes

    geography_notes = reader_notes(cfg.processed_dir, cfg.partnership_code)
    if geography_notes:
        provenance += (
            "<h3>Geography</h3><ul>"
            + "".join(f"<li>{e(note)}</li>" for note in geography_notes)
            + "</ul>"
        )
    failed = [r for r in results if r.status == "failed"]
    summary = (
        f'<p class="status-failed">{len(failed)} of {len(results)} reports failed.</p>'
        if failed
        else f"<p>All {len(results)} reports rendered.</p>"
    )
    run_date = datetime.fromisoformat(manifest["generated_at"]).strftime("%d %B %Y, %H:%M UTC")
    commit = manifest.get("git", {}).get("commit")
    commit_text = f", toolkit commit {e(commit[:10])}" if commit else ""
    title = f"{cfg.partnership_name}: strategic assessment {cfg.year.label}, run log"
    demo_notice = (
        f'<p class="sa-demo-notice"><strong>{e(demo_data.NOTICE)}</strong></p>'
        if manifest.get("synthetic_demo")
        else ""
    )
    from sa_toolkit.report_access import make_accessible

    return make_accessible(f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<p><a href="index.html">Back to the summary</a></p>
{demo_notice}
<h1>{e(cfg.partnership_name)}: run log</h1>
<p class="sub">Strategic assessment {e(cfg.year.label)} (April {cfg.year.start_year} to March
{cfg.year.start_year + 1}), baseline year {e(cfg.baseline_year.label)}.
Partnership code {e(cfg.partnership_code)}.</p>
<p>Run on {e(run_date)}{commit_text}.</p>
<h2>Reports</h2>
{summary}{_summary_error(manifest)}
<table><caption>Each report's status, headline and run time</caption>
<thead><tr><th>Report</th><th>Status</th><th>Headline</th><th>Run time (s)</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
<h2>Months covered</h2>
{_coverage_section(cfg, manifest.get("coverage") or source_coverage(cfg))}
<h2>Data provenance</h2>
{provenance}
{_not_supplied_section(cfg)}
<p>Parameters, package versions and checksums are in <a href="manifest.json">manifest.json</a>.</p>
</main>
</body>
</html>
""")


def _summary_error(manifest: dict[str, Any]) -> str:
    """Why the summary page could not be computed (the page itself points here)."""
    error = manifest.get("summary_error")
    if not error:
        return ""
    return f'<p class="status-failed">The summary could not be computed: {html.escape(error)}</p>'


def _not_supplied_section(cfg: Config) -> str:
    """The analyst's detail behind the reports' "Not available" notes: each dataset the
    processed data lack, the file expected in the raw data folder and where to get it; and
    how to enter the indicators no dataset carries (the reports say so in words)."""
    from sa_toolkit.analysis.priority_common import missing_datasets

    e = html.escape
    try:
        missing = missing_datasets(cfg)
    except Exception:  # noqa: BLE001 - the run log is written even if a spec cannot load
        return ""
    entering = (
        "<p>Indicators that no dataset carries are shown as tbc in the reports: enter their "
        "baseline and actual values in a file and build the framework with "
        "<code>sa framework --values FILE</code> (see the analyst's guide).</p>"
    )
    if not missing:
        return f"<h3>Data not supplied</h3><p>Every dataset was supplied.</p>{entering}"
    rows = "".join(
        f"<tr><td>{e(m['title'][:1].upper() + m['title'][1:])}</td><td>{e(m['file'])}</td>"
        f"<td>{e(m['origin'])}</td></tr>"
        for m in missing
    )
    return (
        "<h3>Data not supplied</h3>"
        f"<p>{len(missing)} dataset(s) were not supplied: the reports say which sections are "
        "not available. Put each file in the raw data folder and run <code>sa ingest</code> "
        "and <code>sa run</code> again.</p>"
        "<table><caption>Datasets not supplied, the file expected and where to get it</caption>"
        "<thead><tr><th>Dataset</th><th>File expected in the raw data folder</th>"
        f"<th>Where to get it</th></tr></thead><tbody>{rows}</tbody></table>{entering}"
    )


def _num(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return html.escape(str(value))
