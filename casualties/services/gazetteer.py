"""Load the gazetteer into the database from package data or a GeoNames dump."""

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.db.models import Avg

from casualties.display_names import admin1_display_name
from casualties.models import Admin1, Place
from casualties.selectors.places import place_search_keys
from reports.extraction.gazetteer import Admin1Record, PlaceRecord

_PLACE_FIELDS = [
    "name",
    "ascii_name",
    "alternate_names",
    "country",
    "admin1",
    "lat",
    "lon",
    "population",
    "search_keys",
    "origin",
]
BATCH_SIZE = 5000


def _batches(records: Iterable[PlaceRecord], size: int) -> Iterator[list[PlaceRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


@transaction.atomic
def admin1_load(*, records: Iterable[Admin1Record]) -> int:
    """Insert or update first-level divisions by (country, code). Returns how many were written."""
    rows = [
        Admin1(
            country=r.country,
            code=r.code,
            name=r.name,
            display_name=admin1_display_name(country=r.country, name=r.name),
            aliases=list(r.aliases),
        )
        for r in records
    ]
    Admin1.objects.bulk_create(
        rows,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["country", "code"],
        update_fields=["name", "display_name", "aliases"],
    )
    return len(rows)


def place_load(
    *,
    records: Iterable[PlaceRecord],
    origin: str = Place.Origin.PACKAGE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert or update places by GeoNames id, batch by batch; each batch is one transaction.

    Places whose admin1 code is not in the database are kept with no admin1.
    Returns how many records were written. Re-running with the same records
    changes nothing. Written with one INSERT ... ON CONFLICT per batch rather
    than through model instances: the package data alone is 235,000 places.
    """
    admin1_ids = {(country, code): pk for pk, country, code in Admin1.objects.values_list("id", "country", "code")}
    table = connection.ops.quote_name(Place._meta.db_table)
    columns = ["geonameid", *_PLACE_FIELDS]
    column_list = ", ".join(connection.ops.quote_name(c if c != "admin1" else "admin1_id") for c in columns)
    updates = ", ".join(
        f"{name} = excluded.{name}"
        for name in (connection.ops.quote_name(c if c != "admin1" else "admin1_id") for c in _PLACE_FIELDS)
    )
    # Table and column names come from the model, never from input.
    sql = (
        f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
        f"ON CONFLICT (geonameid) DO UPDATE SET {updates}"
    )
    written = 0
    for batch in _batches(records, BATCH_SIZE):
        rows = [
            (
                r.geonameid,
                r.name[:200],
                r.ascii_name[:200],
                json.dumps(list(r.alternate_names), ensure_ascii=False),
                r.country,
                admin1_ids.get((r.country, r.admin1_code)),
                r.lat,
                r.lon,
                max(r.population, 0),
                place_search_keys([r.name, r.ascii_name, *r.alternate_names]),
                origin,
            )
            for r in batch
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
        if progress:
            progress(len(rows))
    return written


@transaction.atomic
def admin1_refresh_centres() -> int:
    """Set each division's representative point to the mean of its places' coordinates."""
    centres = Place.objects.filter(admin1__isnull=False).values("admin1").annotate(lat=Avg("lat"), lon=Avg("lon"))
    divisions = []
    for row in centres:
        divisions.append(Admin1(id=row["admin1"], lat=round(row["lat"], 5), lon=round(row["lon"], 5)))
    Admin1.objects.bulk_update(divisions, ["lat", "lon"], batch_size=BATCH_SIZE)
    return len(divisions)
