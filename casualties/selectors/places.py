"""Find places and divisions by the names the news uses for them."""

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Max, QuerySet, Sum, Value, When

from casualties.models import Admin1, Incident, IncidentAllTimeCount, Place

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


# The engine's fuzzy match is for names ingest could not find as spelled; shorter keys match too much.
FUZZY_MIN_KEY = 5
# Merged and rejected incidents are duplicates or mistakes: they do not make a country one "with incidents".
_NOT_COUNTED = (Incident.ReviewStatus.MERGED, Incident.ReviewStatus.REJECTED)


def countries_with_incidents() -> list[str]:
    """ISO codes of the countries holding incidents, most incidents first (one query)."""
    # From the all-time counts the database triggers keep: a few hundred rows, not every incident.
    rows = (
        IncidentAllTimeCount.objects.exclude(review_status__in=_NOT_COUNTED)
        .values("country")
        .annotate(total=Sum("incidents"))
        .filter(total__gt=0)
        .order_by("-total", "country")
    )
    return [row["country"] for row in rows]


def place_lookup(*, name: str, countries: list[str] | None = None) -> QuerySet[Place]:
    """The places a name means, with the lookup ingest uses, so any spelling ingest geocodes also finds the place.

    First every place one of whose stored names folds to the name (`place_search`: Arabic script
    too), together with every place the extraction engine's gazetteer indexes under it (its keys
    drop articles anywhere: "Maarat al-Numan" is "maaratnuman"). When neither knows the name, the
    engine's transliteration match (`Gazetteer.fuzzy_place`, as ingest falls back to it) in
    `countries`, else in the countries holding incidents, as ingest looks in the article's countries.
    Engine places are matched to rows by GeoNames id. Restricted to `countries` when given.
    """
    from reports.extraction.gazetteer import Gazetteer
    from reports.extraction.text import name_key as engine_key

    found = place_search(query=name)
    if countries:
        found = found.filter(country__in=countries)
    key = engine_key(name)
    if not key:
        return found
    gazetteer = gazetteer_for_extraction() or Gazetteer.default()
    geonameids = {
        place.geonameid
        for place in gazetteer.places_named(key)
        if place.geonameid is not None and (not countries or place.country in countries)
    }
    if not geonameids and not found.exists() and len(key) >= FUZZY_MIN_KEY:
        near = gazetteer.fuzzy_place(key, countries=countries or countries_with_incidents()[:2])
        if near is not None and near.geonameid is not None:
            geonameids = {near.geonameid}
    if not geonameids:
        return found
    return Place.objects.filter(id__in=found.values("id")) | Place.objects.filter(
        geonameid__in=geonameids, **({"country__in": countries} if countries else {})
    )


def place_autocomplete(*, query: str, country: str | None = None, limit: int) -> list[Place]:
    """Up to `limit` places for a type-ahead: those whose name (any spelling) starts with the query, and
    those the full query means (`place_lookup`); places in countries holding incidents first, then the
    most populous. "Haas" gives the Syrian village before Haastrecht (NL) when Syria has incidents.
    """
    active = countries_with_incidents()
    in_active = Case(When(country__in=active, then=Value(0)), default=Value(1), output_field=IntegerField())
    ranking = ("in_active", "-population", "id")
    named = place_lookup(name=query, countries=[country.upper()] if country else None)
    started = place_search(query=query, country=country, prefix=True).annotate(in_active=in_active)
    ids = set(named.values_list("id", flat=True)) | set(started.order_by(*ranking).values_list("id", flat=True)[:limit])
    return list(
        Place.objects.filter(id__in=ids)
        .select_related("admin1")
        .annotate(in_active=in_active)
        .order_by(*ranking)[:limit]
    )


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
