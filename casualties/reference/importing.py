"""Import one export into ReferenceEvent: streamed, in one transaction, re-importable.

The file is read row by row into a temporary staging table (COPY on PostgreSQL,
batched INSERTs on SQLite), then merged with one INSERT ... ON CONFLICT that
rewrites only the events whose row changed; with `replace`, the dataset's events
missing from the file are deleted (their publisher removed them). Memory stays
flat whatever the size: no row is held past its batch.

A bad row is skipped and reported with its line number and reason. A wrong file
(another layout, not UTF-8, malformed or truncated CSV, no readable row) raises
WrongFileError and nothing is written: the staging table and the merge share one
transaction.
"""

# Table and column names in the SQL below are this module's constants and the model's, never input.
# ruff: noqa: S608
import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from casualties.models import ReferenceDataset, ReferenceEvent, ReferenceHeader
from casualties.reference.copying import PythonPathNeeded, absent_delete, divisions_lock, postgres_import
from casualties.reference.layouts import LAYOUTS, READERS, BadRowError, WrongFileError, header_check, row_digest
from casualties.reference.mapping import Resolver

# Bad rows listed one by one in the report; past this only their number grows.
MAX_BAD_ROWS_LISTED = 1000
BATCH_SIZE = 5000
_STAGING = "reference_staging"
# The staging table's columns, in the order the rows are written (the target's, plus the line number).
_COLUMNS = (
    "line",
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "country",
    "admin1_id",
    "admin1_name",
    "location",
    "lat",
    "lon",
    "location_precision",
    "killed_min",
    "killed_best",
    "killed_max",
    "cells",
    "digest",
)
_TYPES = {
    "line": "integer",
    "date_start": "date",
    "date_end": "date",
    "admin1_id": "bigint",
    "lat": "double precision",
    "lon": "double precision",
    "killed_min": "integer",
    "killed_best": "integer",
    "killed_max": "integer",
}
# Restricted unless an admin says otherwise: ACLED's terms limit redistribution, UCDP's do not.
RESTRICTED_BY_DEFAULT = {ReferenceDataset.Format.ACLED: True, ReferenceDataset.Format.UCDP: False}


@dataclass
class ImportReport:
    """What an import did. `bad_rows` lists (line, reason) for the first MAX_BAD_ROWS_LISTED."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    bad_row_count: int = 0
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    unmatched_admin1: dict[str, int] = field(default_factory=dict)

    def bad(self, line: int, reason: str) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < MAX_BAD_ROWS_LISTED:
            self.bad_rows.append((line, reason))


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number of the row's first line, fields), header included; WrongFileError on what is not CSV in UTF-8.

    One row of lookahead: a last row shorter than the header in a file that does not end
    with a newline is a truncated download, and the whole file is refused.
    """
    with path.open("rb") as raw:
        if raw.seek(0, os.SEEK_END) == 0:
            raise WrongFileError("The file is empty.")
        raw.seek(-1, os.SEEK_END)
        ends_with_newline = raw.read(1) in (b"\n", b"\r")
        raw.seek(0)
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline=""), strict=True)
        line, width, pending = 1, 0, None
        try:
            for row in reader:
                if pending is not None:
                    yield pending
                width = width or len(row)
                pending = (line, row)
                line = reader.line_num + 1
        except UnicodeDecodeError as error:
            raise WrongFileError(
                f"The file is not UTF-8 (near line {line}: {error.reason}); export it again as UTF-8."
            ) from None
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise WrongFileError(
                    f"The file is truncated: a quoted field opened at line {line} never closes."
                ) from None
            raise WrongFileError(f"The file is not valid CSV at line {line}: {error}.") from None
        if pending is not None:
            if not ends_with_newline and len(pending[1]) < width:
                raise WrongFileError(f"The file is truncated: its last row (line {pending[0]}) stops part-way.")
            yield pending


def _header(rows: Iterator[tuple[int, list[str]]], format: str) -> tuple[list[str], dict[str, int]]:
    """The header's names (stripped, lower-cased) and layouts' column index; WrongFileError if not this format's."""
    try:
        _line, header = next(rows)
    except StopIteration:
        raise WrongFileError("The file is empty.") from None
    columns = header_check(layout=LAYOUTS[format], header=header)
    return [name.strip().lower() for name in header], columns


def _read(
    *,
    rows: Iterator[tuple[int, list[str]]],
    names: list[str],
    columns: dict[str, int],
    format: str,
    resolver: Resolver,
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> Iterator[tuple]:
    """Staging tuples (in _COLUMNS order) for every good row after the header; bad ones go to the report."""
    read = READERS[format]
    for line, row in rows:
        report.rows_read += 1
        if progress and report.rows_read % 100_000 == 0:
            progress(report.rows_read)
        if len(row) != len(names):
            if not any(cell.strip() for cell in row):
                report.rows_read -= 1  # a blank line is not a row
                continue
            report.bad(line, f"{len(row)} fields where the header has {len(names)}")
            continue
        try:
            mapped = read(row, columns)
        except BadRowError as error:
            report.bad(line, str(error))
            continue
        country = resolver.country(code=mapped.country_code, name=mapped.country_name)
        yield (
            line,
            mapped.event_id[:64],
            mapped.date_start,
            mapped.date_end,
            mapped.date_precision.value,
            mapped.event_type.value,
            country,
            resolver.admin1(country=country, name=mapped.admin1_name),
            mapped.admin1_name[:200],
            mapped.location,
            mapped.lat,
            mapped.lon,
            mapped.location_precision.value,
            mapped.killed_min,
            mapped.killed_best,
            mapped.killed_max,
            json.dumps(row, ensure_ascii=False),
            row_digest(row),
        )


def _create_staging(cursor) -> None:
    # `cells` stays text here (a JSON array): it is parsed only for the rows the merge writes.
    columns = ", ".join(f"{name} {_TYPES.get(name, 'text')}" for name in _COLUMNS)
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGING}")
    cursor.execute(f"CREATE TEMPORARY TABLE {_STAGING} ({columns})")


def _fill_staging(cursor, rows: Iterator[tuple]) -> int:
    written = 0
    if connection.vendor == "postgresql":
        # COPY in text format through psycopg 3: one round trip for the whole file.
        with cursor.cursor.copy(f"COPY {_STAGING} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    insert = f"INSERT INTO {_STAGING} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    while batch := list(islice(rows, BATCH_SIZE)):
        cursor.executemany(insert, batch)
        written += len(batch)
    return written


def _merge(cursor, *, dataset: ReferenceDataset, header: ReferenceHeader, replace: bool, report: ImportReport) -> None:
    table = ReferenceEvent._meta.db_table
    cursor.execute(f"CREATE INDEX {_STAGING}_event_id ON {_STAGING} (event_id)")
    if connection.vendor == "postgresql":
        # A temporary table has no statistics until analysed: without them the joins below run as nested loops.
        cursor.execute(f"ANALYZE {_STAGING}")
    # An id twice in one file: the first row stands, the others are reported.
    cursor.execute(
        f"SELECT line, event_id FROM (SELECT line, event_id, ROW_NUMBER() OVER "
        f"(PARTITION BY event_id ORDER BY line) AS n FROM {_STAGING}) AS numbered WHERE n > 1 ORDER BY line"
    )
    duplicates = cursor.fetchall()
    for line, event_id in duplicates:
        report.bad(line, f"event id {event_id} appears earlier in the file")
    if duplicates:
        cursor.execute(f"DELETE FROM {_STAGING} WHERE line NOT IN (SELECT MIN(line) FROM {_STAGING} GROUP BY event_id)")
    # Each staged row against the dataset's event of the same id: none (new), another digest (changed), the same.
    joined = f"{_STAGING} AS s LEFT JOIN {table} AS t ON t.dataset_id = %s AND t.event_id = s.event_id"
    cursor.execute(
        f"SELECT COUNT(*) FILTER (WHERE t.id IS NULL), COUNT(*) FILTER (WHERE t.digest <> s.digest), COUNT(*) "
        f"FROM {joined}",
        [dataset.pk],
    )
    report.created, report.updated, staged = cursor.fetchone()
    report.unchanged = staged - report.created - report.updated
    if replace:
        report.deleted = absent_delete(cursor, dataset_id=dataset.pk, kept=_STAGING)
    if not report.created and not report.updated:
        return
    if connection.vendor == "postgresql":
        divisions_lock(cursor, staged=_STAGING)
    target = ("header_id", *_COLUMNS[1:])
    cells = (
        "ARRAY(SELECT cell FROM json_array_elements_text(s.cells::json) WITH ORDINALITY AS c(cell, n) ORDER BY n)"
        if connection.vendor == "postgresql"
        else "s.cells"
    )
    selected = ", ".join("%s" if name == "header_id" else cells if name == "cells" else f"s.{name}" for name in target)
    updates = ", ".join(f"{name} = excluded.{name}" for name in target if name != "event_id")
    # Only the new and changed rows are written (and their cells parsed); unchanged events are left untouched.
    cursor.execute(
        f"INSERT INTO {table} (dataset_id, {', '.join(target)}) SELECT %s, {selected} FROM {joined} "
        f"WHERE t.id IS NULL OR t.digest <> s.digest "
        f"ON CONFLICT (dataset_id, event_id) DO UPDATE SET {updates}",
        [dataset.pk, header.pk, dataset.pk],
    )


def _postgres_import(
    *, path: Path, format: str, dataset: ReferenceDataset, replace: bool, progress: Callable[[int], None] | None
) -> tuple[ImportReport | None, Resolver]:
    """PostgreSQL parses and maps the file (copying.py); (None, ...) when the file needs the Python path."""
    report, resolver = ImportReport(), Resolver()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            postgres_import(
                cursor=cursor, path=path, format=format, dataset=dataset, replace=replace, report=report,
                resolver=resolver, progress=progress, target=_COLUMNS[1:], listed=MAX_BAD_ROWS_LISTED,
            )  # fmt: skip
    except PythonPathNeeded:
        return None, resolver
    return report, resolver


def _python_import(
    *,
    path: Path,
    format: str,
    dataset: ReferenceDataset,
    replace: bool,
    progress: Callable[[int], None] | None,
    report: ImportReport,
    resolver: Resolver,
) -> None:
    """Python reads and maps every row (SQLite, and the files PostgreSQL's CSV reader refuses)."""
    with connection.cursor() as cursor:
        _create_staging(cursor)
        rows = _csv_rows(path)
        names, columns = _header(rows, format)
        header = ReferenceHeader.for_names(names)
        staged = _read(
            rows=rows, names=names, columns=columns, format=format, resolver=resolver, report=report,
            progress=progress,
        )  # fmt: skip
        if not _fill_staging(cursor, staged):
            raise WrongFileError(
                f"No row of the file could be imported ({report.bad_row_count} bad rows"
                + (
                    f", the first at line {report.bad_rows[0][0]}: {report.bad_rows[0][1]})."
                    if report.bad_rows
                    else ")."
                )
            )
        _merge(cursor, dataset=dataset, header=header, replace=replace, report=report)
        cursor.execute(f"DROP TABLE {_STAGING}")


def reference_import(
    *,
    format: str,
    path: str | os.PathLike[str],
    replace: bool = False,
    version: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import an ACLED or UCDP GED export (`format` "acled" or "ucdp") into its dataset.

    Idempotent: importing the same file twice changes nothing the second time.
    Without `replace`, events absent from the file are kept (a partial export adds
    to the dataset); with it, they are deleted. Raises WrongFileError, writing nothing,
    when the file is not a readable export of that format or has no good row.
    """
    if format not in LAYOUTS:
        raise WrongFileError(f"Unknown format {format!r}: expected one of {', '.join(LAYOUTS)}.")
    with transaction.atomic():
        dataset, _created = ReferenceDataset.objects.select_for_update().get_or_create(
            format=format, defaults={"restricted": RESTRICTED_BY_DEFAULT[format]}
        )
        report = None
        if connection.vendor == "postgresql":
            # No other writer of the events until the commit (readers go on): a deletion of a dataset or a
            # division waits for it, then its cascade or SET NULL sees the imported rows (divisions_lock).
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ReferenceEvent._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
            report, resolver = _postgres_import(
                path=Path(path), format=format, dataset=dataset, replace=replace, progress=progress
            )
        if report is None:
            report, resolver = ImportReport(), Resolver()
            _python_import(
                path=Path(path), format=format, dataset=dataset, replace=replace, progress=progress,
                report=report, resolver=resolver,
            )  # fmt: skip
        report.bad_rows.sort()  # parse errors and repeated ids, found apart, in the file's order
        report.unmatched_admin1 = dict(resolver.unmatched.most_common())
        dataset.version = version or dataset.version
        dataset.imported_at = timezone.now()
        # After --replace the dataset holds exactly the file's good rows; otherwise they are counted.
        dataset.event_count = (
            report.created + report.updated + report.unchanged
            if replace
            else ReferenceEvent.objects.filter(dataset=dataset).count()
        )
        dataset.unmatched_admin1 = report.unmatched_admin1
        dataset.save()
    return report
