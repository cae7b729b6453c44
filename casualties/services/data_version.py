"""The triggers that move casualties.models.DataVersion on every write to what the dashboard reads.

Triggers, as for the counts (casualties.services.rollups), so that every path
that writes (filing, review, merges, the gazetteer load, a bulk COPY, the
admin, psql) moves the number in the same transaction: a reader that sees the
new number sees the new rows, and a rolled-back write moves nothing.

- PostgreSQL: the number moves once per transaction, at its commit. A
  DEFERRABLE INITIALLY DEFERRED constraint trigger on each table is queued by
  the transaction's first write only (its WHEN sets a transaction-local flag,
  casualty.version_queued, and is false once it is set) and runs just before
  the commit. So writers touch the version row only while they commit: two
  transactions filing at once no longer take turns from their first write to
  their commit, nor deadlock on the row. A savepoint rolled back takes its
  queued bump and the flag with it. TRUNCATE (which constraint triggers cannot
  watch) moves the number at once, by a statement-level trigger.
- SQLite: row-level triggers, at once (it has no deferred triggers; it has one
  writer at a time anyway).

Inside a transaction the number may not yet say what the transaction wrote, so
casualties.selectors.data_version caches nothing there.

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
# True for the first row a transaction writes to a watched table, false after: the transaction-local flag
# (set_config's third argument) is gone at commit or rollback, and a rolled-back savepoint restores it.
_PG_FIRST_WRITE = "casualties_data_version_first_write"
_PG_FLAG = "casualty.version_queued"
_PG_TRUNCATE = f"{_FUNCTION}_truncate"


def _pg_drop_sql() -> list[str]:
    return [
        statement
        for table in WATCHED_TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS {_FUNCTION} ON {table}",
            f"DROP TRIGGER IF EXISTS {_PG_TRUNCATE} ON {table}",
        )
    ]


def _pg_install_sql() -> list[str]:
    bump = (
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $bump$ "
        f"BEGIN {_BUMP}; RETURN NULL; END; $bump$"
    )
    first_write = (
        f"CREATE OR REPLACE FUNCTION {_PG_FIRST_WRITE}() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $first$ "
        f"BEGIN IF current_setting('{_PG_FLAG}', true) = 'on' THEN RETURN false; END IF; "
        f"PERFORM set_config('{_PG_FLAG}', 'on', true); RETURN true; END; $first$"
    )
    triggers = [
        statement
        for table in WATCHED_TABLES
        for statement in (
            # A constraint trigger's WHEN is evaluated as the row is written; only its call waits for the commit.
            f"CREATE CONSTRAINT TRIGGER {_FUNCTION} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({_PG_FIRST_WRITE}()) "
            f"EXECUTE FUNCTION {_FUNCTION}()",
            f"CREATE TRIGGER {_PG_TRUNCATE} AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()",
        )
    ]
    return [bump, first_write, *_pg_drop_sql(), *triggers]


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
        statements = [
            *_pg_drop_sql(),
            f"DROP FUNCTION IF EXISTS {_FUNCTION}()",
            f"DROP FUNCTION IF EXISTS {_PG_FIRST_WRITE}()",
        ]
    else:
        statements = _sqlite_drop_sql()
    for statement in statements:
        schema_editor.execute(statement, params=None)
