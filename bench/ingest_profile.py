"""Where ingestion time goes, in one process and without Celery: cProfile and a query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casualties \
    .venv/bin/python bench/ingest_profile.py --articles 300 [--one-by-one] [--cprofile [--top 25]] [--slowest 5]

Works in a scratch database `<name>_profile` that it creates and drops. With no
broker set, the tasks run in-process after the transaction that queues them, so
it covers submitting, extracting and filing (bench/ingest.py measures the same
articles through a real worker). Prints the time an article takes with the
extraction engine alone and through the pipeline, wall and CPU seconds of this
process (on a busy machine CPU seconds move less), the SQL statements an article
by kind and the time they took; with --cprofile, the engine's share and the
functions with the most cumulative time.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import _articles, _psql_admin  # noqa: E402 - after the path is set


def _statement_kind(sql: str) -> str:
    """'INSERT casualties_claim' for an INSERT into that table: the verb and the first table named."""
    words = sql.split()
    table = next((w.split(".")[0].strip('"') for w in words if w.startswith('"') and "_" in w), "")
    return f"{words[0]} {table}".strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--one-by-one", action="store_true", help="the API's path: one transaction and task each")
    parser.add_argument("--cprofile", action="store_true", help="run the pipeline under cProfile")
    parser.add_argument("--top", type=int, default=25, help="how many functions to list (with --cprofile)")
    parser.add_argument("--slowest", type=int, default=0, help="also list the slowest SQL statements")
    arguments = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        parser.error("set DATABASE_URL=postgres://...")
    parts = urlsplit(base_url)
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_profile"))
    name = urlsplit(url).path.lstrip("/")
    _psql_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql_admin(url, f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env.pop("CELERY_BROKER_URL", None)
    os.environ.clear()
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection, reset_queries

        from reports import extraction
        from reports.services.articles import TextSubmission, article_submit_text, articles_submit_texts

        def submission(record: dict) -> TextSubmission:
            return TextSubmission(
                text=record["text"],
                title=record.get("title") or "",
                published=datetime.date.fromisoformat(record["published"]),
                source_name=record.get("source") or "",
            )

        def submit(records: list[dict]) -> None:
            if arguments.one_by_one:
                for r in map(submission, records):
                    article_submit_text(text=r.text, title=r.title, published=r.published, source_name=r.source_name)
                return
            size = settings.INGEST_BATCH_SIZE
            for start in range(0, len(records), size):
                articles_submit_texts(submissions=[submission(r) for r in records[start : start + size]])

        records = _articles(arguments.articles + 1)
        warm_up, records = records[0], records[1:]
        submit([warm_up])
        alone_cpu, started = time.process_time(), time.perf_counter()
        for record in records:
            extraction.extract(text=record["text"], published=record["published"], title=record.get("title"))
        alone, alone_cpu = time.perf_counter() - started, time.process_time() - alone_cpu

        connection.force_debug_cursor = True
        reset_queries()
        profile = cProfile.Profile()
        cpu, wall = time.process_time(), time.perf_counter()
        if arguments.cprofile:
            profile.enable()
        submit(records)
        profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        queries = list(connection.queries)
        connection.force_debug_cursor = False

        n = len(records)
        stats = pstats.Stats(profile) if arguments.cprofile else None
        print(f"{n} articles, {'one by one' if arguments.one_by_one else f'chunks of {settings.INGEST_BATCH_SIZE}'}")
        print(f"extraction alone: {alone / n * 1000:.2f} ms an article wall, {alone_cpu / n * 1000:.2f} ms CPU")
        print(
            f"submit, extract and file{' (under cProfile)' if stats else ''}: "
            f"{wall / n * 1000:.2f} ms an article wall, "
            f"{cpu / n * 1000:.2f} ms CPU in this process (the database's CPU is not counted)"
        )
        if stats:
            engine = sum(
                row[3]
                for key, row in stats.stats.items()
                if key[0].endswith("extraction/__init__.py") and key[2] == "extract"
            )
            print(f"  of which the engine {engine / n * 1000:.2f} ms, the rest {(wall - engine) / n * 1000:.2f} ms")
        print(f"SQL statements: {len(queries) / n:.2f} an article")
        for kind, count in Counter(_statement_kind(q["sql"]) for q in queries).most_common(15):
            print(f"  {count / n:6.2f}  {kind}")
        by_kind: Counter[str] = Counter()
        for q in queries:
            by_kind[_statement_kind(q["sql"])] += float(q["time"])
        print("SQL time by kind (ms an article):")
        for kind, seconds in by_kind.most_common(10):
            print(f"  {seconds / n * 1000:6.2f}  {kind}")
        for q in sorted(queries, key=lambda q: -float(q["time"]))[: arguments.slowest]:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if stats:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(arguments.top)
            print(out.getvalue())
    finally:
        from django.db import connections

        connections.close_all()
        _psql_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
