"""Where one import's time goes: each SQL statement of `reference_import`, timed in one process.

    DATABASE_URL=postgres://... python bench/import_statements.py acled FILE.csv [--replace]

Prints the total wall time, the server backend's CPU seconds (from /proc: the server must run on this
machine), the client's, the report's counts and the load average, then every statement that took over
0.2 s. The COPY of the file (psycopg's copy, not Django's cursor) is not listed: it is the rest of the
total. Run from the checkout whose code is to be timed; the file is imported for real (the dataset's
events change as `manage.py import_dataset` would change them).
"""

import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402

from casualties.reference.importing import reference_import  # noqa: E402

SHOWN_FROM_S = 0.2


def _server_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    format, path = sys.argv[1], sys.argv[2]
    timings: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql[:150].replace("\n", " ")))

    cpu = _server_cpu()
    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        report = reference_import(format=format, path=path, replace="--replace" in sys.argv)
    print(
        f"total {time.perf_counter() - started:.2f} s, server CPU {_server_cpu() - cpu:.1f} s, "
        f"client CPU {time.process_time():.1f} s; created {report.created}, updated {report.updated}, "
        f"unchanged {report.unchanged}, bad {report.bad_row_count}; load {os.getloadavg()}"
    )
    for seconds, sql in timings:
        if seconds > SHOWN_FROM_S:
            print(f"{seconds:7.2f} {sql}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
