"""The benchmark's HTTP client: timed GETs, percentiles, concurrent clients, and the streamed export.

Plain http.client, one connection per request (gunicorn's sync workers close the
connection after each response anyway), timed from sending the request to the
last byte of the body. A request counts as an error when the status is not 200
or the connection fails; errors are counted, never timed into the percentiles.
"""

import csv
import http.client
import io
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int  # 0 when the connection failed
    body: bytes
    ms: float


def get(base: str, path: str, *, timeout: float = 900) -> Answer:
    """GET base + path. Never raises for HTTP or connection errors: they come back as status != 200."""
    parts = urlsplit(base)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = connection.getresponse()
        body = response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        body, status = str(error).encode(), 0
    finally:
        connection.close()
    return Answer(status=status, body=body, ms=(time.perf_counter() - started) * 1000)


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile (0.95 for p95) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(times: list[float], errors: int, *, asked: int | None = None) -> dict[str, float | int | bool]:
    made = len(times) + errors
    return {
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "mean_ms": round(statistics.fmean(times), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "requests": made,
        "errors": errors,
        # Out of time (see time_series): fewer requests than asked, and the figures say so.
        "stopped_early": asked is not None and made < asked,
    }


def time_series(
    base: str,
    paths: list[str],
    *,
    warm_up: list[str],
    inspect: Callable[[bytes], None] | None = None,
    label: str = "",
    budget_seconds: float = float("inf"),
) -> dict[str, float | int | bool]:
    """Request each warm-up path (untimed), then each path in order, one at a time; p50/p95 of the latter.

    `inspect` sees every successful body (to count map features, say). A series still
    running after `budget_seconds` stops there (stopped_early), so one pathological
    endpoint cannot hold the run for hours.
    """
    for path in warm_up:
        get(base, path)
    times: list[float] = []
    errors = 0
    started = time.perf_counter()
    for index, path in enumerate(paths):
        if time.perf_counter() - started > budget_seconds:
            print(f"scale: {label}: stopped after {index} requests ({budget_seconds:.0f} s)", file=sys.stderr)
            break
        answer = get(base, path)
        if answer.status != 200:
            errors += 1
            if errors <= 3:
                print(f"scale: {label}: {answer.status} for {path}: {answer.body[:200]!r}", file=sys.stderr)
            continue
        times.append(answer.ms)
        if inspect:
            inspect(answer.body)
        if (index + 1) % 50 == 0:
            elapsed = time.perf_counter() - started
            print(f"scale: {label}: {index + 1}/{len(paths)} in {elapsed:.0f} s", file=sys.stderr, flush=True)
    return summary(times, errors, asked=len(paths))


def throughput(base: str, paths: list[str], *, clients: int, seconds: float) -> dict[str, float | int]:
    """`clients` threads, each requesting the next of `paths` (round robin) as soon as its last answer arrived."""
    lock = threading.Lock()
    counter = iter(range(10**12))
    times: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            with lock:
                path = paths[next(counter) % len(paths)]
            answer = get(base, path, timeout=120)
            with lock:
                if answer.status == 200:
                    times.append(answer.ms)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(times) + errors,
        "errors": errors,
        "requests_per_second": round(len(times) / elapsed, 1),
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def _lines(response: http.client.HTTPResponse, tally: dict[str, int]) -> Iterator[str]:
    reader = io.TextIOWrapper(response, encoding="utf-8", newline="")
    for line in reader:
        tally["bytes"] += len(line)
        yield line


def stream_csv(base: str, path: str) -> dict[str, float | int | str]:
    """Stream a CSV download to the end, parsing it as CSV (quoted newlines included) without keeping it.

    Returns {"status", "rows" (data rows, header excluded), "bytes" (characters), "seconds", "header"}.
    """
    parts = urlsplit(base)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=900)
    tally = {"bytes": 0}
    rows = 0
    header: list[str] = []
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        if response.status != 200:
            return {"status": response.status, "rows": 0, "bytes": 0, "seconds": 0.0, "header": ""}
        for index, row in enumerate(csv.reader(_lines(response, tally))):
            if index == 0:
                header = row
                continue
            rows += 1
            if rows % 250_000 == 0:
                print(f"scale: export: {rows:,} rows", file=sys.stderr, flush=True)
        status = response.status
    finally:
        connection.close()
    return {
        "status": status,
        "rows": rows,
        "bytes": tally["bytes"],
        "seconds": round(time.perf_counter() - started, 1),
        "header": ",".join(header),
    }
