"""Which of the baseline's classed errors on real_dev remain in a new set of predictions.

usage: .venv/bin/python bench/real_dev.py --out var/p.jsonl
       .venv/bin/python bench/real_dev_classes.py var/p.jsonl [--save bench/results/FILE.json]

`bench/results/real_dev_errors-2026-12-06.json` classes every error of extractor 2026.11.3
on the cross-validation part of real_dev (docs/extraction-real-errors.md). This script
matches the new predictions to the gold with score.py's own matching and, per class, counts:

- missed gold incidents that are still missed;
- wrong fields (by gold incident and field) still wrong, or lost with their incident;
- gold incidents the baseline matched that are missed now;
- spurious records: a spurious record has no stable index across versions, so an article's
  spurious records now are set against its classed spurious records of the baseline in the
  table's order; the ones beyond them are counted as "new, not classed". An approximation,
  said as such in the output.

Reads the fold articles only (never the aside quarter). Without the corpus it prints
`skipped` and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "extraction"
BASELINE = ROOT / "bench" / "results" / "real_dev_errors-2026-12-06.json"


def _scorer(corpus: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("real_dev_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _matches(scorer, preds: list[dict], golds: list[dict]) -> tuple[dict[int, int], set[int]]:  # type: ignore[no-untyped-def]
    """gold index -> pred index (indexes into the whole lists), and the unmatched pred indexes."""
    gold_to_pred: dict[int, int] = {}
    for flag in (False, True):
        p_idx = [i for i, p in enumerate(preds) if bool(p.get("aggregate")) == flag]
        g_idx = [j for j, g in enumerate(golds) if bool(g.get("aggregate")) == flag]
        for i, j in scorer.match([preds[i] for i in p_idx], [golds[j] for j in g_idx]):
            gold_to_pred[g_idx[j]] = p_idx[i]
    spurious = set(range(len(preds))) - set(gold_to_pred.values())
    return gold_to_pred, spurious


def compare(baseline: list[dict], gold: dict[str, list[dict]], predicted: dict[str, list[dict]], scorer) -> dict:  # type: ignore[no-untyped-def]
    rows: dict[str, Counter] = {}
    new_spurious = 0
    new_missed = 0
    by_article: dict[str, list[dict]] = {}
    for row in baseline:
        by_article.setdefault(row["article"], []).append(row)
    for article, golds in gold.items():
        preds = predicted.get(article, [])
        gold_to_pred, spurious = _matches(scorer, preds, golds)
        remaining_spurious = len(spurious)
        missed_before = {row["gold"] for row in by_article.get(article, []) if row["error"] == "missed"}
        new_missed += sum(1 for j in range(len(golds)) if j not in gold_to_pred and j not in missed_before)
        for row in by_article.get(article, []):
            counts = rows.setdefault(row["class"], Counter())
            kind = row["error"]
            counts[f"{kind} before"] += 1
            if kind == "missed":
                counts["missed now"] += row["gold"] not in gold_to_pred
            elif kind == "spurious":
                if remaining_spurious > 0:
                    counts["spurious now"] += 1
                    remaining_spurious -= 1
            else:
                pred = gold_to_pred.get(row["gold"])
                if pred is None:
                    counts["field now (incident missed)"] += 1
                else:
                    counts["field now"] += not scorer._field_ok(row["field"], preds[pred], golds[row["gold"]])
        new_spurious += remaining_spurious
    return {
        "classes": {name: dict(counts) for name, counts in sorted(rows.items())},
        "new_spurious_not_classed": new_spurious,
        "new_missed": new_missed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions", type=Path, help="the --out file of bench/real_dev.py")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--save", type=Path)
    args = parser.parse_args(argv)
    if not (args.corpus / "real_dev.jsonl").exists():
        print("skipped: no real_dev corpus at", args.corpus)
        return 0
    split = json.loads((args.corpus / "real_dev_split.json").read_text())["split"]
    folds = {article for article, fold in split.items() if fold != "aside"}
    gold = {}
    with (args.corpus / "real_dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            article_id = line[8:40].split('"')[0] if line.startswith('{"id": "') else None
            if article_id in folds:
                gold[article_id] = json.loads(line)["incidents"]
    predicted = {}
    for line in args.predictions.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            predicted[row["id"]] = row["incidents"]
    baseline = json.loads(BASELINE.read_text())["errors"]
    result = compare(baseline, gold, predicted, _scorer(args.corpus))
    width = max(len(name) for name in result["classes"])
    print(f"{'class':{width}}  missed before->now  spurious before->now  fields before->now (lost with incident)")
    for name, counts in result["classes"].items():
        print(
            f"{name:{width}}  {counts.get('missed before', 0):>6} -> {counts.get('missed now', 0):<6}"
            f"  {counts.get('spurious before', 0):>8} -> {counts.get('spurious now', 0):<8}"
            f"  {counts.get('field before', 0):>6} -> {counts.get('field now', 0)}"
            f" ({counts.get('field now (incident missed)', 0)})"
        )
    print(f"new spurious records, not in the baseline's classes: {result['new_spurious_not_classed']}")
    print(f"gold incidents matched before and missed now: {result['new_missed']}")
    print("(spurious 'now' is an upper bound per article: records have no stable index across versions)")
    if args.save:
        args.save.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
