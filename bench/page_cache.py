"""What the data-version cache saves: the dashboard page and its JSON, cold (computed) against warm (cached).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casualty_scale_200k \
    .venv/bin/python bench/page_cache.py --repeat 10 --out bench/results/page-cache-200k-2026-12-06.json

Runs in-process (Django's test client, no HTTP, no gunicorn) against the database
DATABASE_URL names as it is; bench/scale.py's databases of synthetic incidents suit it.
For each request below, --repeat times:

- cold, the baseline: a write moves the data version first (an UPDATE of no row of
  reports_source, which fires the trigger and changes nothing), so the request computes
  its answer as it did before the cache and stores it;
- warm: the same request again, answered from the cache.

Nothing but the data version is written. Prints one JSON object (medians and the slowest, ms).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REQUESTS = {
    "page, no filter": "/",
    "page, one governorate and dates": "/?country=SY&admin1=Aleppo&date_from=2015-01-03&date_to=2015-06-20",
    "timeline, no filter": "/dashboard/timeline.json",
    "governorate chart, no filter": "/dashboard/admin1.json",
    "map, no filter": "/dashboard/map.json",
    "map, a 1-degree box": "/dashboard/map.json?bbox=36.0,35.5,37.0,36.5",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10, help="cold and warm requests per path")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be positive")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL=postgres://... (a database of bench/scale.py)")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.scale_support.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from casualties.models import Incident

    def move_version() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE reports_source SET id = id WHERE id < 0")

    def timed(client: Client, path: str) -> float:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return elapsed

    client = Client()
    figures: dict = {
        "incidents": Incident.objects.count(),
        "repeat": args.repeat,
        "load_average_before": [round(value, 2) for value in os.getloadavg()],
        "requests": {},
    }
    for name, path in REQUESTS.items():
        timed(client, path)  # connections and imports warmed, not counted
        cold, warm = [], []
        for _ in range(args.repeat):
            move_version()
            cold.append(timed(client, path))
            warm.append(timed(client, path))
        figures["requests"][name] = {
            "path": path,
            "cold_median_ms": round(statistics.median(cold), 1),
            "cold_max_ms": round(max(cold), 1),
            "warm_median_ms": round(statistics.median(warm), 1),
            "warm_max_ms": round(max(warm), 1),
            "speedup_median": round(statistics.median(cold) / statistics.median(warm), 1),
        }
        print(f"page_cache: {name}: {figures['requests'][name]}", file=sys.stderr, flush=True)
    figures["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
