"""One figure per measure in a whole rendered demo run (issue 10, item 5).

Reads every rendered report of the session's demo run (``rendered_reports``: the index,
the seven reports and the Word document) and the run's published measure set, and checks
them with :mod:`tests.measure_checks` (the arithmetic by hand, from the figures as
printed). On the full demo rendered before the measure set (commit c220157) nine of the
ten checks fail: primary fires 42.2 and 70.4 per 100,000, deliberate fires in a table per
100,000, alcohol-related violence 5,851 of 16,473 and 6,040 of 17,868, police-only
anti-social behaviour in the overview, "Age profile of offenders", a re-offending row with
no actual and a frequency called a rate, ratios outside their intervals ("0.5 (0.41 to
0.49)"), changes that do not reconcile ("1.8% 3.5% +1.6 pp"), and no published set.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests import measure_checks as mc


@pytest.mark.parametrize("check", mc.CHECKS, ids=lambda c: c.__name__)
def test_rendered_run_quotes_each_measure_once(rendered_reports, check):
    assert check(rendered_reports) == []


def test_the_run_publishes_its_measure_set(rendered_reports):
    frame = pd.read_csv(rendered_reports / "measures.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns[:3]) == ["Measure", "Priority", "Period"]
    # board language: labels, never the catalogue's snake_case ids
    assert not frame["Measure"].str.contains(r"^[a-z0-9]+_[a-z0-9_]+$").any()
    # one value per measure and period
    assert not frame.duplicated(["Measure", "Period"]).any()
    assert (rendered_reports / "measures.xlsx").is_file()
    # the overview's framework rows are in it: the same computation
    rows = [r for where, r in mc.framework_rows(rendered_reports) if where == "00_overview.html"]
    labels = set(frame["Measure"])
    assert rows and all(mc.label_of(r["Indicator"], labels) for r in rows if r["Actual"])
