"""File what the extraction engine found in articles as claims on incidents.

An extracted incident joins an existing incident when they are the same event
as far as two reports can tell: same country and admin1, dates within a day of
each other, places that agree (or one is unknown), compatible event types and
the same aggregate flag. It becomes a claim on that incident, whose figures are
then the min/max over its claims. Otherwise it opens a new, unverified incident.

Analysts' work is never overwritten: verified status and locked figures stay,
and a re-extraction only replaces the claims of the article being re-extracted.

Filing works on a batch of articles at once, because the per-article cost was
the database round trips (a match query per incident, a figure refresh and a
history row per joined incident): the candidates for the whole batch come in
one query and are matched in Python (`casualties.services.matching`), and the
writes are a handful of bulk statements. The outcome is the one filing the
articles one after another in the batch's order gives: an article can join an
incident an earlier article of the same batch opened.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from casualties.models import COUNT_FIELDS, Admin1, Claim, Incident, LocationPrecision, Place
from casualties.selectors.places import place_search_keys
from casualties.services.bulk import history_rows_insert, incidents_refresh_figures
from casualties.services.matching import SLACK, CandidatePool, Report
from reports.extraction.contract import ExtractedIncident
from reports.models import Article

_PLACE_FIELDS = ["place", "place_name", "lat", "lon", "location_precision"]
# Date windows of one region closer than this are read as one range.
_MERGE_GAP = datetime.timedelta(days=7)


@dataclass(frozen=True)
class FilingResult:
    created: int
    joined: int
    removed: int


def _region_key(country: str, admin1_id: int | None) -> int:
    return int.from_bytes(
        hashlib.blake2b(f"{country}:{admin1_id}".encode(), digest_size=8).digest(), "big", signed=True
    )


def _lock_regions(regions: set[tuple[str, int | None]]) -> None:
    """Serialise filing per (country, admin1) on PostgreSQL, so two workers filing reports
    of one event cannot both open an incident for it. SQLite writes are serial already.

    The locks are taken in key order, in one statement: two batches that share
    regions wait for each other instead of deadlocking.
    """
    if connection.vendor != "postgresql" or not regions:
        return
    keys = sorted({_region_key(*region) for region in regions})
    with connection.cursor() as cursor:
        # OFFSET 0 keeps the sorted subquery from being flattened, so the locks are taken in its order.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(key) "
            "FROM (SELECT key FROM unnest(%s::bigint[]) AS key ORDER BY key OFFSET 0) AS keys",
            [keys],
        )


def _figures(found: ExtractedIncident) -> dict[str, Any]:
    """The fields an incident and a claim share (`Figures`), from what the engine found."""
    return {
        "date_start": found.dates.start,
        "date_end": found.dates.end,
        "date_precision": found.dates.precision,
        **asdict(found.figures),
        "victims": found.victims,
        "actor": (found.actor or "")[:200],
        "event_type": found.event_type,
    }


def _location(admin1: Admin1 | None, place: Place | None) -> dict[str, Any]:
    if place is not None:
        return {"location_precision": LocationPrecision.PLACE, "lat": place.lat, "lon": place.lon}
    precision = LocationPrecision.ADMIN1 if admin1 is not None else LocationPrecision.COUNTRY
    return {"location_precision": precision, "lat": None, "lon": None}


class _Gazetteer:
    """The Admin1 and Place rows the batch names, read in one query each and created when missing."""

    def __init__(self, items: list[ExtractedIncident]) -> None:
        coded = {(f.country, f.location.admin1_code) for f in items if f.location.admin1_code and f.location.admin1}
        self.admin1s: dict[tuple[str, str], Admin1] = {}
        if coded:
            rows = Admin1.objects.filter(country__in={c for c, _ in coded}, code__in={k for _, k in coded})
            self.admin1s = {(a.country, a.code): a for a in rows if (a.country, a.code) in coded}
        self.admin1s_by_name: dict[tuple[str, str], Admin1 | None] = {}
        geonameids = {f.location.geonameid for f in items if f.location.geonameid}
        self.places = {p.geonameid: p for p in Place.objects.filter(geonameid__in=geonameids)} if geonameids else {}

    def admin1_for(self, found: ExtractedIncident) -> Admin1 | None:
        country, code, name = found.country, found.location.admin1_code, found.location.admin1
        if not country or not name:
            return None
        if code:
            if (country, code) not in self.admin1s:
                self.admin1s[country, code], _ = Admin1.objects.get_or_create(
                    country=country, code=code, defaults={"name": name}
                )
            return self.admin1s[country, code]
        if (country, name) not in self.admin1s_by_name:
            self.admin1s_by_name[country, name] = Admin1.objects.filter(country=country, name__iexact=name).first()
        return self.admin1s_by_name[country, name]

    def place_for(self, found: ExtractedIncident, admin1: Admin1 | None) -> Place | None:
        location = found.location
        geonameid = location.geonameid
        if not geonameid or location.lat is None or location.lon is None:
            return None
        if geonameid not in self.places:
            # The engine's own gazetteer knew it and the database does not (not loaded yet): keep it.
            self.places[geonameid], _ = Place.objects.get_or_create(
                geonameid=geonameid,
                defaults={
                    "name": location.name,
                    "ascii_name": location.name,
                    "country": found.country,
                    "admin1": admin1,
                    "lat": location.lat,
                    "lon": location.lon,
                    "search_keys": place_search_keys([location.name]),
                    "origin": Place.Origin.REPORT,
                },
            )
        return self.places[geonameid]


@dataclass
class _Filed:
    """One article's part of the batch, as it is worked out in memory."""

    article: Article
    reports: list[Report] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    created: int = 0
    joined: int = 0
    removed: int = 0


def _reports(found_list: Sequence[ExtractedIncident], gazetteer: _Gazetteer) -> list[Report]:
    reports = []
    for found in found_list:
        if not found.country:
            continue
        admin1 = gazetteer.admin1_for(found)
        reports.append(
            Report(
                found=found,
                country=found.country,
                admin1=admin1,
                place=gazetteer.place_for(found, admin1),
                place_name=(found.location.name or "")[:200],
                aggregate=found.aggregate,
                figures=_figures(found),
            )
        )
    return reports


def _candidate_query(reports: list[Report], previous: set[int]) -> Q:
    """Every open incident any report of the batch could join (a superset: matching checks
    each one), and the incidents the batch's articles had claims on before.

    Per region, the reports' date windows are merged where they lie within a week
    of each other, so a batch of reports of one week in one region is one range.
    """
    windows: dict[tuple[str, int | None, bool], list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for report in reports:
        region = (report.country, report.admin1.pk if report.admin1 else None, report.aggregate)
        windows[region].append((report.figures["date_start"], report.figures["date_end"]))
    clauses = []
    for (country, admin1_id, aggregate), spans in sorted(windows.items(), key=str):
        region = Q(country=country, admin1_id=admin1_id, aggregate=aggregate)
        if aggregate:
            # A toll over a period joins only a toll over the same period: one tight window each.
            clauses += [
                region & Q(date_start__range=(start - SLACK, start + SLACK), date_end__range=(end - SLACK, end + SLACK))
                for start, end in sorted(set(spans))
            ]
            continue
        merged: list[list[datetime.date]] = []
        for start, end in sorted(spans):
            if merged and start - SLACK <= merged[-1][1] + _MERGE_GAP:
                merged[-1][1] = max(merged[-1][1], end + SLACK)
            else:
                merged.append([start - SLACK, end + SLACK])
        clauses += [region & Q(date_start__lte=high, date_end__gte=low) for low, high in merged]
    query = Q(pk__in=previous) if previous else Q(pk__in=[])
    if clauses:
        query |= Q(synthetic=False, review_status__in=CandidatePool.OPEN) & reduce(or_, clauses)
    return query


@transaction.atomic(savepoint=False)  # all or nothing with the caller's transaction, if there is one
def articles_file_incidents(
    *, batch: Sequence[tuple[Article, Sequence[ExtractedIncident]]], extractor_version: str
) -> dict[int, FilingResult]:
    """For each (article, incidents) of the batch, replace the article's claims with claims for
    `incidents` (what the engine returned), in the batch's order. Incidents with no country are left out.

    Preconditions: the caller holds the articles (select_for_update) or knows no
    one else files them; each article appears once. Runs in one transaction: a
    crash leaves every article's previous claims as they were. Incidents left
    with no claim by a re-extraction are deleted when no analyst has touched
    them. Returns, by article id, how many incidents were opened, joined and removed.
    """
    if not batch:
        return {}
    article_ids = [article.pk for article, _ in batch]
    previous_by_article: dict[int, set[int]] = defaultdict(set)
    for article_id, incident_id in (
        Claim.objects.filter(article_id__in=article_ids).order_by().values_list("article_id", "incident_id")
    ):
        previous_by_article[article_id].add(incident_id)
    previous = set().union(*previous_by_article.values())

    gazetteer = _Gazetteer([found for _, found_list in batch for found in found_list if found.country])
    filed = [_Filed(article=article, reports=_reports(found_list, gazetteer)) for article, found_list in batch]
    all_reports = [report for one in filed for report in one.reports]

    regions = {(r.country, r.admin1.pk if r.admin1 else None) for r in all_reports}
    if previous:
        regions |= set(Incident.objects.filter(pk__in=previous).values_list("country", "admin1_id"))
    _lock_regions(regions)

    loaded = list(Incident.objects.filter(_candidate_query(all_reports, previous)).order_by())
    pool = CandidatePool(loaded)
    pool.load_claims(
        Claim.objects.filter(incident_id__in=[i.pk for i in loaded])
        .order_by()
        .values_list("incident_id", "article_id", *COUNT_FIELDS)
    )
    if previous:
        pool.load_merged(
            set(Incident.objects.filter(merged_into_id__in=previous).values_list("merged_into_id", flat=True))
        )
        Claim.objects.filter(article_id__in=article_ids).delete()

    opened: list[Incident] = []
    for one in filed:
        article_id = one.article.pk
        joined: list[Incident] = []
        opened_here: list[Incident] = []
        pool.drop_article_claims(article_id)
        for report in one.reports:
            incident = pool.match(report, exclude=joined)
            is_new = incident is None
            if incident is None:
                incident = Incident(
                    country=report.country,
                    admin1=report.admin1,
                    place=report.place,
                    place_name=report.place_name,
                    aggregate=report.aggregate,
                    **_location(report.admin1, report.place),
                    **report.figures,
                )
                opened_here.append(incident)
            else:
                joined.append(incident)
                if incident.place_id is None and report.place is not None:
                    incident.place, incident.place_name = report.place, report.place_name
                    incident.lat, incident.lon = report.place.lat, report.place.lon
                    incident.location_precision = LocationPrecision.PLACE
                    pool.mark_dirty(incident, "place")
            one.claims.append(_claim(report, incident, one.article, extractor_version, opened=is_new))
        # New incidents join the pool only now: an article never joins its own new incidents.
        for incident in opened_here:
            pool.add(incident)
        for claim in one.claims:
            pool.add_claim(claim.incident, article_id, {name: getattr(claim, name) for name in COUNT_FIELDS})
        earlier = [pool.by_pk[pk] for pk in sorted(previous_by_article.get(article_id, ()))]
        one.removed = pool.settle(touched=[*earlier, *joined])
        one.created, one.joined = len(opened_here), len(joined)
        opened += opened_here

    _write(pool=pool, opened=opened, claims=[claim for one in filed for claim in one.claims])
    return {one.article.pk: FilingResult(created=one.created, joined=one.joined, removed=one.removed) for one in filed}


def _claim(report: Report, incident: Incident, article: Article, extractor_version: str, *, opened: bool) -> Claim:
    found = report.found
    return Claim(
        incident=incident,
        article=article,
        place_name=report.place_name,
        **report.figures,
        evidence=found.evidence.text,
        evidence_start=found.evidence.start,
        evidence_end=found.evidence.end,
        extractor_version=extractor_version,
        confidence=min(max(found.confidence, 0.0), 1.0),
        opened_incident=opened,
    )


def _write(*, pool: CandidatePool, opened: list[Incident], claims: list[Claim]) -> None:
    """The batch's writes, in bulk: new incidents (their figures the min/max over the claims
    the batch gave them), claims, the existing incidents whose figures or place moved, a
    history row for each of those rows, then the incidents a re-extraction left without claims."""
    changed = pool.changed()
    now = timezone.now()
    for incident in opened:
        pool.apply_figures(incident)
    if opened:
        Incident.objects.bulk_create(opened)
        history_rows_insert(model=Incident, ids=[incident.pk for incident in opened], history_type="+", when=now)
    for claim in claims:
        claim.incident = claim.incident  # takes the pk the bulk insert gave a new incident
    if claims:
        Claim.objects.bulk_create(claims)
        history_rows_insert(model=Claim, ids=[claim.pk for claim in claims], history_type="+", when=now)
    if changed:
        moved = [incident for incident, what in changed if "place" in what]
        for incident in moved:
            incident.updated_at = now
        if moved:
            Incident.objects.bulk_update(moved, [*_PLACE_FIELDS, "updated_at"])
        # In the database rather than from memory: the claims as they are now, whoever wrote them.
        incidents_refresh_figures(ids=[incident.pk for incident, what in changed if "figures" in what], when=now)
        history_rows_insert(model=Incident, ids=[incident.pk for incident, _ in changed], history_type="~", when=now)
    for incident in pool.deleted:
        incident.delete()


def article_file_incidents(
    *, article: Article, incidents: Sequence[ExtractedIncident], extractor_version: str
) -> FilingResult:
    """Replace one article's claims with claims for `incidents`: articles_file_incidents for a batch of one."""
    return articles_file_incidents(batch=[(article, incidents)], extractor_version=extractor_version)[article.pk]
