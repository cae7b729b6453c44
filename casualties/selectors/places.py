"""Find places and divisions by the names the news uses for them."""

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db.models import Count, Max, QuerySet

from casualties.models import Admin1, Place

if TYPE_CHECKING:
    from reports.extraction.gazetteer import Gazetteer

# Arabic article prefixes as transliterated in the news: al-Ghantu, el-Bab, ad-Dana, as-Safira.
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|az|ash|ath|adh)[-\s'\u2019]+")


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Fold a place name to a search key: no diacritics, no case, no article, letters and digits only.

    "Al Ghanţū", "al-Ghantu" and "Ghantu" all give "ghantu". A name in a
    non-Latin script keeps its letters ("أريحا"), so it can be searched as written.
    """
    if name.isascii():
        return _NOT_ALNUM.sub("", _ARTICLE.sub("", name.lower().strip()))
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = _NOT_ALNUM.sub("", _ARTICLE.sub("", folded.lower().strip()))
    return key or _NOT_WORD.sub("", name.casefold())


def place_search_keys(names: list[str]) -> str:
    """The `search_keys` value for a place known by these names."""
    keys = sorted({key for key in map(name_key, names) if key})
    return "|" + "|".join(keys) + "|" if keys else ""


def place_search(*, query: str, country: str | None = None, prefix: bool = False) -> QuerySet[Place]:
    """Places any of whose names folds to the query's key (or starts with it), most populous first."""
    key = name_key(query)
    if not key:
        return Place.objects.none()
    places = Place.objects.filter(search_keys__contains=f"|{key}" if prefix else f"|{key}|")
    if country:
        places = places.filter(country=country.upper())
    return places.select_related("admin1").order_by("-population", "id")


_gazetteer_cache: dict[str, object] = {}


def gazetteer_for_extraction() -> "Gazetteer | None":
    """The gazetteer the extraction engine should use: the database's, when it knows more than the package.

    None unless an analyst loaded a GeoNames dump (villages the package data
    lacks): the engine then uses the package data it ships with, which is what
    `load_gazetteer` puts in the database anyway. Otherwise the index is built
    from the database once per process, and again when more places are loaded.
    """
    from reports.extraction.gazetteer import Admin1Record, Gazetteer, PlaceRecord

    dump = Place.objects.filter(origin=Place.Origin.DUMP).aggregate(count=Count("id"), newest=Max("id"))
    stamp = (dump["count"], dump["newest"])
    if not dump["count"]:
        return None
    if _gazetteer_cache.get("stamp") == stamp:
        return _gazetteer_cache["gazetteer"]  # type: ignore[return-value]
    admin1s = [
        Admin1Record(country=country, code=code, name=name, aliases=tuple(aliases or ()))
        for country, code, name, aliases in Admin1.objects.values_list("country", "code", "name", "aliases")
    ]
    rows = Place.objects.values_list(
        "geonameid", "name", "ascii_name", "alternate_names", "country", "admin1__code", "lat", "lon", "population"
    ).iterator(chunk_size=5000)
    places = (
        PlaceRecord(
            geonameid=geonameid,
            name=name,
            ascii_name=ascii_name,
            alternate_names=tuple(alternates or ()),
            country=country,
            admin1_code=admin1_code or "",
            lat=lat,
            lon=lon,
            population=population,
        )
        for geonameid, name, ascii_name, alternates, country, admin1_code, lat, lon, population in rows
    )
    gazetteer = Gazetteer.from_records(admin1s=admin1s, places=places)
    _gazetteer_cache.update(stamp=stamp, gazetteer=gazetteer)
    return gazetteer


def _engine_gazetteer() -> "Gazetteer":
    from reports.extraction.gazetteer import Gazetteer

    return gazetteer_for_extraction() or Gazetteer.default()


def _record_countries() -> list[str]:
    """The countries the record has incidents in, from the all-time counts (a few rows)."""
    from casualties.models import IncidentAllTimeCount

    rows = IncidentAllTimeCount.objects.filter(incidents__gt=0).values_list("country", flat=True)
    return sorted(set(rows))


def place_search_any_spelling(*, query: str, country: str | None = None, limit: int = 20) -> list[Place]:
    """Places for a search box: what `place_search` finds by prefix, then what the extraction engine would read
    the query as, so any spelling the extractor accepts finds the place.

    The database's search keys hold every GeoNames name, Arabic script included, but a
    transliteration GeoNames lacks ("Maarat al-Numan" for Ma'arrat an Nu'man) only the
    engine's lookup finds: its name keys, then its fuzzy match (transliteration drift)
    within `country`, else within the countries the record has incidents in. At most
    `limit` places, database hits first (most populous first); a few queries.
    """
    from reports.extraction.text import name_key as engine_key

    found = list(place_search(query=query, country=country, prefix=True)[:limit])
    if len(found) >= limit:
        return found
    key = engine_key(query)
    if not key:
        return found
    gazetteer = _engine_gazetteer()
    hits = [hit for hit in gazetteer.places_named(key) if country is None or hit.country == country.upper()]
    if not hits:
        countries = [country.upper()] if country else _record_countries()
        fuzzy = gazetteer.fuzzy_place(key, countries=countries) if countries else None
        hits = [fuzzy] if fuzzy else []
    ids = [hit.geonameid for hit in hits if hit.geonameid is not None]
    known = {place.pk for place in found}
    extra = Place.objects.filter(geonameid__in=ids).exclude(pk__in=known).select_related("admin1")
    found.extend(sorted(extra, key=lambda place: (-place.population, place.pk)))
    return found[:limit]
