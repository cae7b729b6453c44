"""Synthetic incidents for load tests: realistic in shape, clearly marked, deleted in one go.

Countries, divisions and places come from the loaded gazetteer; dates spread
over fifteen years with bursts (offensives); tolls are heavy-tailed; each
incident has one to three claims from synthetic articles. Rows are written with
PostgreSQL COPY (explicit ids taken from the sequences under a table lock), or
with executemany on SQLite.
"""

import datetime
import hashlib
import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from casualties.models import Admin1, Claim, EventType, Incident, Place, Victims
from reports.models import Article, Source

SYNTHETIC_SOURCE = "Synthetic data (generate_incidents)"
SYNTHETIC_VERSION = "synthetic"
FIRST_DAY = datetime.date(2011, 1, 1)
DAYS = 15 * 365

# Where conflict data concentrates; the rest of the world shares what is left.
_COUNTRY_WEIGHTS = {
    "SY": 18,
    "IQ": 10,
    "YE": 9,
    "AF": 9,
    "UA": 9,
    "SO": 5,
    "NG": 5,
    "ML": 3,
    "BF": 3,
    "SD": 4,
    "CD": 4,
    "MM": 4,
    "PS": 4,
    "LY": 2,
    "PK": 3,
    "ET": 2,
    "MZ": 1,
    "CM": 1,
    "CO": 1,
    "MX": 2,
}
_EVENT_WEIGHTS = {
    EventType.AIR_DRONE_STRIKE: 22,
    EventType.SHELLING_ARTILLERY_MISSILE: 25,
    EventType.REMOTE_EXPLOSIVE: 12,
    EventType.SUICIDE_BOMB: 4,
    EventType.ARMED_CLASH: 20,
    EventType.ATTACK: 15,
    EventType.OTHER: 2,
}
_ACTORS = ["", "", "government forces", "armed group", "unidentified gunmen", "coalition aircraft", "militia"]
_VICTIMS = [Victims.CIVILIANS] * 5 + [Victims.COMBATANTS] * 3 + [Victims.MIXED, Victims.UNSPECIFIED]
_STATUSES = ["unverified"] * 85 + ["verified"] * 12 + ["rejected"] * 3

INCIDENT_COLUMNS = [
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed",
    "women_killed",
    "victims",
    "actor",
    "event_type",
    "country",
    "admin1_id",
    "place_id",
    "place_name",
    "lat",
    "lon",
    "location_precision",
    "aggregate",
    "review_status",
    "merged_into_id",
    "figures_locked",
    "synthetic",
    "created_at",
    "updated_at",
]
ARTICLE_COLUMNS = [
    "id",
    "url",
    "title",
    "source_id",
    "feed_id",
    "published_at",
    "fetched_at",
    "language",
    "text",
    "text_sha256",
    "status",
    "failure_reason",
    "duplicate_of_id",
    "extractor_version",
    "attempts",
    "synthetic",
    "created_at",
    "updated_at",
]
CLAIM_COLUMNS = [
    "id",
    "incident_id",
    "article_id",
    "date_start",
    "date_end",
    "date_precision",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed",
    "women_killed",
    "victims",
    "actor",
    "event_type",
    "place_name",
    "evidence",
    "evidence_start",
    "evidence_end",
    "extractor_version",
    "confidence",
    "opened_incident",
    "created_at",
]


@dataclass(frozen=True)
class _Geography:
    countries: list[str]
    country_weights: list[float]  # cumulative
    admin1s: dict[str, list[tuple[int, str]]]  # country -> [(admin1 id, name)]
    places: dict[str, list[tuple[int, str, int | None, float, float]]]  # country -> [(id, name, admin1, lat, lon)]
    place_weights: dict[str, list[float]]  # cumulative, so each draw is a bisection, not a sum


def _geography() -> _Geography:
    admin1s: dict[str, list[tuple[int, str]]] = {}
    for pk, country, name in Admin1.objects.values_list("id", "country", "name"):
        admin1s.setdefault(country, []).append((pk, name))
    places: dict[str, list[tuple[int, str, int | None, float, float]]] = {}
    weights: dict[str, list[float]] = {}
    rows = Place.objects.filter(country__in=list(admin1s)).values_list(
        "id", "name", "admin1_id", "lat", "lon", "population", "country"
    )
    for pk, name, admin1_id, lat, lon, population, country in rows.iterator(chunk_size=20000):
        places.setdefault(country, []).append((pk, name, admin1_id, lat, lon))
        weights.setdefault(country, []).append(1.0 + math.log1p(population))
    countries = [c for c in admin1s if c in places]
    if not countries:
        raise ValueError("the gazetteer is empty: run `python manage.py load_gazetteer` first")
    country_weights = list(itertools.accumulate(float(_COUNTRY_WEIGHTS.get(c, 0.05)) for c in countries))
    cumulative = {country: list(itertools.accumulate(w)) for country, w in weights.items()}
    return _Geography(countries, country_weights, admin1s, places, cumulative)


def _burst_days(rng: random.Random) -> Callable[[], int]:
    """Days since FIRST_DAY: a steady trickle plus offensives, a few weeks each."""
    bursts = [(rng.randrange(DAYS), rng.uniform(3, 30)) for _ in range(120)]

    def day() -> int:
        if rng.random() < 0.4:
            return rng.randrange(DAYS)
        centre, width = rng.choice(bursts)
        return min(DAYS - 1, max(0, int(rng.gauss(centre, width))))

    return day


def _toll(rng: random.Random) -> int:
    # Pareto: most incidents kill a few, a handful kill hundreds.
    return min(int(rng.paretovariate(1.2)) - 1 + rng.randrange(3), 5000)


def synthetic_rows(
    *, count: int, seed: int, first_ids: tuple[int, int, int], source_id: int
) -> Iterator[tuple[list[tuple], list[tuple], list[tuple]]]:
    """Yield (incidents, articles, claims) row batches of about 10,000 incidents, ids from `first_ids`."""
    rng = random.Random(seed)
    geo = _geography()
    day = _burst_days(rng)
    incident_id, article_id, claim_id = first_ids
    now = timezone.now()
    batch: tuple[list[tuple], list[tuple], list[tuple]] = ([], [], [])
    for n in range(count):
        country = rng.choices(geo.countries, cum_weights=geo.country_weights)[0]
        start = FIRST_DAY + datetime.timedelta(days=day())
        aggregate = rng.random() < 0.02
        end = start + datetime.timedelta(days=rng.randrange(7, 60) if aggregate else int(rng.random() < 0.08))
        precision_roll = rng.random()
        place_id, place_name, lat, lon, admin1_id = None, "", None, None, None
        if precision_roll < 0.72 and not aggregate:
            place_id, place_name, admin1_id, lat, lon = rng.choices(
                geo.places[country], cum_weights=geo.place_weights[country]
            )[0]
            location = "place"
        elif precision_roll < 0.93 and geo.admin1s.get(country):
            admin1_id = rng.choice(geo.admin1s[country])[0]
            location = "admin1"
        else:
            location = "country"
        killed = _toll(rng) * (8 if aggregate else 1)
        killed_max = killed + (rng.randrange(1, 6) if rng.random() < 0.25 else 0)
        injured = _toll(rng) * 2 if rng.random() < 0.6 else None
        children = rng.randrange(0, killed + 1) // 3 if killed and rng.random() < 0.2 else None
        women = rng.randrange(0, killed + 1) // 4 if killed and rng.random() < 0.15 else None
        event_type = rng.choices(list(_EVENT_WEIGHTS), list(_EVENT_WEIGHTS.values()))[0]
        victims, actor = rng.choice(_VICTIMS), rng.choice(_ACTORS)
        date_precision = "span" if end > start else "day"
        batch[0].append(
            (
                incident_id,
                start,
                end,
                date_precision,
                killed,
                killed_max,
                injured,
                injured,
                children,
                women,
                victims,
                actor,
                event_type,
                country,
                admin1_id,
                place_id,
                place_name,
                lat,
                lon,
                location,
                aggregate,
                rng.choice(_STATUSES),
                None,
                False,
                True,
                now,
                now,
            )
        )
        for claim_number in range(rng.choice((1, 1, 1, 2, 2, 3))):
            toll = killed if claim_number == 0 else killed_max
            text = (
                f"Synthetic report {article_id}: {toll} killed in {place_name or country} on {start}. "
                f"Generated for load tests, seed {seed}, incident {incident_id}."
            )
            published = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), datetime.UTC)
            batch[1].append(
                (
                    article_id,
                    None,
                    f"Synthetic report {article_id}",
                    source_id,
                    None,
                    published,
                    None,
                    "en",
                    text,
                    hashlib.sha256(text.encode()).hexdigest(),
                    "extracted",
                    "",
                    None,
                    SYNTHETIC_VERSION,
                    1,
                    True,
                    now,
                    now,
                )
            )
            evidence = text.split(". ")[0] + "."
            batch[2].append(
                (
                    claim_id,
                    incident_id,
                    article_id,
                    start,
                    end,
                    date_precision,
                    toll,
                    toll,
                    injured,
                    injured,
                    children,
                    women,
                    victims,
                    actor,
                    event_type,
                    place_name,
                    evidence,
                    0,
                    len(evidence),
                    SYNTHETIC_VERSION,
                    0.5,
                    claim_number == 0,
                    now,
                )
            )
            article_id += 1
            claim_id += 1
        incident_id += 1
        if len(batch[0]) >= 10_000 or n == count - 1:
            yield batch
            batch = ([], [], [])


def _write(table: str, columns: list[str], rows: list[tuple]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {name} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608
                [tuple(map(_sqlite_value, row)) for row in rows],
            )


def _sqlite_value(value: object) -> object:
    # What Django's own SQLite backend stores: naive UTC datetimes and ISO dates, as text.
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _next_ids() -> tuple[int, int, int]:
    ids = []
    for model in (Incident, Article, Claim):
        newest = model.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ids.append(newest + 1)
    return ids[0], ids[1], ids[2]


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    with connection.cursor() as cursor:
        for model in (Incident, Article, Claim):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))",  # noqa: S608
                [table],
            )


@transaction.atomic
def incidents_generate(*, count: int, seed: int = 1, progress: Callable[[int], None] | None = None) -> int:
    """Insert `count` synthetic incidents with their claims and articles, in one transaction.

    Raises ValueError when the gazetteer is not loaded. Returns `count`.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Explicit ids: nobody else may take one from the sequences until they are moved past ours.
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Incident, Article, Claim))
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    source, _ = Source.objects.get_or_create(name=SYNTHETIC_SOURCE, defaults={"kind": Source.Kind.OTHER})
    for incidents, articles, claims in synthetic_rows(
        count=count, seed=seed, first_ids=_next_ids(), source_id=source.pk
    ):
        _write(Incident._meta.db_table, INCIDENT_COLUMNS, incidents)
        _write(Article._meta.db_table, ARTICLE_COLUMNS, articles)
        _write(Claim._meta.db_table, CLAIM_COLUMNS, claims)
        if progress:
            progress(len(incidents))
    _reset_sequences()
    return count


@transaction.atomic
def incidents_delete_synthetic() -> tuple[int, int]:
    """Delete every synthetic incident, claim and article. Returns (incidents, articles) deleted.

    Plain DELETE statements, not Django's collector: millions of rows, and no
    history rows are wanted for data that never existed.
    """
    # An incident merged into a synthetic one (an analyst's test) becomes a plain incident again.
    Incident.objects.filter(merged_into__synthetic=True).update(merged_into=None, review_status="unverified")
    for claims in (Claim.objects.filter(article__synthetic=True), Claim.objects.filter(incident__synthetic=True)):
        claims._raw_delete(claims.db)
    incidents = Incident.objects.filter(synthetic=True)
    deleted_incidents = incidents._raw_delete(incidents.db)
    articles = Article.objects.filter(synthetic=True)
    deleted_articles = articles._raw_delete(articles.db)
    return deleted_incidents, deleted_articles
