"""Benchmark the extraction engine on the labelled dev set.

usage: .venv/bin/python bench/extraction.py [--gold ../shared/extraction/dev.jsonl] [--out var/bench]

Writes predictions for the engine and for a naive baseline (a regex taking the
first number next to "killed"), scores both with the corpus's score.py, and
times start-up, throughput (single core, after start-up) and peak memory.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_NAIVE = re.compile(
    r"(\d[\d,]*)\s+(?:\w+\s+){0,3}(?:were\s+|had\s+been\s+)?(?:killed|dead)|(?:killing|killed)\s+(?:at\s+least\s+)?(\d[\d,]*)",
    re.I,
)


def naive_extract(*, text: str, published: str, gazetteer: object = None) -> list[dict[str, object]]:
    """Baseline: every "N ... killed" is an incident on the publication day, in the
    first country word of the text and the first first-level division named in its sentence."""
    from reports.extraction.text import name_key

    incidents = []
    country = None
    for code, word in (
        ("SY", "Syria"),
        ("IQ", "Iraq"),
        ("YE", "Yemen"),
        ("UA", "Ukraine"),
        ("AF", "Afghan"),
        ("LY", "Libya"),
        ("NG", "Nigeria"),
        ("LB", "Leban"),
        ("PS", "West Bank"),
    ):
        if word in text:
            country = code
            break
    for match in _NAIVE.finditer(text):
        value = int((match.group(1) or match.group(2)).replace(",", ""))
        sentence_start = max(text.rfind(". ", 0, match.start()), 0)
        sentence_end = text.find(". ", match.end())
        admin1 = None
        for word in re.findall(r"[A-Z][\w'-]+", text[sentence_start : sentence_end if sentence_end > 0 else len(text)]):
            found = gazetteer.admin1s_named(name_key(word)) if gazetteer is not None else ()  # type: ignore[attr-defined]
            if found:
                admin1 = gazetteer.admin1_name(*found[0])  # type: ignore[attr-defined]
                country = country or found[0][0]
                break
        incidents.append(
            {
                "date_start": published,
                "date_end": published,
                "country": country,
                "admin1": admin1,
                "place": None,
                "killed_min": value,
                "killed_max": value,
                "aggregate": False,
            }
        )
    return incidents


SHARED_SCORER = ROOT / ".." / "shared" / "extraction" / "score.py"


def _score(gold: Path, predictions: Path) -> tuple[dict[str, object], str]:
    # The corpus's own scorer sits beside it; our sets (bench/devset2) borrow the shared one.
    score_py = gold.with_name("score.py")
    if not score_py.exists():
        score_py = SHARED_SCORER
    # Our own interpreter running the corpus's scorer on files we just wrote.
    json_out = subprocess.run(  # noqa: S603
        [sys.executable, str(score_py), str(gold), str(predictions), "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text_out = subprocess.run(  # noqa: S603
        [sys.executable, str(score_py), str(gold), str(predictions)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(json_out), text_out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / ".." / "shared" / "extraction" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--repeat", type=int, default=10, help="passes over the corpus for the throughput figure")
    arguments = parser.parse_args(argv)
    gold = Path(arguments.gold).resolve()
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    articles = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]

    # Start-up is timed in a fresh interpreter: this one may have warm imports.
    probe = (
        "import time; t = time.perf_counter(); from reports.extraction import extract; "
        "from reports.extraction.gazetteer import Gazetteer; Gazetteer.default(); "
        "extract(text='x killed 2', published='2020-01-01'); print(time.perf_counter() - t)"
    )
    startup = float(
        subprocess.run(  # noqa: S603 - our interpreter, our fixed probe
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )

    import tracemalloc

    tracemalloc.start()
    from reports.extraction import EXTRACTOR_VERSION, extract
    from reports.extraction.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()

    engine_path, naive_path = out / "engine.jsonl", out / "naive.jsonl"
    with engine_path.open("w", encoding="utf-8") as engine_file, naive_path.open("w", encoding="utf-8") as naive_file:
        for article in articles:
            incidents = extract(text=article["text"], published=article["published"], title=article.get("title"))
            records = [incident.as_json() for incident in incidents]
            engine_file.write(json.dumps({"id": article["id"], "incidents": records}) + "\n")
            naive_file.write(
                json.dumps(
                    {
                        "id": article["id"],
                        "incidents": naive_extract(
                            text=article["text"], published=article["published"], gazetteer=gazetteer
                        ),
                    }
                )
                + "\n"
            )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Throughput on ~400-word articles: dev articles joined in pairs.
    long_articles = [
        {
            "text": first["text"] + "\n\n" + second["text"],
            "published": second["published"],
            "title": second.get("title"),
        }
        for first, second in zip(articles, articles[1:] + articles[:1], strict=True)
    ]
    words = sum(len(article["text"].split()) for article in long_articles) / len(long_articles)
    started = time.perf_counter()
    for _ in range(arguments.repeat):
        for article in long_articles:
            extract(text=article["text"], published=article["published"], title=article.get("title"))
    engine_rate = arguments.repeat * len(long_articles) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(arguments.repeat):
        for article in long_articles:
            naive_extract(text=article["text"], published=article["published"], gazetteer=gazetteer)
    naive_rate = arguments.repeat * len(long_articles) / (time.perf_counter() - started)

    engine_scores, engine_text = _score(gold, engine_path)
    naive_scores, naive_text = _score(gold, naive_path)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"extractor {EXTRACTOR_VERSION} on {len(articles)} dev articles; "
        f"throughput on {len(long_articles)} articles of {words:.0f} words on average\n"
    )
    print("engine:\n" + engine_text)
    print("naive baseline (number next to 'killed', admin1 by name lookup):\n" + naive_text)
    for kind in ("incident", "strict", "aggregate"):
        engine_f1 = engine_scores[kind]["f1"]  # type: ignore[index]
        naive_f1 = naive_scores[kind]["f1"]  # type: ignore[index]
        ratio = f"{engine_f1 / naive_f1:.1f}x" if naive_f1 else "n/a (baseline 0)"
        print(f"{kind:10s} F1 engine {engine_f1:.3f} vs baseline {naive_f1:.3f}: {ratio}")
    print(f"\nstart-up (imports + gazetteer from disk cache): {startup:.2f} s")
    print(f"throughput: {engine_rate:.0f} articles/s (baseline {naive_rate:.0f}/s), single process, after start-up")
    print(f"peak traced Python memory: {peak / 1e6:.0f} MB; peak RSS: {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
