"""Reference data shipped in the package names its source on every row (issue 10, item 2)."""

from __future__ import annotations

from importlib.resources import files

import pandas as pd
import pytest

DATA = files("sa_toolkit") / "data"
CSV_FILES = sorted(p.name for p in DATA.iterdir() if p.name.endswith(".csv"))


def test_every_data_file_is_checked():
    assert {"unit_costs.csv", "deflators.csv", "esp2013.csv", "series_breaks.csv"} <= set(CSV_FILES)


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_row_names_its_source(name):
    frame = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    assert "source" in frame.columns, f"{name} has no source column"
    blank = frame.index[frame["source"].str.strip() == ""].tolist()
    assert not blank, f"{name}: rows {[i + 2 for i in blank]} name no source"


def test_unverified_values_are_named_where_used():
    from sa_toolkit.indicators.cost import deflators, unit_costs, unverified_note

    costs, series = unit_costs(), deflators()
    flagged = costs.loc[costs["note"].str.contains("not verified"), "offence"].tolist()
    assert "Domestic burglary" in flagged
    # burglary is used (police.uk Burglary maps to it): named; robbery's cost is verified
    note = unverified_note(costs, series, offences=["Burglary", "Robbery"], years=["2015/16"])
    assert note.startswith("Not yet verified:")
    assert "domestic burglary" in note and "robbery" not in note
    assert "GDP deflator values for 2015/16" in note
    # nothing unverified among the values used: no note
    verified = costs[~costs["note"].str.contains("not verified|approximate")]
    assert unverified_note(verified, series.iloc[0:0], offences=["Robbery"]) == ""


def test_row_target_gives_a_number_or_none():
    from sa_toolkit.framework import row_target

    frame = pd.DataFrame(
        {"indicator_id": ["A", "B", "C"], "target_type": ["level", "none", "tbc"],
         "target": [293.0, None, None]}
    )  # fmt: skip
    assert row_target(frame, "A", "level") == 293.0
    assert row_target(frame, "A", "relative_change") is None
    assert row_target(frame, "B", "level") is None and row_target(frame, "C", "level") is None
    assert row_target(frame, "Z", "level") is None and row_target(None, "A", "level") is None
