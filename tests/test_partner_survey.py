"""Weighted survey percentages: Kish effective sample size and Wilson interval, checked by
hand-worked arithmetic; partner unit costs replace the default."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sa_toolkit.errors import ArgumentError
from sa_toolkit.ingest import run_ingest
from sa_toolkit.partner import deflators, effective_sample_size, survey_percentages, unit_costs


def wilson(p: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def test_kish_effective_sample_size_by_hand():
    # (1 + 1 + 2 + 4)^2 / (1 + 1 + 4 + 16) = 64 / 22
    assert effective_sample_size([1, 1, 2, 4]) == pytest.approx(64 / 22)
    assert effective_sample_size([3, 3, 3]) == pytest.approx(3)  # equal weights lose nothing


def test_weighted_percentage_with_wilson_on_effective_n():
    survey = pd.DataFrame(
        {
            "wave": [2021] * 5 + [2023] * 2,
            "weight": [1, 1, 2, 4, 9, 1, 1],
            "safe_after_dark": [
                "Very safe", "Fairly unsafe", "Fairly safe", "Don't know", "",
                "Very safe", "Very unsafe",
            ],
        }
    )  # fmt: skip
    out = survey_percentages(survey, "safe_after_dark").set_index("wave")
    # 2021: the blank and the "Don't know" answers are out of the base; yes weight 1 + 2 = 3
    # of 1 + 1 + 2 = 4; n_eff = (1 + 1 + 2)^2 / (1 + 1 + 4) = 16 / 6
    p, n = 3 / 4, 16 / 6
    lo, hi = wilson(p, n)
    row = out.loc["2021"]
    assert row["respondents"] == 3
    assert row["effective_n"] == pytest.approx(n)
    assert row["value"] == pytest.approx(75.0)
    assert row["lower"] == pytest.approx(lo * 100, abs=1e-6)
    assert row["upper"] == pytest.approx(hi * 100, abs=1e-6)
    assert row["method"] == "Wilson score on the Kish effective sample size"
    # 2023: equal weights, 1 of 2
    assert out.loc["2023", "value"] == pytest.approx(50)
    assert out.loc["2023", "lower"] == pytest.approx(wilson(0.5, 2)[0] * 100, abs=1e-6)


def test_survey_percentages_rejects_bad_arguments():
    survey = pd.DataFrame({"wave": [2021], "weight": [0.0], "safe_day": ["Very safe"]})
    with pytest.raises(ArgumentError, match="weights must be positive"):
        survey_percentages(survey, "safe_day")
    with pytest.raises(ArgumentError, match="no question column"):
        survey_percentages(survey, "feels_lucky")


def test_partner_unit_costs_replace_the_default(tmp_path):
    default = unit_costs()
    assert len(default) > 3 and "unit_cost" in default
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    (raw / "partner").mkdir(parents=True)
    (raw / "partner" / "unit_costs.csv").write_text(
        "offence,unit_cost,price_year,police_uk_crime_type,source,note\n"
        "Robbery,12000,2022/23,Robbery,Local study,\n",
        encoding="utf-8",
    )
    run_ingest(raw, processed, datasets=["unit_costs"])
    local = unit_costs(processed)
    assert local["offence"].tolist() == ["Robbery"]
    assert local["unit_cost"].tolist() == [12000.0]
    assert local["note"].tolist() == [""]
    # no partner deflators: the default series
    assert deflators(processed).equals(deflators())
