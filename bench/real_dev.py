"""Score the extraction engine on real published reports (../shared/extraction/real_dev.jsonl).

usage: .venv/bin/python bench/real_dev.py [--engine cv|rules|tuned] [--errors] [--out FILE] [--save FILE] [--final]
       .venv/bin/python bench/real_dev.py --extra FILE... [--engine rules]

By default it scores the cross-validation part of the fixed split (folds 0-4) and
never reads the articles kept aside; ``--final`` scores the aside quarter instead,
once, for the final estimate (with the committed model, which never saw it).

The engine's learned layer is trained on these folds, so by default (``--engine
cv``) each fold is scored by a model trained in-process on the other four folds
and the synthetic sets: an honest estimate. ``--engine rules`` runs the rules
alone (the learned layer off); ``--engine tuned`` uses the committed model,
trained on all five folds, so its figures are labelled "tuned". The confidence
of the scored incidents is checked against score.py's matches: a reliability
table and the Brier score. Predictions are written as the corpus's score.py
expects (one ``{"id": ..., "incidents": [...]}`` line an article, GUIDE.md field
names) and scored by it, per fold and overall. Throughput (after start-up) and
peak memory are printed, never asserted. Exits 0 with "skipped" when the corpus
is absent (it is other people's words and stays out of the repository).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports.extraction.contract import GUIDE_FIELDS  # noqa: E402  (the project is on the path only now)

CORPUS = ROOT / ".." / "shared" / "extraction"
CV_FOLDS = ("fold0", "fold1", "fold2", "fold3", "fold4")
ASIDE = "aside"
# Each corpus line starts with its id, so a line that is not chosen is skipped unparsed.
_LEADING_ID = re.compile(r'\{\s*"id"\s*:\s*"([^"\\]+)"')


def chosen_folds(split: dict[str, str], *, final: bool) -> dict[str, str]:
    """Article id -> fold for the articles to score: the aside quarter with ``final``, else folds 0-4."""
    wanted = (ASIDE,) if final else CV_FOLDS
    return {article_id: fold for article_id, fold in split.items() if fold in wanted}


def read_articles(corpus: Path, ids: Iterable[str]) -> list[dict[str, object]]:
    """The corpus articles whose id is in ``ids``, in file order; other lines are not parsed."""
    wanted = set(ids)
    articles = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            leading = _LEADING_ID.match(line)
            if leading is not None and leading.group(1) not in wanted:
                continue
            if not line.strip():
                continue
            article = json.loads(line)
            if article["id"] in wanted:
                articles.append(article)
    return articles


def engine_incidents(article: dict[str, object], **engine: object) -> list[dict[str, object]]:
    """The engine's incidents for one article as JSON-ready dicts: the bench's one tie to the engine's output type.

    ``engine`` is passed to ``extract`` (``learned=False``, ``model=...``).
    """
    from reports.extraction import extract

    found = extract(text=article["text"], published=article["published"], title=article.get("title"), **engine)
    return [incident.as_json() for incident in found]


def fold_models(corpus: Path, folds: Iterable[str]) -> dict[str, object]:
    """Fold -> the learned layer trained in-process on the other folds and the synthetic sets."""
    from reports.extraction import train
    from reports.extraction.learned import Model

    scorer = train.load_scorer(corpus)
    samples = train.collect(train.training_articles(corpus), scorer)
    return {
        fold: Model.from_json(train.fit([s for s in samples if s.fold != fold], scorer=scorer))
        for fold in sorted(set(folds))
    }


def reliability(pairs: list[tuple[float, bool]], *, bins: int = 10) -> dict[str, object]:
    """Reliability table (predicted mean vs observed match rate per confidence bin, empty bins left out) and Brier."""
    rows = []
    for number in range(bins):
        low, high = number / bins, (number + 1) / bins
        inside = [(c, m) for c, m in pairs if low <= c < high or (number == bins - 1 and c == 1.0)]
        if inside:
            rows.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "count": len(inside),
                    "predicted": round(sum(c for c, _ in inside) / len(inside), 3),
                    "observed": round(sum(m for _, m in inside) / len(inside), 3),
                }
            )
    brier = sum((c - m) ** 2 for c, m in pairs) / len(pairs) if pairs else 0.0
    return {"bins": rows, "brier": round(brier, 4), "incidents": len(pairs)}


def prediction_line(article_id: str, incidents: list[dict[str, object]]) -> dict[str, object]:
    """One line of score.py's prediction file: the article id and its incidents in GUIDE.md's fields only."""
    return {
        "id": article_id,
        "incidents": [{field: incident.get(field) for field in GUIDE_FIELDS} for incident in incidents],
    }


def score(
    gold_articles: list[dict[str, object]], predictions: Path, *, scorer: Path, errors: bool
) -> tuple[dict, list[str]]:
    """``scorer``'s figures (its --json output) and, with ``errors``, its error lines, for these gold articles."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as gold:
        for article in gold_articles:
            gold.write(json.dumps(article) + "\n")
    command = [sys.executable, str(scorer), gold.name, str(predictions), "--json"]
    if errors:
        command.append("--show-errors")
    try:
        # Our own interpreter running the corpus's scorer on files we just wrote.
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    finally:
        Path(gold.name).unlink()
    figures, end = json.JSONDecoder().raw_decode(output)
    return figures, [line for line in output[end:].splitlines() if line.strip()]


def _figures_line(name: str, figures: dict) -> str:
    parts = []
    for kind in ("incident", "strict", "aggregate"):
        kind_figures = figures[kind]
        parts.append(
            f"{kind} F1 {kind_figures['f1']:.3f} (P {kind_figures['precision']:.2f} R {kind_figures['recall']:.2f}, "
            f"{kind_figures['matched']}/{kind_figures['predicted']}/{kind_figures['gold']})"
        )
    fields = "  ".join(f"{field} {value:.2f}" for field, value in figures["fields"].items())
    return f"{name:8s} " + "  ".join(parts) + f"\n{'':8s} {fields}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS), help="folder of real_dev.jsonl, its split and score.py")
    parser.add_argument("--errors", action="store_true", help="print score.py's list of misses and field errors")
    parser.add_argument("--out", help="keep the predictions in this file (default: a temporary file)")
    parser.add_argument("--save", help="write the figures, timing and memory to this JSON file")
    parser.add_argument("--final", action="store_true", help="score the aside quarter: for the final estimate only")
    parser.add_argument(
        "--extra",
        nargs="+",
        metavar="FILE",
        help="score other labelled real texts instead (JSON Lines in real_dev.jsonl's layout, kept outside the "
        "repository) with the committed model, which never saw them (or --engine rules)",
    )
    parser.add_argument(
        "--engine",
        choices=("cv", "rules", "tuned"),
        default="cv",
        help="cv: each fold scored by a model trained on the others (default); rules: no learned layer; "
        "tuned: the committed model (trained on these folds)",
    )
    arguments = parser.parse_args(argv)
    corpus = Path(arguments.corpus).resolve()
    if not (corpus / "real_dev.jsonl").is_file() or not (corpus / "real_dev_split.json").is_file():
        print(f"skipped: no real_dev.jsonl and real_dev_split.json in {corpus}")
        return 0

    if arguments.extra:
        articles = [
            json.loads(line)
            for name in arguments.extra
            for line in Path(name).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        folds = {str(article["id"]): "extra" for article in articles}
    else:
        split = json.loads((corpus / "real_dev_split.json").read_text(encoding="utf-8"))["split"]
        folds = chosen_folds(split, final=arguments.final)
        articles = read_articles(corpus / "real_dev.jsonl", folds)

    from reports.extraction import EXTRACTOR_VERSION, train
    from reports.extraction.gazetteer import Gazetteer

    engine = "tuned" if arguments.final else arguments.engine
    if arguments.extra:
        engine = "rules" if arguments.engine == "rules" else "tuned"
    # Start-up (imports, the gazetteer, the model, the first call) is left out of the rate.
    started = time.perf_counter()
    Gazetteer.default()
    engine_incidents({"text": "Two people were killed.", "published": "2020-01-01"})
    startup = time.perf_counter() - started
    models = fold_models(corpus, folds.values()) if engine == "cv" else {}
    started = time.perf_counter()
    found = {}
    for article in articles:
        options = {"learned": engine != "rules"}
        if engine == "cv":
            options["model"] = models[folds[article["id"]]]
        found[article["id"]] = engine_incidents(article, **options)
    elapsed = time.perf_counter() - started
    lines = [prediction_line(article["id"], found[article["id"]]) for article in articles]
    scorer = train.load_scorer(corpus)
    confidence = [
        (float(incident["confidence"]), flag)
        for article in articles
        for incident, flag in zip(
            found[article["id"]], train.match_flags(article["incidents"], found[article["id"]], scorer), strict=True
        )
    ]
    calibration = reliability(confidence)

    with tempfile.TemporaryDirectory() as scratch:
        predictions = Path(arguments.out) if arguments.out else Path(scratch) / "predictions.jsonl"
        predictions.parent.mkdir(parents=True, exist_ok=True)
        predictions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        groups = [(fold, [a for a in articles if folds[a["id"]] == fold]) for fold in sorted(set(folds.values()))]
        if len(groups) > 1:
            groups.append(("overall", articles))
        results = {}
        error_lines: list[str] = []
        for name, gold_articles in groups:
            wants_errors = arguments.errors and name == groups[-1][0]
            results[name], found = score(gold_articles, predictions, scorer=corpus / "score.py", errors=wants_errors)
            error_lines.extend(found)

    part = "aside quarter (final estimate)" if arguments.final else "cross-validation part (folds 0-4)"
    if arguments.extra:
        part = "labelled texts from " + ", ".join(Path(name).name for name in arguments.extra)
    unseen = arguments.final or arguments.extra
    label = {
        "cv": "learned layer cross-validated (each fold scored by a model trained on the other four)",
        "rules": "rules only (learned layer off)",
        "tuned": "committed model" + ("" if unseen else ", trained on these articles: TUNED figures"),
    }[engine]
    print(f"extractor {EXTRACTOR_VERSION} on {len(articles)} real articles, {part}; {label}")
    print("figures: F1 (precision, recall, matched/predicted/gold); field accuracy over matched incidents\n")
    for name, figures in results.items():
        print(_figures_line(name, figures))
    rate = len(articles) / elapsed if elapsed else float("inf")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    words = sum(len(str(article["text"]).split()) for article in articles) / max(len(articles), 1)
    print(f"\nstart-up (gazetteer and first call, in this process): {startup:.2f} s")
    print(f"throughput: {rate:.0f} articles/s on {len(articles)} articles of {words:.0f} words on average")
    print(f"peak RSS: {peak_mb:.0f} MB")
    print(
        f"\nconfidence vs score.py's matches ({calibration['incidents']} incidents): Brier {calibration['brier']:.3f}"
    )
    for row in calibration["bins"]:
        print(f"  {row['bin']}  n={row['count']:3d}  predicted {row['predicted']:.2f}  observed {row['observed']:.2f}")
    if error_lines:
        print("\nscore.py errors:\n" + "\n".join(error_lines))
    if arguments.save:
        summary = {
            "extractor": EXTRACTOR_VERSION,
            "part": "extra" if arguments.extra else "aside" if arguments.final else "cv",
            "engine": engine,
            "calibration": calibration,
            "articles": len(articles),
            "scores": results,
            "articles_per_second": round(rate, 1),
            "peak_rss_mb": round(peak_mb),
        }
        Path(arguments.save).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
