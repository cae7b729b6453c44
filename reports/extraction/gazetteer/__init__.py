"""Place and first-level-division lookups for the extraction engine."""

from reports.extraction.gazetteer.index import Gazetteer, Place, build_cache, cache_path
from reports.extraction.gazetteer.records import (
    Admin1Record,
    PlaceRecord,
    geonames_dump_records,
    package_admin1_records,
    package_place_records,
)

__all__ = [
    "Admin1Record",
    "Gazetteer",
    "Place",
    "PlaceRecord",
    "build_cache",
    "cache_path",
    "geonames_dump_records",
    "package_admin1_records",
    "package_place_records",
]
