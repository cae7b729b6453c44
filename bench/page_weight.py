"""What the dashboard costs a browser: bytes of a first and a repeat visit, and time to drawn charts.

    .venv/bin/python bench/page_weight.py                       # both servers, 10 visits each
    .venv/bin/python bench/page_weight.py --incidents 200000 --server deployment
    .venv/bin/python bench/page_weight.py --root /tmp/before    # the same, served from another checkout
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casualty_bench200k .venv/bin/python bench/page_weight.py --existing

It builds demo-like data (tests/e2e/demo_data.py, plus --incidents random incidents) in a
scratch database (a temporary SQLite file, or `<name>_dashboard_bench` next to the
PostgreSQL database DATABASE_URL names), runs collectstatic, then starts each server on
127.0.0.1 by itself and drives Debian's Chromium (Playwright, never `playwright install`):

- deployment: gunicorn as docker-compose.yml runs it (3 workers, config.settings.production,
  WhiteNoise serving the collected static files);
- demo: `manage.py runserver` as `make demo` starts it (STATIC_COLLECTED=true).

Each of --visits rounds opens the page in a new browser context (an empty cache): the
first visit's bytes (every response's size on the wire, headers and encoded body, as
Resource Timing's transferSize reports it), the time from navigation to the timeline and the map both drawn
(their `data-ready`, set once Plotly has drawn them), then a second page in the same
context (a repeat visit: the browser cache as the first visit left it) and its bytes.
Prints and writes JSON to bench/results/page-weight-<date>.json (--out to change).
"""

import argparse
import datetime
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dashboard import scratch_database  # noqa: E402 - after the path is set
from bench.scale_support.server import free_port  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
DRAWN = """() => {
    const timeline = document.getElementById('timeline'), map = document.getElementById('map');
    return timeline && map && timeline.dataset.ready && map.dataset.ready ? performance.now() : false;
}"""


def server_command(kind: str, port: int) -> list[str]:
    if kind == "deployment":
        # docker-compose.yml's web command: 3 sync workers, so the page's three JSON requests run at once.
        return [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]


def server_environment(kind: str, database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "STATIC_COLLECTED": "true"}
    env.pop("DJANGO_DEBUG", None)
    if kind == "deployment":
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, as docker-compose.yml explains
        )
    else:
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    return env


def start_server(kind: str, *, root: Path, database_url: str) -> tuple[subprocess.Popen, str]:
    """Start one server on a free loopback port and wait until it answers. Raises RuntimeError when it does not."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own server, loopback only
        server_command(kind, port),
        cwd=root,
        env=server_environment(kind, database_url),
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 - loopback
                return process, base
        except urllib.error.HTTPError:
            return process, base  # an answer (503: no broker) is all we wait for
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"{kind} server did not answer within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Bytes on the wire per resource, the page itself included: Resource Timing's transferSize (response headers
# plus the encoded body; 0 for what the browser cache answered). No DevTools session: it slows the page down.
TRANSFERS = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .filter(entry => entry.name.startsWith('http'))
    .map(entry => [new URL(entry.name).pathname, entry.transferSize])"""


# Where the time goes, in ms after navigation: when each response ended (plotly.js, the outlines, the three JSON
# endpoints) and the marks dashboard.js sets (plotly.js compiled and the page parsed; each chart drawn).
PHASES = """() => {
    const phases = {'page response end': Math.round(performance.getEntriesByType('navigation')[0].responseEnd)};
    for (const entry of performance.getEntriesByType('resource')) {
        const path = new URL(entry.name).pathname;
        const name = path.includes('/plotly') ? 'plotly.js' : path.endsWith('.geojson') ? 'outlines'
            : path.endsWith('.json') ? path : null;
        if (name) {
            phases[name + ' request start'] = Math.round(entry.requestStart);
            phases[name + ' response end'] = Math.round(entry.responseEnd);
        }
    }
    for (const mark of performance.getEntriesByType('mark')) {
        if (mark.name.startsWith('casualty:')) phases[mark.name.slice(9)] = Math.round(mark.startTime);
    }
    return phases;
}"""


def visit(context, url: str) -> tuple[dict[str, int], float, dict[str, int]]:
    """Open the page in a new tab of `context`: bytes per path, ms from navigation to both charts drawn, phases."""
    page = context.new_page()
    page.goto(url, wait_until="commit")
    drawn_ms = page.wait_for_function(DRAWN, polling="raf", timeout=60_000).json_value()
    page.wait_for_load_state("networkidle")  # every response finished, so every byte is counted
    transfers: dict[str, int] = {}
    for path, size in page.evaluate(TRANSFERS):
        transfers[path] = transfers.get(path, 0) + int(size)
    phases = page.evaluate(PHASES)
    page.close()
    return transfers, drawn_ms, phases


def measure(browser, base: str, visits: int) -> dict:
    firsts, repeats, drawn, repeat_drawn = [], [], [], []
    breakdown: dict[str, int] = {}
    repeat_breakdown: dict[str, int] = {}
    phases: dict[str, list[int]] = {}
    for _ in range(visits):
        context = browser.new_context()
        first, first_ms, first_phases = visit(context, f"{base}/")
        again, again_ms, _again_phases = visit(context, f"{base}/")
        context.close()
        for name, value in first_phases.items():
            phases.setdefault(name, []).append(value)
        firsts.append(sum(first.values()))
        repeats.append(sum(again.values()))
        drawn.append(first_ms)
        repeat_drawn.append(again_ms)
        breakdown, repeat_breakdown = first, again
    return {
        "first_visit_bytes": int(statistics.median(firsts)),
        "repeat_visit_bytes": int(statistics.median(repeats)),
        "drawn_ms_median": round(statistics.median(drawn), 1),
        "drawn_ms_all": [round(value, 1) for value in drawn],
        "repeat_drawn_ms_median": round(statistics.median(repeat_drawn), 1),
        "first_visit_phases_ms_median": {
            name: round(statistics.median(values)) for name, values in sorted(phases.items(), key=lambda i: min(i[1]))
        },
        "first_visit_by_path": dict(sorted(breakdown.items(), key=lambda item: -item[1])),
        "repeat_visit_by_path": dict(sorted(repeat_breakdown.items(), key=lambda item: -item[1])),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=5000, help="random incidents beside the demo's (5000)")
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--server", choices=["deployment", "demo", "both"], default="both")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code the servers run")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/page-weight-<date>.json)")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure against the PostgreSQL database DATABASE_URL names as it is (e.g. bench/scale.py's, with "
        "its synthetic incidents); nothing is built or dropped. The demo data takes minutes per 10,000 incidents",
    )
    args = parser.parse_args()
    if args.incidents < 0 or args.visits < 1:
        parser.error("--incidents must be >= 0 and --visits >= 1")
    root = args.root.resolve()

    if args.existing:
        database_url, drop = os.environ["DATABASE_URL"], lambda: None
    else:
        database_url, drop = scratch_database()
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings.base")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        if args.existing:
            from casualties.models import Incident

            args.incidents = Incident.objects.count() - 4  # reported as the count, below
        else:
            from tests.e2e.demo_data import build_demo

            build_demo(random_incidents=args.incidents, claims=False)
        connections.close_all()
        # As `make demo` and the Dockerfile do, in the checkout being measured.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=root,
            env=server_environment("demo", database_url),
            check=True,
        )
        from playwright.sync_api import sync_playwright

        results = {
            "date": datetime.date.today().isoformat(),
            "incidents": args.incidents + 4,
            "database": connections["default"].vendor,
            "visits": args.visits,
            "root": "." if root == ROOT.resolve() else root.name,  # no machine paths in committed results
            # Other work on the machine slows the browser and the server alike: the times need this beside them.
            "load_average_before": [round(value, 2) for value in os.getloadavg()],
            "servers": {},
        }
        kinds = ["deployment", "demo"] if args.server == "both" else [args.server]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for kind in kinds:
                process, base = start_server(kind, root=root, database_url=database_url)
                try:
                    warm_up = browser.new_context()  # templates, URL resolver, first connections
                    visit(warm_up, f"{base}/")
                    warm_up.close()
                    results["servers"][kind] = measure(browser, base, args.visits)
                finally:
                    stop_server(process)
            browser.close()
        results["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    finally:
        drop()
    out = args.out or ROOT / "bench" / "results" / f"page-weight-{results['date']}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
