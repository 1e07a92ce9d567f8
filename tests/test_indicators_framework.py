"""`sa framework`: the 2009 Appendix 1 rows, entered-value handling, and values computed from data."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sa_toolkit.cli import app
from sa_toolkit.framework import build_framework, parse_value, read_values
from sa_toolkit.indicators.change import poisson_change
from sa_toolkit.indicators.computations import DataSource
from sa_toolkit.targets import read_targets

FIXTURE = Path(__file__).parent / "fixtures" / "appendix1_2009.csv"
EXAMPLE_TARGETS = Path(__file__).parents[1] / "docs" / "examples" / "targets_appendix1_2009.csv"
runner = CliRunner()

# Rows where the published table and the documented rules disagree. The rules are not bent:
#  - NI45: the plan prints -11%, the *relative* change of 80% -> 71%; for a percentage the rules
#    give the percentage-point change, -9 pp (the plan uses pp for every other percentage).
#  - NI19: published G with a baseline "tbc" and target "tbc": nothing to compare, so no light.
#  - NI39: published R with target "tbc": a target to be confirmed gives no light (and with no
#    target, a rise of 14% with no counts to test it is no evidence of change either).
#  - NI49i: published A with no target; the actual covers April to January only, and with no
#    counts the fall of 21% cannot be tested for significance: no light.
#  - NI47, NI48, NI49iii: no light published (provisional or part-year actuals); the rules rate
#    them: NI47 G (156 within the level target 160), NI48 A (9 -> 8, not significant),
#    NI49iii G (-44% against a 0% change target).
CHANGE_DISAGREES = {"NI45"}
RAG_DISAGREES = {"NI19": ("G", ""), "NI39": ("R", ""), "NI49i": ("A", ""), "NI47": ("", "G"),
                 "NI48": ("", "A"), "NI49iii": ("", "G")}  # fmt: skip


def _half_unit(text: str) -> float:
    """Half of the last printed digit: '0.72' -> 0.005, '2,012' -> 0.5."""
    number = re.match(r"\s*[-+]?[\d,]*\.?\d+", text).group(0)
    decimals = len(number.split(".")[1]) if "." in number else 0
    return 0.5 * 10**-decimals


def _relative_change_range(baseline: str, actual: str) -> tuple[float, float]:
    b, a = parse_value(baseline).number, parse_value(actual).number
    db, da = _half_unit(baseline), _half_unit(actual)
    return ((a - da) / (b + db) - 1) * 100, ((a + da) / (b - db) - 1) * 100


def _config(folder: Path, targets: Path | None) -> Path:
    """A configuration for 2008/09, with ``performance.targets`` when given."""
    config = folder / "assessment.yml"
    text = "partnership:\n  name: Safer Southwark Partnership\n  code: E22000001\n"
    text += "assessment:\n  year: 2008/09\n"
    if targets is not None:
        text += f"performance:\n  targets: {targets}\n"
    config.write_text(text, encoding="utf-8")
    return config


def _run_framework(folder: Path, targets: Path | None) -> pd.DataFrame:
    """`sa framework` on the Appendix 1 values without their targets (those come from
    the partnership's targets file, when configured)."""
    values = folder / "values.csv"
    entered = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    entered.drop(columns=["target", "target_type"]).to_csv(values, index=False)
    out = folder / "x.csv"
    result = runner.invoke(
        app,
        ["--config", str(_config(folder, targets)), "framework", "--values", str(values),
         "--out", str(out), "--year", "2008/09", "--no-data"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return pd.read_csv(out, dtype=str, keep_default_na=False).set_index("indicator_id")


@pytest.fixture(scope="module")
def appendix(tmp_path_factory) -> pd.DataFrame:
    produced = _run_framework(tmp_path_factory.mktemp("framework"), EXAMPLE_TARGETS)
    published = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False).set_index("indicator_id")
    entered = published[["baseline", "actual"]].add_suffix("_in")
    extra = published[["published_change", "published_rag", "target", "target_type"]]
    return pd.concat([produced, entered, extra.add_suffix("_published")], axis=1).rename(
        columns={"published_change_published": "published_change",
                 "published_rag_published": "published_rag"}
    )  # fmt: skip


def test_example_targets_are_the_published_targets(appendix):
    # the example targets file carries the plan's targets, with their source, into the table
    with_target = appendix[appendix["target_published"] != ""]
    assert len(with_target) == 26
    for indicator_id, row in with_target.iterrows():
        if row["target_published"] == "tbc":
            assert row["target_type"] == "tbc" and row["target"] == "", indicator_id
        else:
            printed = float(row["target_published"].rstrip("%"))
            assert float(row["target"]) == printed, indicator_id
            assert row["target_type"] == row["target_type_published"], indicator_id
        assert "Appendix 1" in row["target_source"]
    assert (appendix.loc[appendix["target_published"] == "", "target_type"] == "none").all()


def test_no_targets_file_no_row_shows_a_target(tmp_path):
    produced = _run_framework(tmp_path, None)
    assert (produced["target_type"] == "none").all()
    assert (produced["target"] == "").all() and (produced["target_source"] == "").all()
    # direction and significance decide: 9,306 -> 8,024 serious acquisitive crimes is a
    # significant fall; 1 -> 3 domestic violence murders is not significant (p = 0.63)
    assert produced.loc["NI16", "rag_label"] == (
        "Green: better, statistically significant (no target)"
    )
    assert produced.loc["NI34", "rag"] == "A"
    # 80% -> 71% with no sample sizes: a direction, not evidence of change
    assert produced.loc["NI45", "rag"] == ""
    assert "no rating" in produced.loc["NI45", "rag_label"]
    assert not produced["rag_label"].str.contains("target .* met", regex=True).any()


def test_output_has_the_required_columns(appendix):
    required = "name,priority,baseline,actual,change,change_unit,rag,target,significant,comment"
    assert set(required.split(",")) <= set(appendix.columns)
    assert len(appendix) == 58


def test_appendix_1_published_changes_reproduced_to_rounding(appendix):
    rows = appendix[appendix["published_change"].str.match(r"^[-+]?\d")]
    assert len(rows) == 19
    for indicator_id, row in rows.iterrows():
        published = float(row["published_change"].rstrip("%"))
        ours = float(row["change"])
        if row["change_unit"] == "pp":
            # percentages: the plan prints the point change with a % sign
            expected = float(
                parse_value(row["actual_in"]).number - parse_value(row["baseline_in"]).number
            )
            assert ours == pytest.approx(expected)
            agrees = abs(ours - published) <= 0.5 + 1e-9
        else:
            low, high = _relative_change_range(row["baseline_in"], row["actual_in"])
            assert low - 0.05 <= ours <= high + 0.05, indicator_id
            # the published whole-number % is consistent with the rounded inputs
            agrees = low - 0.5 <= published <= high + 0.5
        assert agrees == (indicator_id not in CHANGE_DISAGREES), indicator_id
    nI45 = appendix.loc["NI45"]
    assert (nI45["change"], nI45["change_unit"]) == ("-9.0", "pp")
    assert round((71 - 80) / 80 * 100) == -11  # what the plan printed


def test_appendix_1_traffic_lights(appendix):
    disagreements = {
        i: (row["published_rag"], row["rag"])
        for i, row in appendix.iterrows()
        if row["published_rag"] != row["rag"]
    }
    assert disagreements == RAG_DISAGREES
    assert (appendix["published_rag"] != "").sum() == 21


def test_appendix_1_notes_breaks_and_chance(appendix):
    for indicator_id in ("NI15", "NI20"):
        row = appendix.loc[indicator_id]
        assert row["change"] == "" and row["rag"] == ""
        assert "comparison not possible: counting rules changed" in row["comment"]
    # 1 -> 3 domestic violence murders: +175%, red against the target, and not significant
    murders = appendix.loc["NI34"]
    assert (murders["change"], murders["rag"], murders["significant"]) == ("175.0", "R", "no")
    assert appendix.loc["NI16", "significant"] == "yes"  # 9,306 -> 8,024 offences
    assert "projected 08/09" in appendix.loc["NI39", "comment"]
    assert appendix.loc["NI19", "baseline"] == "tbc"
    assert appendix.loc["NI38", "comment"].count("Six months of data") == 1


def test_values_file_alone_uses_the_catalogue_for_missing_columns(tmp_path):
    values = tmp_path / "v.csv"
    values.write_text(
        "indicator_id,baseline,actual\nNI16,34.56,29.24\nNI42,65%,41%\n"
        "NI41,,baseline to be established in 08/09\nMY1,10,12\n"
    )
    frame = build_framework(read_values(values), year="2008/09").set_index("indicator_id")
    assert frame.loc["NI16", "name"].startswith("Serious acquisitive crime")
    # the catalogue carries no target: 34.56 -> 29.24 with no counts cannot be rated
    assert frame.loc["NI16", "target_type"] == "none" and frame.loc["NI16", "rag"] == ""
    targets = read_targets(EXAMPLE_TARGETS)
    rated = build_framework(read_values(values), year="2008/09", targets=targets)
    # the partnership's target -2.1%: -15.4% meets it
    assert rated.set_index("indicator_id").loc["NI16", "rag_label"] == "Green: target -2.1% met"
    # a target for another year does not apply
    other_year = build_framework(read_values(values), year="2009/10", targets=targets)
    assert (other_year["target_type"] == "none").all()
    assert (frame.loc["NI42", "change"], frame.loc["NI42", "change_unit"]) == (-24.0, "pp")
    assert frame.loc["NI41", "rag"] == "" and "to be established" in frame.loc["NI41", "comment"]
    assert "unit unknown" in frame.loc["MY1", "comment"] and frame.loc["MY1", "rag"] == ""


def test_xlsx_in_and_html_out(tmp_path):
    source = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    xlsx = tmp_path / "values.xlsx"
    source.to_excel(xlsx, index=False)
    html = tmp_path / "framework.html"
    result = runner.invoke(
        app,
        ["framework", "--values", str(xlsx), "--out", str(html), "--year", "2008/09", "--no-data"],
    )
    assert result.exit_code == 0, result.output
    text = html.read_text()
    assert "<table" in text and "Red: target +0% missed by 175.0%" in text
    assert "Green: target -2.1% met" in text


@pytest.mark.parametrize(
    "content, message",
    [
        ("id,baseline,actual\nNI16,1,2\n", "missing column"),
        ("indicator_id,baseline,actual\nNI16,1,2\nNI16,3,4\n", "listed twice"),
        ("indicator_id,baseline,actual,unit\nNI16,1,2,percentage\n", "unknown unit"),
    ],
)
def test_bad_values_file_is_a_clear_error(tmp_path, content, message):
    values = tmp_path / "v.csv"
    values.write_text(content)
    result = runner.invoke(
        app, ["framework", "--values", str(values), "--out", str(tmp_path / "o.csv"), "--no-data"]
    )
    assert result.exit_code == 2
    assert message in result.output and "v.csv" in result.output
    assert "Traceback" not in result.output


def test_bad_output_suffix(tmp_path):
    result = runner.invoke(
        app, ["framework", "--values", str(FIXTURE), "--out", str(tmp_path / "x.pdf"), "--no-data"]
    )
    assert result.exit_code == 2 and ".csv, .xlsx or .html" in result.output


# --- computed from data (a stand-in reader with hand-made tables) ------------------------


def _police(year_start: int, per_month: dict[str, int]) -> pd.DataFrame:
    rows = []
    for month in pd.period_range(f"{year_start}-04", f"{year_start + 1}-03", freq="M"):
        for crime_type, n in per_month.items():
            rows += [{"month": month, "lsoa_code": "E01", "crime_type": crime_type}] * n
        rows.append({"month": month, "lsoa_code": "E99", "crime_type": "Burglary"})  # elsewhere
    return pd.DataFrame(rows)


def _source(tables: dict[str, pd.DataFrame]) -> DataSource:
    def reader(name, processed_dir=None, columns=None, filters=None):
        frame = tables[name]
        return frame[columns] if columns else frame

    return DataSource(None, ["E01"], "X22000001", reader=reader)


def test_serious_acquisitive_crime_rate_from_police_data():
    street = pd.concat(
        [
            # 2023/24: 12 x (10 + 8 + 7) = 300 SAC; 2024/25: 12 x (10 + 5 + 5) = 240
            _police(
                2023, {"Burglary": 10, "Robbery": 8, "Vehicle crime": 7, "Anti-social behaviour": 9}
            ),
            _police(2024, {"Burglary": 10, "Robbery": 5, "Vehicle crime": 5, "Drugs": 3}),
        ]
    )
    population = pd.DataFrame(
        {"year": [2023, 2024, 2024], "lsoa_code": ["E01", "E01", "E99"], "age_min": [0, 0, 0],
         "population": [10000, 10000, 5000]}
    )  # fmt: skip
    src = _source({"police_street": street, "population": population})
    frame = build_framework(None, year="2024/25", data=src).set_index("indicator_id")
    # 300 / 10,000 x 1,000 = 30.0 -> 240 / 10,000 x 1,000 = 24.0: -20%, target -2.1% met
    row = frame.loc["NI16"]
    assert (row["baseline"], row["actual"], row["change"], row["rag"]) == (30.0, 24.0, -20.0, "G")
    assert row["significant"] == "yes" and row["value_source"] == "computed from data"
    assert frame.loc["LI1", "baseline"] == 96 and frame.loc["LI1", "actual"] == 60
    # ASB 108 -> 0 per 10,000... 108 / 10,000 x 1,000 = 10.8 then 0
    assert frame.loc["asb_rate", "baseline"] == pytest.approx(10.8)
    # indicators whose tables are missing are left out rather than shown empty
    assert "NI28" not in frame.index


def test_public_order_change_across_the_2022_break_is_not_computed(tmp_path):
    # the demo's own break (written by sa demo beside its raw data, not package data)
    from sa_toolkit.demo.generate import write_series_breaks
    from sa_toolkit.indicators.catalogue import load_series_breaks

    write_series_breaks(tmp_path)
    street = pd.concat([_police(2021, {"Public order": 5}), _police(2022, {"Public order": 9})])
    population = pd.DataFrame({"year": [2021, 2022], "lsoa_code": ["E01", "E01"], "age_min": [0, 0],
                               "population": [6000, 6000]})  # fmt: skip
    frame = build_framework(
        None, year="2022/23", data=_source({"police_street": street, "population": population}),
        series_breaks=load_series_breaks(raw_dir=tmp_path),
    )  # fmt: skip
    row = frame.set_index("indicator_id").loc["public_order_rate"]
    assert row["baseline"] == pytest.approx(10.0) and row["actual"] == pytest.approx(18.0)
    assert pd.isna(row["change"]) and row["rag"] == ""
    assert "comparison not possible: recording practice changed" in row["comment"]


def test_survey_percentage_is_weighted():
    # NI 41: weights 1, 1, 2 answering big problem, not, big problem -> (1 + 2) / 4 = 75%;
    # the "Don't know" row is left out
    survey = pd.DataFrame(
        {"wave": [2024] * 4 + [2022] * 2, "weight": [1, 1, 2, 5, 1, 1],
         "asb_drunk_rowdy": ["Very big problem", "Not a problem at all", "Fairly big problem", "Don't know",
                             "Very big problem", "Not a very big problem"]}
    )  # fmt: skip
    from sa_toolkit.indicators.computations import survey_percent
    from sa_toolkit.periods import FinancialYear

    src = _source({"residents_survey": survey})
    result = survey_percent(
        src, FinancialYear(2024), "asb_drunk_rowdy", ["Very big problem", "Fairly big problem"]
    )
    assert result.value == pytest.approx(75)
    # Kish effective sample size (1+1+2)^2 / (1+1+4) = 16/6
    assert result.denominator == pytest.approx(16 / 6)


def test_survey_indicators_compare_successive_waves():
    # wave 2023: 1 of 4 (25%) says drunk or rowdy behaviour is a big problem; wave 2025: 3 of 4
    answers = ["Very big problem", "Not a problem at all", "Not a problem at all",
               "Not a very big problem", "Very big problem", "Fairly big problem",
               "Very big problem", "Not a problem at all"]  # fmt: skip
    survey = pd.DataFrame(
        {"wave": [2023] * 4 + [2025] * 4, "weight": [1.0] * 8, "asb_drunk_rowdy": answers}
    )
    frame = build_framework(
        None, year="2025/26", data=_source({"residents_survey": survey})
    ).set_index("indicator_id")
    row = frame.loc["NI41"]
    assert (row["baseline"], row["actual"], row["change"], row["change_unit"]) == (
        25.0,
        75.0,
        50.0,
        "pp",
    )
    assert "wave 2023" in row["comment"] and "wave 2025" in row["comment"]


def test_no_values_and_no_processed_data_is_a_clear_error(tmp_path):
    result = runner.invoke(
        app, ["framework", "--processed-dir", str(tmp_path), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2
    assert "no indicator could be computed" in result.output and "sa ingest" in result.output


def test_serious_violence_counts_homicide_attempted_murder_and_gbh_with_intent_by_code():
    def incidents(start_year: int, codes: list[str]) -> pd.DataFrame:
        months = pd.period_range(f"{start_year}-04", f"{start_year + 1}-03", freq="M")
        rows = [
            {"month": month, "lsoa_code": "E01", "offence_code": code,
             "serious_youth_violence": code == "8N"}
            for month in months for code in codes
        ]  # fmt: skip
        return pd.DataFrame(rows)

    # 2023/24 each month: murder (1), GBH with intent (5D), 2 assaults with injury (8N)
    #   -> 12 x 2 = 24 serious violence offences; 2024/25: + attempted murder (2) -> 36
    table = pd.concat(
        [incidents(2023, ["1", "5D", "8N", "8N"]), incidents(2024, ["1", "2", "5D", "8N"])]
    )
    population = pd.DataFrame(
        {"year": [2023, 2024], "lsoa_code": ["E01", "E01"], "age_min": [0, 0],
         "population": [12000, 12000]}
    )  # fmt: skip
    src = _source({"crime_incidents": table, "population": population})
    row = build_framework(None, year="2024/25", data=src).set_index("indicator_id")
    # 24 / 12,000 x 1,000 = 2.0 -> 36 / 12,000 x 1,000 = 3.0 (+50%); the serious youth violence
    # flag (on the 8N assaults) plays no part
    sv = row.loc["serious_violence_rate"]
    assert (sv["baseline"], sv["actual"], sv["change"]) == (2.0, 3.0, 50.0)


def test_a_measure_computed_twice_is_shown_once_keeping_the_entry_with_a_target(tmp_path):
    # NI 28 and today's knife crime rate compute the same number: without targets the first
    # in the catalogue is kept; with a target for the knife crime rate, that one
    street = _police(2024, {"Burglary": 1})
    incidents = pd.DataFrame(
        {"month": pd.period_range("2024-04", "2025-03", freq="M"), "lsoa_code": "E01",
         "knife_or_sharp_instrument": True}
    )  # fmt: skip
    population = pd.DataFrame(
        {"year": [2024], "lsoa_code": ["E01"], "age_min": [0], "population": [1000]}
    )
    src = _source({"police_street": street, "crime_incidents": incidents, "population": population})
    frame = build_framework(None, year="2024/25", data=src).set_index("indicator_id")
    assert "NI28" in frame.index and "knife_crime_rate" not in frame.index
    # 12 knife offences / 1,000 residents x 1,000
    assert frame.loc["NI28", "actual"] == pytest.approx(12.0)
    assert (
        "the same measure as Knife or sharp instrument offences per 1,000 population"
        in (frame.loc["NI28", "comment"])
    )
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "indicator_id,year,target_type,target,source,agreed_by\n"
        "knife_crime_rate,2024/25,relative_change,-5,Plan,Board\n"
    )
    frame = build_framework(None, year="2024/25", data=src, targets=read_targets(targets))
    frame = frame.set_index("indicator_id")
    assert "knife_crime_rate" in frame.index and "NI28" not in frame.index
    assert frame.loc["knife_crime_rate", "target_source"] == "Board; Plan"


def test_computed_change_allows_for_the_counts_variation_over_earlier_years():
    # Robbery (LI 1) per month 40, 50, 36, 48 in 2020/21-2023/24, then 40 -> 46 in 2024/25:
    # yearly totals 480, 600, 432, 576, 480 vary far beyond chance (Pearson about their
    # log-linear trend / 3 df: phi about 9), so 480 -> 552 (+15%, exact Poisson p = 0.03)
    # is not significant once that variation is allowed for
    per_month = {2020: 40, 2021: 50, 2022: 36, 2023: 48, 2024: 40}
    street = pd.concat(
        [_police(y, {"Robbery": n}) for y, n in per_month.items()]
        + [_police(2025, {"Robbery": 46})]
    )
    population = pd.DataFrame(
        {"year": list(range(2020, 2026)), "lsoa_code": "E01", "age_min": 0, "population": 10000}
    )
    src = _source({"police_street": street, "population": population})
    frame = build_framework(None, year="2025/26", data=src).set_index("indicator_id")
    row = frame.loc["LI1"]
    assert (row["baseline"], row["actual"]) == (480, 552)
    assert row["significant"] == "no" and row["rag"] == "A"
    totals = np.array([480.0, 600, 432, 576, 480])
    from sa_toolkit.indicators.overdispersion import dispersion_from_totals

    disp = dispersion_from_totals(totals)
    assert disp.df == 3 and disp.phi > 5
    # pure Poisson would have called it significant
    exact = poisson_change(pd.DataFrame({"b": [480], "a": [552]}), "b", "a")
    assert exact["p_value"][0] < 0.05
