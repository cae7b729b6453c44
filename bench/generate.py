"""How fast `generate_incidents` loads, and where the time goes.

    DATABASE_URL=postgres://... python bench/generate.py --count 200000 [--keep-indexes] [--seed 1]

Adds `--count` synthetic incidents to the database DATABASE_URL names (the
gazetteer must be loaded) and prints one JSON object: incidents, claims and
articles a second, wall time per phase (making rows, COPY per table, building
indexes again), CPU seconds of this process and of the PostgreSQL backend
(read from /proc, so the server must run on this machine for those), and the
load average before and after. CPU seconds say what the work costs when the
machine is shared; wall time says what a user waits. Refuses a database that
holds non-synthetic incidents.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402

import casualties.synthetic as synthetic  # noqa: E402
from casualties.models import Claim, Incident  # noqa: E402
from reports.models import Article  # noqa: E402


def _backend_cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-indexes", action="store_true", help="keep indexes and foreign keys during the load")
    args = parser.parse_args()
    if Incident.objects.filter(synthetic=False).exists():
        sys.exit("this database holds real incidents: use a database of its own for benchmarks")

    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    before = {model.__name__: model.objects.count() for model in (Incident, Claim, Article)}
    phases: dict[str, float] = {}
    marks = {"t": time.perf_counter()}

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - marks["t"]
        marks["t"] = now

    write, make = synthetic.rows_write, synthetic.rows_make

    def timed_write(*, table: str, **kwargs):
        lap("make_rows")
        write(table=table, **kwargs)
        lap(f"copy_{table}")

    def timed_make(**kwargs):
        lap("setup_and_draws")
        return make(**kwargs)

    synthetic.rows_write, synthetic.rows_make = timed_write, timed_make
    load_before = os.getloadavg()
    cpu0, server0 = _own_cpu(), _backend_cpu(pid)
    started = time.perf_counter()
    marks["t"] = started
    synthetic.incidents_generate(
        count=args.count,
        seed=args.seed,
        rebuild_indexes=False if args.keep_indexes else None,
        on_rebuild=lambda: lap("setup_and_draws"),
    )
    lap("rebuild_indexes_and_commit")
    elapsed = time.perf_counter() - started
    cpu1, server1 = _own_cpu(), _backend_cpu(pid)
    after = {model.__name__: model.objects.count() for model in (Incident, Claim, Article)}
    added = {name: after[name] - before[name] for name in after}
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "count": args.count,
                "existing_incidents": before["Incident"],
                "keep_indexes": args.keep_indexes,
                "seconds": round(elapsed, 2),
                "incidents_per_s": round(added["Incident"] / elapsed),
                "claims_per_s": round(added["Claim"] / elapsed),
                "articles_per_s": round(added["Article"] / elapsed),
                "added": added,
                "phases_s": {name: round(value, 2) for name, value in phases.items()},
                "client_cpu_s": round(cpu1 - cpu0, 2),
                "server_backend_cpu_s": None if server0 is None else round(server1 - server0, 2),
                "loadavg_before": load_before,
                "loadavg_after": os.getloadavg(),
                "cpus": os.cpu_count(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
