"""Scale: the app's lists, timelines, map and dashboard over HTTP at N incidents, against a naive baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casualty_scale \
    .venv/bin/python bench/scale.py --incidents 2000000

In one run (issue #7; what each figure means is in docs/benchmarks.md):
1. the database DATABASE_URL names is created when missing and refused (exit status 2)
   when it holds an incident that is not synthetic; it is migrated, the gazetteer is
   loaded when empty, and only the synthetic incidents missing to reach N are generated
   (so a 2M run can follow a 1M run); then VACUUM ANALYZE;
2. gunicorn serves the site and the baseline (bench/scale_support/baseline.py) on a
   free loopback port, one sync worker per core;
3. the app, then (on fresh workers) the baseline, each: p50/p95 over --requests
   requests after a warm-up, for the filtered list (first page, and page --deep-page
   reached by following the cursor once before timing; the baseline asks ?page=N),
   the monthly timeline (all, one governorate), admin1 totals, the map for a bounding
   box (features counted), the dashboard page; then --clients concurrent clients on
   the list for --throughput-seconds; the app alone: a full CSV export of every
   incident, rows counted, its worker's memory before and during;
4. worker memory sampled throughout; a few answers of each series compared between
   the app and the baseline.
Prints one JSON object at the end (stdout); progress goes to stderr.
"""

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale_support import client, report  # noqa: E402
from bench.scale_support.database import (  # noqa: E402
    DatabaseRefusedError,
    database_check_only_synthetic,
    database_create_if_missing,
    database_label,
    database_prepare,
)

# Every incident, whatever its review status, aggregate tolls too (the API leaves them out unless asked):
# the export must hold as many rows as the table.
EXPORT_PATH = "/api/v1/incidents/?format=csv&review_status=unverified,verified,rejected,merged&aggregate=any"
CHECKED_PAIRS = 5  # answers of each series compared between app and baseline


def log(message: str) -> None:
    print(f"scale: {message}", file=sys.stderr, flush=True)


def machine_state() -> dict:
    """Load average, and the processes other than ours busy right now (a one-second CPU sample)."""
    import psutil

    ours = {os.getpid(), *(child.pid for child in psutil.Process().children(recursive=True))}
    processes = [p for p in psutil.process_iter(["name"]) if p.pid not in ours]
    for process in processes:
        with suppress(psutil.Error):
            process.cpu_percent(None)
    time.sleep(1.0)
    busy = []
    for process in processes:
        try:
            share = process.cpu_percent(None)
        except psutil.Error:
            continue
        if share >= 10:
            busy.append({"name": process.info["name"], "cpu_percent": round(share)})
    return {
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "busy_processes": sorted(busy, key=lambda row: -row["cpu_percent"])[:10],
    }


def walk_deep_cursors(base: str, workload, page_size: int = 100) -> tuple[list[tuple[str, str]], list[int]]:
    """For each deep filter, follow the list's `next` link to page workload.deep_page (or the last page).

    Returns the (app cursor path, baseline ?page= path) pairs and the page number each reached.
    """
    from bench.scale_support.workload import query

    pairs, reached = [], []
    for filters in workload.deep_filters:
        path = f"/api/v1/incidents/{query(filters)}"
        page = 1
        while page < workload.deep_page:
            answer = client.get(base, path)
            if answer.status != 200:
                raise RuntimeError(f"the cursor walk got {answer.status} for {path}: {answer.body[:300]!r}")
            following = json.loads(answer.body)["next"]
            if not following:
                break
            parts = urlsplit(following)
            path = f"{parts.path}?{parts.query}"
            page += 1
        pairs.append((path, f"/baseline/incidents/{query({**filters, 'page': str(page)})}"))
        reached.append(page)
    return pairs, reached


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, required=True, help="synthetic incidents to hold (N)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per series and side")
    parser.add_argument("--warm-up", type=int, default=10, help="untimed requests before each series")
    parser.add_argument("--deep-page", type=int, default=200, help="the deep list page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn sync workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (more than 1: gthread workers)"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the throughput")
    parser.add_argument("--throughput-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1, help="seed of the request parameters")
    parser.add_argument(
        "--series-budget",
        type=float,
        default=900.0,
        help="seconds after which a timed series stops early (it says so in the figures)",
    )
    parser.add_argument("--skip-export", action="store_true", help="no full export (quicker development runs)")
    args = parser.parse_args()
    if args.incidents < 1 or args.requests < 1 or args.deep_page < 1 or args.threads < 1:
        parser.error("--incidents, --requests, --deep-page and --threads must be positive")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL=postgres://... (the benchmark runs on PostgreSQL only)")

    started = time.perf_counter()
    phases: dict[str, float] = {}

    @contextmanager
    def timed(name: str):
        begin = time.perf_counter()
        log(f"{name}...")
        yield
        phases[name] = round(time.perf_counter() - begin, 1)
        log(f"{name}: {phases[name]} s")

    state_before = machine_state()
    if database_create_if_missing(url=url):
        log(f"created database {database_label(url)}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.scale_support.settings"
    import django

    django.setup()
    from django.db import connections

    from casualties.filters import HIDDEN_BY_DEFAULT
    from casualties.models import Incident

    try:
        database_check_only_synthetic()
        loaded = database_prepare(incidents=args.incidents, timed=timed)
    except DatabaseRefusedError as refusal:
        print(f"scale: refused: {refusal}", file=sys.stderr)
        return 2
    total = Incident.objects.count()
    visible = Incident.objects.exclude(review_status__in=HIDDEN_BY_DEFAULT).count()

    from bench.scale_support.server import RssSampler, gunicorn_start
    from bench.scale_support.workload import workload_build

    with timed("workload"):
        workload = workload_build(
            requests=args.requests, warm_up=args.warm_up, seed=args.seed, deep_page=args.deep_page
        )
    connections.close_all()  # the benchmark's own connection holds nothing while gunicorn works

    figures: dict = {
        "incidents": total,
        "visible_incidents": visible,
        "database": database_label(url),
        "generated_this_run": loaded["generated"],
        "workers": args.workers,
        "threads_per_worker": args.threads,
        "requests_per_series": args.requests,
        "warm_up_per_series": args.warm_up,
    }
    feature_counts: dict[str, list[int]] = {"app": [], "baseline": []}

    def run_side(side: str, deep_pairs: list[tuple[str, str]]) -> dict:
        index = 0 if side == "app" else 1
        results = {}
        series = {**workload.series}
        series["list_deep_page"] = [deep_pairs[i % len(deep_pairs)] for i in range(args.requests + args.warm_up)]
        for name, pairs in series.items():
            paths = [pair[index] for pair in pairs]

            def inspect(body: bytes, name: str = name) -> None:
                if name == "map_bbox":
                    feature_counts[side].append(report.map_features(body))

            with timed(f"{side}_{name}"), sampler.window() as memory:
                results[name] = client.time_series(
                    base,
                    paths[args.warm_up :],
                    warm_up=paths[: args.warm_up],
                    inspect=inspect,
                    label=f"{side} {name}",
                    budget_seconds=args.series_budget,
                )
            # Which series made a worker grow: RSS rarely shrinks, so growth, not the level, points at it.
            results[name]["worker_rss_growth_mb"] = memory["growth_mb"]
        return results

    list_paths = workload.series["list_first_page"]
    server = gunicorn_start(workers=args.workers, threads=args.threads)
    base = server.base
    sampler = RssSampler(server=server)
    sampler.start()
    try:
        run_started = time.monotonic()
        with timed("app_deep_cursor_walk"):
            deep_pairs, reached = walk_deep_cursors(base, workload)
        figures["deep_page_reached"] = reached
        figures["deep_page_filters"] = workload.deep_filters
        app = run_side("app", deep_pairs)
        with timed("app_throughput"):
            app_throughput = client.throughput(
                base, [pair[0] for pair in list_paths], clients=args.clients, seconds=args.throughput_seconds
            )
        export: dict = {"expected_rows": total}
        if not args.skip_export:
            with timed("app_export"), sampler.window() as memory:
                export.update(client.stream_csv(base, EXPORT_PATH))
            export.update(
                rss_before_mb=memory["before_mb"], rss_max_during_mb=memory["max_mb"], rss_growth_mb=memory["growth_mb"]
            )
            if export["seconds"]:
                export["rows_per_second"] = round(export["rows"] / export["seconds"])
        app_rss_max = sampler.max_mb(run_started)
    finally:
        sampler.stop()
        server.stop()

    # The baseline on fresh workers: its memory is not the app's.
    server = gunicorn_start(workers=args.workers, threads=args.threads)
    base = server.base
    sampler = RssSampler(server=server)
    sampler.start()
    try:
        baseline_started = time.monotonic()
        baseline = run_side("baseline", deep_pairs)
        with timed("baseline_throughput"):
            baseline_throughput = client.throughput(
                base, [pair[1] for pair in list_paths], clients=args.clients, seconds=args.throughput_seconds
            )
        baseline_rss_max = sampler.max_mb(baseline_started)
        with timed("answer_checks"):
            checks = {}
            all_series = {**workload.series, "list_deep_page": deep_pairs}
            for name, pairs in all_series.items():
                verdicts = []
                checked = pairs[:CHECKED_PAIRS] if name == "list_deep_page" else pairs[args.warm_up :][:CHECKED_PAIRS]
                for app_path, baseline_path in checked:
                    app_answer, baseline_answer = client.get(base, app_path), client.get(base, baseline_path)
                    if app_answer.status != 200 or baseline_answer.status != 200:
                        verdicts.append(False)
                        continue
                    verdicts.append(report.answers_agree(name, app_answer.body, baseline_answer.body))
                told = [verdict for verdict in verdicts if verdict is not None]
                checks[name] = {"compared": len(told), "agree": sum(told)}
    finally:
        sampler.stop()
        server.stop()

    figures["latency"] = {name: report.latency_pair(app[name], baseline.get(name)) for name in app}
    counts = feature_counts
    figures["map_features"] = {
        "app_max": max(counts["app"], default=None),
        "app_mean": round(sum(counts["app"]) / len(counts["app"])) if counts["app"] else None,
        "baseline_max": max(counts["baseline"], default=None),
        "baseline_mean": round(sum(counts["baseline"]) / len(counts["baseline"])) if counts["baseline"] else None,
    }
    figures["throughput"] = {"app": app_throughput, "baseline": baseline_throughput}
    if app_throughput["requests_per_second"] and baseline_throughput["requests_per_second"]:
        figures["throughput"]["speedup"] = round(
            app_throughput["requests_per_second"] / baseline_throughput["requests_per_second"], 1
        )
    figures["memory"] = {"app_worker_rss_max_mb": app_rss_max, "baseline_worker_rss_max_mb": baseline_rss_max}
    figures["export"] = export
    figures["answer_checks"] = checks
    figures["machine"] = {"cpus": os.cpu_count(), "before": state_before, "after": machine_state()}
    phases["total"] = round(time.perf_counter() - started, 1)
    figures["phases_seconds"] = phases
    figures["targets"] = report.targets_judge(figures)
    figures["all_targets_met"] = all(target["pass"] is True for target in figures["targets"].values())
    figures["answers_agree"] = all(check["agree"] == check["compared"] for check in checks.values())
    print(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
