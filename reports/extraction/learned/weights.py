"""The trained weights: read once from ``model.json`` beside this module; inference is a dot product.

The file is written by ``python -m reports.extraction.train``. Its shape::

    {"format": 1, "hash": "<sha256 of the rest>",
     "kind": {"classes": ["incident", "aggregate", "drop"], "weights": {class: {feature: w}},
              "drop_threshold": t, "flip_threshold": t},
     "link": {"weights": {feature: w}, "threshold": t},
     "confidence": {"weights": {feature: w}, "calibration": [slope, intercept]}, ...}

A feature missing from a weights dict weighs 0, so a model stays readable
when the feature set grows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("model.json")
FORMAT = 1
KINDS = ("incident", "aggregate", "drop")

logger = logging.getLogger(__name__)


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exponential = math.exp(value)
    return exponential / (1.0 + exponential)


def dot(weights: dict[str, float], features: dict[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exponentials = {name: math.exp(score - top) for name, score in scores.items()}
    total = sum(exponentials.values())
    return {name: value / total for name, value in exponentials.items()}


def content_hash(content: dict) -> str:
    """The sha256 of the model's canonical JSON, its own "hash" key left out."""
    body = {key: value for key, value in content.items() if key != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Model:
    """Three linear models over the features of ``learned.features``."""

    kind_weights: dict[str, dict[str, float]]
    drop_threshold: float
    flip_threshold: float
    link_weights: dict[str, float]
    link_threshold: float
    confidence_weights: dict[str, float]
    calibration: tuple[float, float]
    digest: str

    @classmethod
    def from_json(cls, content: dict) -> Model:
        """Raises ``ValueError`` (or ``KeyError``/``TypeError``) on a file of another shape."""
        if content.get("format") != FORMAT:
            raise ValueError(f"model format {content.get('format')!r}, expected {FORMAT}")
        kind = content["kind"]["weights"]
        if set(kind) != set(KINDS):
            raise ValueError(f"model kinds {sorted(kind)}, expected {sorted(KINDS)}")
        slope, intercept = content["confidence"]["calibration"]
        return cls(
            kind_weights={name: {str(k): float(v) for k, v in kind[name].items()} for name in KINDS},
            drop_threshold=float(content["kind"]["drop_threshold"]),
            flip_threshold=float(content["kind"]["flip_threshold"]),
            link_weights={str(k): float(v) for k, v in content["link"]["weights"].items()},
            link_threshold=float(content["link"]["threshold"]),
            confidence_weights={str(k): float(v) for k, v in content["confidence"]["weights"].items()},
            calibration=(float(slope), float(intercept)),
            digest=content_hash(content),
        )

    @property
    def short_hash(self) -> str:
        return self.digest[:8]

    def kind(self, features: dict[str, float]) -> dict[str, float]:
        """Probability of each toll kind (incident, aggregate, drop)."""
        return softmax({name: dot(weights, features) for name, weights in self.kind_weights.items()})

    def link(self, features: dict[str, float]) -> float:
        """Probability that two candidates tell one event."""
        return sigmoid(dot(self.link_weights, features))

    def confidence(self, features: dict[str, float]) -> float:
        """Calibrated probability that a kept candidate is a real incident with the right division and dates."""
        slope, intercept = self.calibration
        raw = dot(self.confidence_weights, features)
        return sigmoid(slope * raw + intercept)


def read(path: Path) -> Model | None:
    """The model in ``path``; None (logged) when it is missing or unreadable: the engine then runs the rules alone."""
    try:
        return Model.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        logger.warning("learned model %s unreadable; the rules decide alone", path, exc_info=True)
        return None


@cache
def default() -> Model | None:
    """The committed model, read once."""
    return read(MODEL_PATH)


def version_suffix() -> str:
    """ "+m<short hash>" of the committed model, "" without one: appended to the engine's version."""
    model = default()
    return f"+m{model.short_hash}" if model is not None else ""
