"""The whole assessment as one editable Word document, for the board to table.

Built by ``sa run`` after the reports are rendered, from what the run produced (nothing is
computed twice): the summary (:mod:`sa_toolkit.assessment_summary`), each executed
notebook's outputs in order (key findings, the analyst's text, tables, figures, notes) and
the run's performance framework. Structure:

1. title, the synthetic-demo notice when it applies, and a draft note while the analyst's
   text is still to be written;
2. **Summary** (Heading 1): the year in one page, the recommended priorities (a table),
   what changed since last year's assessment;
3. one Heading 1 per report: the overview, then each of the six priorities;
4. **Annex A: performance framework** as a formatted table (traffic lights as text and
   cell colour), **Annex B: data sources**.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sa_toolkit import demo_data
from sa_toolkit.config import Config
from sa_toolkit.document.writer import AssessmentDocument, add_html


def document_name(cfg: Config) -> str:
    return f"strategic_assessment_{cfg.year.slug}.docx"


def _markdown_html(source: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(source)


def _add_notebook(doc: AssessmentDocument, nb, title: str) -> None:
    """A report's cells: markdown as text and headings, displayed outputs in order."""
    doc.heading(title, 1)
    skipped_title = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = cell.source
            if not skipped_title and source.lstrip().startswith("# "):
                # the report's title is the Heading 1 above
                source = "\n".join(source.lstrip().splitlines()[1:])
                skipped_title = True
            if source.strip():
                add_html(doc, _markdown_html(source))
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                add_html(doc, "".join(text) if isinstance(text, list) else text)
            elif "image/png" in data:
                alt = (out.get("metadata", {}).get("image/png") or {}).get("alt", "")
                import base64

                png = base64.b64decode(data["image/png"])
                doc.figure(png, alt or f"A figure of the {title} report", alt or title)
            elif "text/markdown" in data:
                text = data["text/markdown"]
                add_html(doc, _markdown_html("".join(text) if isinstance(text, list) else text))


def _summary(doc: AssessmentDocument, summary: dict[str, Any]) -> None:
    doc.heading("Summary", 1)
    doc.heading("The year in one page", 2)
    doc.bullets(summary.get("findings", []))
    for heading, key, empty in (
        ("What improved", "improved", "No measure improved significantly or met its target."),
        ("What worsened", "worsened", "No measure worsened significantly or missed its target."),
        ("Where", "where", "No ward breakdown was available."),
        ("For whom", "for_whom", "No age breakdown of victims and suspects was available."),
    ):
        doc.heading(heading, 3)
        items = summary.get(key) or []
        if items:
            doc.bullets(items)
        else:
            doc.paragraph(empty)
    doc.heading(f"Recommended priorities for {summary['plan_year']}", 2)
    rows = []
    for r in summary.get("recommendations", []):
        reasons = "; ".join(r.get("reasons", []))
        if r.get("set_by") == "analyst":
            reasons += (
                f" (set by the analyst; the toolkit's rule gave {r.get('computed') or 'none'})"
            )
        rows.append([r["name"], r["recommendation"].capitalize(), reasons])
    doc.table(
        f"Recommended priorities for {summary['plan_year']}",
        ["Priority", "Recommendation", "Reasons"],
        rows,
        row_headers=True,
    )
    doc.paragraph(
        "Keep: a target was missed, a measure worsened significantly or the priority-setting "
        "matrix scores it high. Watch: a measure is amber, or the matrix scores it medium or "
        "its trend is getting worse. Drop: every rated measure is green. Add: the matrix scores "
        "a crime category high that no priority covers."
    )
    doc.heading("What changed since last year's assessment", 2)
    changes = summary.get("changes_since_last_year")
    if not changes:
        doc.paragraph(
            "There is no earlier assessment to compare with: this section fills in from next "
            "year's assessment."
        )
        return
    if changes["measures"]:
        doc.table(
            "Measures whose traffic light changed since last year's assessment",
            ["Measure", str(changes["year"]), summary["year"]],
            [[m["name"], m["rag_before"], m["rag_now"]] for m in changes["measures"]],
            row_headers=True,
        )
    else:
        doc.paragraph(f"No measure's traffic light changed ({changes['unchanged']} compared).")
    doc.table(
        "Recommended priorities then and now",
        ["Priority", str(changes["year"]), summary["year"]],
        [
            [
                r["name"],
                (r["before"] or "not listed").capitalize(),
                (r["now"] or "not listed").capitalize(),
            ]  # fmt: skip
            for r in changes["recommendations"]
        ],
        row_headers=True,
    )


def _framework_annex(doc: AssessmentDocument, cfg: Config, framework) -> None:
    from sa_toolkit.analysis.overview import PRIORITY_NAMES
    from sa_toolkit.analysis.priority_framework import framework_table

    doc.heading("Annex A: performance framework", 1)
    if framework is None or framework.empty:
        doc.paragraph("The performance framework could not be computed for this run.")
        return
    doc.paragraph(
        f"Every priority's indicators, {cfg.year.previous().label} (baseline) against "
        f"{cfg.year.label}. Green: target met or a significant improvement; amber: within "
        "tolerance of the target or a change that is not statistically significant; red: "
        f"target missed or a significant deterioration. Counts below "
        f"{cfg.suppression_threshold} are shown as <{cfg.suppression_threshold}."
    )
    table = framework_table(framework, cfg.suppression_threshold)
    names = {"R": "Red", "A": "Amber", "G": "Green"}
    rows = []
    for (_, row), priority in zip(table.iterrows(), framework["priority"], strict=True):
        rows.append(
            [
                PRIORITY_NAMES.get(str(priority), str(priority)),
                str(row["Indicator"]),
                str(row["Baseline"]),
                str(row["Actual"]),
                str(row["Change"]),
                str(row["Target"]),
                names.get(row["RAG"], "Not rated"),
                str(row["Rating"] or ""),
            ]
        )
    doc.table(
        f"Performance framework, {cfg.partnership_short_name}, {cfg.year.previous().label} "
        f"to {cfg.year.label}",
        [
            "Priority",
            "Indicator",
            "Baseline",
            "Actual",
            "Change",
            "Target",
            "Traffic light",
            "Reason",
        ],  # fmt: skip
        rows,
        rag_col=6,
    )


def _sources_annex(doc: AssessmentDocument, cfg: Config) -> None:
    from sa_toolkit.report_index import load_ingest_log

    doc.heading("Annex B: data sources", 1)
    inputs = load_ingest_log(cfg.processed_dir)
    if not inputs:
        doc.paragraph("No record of the input data was found for this run.")
        return
    by_dataset: dict[str, list[int]] = {}
    for i in inputs:
        totals = by_dataset.setdefault(str(i.get("dataset") or "other"), [0, 0, 0])
        totals[0] += 1
        totals[1] += int(i.get("rows_kept") or 0)
        totals[2] += int(i.get("rows_rejected") or 0)
    doc.table(
        "Input data: files and rows by dataset",
        ["Dataset", "Files", "Rows used", "Rows set aside by validation"],
        [
            [name.replace("_", " ").capitalize(), f"{t[0]:,}", f"{t[1]:,}", f"{t[2]:,}"]
            for name, t in sorted(by_dataset.items())
        ],
        row_headers=True,
    )
    doc.paragraph(
        "Each input file, its checksum and the run's parameters are listed in the run log "
        "that accompanies the rendered reports."
    )


def build_document(
    cfg: Config,
    folder: Path,
    results: Sequence[Any],
    summary: dict[str, Any] | None,
    pending: Sequence[str] = (),
    demo: bool = False,
) -> Path:
    """Write ``strategic_assessment_<year>.docx`` into ``folder`` (the run's staging folder)."""
    import nbformat

    doc = AssessmentDocument()
    doc.doc.core_properties.title = f"{cfg.partnership_name}: strategic assessment {cfg.year.label}"
    doc.doc.add_heading(f"{cfg.partnership_name}: strategic assessment {cfg.year.label}", 0)
    doc.paragraph(
        f"April {cfg.year.start_year} to March {cfg.year.start_year + 1}. The partnership's "
        "assessment of crime, anti-social behaviour, substance misuse and re-offending, for "
        f"the rolling plan from {cfg.year.next().label}."
    )
    if demo:
        doc.notice(demo_data.NOTICE)
    if pending:
        doc.notice(
            "Draft: the analyst's text is still to be written for " + "; ".join(pending) + ".",
            colour="B35900",
        )
    if summary is not None:
        _summary(doc, summary)
    else:
        doc.heading("Summary", 1)
        doc.paragraph("The summary could not be computed for this run; see the reports.")
    for r in results:
        path = Path(folder) / f"{r.name}.ipynb"
        if r.status != "succeeded" or not path.is_file():
            doc.heading(r.title, 1)
            doc.paragraph("This report failed in this run and is not included.")
            continue
        _add_notebook(doc, nbformat.read(path, as_version=4), r.title)
    _framework_annex(doc, cfg, (summary or {}).get("_framework"))
    _sources_annex(doc, cfg)
    if demo:
        for section in doc.doc.sections:
            section.footer.paragraphs[0].text = demo_data.FOOTER
    out = Path(folder) / document_name(cfg)
    doc.save(out)
    return out
