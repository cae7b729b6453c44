"""The triggers that move casualties.models.DataVersion on every write to what the dashboard reads.

Triggers, as for the counts (casualties.services.rollups), so that every path
that writes (filing, review, merges, the gazetteer load, a bulk COPY, the
admin, psql) moves the number in the same transaction: a reader that sees the
new number sees the new rows, and a rolled-back write moves nothing.

- PostgreSQL: one statement-level trigger per table (a COPY of 50,000 incidents
  moves it once). The row stays locked until the writing transaction commits,
  so writers to these tables take turns from their first write to their commit.
- SQLite: row-level triggers (it has no statement-level ones).

The row is upserted, so a `flush` that deleted it does not stop the number.
"""

# Every name formatted into SQL here is a constant of this module.
# ruff: noqa: S608

from django.db import connection

from casualties.models.versions import DATA_VERSION_ID

# What the dashboard page, its JSON and the map read: incidents and their counts, claims and the
# articles and sources behind them (sources, grades, evidence), divisions and places (names, labels).
WATCHED_TABLES = (
    "casualties_incident",
    "casualties_claim",
    "casualties_admin1",
    "casualties_place",
    "reports_article",
    "reports_source",
)
_TABLE = "casualties_dataversion"
_FUNCTION = "casualties_data_version_bump"
_BUMP = (
    f"INSERT INTO {_TABLE} (id, version) VALUES ({DATA_VERSION_ID}, 1) "
    f"ON CONFLICT (id) DO UPDATE SET version = {_TABLE}.version + 1"
)
_SQLITE_OPERATIONS = ("insert", "update", "delete")


def _pg_drop_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {_FUNCTION} ON {table}" for table in WATCHED_TABLES]


def _pg_install_sql() -> list[str]:
    function = (
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $bump$ "
        f"BEGIN {_BUMP}; RETURN NULL; END; $bump$"
    )
    triggers = [
        f"CREATE TRIGGER {_FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
        for table in WATCHED_TABLES
    ]
    return [function, *_pg_drop_sql(), *triggers]


def _sqlite_drop_sql() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {_FUNCTION}_{table}_{operation}"
        for table in WATCHED_TABLES
        for operation in _SQLITE_OPERATIONS
    ]


def _sqlite_install_sql() -> list[str]:
    triggers = [
        f"CREATE TRIGGER {_FUNCTION}_{table}_{operation} AFTER {operation.upper()} ON {table} "
        f"FOR EACH ROW BEGIN {_BUMP}; END"
        for table in WATCHED_TABLES
        for operation in _SQLITE_OPERATIONS
    ]
    return [*_sqlite_drop_sql(), *triggers]


def data_version_triggers_install(*, schema_editor) -> None:
    """Create (or replace) the triggers. Idempotent; used by the migration."""
    statements = _pg_install_sql() if connection.vendor == "postgresql" else _sqlite_install_sql()
    for statement in statements:
        schema_editor.execute(statement, params=None)


def data_version_triggers_drop(*, schema_editor) -> None:
    if connection.vendor == "postgresql":
        statements = [*_pg_drop_sql(), f"DROP FUNCTION IF EXISTS {_FUNCTION}()"]
    else:
        statements = _sqlite_drop_sql()
    for statement in statements:
        schema_editor.execute(statement, params=None)
