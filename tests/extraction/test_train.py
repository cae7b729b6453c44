"""Training the learned layer: deterministic, and the committed model is what the command rebuilds.

Reads the annotated corpus in ../shared (other people's words, never copied
here); skips cleanly when it is absent.
"""

import json
from pathlib import Path

import pytest

from reports.extraction import train
from reports.extraction.learned import Model

# Training needs scikit-learn (requirements-dev.txt); the engine does not.
pytest.importorskip("sklearn")

CORPUS = train.CORPUS.resolve()


def _corpus() -> Path:
    if not (CORPUS / "dev.jsonl").is_file() or not (CORPUS / "score.py").is_file():
        pytest.skip("the annotated corpus (../shared/extraction) is not available")
    return CORPUS


def test_training_twice_on_the_same_articles_gives_the_same_bytes() -> None:
    corpus = _corpus()
    scorer = train.load_scorer(corpus)
    # A small input: every fourth training article (synthetic and real folds alike).
    articles = train.training_articles(corpus)[::4]
    first = train.dumps(train.fit(train.collect(articles, scorer), scorer=scorer))
    second = train.dumps(train.fit(train.collect(articles, scorer), scorer=scorer))
    assert first == second
    model = Model.from_json(json.loads(first))
    assert model.digest.startswith(model.short_hash)


def test_the_committed_model_is_what_the_training_command_rebuilds() -> None:
    corpus = _corpus()
    if not (corpus / "real_dev.jsonl").is_file():
        pytest.skip("real_dev.jsonl is not available")
    assert train.main(["--corpus", str(corpus), "--check"]) == 0


def test_the_aside_quarter_is_never_a_training_article() -> None:
    corpus = _corpus()
    folds = {fold for _, fold in train.training_articles(corpus)}
    assert folds <= {None, *train.CV_FOLDS}


def test_a_total_with_a_toll_of_another_order_does_not_tell_the_gold_total() -> None:
    scorer = train.load_scorer(_corpus())
    gold = {"country": "NG", "admin1": "Borno", "date_start": "2019-01-01", "date_end": "2019-03-12"}
    gold |= {"aggregate": True, "killed_min": 120}
    close = {**gold, "killed_min": 150}
    background = {**gold, "killed_min": 35000}
    assert train.tells(close, gold, scorer)
    assert not train.tells(background, gold, scorer)
    kinds, matched, _ = train.label([close, background], [gold], scorer)
    assert (kinds, matched) == (["aggregate", "drop"], [1, 0])
