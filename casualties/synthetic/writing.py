"""Writing the rows: one COPY per table per batch on PostgreSQL, executemany on SQLite.

Where the time goes on PostgreSQL (docs/benchmarks.md, "Loading synthetic
data"): not in making the rows but in keeping the indexes and foreign keys of
the incident, article and claim tables current row by row. For a large load
those are dropped inside the loading transaction and built again at its end:
an index built by one sort is many times cheaper than the same index grown by
millions of random inserts, and a foreign key added back is checked by one
join instead of one lookup per row. The drop, the load and the rebuild are one
transaction, so a failure or a kill leaves the schema and the data as they
were; the statement-level triggers on the incident table stay on throughout
and fire once per COPY.
"""

# Every name formatted into SQL here comes from the catalog or from the models' own table names.
# ruff: noqa: S608

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection


def rows_write(*, table: str, columns: list[str], data: list[list]) -> None:
    """Insert one batch of column lists (all the same length) into `table`."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            block = "\n".join(map("\t".join, zip(*data, strict=True))) + "\n"
            with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                copy.write(block)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({placeholders})", zip(*data, strict=True))


@dataclass(frozen=True)
class _Deferred:
    """An index or constraint dropped for the load, and the statement that builds it again."""

    drop: str
    create: str


def _deferrable(tables: list[str]) -> list[_Deferred]:
    """Every foreign key of `tables`, and every index on them but the primary keys and those a foreign key uses."""
    found: list[_Deferred] = []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
            ORDER BY c.conrelid::regclass::text, c.conname
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                   quote_ident(c.conname), pg_get_constraintdef(c.oid)
            FROM pg_index i
            LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
            ORDER BY i.indrelid::regclass::text, i.indexrelid::regclass::text
            """,
            [tables],
        )
        indexes = cursor.fetchall()
    for table, index, index_sql, constraint, constraint_sql in indexes:
        if constraint:  # a UNIQUE or EXCLUDE constraint owns the index
            found.append(
                _Deferred(
                    f"ALTER TABLE {table} DROP CONSTRAINT {constraint}",
                    f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {constraint_sql}",
                )
            )
        else:
            found.append(_Deferred(f"DROP INDEX {index}", index_sql))
    # Foreign keys last when building again: their checks then find the indexes in place.
    found += [
        _Deferred(f"ALTER TABLE {table} DROP CONSTRAINT {name}", f"ALTER TABLE {table} ADD CONSTRAINT {name} {sql}")
        for table, name, sql in foreign_keys
    ]
    return found


@contextmanager
def indexes_deferred(*, tables: list[str], enabled: bool, on_rebuild=None) -> Iterator[None]:
    """Within the caller's transaction: drop the indexes and foreign keys of `tables`, and build them at the end.

    Takes ACCESS EXCLUSIVE locks on the tables (and the tables their foreign
    keys reference) until the transaction ends. Does nothing when not
    `enabled` or not on PostgreSQL.
    """
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    deferred = _deferrable(tables)
    with connection.cursor() as cursor:
        # A table with foreign key checks still queued in this transaction cannot be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for item in deferred:
            cursor.execute(item.drop)
    yield
    if on_rebuild:
        on_rebuild()
    with connection.cursor() as cursor:
        # Nor can a table with trigger events still queued: the data version's bump, queued by the load's first
        # row to run at the commit (casualties.services.data_version), runs now, in this transaction still.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # A sort in memory rather than on disk; this transaction only.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for item in deferred:
            cursor.execute(item.create)
