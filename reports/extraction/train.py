"""Train the learned layer (``reports/extraction/learned/model.json``) from annotated articles.

usage: .venv/bin/python -m reports.extraction.train [--corpus DIR] [--out FILE] [--check]

Runs the rule engine on the labelled articles (``dev.jsonl`` and the
cross-validation folds of ``real_dev.jsonl`` in ``--corpus``, never the aside
quarter; ``bench/devset2/dev2.jsonl``), labels each candidate by matching it
to the gold as score.py does, and fits three logistic regressions: the toll
kind of a candidate (incident / aggregate / drop), whether two candidates tell
one event, and a candidate's confidence (then calibrated on out-of-fold
scores). Deterministic: sorted inputs, fixed folds, rounded weights; the same
inputs give a byte-identical file. Needs scikit-learn (requirements-dev.txt);
the engine itself never imports it.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType

from reports.extraction.assemble import run
from reports.extraction.assemble.model import Analysis, Incident
from reports.extraction.learned.decide import decide
from reports.extraction.learned.features import candidate_features, pairs, sum_of_parts
from reports.extraction.learned.weights import FORMAT, KINDS, MODEL_PATH, Model, content_hash

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "extraction"
SYNTHETIC = ROOT / "bench" / "devset2" / "dev2.jsonl"
CV_FOLDS = ("fold0", "fold1", "fold2", "fold3", "fold4")
# L2 strength (scikit-learn's C, on standardised features): a little, the sets are small.
REGULARISATION = {"kind": 0.1, "link": 0.1, "confidence": 0.1}
LINK_THRESHOLD = 0.5
# A total tells a gold total when their tolls are within this factor (see ``tells``).
TOTAL_TOLL_RATIO = 3
# A candidate is dropped only when that is clearly more likely than not: a missed incident
# costs F1 as much as a spurious one, and the rules' recall is what the layer cannot add to.
DROP_THRESHOLD = 0.7
# The rules' kind (incident or aggregate) is changed only when the other is clearly more likely.
FLIP_THRESHOLD = 0.8
CALIBRATION_FOLDS = 5
# What the confidence is read from: few features, since 90 real articles carry little signal for more.
CONFIDENCE_FEATURES = frozenset(
    {
        "bias",
        "place_town",
        "place_subplace",
        "place_unresolved",
        "place_admin1",
        "place_country",
        "date_day",
        "date_published",
        "date_month",
        "date_span",
        "rule_aggregate",
        "has_killed",
        "lead",
        "quoted",
        "cue_source",
        "candidates_log",
        "admin1_named_in_article",
        "killed_log",
        "sentences_log",
        "mentions_log",
        "position",
        "cue_monitor",
        "cue_anaphora",
        "toll_update",
        "undated_war_toll",
        "vague",
    }
)
DIGITS = 5
# Each corpus line starts with its id, so an aside line is skipped unparsed.
_LEADING_ID = re.compile(r'\{\s*"id"\s*:\s*"([^"\\]+)"')


@dataclass(slots=True)
class Sample:
    """One article's candidates, their features and their labels (``fold`` None for synthetic articles)."""

    article_id: str
    fold: str | None
    features: list[dict[str, float]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    matched: list[int] = field(default_factory=list)
    pairs: list[tuple[dict[str, float], int]] = field(default_factory=list)
    article: dict = field(default_factory=dict, repr=False)


def load_scorer(corpus: Path) -> ModuleType:
    """The corpus's score.py, imported from its file (it is not part of this repository)."""
    spec = importlib.util.spec_from_file_location("casualty_corpus_score", corpus / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def training_articles(corpus: Path) -> list[tuple[dict, str | None]]:
    """(article, fold) for every training article, sorted by id: the synthetic sets (fold None) and folds 0-4."""
    articles: list[tuple[dict, str | None]] = [(article, None) for article in read_jsonl(corpus / "dev.jsonl")]
    if SYNTHETIC.is_file():
        articles += [(article, None) for article in read_jsonl(SYNTHETIC)]
    split_path = corpus / "real_dev_split.json"
    if split_path.is_file() and (corpus / "real_dev.jsonl").is_file():
        split = json.loads(split_path.read_text(encoding="utf-8"))["split"]
        # The aside quarter is never read: its lines are skipped on their id before parsing.
        with (corpus / "real_dev.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                leading = _LEADING_ID.match(line)
                if leading is not None and split.get(leading.group(1)) in CV_FOLDS:
                    articles.append((json.loads(line), split[leading.group(1)]))
    return sorted(articles, key=lambda pair: str(pair[0]["id"]))


def _engine(article: dict, decide: Callable[..., list[Incident]]) -> tuple[list[Incident], list[dict]]:
    """The engine on one article with ``decide`` as its last step: the incidents and their output records."""
    from reports.extraction import MAX_TEXT_CHARS, _as_date
    from reports.extraction.gazetteer import Gazetteer
    from reports.extraction.output import to_incident

    text = str(article["text"])[:MAX_TEXT_CHARS]
    day = _as_date(article.get("published"), text=text)
    title = article.get("title") if isinstance(article.get("title"), str) else None
    gazetteer = Gazetteer.default()
    incidents, sentences = run(text=text, published=day, title=title, gazetteer=gazetteer, decide=decide)
    records = [
        to_incident(
            incident=incident, text=text, sentences=sentences, gazetteer=gazetteer, published=day, title=title
        ).as_json()
        for incident in incidents
    ]
    return incidents, records


def candidates(article: dict) -> tuple[list[dict[str, float]], list[tuple[int, int, dict[str, float]]], list[dict]]:
    """The rule engine's candidates of one article: their features, their pairs' features, and their output records."""
    captured: dict[str, list] = {"rows": [], "pairs": []}

    def capture(analysis: Analysis, incidents: list[Incident], *, text: str, published: date) -> list[Incident]:
        captured["rows"] = candidate_features(analysis, incidents, text=text, published=published)
        captured["pairs"] = pairs(analysis, incidents, text=text)
        return incidents

    _, records = _engine(article, capture)
    return captured["rows"], captured["pairs"], records


def match_flags(gold: list[dict], records: list[dict], scorer: ModuleType) -> list[bool]:
    """Whether score.py matches each output record of one article (its one-to-one pairing, kind by kind)."""
    flags = [False] * len(records)
    for aggregate in (False, True):
        chosen = [i for i, record in enumerate(records) if bool(record.get("aggregate")) == aggregate]
        golds = [g for g in gold if bool(g.get("aggregate")) == aggregate]
        for predicted, _ in scorer.match([records[i] for i in chosen], golds):
            flags[chosen[predicted]] = True
    return flags


def tells(record: dict, gold: dict, scorer: ModuleType) -> bool:
    """Whether a candidate tells this gold incident: score.py's compatibility, and for totals a toll of the same order.

    A year-long background toll is compatible with any total of its country
    that year; only its toll (300,000 against 52) shows it is another figure.
    """
    if not scorer.compatible(record, gold):
        return False
    if not gold.get("aggregate"):
        return True
    ours, theirs = record.get("killed_min"), gold.get("killed_min")
    if not ours or not theirs:
        return True
    return max(ours, theirs) <= TOTAL_TOLL_RATIO * min(ours, theirs)


def label(records: list[dict], gold: list[dict], scorer: ModuleType) -> tuple[list[str], list[int], list[object]]:
    """Each candidate's kind, whether score.py would match it, and the gold incident it tells (None for drops).

    A candidate compatible with a gold incident (country, admin1, dates, flag)
    keeps its flag; compatible only with the flag flipped, it takes the other
    kind; compatible with none, it is dropped. Kept candidates are matched one
    to one as score.py does; a kept one left over (a second telling) is given
    the compatible gold incident with the closest toll.
    """
    kinds = []
    for record in records:
        own = bool(record.get("aggregate"))
        if any(tells(record, g, scorer) for g in gold):
            kinds.append("aggregate" if own else "incident")
        elif any(tells(dict(record, aggregate=not own), g, scorer) for g in gold):
            kinds.append("incident" if own else "aggregate")
        else:
            kinds.append("drop")
    matched = [0] * len(records)
    assigned: list[object] = [None] * len(records)
    for flag, kind in ((False, "incident"), (True, "aggregate")):
        chosen = [position for position, name in enumerate(kinds) if name == kind]
        predictions = [dict(records[position], aggregate=flag) for position in chosen]
        golds = [(number, g) for number, g in enumerate(gold) if bool(g.get("aggregate")) == flag]
        for prediction_index, gold_index in scorer.match(predictions, [g for _, g in golds]):
            matched[chosen[prediction_index]] = 1
            assigned[chosen[prediction_index]] = golds[gold_index][0]
        for prediction_index, position in enumerate(chosen):
            if assigned[position] is None:
                options = [
                    (scorer._cost(predictions[prediction_index], g), number)
                    for number, g in golds
                    if scorer.compatible(predictions[prediction_index], g)
                ]
                assigned[position] = min(options)[1] if options else None
    # A total left over beside the parts that matched ("30 killed: 19 in A and 11 in B") is not recorded.
    parts = [
        r["killed_min"] for r, hit in zip(records, matched, strict=True) if hit and r.get("killed_min") is not None
    ]
    for position, record in enumerate(records):
        if not matched[position] and kinds[position] != "drop" and sum_of_parts(record.get("killed_min"), parts):
            kinds[position], assigned[position] = "drop", None
    return kinds, matched, assigned


def collect(articles: list[tuple[dict, str | None]], scorer: ModuleType) -> list[Sample]:
    """One labelled sample an article, in the order given."""
    samples = []
    for article, fold in articles:
        rows, pairs, records = candidates(article)
        kinds, matched, assigned = label(records, list(article.get("incidents") or []), scorer)
        sample = Sample(str(article["id"]), fold, rows, kinds, matched, article=article)
        for earlier, later, features in pairs:
            if kinds[earlier] == "drop" or kinds[later] == "drop" or kinds[earlier] != kinds[later]:
                continue
            same = assigned[earlier] is not None and assigned[earlier] == assigned[later]
            sample.pairs.append((features, int(same)))
        samples.append(sample)
    return samples


def _matrix(rows: list[dict[str, float]], names: list[str]):
    import numpy

    return numpy.array([[row.get(name, 0.0) for name in names] for row in rows], dtype=float)


def _fit(
    rows: list[dict[str, float]], targets: list, *, strength: float
) -> tuple[list[object], list[dict[str, float]]]:
    """A logistic regression on standardised features, its weights folded back onto the raw features.

    Returns the classes and, per class (one for a binary target: the positive
    class), the raw-feature weights with the intercept under "bias".
    """
    import numpy
    from sklearn.linear_model import LogisticRegression

    if len(set(targets)) < 2:
        # A fold whose training articles hold pairs of one kind only (all one event): no regression to fit;
        # the bias alone says what every such pair was (logit of 0.99 or 0.01).
        only = targets[0] if targets else 0
        return [only], [{"bias": round(4.6 if only else -4.6, DIGITS)}]
    names = sorted({name for row in rows for name in row} - {"bias"})
    matrix = _matrix(rows, names)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=strength, max_iter=5000, tol=1e-8)
    regression.fit((matrix - mean) / scale, numpy.array(targets))
    weights = []
    for coefficients, intercept in zip(regression.coef_, regression.intercept_, strict=True):
        raw = coefficients / scale
        by_name = {
            name: round(float(value), DIGITS) for name, value in zip(names, raw, strict=True) if round(value, DIGITS)
        }
        by_name["bias"] = round(float(intercept - (raw * mean).sum()), DIGITS)
        weights.append(by_name)
    return list(regression.classes_), weights


def _score(weights: dict[str, float], row: dict[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in row.items())


def fit(samples: list[Sample], *, scorer: ModuleType) -> dict:
    """The model file's content (with its hash) from labelled samples; ``scorer`` is the corpus's score.py."""
    content = _weights(samples)
    content["confidence"]["calibration"] = calibrate(samples, scorer=scorer)
    content["hash"] = content_hash(content)
    return content


def _weights(samples: list[Sample]) -> dict:
    """The model's content before calibration (the confidence score taken as it is)."""
    rows = [row for sample in samples for row in sample.features]
    kinds = [kind for sample in samples for kind in sample.kinds]
    classes, kind_weights = _fit(rows, kinds, strength=REGULARISATION["kind"])
    by_kind = {name: {} for name in KINDS}
    if len(classes) == 2:  # scikit-learn gives one row for two classes: the second against the first.
        by_kind[str(classes[1])] = kind_weights[0]
    else:
        by_kind.update({str(name): weights for name, weights in zip(classes, kind_weights, strict=True)})
    pairs = [pair for sample in samples for pair in sample.pairs]
    _, (link_weights,) = _fit([f for f, _ in pairs], [same for _, same in pairs], strength=REGULARISATION["link"])
    # The confidence is a probability on real reports: the synthetic sets, nearly all matched, would inflate it.
    real = [sample for sample in samples if sample.fold is not None] or samples
    _, (confidence_weights,) = _fit(
        [
            {name: value for name, value in row.items() if name in CONFIDENCE_FEATURES}
            for s in real
            for row in s.features
        ],
        [value for sample in real for value in sample.matched],
        strength=REGULARISATION["confidence"],
    )
    return {
        "format": FORMAT,
        "about": "The learned layer of the extraction engine; written by python -m reports.extraction.train.",
        "trained_on": {
            "articles": len(samples),
            "real_articles": sum(sample.fold is not None for sample in samples),
            "candidates": len(rows),
            "pairs": len(pairs),
        },
        "kind": {
            "classes": list(KINDS),
            "weights": by_kind,
            "drop_threshold": DROP_THRESHOLD,
            "flip_threshold": FLIP_THRESHOLD,
        },
        "link": {"weights": link_weights, "threshold": LINK_THRESHOLD},
        "confidence": {"weights": confidence_weights, "calibration": [1.0, 0.0]},
    }


def calibrate(samples: list[Sample], *, scorer: ModuleType) -> list[float]:
    """Platt scaling of the confidence of the engine's output, fitted on out-of-fold real articles.

    The real articles are split by position; for each part, a model trained
    on the rest (and the synthetic sets) runs the whole engine on it, and each
    output incident's score is paired with whether score.py matches it: the
    population the confidence speaks about, after drops and merges.
    """
    import numpy
    from sklearn.linear_model import LogisticRegression

    real = [sample for sample in samples if sample.fold is not None and sample.article] or samples
    scores: list[float] = []
    targets: list[int] = []
    for part in range(CALIBRATION_FOLDS):
        held = {id(s) for position, s in enumerate(real) if position % CALIBRATION_FOLDS == part}
        model = Model.from_json(_weights([s for s in samples if id(s) not in held]))
        for sample in real:
            if id(sample) not in held or not sample.article:
                continue
            incidents, records = _engine(sample.article, functools.partial(decide, model=model))
            gold = list(sample.article.get("incidents") or [])
            for incident, hit in zip(incidents, match_flags(gold, records, scorer), strict=True):
                probability = min(max(incident.confidence or 0.5, 1e-6), 1 - 1e-6)
                scores.append(math.log(probability / (1 - probability)))
                targets.append(int(hit))
    if len(set(targets)) < 2:
        return [1.0, 0.0]
    regression = LogisticRegression(C=100.0, max_iter=5000, tol=1e-8)
    regression.fit(numpy.array(scores).reshape(-1, 1), numpy.array(targets))
    return [round(float(regression.coef_[0][0]), DIGITS), round(float(regression.intercept_[0]), DIGITS)]


def dumps(content: dict) -> str:
    return json.dumps(content, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default=str(CORPUS), help="folder of dev.jsonl, real_dev.jsonl, its split, score.py"
    )
    parser.add_argument("--out", default=str(MODEL_PATH), help="where to write the model (default: the committed one)")
    parser.add_argument("--check", action="store_true", help="only say whether --out equals a fresh training")
    arguments = parser.parse_args(argv)
    corpus = Path(arguments.corpus).resolve()
    if not (corpus / "dev.jsonl").is_file() or not (corpus / "score.py").is_file():
        print(f"cannot train: no dev.jsonl and score.py in {corpus}", file=sys.stderr)
        return 2
    scorer = load_scorer(corpus)
    text = dumps(fit(collect(training_articles(corpus), scorer), scorer=scorer))
    out = Path(arguments.out)
    if arguments.check:
        same = out.is_file() and out.read_text(encoding="utf-8") == text
        print("model is up to date" if same else f"{out} differs from a fresh training")
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    content = json.loads(text)
    print(f"wrote {out}: {content['trained_on']}, hash {content['hash'][:8]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
