"""A steady-rate load run against gunicorn on PostgreSQL: errors, latency per minute, worker memory.

    .venv/bin/python bench/load.py --rate 10 --duration 600 --incidents 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casualty_load .venv/bin/python bench/load.py ...

It creates the database DATABASE_URL names (default casualty_load on 127.0.0.1:5432;
the name must end in `_load`, because the run drops it first and again at the end
unless --keep), migrates it, loads the gazetteer and N synthetic incidents, starts
gunicorn on 127.0.0.1 (3 sync workers, as docker-compose.yml runs it) and then sends
requests **open loop**: request i is due at start + i / rate, whatever happened to
the earlier ones, and its latency is counted from when it was due, not from when a
client thread got round to it. A closed-loop client (each user waits for its answer
before asking again) sends less when the server slows down and so hides the slow
answers; this one keeps the schedule, so a stall shows up as latency and errors.

The mix is what the dashboard and API clients do: API list pages with filters,
incident detail, the stats timeline, the dashboard's map data, the dashboard page
and the filtered CSV export (one governorate and year, streamed and read to the end).

Every 5 seconds it reads the resident memory of each gunicorn worker (psutil).
Prints one JSON object: per minute the requests, errors, p50/p95/p99 latency and the
workers' RSS; per kind of request the same over the whole run; and the verdicts
(zero errors, p95 of the last minute against the first, RSS growth).
"""

# ruff: noqa: S603 - it starts our own commands (manage.py, gunicorn) with fixed arguments

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/casualty_load"
# (kind, weight): the share of each kind of request in the mix.
MIX = [
    ("api_list", 30),
    ("api_detail", 25),
    ("api_timeline", 15),
    ("map_data", 12),
    ("dashboard_page", 10),
    ("csv_export", 8),
]


@dataclass
class Sample:
    kind: str
    due: float  # seconds since the start of the run, when the request was scheduled
    latency: float  # seconds from `due` to the last byte of the answer
    status: int  # 0 when no answer came (timeout, refused, reset)
    error: str


def _admin(url: str, sql: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    import psutil

    sizes = []
    try:
        children = psutil.Process(master_pid).children()
    except psutil.NoSuchProcess:
        return []
    for child in children:
        try:
            sizes.append(child.memory_info().rss / (1024 * 1024))
        except psutil.NoSuchProcess:
            continue
    return sorted(sizes)


def _targets(env: dict[str, str]) -> dict[str, list[str]]:
    """Paths for each kind of request, drawn from the loaded data (same seed, same paths)."""
    os.environ.update(env)
    import django

    django.setup()
    from casualties.models import Admin1, Incident

    rng = random.Random(7)
    ids = list(Incident.objects.values_list("id", flat=True))
    divisions = list(
        Admin1.objects.filter(incidents__isnull=False).values_list("name", flat=True).distinct().order_by("name")[:300]
    )
    years = list(range(2011, 2026))

    def filters() -> dict[str, str]:
        choice = rng.random()
        if choice < 0.3:
            return {}
        if choice < 0.6:
            return {"admin1": rng.choice(divisions)}
        year = rng.choice(years)
        params = {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
        if choice < 0.8:
            params["admin1"] = rng.choice(divisions)
        return params

    def with_query(path: str, params: dict[str, str]) -> str:
        return path + ("?" + urlencode(params) if params else "")

    paths: dict[str, list[str]] = {kind: [] for kind, _ in MIX}
    for _ in range(500):
        paths["api_list"].append(with_query("/api/v1/incidents/", {**filters(), "page_size": "100"}))
        paths["api_detail"].append(f"/api/v1/incidents/{rng.choice(ids)}/")
        paths["api_timeline"].append(with_query("/api/v1/stats/timeline/", {**filters(), "interval": "month"}))
        paths["map_data"].append(with_query("/dashboard/map.json", filters()))
        paths["dashboard_page"].append(with_query("/", filters()))
        year = rng.choice(years)
        paths["csv_export"].append(
            with_query(
                "/api/v1/incidents/",
                {
                    "admin1": rng.choice(divisions),
                    "date_from": f"{year}-01-01",
                    "date_to": f"{year}-12-31",
                    "format": "csv",
                },
            )
        )
    from django.db import connections

    connections.close_all()
    return paths


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(samples: list[Sample]) -> dict:
    latencies = [s.latency * 1000 for s in samples if not s.error]
    return {
        "requests": len(samples),
        "errors": sum(1 for s in samples if s.error),
        "p50_ms": round(_percentile(latencies, 0.50), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
    }


def _run_load(base: str, paths: dict[str, list[str]], *, rate: float, duration: float, timeout: float, master: int):
    import urllib3

    http = urllib3.PoolManager(maxsize=256, retries=False, timeout=urllib3.Timeout(connect=5, read=timeout))
    rng = random.Random(11)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    samples: list[Sample] = []
    memory: list[tuple[float, list[float]]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def one(kind: str, path: str, due: float, started_at: float) -> None:
        status, error = 0, ""
        try:
            response = http.request("GET", base + path, preload_content=False)
            status = response.status
            for _ in response.stream(64 * 1024):
                pass
            response.release_conn()
            if status >= 400:
                error = f"HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            error = type(exc).__name__
        latency = time.monotonic() - (started_at + due)
        with lock:
            samples.append(Sample(kind=kind, due=due, latency=latency, status=status, error=error))

    def sample_memory(started_at: float) -> None:
        while not stop.is_set():
            memory.append((time.monotonic() - started_at, _worker_rss_mb(master)))
            stop.wait(5)

    total = int(rate * duration)
    # Enough client threads that the client is never the bottleneck: a thread per request in flight.
    with ThreadPoolExecutor(max_workers=200) as pool:
        started_at = time.monotonic()
        sampler = threading.Thread(target=sample_memory, args=(started_at,), daemon=True)
        sampler.start()
        late = 0
        for i in range(total):
            due = i / rate
            delay = started_at + due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.05:
                late += 1
            kind = rng.choices(kinds, weights)[0]
            pool.submit(one, kind, rng.choice(paths[kind]), due, started_at)
        pool.shutdown(wait=True)
        stop.set()
        sampler.join()
    return samples, memory, late


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=10.0, help="requests a second, sent on a fixed schedule")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load")
    parser.add_argument("--incidents", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout a request, seconds")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (and reuse it if loaded)")
    parser.add_argument("--samples", type=Path, help="also write every request as a JSON line here")
    arguments = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    name = urlsplit(url).path.lstrip("/")
    if not url.startswith("postgres") or not name.endswith("_load"):
        parser.error("DATABASE_URL must name a PostgreSQL database whose name ends in _load (the run drops it)")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "false",
        # One client address sends everything: the anonymous throttle (120/minute) would answer 429s.
        "API_ANON_THROTTLE_RATE": "1000000/minute",
    }
    env.pop("CELERY_BROKER_URL", None)  # no broker: nothing in this run queues tasks
    prepared = time.perf_counter()
    if not arguments.keep:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        _admin(url, f'CREATE DATABASE "{name}"')
        fresh = True
    except Exception:  # noqa: BLE001 - exists already: only with --keep
        fresh = False
    gunicorn = None
    try:
        if fresh:
            _manage(env, "migrate", "--noinput", "-v0")
            _manage(env, "load_gazetteer", "-v0")
            _manage(env, "generate_incidents", "--count", str(arguments.incidents), "-v0")
        setup_seconds = time.perf_counter() - prepared
        paths = _targets(env)
        port = _free_port()
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(arguments.workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        import urllib3

        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib3.request("GET", base + "/healthz", retries=False, timeout=2).status == 200:
                    break
            except urllib3.exceptions.HTTPError:
                pass
            if time.monotonic() > deadline or gunicorn.poll() is not None:
                raise SystemExit("load: gunicorn did not come up")
            time.sleep(0.5)
        # Warm every worker's imports and caches a little, outside the measured run.
        for kind in paths:
            for path in paths[kind][:3]:
                urllib3.request("GET", base + path, retries=False, timeout=60)
        samples, memory, late = _run_load(
            base,
            paths,
            rate=arguments.rate,
            duration=arguments.duration,
            timeout=arguments.timeout,
            master=gunicorn.pid,
        )
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        if not arguments.keep:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    if arguments.samples:
        with arguments.samples.open("w") as out:
            for s in sorted(samples, key=lambda s: s.due):
                out.write(json.dumps(s.__dict__) + "\n")
    minutes = []
    for minute in range(int((arguments.duration + 59) // 60)):
        in_minute = [s for s in samples if minute * 60 <= s.due < (minute + 1) * 60]
        rss = [sum(sizes) for at, sizes in memory if minute * 60 <= at < (minute + 1) * 60 and sizes]
        worker_max = [max(sizes) for at, sizes in memory if minute * 60 <= at < (minute + 1) * 60 and sizes]
        minutes.append(
            {
                "minute": minute + 1,
                **_summary(in_minute),
                "workers_rss_total_mb": round(statistics.mean(rss), 1) if rss else None,
                "largest_worker_rss_mb": round(max(worker_max), 1) if worker_max else None,
            }
        )
    errors: dict[str, int] = {}
    for s in samples:
        if s.error:
            errors[f"{s.kind}: {s.error}"] = errors.get(f"{s.kind}: {s.error}", 0) + 1
    first, last = minutes[0], minutes[-1]
    result = {
        "rate_per_s": arguments.rate,
        "duration_s": arguments.duration,
        "incidents": arguments.incidents,
        "gunicorn_workers": arguments.workers,
        "setup_s": round(setup_seconds, 1),
        "overall": _summary(samples),
        "by_kind": {kind: _summary([s for s in samples if s.kind == kind]) for kind, _ in MIX},
        "per_minute": minutes,
        "errors": errors,
        "client_late_sends": late,
        "memory_samples": len(memory),
        "verdict": {
            "zero_errors": not errors,
            "p95_last_over_first_minute": round(last["p95_ms"] / first["p95_ms"], 2) if first["p95_ms"] else None,
            "rss_growth_mb_first_to_last_minute": (
                round(last["workers_rss_total_mb"] - first["workers_rss_total_mb"], 1)
                if first["workers_rss_total_mb"] and last["workers_rss_total_mb"]
                else None
            ),
        },
    }
    print(json.dumps(result, indent=1))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
