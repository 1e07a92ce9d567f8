"""``index.html``: the assessment's summary for the board, one page.

What a board member with twenty minutes reads: the year in one page, the recommended
priorities for the coming plan year with their reasons, what changed since last year's
assessment, and a link to each report. The run log and data provenance are one link away
(``run_log.html``, :func:`sa_toolkit.report_index.render_run_log`). Self-contained: inline
CSS, no scripts, nothing fetched.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from sa_toolkit import demo_data
from sa_toolkit.config import Config
from sa_toolkit.report_index import _CSS

RUN_LOG = "run_log.html"
_EXTRA_CSS = """
.sa-demo-notice { border: 3px solid #d4351c; padding: 0.6rem 0.9rem; background: #fef7f6; }
.sa-draft { border-left: 6px solid #f47738; padding: 0.4rem 0.9rem; background: #fff7f0; }
.rec { display: inline-block; min-width: 4.5em; padding: 0.1em 0.5em; border-radius: 0.3em;
       font-weight: bold; text-align: center; border: 2px solid #0b0c0c; }
.rec-keep { background: #12436d; color: #fff; border-color: #12436d; }
.rec-add { background: #801650; color: #fff; border-color: #801650; }
.rec-watch { background: #fff; color: #0b0c0c; }
.rec-drop { background: #f3f2f1; color: #0b0c0c; border-style: dashed; }
ul.tight { margin-top: 0.2rem; padding-left: 1.2rem; }
.nav { font-size: 0.95rem; }
@media print {
  .nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  table, tr { break-inside: avoid; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
}
"""


def _list(items: Sequence[str], empty: str) -> str:
    if not items:
        return f"<p>{html.escape(empty)}</p>"
    return '<ul class="tight">' + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _recommendations(summary: dict) -> str:
    e = html.escape
    rows = []
    for r in summary.get("recommendations", []):
        reasons = _list(r.get("reasons", []), "")
        note = ""
        if r.get("set_by") == "analyst":
            computed = r.get("computed")
            note = (
                f"<p><em>Set by the analyst; the toolkit's rule gave "
                f"{e(computed) if computed else 'no recommendation'}.</em></p>"
            )
        rows.append(
            f'<tr><th scope="row">{e(r["name"])}</th>'
            f'<td><span class="rec rec-{e(r["recommendation"])}">'
            f"{e(r['recommendation'].capitalize())}</span></td><td>{reasons}{note}</td></tr>"
        )
    return (
        f"<table><caption>Recommended priorities for {e(summary['plan_year'])}</caption>"
        '<thead><tr><th scope="col">Priority</th><th scope="col">Recommendation</th>'
        f'<th scope="col">Reasons</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        "<p>Keep: a target was missed, a measure worsened significantly or the "
        "priority-setting matrix scores it high. Watch: a measure is amber, or the matrix "
        "scores it medium or its trend is getting worse. Drop: every rated measure is green "
        "(its measures stay in the performance framework). Add: the matrix scores a crime "
        "category high that no priority covers. The analyst may change a recommendation "
        "before publishing; a changed one says so.</p>"
    )


def _value(value, unit) -> str:
    from sa_toolkit import findings

    if value is None:
        return "n/a"
    if unit == "percent":
        return f"{findings.format_number(value, 1)}%"
    if unit == "count":
        return findings.format_number(value)
    return findings.format_number(value, 2)


def _changes(changes: dict | None, summary: dict, previous_state: str | None) -> str:
    e = html.escape
    if changes is None:
        return (
            f"<p>There is no earlier assessment ({e(_previous_label(summary))}) in the reports "
            "folder to compare with: this section fills in from next year's assessment.</p>"
        )
    parts = [
        f"<p>Compared with the {e(previous_state or 'rendered')} {e(str(changes['year']))} "
        "assessment.</p>"
    ]
    crime = changes.get("crime") or {}
    if crime.get("before") is not None and crime.get("now") is not None:
        from sa_toolkit import findings

        parts.append(
            f"<p>Recorded crime: {findings.format_number(crime['before'])} in "
            f"{e(str(changes['year']))}, {findings.format_number(crime['now'])} in "
            f"{e(summary['year'])}.</p>"
        )
    if changes["measures"]:
        rows = "".join(
            f'<tr><th scope="row">{e(m["name"])}</th>'
            f"<td>{e(m['rag_before'])} ({_value(m['actual_before'], m['unit'])})</td>"
            f"<td>{e(m['rag_now'])} ({_value(m['actual_now'], m['unit'])})</td></tr>"
            for m in changes["measures"]
        )
        parts.append(
            "<table><caption>Measures whose traffic light changed since last year's "
            f"assessment ({changes['unchanged']} others unchanged)</caption>"
            f'<thead><tr><th scope="col">Measure</th><th scope="col">{e(str(changes["year"]))}'
            f'</th><th scope="col">{e(summary["year"])}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    else:
        parts.append(
            f"<p>No measure's traffic light changed ({changes['unchanged']} compared).</p>"
        )
    if changes["new_measures"]:
        parts.append(f"<p>New measures this year: {e(', '.join(changes['new_measures']))}.</p>")
    if changes["dropped_measures"]:
        parts.append(
            f"<p>Measures no longer reported: {e(', '.join(changes['dropped_measures']))}.</p>"
        )
    rows = "".join(
        f'<tr><th scope="row">{e(r["name"])}</th>'
        f"<td>{e((r['before'] or 'not listed').capitalize())}</td>"
        f"<td>{e((r['now'] or 'not listed').capitalize())}</td></tr>"
        for r in changes["recommendations"]
    )
    parts.append(
        "<table><caption>Recommended priorities then and now</caption>"
        f'<thead><tr><th scope="col">Priority</th><th scope="col">{e(str(changes["year"]))}'
        f'</th><th scope="col">{e(summary["year"])}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return "".join(parts)


def _previous_label(summary: dict) -> str:
    from sa_toolkit.periods import FinancialYear

    return FinancialYear.parse(summary["year"]).previous().label


def _reports(results: Sequence[Any]) -> str:
    e = html.escape
    items = []
    for r in results:
        if r.status == "failed":
            text = '<span class="status-failed">This report failed; see the run log.</span>'
        else:
            text = e(r.headline or "")
        items.append(f'<li><a href="{e(r.name)}.html">{e(r.title)}</a>: {text}</li>')
    return "<ul>" + "".join(items) + "</ul>"


def render_summary_page(
    cfg: Config,
    results: Sequence[Any],
    manifest: dict[str, Any],
    summary: dict | None,
    changes: dict | None = None,
    previous_state: str | None = None,
    summary_error: str | None = None,
    document: str | None = None,
) -> str:
    """The summary page (``index.html``)."""
    e = html.escape
    demo = (
        f'<p class="sa-demo-notice"><strong>{e(demo_data.NOTICE)}</strong></p>'
        if manifest.get("synthetic_demo")
        else ""
    )
    pending = manifest.get("to_be_written") or []
    draft = ""
    if pending:
        draft = (
            '<div class="sa-draft"><p><strong>Draft.</strong> The analyst\'s text is still to '
            f"be written for {len(pending)} part(s), so this assessment cannot be published "
            "yet:</p>" + _list(pending, "") + "</div>"
        )
    failed = [r for r in results if r.status == "failed"]
    if failed:
        draft += (
            f'<p class="status-failed">{len(failed)} of {len(results)} reports failed: '
            f'see the <a href="{RUN_LOG}">run log</a>.</p>'
        )
    if summary is None:
        # the error names settings and folders: the analyst reads it on the run log
        body = (
            '<p class="status-failed">The summary could not be computed from the data '
            f'supplied: the <a href="{RUN_LOG}">run log</a> says why.</p>'
        )
    else:
        year_findings = _list(summary.get("findings", []), "")
        body = f"""
<h2>The year in one page</h2>
{year_findings}
<h3>What improved</h3>
{_list(summary["improved"], "No measure improved significantly or met its target.")}
<h3>What worsened</h3>
{_list(summary["worsened"], "No measure worsened significantly or missed its target.")}
<h3>Where</h3>
{_list(summary["where"], "No ward breakdown was available.")}
<h3>For whom</h3>
{_list(summary["for_whom"] + summary.get("notes", []), "No age breakdown of victims and suspects was available.")}
<h2>Recommended priorities for {e(summary["plan_year"])}</h2>
{_recommendations(summary)}
<h2>What changed since last year's assessment</h2>
{_changes(changes, summary, previous_state)}"""
    doc_link = (
        f'<li><a href="{e(document)}">The whole assessment as a Word document</a></li>'
        if document
        else ""
    )
    title = f"{cfg.partnership_name}: strategic assessment {cfg.year.label}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{_CSS}{_EXTRA_CSS}</style>
</head>
<body>
<main>
{demo}
<h1>{e(cfg.partnership_name)}</h1>
<p class="sub">Strategic assessment {e(cfg.year.label)} (April {cfg.year.start_year} to March
{cfg.year.start_year + 1}): summary for the partnership board.</p>
{draft}
{body}
<h2>The reports</h2>
{_reports(results)}
<h2>Documents and how the figures were produced</h2>
<ul class="nav-list">
{doc_link}
<li><a href="{RUN_LOG}">Run log and data sources</a>: each report's status, the input files
and their checks.</li>
</ul>
</main>
</body>
</html>
"""
