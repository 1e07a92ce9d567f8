"""Checks that a rendered year folder quotes each measure with one figure.

Used by ``tests/test_one_figure_per_measure.py`` on the session's demo run, and runnable on
any rendered folder (``python -m tests.measure_checks reports/2025-26``) to list what a
render gets wrong. Each check returns a list of problems (empty: none). The arithmetic is
done here, by hand, from the figures as printed: never by the toolkit's own functions.

How quoted figures are recognised: the published measure set (``measures.csv``) names
every measure by its label; each framework table row (every report, the Word annex) is
matched to it by label and checked against it; tables with a "95% interval" column and
"x (y to z)" text are checked for intervals that hold their estimate; and the measures the
issue found quoted with two figures (primary fires, deliberate fires, alcohol-related
violence, anti-social behaviour, the age profile of suspects, re-offending) are checked
by their own labels, since a scan finds only what it knows to look for.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
from bs4 import BeautifulSoup

REPORTS = (
    "index.html", "00_overview.html", "01_violent_crime.html", "02_youth_crime.html",
    "03_anti_social_behaviour.html", "04_drugs_and_alcohol.html", "05_reoffending.html",
    "06_safer_communities.html",
)  # fmt: skip
NUMBER = re.compile(r"^[+-]?[\d,]*\.?\d+$")


def number(text: str) -> float | None:
    text = text.strip().replace(",", "").rstrip("%").replace("\u2212", "-")
    text = text.replace(" pp", "").replace("pp", "").strip()
    return float(text) if NUMBER.match(text) else None


def places(text: str) -> int:
    text = text.strip().rstrip("%").replace(" pp", "")
    return len(text.split(".")[1]) if "." in text else 0


# ----------------------------------------------------------------------------- reading


def html_pages(folder: Path) -> dict[str, BeautifulSoup]:
    return {
        name: BeautifulSoup((folder / name).read_text(encoding="utf-8"), "html.parser")
        for name in REPORTS
        if (folder / name).is_file()
    }


def tables_of(soup: BeautifulSoup) -> list[list[list[str]]]:
    out = []
    for table in soup.find_all("table"):
        rows = [
            [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
            for tr in table.find_all("tr")
        ]
        if rows:
            out.append(rows)
    return out


def docx_parts(folder: Path) -> tuple[str, list[list[list[str]]]]:
    import docx

    files = sorted(folder.glob("strategic_assessment_*.docx"))
    if not files:
        return "", []
    document = docx.Document(str(files[0]))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text.strip() for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def all_texts(folder: Path) -> dict[str, str]:
    texts = {n: s.get_text(" ", strip=True) for n, s in html_pages(folder).items()}
    text, tables = docx_parts(folder)
    texts["Word document"] = text + "\n" + "\n".join(" ".join(r) for t in tables for r in t)
    return texts


def all_tables(folder: Path) -> dict[str, list[list[list[str]]]]:
    out = {n: tables_of(s) for n, s in html_pages(folder).items()}
    out["Word document"] = docx_parts(folder)[1]
    return out


def measure_set(folder: Path) -> pd.DataFrame | None:
    path = folder / "measures.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else None


def framework_rows(folder: Path) -> list[tuple[str, dict[str, str]]]:
    """Every framework table row (header with Indicator, Baseline and Actual): (where, row)."""
    out = []
    for where, tables in all_tables(folder).items():
        for rows in tables:
            header = rows[0]
            if not {"Indicator", "Baseline", "Actual"} <= set(header):
                continue
            for row in rows[1:]:
                if len(row) == len(header):
                    out.append((where, dict(zip(header, row, strict=True))))
    return out


def label_of(indicator: str, labels: set[str]) -> str | None:
    """The set's label of a framework row's Indicator cell (a leading code allowed)."""
    if indicator in labels:
        return indicator
    rest = indicator.split(" ", 1)[-1]
    return rest if rest in labels else None


# ----------------------------------------------------------------------------- checks


def check_framework_rows_against_set(folder: Path) -> list[str]:
    """Each framework row's baseline and actual equal the set's values for the label."""
    ms = measure_set(folder)
    if ms is None:
        return [f"{folder}: no measures.csv (the run's published measure set)"]
    problems = []
    by_label: dict[str, list[str]] = {}
    for label, value in zip(ms["Measure"], ms["Value"], strict=True):
        by_label.setdefault(label, []).append(value)
    for label, values in by_label.items():
        if len(values) > 2:
            problems.append(f"measure set: {label!r} has {len(values)} values (one per period)")
    for where, row in framework_rows(folder):
        label = label_of(row["Indicator"], set(by_label))
        if label is None:
            continue
        values = by_label[label]
        for column, expected in zip(("Baseline", "Actual"), values[-2:], strict=False):
            shown, want = number(row[column]), number(expected)
            if shown is None or want is None:
                continue
            if abs(shown - want) > 0.5 * 10 ** -places(row[column]) + 1e-4:
                problems.append(
                    f"{where}: {label} {column} shown {row[column]}, the measure set has {expected}"
                )
    return problems


def check_changes_reconcile(folder: Path) -> list[str]:
    """A framework row's change, recomputed by hand from its displayed baseline and actual."""
    problems = []
    for where, row in framework_rows(folder):
        b, a, c = (number(row.get(k, "")) for k in ("Baseline", "Actual", "Change"))
        if None in (b, a, c):
            continue
        if "pp" in row["Change"]:
            expected = a - b
        elif b == 0:
            continue
        else:
            expected = (a - b) / b * 100
        if abs(round(expected, places(row["Change"])) - c) > 0.5 * 10 ** -places(row["Change"]):
            problems.append(
                f"{where}: {row['Indicator']}: {row['Baseline']} to {row['Actual']} is "
                f"{expected:+.2f}, shown as {row['Change']}"
            )
    return problems


def check_same_figure_everywhere(folder: Path) -> list[str]:
    """One framework row label, one baseline and one actual across every report."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    problems = []
    for where, row in framework_rows(folder):
        name = (
            row["Indicator"].split(" ", 1)[-1]
            if re.match(r"^NI\d|^LI\d", row["Indicator"])
            else row["Indicator"]
        )
        for column in ("Baseline", "Actual"):
            shown = number(row[column])
            if shown is None:
                continue
            key = (name, column)
            if key in seen:
                other_where, other = seen[key]
                tol = 0.5 * 10 ** -min(places(other), places(row[column])) + 1e-9
                if abs(number(other) - shown) > tol:
                    problems.append(
                        f"{name} {column}: {other} in {other_where}, {row[column]} in {where}"
                    )
            else:
                seen[key] = (where, row[column])
    return problems


#: "0.5 (95% interval 0.41 to 0.49)" in a sentence (a change "fell 6% (4,981 to 5,275)" is not
#: an interval); in a table cell the bare "0.5 (0.41 to 0.49)" form
INTERVAL_TEXT = re.compile(
    r"(?<![\d.-])(\d[\d,]*\.?\d*)%? \(95% (?:confidence )?interval (?:of the estimate )?"
    r"(\d[\d,]*\.?\d*)%? to (\d[\d,]*\.?\d*)%?[;)]"
)
CELL_INTERVAL = re.compile(r"^(\d[\d,]*\.?\d*)%? \((\d[\d,]*\.?\d*)%? to (\d[\d,]*\.?\d*)%?\)$")


def check_intervals_hold_estimates(folder: Path) -> list[str]:
    """Every "value (lower to upper)" and every table value beside its "95% interval"."""
    problems = []
    for where, text in all_texts(folder).items():
        for m in INTERVAL_TEXT.finditer(text):
            v, lo, hi = (float(x.replace(",", "")) for x in m.groups())
            if not lo <= v <= hi:
                problems.append(f"{where}: {m.group(0)}")
    for where, tables in all_tables(folder).items():
        for rows in tables:
            for cell in (c for row in rows for c in row):
                m = CELL_INTERVAL.match(cell)
                if m:
                    v, lo, hi = (float(x.replace(",", "")) for x in m.groups())
                    if not lo <= v <= hi:
                        problems.append(f"{where}: {cell}")
            header = rows[0]
            cols = [i for i, h in enumerate(header) if h.lower().endswith("interval") and i > 0]
            for i in cols:
                for row in rows[1:]:
                    if len(row) != len(header):
                        continue
                    m = re.match(r"^(-?[\d.,]+)%? to (-?[\d.,]+)%?$", row[i])
                    v = number(row[i - 1])
                    if m and v is not None:
                        lo, hi = number(m.group(1)), number(m.group(2))
                        if not lo <= v <= hi:
                            problems.append(f"{where}: {header[i - 1]} {row[i - 1]} ({row[i]})")
    ms = measure_set(folder)
    if ms is not None:
        for _, r in ms.iterrows():
            v, lo, hi = (
                number(r["Value"]),
                number(r["Lower 95% limit"]),
                number(r["Upper 95% limit"]),
            )
            if None not in (v, lo, hi) and not lo <= v <= hi:
                problems.append(f"measure set: {r['Measure']} {r['Period']} {v} ({lo} to {hi})")
    return problems


def _framework_value(folder: Path, label_part: str, column: str) -> float | None:
    for _, row in framework_rows(folder):
        if label_part in row["Indicator"]:
            value = number(row[column])
            if value is not None:
                return value
    return None


def check_primary_fires(folder: Path) -> list[str]:
    """The safer communities fire table's primary fire rates are the framework's NI 49 (i)."""
    problems = []
    for rows in all_tables(folder).get("06_safer_communities.html", []):
        header = rows[0]
        rate_cols = [h for h in header if h.startswith("Rate ")]
        for row in rows[1:]:
            if row and row[0] == "Primary fires" and len(row) == len(header):
                cells = dict(zip(header, row, strict=True))
                for column, fw in zip(rate_cols, ("Baseline", "Actual"), strict=False):
                    want = _framework_value(folder, "primary fires per 100,000", fw)
                    shown = number(cells[column])
                    if want is not None and shown is not None and abs(want - shown) > 0.051:
                        problems.append(
                            f"primary fires per 100,000: {shown} in the fire table, {want} in "
                            "the performance framework"
                        )
    return problems


def check_deliberate_fires_one_multiplier(folder: Path) -> list[str]:
    """Deliberate fires are per 10,000 (NI 33) wherever they are quoted."""
    problems = []
    for where, soup in html_pages(folder).items():
        for table in soup.find_all("table"):
            caption = table.find("caption")
            heads = " ".join(th.get_text(" ", strip=True) for th in table.find_all("th"))
            about = (caption.get_text(" ", strip=True) if caption else "") + " " + heads
            rows = [tr.find(["th", "td"]) for tr in table.find_all("tr")]
            named = any(
                c is not None and c.get_text(strip=True) == "Deliberate fires" for c in rows
            )
            if named and "100,000" in about:
                problems.append(f"{where}: deliberate fires in a table of rates per 100,000")
    for where, text in all_texts(folder).items():
        if re.search(r"[Dd]eliberate[^.]{0,60}per 100,000", text):
            problems.append(f"{where}: deliberate fires quoted per 100,000")
    for where, rows in framework_rows(folder):
        if "eliberate" in rows["Indicator"] and "100,000" in rows["Indicator"]:
            problems.append(f"{where}: {rows['Indicator']}")
    return problems


ALCOHOL_SENTENCE = re.compile(
    r"Alcohol-related offences accounted for [\d.]+% of ([a-z ]+?) \(([\d,]+) of ([\d,]+) offences\)"
)


def check_alcohol_related_violence(folder: Path) -> list[str]:
    """One count of alcohol-related violence out of one count of violence, in every report."""
    quoted = set()
    for where, text in all_texts(folder).items():
        for m in ALCOHOL_SENTENCE.finditer(text):
            quoted.add((m.group(2), m.group(3), where, m.group(1)))
    for where, tables in all_tables(folder).items():
        for rows in tables:
            header = rows[0]
            if "Count" in header and "Out of" in header:
                for row in rows[1:]:
                    if row and row[0].startswith("Alcohol-related") and len(row) == len(header):
                        cells = dict(zip(header, row, strict=True))
                        quoted.add((cells["Count"], cells["Out of"], where, row[0]))
    pairs = {(a, b) for a, b, _, _ in quoted}
    if len(pairs) > 1:
        return [
            "alcohol-related violence quoted as "
            + "; ".join(f"{a} of {b} ({what}, {where})" for a, b, where, what in sorted(quoted))
        ]
    return []


ASB_ALL = "Anti-social behaviour incidents reported to the police, council and housing providers"


def check_anti_social_behaviour(folder: Path) -> list[str]:
    """The overview and the summary lead with the anti-social behaviour report's figure."""
    texts = all_texts(folder)
    own = texts.get("03_anti_social_behaviour.html", "")
    m = re.search(re.escape(ASB_ALL) + r" in [\d/]+ [^(]*\(([\d,]+) to ([\d,]+) incidents\)", own)
    if not m:
        return []  # police-recorded only: one definition already
    problems = []
    for where in ("00_overview.html", "index.html"):
        text = texts.get(where, "")
        if "Police-recorded anti-social behaviour" in text and re.search(
            r"Police-recorded anti-social behaviour (fell|rose|was)", text
        ):
            problems.append(f"{where}: leads with police-recorded anti-social behaviour")
        if m.group(0) not in text:
            problems.append(f"{where}: does not quote {m.group(0)!r}")
    return problems


def check_suspects_not_offenders(folder: Path) -> list[str]:
    return [
        f"{where}: 'Age profile of offenders' shows suspects"
        for where, text in all_texts(folder).items()
        if "Age profile of offenders" in text
    ]


def check_reoffending_framework_is_the_reports_cohort(folder: Path) -> list[str]:
    """The young people's re-offending row is the report's full cohort, and a frequency is
    not called a rate."""
    problems = []
    texts = all_texts(folder)
    m = re.search(
        r"(\d+)% of young offenders in the ([\d/]+) cohort re-offended",
        texts.get("02_youth_crime.html", ""),
    )
    actual = _framework_value(folder, "Proven re-offending rate, young people", "Actual")
    if m and actual is None:
        problems.append(
            f"youth re-offending: the report reads the {m.group(2)} cohort ({m.group(1)}%), "
            "the framework row has no actual"
        )
    elif m and abs(actual - int(m.group(1))) > 0.55:  # whole % in the text, 1 decimal in the table
        problems.append(
            f"youth re-offending: {m.group(1)}% in the report, {actual}% in the framework"
        )
    ms = measure_set(folder)
    if ms is not None:
        for label, unit in zip(ms["Measure"], ms["Unit"], strict=True):
            # a word, not a part of one ("Integrated Offender Management")
            if unit == "re-offences per re-offender" and re.search(r"\brates?\b", label, re.I):
                problems.append(f"a frequency labelled as a rate: {label}")
    for where, row in framework_rows(folder):
        if row["Indicator"].split(" ", 1)[-1].startswith("Rate of proven re-offending") and (
            "%" not in row["Baseline"] + row["Actual"]
        ):
            problems.append(f"{where}: {row['Indicator']} is a frequency labelled as a rate")
    return problems


CHECKS = (
    check_framework_rows_against_set,
    check_changes_reconcile,
    check_same_figure_everywhere,
    check_intervals_hold_estimates,
    check_primary_fires,
    check_deliberate_fires_one_multiplier,
    check_alcohol_related_violence,
    check_anti_social_behaviour,
    check_suspects_not_offenders,
    check_reoffending_framework_is_the_reports_cohort,
)


def main(folder: str) -> int:
    failed = 0
    for check in CHECKS:
        problems = check(Path(folder))
        failed += bool(problems)
        print(f"{check.__name__}: {'FAIL' if problems else 'ok'}")
        for p in problems[:8]:
            print(f"    {p}")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1]))
