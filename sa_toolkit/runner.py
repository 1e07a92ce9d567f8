"""Execute the assessment notebooks with papermill and render the reports.

``sa run`` calls :func:`run_assessment`; ``sa publish`` calls :func:`publish_year`.

The year's reports folder (``reports/<year-slug>/``) is written like this:

1. every notebook's ``parameters`` cell is checked against the parameters the run passes
   (papermill itself only warns about an unknown name) before anything starts;
2. a published year (``PUBLISHED.json`` in the folder) is refused unless ``force``;
3. the notebooks run in separate processes (papermill changes the process's working
   folder), ``jobs`` at a time, into a staging folder beside the year's folder; each
   worker renders its own HTML in-process. The notebooks' ``output_dir`` parameter points
   at the staging folder, so figures land in ``<staging>/figures/``;
4. ``index.html`` and ``manifest.json`` are written into the staging folder;
5. the staging folder replaces the year's folder by an atomic exchange where the system
   allows (else two renames, undone at the next run if interrupted in between); a
   published version goes to ``reports/archive/<year>-<timestamp>/``. An interrupted or
   failed run never leaves a half-written folder where a complete one was.

A failing notebook does not stop the others: its executed notebook and HTML (with the
error) are still written, the index marks it failed and the run's ``ok`` is False.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from sa_toolkit import paths
from sa_toolkit.config import Config
from sa_toolkit.errors import UserError

PUBLISHED_MARKER = "PUBLISHED.json"
MANIFEST = "manifest.json"
INDEX = "index.html"
FIGURES = "figures"
ARCHIVE = "archive"
_STAGING_PREFIX = ".staging-"
_OLD_PREFIX = ".replaced-"
#: folder in staging where a run's notebooks share results (the overview's performance
#: framework, read by the priority notebooks that start after it); removed before the
#: staging folder becomes the year's folder (it holds unsuppressed counts)
SHARED_DIR = ".shared"
#: environment variable naming the run's shared folder in its workers and kernels (the
#: same name as ``analysis.priority_framework.SHARED_DIR_ENV``, not imported from there
#: because a worker should not import the statistics)
SHARED_DIR_ENV = "SA_RUN_SHARED_DIR"


@dataclass
class NotebookResult:
    """What happened to one notebook."""

    name: str
    title: str
    status: str  # "succeeded" or "failed"
    seconds: float
    headline: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"


@dataclass
class RunResult:
    """Outcome of :func:`run_assessment`."""

    report_dir: Path
    notebooks: list[NotebookResult]
    seconds: float
    archived_to: Path | None = None

    @property
    def ok(self) -> bool:
        return all(nb.ok for nb in self.notebooks)

    @property
    def failed(self) -> list[str]:
        return [nb.name for nb in self.notebooks if not nb.ok]


# --------------------------------------------------------------------------- discovery


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """The assessment notebooks: ``NN_name.ipynb`` in ``notebooks_dir``, in order."""
    found = sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb") if p.is_file())
    if not found:
        raise UserError(f"no notebooks named like 01_name.ipynb in {notebooks_dir}")
    return found


def select_notebooks(notebooks: Sequence[Path], only: Sequence[str] | None) -> list[Path]:
    """The notebooks named in ``only`` (by stem, with or without ``.ipynb``), or all."""
    if not only:
        return list(notebooks)
    by_name = {p.stem: p for p in notebooks}
    chosen = []
    for raw in only:
        name = Path(raw).name.removesuffix(".ipynb")
        if name not in by_name:
            raise UserError(
                f"--only {raw}: no such notebook; choose from {', '.join(sorted(by_name))}"
            )
        if by_name[name] not in chosen:
            chosen.append(by_name[name])
    return chosen


def validate_parameters(notebooks: Sequence[Path], parameters: dict[str, Any]) -> None:
    """Check that every notebook declares every parameter in its ``parameters`` cell.

    Raises
    ------
    UserError
        Naming the notebook and the parameters its ``parameters`` cell does not define,
        or saying that it has no cell tagged ``parameters``.
    """
    import nbformat
    import papermill

    for nb_path in notebooks:
        try:
            nb = nbformat.read(nb_path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - any unreadable notebook is a user fault
            raise UserError(f"{nb_path}: not a readable notebook ({exc})") from None
        tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        if not tagged:
            raise UserError(
                f"{nb_path.name}: no cell tagged 'parameters'; add one that defines "
                f"{', '.join(parameters)}"
            )
        papermill_log = logging.getLogger("papermill")
        level = papermill_log.level
        papermill_log.setLevel(logging.ERROR)  # its "Unable to parse line" notes: see below
        try:
            declared = papermill.inspect_notebook(str(nb_path))
        finally:
            papermill_log.setLevel(level)
        unknown = [name for name in parameters if name not in declared]
        if unknown:
            raise UserError(
                f"{nb_path.name}: parameter(s) {', '.join(unknown)} not defined in its "
                f"'parameters' cell (it defines {', '.join(declared) or 'nothing'})"
            )
        for name, value in parameters.items():
            if not isinstance(value, (str, int, float, bool)):
                raise UserError(f"parameter {name} must be text or a number, got {value!r}")


# --------------------------------------------------------------------------- worker


_progress_queue = None
_exporter = None  # one HTML exporter per worker: its templates are compiled once


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def police_months(processed_dir: Path) -> list[tuple[int, int]]:
    """``(year, month)`` of every month the processed data.police.uk street table holds, sorted.

    Read from its ``period=YYYY-MM`` folder names (no file opened, no pandas import: this
    runs before any notebook starts). Empty when the table was not ingested.
    """
    folder = Path(processed_dir) / "police_street"
    months = set()
    if folder.is_dir():
        for part in folder.glob("period=*"):
            text = part.name.split("=", 1)[1]
            year, _, month = text.partition("-")
            if year.isdigit() and month.isdigit() and any(part.glob("*.parquet")):
                months.add((int(year), int(month)))
    return sorted(months)


def check_year_has_police_data(cfg: Config) -> None:
    """Pre-flight: stop (``UserError``, exit 2) before anything runs when the processed police
    data hold no month of the assessed year, naming the months they do cover.

    Without any processed police table nothing is checked (each report then says which
    file is missing).
    """
    held = police_months(cfg.processed_dir)
    if not held:
        return
    first = (cfg.year.start_year, 4)
    last = (cfg.year.start_year + 1, 3)
    if any(first <= m <= last for m in held):
        return

    def name(m):
        return f"{_MONTH_NAMES[m[1] - 1]} {m[0]}"

    raise UserError(
        f"no police data for {cfg.year.label}: the processed police data "
        f"({Path(cfg.processed_dir) / 'police_street'}) cover {name(held[0])} to "
        f"{name(held[-1])}. Choose a year in that range (--year), or add the months of "
        f"{cfg.year.label} to the raw folder and run `sa ingest`."
    )


def _init_worker(
    queue, log_path: str | None, shared_dir: str | None = None
) -> None:  # pragma: no cover - in the worker
    global _progress_queue
    _progress_queue = queue
    if shared_dir:
        # Kernels inherit this environment: the run's notebooks share results there
        # (sa_toolkit.analysis.priority_framework.shared_framework).
        os.environ[SHARED_DIR_ENV] = shared_dir
    if log_path:
        # Kernels inherit this process's stderr; their start-up chatter (e.g. ipykernel's
        # transport warning) goes to the run log instead of the user's terminal.
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 2)
        os.close(log)
    # Kernel start-up warnings from jupyter_client/papermill are not the user's concern.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    logging.getLogger("NbConvertApp").setLevel(logging.ERROR)


def _report(name: str, state: str) -> None:
    if _progress_queue is not None:
        with contextlib.suppress(Exception):
            _progress_queue.put((name, state, time.time()))


_ENGINE = "sa_toolkit"


def _register_engine() -> None:
    """Papermill's nbclient engine, saving the notebook once instead of around every cell.

    Papermill writes the whole output notebook (figures included) before and after each
    cell so that a crash leaves what ran; for a 40-cell report that is 80 writes of up
    to a megabyte. This engine writes it when execution ends, and when it stops early
    (timeout, dead kernel) it writes what ran, so a failed report still shows it.
    """
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb

    class SaveAtEndEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, **kwargs):
            try:
                return super().execute_notebook(nb, kernel_name, output_path=None, **kwargs)
            except BaseException:
                if output_path:
                    with contextlib.suppress(Exception):
                        write_ipynb(nb, output_path)
                raise

    papermill_engines.register(_ENGINE, SaveAtEndEngine)


#: what jupyter_client says when a kernel fails while starting (before any cell runs)
KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")


def execute_and_render(
    source: str,
    out_dir: str,
    parameters: dict[str, Any],
    cwd: str,
    timeout: int,
    additions: dict[str, str] | None = None,
    top_html: str = "",
) -> dict[str, Any]:
    """Execute one notebook into ``out_dir`` and render its HTML (runs in a worker).

    ``additions`` (the analyst's text, :func:`sa_toolkit.content.report_blocks`) and
    ``top_html`` (the synthetic demo notice) are put into the executed notebook before it
    is rendered. Never raises for a notebook fault: the result's ``status`` says
    ``failed`` and ``error`` holds the message; the executed notebook and HTML are still
    written.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from sa_toolkit import render

    _register_engine()
    name = Path(source).stem
    out_ipynb = Path(out_dir) / f"{name}.ipynb"
    out_html = Path(out_dir) / f"{name}.html"
    global _exporter
    started = time.perf_counter()
    _report(name, "running")
    error = None
    executed = None
    restarted = False
    for attempt in (1, 2):
        try:
            executed = papermill.execute_notebook(
                source,
                str(out_ipynb),
                parameters=parameters,
                kernel_name="python3",
                engine_name=_ENGINE,
                cwd=cwd,
                progress_bar=False,
                log_output=False,
                execution_timeout=timeout,
            )
        except PapermillExecutionError as exc:
            error = f"{exc.ename}: {exc.evalue}" if exc.ename else str(exc)
            error += f" (cell {exc.exec_count})" if exc.exec_count else ""
        except Exception as exc:  # noqa: BLE001 - kernel death, timeout...: the notebook failed
            error = f"{type(exc).__name__}: {exc}"
            # A kernel that dies or stays silent while starting ran none of the report
            # (two kernels starting at once can pick the same port): start it once more.
            if attempt == 1 and any(m in str(exc) for m in KERNEL_START_FAILURES):
                error, restarted = None, True
                continue
        break
    _report(name, "rendering")
    title = name
    headline = None
    warnings: list[str] = []
    if out_ipynb.exists():
        try:
            # papermill returns the notebook it wrote; after a failure, read what it saved
            nb = executed if executed is not None else nbformat.read(out_ipynb, as_version=4)
            title = render.notebook_title(nb, name)
            headline = render.find_headline(nb)
            warnings = _stderr_text(nb)
            if restarted:
                warnings.insert(0, "The report's kernel failed to start and was started again.")
            if error is None:
                errors = _error_outputs(nb)
                if errors:
                    error = errors[0]
            if additions or top_html:
                from sa_toolkit.content import add_to_notebook

                add_to_notebook(nb, additions, top_html)
            from sa_toolkit.report_notes import add_notes

            # every report ends with its notes (sources, glossary), in the Word document too
            add_notes(nb, name, Path(out_dir) / "figures")
            nbformat.write(nb, out_ipynb)
            if _exporter is None:
                _exporter = render.make_exporter()
            render.render_html(nb, out_html, title, exporter=_exporter)
        except Exception as exc:  # noqa: BLE001 - a render fault fails this report only
            error = error or f"rendering failed: {type(exc).__name__}: {exc}"
            if not out_html.exists():
                _write_error_page(out_html, title, error)
    else:
        _write_error_page(out_html, title, error or "the notebook was not executed")
    seconds = time.perf_counter() - started
    status = "failed" if error else "succeeded"
    _report(name, status)
    return asdict(
        NotebookResult(
            name=name,
            title=title,
            status=status,
            seconds=round(seconds, 2),
            headline=headline,
            error=error,
            warnings=warnings,
        )
    )


def _stderr_text(nb) -> list[str]:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                texts.append(out.get("text", "").strip()[:500])
    return texts


def _error_outputs(nb) -> list[str]:
    return [
        f"{out.get('ename')}: {out.get('evalue')}"
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]


def _write_error_page(path: Path, title: str, error: str) -> None:
    import html

    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"<p><strong>This report failed.</strong></p><pre>{html.escape(error)}</pre>"
        f'<p><a href="index.html">All reports</a></p></body></html>',
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- progress


class _Progress:
    """A live table of each notebook's state."""

    def __init__(self, names: Sequence[str], console: Console):
        self.states = dict.fromkeys(names, "waiting")
        self.started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        self.console = console
        self.live = Live(self._table(), console=console, refresh_per_second=4, transient=False)

    _STYLE = {
        "waiting": "dim",
        "running": "cyan",
        "rendering": "blue",
        "succeeded": "green",
        "failed": "bold red",
    }

    def _table(self) -> Table:
        table = Table(title="Assessment notebooks", show_edge=False, pad_edge=False)
        table.add_column("notebook")
        table.add_column("state")
        table.add_column("seconds", justify="right")
        now = time.time()
        for name, state in self.states.items():
            if name in self.seconds:
                secs = f"{self.seconds[name]:.1f}"
            elif name in self.started:
                secs = f"{now - self.started[name]:.0f}"
            else:
                secs = ""
            table.add_row(name, f"[{self._STYLE[state]}]{state}[/]", secs)
        return table

    def update(self, name: str, state: str, when: float | None = None) -> None:
        if state == "running":
            self.started[name] = when or time.time()
        self.states[name] = state
        self.live.update(self._table())

    def finish(self, name: str, state: str, seconds: float) -> None:
        self.seconds[name] = seconds
        self.update(name, state)

    def __enter__(self):
        self.live.__enter__()
        return self

    def __exit__(self, *exc):
        self.live.update(self._table())
        return self.live.__exit__(*exc)


# --------------------------------------------------------------------------- run


def run_assessment(
    cfg: Config,
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    console: Console | None = None,
    notebooks_dir: Path | None = None,
) -> RunResult:
    """Execute and render the assessment notebooks for ``cfg.year``.

    Parameters
    ----------
    cfg : Config
        The configuration; ``cfg.report_dir`` is written.
    only : sequence of str, optional
        Notebook names (e.g. ``01_violent_crime``) to run; the other reports of an
        existing render are kept as they were.
    jobs : int, optional
        Notebooks at once; default ``cfg.jobs``, and 0 means the number of cores.
    force : bool
        Replace a published year (moved to ``reports/archive/<year>-<timestamp>/`` first).
    console : rich.console.Console, optional
        Where progress and the summary go.
    notebooks_dir : path, optional
        Folder of the notebooks; default ``notebooks/`` in the project root.

    Returns
    -------
    RunResult
        ``.ok`` is False when any notebook failed.

    Raises
    ------
    UserError
        Unknown notebook name, a notebook whose ``parameters`` cell lacks a parameter,
        or a published year without ``force``. Nothing is changed on disk.
    """
    console = console or Console(stderr=True)
    started = time.perf_counter()
    nb_dir = Path(notebooks_dir) if notebooks_dir else paths.notebooks_dir(cfg.root)
    available = discover_notebooks(nb_dir)
    chosen = select_notebooks(available, only)
    parameters = cfg.notebook_parameters()
    validate_parameters(chosen, parameters)
    check_year_has_police_data(cfg)

    report_dir = cfg.report_dir
    published = report_dir / PUBLISHED_MARKER
    _refuse_if_published(report_dir, cfg, force)
    n_jobs = jobs if jobs is not None else cfg.jobs
    if n_jobs < 0:
        raise UserError(f"--jobs must be 0 (all cores) or more, found {n_jobs}")
    n_jobs = min(n_jobs or os.cpu_count() or 1, len(chosen))

    report_dir.parent.mkdir(parents=True, exist_ok=True)
    with _year_lock(report_dir), _staging(report_dir) as staging:
        _refuse_if_published(report_dir, cfg, force)  # again, after any recovery
        kept = [p.stem for p in available if p not in chosen] if only else []
        previous = _previous_results(report_dir, kept)
        if kept and report_dir.is_dir():
            _copy_previous(report_dir, staging, [r.name for r in previous])
        (staging / FIGURES).mkdir(exist_ok=True)
        shared = staging / SHARED_DIR
        shared.mkdir()
        params = {**parameters, "output_dir": str(staging)}
        from sa_toolkit import assessment_output

        prepared = assessment_output.prepare(
            cfg, [p.stem for p in available], [p.stem for p in chosen], _titles(available)
        )
        from sa_toolkit import measures

        # the run's measures (and performance framework), computed once while the
        # kernels start; the notebooks wait for them (sa_toolkit.measures)
        measure_thread = measures.start_run_measures(cfg, shared, staging)
        # the survey's table and the summary, computed while the notebooks run
        background = assessment_output.Background(
            cfg,
            prepared,
            shared,
            measure_thread,
            staging=staging,
            reports=sorted({*(p.stem for p in chosen), *(r.name for r in previous)}),
            ready=previous,
        ).start()
        console.print(
            f"Running {len(chosen)} notebook(s) for {cfg.partnership_name}, "
            f"{cfg.year.label}, {n_jobs} at a time",
            highlight=False,
        )
        log_path = report_dir.parent / f".{report_dir.name}.log"
        log_path.write_text("", encoding="utf-8")
        order = schedule(chosen, report_dir)
        results = _run_all(
            chosen,
            staging,
            params,
            nb_dir,
            cfg.timeout_seconds,
            n_jobs,
            console,
            log_path,
            order=order,
            shared_dir=shared,
            additions=prepared.additions,
            top_html=prepared.top_html,
            waiting=set(prepared.waiting),
            additions_ready=background.additions_ready,
            on_done=background.report_done,
        )
        merged = _merge(previous, results)
        measure_thread.join()

        from sa_toolkit import report_index

        inputs = report_index.load_ingest_log(cfg.processed_dir)
        if not inputs:
            console.print(
                f"[yellow]Note:[/] no ingest log in {cfg.processed_dir}: the reports list no "
                "data provenance (run `sa ingest`).",
                highlight=False,
            )
        run_seconds = time.perf_counter() - started
        manifest = report_index.build_manifest(
            cfg, parameters, merged, inputs, run_seconds, only=[p.stem for p in chosen]
        )
        # the summary reads the overview's framework from the shared folder, then it goes
        assessment_output.finish(
            cfg,
            staging,
            merged,
            inputs,
            manifest,
            prepared,
            shared,
            console=console,
            background=background,
        )
        shutil.rmtree(shared, ignore_errors=True)
        archived = _swap_in(staging, report_dir, archive=published.exists())

    result = RunResult(report_dir, merged, round(time.perf_counter() - started, 2), archived)
    _print_summary(result, console, cfg)
    return result


def _titles(notebooks: Sequence[Path]) -> dict[str, str]:
    """Each notebook's title (its first heading), by name: how a reader knows the report."""
    import nbformat

    from sa_toolkit import render

    titles = {}
    for path in notebooks:
        try:
            titles[path.stem] = render.notebook_title(nbformat.read(path, as_version=4), path.stem)
        except (OSError, ValueError):
            titles[path.stem] = path.stem
    return titles


def _refuse_if_published(report_dir: Path, cfg: Config, force: bool) -> None:
    if (report_dir / PUBLISHED_MARKER).exists() and not force:
        raise UserError(
            f"{report_dir} holds the published {cfg.year.label} assessment and is never "
            "overwritten; nothing was changed. Run again with --force to archive it and "
            "render a new version."
        )


def schedule(chosen: Sequence[Path], report_dir: Path) -> list[Path]:
    """The order to start the notebooks in: longest first, so no worker idles at the end.

    Durations come from the previous render's ``manifest.json``; a notebook it does not
    list (new, or no previous render) starts first, the rest keep name order.
    """
    seconds: dict[str, float] = {}
    path = Path(report_dir) / MANIFEST
    if path.is_file():
        try:
            entries = json.loads(path.read_text(encoding="utf-8")).get("notebooks", [])
            seconds = {e["name"]: float(e["seconds"]) for e in entries if e.get("seconds")}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            seconds = {}
    unknown = float("inf")
    return sorted(chosen, key=lambda p: -seconds.get(p.stem, unknown))


def _run_all(
    chosen,
    staging,
    params,
    nb_dir,
    timeout,
    n_jobs,
    console,
    log_path,
    *,
    order=None,
    shared_dir=None,
    additions=None,
    top_html="",
    waiting=frozenset(),
    additions_ready=None,
    on_done=None,
) -> list[NotebookResult]:
    """Run the notebooks in ``n_jobs`` worker processes, in ``order``.

    A notebook is handed to a worker only when one is free, so that the reports in
    ``waiting`` (whose ``additions`` are still being computed, see
    :class:`sa_toolkit.assessment_output.Background`) keep their place in the order
    unless they are next before ``additions_ready`` is set; then the next ready one goes.
    """
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    by_future = {}
    results: dict[str, NotebookResult] = {}
    names = [p.stem for p in chosen]
    with (
        _Progress(names, console) as progress,
        ProcessPoolExecutor(
            max_workers=n_jobs,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(queue, str(log_path), str(shared_dir) if shared_dir else None),
        ) as pool,
    ):
        to_start = list(order or chosen)

        def ready(nb_path) -> bool:
            return (
                nb_path.stem not in waiting or additions_ready is None or additions_ready.is_set()
            )

        def start_next() -> None:
            while to_start and len(pending) < n_jobs:
                nb_path = next((p for p in to_start if ready(p)), None)
                if nb_path is None:
                    return
                to_start.remove(nb_path)
                future = pool.submit(
                    execute_and_render,
                    str(nb_path),
                    str(staging),
                    params,
                    str(nb_dir),
                    timeout,
                    (additions or {}).get(nb_path.stem),
                    top_html,
                )
                by_future[future] = nb_path.stem
                pending.add(future)

        pending: set = set()
        start_next()
        while pending or to_start:
            if not pending:  # every free worker waits for the survey's reports
                additions_ready.wait(0.25)
                start_next()
                continue
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            start_next()
            _drain(queue, progress)
            for future in done:
                name = by_future[future]
                try:
                    res = NotebookResult(**future.result())
                except Exception as exc:  # noqa: BLE001 - a crashed worker fails one report
                    res = NotebookResult(name, name, "failed", 0.0, error=f"worker: {exc}")
                    _write_error_page(staging / f"{name}.html", name, res.error)
                results[name] = res
                progress.finish(name, res.status, res.seconds)
                if on_done is not None:
                    on_done(res)
        _drain(queue, progress, final=True)
    if not console.is_terminal:
        console.line()  # the final table does not end its line when not on a terminal
    return [results[n] for n in names]


def _drain(queue, progress: _Progress, final: bool = False) -> None:
    import queue as queue_mod

    while True:
        try:
            name, state, when = queue.get_nowait()
        except (queue_mod.Empty, OSError, ValueError):
            return
        if progress.states.get(name) not in ("succeeded", "failed") and not final:
            progress.update(name, state, when)


def _merge(previous, results) -> list[NotebookResult]:
    by_name = {r.name: r for r in previous}
    by_name.update({r.name: r for r in results})
    return [by_name[name] for name in sorted(by_name)]


def _previous_results(report_dir: Path, kept: Sequence[str]) -> list[NotebookResult]:
    """Results of the ``kept`` notebooks (not re-run by ``--only``) from the last render.

    Only notebooks that still exist and whose report is in the folder are kept.
    """
    path = report_dir / MANIFEST
    if not kept or not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("notebooks", [])
    except (OSError, ValueError):
        return []
    fields = NotebookResult.__dataclass_fields__
    return [
        NotebookResult(**{k: v for k, v in entry.items() if k in fields})
        for entry in entries
        if entry.get("name") in kept and (report_dir / f"{entry['name']}.html").is_file()
    ]


def _copy_previous(report_dir: Path, staging: Path, kept: Sequence[str]) -> None:
    """Copy the kept reports and the figures of a previous render into staging."""
    for name in kept:
        for suffix in (".ipynb", ".html"):
            if (report_dir / f"{name}{suffix}").is_file():
                shutil.copy2(report_dir / f"{name}{suffix}", staging / f"{name}{suffix}")
    if (report_dir / FIGURES).is_dir():
        shutil.copytree(report_dir / FIGURES, staging / FIGURES, dirs_exist_ok=True)


@contextlib.contextmanager
def _staging(report_dir: Path) -> Iterator[Path]:
    """A fresh staging folder beside ``report_dir``; removed unless swapped in."""
    # left by an interrupted run (we hold the year's lock, so no other run is using them)
    _recover(report_dir)
    for stale in report_dir.parent.glob(f"{_STAGING_PREFIX}{report_dir.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{report_dir.name}-", dir=report_dir.parent)
    )
    # mkdtemp makes the folder private (0700); reports are shared like any other folder
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _year_lock(report_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock so that two runs for one year do not interleave."""
    lock_path = report_dir.parent / f".{report_dir.name}.lock"
    with open(lock_path, "a+") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UserError(
                f"another `sa run` is writing {report_dir}; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def archive_path(report_dir: Path, when: datetime | None = None) -> Path:
    """``reports/archive/<year>-<timestamp>/`` for a published ``reports/<year>/``."""
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = report_dir.parent / ARCHIVE / f"{report_dir.name}-{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = report_dir.parent / ARCHIVE / f"{report_dir.name}-{stamp}-{n}"
    return target


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Returns False where the system call is unavailable (other systems, old kernels,
    file systems without support); the caller then falls back to two renames.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


def _swap_in(staging: Path, report_dir: Path, archive: bool) -> Path | None:
    """Put ``staging`` where ``report_dir`` is; return the archive folder if one was made.

    Where the system allows, the two folders are exchanged atomically, so the year's
    name always points at a complete render. Otherwise the old folder is renamed away
    and the staging folder takes its name (for an instant the name points at nothing;
    :func:`_recover` puts the old folder back if the process dies in between). The old
    render then goes to the archive (published) or is deleted.
    """
    if not report_dir.exists():
        os.replace(staging, report_dir)
        return None
    if _exchange(staging, report_dir):
        old = staging  # after the exchange the staging path holds the previous render
    else:
        old = report_dir.parent / f"{_OLD_PREFIX}{report_dir.name}-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        os.replace(report_dir, old)
        os.replace(staging, report_dir)
    if archive:
        archived = archive_path(report_dir)
        archived.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, archived)
        return archived
    shutil.rmtree(old, ignore_errors=True)
    return None


def _recover(report_dir: Path) -> None:
    """Undo a swap interrupted between its two renames (only without atomic exchange)."""
    for old in sorted(report_dir.parent.glob(f"{_OLD_PREFIX}{report_dir.name}-*")):
        if not report_dir.exists():
            os.replace(old, report_dir)
        else:
            shutil.rmtree(old, ignore_errors=True)


def _print_summary(result: RunResult, console: Console, cfg: Config) -> None:
    for nb in result.notebooks:
        if not nb.ok:
            console.print(f"[bold red]failed[/] {nb.name}: {nb.error}", highlight=False)
    if result.archived_to:
        console.print(f"The published version was archived to {result.archived_to}")
    ok = sum(nb.ok for nb in result.notebooks)
    console.print(
        f"{ok} of {len(result.notebooks)} reports rendered in {result.seconds:.1f} s: "
        f"{result.report_dir / INDEX}",
        highlight=False,
    )


# --------------------------------------------------------------------------- publish


def publish_year(cfg: Config, console: Console | None = None) -> Path:
    """Mark ``cfg.year``'s reports as published: ``sa run`` will not overwrite them.

    Returns
    -------
    Path
        The marker file, ``reports/<year>/PUBLISHED.json``.

    Raises
    ------
    UserError
        When the year has no complete render, or a report in it failed.
    """
    console = console or Console(stderr=True)
    report_dir = cfg.report_dir
    marker = report_dir / PUBLISHED_MARKER
    manifest_path = report_dir / MANIFEST
    if marker.exists():
        console.print(f"{cfg.year.label} is already published ({marker}).")
        return marker
    if not manifest_path.is_file():
        raise UserError(
            f"there are no reports for {cfg.year.label} in {report_dir}; run `sa run` first"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    failed = [nb["name"] for nb in manifest.get("notebooks", []) if nb.get("status") != "succeeded"]
    if failed:
        raise UserError(
            f"{cfg.year.label} cannot be published: report(s) {', '.join(failed)} failed; "
            "fix them and run `sa run` again"
        )
    from sa_toolkit.assessment_output import check_publishable

    refusal = check_publishable(cfg, manifest)
    if refusal:
        raise UserError(refusal)
    from sa_toolkit.board_language import check_board_language

    check_board_language(report_dir, cfg.year.label)  # no ids, files, commands for a reader
    import hashlib

    record = {
        "year": cfg.year.label,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "manifest_sha256": hashlib.sha256(manifest_path.read_bytes()).hexdigest(),
        "published_by": os.environ.get("USER") or os.environ.get("USERNAME") or "",
    }
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, marker)
    console.print(
        f"Published {cfg.year.label}: `sa run` will not overwrite {report_dir} "
        "(use --force to archive it and render again)."
    )
    return marker


def is_published(report_dir: Path) -> bool:
    return (Path(report_dir) / PUBLISHED_MARKER).exists()


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use `sa run`")
