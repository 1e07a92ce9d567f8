"""The board's summary: the recommendation rule, the analyst's changes, year on year.

Every expected value is worked by hand from the documented rule
(docs/assumptions_log.md, "Recommended priorities"), not taken from the code's output.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sa_toolkit import assessment_summary as asum
from sa_toolkit.errors import UserError


def measure(priority, name, rag, direction=None, change_text="", target_type="relative_change",
            moved=None):  # fmt: skip
    labels = {"R": "Red: target missed", "A": "Amber: within tolerance", "G": "Green: met"}
    return {
        "indicator_id": name.lower().replace(" ", "_"),
        "name": name,
        "priority": priority,
        "unit": "rate_per_1000",
        "actual": 1.0,
        "baseline": 1.0,
        "change": 1.0,
        "change_text": change_text,
        "rag": rag,
        "rag_label": labels.get(rag, ""),
        "target_type": target_type,
        "direction": direction,
        "moved": moved or direction,
    }


def matrix_row(category, score, band, trend="no significant change", peers="similar"):
    return {"category": category, "total_score": score, "priority": band, "trend": trend,
            "peer_comparison": peers}  # fmt: skip


MAPPING = {
    "Violence and sexual offences": "violent_crime",
    "Anti-social behaviour": "anti_social_behaviour",
    "Drugs": "drugs_and_alcohol",
}


def by_key(recs):
    return {r["key"]: r for r in recs}


def test_the_rule_keeps_watches_drops_and_adds():
    records = [
        # violent crime: one green, one red -> keep (a red is enough)
        measure("violent_crime", "Violence rate", "G"),
        measure("violent_crime", "Robbery", "R"),
        # youth crime: amber only -> watch
        measure("youth_crime", "First time entrants", "A"),
        # ASB: all green, but its matrix category scores high -> keep
        measure("anti_social_behaviour", "ASB perceptions", "G"),
        # drugs: all green and its category lower -> drop
        measure("drugs_and_alcohol", "Treatment", "G"),
        measure("drugs_and_alcohol", "Completions", "G"),
        # reoffending: green but worsened significantly -> keep
        measure("reoffending", "Reoffending rate", "G", direction="worse", change_text="+3.0"),
        # safer communities: nothing rated -> watch, "could not be rated"
        measure("safer_communities", "Hate crime", None),
    ]
    matrix = [
        matrix_row("Anti-social behaviour", 9, "High"),
        matrix_row("Drugs", 5, "Lower"),
        matrix_row("Burglary", 10, "High"),  # no plan priority covers it -> add
        matrix_row("Shoplifting", 8, "Medium"),  # medium and uncovered: no add
    ]
    recs = by_key(asum.recommend(records, matrix, MAPPING))
    assert {k: r["recommendation"] for k, r in recs.items()} == {
        "violent_crime": "keep",
        "youth_crime": "watch",
        "anti_social_behaviour": "keep",
        "drugs_and_alcohol": "drop",
        "reoffending": "keep",
        "safer_communities": "watch",
        "burglary": "add",
    }
    assert recs["violent_crime"]["reasons"] == ["Robbery: Red: target missed"]
    assert recs["youth_crime"]["reasons"] == ["First time entrants: Amber: within tolerance"]
    assert recs["anti_social_behaviour"]["reasons"][0].startswith(
        "Anti-social behaviour scored 9 of 12 in the priority-setting matrix"
    )
    assert recs["drugs_and_alcohol"]["reasons"][0].startswith("All 2 rated indicators were green")
    assert recs["reoffending"]["reasons"] == ["Reoffending rate worsened significantly (+3.0)"]
    assert recs["safer_communities"]["reasons"] == [
        "No indicator of this priority could be rated this year"
    ]
    assert "no plan priority covers it" in recs["burglary"]["reasons"][0]


def test_a_rising_trend_or_worse_peer_position_is_watched():
    records = [measure("drugs_and_alcohol", "Treatment", "G")]
    matrix = [matrix_row("Drugs", 6, "Lower", trend="increasing and getting worse")]
    assert asum.recommend(records, matrix, MAPPING)[3]["recommendation"] == "watch"
    matrix = [matrix_row("Drugs", 6, "Lower", peers="worse")]
    rec = asum.recommend(records, matrix, MAPPING)[3]
    assert rec["recommendation"] == "watch"
    assert "worse than similar partnerships" in rec["reasons"][0]


def test_improved_and_worsened_lists():
    records = [
        measure("x", "Better and significant", "A", direction="better", change_text="-8.0%"),
        measure("x", "Target met", "G", change_text="-2.0%"),
        # a level target met although the measure rose: not an improvement
        measure("x", "Met but rising", "G", change_text="+40.0%", moved="worse"),
        measure("x", "Green without a target", "G", target_type="none"),
        measure("x", "Missed", "R", change_text="+1.0%"),
        measure("x", "Worse and significant", "A", direction="worse", change_text="+9.0%"),
    ]
    improved, worsened = asum.improved_and_worsened(records)
    assert improved == [
        "Better and significant (-8.0%; significantly better)",
        "Target met (-2.0%; Green: met)",
    ]
    assert worsened == [
        "Missed (+1.0%; Red: target missed)",
        "Worse and significant (+9.0%; significantly worse)",
    ]


def test_measures_hide_small_counts():
    frame = pd.DataFrame(
        {
            "indicator_id": ["a", "b"], "name": ["A", "B"], "priority": ["x", "x"],
            "unit": ["count", "count"], "actual": [3.0, 40.0], "baseline": [12.0, 2.0],
            "change": [-75.0, 1900.0], "change_unit": ["%", "%"], "rag": ["G", "R"],
            "rag_label": ["", ""], "target_type": ["none", "none"], "significant": ["no", "yes"],
            "polarity": ["lower_is_better", "lower_is_better"],
        }
    )  # fmt: skip
    out = asum.measures(frame, threshold=5)
    assert [(m["actual"], m["baseline"]) for m in out] == [(None, 12.0), (40.0, None)]
    assert out[1]["direction"] == "worse" and out[0]["direction"] is None


def test_the_analyst_overrides_a_recommendation(tmp_path):
    path = tmp_path / "priorities.yml"
    path.write_text(
        "drugs_and_alcohol:\n  recommendation: keep\n  reasons: New county lines activity.\n"
        "hate_crime:\n  recommendation: add\n  reasons: [Rising reports, Community tension]\n",
        encoding="utf-8",
    )
    recs = [{"key": "drugs_and_alcohol", "name": "Drugs and alcohol", "recommendation": "drop",
             "computed": "drop", "reasons": ["All green"], "set_by": "toolkit"}]  # fmt: skip
    out = by_key(asum.apply_overrides(recs, path))
    assert out["drugs_and_alcohol"]["recommendation"] == "keep"
    assert out["drugs_and_alcohol"]["computed"] == "drop"
    assert out["drugs_and_alcohol"]["set_by"] == "analyst"
    assert out["drugs_and_alcohol"]["reasons"] == ["New county lines activity."]
    assert out["hate_crime"]["name"] == "Hate crime"
    assert out["hate_crime"]["reasons"] == ["Rising reports", "Community tension"]


@pytest.mark.parametrize(
    "text",
    [
        "violent_crime:\n  recommendation: maybe\n  reasons: x\n",
        "violent_crime:\n  recommendation: keep\n",
        "- a list\n",
        "violent_crime: [\n",
    ],
)
def test_a_bad_priorities_file_is_one_clear_message(tmp_path, text):
    path = tmp_path / "priorities.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="priorities.yml"):
        asum.apply_overrides([], path)


def test_changes_since_last_year():
    previous = {
        "year": "2024/25",
        "crime": {"crime_this": 2080},
        "measures": [
            measure("x", "Robbery", "G"),
            measure("x", "Burglary", "A"),
            measure("x", "Retired measure", "R"),
        ],
        "recommendations": [
            {"key": "violent_crime", "name": "Violent crime", "recommendation": "watch"},
            {"key": "shoplifting", "name": "Shoplifting", "recommendation": "add"},
        ],
    }
    current = {
        "crime": {"crime_this": 2287},
        "measures": [
            measure("x", "Robbery", "R"),
            measure("x", "Burglary", "A"),
            measure("x", "New measure", "G"),
        ],
        "recommendations": [
            {"key": "violent_crime", "name": "Violent crime", "recommendation": "keep"},
        ],
    }
    changes = asum.changes_since(previous, current)
    assert changes["year"] == "2024/25"
    assert [(m["name"], m["rag_before"], m["rag_now"]) for m in changes["measures"]] == [
        ("Robbery", "Green", "Red")
    ]
    assert changes["unchanged"] == 1
    assert changes["new_measures"] == ["New measure"]
    assert changes["dropped_measures"] == ["Retired measure"]
    assert changes["recommendations"] == [
        {"name": "Violent crime", "before": "watch", "now": "keep"},
        {"name": "Shoplifting", "before": "add", "now": None},
    ]
    assert changes["crime"] == {"before": 2080, "now": 2287}
    assert asum.changes_since(None, current) is None


def test_crime_categories_belong_to_the_priority_of_their_catalogue_indicator():
    # indicators.yml: violence_with_injury-style rates on "Violence and sexual offences"
    # sit under violent crime, the drug offences rate under drugs and alcohol, the ASB
    # rate under anti-social behaviour, criminal damage under anti-social behaviour
    mapping = asum.category_priorities()
    assert mapping["Violence and sexual offences"] == "violent_crime"
    assert mapping["Drugs"] == "drugs_and_alcohol"
    assert mapping["Anti-social behaviour"] == "anti_social_behaviour"
    assert mapping["Criminal damage and arson"] == "anti_social_behaviour"
    assert "Burglary" not in mapping  # only in a three-category indicator (NI16)


def test_a_matrix_reason_is_out_of_the_dimensions_measured():
    """Real data without peers or five years: one dimension, so 3 of 3, and it says so."""
    row = {**matrix_row("Anti-social behaviour", 3, "High", trend="not assessed"), "out_of": 3,
           "not_measured": "harm (no unit cost); trend; peer position"}  # fmt: skip
    recs = by_key(asum.recommend([], [row], MAPPING))
    reason = recs["anti_social_behaviour"]["reasons"][0]
    assert reason.startswith("Anti-social behaviour scored 3 of 3 in the priority-setting matrix")
    assert "not measured: harm (no unit cost); trend; peer position" in reason
    assert "of 12" not in reason
