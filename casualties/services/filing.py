"""File what the extraction engine found in an article as claims on incidents.

An extracted incident joins an existing incident when they are the same event
as far as two reports can tell: same country and admin1, dates within a day of
each other, places that agree (or one is unknown), compatible event types and
the same aggregate flag. It becomes a claim on that incident, whose figures are
then the min/max over its claims. Otherwise it opens a new, unverified incident.

Analysts' work is never overwritten: verified status and locked figures stay,
and a re-extraction only replaces the claims of the article being re-extracted.
"""

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from casualties.models import COUNT_FIELDS, Admin1, Claim, EventType, Incident, LocationPrecision, Place
from casualties.selectors.places import place_search_keys
from casualties.services.figures import incident_refresh_figures
from reports.models import Article

_OPEN = [Incident.ReviewStatus.UNVERIFIED, Incident.ReviewStatus.VERIFIED]
_SLACK = datetime.timedelta(days=1)


@dataclass(frozen=True)
class FilingResult:
    created: int
    joined: int
    removed: int


def _lock_region(country: str, admin1_id: int | None) -> None:
    """Serialise filing per (country, admin1) on PostgreSQL, so two workers filing reports
    of one event cannot both open an incident for it. SQLite writes are serial already."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.blake2b(f"{country}:{admin1_id}".encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _admin1_for(found: Mapping[str, Any]) -> Admin1 | None:
    country, code, name = found.get("country"), found.get("admin1_code"), found.get("admin1")
    if not country or not name:
        return None
    if code:
        admin1, _ = Admin1.objects.get_or_create(country=country, code=code, defaults={"name": name})
        return admin1
    return Admin1.objects.filter(country=country, name__iexact=name).first()


def _place_for(found: Mapping[str, Any], admin1: Admin1 | None) -> Place | None:
    geonameid = found.get("geonameid")
    if not geonameid or found.get("lat") is None or found.get("lon") is None:
        return None
    place = Place.objects.filter(geonameid=geonameid).first()
    if place is None:
        # The engine's own gazetteer knew it and the database does not (not loaded yet): keep it.
        place = Place.objects.create(
            geonameid=geonameid,
            name=found["place"],
            ascii_name=found["place"],
            country=found["country"],
            admin1=admin1,
            lat=found["lat"],
            lon=found["lon"],
            search_keys=place_search_keys([found["place"]]),
            origin=Place.Origin.REPORT,
        )
    return place


def _figures(found: Mapping[str, Any]) -> dict[str, Any]:
    counts = {field: found.get(field) for field in COUNT_FIELDS}
    return {
        "date_start": datetime.date.fromisoformat(found["date_start"]),
        "date_end": datetime.date.fromisoformat(found["date_end"]),
        "date_precision": found.get("date_precision") or "day",
        **counts,
        "victims": found.get("victims") or "unspecified",
        "actor": (found.get("actor") or "")[:200],
        "event_type": found.get("event_type") or EventType.OTHER,
    }


def _match(
    *,
    figures: dict[str, Any],
    country: str,
    admin1: Admin1 | None,
    place: Place | None,
    place_name: str,
    aggregate: bool,
    exclude: set[int],
) -> Incident | None:
    """The open incident this report most likely describes, or None."""
    candidates = Incident.objects.filter(
        synthetic=False,
        country=country,
        admin1=admin1,
        aggregate=aggregate,
        review_status__in=_OPEN,
        date_start__lte=figures["date_end"] + _SLACK,
        date_end__gte=figures["date_start"] - _SLACK,
    ).exclude(pk__in=exclude)
    if aggregate:
        # A toll over a period is the same toll only over the same period: 200 killed in two months
        # and 9,000 killed in a year overlap, but are two records.
        candidates = candidates.filter(
            date_start__range=(figures["date_start"] - _SLACK, figures["date_start"] + _SLACK),
            date_end__range=(figures["date_end"] - _SLACK, figures["date_end"] + _SLACK),
        )
    event_type = figures["event_type"]
    if event_type != EventType.OTHER:
        candidates = candidates.filter(event_type__in=[event_type, EventType.OTHER])
    if place is not None:
        candidates = candidates.filter(Q(place=place) | Q(place__isnull=True, place_name=""))
    elif place_name:
        candidates = candidates.filter(Q(place_name__iexact=place_name) | Q(place_name=""))

    def closeness(incident: Incident) -> tuple[int, int, int]:
        same_place = int(place is not None and incident.place_id == place.pk)
        days = abs((incident.date_start - figures["date_start"]).days)
        toll_gap = abs((incident.killed_max or 0) - (figures["killed_max"] or 0))
        return (-same_place, days, toll_gap)

    return min(candidates[:50], key=closeness, default=None)


def _location(found: Mapping[str, Any], admin1: Admin1 | None, place: Place | None) -> dict[str, Any]:
    if place is not None:
        return {"location_precision": LocationPrecision.PLACE, "lat": place.lat, "lon": place.lon}
    precision = LocationPrecision.ADMIN1 if admin1 is not None else LocationPrecision.COUNTRY
    return {"location_precision": precision, "lat": None, "lon": None}


@transaction.atomic
def article_file_incidents(
    *, article: Article, incidents: list[Mapping[str, Any]], extractor_version: str
) -> FilingResult:
    """Replace the article's claims with claims for `incidents` (the engine's output dicts).

    Runs in one transaction: a crash leaves the article's previous claims as
    they were. Incidents left with no claim by a re-extraction are deleted
    when no analyst has touched them. Returns how many incidents were opened,
    joined and removed.
    """
    previous = set(article.claims.values_list("incident_id", flat=True))
    if previous:
        article.claims.all().delete()
    joined: set[int] = set()
    opened: list[Incident] = []  # saved in one go at the end; this article cannot join its own new incidents
    claims: list[Claim] = []
    locked: set[tuple[str, int | None]] = set()
    for found in incidents:
        if not found.get("country"):
            continue
        country = found["country"]
        figures = _figures(found)
        admin1 = _admin1_for(found)
        place = _place_for(found, admin1)
        place_name = (found.get("place") or "")[:200]
        aggregate = bool(found.get("aggregate"))
        region = (country, admin1.pk if admin1 else None)
        if region not in locked:
            _lock_region(*region)
            locked.add(region)
        incident = _match(
            figures=figures,
            country=country,
            admin1=admin1,
            place=place,
            place_name=place_name,
            aggregate=aggregate,
            exclude=joined,
        )
        if incident is None:
            incident = Incident(
                country=country,
                admin1=admin1,
                place=place,
                place_name=place_name,
                aggregate=aggregate,
                **_location(found, admin1, place),
                **figures,
            )
            opened.append(incident)
        else:
            joined.add(incident.pk)
            if incident.place_id is None and place is not None:
                incident.place, incident.place_name = place, place_name
                incident.lat, incident.lon, incident.location_precision = place.lat, place.lon, "place"
                incident.save(update_fields=["place", "place_name", "lat", "lon", "location_precision", "updated_at"])
        claims.append(
            Claim(
                incident=incident,
                article=article,
                place_name=place_name,
                **figures,
                evidence=found.get("evidence") or "",
                evidence_start=found.get("evidence_start") or 0,
                evidence_end=found.get("evidence_end") or 0,
                extractor_version=extractor_version,
                confidence=min(max(float(found.get("confidence") or 0.0), 0.0), 1.0),
                opened_incident=incident.pk is None,
            )
        )
    if opened:
        bulk_create_with_history(opened, Incident)
    for claim in claims:
        claim.incident = claim.incident  # takes the pk the bulk insert gave a new incident
    if claims:
        bulk_create_with_history(claims, Claim)
    removed = 0
    for incident in Incident.objects.filter(pk__in=previous | joined):
        if incident.claims.exists():
            incident_refresh_figures(incident=incident)
        elif (
            incident.review_status == Incident.ReviewStatus.UNVERIFIED
            and not incident.figures_locked
            and not incident.merged_incidents.exists()
        ):
            incident.delete()
            removed += 1
    return FilingResult(created=len(opened), joined=len(joined), removed=removed)
