"""The model file: read once, inference by hand-checkable arithmetic, and no model is no error."""

import json
import math
from pathlib import Path

import pytest

from reports.extraction.learned import weights

TINY = {
    "format": 1,
    "kind": {
        "classes": ["incident", "aggregate", "drop"],
        "weights": {
            "incident": {"bias": 1.0, "place_town": 0.5},
            "aggregate": {"bias": -1.0, "cue_since": 2.0},
            "drop": {"cue_war_long": 3.0},
        },
        "drop_threshold": 0.7,
        "flip_threshold": 0.8,
    },
    "link": {"weights": {"bias": -2.0, "same_date": 1.5, "same_admin1": 1.0}, "threshold": 0.5},
    "confidence": {"weights": {"bias": 0.25, "date_day": 1.0}, "calibration": [2.0, -0.5]},
}


def _write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_inference_is_a_dot_product_then_a_softmax_or_a_sigmoid(tmp_path: Path) -> None:
    model = weights.read(_write(tmp_path, TINY))
    assert model is not None
    features = {"bias": 1.0, "place_town": 1.0, "cue_since": 1.0, "same_date": 1.0, "date_day": 1.0}
    # By hand: kind scores incident 1 + 0.5 = 1.5, aggregate -1 + 2 = 1, drop 0.
    total = math.exp(1.5) + math.exp(1.0) + math.exp(0.0)
    kind = model.kind(features)
    assert kind["incident"] == pytest.approx(math.exp(1.5) / total)
    assert kind["aggregate"] == pytest.approx(math.exp(1.0) / total)
    assert kind["drop"] == pytest.approx(1 / total)
    # Link: -2 + 1.5 = -0.5 (same_admin1 absent weighs nothing).
    assert model.link(features) == pytest.approx(1 / (1 + math.exp(0.5)))
    # Confidence: raw 0.25 + 1 = 1.25, calibrated 2 * 1.25 - 0.5 = 2.
    assert model.confidence(features) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert (model.drop_threshold, model.flip_threshold, model.link_threshold) == (0.7, 0.8, 0.5)


def test_the_hash_covers_the_content_and_not_itself(tmp_path: Path) -> None:
    model = weights.read(_write(tmp_path, TINY))
    with_hash = weights.read(_write(tmp_path, {**TINY, "hash": "anything"}))
    changed = weights.read(_write(tmp_path, {**TINY, "link": {**TINY["link"], "threshold": 0.6}}))
    assert model is not None
    assert with_hash is not None
    assert changed is not None
    assert model.digest == with_hash.digest == weights.content_hash(TINY)
    assert changed.digest != model.digest
    assert model.short_hash == model.digest[:8]


@pytest.mark.parametrize(
    "content",
    ["not json at all", {**TINY, "format": 99}, {**TINY, "kind": {"weights": {"incident": {}}}}, [1, 2, 3]],
)
def test_an_unreadable_model_reads_as_none(tmp_path: Path, content: object) -> None:
    path = tmp_path / "model.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    assert weights.read(path) is None


def test_a_missing_model_reads_as_none(tmp_path: Path) -> None:
    assert weights.read(tmp_path / "absent.json") is None


def test_the_committed_model_is_read_and_names_the_version() -> None:
    model = weights.default()
    assert model is not None
    assert weights.version_suffix() == f"+m{model.short_hash}"
