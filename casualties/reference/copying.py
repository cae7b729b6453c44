"""The PostgreSQL import: PostgreSQL parses the file and maps its rows; Python reads only the odd ones.

The file's bytes are streamed unparsed into an all-text table (`COPY ... (FORMAT csv)`,
one text column per column of the header), then every step is set-based SQL:

1. the digest and id of every row, joined with the dataset's events: rows whose digest
   is the stored one are unchanged (they were good when imported) and are not mapped again;
2. countries and divisions: each distinct (code, country, admin1) spelling is resolved
   once by mapping.Resolver, the same code as the Python path, into a small lookup table;
3. the other rows are mapped by SQL generated from the tables of layouts.py (one source of
   truth for the codes); a row SQL cannot map with certainty ("clean": plain digits, ISO
   or "16 February 2023" dates, plain decimals) is handed to layouts' Python reader, which
   maps it or says why it is bad, so bad rows carry the same reasons as on SQLite;
4. repeated ids, the counts, the deletions of --replace, the divisions checked and locked (the foreign keys
   have no database constraint), an INSERT of the new rows and an UPDATE of the changed ones; when the new rows
   are many, the table's secondary indexes are dropped before the INSERT and built after it.

What PostgreSQL's CSV reader refuses (a row with the wrong number of fields, a blank line
inside the file, a quoted field never closed, bytes that are not UTF-8) raises
PythonPathNeeded: the caller rolls this back and reads the file with the Python path, whose
messages and per-row reports are the ones documented (docs/reference-datasets.md).
"""

# Table and column names in the SQL below are this module's constants, never input; values from the
# file are passed as parameters or as literals built by _literal.
# ruff: noqa: S608
import csv
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from django.db import DatabaseError, transaction

from casualties.models import Admin1, ReferenceDataset, ReferenceEvent, ReferenceHeader
from casualties.reference import layouts
from casualties.reference.layouts import LAYOUTS, READERS, BadRowError, WrongFileError, header_check
from casualties.reference.mapping import Resolver
from reports.extraction.contract import DatePrecision, EventType

BLOCK_BYTES = 1 << 20
PROGRESS_EVERY = 100_000
_RAW, _KEYED, _PLACES, _STAGED, _BAD, _WRITTEN = (
    "reference_raw",
    "reference_keyed",
    "reference_places",
    "reference_staged",
    "reference_bad",
    "reference_written",
)
# What Python's str.strip() strips, so that SQL's btrim gives the same text.
_WHITESPACE = "".join(char for char in map(chr, range(0x110000)) if char.isspace())
# PostgreSQL functions take at most 100 arguments.
_MAX_ARGUMENTS = 100


class PythonPathNeeded(Exception):  # noqa: N818 (a signal, not an error)
    """The file holds something PostgreSQL's CSV reader refuses or reads differently: use the Python path."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _trim(expression: str) -> str:
    return f"btrim({expression}, {_literal(_WHITESPACE)})"


class _Columns:
    """SQL for the raw table's columns, by their header name (the last of a repeated name, as layouts reads)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.index = {name: position for position, name in enumerate(names)}
        self.all = [f"c{position}" for position in range(len(names))]

    def get(self, name: str, table: str = "r") -> str:
        return f"{table}.c{self.index[name]}" if name in self.index else "''"

    def trimmed(self, name: str, table: str = "r") -> str:
        return _trim(self.get(name, table)) if name in self.index else "''"

    def digest(self, table: str = "r") -> str:
        """md5 of the fields joined by \\x1f: layouts.row_digest, in SQL."""
        cells = ", ".join(f"{table}.{column}" for column in self.all)
        if len(self.all) + 1 <= _MAX_ARGUMENTS:
            return f"md5(concat_ws(chr(31), {cells}))"
        return f"md5(array_to_string(ARRAY[{cells}], chr(31)))"

    def cells(self, table: str = "r") -> str:
        """Their row's cells as text[], in the header's order: what the Python path stores as a list."""
        return f"ARRAY[{', '.join(f'{table}.{column}' for column in self.all)}]"


def _place_keys(format: str, columns: _Columns, table: str = "r") -> tuple[str, str, str]:
    """(country code, country name, division) as layouts' readers take them, stripped."""
    if format == "acled":
        # `(get("iso") or get("iso3")).strip()`: the current export's numeric code, else the older alpha-3.
        iso, iso3 = columns.get("iso", table), columns.get("iso3", table)
        return (
            _trim(f"CASE WHEN {iso} <> '' THEN {iso} ELSE {iso3} END"),
            columns.trimmed("country", table),
            columns.trimmed("admin1", table),
        )
    return columns.trimmed("country", table), columns.trimmed("country", table), columns.trimmed("adm_1", table)


# The columns _place_keys reads.
_PLACE_COLUMNS = {"acled": ("iso", "iso3", "country", "admin1"), "ucdp": ("country", "adm_1")}


def _place_columns(format: str, columns: _Columns) -> list[str]:
    """The raw table's columns (c3, c17...) that _place_keys reads."""
    return sorted({f"c{columns.index[name]}" for name in _PLACE_COLUMNS[format] if name in columns.index})


def _code_clean(value: str, table: dict) -> str:
    return f"{value} IN ({', '.join(_literal(str(code)) for code in table)})"


def _code_value(value: str, table: dict) -> str:
    whens = " ".join(f"WHEN {_literal(str(code))} THEN {_literal(str(ours.value))}" for code, ours in table.items())
    return f"CASE {value} {whens} END"


def _digits(value: str) -> str:
    """Only digits (or nothing). translate() and LIKE, not regular expressions: they cost ten times less."""
    return f"translate({value}, '0123456789', '') = ''"


def _count_clean(value: str) -> str:
    """An optional count SQL reads as layouts._integer does: empty, or up to nine plain digits."""
    return f"({value} = '' OR (length({value}) <= 9 AND {_digits(value)}))"


def _count_value(value: str) -> str:
    return f"NULLIF({value}, '')::integer"


_MONTH_CASE = (
    "CASE lower(split_part({text}, ' ', 2) COLLATE \"C\") "
    + " ".join(f"WHEN {_literal(name)} THEN {number}" for name, number in layouts._MONTHS.items())
    + " END"
)


def _date_form(text: str) -> str:
    """1 for 2023-02-16 (anything after the tenth character ignored, as parse_date does), 2 for 16 February 2023
    (one space apart; other spacings go to Python), NULL for neither: tested once a row, where the text is read."""
    iso = f"{text} LIKE '____-__-__%' AND translate(left({text}, 10), '0123456789', '') = '--'"
    day, year = f"split_part({text}, ' ', 1)", f"split_part({text}, ' ', 3)"
    written = (
        f"split_part({text}, ' ', 4) = '' AND length({day}) IN (1, 2) AND length({year}) = 4 "
        f"AND {_digits(day + ' || ' + year)}"
    )
    return f"CASE WHEN {iso} THEN 1 WHEN {written} THEN 2 END"


def _date_parts(text: str, alias: str) -> list[str]:
    """Year, month and day of a date layouts.parse_date reads, NULL unless SQL is sure of them (`{alias}_form`,
    from _date_form, says which form the text has)."""
    form = f"{alias}_form"
    day, year = f"split_part({text}, ' ', 1)", f"split_part({text}, ' ', 3)"
    month = _MONTH_CASE.format(text=text)
    return [
        f"CASE {form} WHEN 1 THEN substr({text}, 1, 4)::integer WHEN 2 THEN {year}::integer END AS {alias}_y",
        f"CASE {form} WHEN 1 THEN substr({text}, 6, 2)::integer WHEN 2 THEN {month} END AS {alias}_m",
        f"CASE {form} WHEN 1 THEN substr({text}, 9, 2)::integer WHEN 2 THEN {day}::integer END AS {alias}_d",
    ]


def _date_value(alias: str) -> str:
    """The date, NULL when the parts are no date. Years 1 and 9999 go to Python (their neighbours overflow)."""
    y, m, d = f"{alias}_y", f"{alias}_m", f"{alias}_d"
    leap = f"(mod({y}, 4) = 0 AND (mod({y}, 100) <> 0 OR mod({y}, 400) = 0))::integer"
    days = f"CASE WHEN {m} = 2 THEN 28 + {leap} WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    return (
        f"CASE WHEN {y} BETWEEN 2 AND 9998 AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND {days} "
        f"THEN make_date({y}, {m}, {d}) END"
    )


def _rest(value: str) -> str:
    """The text without its digits (for _decimal), computed once a row where the text is read."""
    return f"translate({value}, '0123456789', '')"


def _decimal(value: str, rest: str) -> str:
    """Digits with at most a leading minus and one point (`rest`: the text without its digits, from _rest):
    Python's float() and PostgreSQL's float8 read such text to the same (correctly rounded) number."""
    return (
        f"(length({value}) BETWEEN 1 AND 30 AND {rest} IN ('', '.', '-', '-.') AND length({value}) > length({rest}) "
        f"AND (left({rest}, 1) <> '-' OR left({value}, 1) = '-'))"
    )


def _number(value: str) -> str:
    """The latitude's or longitude's number, NULL unless it is a plain decimal (`{value}_rest` from _rest)."""
    return f"CASE WHEN {_decimal(value, value + '_rest')} THEN {value}::float8 END"


def _point_clean(lat: str, lon: str) -> str:
    """Both empty, or both plain decimals in range (`{lat}_number`, `{lon}_number` from _number)."""
    return f"(({lat} = '' AND {lon} = '') OR ({lat}_number BETWEEN -90 AND 90 AND {lon}_number BETWEEN -180 AND 180))"


def _count(value: str) -> str:
    """The count, NULL when empty or not one _count_clean accepts (`{value}_ok`)."""
    return f"CASE WHEN {value}_ok THEN {_count_value(value)} END"


def _mapping_sql(format: str, columns: _Columns, *, rows: str, cells: bool = False) -> str:
    """SELECT the keyed rows `rows` selects (SQL over k, the keyed row), mapped, with `clean` false where Python
    must read them; with `cells`, their row's cells too (for an INSERT straight from this SELECT)."""
    places = _place_columns(format, columns)
    if format == "acled":
        texts = {
            "day_text": columns.get("event_date"),
            "time_precision": columns.get("time_precision"),
            "sub_event": columns.trimmed("sub_event_type"),
            "location": f"left({columns.trimmed('location')}, 200)",
            "lat_text": columns.get("latitude"),
            "lon_text": columns.get("longitude"),
            "geo_precision": columns.get("geo_precision"),
            "fatalities": columns.get("fatalities"),
        }
        slack = layouts.ACLED_WEEK_SLACK_DAYS
        # The span ACLED's time_precision gives (layouts.acled_row): the day, a week around it, its month.
        starts, ends = [], []
        for key, precision in layouts.ACLED_TIME_PRECISION.items():
            when = f"WHEN {_literal(str(key))} THEN "
            if precision == DatePrecision.SPAN:
                starts.append(when + f"day - {slack}")
                ends.append(when + f"day + {slack}")
            elif precision == DatePrecision.MONTH:
                starts.append(when + "date_trunc('month', day)::date")
                ends.append(when + "(date_trunc('month', day) + interval '1 month - 1 day')::date")
            else:
                starts.append(when + "day")
                ends.append(when + "day")
        sub_events = " ".join(
            f"WHEN {_literal(key)} THEN {_literal(ours.value)}" for key, ours in layouts.ACLED_SUB_EVENT_TYPES.items()
        )
        mapped = {
            "date_start": f"CASE time_precision {' '.join(starts)} END",
            "date_end": f"CASE time_precision {' '.join(ends)} END",
            "date_precision": _code_value("time_precision", layouts.ACLED_TIME_PRECISION),
            "event_type": f'CASE lower(sub_event COLLATE "C") {sub_events} ELSE {_literal(EventType.OTHER.value)} END',
            "location_precision": _code_value("geo_precision", layouts.ACLED_GEO_PRECISION),
            "killed_min": "fatalities_count",
            "killed_best": "fatalities_count",
            "killed_max": "fatalities_count",
        }
        clean = [
            "event_id <> ''",
            "day IS NOT NULL",
            _code_clean("time_precision", layouts.ACLED_TIME_PRECISION),
            # ASCII only: lower() is then Python's lower().
            "octet_length(sub_event) = length(sub_event)",
            _point_clean("lat_text", "lon_text"),
            _code_clean("geo_precision", layouts.ACLED_GEO_PRECISION),
            "fatalities_ok",
        ]
        dates, counts = {"day": "day_text"}, ["fatalities"]
        dated = [f"{_date_value('day')} AS day"]
    else:
        texts = {
            "start_text": columns.get("date_start"),
            "end_text": columns.get("date_end"),
            "low": columns.get("low"),
            "best": columns.get("best"),
            "high": columns.get("high"),
            "location": f"left({columns.trimmed('where_coordinates')}, 200)",
            "lat_text": columns.get("latitude"),
            "lon_text": columns.get("longitude"),
            "date_prec": columns.get("date_prec"),
            "violence": columns.get("type_of_violence"),
            "where_prec": columns.get("where_prec"),
        }
        dated = [f"{_date_value('start')} AS day_start", f"{_date_value('end')} AS day_end"]
        mapped = {
            "date_start": "day_start",
            "date_end": "day_end",
            "date_precision": _code_value("date_prec", layouts.UCDP_DATE_PRECISION),
            "event_type": _code_value("violence", layouts.UCDP_VIOLENCE_TYPES),
            "location_precision": _code_value("where_prec", layouts.UCDP_WHERE_PRECISION),
            "killed_min": "low_count",
            "killed_best": "best_count",
            "killed_max": "high_count",
        }
        clean = [
            "event_id <> ''",
            "day_start IS NOT NULL",
            "day_end IS NOT NULL",
            "day_start <= day_end",
            "low_ok AND best_ok AND high_ok",
            "(low_count IS NULL OR best_count IS NULL OR high_count IS NULL "
            "OR (low_count <= best_count AND best_count <= high_count))",
            _point_clean("lat_text", "lon_text"),
            _code_clean("date_prec", layouts.UCDP_DATE_PRECISION),
            _code_clean("violence", layouts.UCDP_VIOLENCE_TYPES),
            _code_clean("where_prec", layouts.UCDP_WHERE_PRECISION),
        ]
        dates, counts = {"start": "start_text", "end": "end_text"}, ["low", "best", "high"]
    # What is tested on the text (date forms, digits) is tested once a row, in the first level, where the cells are
    # read; the levels above work on its results (docs/benchmarks.md, session 10).
    read = (
        {f"{alias}_form": _date_form(texts[text]) for alias, text in dates.items()}
        | {f"{text}_rest": _rest(texts[text]) for text in ("lat_text", "lon_text")}
        | {f"{count}_ok": _count_clean(texts[count]) for count in counts}
    )
    parts = [part for alias, text in dates.items() for part in _date_parts(text, alias)]
    numbers = [f"{_number(text)} AS {text}_number" for text in ("lat_text", "lon_text")] + [
        f"{_count(count)} AS {count}_count" for count in counts
    ]
    # Each level computes its values once (OFFSET 0 keeps PostgreSQL from folding the levels together).
    level1 = ", ".join(
        ["r.rec", "k.event_id", "k.digest", "k.target_id"]
        + ([f"{columns.cells()} AS cells"] if cells else [])
        + [f"r.{column} AS place_{column}" for column in places]
        + [f"{expression} AS {alias}" for alias, expression in (texts | read).items()]
    )
    level2 = ", ".join(["v1.*", "p.country", "p.admin1_id", "left(p.admin1, 200) AS admin1_name", *parts, *numbers])
    level3 = ", ".join(["v2.*", *dated])
    # CASE: the mapped values are computed only for clean rows, where every cast is safe.
    outer = ", ".join(
        ["rec", "event_id", "digest", "target_id", "clean"]
        + (["cells"] if cells else [])
        + [f"CASE WHEN clean THEN {expression} END AS {alias}" for alias, expression in mapped.items()]
        + [
            "country",
            "admin1_id",
            "admin1_name",
            "location",
            "CASE WHEN clean THEN lat_text_number END AS lat",
            "CASE WHEN clean THEN lon_text_number END AS lon",
        ]
    )
    return (
        f"SELECT {outer} FROM ("
        f"SELECT v3.*, coalesce({' AND '.join(clean)}, false) AS clean FROM ("
        f"SELECT {level3} FROM (SELECT {level2} FROM (SELECT {level1} FROM {_KEYED} AS k "
        f"JOIN {_RAW} AS r ON r.rec = k.rec AND {rows} OFFSET 0) AS v1 "
        f"JOIN {_PLACES} AS p ON {' AND '.join(f'p.{column} = v1.place_{column}' for column in places)} "
        f"OFFSET 0) AS v2 OFFSET 0) AS v3 OFFSET 0) AS v4"
    )


def _header(path: Path) -> tuple[list[str], bytes]:
    """The header's column names and the file's first block (without a byte-order mark).

    PythonPathNeeded when the header is not one plain line of UTF-8 (the Python path says what is wrong).
    """
    with path.open("rb") as file:
        block = file.read(BLOCK_BYTES)
    if not block:
        raise WrongFileError("The file is empty.")
    block = block.removeprefix(b"\xef\xbb\xbf")
    end = block.find(b"\n")
    line = block[: end + 1] if end >= 0 else b""
    if not line or line.count(b'"') % 2:
        raise PythonPathNeeded
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise PythonPathNeeded from None
    header = next(csv.reader([text]))
    return header, block


class _Stream:
    """The file's blocks as sent to COPY: no byte-order mark, no blank lines at its end; newlines counted."""

    def __init__(self, path: Path, first: bytes, progress: Callable[[int], None] | None) -> None:
        self.path, self.first, self.progress = path, first, progress
        self.newlines = 0
        self.ends_with_newline = False

    def _checked(self, block: bytes, previous: bytes) -> bytes:
        # A line holding only \\. ends COPY's data early: such a file goes to the Python path.
        at = block.find(b"\\.")
        while at >= 0:
            before = block[at - 1 : at] if at else previous
            if before in (b"\n", b"\r", b""):
                raise PythonPathNeeded
            at = block.find(b"\\.", at + 1)
        shown = self.newlines // PROGRESS_EVERY
        self.newlines += block.count(b"\n")
        if self.progress and self.newlines // PROGRESS_EVERY > shown:
            self.progress(self.newlines // PROGRESS_EVERY * PROGRESS_EVERY)
        return block

    def blocks(self) -> Iterator[bytes]:
        previous_end = b""
        with self.path.open("rb") as file:
            file.seek(len(self.first) + (3 if file.read(3) == b"\xef\xbb\xbf" else 0))
            pending = self.first
            while block := file.read(BLOCK_BYTES):
                yield self._checked(pending, previous_end)
                previous_end, pending = pending[-1:], block
        # The last block: blank lines at the end of the file are not rows.
        kept = pending.rstrip(b"\r\n")
        tail = pending[len(kept) :]
        newline = tail[:2] if tail.startswith(b"\r\n") else tail[:1]
        self.ends_with_newline = bool(newline) or (not kept and previous_end in (b"\n", b"\r"))
        yield self._checked(kept + newline, previous_end)


def absent_delete(cursor, *, dataset_id: int, kept: str) -> int:
    """Delete the dataset's events whose id is not in the table `kept` (--replace); returns how many."""
    table = ReferenceEvent._meta.db_table
    cursor.execute(
        f"DELETE FROM {table} AS t WHERE t.dataset_id = %s AND NOT EXISTS "
        f"(SELECT 1 FROM {kept} AS k WHERE k.event_id = t.event_id)",
        [dataset_id],
    )
    return cursor.rowcount


def _execute(cursor, sql: str, params: list | None = None):
    cursor.execute(sql, params)
    return cursor


def _drop(cursor) -> None:
    for table in (_STAGED, _PLACES, _KEYED, _BAD, _WRITTEN, _RAW):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _copy(cursor, *, path: Path, names: list[str], first: bytes, progress) -> tuple[int, _Stream]:
    """The file into the raw table, one text column per header column; (rows, the stream's counts)."""
    cells = ", ".join(f"c{position}" for position in range(len(names)))
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_RAW} (rec bigint GENERATED ALWAYS AS IDENTITY (CACHE 10000), "
        + ", ".join(f"c{position} text" for position in range(len(names)))
        + ") ON COMMIT DROP"
    )
    stream = _Stream(path, first, progress)
    raw = cursor.cursor
    try:
        # Unquoted empty fields are '' (as Python's csv reads them), not NULL.
        with raw.copy(f"COPY {_RAW} ({cells}) FROM STDIN (FORMAT csv, HEADER true, FORCE_NOT_NULL ({cells}))") as copy:
            for block in stream.blocks():
                copy.write(block)
    except psycopg.DataError:
        # A row with another number of fields, a blank line, an unclosed quote, not UTF-8: the Python path
        # reads such a file and reports it as documented.
        raise PythonPathNeeded from None
    rows = raw.rowcount
    cursor.execute(f"CREATE INDEX {_RAW}_rec ON {_RAW} (rec)")
    return rows, stream


def _places(
    cursor, *, format: str, columns: _Columns, resolver: Resolver
) -> dict[tuple[str, str, str], tuple[str, int]]:
    """The lookup table of countries and divisions; returns the unmatched spellings' (key, first row)."""
    code, name, admin1 = _place_keys(format, columns)
    used = _place_columns(format, columns)
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_PLACES} ({', '.join(f'{column} text' for column in used)}, admin1 text, "
        "country text, admin1_id bigint) ON COMMIT DROP"
    )
    # Grouped as written: the few distinct spellings are trimmed and resolved, not every row's; the rows find
    # theirs by the columns as written.
    cells = ", ".join(f"r.{column}" for column in used)
    found = _execute(
        cursor,
        f"SELECT {cells}, {code}, {name}, {admin1}, count(*), min(rec) FROM {_RAW} AS r GROUP BY {cells}",
    ).fetchall()
    unmatched: dict[tuple[str, str, str], tuple[str, int, int]] = {}
    rows = []
    for *written, code_text, name_text, admin1_text, count, first in found:
        country = resolver.country(code=code_text, name=name_text)
        admin1_id = resolver.admin1_id(country=country, name=admin1_text)
        rows.append((*written, admin1_text, country, admin1_id))
        if admin1_id is None and admin1_text:
            place = (code_text, name_text, admin1_text)
            _key, before, earlier = unmatched.get(place, ("", 0, first))
            unmatched[place] = (f"{country or '?'}|{admin1_text}", before + count, min(first, earlier))
    with cursor.cursor.copy(f"COPY {_PLACES} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    # A handful of rows: with statistics the planner hashes it rather than sorting a million rows to merge.
    cursor.execute(f"ANALYZE {_PLACES}")
    return unmatched


def _odd_rows(cursor, *, format: str, names: list[str], resolver: Resolver, batch: int = 5000) -> None:
    """Rows SQL could not map with certainty, read by layouts' Python reader: mapped rows join the staged ones,
    bad ones go to the bad-row table with their reason."""
    columns = header_check(layout=LAYOUTS[format], header=names)
    read = READERS[format]
    cells = ", ".join(f"r.c{position}" for position in range(len(names)))
    targets = ("rec", "event_id", "digest", "target_id", "clean", "date_start", "date_end", "date_precision",
               "event_type", "location_precision", "killed_min", "killed_best", "killed_max", "country", "admin1_id",
               "admin1_name", "location", "lat", "lon")  # fmt: skip
    insert = f"INSERT INTO {_STAGED} ({', '.join(targets)}) VALUES ({', '.join(['%s'] * len(targets))})"
    bad_insert = f"INSERT INTO {_BAD} (rec, reason, parse) VALUES (%s, %s, true)"
    connection = cursor.cursor.connection
    with connection.cursor(name="reference_odd_rows") as odd:
        odd.execute(
            f"SELECT s.rec, s.event_id, s.digest, s.target_id, {cells} FROM {_STAGED} AS s "
            f"JOIN {_RAW} AS r ON r.rec = s.rec WHERE NOT s.clean ORDER BY s.rec"
        )
        while found := odd.fetchmany(batch):
            mapped_rows, bad_rows = [], []
            for rec, event_id, digest, target_id, *row in found:
                try:
                    mapped = read(row, columns)
                except BadRowError as error:
                    bad_rows.append((rec, str(error)))
                    continue
                country = resolver.country(code=mapped.country_code, name=mapped.country_name)
                mapped_rows.append(
                    (rec, event_id, digest, target_id, True, mapped.date_start, mapped.date_end,
                     mapped.date_precision.value, mapped.event_type.value, mapped.location_precision.value,
                     mapped.killed_min, mapped.killed_best, mapped.killed_max, country,
                     resolver.admin1_id(country=country, name=mapped.admin1_name), mapped.admin1_name[:200],
                     mapped.location, mapped.lat, mapped.lon)
                )  # fmt: skip
            if mapped_rows:
                cursor.executemany(insert, mapped_rows)
            if bad_rows:
                cursor.executemany(bad_insert, bad_rows)
    cursor.execute(f"DELETE FROM {_STAGED} WHERE NOT clean")


def _repeated_ids(cursor, *, any_repeated: bool) -> None:
    """An id twice among the good rows: the first row stands, the later ones are bad rows. `any_repeated`: some
    id is twice among all the rows (good or bad)."""
    if not any_repeated:
        cursor.execute(f"DELETE FROM {_KEYED} AS k USING {_BAD} AS b WHERE k.rec = b.rec")
        return
    good = f"SELECT rec, event_id FROM {_KEYED} WHERE same UNION ALL SELECT rec, event_id FROM {_STAGED}"
    cursor.execute(
        f"INSERT INTO {_BAD} (rec, reason, parse) SELECT rec, "
        f"'event id ' || event_id || ' appears earlier in the file', false "
        f"FROM (SELECT rec, event_id, row_number() OVER (PARTITION BY event_id ORDER BY rec) AS n "
        f"FROM ({good}) AS good WHERE event_id IN (SELECT event_id FROM ({good}) AS again GROUP BY event_id "
        f"HAVING count(*) > 1)) AS numbered WHERE n > 1"
    )
    if cursor.rowcount:
        cursor.execute(f"DELETE FROM {_STAGED} AS s USING {_BAD} AS b WHERE s.rec = b.rec")
    # The keyed rows become the good rows: what --replace keeps.
    cursor.execute(f"DELETE FROM {_KEYED} AS k USING {_BAD} AS b WHERE k.rec = b.rec")


def _bad_rows(cursor, *, stream: _Stream, rows: int, columns: _Columns, report, listed: int) -> None:
    """The bad rows into the report, by the line of the file each starts on."""
    report.bad_row_count = _execute(cursor, f"SELECT count(*) FROM {_BAD}").fetchone()[0]
    if not report.bad_row_count:
        return
    # The header is one line; a row is one line unless a quoted field holds a newline.
    if stream.newlines == rows + (1 if stream.ends_with_newline else 0):
        lines = f"SELECT rec + 1, reason FROM {_BAD} ORDER BY rec LIMIT {listed}"
    else:
        joined = f"concat_ws('', {', '.join(f'r.{column}' for column in columns.all)})"
        breaks = (
            f"SELECT r.rec, length({joined}) - length(replace({joined}, chr(10), '')) AS breaks, NULL AS reason "
            f"FROM {_RAW} AS r WHERE strpos({joined}, chr(10)) > 0"
        )
        marks = f"SELECT rec, 0, reason FROM {_BAD} UNION ALL {breaks}"
        # Each bad row's line: its number plus the line breaks inside the rows before it.
        lines = (
            f"SELECT rec + 1 + coalesce(sum(breaks) OVER (ORDER BY rec, reason NULLS LAST ROWS BETWEEN UNBOUNDED "
            f"PRECEDING AND 1 PRECEDING), 0), reason FROM ({marks}) AS m(rec, breaks, reason) "
            f"ORDER BY rec, reason NULLS LAST"
        )
        lines = f"SELECT * FROM ({lines}) AS numbered WHERE reason IS NOT NULL LIMIT {listed}"
    report.bad_rows = [(int(line), reason) for line, reason in _execute(cursor, lines).fetchall()]


def divisions_lock(cursor, *, staged: str) -> None:
    """Check that the divisions the rows of `staged` point to exist, and keep them until commit.

    What the foreign key's per-row check would do (ReferenceEvent.admin1 has no database constraint), done once
    for the few ids used: FOR KEY SHARE makes a deletion of one of them wait for the import's end, and the
    deletion's SET NULL then sees the imported rows. WrongFileError, nothing written, if one is gone.
    """
    admin1 = Admin1._meta.db_table
    cursor.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT admin1_id FROM {staged} WHERE admin1_id IS NOT NULL) AS used "
        f"LEFT JOIN (SELECT id FROM {admin1} WHERE id IN (SELECT admin1_id FROM {staged}) FOR KEY SHARE) AS a "
        f"ON a.id = used.admin1_id WHERE a.id IS NULL"
    )
    if cursor.fetchone()[0]:
        raise WrongFileError(
            "A division of the gazetteer was deleted during the import; nothing was written: import again."
        )


def _temp_buffers(cursor) -> None:
    """Memory for the temporary tables, 1 GB instead of PostgreSQL's 8 MB: the 400 MB raw table of a million rows
    is read several times (a timed first import went from 157 s to 58 s, docs/benchmarks.md). The size can be set
    only before the session's first temporary table (an error afterwards, caught in a savepoint: the session
    keeps the size it has)."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL temp_buffers = '1GB'")
    except DatabaseError:
        pass


def _rows_held(cursor, *, table: str) -> float:
    """The table's rows, as the planner last estimated them (counted when it never has)."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    held = cursor.fetchone()[0]
    # -1: never vacuumed or analysed (an empty table, or one filled since).
    if held < 0:
        cursor.execute(f"SELECT count(*) FROM {table}")
        held = cursor.fetchone()[0]
    return held


def _indexes_dropped(cursor, *, table: str, adding: int, held: float) -> list[str]:
    """Drop the table's secondary indexes if `adding` rows are at least half as many as `held`; the SQL rebuilding them.

    Keeping six (now three) indexes up to date row by row made up most of a first import's INSERT (31 of 35.5 s
    for a million rows); building them afterwards from sorted rows takes about 2 s each per million. Dropping an index
    locks the table (ACCESS EXCLUSIVE): the comparison waits for the import's commit. Their definitions are read
    from the catalogue, so the rebuilt indexes are the migrations' own.
    """
    # Building three indexes takes about 5.5 s a million rows of the table, keeping them 20 s a million rows added.
    if not adding or adding < held / 2:
        return []
    cursor.execute(
        "SELECT c.relname, con.conname, pg_get_constraintdef(con.oid), pg_get_indexdef(i.indexrelid) "
        "FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
        "LEFT JOIN pg_constraint AS con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY c.relname",
        [table],
    )
    rebuild = []
    for index, constraint, constraint_sql, index_sql in cursor.fetchall():
        if constraint:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
            rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_sql}')
        else:
            cursor.execute(f'DROP INDEX "{index}"')
            rebuild.append(index_sql)
    return rebuild


def _event_values(*, header: ReferenceHeader, target: tuple[str, ...], row: str, cells: str = "") -> dict[str, str]:
    """{event column: SQL} for an INSERT or UPDATE from `row` (an alias) of the mapped rows; `cells`: the SQL of
    their cells, when `row` has no column of them."""
    values = {"header_id": str(int(header.pk))}
    values.update({column: cells if column == "cells" and cells else f"{row}.{column}" for column in target})
    return values


def postgres_import(
    *,
    cursor,
    path: Path,
    format: str,
    dataset: ReferenceDataset,
    replace: bool,
    report,
    resolver: Resolver,
    progress: Callable[[int], None] | None,
    target: tuple[str, ...],
    listed: int,
) -> None:
    """Import the file into `dataset` (see the module's docstring); fills `report`, listing `listed` bad rows.

    `target`: the event table's columns the staged rows fill. Call inside a transaction.
    """
    header, first = _header(path)
    header_check(layout=LAYOUTS[format], header=header)
    names = [name.strip().lower() for name in header]
    columns = _Columns(names)
    # md5() digests the text in the database's encoding: the stored digests are of UTF-8.
    cursor.execute("SHOW server_encoding")
    if cursor.fetchone()[0] != "UTF8":
        raise PythonPathNeeded
    table = ReferenceEvent._meta.db_table
    _temp_buffers(cursor)
    _drop(cursor)
    # The joins and groupings over a million rows fit in memory, and the indexes are sorted in it (the server's,
    # for this transaction only).
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    rows, stream = _copy(cursor, path=path, names=names, first=first, progress=progress)
    report.rows_read = rows
    if not rows:
        raise WrongFileError("No row of the file could be imported (0 bad rows).")
    event_id = f"left({columns.trimmed('event_id_cnty' if format == 'acled' else 'id')}, 64)"
    # Every row's id and digest, against the dataset's event of that id: the same digest is an unchanged event.
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_KEYED} ON COMMIT DROP AS SELECT v.rec, v.event_id, v.digest, t.id AS target_id, "
        f"t.digest = v.digest AS same FROM (SELECT r.rec, {event_id} AS event_id, {columns.digest()} AS digest "
        f"FROM {_RAW} AS r OFFSET 0) AS v LEFT JOIN {table} AS t ON t.dataset_id = %s AND t.event_id = v.event_id",
        [dataset.pk],
    )
    # Statistics, so that the joins below pick their plan by the number of new and changed rows.
    cursor.execute(f"ANALYZE {_KEYED}")
    cursor.execute(f"CREATE TEMPORARY TABLE {_BAD} (rec bigint, reason text, parse boolean) ON COMMIT DROP")
    unmatched = _places(cursor, format=format, columns=columns, resolver=resolver)
    header = ReferenceHeader.for_names(names)
    any_repeated = _execute(
        cursor, f"SELECT EXISTS (SELECT event_id FROM {_KEYED} GROUP BY event_id HAVING count(*) > 1)"
    ).fetchone()[0]
    # The dataset is locked (select_for_update): no other import adds its events meanwhile.
    fresh = not _execute(
        cursor, f"SELECT EXISTS (SELECT 1 FROM {table} WHERE dataset_id = %s)", [dataset.pk]
    ).fetchone()[0]
    held = _rows_held(cursor, table=table)
    rebuild: list[str] = []
    inserted = 0
    pending = "k.same IS NOT TRUE"
    if fresh and not any_repeated:
        # A first import, every id once: the clean rows go from the raw table to the events in one pass, mapped
        # and with their cells, instead of through the staged table and a second join with the raw rows
        # (docs/benchmarks.md, session 9). The others (Python maps them or finds them bad) follow the usual way.
        divisions_lock(cursor, staged=_PLACES)
        rebuild = _indexes_dropped(cursor, table=table, adding=rows, held=held)
        values = _event_values(header=header, target=target, row="m")
        # No parameters: the mapping's SQL holds % signs (LIKE patterns). The ids written are kept: the rows left
        # (those Python maps or finds bad) are the others, found by an anti-join of two analysed temporary tables
        # (against the events table, whose statistics are stale mid-import, it was planned as a nested loop of
        # sequential scans and ran for minutes).
        cursor.execute(f"CREATE TEMPORARY TABLE {_WRITTEN} (event_id text) ON COMMIT DROP")
        cursor.execute(
            f"WITH written AS (INSERT INTO {table} (dataset_id, {', '.join(values)}) SELECT {int(dataset.pk)}, "
            f"{', '.join(values.values())} FROM ({_mapping_sql(format, columns, rows=pending, cells=True)}) AS m "
            f"WHERE m.clean RETURNING event_id) INSERT INTO {_WRITTEN} SELECT event_id FROM written"
        )
        inserted = cursor.rowcount
        cursor.execute(f"ANALYZE {_WRITTEN}")
        pending += f" AND NOT EXISTS (SELECT 1 FROM {_WRITTEN} AS w WHERE w.event_id = k.event_id)"
    cursor.execute(f"CREATE TEMPORARY TABLE {_STAGED} ON COMMIT DROP AS {_mapping_sql(format, columns, rows=pending)}")
    _odd_rows(cursor, format=format, names=names, resolver=resolver)
    _repeated_ids(cursor, any_repeated=any_repeated)
    _bad_rows(cursor, stream=stream, rows=rows, columns=columns, report=report, listed=listed)
    report.created, report.updated = _execute(
        cursor,
        f"SELECT count(*) FILTER (WHERE target_id IS NULL), count(*) FILTER (WHERE target_id IS NOT NULL) "
        f"FROM {_STAGED}",
    ).fetchone()
    report.created += inserted
    report.unchanged = _execute(cursor, f"SELECT count(*) FROM {_KEYED} WHERE same").fetchone()[0]
    if not report.created + report.updated + report.unchanged:
        first_bad = (
            f", the first at line {report.bad_rows[0][0]}: {report.bad_rows[0][1]})." if report.bad_rows else ")."
        )
        raise WrongFileError(f"No row of the file could be imported ({report.bad_row_count} bad rows{first_bad}")
    # Divisions not matched, counted over the rows that mapped (repeated ids included, as the Python path does).
    tally = Counter({place: count for place, (_key, count, _first) in unmatched.items()})
    if unmatched:
        code, name, admin1 = _place_keys(format, columns)
        for *place, count in _execute(
            cursor,
            f"SELECT {code}, {name}, {admin1}, count(*) FROM {_RAW} AS r JOIN {_BAD} AS b ON b.rec = r.rec "
            "WHERE b.parse GROUP BY 1, 2, 3",
        ).fetchall():
            if tuple(place) in tally:
                tally[tuple(place)] -= count
    named: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for place, (key, _count, first_rec) in unmatched.items():
        if tally[place] > 0:
            named[key] += tally[place]
            first_seen[key] = min(first_seen.get(key, first_rec), first_rec)
    resolver.unmatched = Counter(dict(sorted(named.items(), key=lambda item: (-item[1], first_seen[item[0]]))))
    if replace and not fresh:
        # Indexed, so that the deletion's anti-join stays fast whatever plan stale statistics suggest.
        cursor.execute(f"CREATE INDEX {_KEYED}_event_id ON {_KEYED} (event_id)")
        report.deleted = absent_delete(cursor, dataset_id=dataset.pk, kept=_KEYED)
    # Their row's cells are gathered here, for the rows written only; the header's names are stored once. The
    # new rows are plain INSERTs (the dataset is locked).
    values = _event_values(header=header, target=target, row="s", cells=columns.cells())
    joined = f"{_STAGED} AS s JOIN {_RAW} AS r ON r.rec = s.rec"
    divisions_lock(cursor, staged=_STAGED)
    rebuild = rebuild or _indexes_dropped(cursor, table=table, adding=report.created - inserted, held=held)
    # Each staged row fetches its raw row by the index on rec: hashing a million staged rows would spill to disk.
    cursor.execute("SET LOCAL enable_hashjoin = off")
    cursor.execute("SET LOCAL enable_mergejoin = off")
    if report.created > inserted:
        cursor.execute(
            f"INSERT INTO {table} (dataset_id, {', '.join(values)}) SELECT %s, {', '.join(values.values())} "
            f"FROM {joined} WHERE s.target_id IS NULL",
            [dataset.pk],
        )
    if report.updated:
        updates = ", ".join(f"{column} = {value}" for column, value in values.items() if column != "event_id")
        cursor.execute(f"UPDATE {table} AS t SET {updates} FROM {joined} WHERE t.id = s.target_id")
    cursor.execute("RESET enable_hashjoin")
    cursor.execute("RESET enable_mergejoin")
    for sql in rebuild:
        cursor.execute(sql)
    if rebuild or report.created + report.updated + report.deleted >= held / 10:
        # Statistics for what the table now holds: with statistics from before (autovacuum may be off or late),
        # the next import's joins with this dataset's events are planned for none and run for hours.
        cursor.execute(f"ANALYZE {table}")
    _drop(cursor)
