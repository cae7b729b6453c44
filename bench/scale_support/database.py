"""The benchmark's database: created when missing, refused when it holds real incidents, topped up to N.

The database is the one DATABASE_URL names, kept between runs so that a 2-million
run can follow a 1-million run by generating only the second million. Nothing is
ever dropped or deleted here: a database holding any incident that is not
synthetic is refused before anything is written to it (not even a migration).
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


class DatabaseRefusedError(Exception):
    """The database cannot be used for the benchmark; the message says why and what to do."""


def _log(message: str) -> None:
    print(f"scale: {message}", file=sys.stderr, flush=True)


def database_create_if_missing(*, url: str) -> bool:
    """CREATE DATABASE for the database `url` names when it does not exist. Returns True when it made one."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


def database_check_only_synthetic() -> None:
    """Raise DatabaseRefusedError when the incident table holds any incident not made by generate_incidents."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "casualties_incident" not in tables:
            return
        columns = {
            column.name for column in connection.introspection.get_table_description(cursor, "casualties_incident")
        }
        condition = "NOT synthetic" if "synthetic" in columns else "TRUE"
        cursor.execute(f"SELECT COUNT(*) FROM casualties_incident WHERE {condition}")  # noqa: S608 - no input
        (real,) = cursor.fetchone()
    if real:
        raise DatabaseRefusedError(
            f"the database holds {real:,} incident(s) that are not synthetic; bench/scale.py only runs on a "
            "database of synthetic incidents (generate_incidents). Point DATABASE_URL at another database, "
            "e.g. postgres://postgres@127.0.0.1:5432/casualty_scale, which is created when missing."
        )


def _manage(*arguments: str) -> None:
    """Run manage.py in a child process (its progress bars go to our stderr), under the benchmark's settings."""
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=os.environ.copy(),
        check=True,
        stdout=sys.stderr,
    )


def database_prepare(*, incidents: int, timed: Callable) -> dict[str, int]:
    """Migrate, load the gazetteer when empty, generate the synthetic incidents missing to reach `incidents`.

    Raises DatabaseRefusedError when the database already holds more synthetic incidents than asked for.
    Returns {"existing": synthetic incidents found, "generated": incidents added}.
    """
    with timed("migrate"):
        _manage("migrate", "--noinput", "-v0")

    from casualties.models import Admin1, Incident

    if not Admin1.objects.exists():
        _log("the gazetteer is empty: load_gazetteer")
        with timed("load_gazetteer"):
            _manage("load_gazetteer")
    existing = Incident.objects.count()
    if existing > incidents:
        raise DatabaseRefusedError(
            f"the database holds {existing:,} synthetic incidents, more than --incidents {incidents:,}: run with "
            f"--incidents {existing:,}, or empty it first with `manage.py generate_incidents --delete`."
        )
    missing = incidents - existing
    if missing:
        _log(f"{existing:,} synthetic incidents present; generating {missing:,}")
        started = time.perf_counter()
        with timed("generate"):
            # A seed of its own for each top-up, so a second million is not a copy of the first.
            _manage("generate_incidents", "--count", str(missing), "--seed", str(existing + 1))
        _log(f"generated {missing:,} in {time.perf_counter() - started:.0f} s")
    else:
        _log(f"{existing:,} synthetic incidents present: nothing to generate")
    with timed("vacuum_analyze"):
        database_vacuum_analyze()
    return {"existing": existing, "generated": missing}


def database_vacuum_analyze() -> None:
    """VACUUM ANALYZE the incident table and the count tables (fresh statistics, a visibility map for index-only
    scans), ANALYZE the rest.

    What a database that has lived for a while would have; autovacuum gets there too, later. The count tables
    need it most after a load: each batch's trigger rewrites most of their rows (at 2M, about a million dead
    rows in the month x division table), and an index-only scan reads the heap for every page not marked visible.
    """
    from django.apps import apps
    from django.db import connection

    from casualties.models import Incident
    from casualties.models.rollups import CountMeasures

    counts = [model for model in apps.get_app_config("casualties").get_models() if issubclass(model, CountMeasures)]
    tables = [model._meta.db_table for model in (Incident, *counts)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")  # our own table names
        cursor.execute("ANALYZE")


def database_label(url: str) -> str:
    """host:port/name of the database, without user or password, for the report."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"
