"""gunicorn serving the site and the baseline on loopback, and a sampler of its workers' memory.

Workers are sync workers, one per core by default (the machine the targets are set
for has two); with threads > 1, gthread workers of that many threads each. The
timeout is long because the baseline's slowest requests and the full export hold one
worker for a long time, and a sync worker that does not answer the arbiter within the
timeout is killed.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "bench.scale_support.settings"
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Gunicorn:
    """A running gunicorn master; `base` is its http://127.0.0.1:PORT."""

    process: subprocess.Popen
    base: str
    workers: int

    def worker_pids(self) -> list[int]:
        try:
            return [child.pid for child in psutil.Process(self.process.pid).children()]
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful shutdown on SIGTERM
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def gunicorn_start(*, workers: int, threads: int = 1, timeout_seconds: int = 1800) -> Gunicorn:
    """Start gunicorn on a free loopback port and wait until it answers. Raises RuntimeError when it does not."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        # The throttle stays on (its cost is part of every request) but never refuses the benchmark's clients.
        "API_ANON_THROTTLE_RATE": "100000000/minute",
    }
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, loopback only
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            # More than one thread makes gunicorn use its gthread worker.
            "--threads",
            str(threads),
            "--timeout",
            str(timeout_seconds),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=sys.stderr,
        stderr=sys.stderr,
    )
    server = Gunicorn(process=process, base=f"http://127.0.0.1:{port}", workers=workers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=5):  # noqa: S310 - loopback
                pass
        except urllib.error.HTTPError:
            pass  # an answer (503: no broker) is all we wait for
        except OSError:
            time.sleep(0.2)
            continue
        if len(server.worker_pids()) >= workers:
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError("gunicorn did not answer within 60 s")


@dataclass
class RssSampler:
    """Samples the resident memory of every gunicorn worker every `interval` seconds, in a thread.

    `window()` marks a stretch of the run; `max_mb()` is the largest RSS of one worker
    seen in it (or over the whole run), `before_mb()` the largest at its start.
    """

    server: Gunicorn
    interval: float = 0.1
    samples: list[tuple[float, int, int]] = field(default_factory=list)  # (time, pid, rss bytes)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def sample(self) -> list[tuple[float, int, int]]:
        now = time.monotonic()
        taken = []
        for pid in self.server.worker_pids():
            try:
                taken.append((now, pid, psutil.Process(pid).memory_info().rss))
            except psutil.NoSuchProcess:
                continue
        self.samples.extend(taken)
        return taken

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def max_mb(self, start: float = 0.0, end: float = float("inf")) -> float:
        values = [rss for when, _pid, rss in self.samples if start <= when <= end]
        return round(max(values, default=0) / MB, 1)

    @contextmanager
    def window(self):
        """Yields a dict filled on exit: before_mb (largest worker at the start), max_mb (largest during)."""
        result: dict[str, float] = {}
        before = self.sample()
        start = time.monotonic()
        yield result
        self.sample()
        result["before_mb"] = round(max((rss for _when, _pid, rss in before), default=0) / MB, 1)
        result["max_mb"] = self.max_mb(start)
        # Growth of each worker over its own RSS at the start (a worker that served nothing grows by ~0).
        at_start = {pid: rss for _when, pid, rss in before}
        growth = [rss - at_start[pid] for when, pid, rss in self.samples if when >= start and pid in at_start]
        result["growth_mb"] = round(max(growth, default=0) / MB, 1)
