"""The ``sa`` command line.

Exit codes: 0 success; 1 when a notebook failed; 2 for bad usage or bad input. A user
error prints one readable message; ``--debug`` shows the traceback as well.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sa_toolkit.errors import UserError

app = typer.Typer(
    help="Strategic Assessment Toolkit: build a Community Safety Partnership's annual "
    "strategic assessment from police open data and partner extracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
out = Console()


class _State:
    config_path: Path | None = None
    debug: bool = False


state = _State()


def _fail(exc: BaseException) -> None:
    """Report an error the way the user should see it, then exit."""
    if state.debug:
        traceback.print_exception(exc)
    if isinstance(exc, UserError):
        console.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code)
    console.print(
        f"[bold red]Unexpected error:[/] {type(exc).__name__}: {exc}\n"
        "Run again with --debug for the full traceback, and report it if it persists.",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(1)


def _config(**overrides):
    from sa_toolkit.config import load_config

    return load_config(state.config_path, **overrides)


@app.callback()
def main(
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Configuration file (default: config/assessment.yml)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    state.config_path = config
    state.debug = debug


@app.command()
def demo(
    raw_dir: Annotated[
        Path | None,
        typer.Option(help="Folder to write the demo data into (default: data.raw_dir)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: demo.seed).")] = None,
    year: Annotated[
        str | None, typer.Option(help="Last financial year of data (default: assessment.year).")
    ] = None,
    first_year: Annotated[
        str | None, typer.Option(help="First financial year of data (default: demo.first_year).")
    ] = None,
    scale: Annotated[
        float, typer.Option(help="Volume multiplier; below 1 for quick test data.")
    ] = 1.0,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite demo files already in the folder.")
    ] = False,
) -> None:
    """Write the built-in synthetic demo data in the real published formats."""
    try:
        from sa_toolkit.demo.generate import generate_demo

        cfg = _config(raw_dir=raw_dir, year=year, demo_first_year=first_year, demo_seed=seed)
        summary = generate_demo(cfg, scale=scale, force=force)
        out.print(summary)
    except Exception as exc:  # noqa: BLE001 - every error is reported, never a traceback
        _fail(exc)


@app.command()
def ingest(
    raw_dir: Annotated[
        Path | None, typer.Option(help="Folder holding police_uk/ and other sources.")
    ] = None,
    processed_dir: Annotated[
        Path | None, typer.Option(help="Folder for the tidy Parquet tables.")
    ] = None,
) -> None:
    """Validate raw files and write tidy tables; bad rows go to processed/rejects/."""
    try:
        from sa_toolkit.ingest import run_ingest

        cfg = _config(raw_dir=raw_dir, processed_dir=processed_dir)
        run_ingest(cfg.raw_dir, cfg.processed_dir, console=out)
        from sa_toolkit.ingest.boundaries import ingest_boundaries

        ingest_boundaries(cfg, console=out)  # after the lookup: it needs the partnership
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


@app.command()
def run(
    year: Annotated[str | None, typer.Option(help="Financial year, e.g. 2024/25.")] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Run only this notebook (repeatable), e.g. 01_violent_crime."),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(help="Notebooks at once (default: number of cores).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a published year (it is archived first).")
    ] = False,
) -> None:
    """Execute the assessment notebooks and render the reports."""
    try:
        from sa_toolkit.runner import run_assessment

        cfg = _config(year=year)
        result = run_assessment(cfg, only=only or None, jobs=jobs, force=force, console=out)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def publish(
    year: Annotated[str | None, typer.Option(help="Financial year, e.g. 2024/25.")] = None,
) -> None:
    """Mark a year's reports as published (final): `sa run` will not overwrite them."""
    try:
        from sa_toolkit.runner import publish_year

        cfg = _config(year=year)
        publish_year(cfg, console=out)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


@app.command()
def framework(
    values: Annotated[
        Path | None,
        typer.Option(help="CSV or xlsx of entered values: indicator_id,baseline,actual[,...]."),
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Output .csv, .xlsx or .html.")
    ] = None,
    year: Annotated[str | None, typer.Option(help="Financial year, e.g. 2024/25.")] = None,
    no_data: Annotated[
        bool, typer.Option("--no-data", help="Do not compute indicators from processed data.")
    ] = False,
    processed_dir: Annotated[
        Path | None,
        typer.Option(help="Processed tables to compute from (default: data.processed_dir)."),
    ] = None,
) -> None:
    """Build the performance framework: baseline, actual, change, traffic light, target."""
    try:
        from sa_toolkit.framework import framework_command

        framework_command(
            config_loader=lambda **kw: _config(processed_dir=processed_dir, **kw),
            values=values,
            out=out_file,
            year=year,
            use_data=not no_data,
            console=out,
        )
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


def entry() -> None:  # pragma: no cover - thin wrapper
    sys.exit(app())
