"""Load the gazetteer into the database from package data or a GeoNames dump."""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import transaction
from django.db.models import Avg

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
]
BATCH_SIZE = 2000


def _batches(records: Iterable[PlaceRecord], size: int) -> Iterator[list[PlaceRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


@transaction.atomic
def admin1_load(*, records: Iterable[Admin1Record]) -> int:
    """Insert or update first-level divisions by (country, code). Returns how many were written."""
    rows = [Admin1(country=r.country, code=r.code, name=r.name, aliases=list(r.aliases)) for r in records]
    Admin1.objects.bulk_create(
        rows,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["country", "code"],
        update_fields=["name", "aliases"],
    )
    return len(rows)


def place_load(*, records: Iterable[PlaceRecord], progress: Callable[[int], None] | None = None) -> int:
    """Insert or update places by GeoNames id, batch by batch; each batch is one transaction.

    Places whose admin1 code is not in the database are kept with no admin1.
    Returns how many records were written. Re-running with the same records
    changes nothing.
    """
    admin1_ids = {(country, code): pk for pk, country, code in Admin1.objects.values_list("id", "country", "code")}
    written = 0
    for batch in _batches(records, BATCH_SIZE):
        rows = [
            Place(
                geonameid=r.geonameid,
                name=r.name,
                ascii_name=r.ascii_name,
                alternate_names=list(r.alternate_names),
                country=r.country,
                admin1_id=admin1_ids.get((r.country, r.admin1_code)),
                lat=r.lat,
                lon=r.lon,
                population=max(r.population, 0),
                search_keys=place_search_keys([r.name, r.ascii_name, *r.alternate_names]),
            )
            for r in batch
        ]
        with transaction.atomic():
            Place.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["geonameid"], update_fields=_PLACE_FIELDS
            )
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
