"""The triggers that keep the pre-aggregated counts (casualties.models.rollups) equal to the incidents.

Triggers, not application code: every path that writes incidents (filing,
review, merges, bulk COPY of synthetic data, a DELETE typed in psql) moves the
counts in the same transaction, so a reader never sees counts that disagree
with the incidents it could list.

- PostgreSQL: one statement-level trigger per operation, with transition
  tables. A COPY of 100,000 incidents updates the counts with one grouped
  upsert, not 100,000; an UPDATE that changes no counted column writes nothing.
  Rows are upserted in key order so concurrent writers lock them in the same order.
- SQLite: row-level triggers with an upsert per row (SQLite has no
  statement-level triggers).

`incident_rollups_rebuild()` recomputes the tables from scratch (after a
restore, or to repair); `casualties.selectors.rollups.incident_rollups_verify()`
lists any difference from a fresh computation.
"""

# Every name formatted into SQL here is a constant of this module or of casualties.models.rollups.
# ruff: noqa: S608

from dataclasses import dataclass

from django.db import connection, connections, transaction

from casualties.models import Incident
from casualties.models.rollups import (
    DIVISION_KEY,
    MEASURE_SQL,
    NO_ADMIN1,
    ROLLUP_KEY,
    ROLLUP_MEASURES,
    WORLD_KEY,
)

INCIDENT_TABLE = "casualties_incident"
_DAY = {"postgresql": "{}", "sqlite": "{}"}
_MONTH = {"postgresql": "date_trunc('month', {})::date", "sqlite": "strftime('%Y-%m-01', {})"}


@dataclass(frozen=True)
class _Table:
    name: str
    time_column: str | None  # None: all dates together
    time_expr: dict[str, str]  # per database, over the incident's date_start `{}`
    keys: tuple[str, ...]

    def columns(self) -> list[str]:
        return [*([self.time_column] if self.time_column else []), *self.keys]

    def values(self, *, vendor: str, row: str) -> list[str]:
        time = [self.time_expr[vendor].format(f"{row}.date_start")] if self.time_column else []
        return [*time, *(_KEY_SOURCES[key].format(r=row) for key in self.keys)]


_TABLES = (
    _Table("casualties_incidentdaycount", "day", _DAY, ROLLUP_KEY),
    _Table("casualties_incidentmonthcount", "month", _MONTH, ROLLUP_KEY),
    _Table("casualties_incidentalltimecount", None, {}, ROLLUP_KEY),
    _Table("casualties_incidentmonthworldcount", "month", _MONTH, WORLD_KEY),
    _Table("casualties_incidentmonthdivisioncount", "month", _MONTH, DIVISION_KEY),
)
# Each key column of a rollup row from the incident's own column.
_KEY_SOURCES = {
    "country": "{r}.country",
    "admin1_key": f"COALESCE({{r}}.admin1_id, {NO_ADMIN1})",
    "event_type": "{r}.event_type",
    "review_status": "{r}.review_status",
    "aggregate": "{r}.aggregate",
}
_TRIGGER_NAMES = ("insert", "update", "delete", "truncate")
_PG_FUNCTION = "casualties_incident_rollup"


def _present_tables() -> tuple[_Table, ...]:
    """The count tables this database has. An earlier migration installs the triggers (and recounts) with
    today's code, before a later migration has created a newer table; the later one installs them again."""
    names = set(connection.introspection.table_names())
    return tuple(table for table in _TABLES if table.name in names)


def _upsert_sql(*, vendor: str, table: _Table, source: str, sign: str) -> str:
    """INSERT ... SELECT the grouped delta of the incidents in `source` (alias r) times `sign`, added on conflict."""
    keys = table.columns()
    key_values = table.values(vendor=vendor, row="r")
    sums = [f"SUM({sign} * {MEASURE_SQL[measure].format(r='r')})" for measure in ROLLUP_MEASURES]
    positions = ", ".join(str(n) for n in range(1, len(keys) + 1))
    target = f"{table.name} AS t" if vendor == "postgresql" else table.name
    existing = "t." if vendor == "postgresql" else ""
    updates = ", ".join(f"{m} = {existing}{m} + excluded.{m}" for m in ROLLUP_MEASURES)
    # A statement that changed no counted column (a touch of updated_at, a review note) writes nothing.
    changed = " OR ".join(f"{total} <> 0" for total in sums)
    return (
        f"INSERT INTO {target} ({', '.join(keys + list(ROLLUP_MEASURES))}) "
        f"SELECT {', '.join(key_values)}, {', '.join(sums)} FROM {source} "
        # "WHERE true": SQLite's parser needs a WHERE before an upsert's ON CONFLICT.
        f"WHERE true GROUP BY {positions} HAVING {changed} ORDER BY {positions} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )


def _pg_install_sql() -> list[str]:
    tables = _present_tables()

    def apply(source: str, sign: str) -> str:
        return ";\n".join(_upsert_sql(vendor="postgresql", table=table, source=source, sign=sign) for table in tables)

    # UPDATE: the old rows' counts out and the new rows' in, in one grouped delta.
    both = "(SELECT -1 AS sign, o.* FROM old_rows o UNION ALL SELECT 1 AS sign, n.* FROM new_rows n) AS r"
    body = f"""
        IF TG_OP = 'INSERT' THEN
            {apply("new_rows AS r", "1")};
        ELSIF TG_OP = 'DELETE' THEN
            {apply("old_rows AS r", "-1")};
        ELSIF TG_OP = 'UPDATE' THEN
            {apply(both, "r.sign")};
        ELSE
            {" ".join(f"DELETE FROM {table.name};" for table in tables)}
        END IF;
        RETURN NULL;
    """
    function = (
        f"CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $rollup$ "
        f"BEGIN {body} END; $rollup$"
    )
    statements = [function, *_pg_drop_sql()]
    transitions = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
        "truncate": "",
    }
    for operation, referencing in transitions.items():
        statements.append(
            f"CREATE TRIGGER {_PG_FUNCTION}_{operation} AFTER {operation.upper()} ON {INCIDENT_TABLE} "
            f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()"
        )
    return statements


def _pg_drop_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {_PG_FUNCTION}_{name} ON {INCIDENT_TABLE}" for name in _TRIGGER_NAMES]


def _sqlite_row_sql(*, row: str, sign: str) -> str:
    """The upserts adding one incident row (NEW or OLD) times sign to each count table, as SQLite trigger statements."""
    statements = []
    for table in _present_tables():
        keys = table.columns()
        values = table.values(vendor="sqlite", row=row)
        values += [f"{sign} * {MEASURE_SQL[measure].format(r=row)}" for measure in ROLLUP_MEASURES]
        updates = ", ".join(f"{m} = {m} + excluded.{m}" for m in ROLLUP_MEASURES)
        statements.append(
            f"INSERT INTO {table.name} ({', '.join(keys + list(ROLLUP_MEASURES))}) VALUES ({', '.join(values)}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates};"
        )
    return " ".join(statements)


def _sqlite_install_sql() -> list[str]:
    bodies = {
        "insert": _sqlite_row_sql(row="NEW", sign="1"),
        "update": _sqlite_row_sql(row="OLD", sign="-1") + " " + _sqlite_row_sql(row="NEW", sign="1"),
        "delete": _sqlite_row_sql(row="OLD", sign="-1"),
    }
    statements = _sqlite_drop_sql()
    for operation, body in bodies.items():
        statements.append(
            f"CREATE TRIGGER {_PG_FUNCTION}_{operation} AFTER {operation.upper()} ON {INCIDENT_TABLE} "
            f"FOR EACH ROW BEGIN {body} END"
        )
    return statements


def _sqlite_drop_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {_PG_FUNCTION}_{name}" for name in _TRIGGER_NAMES]


def rollup_triggers_install(*, schema_editor=None) -> None:
    """Create (or replace) the triggers on this database. Idempotent; used by the migration."""
    statements = _pg_install_sql() if connection.vendor == "postgresql" else _sqlite_install_sql()
    _execute(statements, schema_editor)


def rollup_triggers_drop(*, schema_editor=None) -> None:
    if connection.vendor == "postgresql":
        statements = [*_pg_drop_sql(), f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()"]
    else:
        statements = _sqlite_drop_sql()
    _execute(statements, schema_editor)


def _execute(statements: list[str], schema_editor) -> None:
    if schema_editor is not None:
        for statement in statements:
            schema_editor.execute(statement, params=None)
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@transaction.atomic
def incident_rollups_rebuild(*, tables: list[str] | None = None) -> None:
    """Recompute the count tables (all, or those named) from the incident table, in one transaction.

    On PostgreSQL the incident table is locked against writes meanwhile (SHARE
    mode: reads go on), so no insert lands between the DELETE and the recount.
    """
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {INCIDENT_TABLE} IN SHARE MODE")
        for table in _present_tables():
            if tables is not None and table.name not in tables:
                continue
            cursor.execute(f"DELETE FROM {table.name}")
            cursor.execute(_upsert_sql(vendor=vendor, table=table, source=f"{INCIDENT_TABLE} AS r", sign="1"))


def incident_rollups_clear_if_no_incidents(*, using: str = "default") -> None:
    """Empty the count tables when there is no incident left.

    `manage.py flush` (and every flush between tests) on SQLite deletes table by
    table, the count tables before the incidents, so the delete triggers leave a
    negative row for every key, and the totals and timelines read them.
    PostgreSQL truncates, and its truncate trigger empties the counts. Run after
    every flush (through post_migrate); with incidents present it is one probe.
    """
    if Incident.objects.using(using).exists():
        return
    with connections[using].cursor() as cursor:
        for table in _present_tables():
            cursor.execute(f"DELETE FROM {table.name}")
