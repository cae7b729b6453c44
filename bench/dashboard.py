"""How fast the dashboard's data arrives: the JSON endpoints the page calls, against a naive baseline.

    .venv/bin/python bench/dashboard.py --incidents 5000 --repeat 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casualties .venv/bin/python bench/dashboard.py

It builds demo-like data (tests/e2e/demo_data.py) in a scratch database (a
temporary SQLite file, or `<name>_dashboard_bench` next to the PostgreSQL database that
DATABASE_URL names, dropped afterwards), serves the project with a threaded WSGI
server on 127.0.0.1 and, for each filter, times over HTTP:

- dashboard: the page's three JSON endpoints fetched in parallel as dashboard.js
  does (timeline, map, by-governorate), each aggregated in the database (the
  server-rendered HTML around them is timed apart, as page_html);
- naive: what a page without those endpoints would do: page through every matching
  incident from the public list API (/api/v1/incidents/, 1,000 a page) and build the
  timeline, the map points and the governorate totals from them.

Prints one JSON object: median wall-clock milliseconds and bytes per filter and approach.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FILTERS = ["", "admin1=Idlib", "date_from=2016-01-01&date_to=2016-03-31&killed_min=5"]


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _get(url: str) -> bytes:
    with urlopen(url, timeout=120) as response:  # noqa: S310 - our own server on loopback
        return response.read()


def page_html(base: str, query: str) -> int:
    """The page itself: totals, governorate table and the first page of the incident table, server-rendered."""
    return len(_get(f"{base}/" + (f"?{query}" if query else "")))


def dashboard_data(base: str, query: str, pool: ThreadPoolExecutor) -> int:
    """The page's three JSON endpoints fetched in parallel, as dashboard.js does. Returns the bytes received."""
    suffix = f"?{query}" if query else ""
    urls = [f"{base}/dashboard/{name}.json{suffix}" for name in ("timeline", "map", "admin1")]
    return sum(len(body) for body in pool.map(_get, urls))


def naive_data(base: str, query: str) -> int:
    """Every matching incident through the list API, aggregated here. Returns the bytes received."""
    url = f"{base}/api/v1/incidents/?page_size=1000" + (f"&{query}" if query else "")
    size = 0
    rows: list[dict] = []
    while url:
        body = _get(url)
        size += len(body)
        page = json.loads(body)
        rows += page["results"]
        url = page["next"]
    timeline: dict[tuple[str, str], int] = {}
    by_admin1: dict[str, list[int]] = {}
    points = []
    for row in rows:
        month = row["date_start"][:7]
        name = (row["admin1"] or {}).get("name") or ""
        timeline[(month, name)] = timeline.get((month, name), 0) + (row["killed_max"] or 0)
        totals = by_admin1.setdefault(name, [0, 0, 0])
        totals[0] += row["killed_max"] or 0
        totals[1] += row["injured_max"] or 0
        totals[2] += 1
        if row["lat"] is not None:
            points.append((row["lon"], row["lat"], row["killed_max"]))
    return size


def _median_ms(function, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = function()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1), size


def scratch_database() -> tuple[str, Callable[[], None]]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = parts.path.lstrip("/") + "_dashboard_bench"  # not bench/ingest.py's "_bench"
        admin = urlunsplit(parts._replace(path="/postgres"))

        def run(sql: str) -> None:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(sql)

        run(f'DROP DATABASE IF EXISTS "{name}"')
        run(f'CREATE DATABASE "{name}"')
        # FORCE: the WSGI server's threads still hold connections when the run ends.
        return urlunsplit(parts._replace(path=f"/{name}")), lambda: run(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )
    folder = tempfile.mkdtemp(prefix="dashboard-bench-")
    return f"sqlite:///{folder}/bench.sqlite3", lambda: None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    url, drop = scratch_database()
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        # The baseline pages through the API: the anonymous throttle would measure the throttle.
        API_ANON_THROTTLE_RATE="1000000/minute",
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application
        from django.db import connections

        call_command("migrate", verbosity=0)
        from tests.e2e.demo_data import build_demo

        started = time.perf_counter()
        build_demo(random_incidents=args.incidents, claims=False)
        built = time.perf_counter() - started

        server = make_server(
            "127.0.0.1", 0, get_wsgi_application(), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        results = {
            "incidents": args.incidents + 4,
            "database": connections["default"].vendor,
            "repeat": args.repeat,
            "demo_build_seconds": round(built, 1),
            "filters": {},
        }
        with ThreadPoolExecutor(max_workers=3) as pool:
            dashboard_data(base, "", pool)  # warm up: templates, URL resolver, first connections
            for query in FILTERS:
                html_ms, html_bytes = _median_ms(lambda q=query: page_html(base, q), args.repeat)
                page_ms, page_bytes = _median_ms(lambda q=query: dashboard_data(base, q, pool), args.repeat)
                naive_ms, naive_bytes = _median_ms(lambda q=query: naive_data(base, q), args.repeat)
                results["filters"][query or "(none)"] = {
                    "page_html_ms": html_ms,
                    "page_html_bytes": html_bytes,
                    "dashboard_ms": page_ms,
                    "dashboard_bytes": page_bytes,
                    "naive_ms": naive_ms,
                    "naive_bytes": naive_bytes,
                    "speedup": round(naive_ms / page_ms, 1) if page_ms else None,
                }
        server.shutdown()
        connections.close_all()
        print(json.dumps(results, indent=2))
    finally:
        drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
