"""``sa demo``: write the built-in synthetic demo data in the real published formats."""

from __future__ import annotations

import shutil
from pathlib import Path

from sa_toolkit.demo.boundaries import write_boundaries
from sa_toolkit.demo.content import write_demo_content
from sa_toolkit.demo.geography import FORCE_SLUG, build_geography
from sa_toolkit.demo.msg import write_msg
from sa_toolkit.demo.police import SERIES_BREAK, write_police
from sa_toolkit.demo.population import POPULATION_DIR, write_lookup, write_population
from sa_toolkit.demo_data import write_marker
from sa_toolkit.errors import UserError
from sa_toolkit.periods import year_range

#: what ``sa demo`` writes, relative to the raw folder (checked before overwriting)
DEMO_OUTPUTS = (
    "police_uk", "geography/lsoa_ward_csp_lookup.csv", str(POPULATION_DIR), "msg",
    "series_breaks.csv",
)  # fmt: skip


def write_series_breaks(raw_dir: Path) -> Path:
    """The demo's own series break (its invented public order recording change) as the
    partnership's ``<raw_dir>/series_breaks.csv``: the demo run knows it, a real
    partnership's run (without the file) does not."""
    import csv

    from sa_toolkit.indicators.catalogue import LOCAL_SERIES_BREAKS, SERIES_BREAK_COLUMNS

    crime_type, month, factor = SERIES_BREAK
    path = Path(raw_dir) / LOCAL_SERIES_BREAKS
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(SERIES_BREAK_COLUMNS)
        writer.writerow(
            [
                "public_order_rate",
                month,
                f"Police recording practice for {crime_type.lower()} offences changed from "
                f"{pd_month_words(month)} (demo data: a step of {factor - 1:.0%})",
                "comparison not possible: recording practice changed",
                "not_comparable",
                "Demo Borough synthetic data (sa demo): an invented recording change",
            ]
        )
    return path


def pd_month_words(month: str) -> str:
    """``"April 2022"`` for ``"2022-04"``."""
    import calendar

    year, number = month.split("-")
    return f"{calendar.month_name[int(number)]} {year}"


def _existing_demo_files(raw_dir: Path) -> list[Path]:
    found = []
    police = raw_dir / "police_uk"
    if police.is_dir():
        found += sorted(police.glob(f"*/*-{FORCE_SLUG}-*.csv"))[:1]
    for rel in DEMO_OUTPUTS[1:]:
        p = raw_dir / rel
        if p.is_file() or (p.is_dir() and any(p.iterdir())):
            found.append(p)
    return found


def generate_demo(cfg, scale: float = 1.0, force: bool = False) -> str:
    """Write the demo data for ``cfg.demo_first_year`` to ``cfg.year`` into ``cfg.raw_dir``.

    Parameters
    ----------
    cfg : sa_toolkit.config.Config
        Uses ``raw_dir``, ``demo_seed``, ``demo_first_year`` and ``year``.
    scale : float
        Volume multiplier (1 = about 57,000 street-level rows a year; 0.05 for quick tests).
    force : bool
        Replace demo files already in the folder.

    Returns
    -------
    str
        A printable summary.
    """
    if not scale > 0:
        raise UserError(f"--scale must be greater than 0, found {scale}")
    first, last = cfg.demo_first_year, cfg.year
    if first > last:
        raise UserError(
            f"demo first year {first.label} is after the last year {last.label}; "
            "set demo.first_year or --first-year earlier"
        )
    raw_dir = Path(cfg.raw_dir)
    existing = _existing_demo_files(raw_dir)
    if existing and not force:
        raise UserError(
            f"demo data already exist in {raw_dir} (e.g. {existing[0]}); "
            "run `sa demo --force` to replace them"
        )
    if force:
        # remove only what an earlier `sa demo` wrote, so stale months do not linger
        for path in sorted((raw_dir / "police_uk").glob(f"*/*-{FORCE_SLUG}-*.csv")):
            path.unlink()
        for folder in (raw_dir / POPULATION_DIR, raw_dir / "msg"):
            if folder.is_dir():
                shutil.rmtree(folder)
    seed = int(cfg.demo_seed)
    geo = build_geography(seed)
    years = year_range(first, last)
    street, counts = write_police(raw_dir, geo, first, last, seed, scale)
    write_lookup(raw_dir, geo)
    population = write_population(raw_dir, geo, [y.start_year for y in years], seed)
    write_msg(raw_dir, street, geo, population, seed)
    write_series_breaks(raw_dir)
    boundaries = write_boundaries(raw_dir, geo)
    lines = [
        f"Demo data for {len(years)} financial years ({first.label} to {last.label}), "
        f"seed {seed}, scale {scale:g}, written to {raw_dir}:",
        f"  police_uk: {len(years) * 12} monthly folders; {counts['street']:,} street-level rows, "
        f"{counts['outcomes']:,} outcomes, {counts['stop-and-search']:,} stop-and-search records",
        f"  geography: lookup of {len(geo.lsoas)} LSOAs; population estimates for mid-"
        f"{years[0].start_year} to mid-{years[-1].start_year}",
        "  msg: recorded crime for 15 partnerships, a region and England and Wales",
        "  series_breaks.csv: the demo's own series break (public order from "
        f"{pd_month_words(SERIES_BREAK[1])})",
        f"  geography/boundaries: {len(boundaries)} boundary files (LSOAs, wards, local "
        "authorities) in the ONS layout",
    ]
    try:
        from sa_toolkit.demo.partner import write_partner
    except ImportError:
        write_partner = None
    if write_partner is not None:
        street_public = street[[c for c in street.columns if not c.startswith("_")]]
        partner_summary = write_partner(
            raw_dir=raw_dir,
            geography=geo,
            first_year=first,
            last_year=last,
            seed=seed,
            scale=scale,
            street=street_public,
        )
        if isinstance(partner_summary, dict):
            rows = ", ".join(f"{name} {n:,}" for name, n in partner_summary.items())
            lines.append(f"  partner: {len(partner_summary)} extracts ({rows} rows)")
        elif partner_summary:
            lines.append(f"  partner: {partner_summary}")
    # say that these data are made up (carried to the processed data and every report)
    write_marker(raw_dir, seed=seed, scale=scale, first_year=first.label, last_year=last.label)
    written = write_demo_content(cfg, last, force=force)
    lines.append(
        f"  content: example analyst's text for {last.previous().label} and {last.label} "
        f"({len(written)} files written in {Path(cfg.content_dir or cfg.root / 'content')})"
    )
    return "\n".join(lines)
