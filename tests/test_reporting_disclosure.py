"""Disclosure control against hand-worked tables."""

from __future__ import annotations

import pandas as pd
import pytest

from sa_toolkit.disclosure import (
    DisclosureError,
    check_no_identifiers,
    mask_small_counts,
    suppress_counts,
)
from sa_toolkit.errors import ArgumentError


def test_series_primary_and_secondary_against_total():
    # Total 49 is shown: hiding only the 2 would let a reader compute it as
    # 49 - 0 - 40 - 7, so the next smallest non-zero cell (7) is hidden too.
    table = suppress_counts(pd.Series([2, 0, 40, 7], index=list("ABCD"), name="n"), 5)
    assert table.display()["n"].tolist() == ["<5", "0", "40", "[c]", "49"]
    assert table.display().index.tolist() == ["A", "B", "C", "D", "Total"]
    assert table.n_suppressed == 2


def test_two_way_table_hand_worked():
    counts = pd.DataFrame(
        {"A": [12, 8, 30], "B": [3, 15, 25], "C": [20, 9, 40]}, index=["r1", "r2", "r3"]
    )
    shown = suppress_counts(counts, 5).display()
    # r1B = 3 is small. Row r1 then hides its smallest other cell (12, r1A); column B
    # hides 15 (r2B); column A hides 8 (r2A); row r2 then has two hidden: done.
    expected = pd.DataFrame(
        {
            "A": ["[c]", "[c]", "30", "50"],
            "B": ["<5", "[c]", "25", "43"],
            "C": ["20", "9", "40", "69"],
            "Total": ["35", "32", "95", "162"],
        },
        index=["r1", "r2", "r3", "Total"],
        dtype=object,
    )
    pd.testing.assert_frame_equal(shown, expected)


def test_every_line_has_zero_or_at_least_two_hidden_cells():
    counts = pd.DataFrame({"x": [1, 50, 60, 2], "y": [40, 4, 70, 80], "z": [0, 30, 3, 90]})
    status = suppress_counts(counts, 5).status.to_numpy()
    for line in [*status, *status.T]:
        assert (line != "").sum() != 1


def test_small_total_is_itself_suppressed():
    # Row r1 is [3, 0] with total 3: the total is a small count too, so row r1 already
    # hides two figures. Column x hides one (3): its next smallest cell is 10. The
    # total column hides one (3): its next smallest is 22. Row r2 then hides two.
    # Unknowns a=r1x, b=r2x, c=r1 total, d=r2 total give a=c, b+12=d, a+b=13,
    # c+d=25: one degree of freedom, so no hidden figure can be worked out.
    counts = pd.DataFrame({"x": [3, 10], "y": [0, 12]}, index=["r1", "r2"])
    shown = suppress_counts(counts, 5).display()
    expected = pd.DataFrame(
        {"x": ["<5", "[c]", "13"], "y": ["0", "12", "12"], "Total": ["<5", "[c]", "25"]},
        index=["r1", "r2", "Total"],
        dtype=object,
    )
    pd.testing.assert_frame_equal(shown, expected)


def test_total_hidden_when_no_other_cell_can_protect():
    # Row r1 hides 3 (small) and then 10 (its only other non-zero cell). Column x is
    # [3, 0] with total 3: small, hidden. Column y is [10, 0]: no visible non-zero cell
    # can pair with the hidden 10, so its total (10) is hidden. The total row then
    # hides two figures; r1's total 13 = a + b leaves a and b unknown.
    counts = pd.DataFrame({"x": [3, 0], "y": [10, 0]}, index=["r1", "r2"])
    table = suppress_counts(counts, 5)
    expected = pd.DataFrame(
        {"x": ["<5", "0", "<5"], "y": ["[c]", "0", "[c]"], "Total": ["13", "0", "13"]},
        index=["r1", "r2", "Total"],
        dtype=object,
    )
    pd.testing.assert_frame_equal(table.display(), expected)
    assert table.status.loc["Total", "y"] == "secondary"


def test_row_totals_only_and_threshold_two():
    counts = pd.DataFrame({"x": [2, 30], "y": [0, 40], "z": [0, 1]}, index=["r1", "r2"])
    table = suppress_counts(counts, 2, column_totals=False)
    # Threshold 2 hides only 1s: row r2 hides 1, then its smallest other non-zero (30).
    assert table.display().loc["r2"].tolist() == ["[c]", "40", "<2", "71"]
    assert table.display().loc["r1"].tolist() == ["2", "0", "0", "2"]


def test_threshold_boundaries():
    table = suppress_counts(pd.Series([0, 1, 4, 5, 100], name="n"), 5, column_totals=False)
    assert table.display()["n"].tolist() == ["0", "<5", "<5", "5", "100"]
    off = suppress_counts(pd.Series([1, 2, 1000], name="n"), 0)
    assert off.n_suppressed == 0
    assert off.display()["n"].tolist() == ["1", "2", "1,000", "1,003"]


def test_published_values_blank_suppressed_cells():
    table = suppress_counts(pd.Series([2, 0, 40, 7], name="n"), 5)
    values = table.published_values()["n"]
    assert values.isna().tolist() == [True, False, False, True, False]
    assert values.iloc[4] == 49


@pytest.mark.parametrize("bad", [[1.5, 2], [-1, 3], [None, 4], ["x", 2]])
def test_refuses_non_counts(bad):
    with pytest.raises(ArgumentError, match="whole count"):
        suppress_counts(pd.Series(bad, name="n"), 5)


def test_refuses_bad_threshold():
    with pytest.raises(ArgumentError):
        suppress_counts(pd.Series([1, 2]), 2.5)


def test_mask_small_counts_hides_derived_figures():
    frame = pd.DataFrame(
        {"ward": ["A", "B", "C"], "offences": [3, 0, 120], "rate": [0.4, 0.0, 15.2]}
    )
    out = mask_small_counts(frame, "offences", 5, derived=["rate"])
    assert out["offences"].tolist() == ["<5", 0, 120]
    assert out["rate"].tolist() == ["[c]", 0.0, 15.2]
    assert frame["offences"].tolist() == [3, 0, 120]  # input untouched


@pytest.mark.parametrize(
    "column", ["crime_id", "victim_id", "respondent_id", "incident_id", "Crime ID", "postcode"]
)
def test_check_no_identifiers_refuses_record_level_columns(column):
    frame = pd.DataFrame({column: ["a", "b"], "count": [10, 20]})
    with pytest.raises(DisclosureError, match=column):
        check_no_identifiers(frame)


def test_check_no_identifiers_refuses_crime_id_values_and_index():
    crime_id = "0f" * 32
    with pytest.raises(DisclosureError, match="holds crime IDs"):
        check_no_identifiers(pd.DataFrame({"ref": [crime_id], "n": [1]}))
    with pytest.raises(DisclosureError, match="victim_id"):
        check_no_identifiers(pd.DataFrame({"n": [1]}, index=pd.Index(["v1"], name="victim_id")))


def test_check_no_identifiers_passes_aggregates():
    frame = pd.DataFrame(
        {"lsoa_code": ["E01000001"], "ward_name": ["Central"], "offences": [12], "rate": [3.1]}
    )
    assert check_no_identifiers(frame) is frame
    check_no_identifiers(pd.DataFrame({"group_id": [1], "n": [5]}), allow=["group_id"])


def test_aggregate_number_columns_are_allowed_but_identifying_numbers_are_not():
    counts = pd.DataFrame({"Ward": ["A", "B"], "Number": [12, 30], "Offences number": [1, 2]})
    assert check_no_identifiers(counts) is counts
    for column in ["Crime number", "incident_number", "NHS number", "Case number"]:
        with pytest.raises(DisclosureError, match=column):
            check_no_identifiers(pd.DataFrame({column: ["x"], "Number": [1]}))
