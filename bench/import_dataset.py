"""How fast `manage.py import_dataset` loads an export, and how much memory it takes.

    DATABASE_URL=postgres://... python bench/import_dataset.py --rows 1000000 [--format acled ucdp] [--seed 1]

Writes synthetic exports in both publishers' real layouts (every column of ACLED's
current export and of UCDP GED's CSV, Syrian divisions as each spells them, one unknown
division, one bad row in 10,000; 997 distinct rows reused with new ids), then runs the
real command in a child process three times per format: a first import into an empty dataset, the same file
again (nothing changes), and the file again with --replace after changing 1% of rows.
Prints one JSON object and writes it to bench/results/import_dataset-<rows>-<date>.json:
rows a second (rows of the file over the child's wall time), the child's CPU seconds,
its peak resident memory (VmHWM), and the load average before and after. The
database must have the gazetteer's divisions (the script loads them from the package
data if there are none); the reference datasets in it are replaced.
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from casualties.models import Admin1, ReferenceDataset, ReferenceEvent  # noqa: E402

ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
UCDP_HEADER = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
]
# How each publisher spells Syria's divisions (ours: Idlib, Aleppo, Deir ez-Zor, ...), and two the gazetteer lacks.
ACLED_DIVISIONS = ["Idleb", "Aleppo", "Deir-ez-Zor", "Hama", "Homs", "Rural Damascus", "Dar'a", "Ar-Raqqa", "Nowhere"]
UCDP_DIVISIONS = [
    "Idlib governorate",
    "Halab governorate",
    "Dayr az Zawr governorate",
    "Hamah governorate",
    "Hims governorate",
    "Rif Dimashq governorate",
    "Dar'a governorate",
    "Ar Raqqah governorate",
    "Nowhere governorate",
]
SUB_EVENTS = [
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
]
BAD_ROW_EVERY = 10_000


def _acled_row(index: int, rng: random.Random, changed: bool) -> list[str]:
    day = datetime.date(2017, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
    event_type, sub_event = rng.choice(SUB_EVENTS)
    lat, lon = 32.5 + rng.random() * 4.5, 35.7 + rng.random() * 6.5
    fatalities = rng.choice((0, 0, 1, 2, 3, 5, 12)) + (1 if changed else 0)
    date = "2023-13-40" if index % BAD_ROW_EVERY == 7 else day.isoformat()
    return [
        f"SYR{index}", date, str(day.year), str(rng.choice((1, 1, 1, 2, 3))), "Political violence", event_type,
        sub_event, "Military Forces of Testland", "", "1", "Civilians (Syria)", "", "7", "17", "Civilian targeting",
        "760", "Middle East", "Syria", rng.choice(ACLED_DIVISIONS), "District", "", f"Village {index % 5000}",
        f"{lat:.4f}", f"{lon:.4f}", str(rng.choice((1, 1, 2, 3))), "Example Monitor; Example News", "National",
        f"On {day.isoformat()}, an invented event number {index} of a synthetic benchmark; {fatalities} killed.",
        str(fatalities), "", str(1_600_000_000 + index),
    ]  # fmt: skip


def _ucdp_row(index: int, rng: random.Random, changed: bool) -> list[str]:
    day = datetime.date(2017, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
    end = day + datetime.timedelta(days=rng.choice((0, 0, 0, 2, 6)))
    lat, lon = 32.5 + rng.random() * 4.5, 35.7 + rng.random() * 6.5
    low = rng.choice((0, 1, 2, 3, 5))
    best = low + rng.choice((0, 1, 2)) + (1 if changed else 0)
    high = best + rng.choice((0, 2, 10))
    start = "not a date" if index % BAD_ROW_EVERY == 7 else f"{day.isoformat()} 00:00:00.000"
    division = rng.choice(UCDP_DIVISIONS)
    return [
        str(index), f"SYR-{day.year}-1-{index}", str(day.year), "1", "Clear", str(rng.choice((1, 2, 3))), "299",
        "299", "Syria: Government", "771", "771", "Government of Syria - Group A", "116", "116",
        "Government of Syria", "1000", "1000", "Group A", "2", "Invented article", "", "", "", "",
        str(rng.choice((1, 2, 3, 4, 6))), f"Village {index % 5000}", "Invented description", division, "",
        f"{lat:.4f}", f"{lon:.4f}", f"POINT ({lon:.4f} {lat:.4f})", "150000", "Syria", "652", "Middle East", "1",
        str(rng.choice((1, 1, 2, 3, 5))), start, f"{end.isoformat()} 00:00:00.000", "0", "0", str(best), "0",
        str(best), str(high), str(low),
    ]  # fmt: skip


# Distinct rows drawn once and reused with a new id: drawing every row would take longer than importing it.
POOL = 997


def write_export(*, format: str, rows: int, path: Path, seed: int, changed_share: float = 0.0) -> None:
    """`rows` synthetic rows; with `changed_share`, that share of them has one more death (a changed event)."""
    header, make = (ACLED_HEADER, _acled_row) if format == "acled" else (UCDP_HEADER, _ucdp_row)
    rng, changes = random.Random(seed), random.Random(seed + 1)
    # Ids ending in 0 in the pool: never the bad row's (BAD_ROW_EVERY * k + 7).
    pool = [make(index * 10, rng, False) for index in range(1, POOL + 1)]
    changed = [make(index * 10, random.Random(seed), True) for index in range(1, POOL + 1)]
    id_column = header.index("event_id_cnty" if format == "acled" else "id")
    bad = [make(7, random.Random(seed), False)]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for index in range(1, rows + 1):
            if index % BAD_ROW_EVERY == 7:
                row = list(bad[0])
            else:
                source = changed if changed_share and changes.random() < changed_share else pool
                row = list(source[index % POOL])
            row[id_column] = f"SYR{index}" if format == "acled" else str(index)
            writer.writerow(row)


# The child: the real command, then its own peak memory (VmHWM, which exec resets, unlike ru_maxrss), and the
# CPU seconds its PostgreSQL server process spent (read from /proc when the server runs on this machine).
_CHILD = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
import django
django.setup()
from django.core.management import call_command
from django.db import connection
def server_cpu():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
before = server_cpu()
call_command("import_dataset", *sys.argv[1:])
after = server_cpu()
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({
    "peak_rss_mb": round(int(peak.split()[1]) / 1024),
    "server_cpu_s": round(after - before, 1) if before is not None and after is not None else None,
}))
"""


def _import(*, format: str, path: Path, replace: bool) -> dict:
    command = [sys.executable, "-c", _CHILD, "--format", format, str(path)]
    if replace:
        command.append("--replace")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ, cwd=ROOT)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary, memory = result.stdout.strip().splitlines()[-2:]
    return {
        "wall_s": round(wall, 1),
        "load_1min_before": round(load, 2),
        "load_1min_after": round(os.getloadavg()[0], 2),
        "client_cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        **json.loads(memory),
        "summary": summary,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", nargs="+", default=["acled", "ucdp"], choices=["acled", "ucdp"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="", help="added to the results file's name, e.g. sql")
    args = parser.parse_args(argv)
    if not Admin1.objects.exists():
        from casualties.services.gazetteer import admin1_load
        from reports.extraction.gazetteer import package_admin1_records

        admin1_load(records=package_admin1_records())
    results: dict = {
        "rows": args.rows,
        "database": connection.vendor,
        "date": datetime.date.today().isoformat(),
        "load_before": os.getloadavg(),
        "formats": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        for format in args.format:
            # A raw delete: the ORM's cascade would load every event into this process.
            ReferenceEvent.objects.filter(dataset__format=format)._raw_delete(connection.alias)
            ReferenceDataset.objects.filter(format=format).delete()
            # What autovacuum would do (it may be off): the deleted rows' space reused, statistics up to date.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {ReferenceEvent._meta.db_table}")
            path, changed = Path(folder) / f"{format}.csv", Path(folder) / f"{format}-changed.csv"
            started = time.perf_counter()
            write_export(format=format, rows=args.rows, path=path, seed=args.seed)
            write_export(format=format, rows=args.rows, path=changed, seed=args.seed, changed_share=0.01)
            runs = {
                "first": _import(format=format, path=path, replace=False),
                "same_file_again": _import(format=format, path=path, replace=True),
                "one_percent_changed": _import(format=format, path=changed, replace=True),
            }
            print(format, json.dumps(runs), file=sys.stderr, flush=True)
            for run in runs.values():
                run["rows_per_s"] = round(args.rows / run["wall_s"])
            results["formats"][format] = {
                "file_mb": round(path.stat().st_size / 1e6),
                "write_s": round(time.perf_counter() - started, 1),
                **runs,
            }
    results["load_after"] = os.getloadavg()
    label = f"-{args.label}" if args.label else ""
    output = ROOT / "bench" / "results" / f"import_dataset-{args.rows}-{results['date']}{label}.json"
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
