"""Geography as published: recognise ONS lookup files by their columns and chain them.

ONS publishes no single LSOA-to-partnership file: one product maps LSOAs to local
authorities, another local authorities to Community Safety Partnerships (and police force
areas), a third LSOAs to wards. Each file is recognised by its code and name columns
(``LSOA11CD``/``LSOA21CD``, ``MSOAyyCD``, ``WDyyCD``, ``LADyyCD``, ``CSPyyCD``, ``PFAyyCD`` and
their ``NM`` names), whatever else it holds (``FID``, ``ObjectId``, CCG columns), in any
order, any case, with or without a byte-order mark. Every pair of levels a file holds
gives a mapping (LSOA to LAD, LAD to CSP, CSP to PFA ...); the mappings are chained so that
each LSOA gets its local authority, partnership and a *place*: its ward when a ward lookup
is supplied, else its MSOA (the LSOA name less its final letter: "Sunderland 036C" lies in
"Sunderland 036"), else the LSOA itself.

Two files that map the same code differently are a conflict (exit 2 naming both files)
when they are of the same vintage; of different vintages the newer wins and the
difference is reported. The ONS LSOA (2011) to LSOA (2021) best-fit lookup, when supplied,
extends the lookup to the other LSOA vintage, so that police data of either vintage (the
data.police.uk files changed from 2011 to 2021 LSOAs) joins the same partnership.

The processed ``lookup`` table has one row per LSOA code and vintage; the summary of what
was recognised, chained and joined is ``processed/_geography.json`` (read with
:func:`load_summary`, phrased for readers by :func:`reader_notes`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sa_toolkit.errors import InputFileError, UserError

#: geography levels, finest first
LEVELS = ("LSOA", "MSOA", "WD", "LAD", "CSP", "PFA")
LEVEL_WORDS = {
    "LSOA": "LSOA",
    "MSOA": "MSOA",
    "WD": "ward",
    "LAD": "local authority",
    "CSP": "partnership",
    "PFA": "police force area",
}
_COLUMN_RE = re.compile(r"^(LSOA|MSOA|WD|LAD|CSP|PFA)(\d{2})(CD|NM|NMW)$", re.IGNORECASE)
SUMMARY_NAME = "_geography.json"
#: processed lookup columns (``ward_code``/``ward_name`` hold the *place*: see module doc)
LOOKUP_COLUMNS = [
    "lsoa_code", "lsoa_name", "lsoa_vintage", "msoa_code", "msoa_name", "ward_code",
    "ward_name", "place_level", "lad_code", "lad_name", "csp_code", "csp_name", "pfa_code",
    "pfa_name", "derived_from",
]  # fmt: skip
#: the plain-English name of each place level, for report wording
PLACE_WORDS = {
    "ward": ("ward", "wards"),
    "MSOA": ("MSOA", "MSOAs"),
    "LSOA": ("LSOA", "LSOAs"),
}


def vintage_year(yy: str) -> int:
    """``"11"`` -> 2011 (ONS geography codes of this century)."""
    return 2000 + int(yy)


@dataclass
class LookupFile:
    """One recognised geography file.

    ``levels`` maps a level (``"LAD"``) to ``(yy, code column, name column or None)``;
    ``lsoa_vintages`` lists the LSOA vintages held (two for the best-fit lookup).
    """

    file: str
    frame: pd.DataFrame
    levels: dict[str, tuple[str, str, str | None]]
    lsoa_vintages: list[tuple[str, str, str | None]] = field(default_factory=list)
    change_column: str | None = None

    @property
    def key(self) -> str:
        return next(level for level in LEVELS if level in self.levels)

    @property
    def is_vintage_map(self) -> bool:
        return len(self.lsoa_vintages) == 2

    @property
    def role(self) -> str:
        if self.is_vintage_map:
            a, b = self.lsoa_vintages
            return f"LSOA {vintage_year(a[0])} to LSOA {vintage_year(b[0])} best-fit lookup"
        held = [lv for lv in LEVELS if lv in self.levels]
        if len(held) == 1:
            return f"{LEVEL_WORDS[held[0]]} names and codes"
        parts = [f"{LEVEL_WORDS[lv]} {vintage_year(self.levels[lv][0])}" for lv in held]
        return " to ".join(parts)


def recognise(file: str, frame: pd.DataFrame) -> LookupFile:
    """Recognise a lookup from its columns (all read as text); InputFileError if none."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    change = None
    for col in frame.columns:
        name = str(col).strip().lstrip("\ufeff")
        if name.upper() == "CHGIND":
            change = col
        m = _COLUMN_RE.match(name)
        if m:
            level, yy, kind = m.group(1).upper(), m.group(2), m.group(3).upper()
            found.setdefault(level, {}).setdefault(yy, {})[kind] = col
    levels: dict[str, tuple[str, str, str | None]] = {}
    lsoa_vintages = []
    for level, by_year in found.items():
        usable = sorted((yy, cols) for yy, cols in by_year.items() if "CD" in cols)
        if not usable:
            continue
        if level == "LSOA":
            lsoa_vintages = [(yy, cols["CD"], cols.get("NM")) for yy, cols in usable]
        yy, cols = usable[-1]  # the newest vintage of a level held twice
        levels[level] = (yy, cols["CD"], cols.get("NM"))
    if len(lsoa_vintages) > 2:
        raise InputFileError(
            file, "holds more than two LSOA vintages; expected one, or two for a best-fit lookup"
        )
    if not levels:
        header = ", ".join(map(str, frame.columns[:8]))
        raise InputFileError(
            file,
            "is not a recognised geography lookup",
            line=1,
            expected="code columns such as LSOA21CD, LSOA11CD, WD24CD, LAD23CD, CSP23CD or PFA23CD "
            "(population estimates go in geography/population/)",
            found=header,
        )
    return LookupFile(file, frame, levels, lsoa_vintages if len(lsoa_vintages) == 2 else [], change)


def read_lookup_csv(path: Path, display: str) -> pd.DataFrame:
    """A lookup CSV as published, through the validated reader: every column text, BOM
    removed, UTF-8 or Windows-1252 line by line without loss, Excel's trailing blank lines
    dropped; a row with more or fewer fields than the header refuses the file, naming the
    line and the field counts (a lookup read shifted would misplace LSOAs)."""
    from sa_toolkit.ingest.reader import read_text_table

    text, _ = read_text_table(path, known=[], required=[], display=display)
    frame = text.drop("source_line").to_pandas()
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    for col in frame.columns:
        frame[col] = frame[col].str.strip().replace("", None)
    return frame


@dataclass
class Mapping:
    """``source`` level code -> ``target`` level code (and name), from one file."""

    source: str
    target: str
    vintage: str  # the target's yy
    file: str
    codes: pd.Series  # index: source code


def _mappings(lf: LookupFile, ambiguous: list[str]) -> tuple[list[Mapping], list[dict]]:
    """Functional level pairs a file holds. Key codes in two places are left out (and
    described in ``ambiguous``).

    Returns the mappings and the rows with a blank key code (quarantined)."""
    frame = lf.frame
    key = lf.key
    rejects: list[dict] = []
    maps = []
    held = [lv for lv in LEVELS if lv in lf.levels]
    key_col = lf.levels[key][1]
    blank = frame[key_col].isna()
    for idx in frame.index[blank]:
        rejects.append(
            {
                "source_file": lf.file,
                "source_line": int(idx) + 2,
                "column": key_col,
                "reason": "a code is required but the field is blank",
                "raw": ",".join("" if pd.isna(v) else str(v) for v in frame.loc[idx]),
            }
        )
    frame = frame[~blank]
    for i, source in enumerate(held):
        for target in held[i + 1 :]:
            s_col, t_col = lf.levels[source][1], lf.levels[target][1]
            pairs = frame[[s_col, t_col]].dropna().drop_duplicates()
            dup = pairs[s_col].duplicated(keep=False)
            if dup.any():
                if source != key or lf.is_vintage_map:
                    continue  # not a function of the source level in this file: not used
                # a code in two places (a local authority split between partnerships, an LSOA
                # across wards in an output-area file): left unassigned by this file, and said
                codes = sorted(pairs.loc[dup, s_col].unique())
                shown = "; ".join(
                    f"{c} in {', '.join(pairs.loc[pairs[s_col] == c, t_col].tolist()[:3])}"
                    for c in codes[:3]
                )
                ambiguous.append(
                    f"{lf.file}: {len(codes)} {LEVEL_WORDS[source]} codes lie in more than one "
                    f"{LEVEL_WORDS[target]} ({shown}); this file does not assign them a "
                    f"{LEVEL_WORDS[target]}."
                )
                pairs = pairs[~dup]
            maps.append(
                Mapping(
                    source, target, lf.levels[target][0], lf.file, pairs.set_index(s_col)[t_col]
                )
            )
    return maps, rejects


def _names(files: list[LookupFile]) -> dict[str, dict[str, str]]:
    """Level -> code -> name, newer vintages winning."""
    names: dict[str, dict[str, str]] = {lv: {} for lv in LEVELS}
    entries = []
    for lf in files:
        vintages = lf.lsoa_vintages or []
        for level, (yy, cd, nm) in lf.levels.items():
            if nm is not None:
                entries.append((yy, level, lf.frame[[cd, nm]]))
        for yy, cd, nm in vintages:
            if nm is not None:
                entries.append((yy, "LSOA", lf.frame[[cd, nm]]))
    for _yy, level, pairs in sorted(entries, key=lambda e: e[0]):
        pairs = pairs.dropna().drop_duplicates(subset=pairs.columns[0], keep="last")
        names[level].update(dict(zip(pairs.iloc[:, 0], pairs.iloc[:, 1], strict=True)))
    return names


def _merge_mappings(maps: list[Mapping], notes: list[str]) -> dict[tuple[str, str], pd.Series]:
    """One mapping per level pair; same-vintage disagreement is a conflict (exit 2)."""
    merged: dict[tuple[str, str], tuple[pd.Series, Mapping]] = {}
    for m in sorted(maps, key=lambda m: m.vintage):
        pair = (m.source, m.target)
        if pair not in merged:
            merged[pair] = (m.codes, m)
            continue
        have, first = merged[pair]
        common = have.index.intersection(m.codes.index)
        differ = common[have.loc[common].to_numpy() != m.codes.loc[common].to_numpy()]
        if len(differ) and first.vintage == m.vintage:
            code = differ[0]
            raise UserError(
                f"conflicting geography lookups: {first.file} maps {LEVEL_WORDS[m.source]} {code} "
                f"to {LEVEL_WORDS[m.target]} {have.loc[code]}, {m.file} to {m.codes.loc[code]} "
                f"({len(differ)} codes differ). Keep one of the two files in geography/."
            )
        if len(differ):
            notes.append(
                f"{len(differ)} {LEVEL_WORDS[m.source]} codes map to a different "
                f"{LEVEL_WORDS[m.target]} in {first.file} and {m.file}: the newer "
                f"({vintage_year(m.vintage)}) was used."
            )
        combined = pd.concat([have[~have.index.isin(m.codes.index)], m.codes])
        merged[pair] = (combined, m)
    return {pair: series for pair, (series, _) in merged.items()}


def msoa_name(lsoa_names: pd.Series) -> pd.Series:
    """The MSOA name of each LSOA from the ONS naming rule ("Sunderland 036C" ->
    "Sunderland 036"); missing where the name does not follow it."""
    text = lsoa_names.astype("string")
    derived = text.str.extract(r"^(.* \d{3})[A-Z]$", expand=False)
    return derived


@dataclass
class Geography:
    """The chained lookup and what was done to build it."""

    lookup: pd.DataFrame
    files: list[dict]
    notes: list[str]
    rejects: list[dict]

    @property
    def vintages(self) -> list[int]:
        return sorted({int(v) for v in self.lookup["lsoa_vintage"].dropna().unique()})


def build_lookup(files: list[LookupFile]) -> Geography:
    """Chain recognised files into one row per LSOA code and vintage."""
    notes: list[str] = []
    all_maps: list[Mapping] = []
    rejects: list[dict] = []
    for lf in files:
        maps, bad = _mappings(lf, notes)
        all_maps.extend(maps)
        rejects.extend(bad)
    names = _names(files)
    lsoa_files = [lf for lf in files if lf.key == "LSOA" and not lf.is_vintage_map]
    vintage_maps = [lf for lf in files if lf.is_vintage_map]
    # LSOA-keyed mappings are kept per LSOA vintage; coarser ones are shared
    by_vintage: dict[str, list[Mapping]] = {}
    shared: list[Mapping] = []
    for m in all_maps:
        lf = next(f for f in files if f.file == m.file)
        if m.source == "LSOA":
            by_vintage.setdefault(lf.levels["LSOA"][0], []).append(m)
        elif not lf.is_vintage_map or m.source != "LSOA":
            shared.append(m)
    for lf in vintage_maps:
        # the newer LSOA's coarser levels (the best-fit file carries LAD22CD)
        yy_new, cd_new, _ = lf.lsoa_vintages[-1]
        for level, (yy, cd, _nm) in lf.levels.items():
            if level == "LSOA":
                continue
            pairs = lf.frame[[cd_new, cd]].dropna().drop_duplicates(subset=cd_new)
            by_vintage.setdefault(yy_new, []).append(
                Mapping("LSOA", level, yy, lf.file, pairs.set_index(cd_new)[cd])
            )
    coarse = _merge_mappings(shared, notes)
    frames = []
    for yy in sorted(by_vintage):
        fine = _merge_mappings(by_vintage[yy], notes)
        codes = sorted(set().union(*(s.index for (src, _), s in fine.items() if src == "LSOA")))
        if lsoa_files and not any(lf.levels["LSOA"][0] == yy for lf in lsoa_files):
            continue  # only a best-fit file holds this vintage: added by extension below
        table = pd.DataFrame({"lsoa_code": codes})
        for level in LEVELS[1:]:
            col = level.lower()
            values = pd.Series(pd.NA, index=table.index, dtype="string")
            if ("LSOA", level) in fine:
                values = table["lsoa_code"].map(fine[("LSOA", level)]).astype("string")
            # chain through a finer level already known (LSOA -> LAD -> CSP)
            for via in LEVELS[1 : LEVELS.index(level)]:
                if (via, level) in coarse and values.isna().any():
                    got = table[f"{via.lower()}_code"].map(coarse[(via, level)]).astype("string")
                    values = values.fillna(got)
            table[f"{col}_code"] = values
        table.insert(1, "lsoa_vintage", vintage_year(yy))
        frames.append(table)
    if not frames:
        raise UserError(
            "no LSOA lookup in geography/: add an ONS lookup from LSOAs to local authorities "
            "or wards (e.g. LSOA21_WD24_LAD24_EW_LU.csv or LSOA11_..._LAD20_..._LU.csv)"
        )
    lookup = pd.concat(frames, ignore_index=True)
    lookup["derived_from"] = pd.Series("lookup", index=lookup.index, dtype="string")
    # one row per code: a code unchanged between vintages is one LSOA (the newer vintage's
    # row, its blanks filled from the older), so nothing downstream counts it twice
    lookup = (
        lookup.sort_values("lsoa_vintage", ascending=False, kind="stable")
        .groupby("lsoa_code", sort=True, as_index=False)
        .first()
    )
    for lf in vintage_maps:
        lookup = _extend_vintage(lookup, lf, names, notes)
    lookup["lsoa_name"] = lookup["lsoa_code"].map(names["LSOA"]).astype("string")
    for level in LEVELS[1:]:
        col = level.lower()
        lookup[f"{col}_name"] = lookup[f"{col}_code"].map(names[level]).astype("string")
    lookup = _add_places(lookup)
    described = [
        {
            "file": lf.file,
            "recognised_as": lf.role,
            "rows": int(len(lf.frame)),
            "columns": [str(c) for c in lf.frame.columns],
        }
        for lf in files
    ]
    return Geography(lookup[LOOKUP_COLUMNS], described, notes, rejects)


def _extend_vintage(lookup: pd.DataFrame, lf: LookupFile, names, notes) -> pd.DataFrame:
    """Add the rows of the other LSOA vintage through a best-fit lookup."""
    (yy_a, cd_a, _), (yy_b, cd_b, _) = lf.lsoa_vintages
    pairs = lf.frame[[cd_a, cd_b]].dropna().drop_duplicates()
    have = set(lookup["lsoa_vintage"])
    for (yy_from, c_from), (yy_to, c_to) in (
        ((yy_a, cd_a), (yy_b, cd_b)),
        ((yy_b, cd_b), (yy_a, cd_a)),
    ):
        v_from, v_to = vintage_year(yy_from), vintage_year(yy_to)
        if v_from not in have:
            continue
        known = lookup[lookup["lsoa_vintage"] == v_from].set_index("lsoa_code")
        existing = set(lookup["lsoa_code"])  # unchanged codes are already there
        use = pairs[pairs[c_from].isin(known.index) & ~pairs[c_to].isin(existing)]
        if use.empty:
            continue
        rows = known.loc[use[c_from]].reset_index(drop=True)
        rows.insert(0, "lsoa_code", use[c_to].to_numpy())
        rows["lsoa_vintage"] = v_to
        rows["derived_from"] = f"LSOA {v_from} best fit"
        # an LSOA made of several older ones in different partnerships: the first is kept
        split = rows.groupby("lsoa_code")["csp_code"].nunique(dropna=True)
        if (split > 1).any():
            notes.append(
                f"{int((split > 1).sum())} LSOAs ({v_to}) combine LSOAs ({v_from}) of different "
                "partnerships; each was given the partnership of its first best-fit match."
            )
        rows = rows.drop_duplicates("lsoa_code")
        notes.append(
            f"{len(rows):,} LSOA ({v_to}) codes were added through the best-fit lookup "
            f"{lf.file}, so that data of either LSOA vintage joins."
        )
        keep = [c for c in rows.columns if c in lookup.columns]
        lookup = pd.concat([lookup, rows[keep]], ignore_index=True)
    return lookup


def _add_places(lookup: pd.DataFrame) -> pd.DataFrame:
    """Place per LSOA: its ward, else its MSOA, else the LSOA; ``ward_*`` hold the place."""
    out = lookup.copy()
    wd_code, wd_name = out.pop("wd_code"), out.pop("wd_name")
    derived = msoa_name(out["lsoa_name"]) if "lsoa_name" in out else None
    msoa_nm = out["msoa_name"].astype("string")
    if derived is not None:
        msoa_nm = msoa_nm.fillna(derived)
    out["msoa_name"] = msoa_nm
    # without an MSOA lookup the MSOA's name is its identifier
    out["msoa_code"] = out["msoa_code"].astype("string").fillna(msoa_nm)
    level = pd.Series("LSOA", index=out.index, dtype="string")
    level[out["msoa_code"].notna()] = "MSOA"
    level[wd_code.notna()] = "ward"
    out["place_level"] = level
    lsoa_label = out["lsoa_name"].astype("string").fillna(out["lsoa_code"].astype("string"))
    out["ward_code"] = wd_code.astype("string").fillna(out["msoa_code"]).fillna(out["lsoa_code"])
    out["ward_name"] = (
        wd_name.astype("string").where(wd_code.notna()).fillna(msoa_nm).fillna(lsoa_label)
    )
    if "derived_from" not in out or out["derived_from"].isna().all():
        out["derived_from"] = out.get("derived_from", pd.Series(pd.NA, index=out.index))
    out["derived_from"] = out["derived_from"].astype("string").fillna("lookup")
    return out


# ---------------------------------------------------------------- reading it back
def partnership_rows(lookup: pd.DataFrame, code: str) -> pd.DataFrame:
    """The lookup rows of a partnership given by its CSP code or its local authority code."""
    csp = lookup["csp_code"].astype("string") == code
    lad = lookup["lad_code"].astype("string") == code
    return lookup[(csp | lad).fillna(False)]


def load_summary(processed_dir) -> dict:
    """``processed/_geography.json`` (empty dict when the ingest wrote none)."""
    path = Path(processed_dir) / SUMMARY_NAME
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


@dataclass(frozen=True)
class PlaceLevel:
    """How places are named in the reports: ``level`` ("ward", "MSOA", "LSOA"), the words
    for one and many, and a sentence saying which when it is not wards."""

    level: str
    noun: str
    plural: str
    note: str

    @property
    def title(self) -> str:
        """Column heading for one place: "Ward", "Neighbourhood (MSOA)"."""
        return self.noun[:1].upper() + self.noun[1:]

    def named(self, name: str) -> str:
        """A place in a sentence: "Hendon ward"; an MSOA or LSOA name stands alone
        ("Sunderland 013")."""
        return f"{name} ward" if self.level == "ward" else str(name)


def place_level(lookup_or_processed_dir, code: str | None = None) -> PlaceLevel:
    """The place level of a partnership's LSOAs (the most common among its rows)."""
    if isinstance(lookup_or_processed_dir, pd.DataFrame):
        lookup = lookup_or_processed_dir
    else:
        from sa_toolkit.tables import read_table

        try:
            lookup = read_table("lookup", lookup_or_processed_dir)
        except UserError:
            lookup = pd.DataFrame(columns=LOOKUP_COLUMNS)
    if code is not None and "csp_code" in lookup:
        lookup = partnership_rows(lookup, code)
    level = "ward"
    if "place_level" in lookup and len(lookup):
        level = str(lookup["place_level"].astype(str).value_counts().index[0])
    noun, plural = PLACE_WORDS.get(level, PLACE_WORDS["ward"])
    note = ""
    if level == "MSOA":
        note = (
            "Places are middle layer super output areas (MSOAs, named as their LSOAs less the "
            "final letter): no ward lookup was supplied."
        )
    elif level == "LSOA":
        note = "Places are lower layer super output areas (LSOAs): no ward lookup was supplied."
    return PlaceLevel(level, noun, plural, note)


def reader_notes(processed_dir, code: str | None = None) -> list[str]:
    """Plain sentences for reports: place level, records outside the lookup, LSOA vintages
    that could not be joined and whether the population has ages."""
    summary = load_summary(processed_dir)
    notes = []
    if not summary:
        return notes
    level = place_level(processed_dir, code)
    if level.note:
        notes.append(level.note)
    police = summary.get("police") or {}
    outside = police.get("outside_lookup", 0)
    if police.get("records"):
        records, no_loc = police["records"], police.get("no_location", 0)
        lost = (
            f"{no_loc:,} have no location: they cannot be placed in any partnership and are not "
            "in these figures."
            if no_loc
            else ""
        )
        if outside:
            text = (
                f"{outside:,} of {records:,} police records have an LSOA that is not in the "
                "geography lookup: they cannot be placed in any partnership and are not in these "
                "figures."
            )
            text += f" A further {lost}" if lost else ""
        else:
            text = (
                f"Every police record with a location ({records - no_loc:,} of {records:,}) lies "
                "in an LSOA of the geography lookup."
            )
            text += f" The other {lost}" if lost else ""
        notes.append(text)
    for join in summary.get("joins", []):
        if not join.get("ok", True):
            notes.append(join["message"])
    pop = summary.get("population") or {}
    if pop and not pop.get("ages", True):
        notes.append(
            "The population estimates supplied are totals only: rates are per head of the "
            "whole population, and the analyses by age need the population by single year of age."
        )
    return notes
