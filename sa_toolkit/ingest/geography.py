"""Ingest of the reference files whose layout varies by publication: geography lookups
(``geography/*.csv``) and population estimates (``geography/population/*.csv|xlsx``).

They are recognised by their columns (:mod:`sa_toolkit.geography`,
:mod:`sa_toolkit.ingest.population`) rather than checked against one fixed header, so they
are read here, after the generic engine, by :func:`ingest_reference` (called by
``sa_toolkit.ingest.run_ingest``). Each file gets an entry in the ingest log like any other
(rows read, kept, rejected, SHA-256); rejected rows go to ``processed/rejects/``. The
summary of what was recognised and joined, including every police record whose LSOA is not
in the lookup, is written to ``processed/_geography.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd

from sa_toolkit import geography as geo
from sa_toolkit.errors import InputFileError, UserError
from sa_toolkit.ingest.population import LAST_2011_ENGLAND_LSOA, read_population

READER_VERSION = "geography-1"
REJECT_COLUMNS = ["source_file", "source_line", "column", "reason", "raw"]


def _sha(path: Path) -> str:
    from sa_toolkit.ingest.engine import _sha256

    return _sha256(path)


def _entry(
    dataset: str,
    rel: str,
    path: Path,
    sha: str,
    rows_in: int,
    rejected: int,
    seconds: float,
    outputs: list[str],
) -> dict:
    st = path.stat()
    return {
        "dataset": dataset,
        "file": rel,
        "sha256": sha,
        "rows_in": int(rows_in),
        "rows_kept": int(rows_in - rejected),
        "rows_rejected": int(rejected),
        "seconds": round(seconds, 3),
        # the engine removes "outputs" of files it does not know: these are ours
        "outputs": [],
        "reference_outputs": outputs,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "spec_version": READER_VERSION,
    }


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith((".", "~$"))
    )


def _write_rejects(processed_dir: Path, dataset: str, files: set[str], rows: list[dict]) -> None:
    """Replace this dataset's rejects from ``files`` by ``rows`` (others are kept)."""
    path = processed_dir / "rejects" / f"{dataset}.parquet"
    frames = []
    if path.is_file():
        old = pd.read_parquet(path)
        frames.append(old[~old["source_file"].isin(files)])
    if rows:
        frames.append(pd.DataFrame(rows, columns=REJECT_COLUMNS))
    frames = [f for f in frames if len(f)]
    if not frames:
        path.unlink(missing_ok=True)
        path.with_suffix(".csv").unlink(missing_ok=True)
        return
    combined = pd.concat(frames, ignore_index=True)
    combined["source_line"] = combined["source_line"].astype("int64")
    for col in ("source_file", "column", "reason", "raw"):
        combined[col] = combined[col].astype("string")
    path.parent.mkdir(parents=True, exist_ok=True)
    combined.to_parquet(path, index=False)
    combined.to_csv(path.with_suffix(".csv"), index=False)


# ---------------------------------------------------------------- lookup
def ingest_lookup(raw_dir: Path, processed_dir: Path) -> tuple[list[dict], dict]:
    """Recognise, chain and write the lookup; returns log entries and the summary part."""
    folder = raw_dir / "geography"
    paths = _files(folder, (".csv",))
    out_dir = processed_dir / "lookup"
    if not paths:
        shutil.rmtree(out_dir, ignore_errors=True)
        _write_rejects(processed_dir, "lookup", set(), [])
        return [], {}
    t0 = time.perf_counter()
    recognised = []
    for path in paths:
        rel = path.relative_to(raw_dir).as_posix()
        frame = geo.read_lookup_csv(path, rel)
        recognised.append(geo.recognise(rel, frame))
    built = geo.build_lookup(recognised)
    lookup = built.lookup.copy()
    lookup["lsoa_vintage"] = lookup["lsoa_vintage"].astype("int32")
    for col in lookup.columns:
        if col != "lsoa_vintage":
            lookup[col] = lookup[col].astype("string")
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    lookup.to_parquet(out_dir / "lookup.parquet", index=False)
    _write_rejects(processed_dir, "lookup", {lf.file for lf in recognised}, built.rejects)
    seconds = (time.perf_counter() - t0) / len(paths)
    entries = []
    for lf, path in zip(recognised, paths, strict=True):
        bad = sum(r["source_file"] == lf.file for r in built.rejects)
        entries.append(
            _entry(
                "lookup",
                lf.file,
                path,
                _sha(path),
                len(lf.frame),
                bad,
                seconds,
                ["lookup/lookup.parquet"],
            )
        )
    counts = lookup.groupby("lsoa_vintage").size()
    summary = {
        "files": built.files,
        "lsoa_vintages": [int(v) for v in counts.index],
        "lsoas_by_vintage": {str(int(k)): int(v) for k, v in counts.items()},
        "place_levels": {str(k): int(v) for k, v in lookup["place_level"].value_counts().items()},
        "partnerships": int(lookup["csp_code"].nunique()),
        "local_authorities": int(lookup["lad_code"].nunique()),
        "notes": built.notes,
    }
    return entries, summary


# ---------------------------------------------------------------- population
def ingest_population(
    raw_dir: Path, processed_dir: Path, previous: dict[str, dict]
) -> tuple[list[dict], dict]:
    folder = raw_dir / "geography" / "population"
    paths = _files(folder, (".csv", ".xlsx"))
    out_dir = processed_dir / "population"
    entries, infos, rejects, reread = [], [], [], set()
    for path in paths:
        rel = path.relative_to(raw_dir).as_posix()
        st = path.stat()
        prev = previous.get(rel)
        same_stat = (
            prev and prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns
        )
        sha = prev["sha256"] if same_stat else _sha(path)
        if (
            prev
            and prev.get("sha256") == sha
            and prev.get("spec_version") == READER_VERSION
            and prev.get("population_info")
            and all((processed_dir / o).is_file() for o in prev.get("reference_outputs", []))
        ):
            entry = dict(prev, size=st.st_size, mtime_ns=st.st_mtime_ns, _cached=True)
            rejects.extend(prev.get("population_rejects", []))
            reread.add(rel)
            entries.append(entry)
            infos.append(entry["population_info"])
            continue
        t0 = time.perf_counter()
        pf = read_population(path, rel)
        reread.add(rel)
        rejects.extend(pf.rejects)
        out_rel = f"population/{path.stem}.parquet"
        (processed_dir / "population").mkdir(parents=True, exist_ok=True)
        tmp = processed_dir / f".{path.stem}.population.tmp"
        pf.frame.to_parquet(tmp, index=False)
        os.replace(tmp, processed_dir / out_rel)
        info = {
            "file": rel,
            "layout": pf.layout,
            "ages": pf.ages,
            "lsoa_vintage": pf.lsoa_vintage,
            "years": sorted(int(y) for y in pf.frame["year"].unique()),
            "lsoas": int(pf.frame["lsoa_code"].nunique()),
            "total_by_year": {
                str(int(y)): int(v) for y, v in pf.frame.groupby("year")["population"].sum().items()
            },
        }
        entry = _entry(
            "population",
            rel,
            path,
            sha,
            pf.rows_in,
            len(pf.rejects),
            time.perf_counter() - t0,
            [out_rel],
        )
        entry["population_info"] = info
        # kept with the entry: the engine rewrites this dataset's rejects every run
        entry["population_rejects"] = pf.rejects
        entries.append(entry)
        infos.append(info)
    # one estimate per mid-year: two files holding the same year would count people twice
    seen: dict[int, str] = {}
    for info in infos:
        for year in info["years"]:
            if year in seen:
                raise UserError(
                    f"two population files hold estimates for {year}: {seen[year]} and "
                    f"{info['file']}; keep one of them (people would be counted twice)."
                )
            seen[year] = info["file"]
    keep = {o for e in entries for o in e["reference_outputs"]}
    if out_dir.is_dir():
        for f in out_dir.glob("*.parquet"):
            if f"population/{f.name}" not in keep:
                f.unlink()
    gone = {f for f, e in previous.items() if e.get("dataset") == "population"} - {
        e["file"] for e in entries
    }
    _write_rejects(processed_dir, "population", reread | gone, rejects)
    if not infos:
        return entries, {}
    summary = {
        "files": infos,
        "ages": all(i["ages"] for i in infos),
        "years": sorted(seen),
        "lsoa_vintages": sorted({i["lsoa_vintage"] for i in infos if i["lsoa_vintage"]}),
    }
    return entries, summary


# ---------------------------------------------------------------- police against the lookup
def police_against_lookup(
    processed_dir: Path, lookup_summary: dict, population: dict
) -> tuple[dict, list[dict]]:
    """Count police records outside the lookup and say which sources cannot be joined."""
    police: dict = {}
    joins: list[dict] = []
    lookup_path = processed_dir / "lookup" / "lookup.parquet"
    street = processed_dir / "police_street"
    if not lookup_path.is_file():
        return police, joins
    lookup = pd.read_parquet(lookup_path, columns=["lsoa_code", "lsoa_vintage"])
    vintages = sorted(int(v) for v in lookup["lsoa_vintage"].unique())
    all_codes = set(lookup["lsoa_code"])
    files = sorted(street.rglob("*.parquet")) if street.is_dir() else []
    if files:
        import polars as pl

        counts = (
            pl.scan_parquet([str(f) for f in files])
            .select(pl.col("month").cast(pl.Date), pl.col("lsoa_code").cast(pl.String))
            .group_by("month", "lsoa_code")
            .len()
            .collect()
            .to_pandas()
        )
        counts["month"] = pd.PeriodIndex(pd.to_datetime(counts["month"]), freq="M").astype(str)
        located = counts["lsoa_code"].notna()
        inside = counts["lsoa_code"].isin(all_codes)
        outside = counts[located & ~inside]
        police = {
            "records": int(counts["len"].sum()),
            "no_location": int(counts.loc[~located, "len"].sum()),
            "outside_lookup": int(outside["len"].sum()),
            "outside_lookup_lsoas": int(outside["lsoa_code"].nunique()),
            "outside_lookup_by_month": {
                str(k): int(v) for k, v in outside.groupby("month")["len"].sum().items()
            },
        }
        # LSOA vintage of each month: 2021 when a code above the last 2011 code in England
        # occurs (about 1,900 English LSOAs are new in 2021, so a force's month holds some)
        month_vintage = {}
        for month, rows in counts[located].groupby("month"):
            eng = rows["lsoa_code"].astype(str)
            eng = eng[eng.str.match(r"^E01\d{6}$")]
            newer = bool(len(eng)) and bool(
                (eng.str.slice(3).astype(int) > LAST_2011_ENGLAND_LSOA).any()
            )
            month_vintage[month] = 2021 if newer else 2011
        by_vintage: dict[int, list[str]] = {}
        for month, v in sorted(month_vintage.items()):
            by_vintage.setdefault(v, []).append(month)
        police["months_by_vintage"] = {str(k): v for k, v in by_vintage.items()}
        for v, months in by_vintage.items():
            if v in vintages:
                continue
            lost = sum(police["outside_lookup_by_month"].get(m, 0) for m in months)
            if not lost:
                # most codes are the same in both vintages: a month whose every located
                # record is in the lookup joins whole, whichever vintage it was read as
                continue
            joins.append(
                {
                    "source": "police",
                    "ok": False,
                    "message": (
                        f"The police data of {_span(months)} use {v} LSOA codes but the geography "
                        f"lookup holds {' and '.join(map(str, vintages))} codes: {lost:,} records "
                        "in LSOAs whose codes changed cannot be placed, so crime figures for those "
                        "months are incomplete. Add the ONS LSOA (2011) to LSOA (2021) best-fit "
                        "lookup to the geography folder."
                    ),
                }
            )
    pop_vintages = population.get("lsoa_vintages") or []
    for v in pop_vintages:
        if v not in vintages:
            joins.append(
                {
                    "source": "population",
                    "ok": False,
                    "message": (
                        f"The population estimates are for {v} LSOAs but the geography lookup "
                        f"holds {' and '.join(map(str, vintages))} LSOAs: rates per head cannot "
                        "be computed for areas whose codes changed. Add the ONS LSOA (2011) to "
                        "LSOA (2021) best-fit lookup to the geography folder."
                    ),
                }
            )
    return police, joins


def _span(months: list[str]) -> str:
    first = pd.Period(months[0], freq="M").strftime("%B %Y")
    last = pd.Period(months[-1], freq="M").strftime("%B %Y")
    return first if first == last else f"{first} to {last}"


# ---------------------------------------------------------------- the step
def ingest_reference(raw_dir, processed_dir, previous_log: dict) -> tuple[list[dict], dict]:
    """Lookup and population; the summary written to ``_geography.json``.

    ``previous_log`` is the ingest log as it was before the engine ran (the engine drops
    entries of files it does not read)."""
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    previous = {
        e["file"]: e
        for e in previous_log.get("files", [])
        if e.get("spec_version") == READER_VERSION
    }
    lookup_entries, lookup_summary = ingest_lookup(raw_dir, processed_dir)
    pop_entries, pop_summary = ingest_population(raw_dir, processed_dir, previous)
    police, joins = police_against_lookup(processed_dir, lookup_summary, pop_summary)
    from sa_toolkit.ingest.msg import ingest_msg

    msg_entries, msg_infos = ingest_msg(raw_dir, processed_dir)
    summary = {
        "msg": msg_infos,
        "lookup": lookup_summary,
        "population": pop_summary,
        "police": police,
        "joins": joins,
    }
    path = processed_dir / geo.SUMMARY_NAME
    if lookup_summary or pop_summary or msg_infos:
        processed_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
    return lookup_entries + pop_entries + msg_entries, summary


def describe(summary: dict) -> list[str]:
    """Lines for the ingest output: what the geography and population files gave."""
    lines = []
    lookup = summary.get("lookup") or {}
    for f in lookup.get("files", []):
        lines.append(f"  {f['file']}: {f['recognised_as']} ({f['rows']:,} rows)")
    if lookup:
        by = " and ".join(f"{n:,} LSOAs ({v} codes)" for v, n in lookup["lsoas_by_vintage"].items())
        levels = ", ".join(f"{lv} for {n:,} LSOAs" for lv, n in lookup["place_levels"].items())
        lines.append(
            f"  lookup: {by}; {lookup['local_authorities']:,} local authorities, "
            f"{lookup['partnerships']:,} partnerships; places named by {levels}"
        )
        lines.extend(f"  note: {n}" for n in lookup.get("notes", []))
    pop = summary.get("population") or {}
    for f in pop.get("files", []):
        totals = ", ".join(f"{y}: {t:,}" for y, t in f["total_by_year"].items())
        vintage = f" ({f['lsoa_vintage']} LSOAs)" if f.get("lsoa_vintage") else ""
        what = f"{f['layout']}, by sex and age" if f["ages"] else "totals only, no ages"
        lines.append(f"  {f['file']}: {what}; {f['lsoas']:,} LSOAs{vintage}; residents {totals}")
    police = summary.get("police") or {}
    if police:
        lines.append(
            f"  police records: {police['records']:,}; {police['outside_lookup']:,} with an LSOA "
            f"not in the lookup ({police['outside_lookup_lsoas']:,} LSOAs), "
            f"{police['no_location']:,} with no location"
        )
    for join in summary.get("joins", []):
        lines.append(f"  warning: {join['message']}")
    for info in summary.get("msg", []):
        if info["layout"] == "simple":
            continue
        years = ", ".join(info["years"]) or "no complete year"
        lines.append(
            f"  {info['file']}: {info['layout']}; {info['partnerships']:,} partnerships; complete years {years}"
        )
        if info["partial_years"]:
            lines.append(
                f"  note: years without all four quarters are not used: {', '.join(info['partial_years'])}"
            )
        if info["names_without_code"]:
            shown = ", ".join(info["names_without_code"][:5])
            lines.append(
                f"  note: {len(info['names_without_code'])} partnership names have no code in the geography lookup (e.g. {shown}); they are kept under their names"
            )
        if info["without_population"]:
            lines.append(
                f"  note: {len(info['without_population'])} partnerships have no population estimate: no rate for them"
            )
    return lines


__all__ = ["ingest_reference", "describe", "InputFileError"]
