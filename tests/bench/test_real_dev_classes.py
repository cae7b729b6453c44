"""bench/real_dev_classes.py: which classed baseline errors remain, on a made-up article."""

import pytest

from bench.real_dev import CORPUS
from bench.real_dev_classes import _scorer, compare


def _incident(admin1: str, killed: int, *, day: str = "2020-01-05", aggregate: bool = False) -> dict:
    return {
        "date_start": day,
        "date_end": day,
        "country": "SY",
        "admin1": admin1,
        "place": None,
        "killed_min": killed,
        "aggregate": aggregate,
    }


@pytest.fixture
def scorer():  # type: ignore[no-untyped-def]
    if not (CORPUS / "score.py").is_file():
        pytest.skip("score.py not available")
    return _scorer(CORPUS)


def test_fixed_and_remaining_errors_are_counted_per_class(scorer) -> None:  # type: ignore[no-untyped-def]
    gold = {"x1": [_incident("Idlib", 7), _incident("Homs", 12), _incident("Hama", 3)]}
    baseline = [
        {"article": "x1", "error": "missed", "gold": 0, "class": "place.dateline"},
        {"article": "x1", "error": "field", "gold": 1, "field": "killed_min", "class": "lists.not_added"},
        {"article": "x1", "error": "spurious", "gold": None, "class": "tolls.split"},
        {"article": "x1", "error": "spurious", "gold": None, "class": "background"},
    ]
    # Now: Idlib found, Homs still 10 not 12, Hama (matched before) missed, one spurious left.
    predicted = {"x1": [_incident("Idlib", 7), _incident("Homs", 10), _incident("Aleppo", 40)]}
    result = compare(baseline, gold, predicted, scorer)
    classes = result["classes"]
    assert classes["place.dateline"] == {"missed before": 1, "missed now": 0}
    assert classes["lists.not_added"] == {"field before": 1, "field now": 1}
    assert classes["tolls.split"] == {"spurious before": 1, "spurious now": 1}
    assert classes["background"] == {"spurious before": 1}
    assert result["new_missed"] == 1
    assert result["new_spurious_not_classed"] == 0
