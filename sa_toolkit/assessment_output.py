"""What ``sa run`` writes around the reports: the analyst's text, the summary, the document.

Called by :mod:`sa_toolkit.runner`:

- :func:`prepare` before the notebooks run: writes the templates of missing content
  files, reads the year's content and renders what each report gets (and the synthetic
  demo notice), so the workers only insert ready HTML;
- :func:`finish` after they ran, in the staging folder: the summary
  (``assessment_summary.json``), ``index.html`` (the board's summary), ``run_log.html``,
  the Word document and the manifest's record of what is still to be written.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sa_toolkit import content, demo_data
from sa_toolkit.config import Config

INDEX = "index.html"
RUN_LOG = "run_log.html"
MANIFEST = "manifest.json"


@dataclass
class Prepared:
    """The content read before the run, and what each report gets."""

    pieces: list[content.Piece]
    additions: dict[str, dict[str, str]]
    top_html: str
    written: list[Path] = field(default_factory=list)
    fingerprint: str = ""
    #: every report of the assessment (run now or kept from the last render)
    reports: list[str] = field(default_factory=list)
    #: reports whose additions (the survey's table) :class:`Background` computes
    waiting: list[str] = field(default_factory=list)
    #: each report's title (its notebook's first heading), by report name
    titles: dict[str, str] = field(default_factory=dict)


def demo_notice_html() -> str:
    return (
        '<div class="sa-demo-notice" role="note"><strong>'
        f"{html.escape(demo_data.NOTICE)}</strong></div>"
    )


def prepare(
    cfg: Config,
    all_reports: Sequence[str],
    chosen: Sequence[str],
    titles: dict[str, str] | None = None,
) -> Prepared:
    """Templates for missing content files, the content read, each report's additions.

    ``titles``: each report's title, to name what is still to be written in words.
    Raises ``UserError`` for an invalid ``priorities.yml`` before anything runs.
    """
    from sa_toolkit.assessment_summary import apply_overrides

    written = content.ensure_content_files(cfg, list(all_reports))
    apply_overrides([], content.content_dir(cfg) / content.PRIORITIES_FILE)  # checked early
    pieces = content.read_content(cfg, list(all_reports))
    # the reports with the survey's table get their additions from the background work
    later = content.survey_reports(list(chosen), pieces)
    additions = content.report_blocks(cfg, [r for r in chosen if r not in later], pieces)
    top = demo_notice_html() if demo_data.is_demo(cfg.processed_dir) else ""
    return Prepared(
        pieces,
        additions,
        top,
        written,
        content.content_fingerprint(cfg),
        list(all_reports),
        waiting=later,
        titles=dict(titles or {}),
    )


class Background:
    """What ``sa run`` computes in its own process while the notebooks run.

    The kernels run in other processes; the run's own work waited for them, then ran
    alone at the end. Two parts need no report, so they run in a thread from the start:

    1. the additions of the reports that show the residents' survey (its table reads and
       weights the survey; those reports are started once it is ready, the others at once);
    2. after the run's measure set is written, the summary (``assessment_summary``) and
       its comparison with last year's published one, which :func:`finish` then uses.

    A fault is kept, never raised: the survey's reports then get the analyst's text
    without the table (and the run says why); the summary's fault is handled by
    :func:`finish` as before.
    """

    def __init__(
        self,
        cfg: Config,
        prepared: Prepared,
        shared_dir: Path | None,
        measures=None,
        *,
        staging: Path | None = None,
        reports: Sequence[str] = (),
        ready: Sequence[Any] = (),
    ):
        import threading

        self.cfg, self.prepared, self.shared_dir = cfg, prepared, shared_dir
        self.additions_ready = threading.Event()
        self.additions_error: str | None = None
        self.summary: dict[str, Any] | None = None
        self.changes = self.state = self.summary_error = None
        self.summary_seconds = self.document_seconds = 0.0
        # 3. the Word document, each report added as soon as it and those before it are
        # done (``reports`` in the document's order; ``ready``: results already there)
        self.document = None  # a DocumentBuilder with every report in, when it went well
        self.document_error: str | None = None
        self._staging, self._reports = staging, list(reports)
        self._results = {r.name: r for r in ready}
        self._report_done = threading.Condition()
        self._measures = measures
        self._thread = threading.Thread(target=self._work, name="run-background", daemon=True)
        if not prepared.waiting:
            self.additions_ready.set()

    def report_done(self, result: Any) -> None:
        """A notebook's result (:class:`sa_toolkit.runner.NotebookResult`): its report can
        go into the document."""
        with self._report_done:
            self._results[result.name] = result
            self._report_done.notify_all()

    def start(self) -> Background:
        self._thread.start()
        return self

    def join(self) -> None:
        self._thread.join()

    def _work(self) -> None:
        try:
            self._additions()
        finally:
            self.additions_ready.set()
        if self._measures is not None:
            self._measures.join()  # the summary reads the run's framework
        started = time.perf_counter()
        try:
            self._summary()
        except Exception as exc:  # noqa: BLE001 - the reports stand without the summary
            self.summary, self.summary_error = None, f"{type(exc).__name__}: {exc}"
        self.summary_seconds = time.perf_counter() - started
        if self._staging is not None and self._reports:
            try:
                self._document()
            except Exception as exc:  # noqa: BLE001 - finish() builds it again, or says why
                self.document, self.document_error = None, f"{type(exc).__name__}: {exc}"

    def _document(self) -> None:
        from sa_toolkit.document.builder import DocumentBuilder

        builder = DocumentBuilder(
            self.cfg, self._staging, self.summary, demo_data.is_demo(self.cfg.processed_dir)
        )
        for name in self._reports:
            with self._report_done:
                self._report_done.wait_for(lambda name=name: name in self._results)
                result = self._results[name]
            started = time.perf_counter()
            builder.add_report(result)
            self.document_seconds += time.perf_counter() - started
        self.document = builder

    def _additions(self) -> None:
        waiting = self.prepared.waiting
        if not waiting:
            return
        try:
            late = content.report_blocks(self.cfg, list(waiting), self.prepared.pieces)
        except Exception as exc:  # noqa: BLE001 - the analyst's text still goes in
            self.additions_error = f"{type(exc).__name__}: {exc}"
            late = content.report_blocks(self.cfg, list(waiting), self._without_survey())
        self.prepared.additions.update(late)

    def _without_survey(self) -> list[content.Piece]:
        return [p for p in self.prepared.pieces if p.key != "community_views"]

    def _summary(self) -> None:
        from sa_toolkit import assessment_summary as asum

        summary = asum.compute_summary(self.cfg, self.shared_dir)
        previous, self.state = asum.previous_summary(self.cfg)
        self.changes = asum.changes_since(previous, summary)
        summary["changes_since_last_year"] = self.changes
        self.summary = summary


def finish(
    cfg: Config,
    staging: Path,
    results: Sequence[Any],
    inputs: list[dict[str, Any]],
    manifest: dict[str, Any],
    prepared: Prepared,
    shared_dir: Path | None,
    console=None,
    background: Background | None = None,
) -> dict[str, Any]:
    """Write the summary, the pages and the document into ``staging``; return the manifest.

    A fault in the summary or the document never loses the reports: the page says what
    could not be computed and the manifest records it.
    """
    from sa_toolkit import assessment_summary as asum
    from sa_toolkit import report_index, summary_page

    pending = still_to_be_written(prepared, results)
    demo = demo_data.is_demo(cfg.processed_dir)
    manifest.update(
        {
            "synthetic_demo": demo,
            "content_dir": str(content.content_dir(cfg)),
            "content_sha256": prepared.fingerprint,
            "to_be_written": pending,
        }
    )
    if background is None:  # called on its own (tests): the summary is computed here
        background = Background(cfg, prepared, shared_dir)
        background._work()
    else:
        background.join()
    summary, changes, state = background.summary, background.changes, background.state
    error = background.summary_error
    started = time.perf_counter()
    if summary is not None:
        try:
            asum.write_summary(summary, staging)
        except OSError as exc:
            summary, error = None, f"{type(exc).__name__}: {exc}"
    if error:
        manifest["summary_error"] = error
        if console is not None:
            console.print(f"[yellow]The summary could not be computed:[/] {error}", highlight=False)
    if background.additions_error:
        manifest["survey_table_error"] = background.additions_error
        if console is not None:
            console.print(
                "[yellow]The survey's table could not be added to community views:[/] "
                f"{background.additions_error}",
                highlight=False,
            )
    summary_seconds = background.summary_seconds + time.perf_counter() - started
    document = None
    started = time.perf_counter()
    try:
        from sa_toolkit.document import build_document

        if background.document is not None:  # the reports went in while the notebooks ran
            path = background.document.finish(pending)
        else:
            path = build_document(cfg, staging, results, summary, pending, demo=demo)
        document = path.name
        manifest["document"] = {"file": document}
    except Exception as exc:  # noqa: BLE001 - the reports stand without the document
        manifest["document"] = {"file": None, "error": f"{type(exc).__name__}: {exc}"}
        if console is not None:
            console.print(
                f"[yellow]The Word document could not be written:[/] {exc}", highlight=False
            )
    # what the summary and the document add to the run, for the benchmarks
    manifest["finish_seconds"] = {
        "summary": round(summary_seconds, 2),
        "document": round(background.document_seconds + time.perf_counter() - started, 2),
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (staging / RUN_LOG).write_text(
        report_index.render_run_log(cfg, results, inputs, manifest), encoding="utf-8"
    )
    from sa_toolkit.report_notes import with_notes

    (staging / INDEX).write_text(
        with_notes(  # the board's page ends with its notes and glossary, as every report
            summary_page.render_summary_page(
                cfg, results, manifest, summary, changes, state, error, document
            )
        ),
        encoding="utf-8",
    )
    if pending and console is not None:
        console.print(
            f"{len(pending)} part(s) of the analyst's text are still to be written in "
            f"{content.content_dir(cfg)} (the reports show a note; `sa publish` waits for "
            "them).",
            highlight=False,
        )
    return manifest


def still_to_be_written(prepared: Prepared, results: Sequence[Any]) -> list[str]:
    """What the analyst has still to write, each named in words by its report's title
    (a report not rendered in this run, ``--only`` on a new folder, by its notebook's)."""
    titles = {**prepared.titles, **{r.name: r.title for r in results}}
    return content.to_be_written(prepared.pieces, titles, prepared.reports)


def check_publishable(cfg: Config, manifest: dict[str, Any]) -> str | None:
    """Why the rendered year cannot be published yet (None when it can)."""
    pending = manifest.get("to_be_written") or []
    if pending:
        return (
            f"{cfg.year.label} cannot be published: the analyst's text is still to be written "
            f"for {'; '.join(pending)}. Write it in {content.content_dir(cfg)} (replace each "
            "'To be written' paragraph) and run `sa run` again"
        )
    recorded = manifest.get("content_sha256")
    if recorded and recorded != content.content_fingerprint(cfg):
        return (
            f"{cfg.year.label} cannot be published: the analyst's text in "
            f"{content.content_dir(cfg)} changed after the reports were rendered; run "
            "`sa run` again so that the reports include it"
        )
    from sa_toolkit.disclosure_scan import refusal_message, scan_report_folder

    threshold = cfg.suppression_threshold
    small = scan_report_folder(cfg.report_dir, threshold) if threshold > 1 else []
    if small:
        return f"{cfg.year.label} cannot be published: " + refusal_message(small, threshold)
    return None
