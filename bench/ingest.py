"""Ingestion throughput: end to end through one real Celery worker, against extraction alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casualties \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 \
    .venv/bin/python bench/ingest.py --articles 300

Each run (--repeat N runs N, one after the other):
1. times the extraction engine alone over the articles, in a new process, on one core;
2. creates a scratch database `<name>_bench` next to the one DATABASE_URL names,
   migrates it, starts one new worker (concurrency 1, so one core as in step 1),
   warms it up with one article, submits every article through the real path
   (store, queue on Redis, extract, file on PostgreSQL), times until the last
   one reaches a final state and the queue is empty (no message waiting or
   unacknowledged), and drops the database.
Both steps start from a new process, so both pay the engine's first-use costs
(lazy indexes, caches) alike. Prints one JSON object: for each run articles/s
both ways and the pipeline's overhead (1 - alone time / end-to-end time), and
their medians.

Articles are submitted as `manage.py ingest` submits a folder: INGEST_BATCH_SIZE
texts a transaction, extracted and filed a chunk to a task. `--one-by-one`
submits them as the API does instead, one transaction per article (the worker
then takes the articles that wait together, one queue message for them all).
"""

import argparse
import datetime
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _articles(count: int) -> list[dict]:
    """`count` distinct articles made from the demo seeds, tolls and dates varied so each is new."""
    from reports.extraction.cli import read_articles

    seeds = [record for path in sorted((ROOT / "seeds" / "articles").glob("*.txt")) for record in read_articles(path)]
    made = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        bump = i // len(seeds)
        text = re.sub(
            r"\b(\d{2,3})\b(?! (?:km|miles|per))", lambda m, bump=bump: str(int(m.group(1)) + bump), seed["text"]
        )
        made.append({**seed, "text": text + f"\n\n(Bench copy {i}.)", "id": f"bench-{i}"})
    return made


def _scratch_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))


def _psql_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def _extraction_alone(count: int) -> float:
    """Seconds the engine alone takes over the articles, in a new process (as cold as the new worker)."""
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from bench.ingest import _articles; from reports import extraction;"
        "articles = _articles(int(sys.argv[2]) + 1); warm_up = articles.pop(0);"
        "extraction.extract(text=warm_up['text'], published=warm_up['published']);"
        "started = time.perf_counter();"
        "[extraction.extract(text=a['text'], published=a['published'], title=a.get('title')) for a in articles];"
        "print(time.perf_counter() - started)"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", code, str(ROOT), str(count)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def _end_to_end(arguments: argparse.Namespace, url: str, articles: list[dict], warm_up: dict) -> tuple[float, dict]:
    """Seconds from the first submission until every article is final, through one new worker; and the states."""
    name = urlsplit(url).path.lstrip("/")
    _psql_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql_admin(url, f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

    import redis
    from django.conf import settings
    from django.db import connections
    from django.db.models import Count

    from config.celery import app
    from reports.models import Article
    from reports.services.articles import TextSubmission, article_submit_text, articles_submit_texts
    from reports.services.queueing import extraction_queued_unmark

    app.control.purge()
    extraction_queued_unmark()  # a mark left by an earlier run would hold back the first message
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(arguments.concurrency),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:

        def submission(record: dict) -> TextSubmission:
            published = datetime.date.fromisoformat(record["published"]) if record.get("published") else None
            return TextSubmission(
                text=record["text"],
                title=record.get("title") or "",
                published=published,
                source_name=record.get("source") or "",
            )

        def submit(records: list[dict]) -> None:
            if arguments.one_by_one:
                for record in records:
                    one = submission(record)
                    article_submit_text(
                        text=one.text, title=one.title, published=one.published, source_name=one.source_name
                    )
                return
            size = settings.INGEST_BATCH_SIZE
            for start in range(0, len(records), size):
                articles_submit_texts(submissions=[submission(r) for r in records[start : start + size]])

        broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])

        def wait_all(timeout: float) -> None:
            """Until no article is pending and the worker has run every message: those of articles
            another article's task took along still cost the worker a (short) task each."""
            deadline = time.monotonic() + timeout
            while (
                Article.objects.filter(status=Article.Status.PENDING).exists()
                or broker.llen("celery")
                or broker.hlen("unacked")
            ):
                if time.monotonic() > deadline:
                    raise SystemExit("bench: the worker did not finish in time")
                time.sleep(0.02)

        submit([warm_up])
        wait_all(120)
        started = time.perf_counter()
        submit(articles)
        wait_all(600)
        seconds = time.perf_counter() - started
        states = dict(Article.objects.values_list("status").annotate(n=Count("id")))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        connections.close_all()
        _psql_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return seconds, states


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="worker processes of the one worker (1: one core, like the extraction-alone run)",
    )
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="submit each article on its own transaction (the API's path), not in chunks",
    )
    parser.add_argument("--repeat", type=int, default=1, help="pairs of runs (extraction alone, end to end)")
    arguments = parser.parse_args()
    base_url, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not base_url.startswith("postgres") or not broker.startswith("redis"):
        parser.error("set DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://... (the real services)")
    url = _scratch_url(base_url)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base"})

    import django

    django.setup()
    from django.conf import settings

    from reports import extraction

    articles = _articles(arguments.articles + 1)
    warm_up, articles = articles[0], articles[1:]
    runs = []
    for _ in range(arguments.repeat):
        load = os.getloadavg()[0]  # one minute, when the run starts
        alone = _extraction_alone(len(articles))
        end_to_end, states = _end_to_end(arguments, url, articles, warm_up)
        runs.append(
            {
                "load_average": round(load, 2),
                "extraction_alone_per_s": round(len(articles) / alone, 1),
                "end_to_end_per_s": round(len(articles) / end_to_end, 1),
                "pipeline_overhead": round(1 - alone / end_to_end, 3),
                "states": states,
            }
        )
    words = sum(len(a["text"].split()) for a in articles) / len(articles)
    result = {
        "articles": len(articles),
        "worker_concurrency": arguments.concurrency,
        "submitted": "one by one" if arguments.one_by_one else f"in chunks of {settings.INGEST_BATCH_SIZE}",
        "mean_words": round(words),
        "extractor_version": extraction.EXTRACTOR_VERSION,
        **{key: statistics.median(run[key] for run in runs) for key in _MEDIANS},
        "runs": runs,
    }
    print(json.dumps(result))
    return 0


_MEDIANS = ("extraction_alone_per_s", "end_to_end_per_s", "pipeline_overhead")


if __name__ == "__main__":
    sys.exit(main())
