"""bench/real_dev.py's split handling and prediction lines (the corpus is read from ../shared, never copied)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.real_dev import (
    ASIDE,
    CORPUS,
    CV_FOLDS,
    GUIDE_FIELDS,
    chosen_folds,
    engine_incidents,
    prediction_line,
    read_articles,
    score,
)

SPLIT = {"a1": "fold0", "a2": ASIDE, "a3": "fold4", "a4": ASIDE}


@pytest.fixture
def real_split() -> dict[str, str]:
    if not (CORPUS / "real_dev.jsonl").is_file() or not (CORPUS / "real_dev_split.json").is_file():
        pytest.skip("real_dev.jsonl not available")
    return json.loads((CORPUS / "real_dev_split.json").read_text(encoding="utf-8"))["split"]


def test_the_cross_validation_part_leaves_out_the_aside_articles() -> None:
    assert chosen_folds(SPLIT, final=False) == {"a1": "fold0", "a3": "fold4"}


def test_only_final_chooses_the_aside_articles() -> None:
    assert chosen_folds(SPLIT, final=True) == {"a2": ASIDE, "a4": ASIDE}


def test_lines_not_chosen_are_not_even_parsed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"id": "a1", "text": "one"}\n{"id": "a2", this line is not JSON\n{"id": "a3", "text": "three"}\n',
        encoding="utf-8",
    )
    articles = read_articles(corpus, chosen_folds(SPLIT, final=False))
    assert [article["id"] for article in articles] == ["a1", "a3"]


def test_the_real_split_reads_no_aside_article(real_split: dict[str, str]) -> None:
    folds = chosen_folds(real_split, final=False)
    articles = read_articles(CORPUS / "real_dev.jsonl", folds)
    aside = {article_id for article_id, fold in real_split.items() if fold == ASIDE}
    assert aside
    assert not aside & {article["id"] for article in articles}
    assert {article["id"] for article in articles} == {i for i, fold in real_split.items() if fold in CV_FOLDS}


def test_a_prediction_line_has_the_scorers_shape(real_split: dict[str, str], tmp_path: Path) -> None:
    first_cv_id = min(i for i, fold in real_split.items() if fold in CV_FOLDS)
    [article] = read_articles(CORPUS / "real_dev.jsonl", [first_cv_id])
    incidents = engine_incidents(article)
    line = prediction_line(article["id"], incidents)
    assert set(line) == {"id", "incidents"}
    assert line["id"] == first_cv_id
    assert len(line["incidents"]) == len(incidents) > 0
    assert all(set(incident) == set(GUIDE_FIELDS) for incident in line["incidents"])
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(json.dumps(line) + "\n", encoding="utf-8")
    figures, errors = score([article], predictions, scorer=CORPUS / "score.py", errors=True)
    incident_figures = figures["incident"]
    aggregate_figures = figures["aggregate"]
    assert incident_figures["predicted"] + aggregate_figures["predicted"] == len(incidents)
    assert incident_figures["gold"] + aggregate_figures["gold"] == len(article["incidents"])
    assert all(error.startswith(f"{first_cv_id}: ") for error in errors)


def test_without_the_corpus_the_bench_says_skipped(tmp_path: Path) -> None:
    bench = Path(__file__).resolve().parents[2] / "bench" / "real_dev.py"
    finished = subprocess.run(
        [sys.executable, str(bench), "--corpus", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0
    assert finished.stdout.startswith("skipped")


def test_extra_labelled_texts_are_scored_whole_with_the_committed_model(
    real_split: dict[str, str], tmp_path: Path
) -> None:
    gold = {
        "date_start": "2024-03-04",
        "date_end": "2024-03-04",
        "country": "IQ",
        "admin1": "Kirkuk",
        "place": "Kirkuk",
        "killed_min": 6,
        "killed_max": 6,
        "injured_min": None,
        "injured_max": None,
        "children_killed": None,
        "women_killed": None,
        "victims": "civilians",
        "actor": None,
        "event_type": "remote_explosive",
        "aggregate": False,
        "evidence": "A car bomb killed six people in Kirkuk on Monday, police said.",
    }
    extra = tmp_path / "fresh.jsonl"
    extra.write_text(
        json.dumps(
            {
                "id": "x1",
                "published": "2024-03-05",
                "title": "Car bomb in Kirkuk",
                "text": gold["evidence"],
                "incidents": [gold],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    saved = tmp_path / "figures.json"
    bench = Path(__file__).resolve().parents[2] / "bench" / "real_dev.py"
    finished = subprocess.run(
        [sys.executable, str(bench), "--extra", str(extra), "--save", str(saved)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    figures = json.loads(saved.read_text(encoding="utf-8"))
    assert (figures["part"], figures["engine"], figures["articles"]) == ("extra", "tuned", 1)
    assert figures["scores"]["extra"]["incident"]["matched"] == 1
