"""What synthetic incidents look like: every random draw, vectorised with NumPy.

One batch of incidents is drawn as whole columns (countries, days, tolls, ...)
so that no Python runs per row except the string work of the articles. The
same seed and batch size give the same data on every database: the writers
only format what is drawn here.

Shape: countries weighted to where conflict data concentrates; places from the
loaded gazetteer weighted by log population (governorates uniform within their
country); fifteen years of days, 40% spread evenly and 60% in 120 offensives a
few weeks wide; Pareto tolls (most incidents kill a few, a handful hundreds);
2% aggregates over a span of weeks, 8% two-day spans; one to three claims an
incident, each from its own article whose text holds the claim's evidence.
"""

import datetime
import math
from dataclasses import dataclass

import numpy as np
import pycountry

from casualties.models import Admin1, EventType, Place, Victims

FIRST_DAY = datetime.date(2011, 1, 1)
DAYS = 15 * 365
# Incidents are drawn this many at a time; part of the seed's meaning, so the same on every database.
BATCH = 50_000
MAX_TOLL = 5000
AGGREGATE_FACTOR = 8

# Where conflict data concentrates; the rest of the world shares what is left.
COUNTRY_WEIGHTS = {
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
OTHER_COUNTRY_WEIGHT = 0.05
EVENT_WEIGHTS = {
    EventType.AIR_DRONE_STRIKE: 22,
    EventType.SHELLING_ARTILLERY_MISSILE: 25,
    EventType.REMOTE_EXPLOSIVE: 12,
    EventType.SUICIDE_BOMB: 4,
    EventType.ARMED_CLASH: 20,
    EventType.ATTACK: 15,
    EventType.OTHER: 2,
}
ACTORS = ["", "", "government forces", "armed group", "unidentified gunmen", "coalition aircraft", "militia"]
VICTIMS = [Victims.CIVILIANS] * 5 + [Victims.COMBATANTS] * 3 + [Victims.MIXED, Victims.UNSPECIFIED]
STATUS_WEIGHTS = {"unverified": 85, "verified": 12, "rejected": 3}
CLAIM_COUNTS = (1, 1, 1, 2, 2, 3)


@dataclass(frozen=True)
class Geography:
    """The gazetteer as arrays, places grouped by country so a weighted draw is one bisection."""

    countries: list[str]
    country_names: list[str]
    country_cum: np.ndarray  # cumulative country weights
    place_id: np.ndarray
    place_name: np.ndarray  # object
    place_admin1: np.ndarray  # -1 where the place has no division
    place_lat: np.ndarray  # object: str(lat)
    place_lon: np.ndarray
    place_cum: np.ndarray  # cumulative log-population weights over all places, grouped by country
    country_place_lo: np.ndarray  # per country: its places' weight range in place_cum
    country_place_hi: np.ndarray
    country_place_first: np.ndarray  # per country: index of its first and one past its last place
    country_place_end: np.ndarray
    admin1_id: np.ndarray  # grouped by country
    admin1_name: np.ndarray  # object
    country_admin1_first: np.ndarray
    country_admin1_count: np.ndarray


def geography_load() -> Geography:
    """Read the gazetteer once. Raises ValueError when it is empty."""
    admin1_rows = sorted(Admin1.objects.values_list("country", "id", "name"))
    place_rows = sorted(
        Place.objects.values_list("country", "id", "name", "admin1_id", "lat", "lon", "population").iterator(
            chunk_size=20000
        )
    )
    countries = sorted({row[0] for row in admin1_rows} & {row[0] for row in place_rows})
    if not countries:
        raise ValueError("the gazetteer is empty: run `python manage.py load_gazetteer` first")
    index = {country: n for n, country in enumerate(countries)}
    admin1_rows = [row for row in admin1_rows if row[0] in index]
    place_rows = [row for row in place_rows if row[0] in index]

    a_country = np.array([index[row[0]] for row in admin1_rows], dtype=np.int64)
    p_country = np.array([index[row[0]] for row in place_rows], dtype=np.int64)
    weights = np.array([1.0 + math.log1p(row[6]) for row in place_rows])
    place_cum = np.cumsum(weights)
    first = np.searchsorted(p_country, np.arange(len(countries)), side="left")
    end = np.searchsorted(p_country, np.arange(len(countries)), side="right")
    lo = np.where(first > 0, place_cum[np.maximum(first - 1, 0)], 0.0)
    hi = place_cum[end - 1]
    a_first = np.searchsorted(a_country, np.arange(len(countries)), side="left")
    a_end = np.searchsorted(a_country, np.arange(len(countries)), side="right")
    return Geography(
        countries=countries,
        country_names=[_country_name(c) for c in countries],
        country_cum=np.cumsum([float(COUNTRY_WEIGHTS.get(c, OTHER_COUNTRY_WEIGHT)) for c in countries]),
        place_id=np.array([row[1] for row in place_rows], dtype=np.int64),
        place_name=np.array([row[2] for row in place_rows], dtype=object),
        place_admin1=np.array([-1 if row[3] is None else row[3] for row in place_rows], dtype=np.int64),
        place_lat=np.array([repr(row[4]) for row in place_rows], dtype=object),
        place_lon=np.array([repr(row[5]) for row in place_rows], dtype=object),
        place_cum=place_cum,
        country_place_lo=lo,
        country_place_hi=hi,
        country_place_first=first,
        country_place_end=end,
        admin1_id=np.array([row[1] for row in admin1_rows], dtype=np.int64),
        admin1_name=np.array([row[2] for row in admin1_rows], dtype=object),
        country_admin1_first=a_first,
        country_admin1_count=a_end - a_first,
    )


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


@dataclass(frozen=True)
class Draws:
    """One batch of incidents as columns (index i), and their claims (index j, incident `of[j]`)."""

    country: np.ndarray  # index into Geography.countries
    day: np.ndarray  # days since FIRST_DAY
    span: np.ndarray  # date_end - date_start, in days
    aggregate: np.ndarray  # bool
    location: np.ndarray  # 0 place, 1 admin1, 2 country
    place: np.ndarray  # index into the place arrays, -1 for none
    admin1: np.ndarray  # admin1 id, -1 for none
    killed: np.ndarray
    killed_max: np.ndarray
    injured: np.ndarray  # -1 for none
    children: np.ndarray  # -1 for none
    women: np.ndarray  # -1 for none
    event: np.ndarray  # index into EVENT_WEIGHTS
    victims: np.ndarray  # index into VICTIMS
    actor: np.ndarray  # index into ACTORS
    status: np.ndarray  # index into STATUS_WEIGHTS
    of: np.ndarray  # per claim: its incident's index in the batch
    claim_number: np.ndarray  # per claim: 0 for the claim that opened the incident
    claim_toll: np.ndarray
    published_hour: np.ndarray  # per claim: hour of the day after the incident ended


def _weighted(rng: np.random.Generator, cumulative: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right"), len(cumulative) - 1)


def _tolls(rng: np.random.Generator, n: int) -> np.ndarray:
    # Pareto with shape 1.2 (NumPy draws it shifted to start at 0), plus a little noise.
    return np.minimum(np.floor(rng.pareto(1.2, n)).astype(np.int64) + rng.integers(0, 3, n), MAX_TOLL)


def bursts_draw(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """120 offensives: a centre day and a width of 3 to 30 days each."""
    return rng.integers(0, DAYS, 120), rng.uniform(3, 30, 120)


def draws_make(*, rng: np.random.Generator, geo: Geography, bursts: tuple[np.ndarray, np.ndarray], n: int) -> Draws:
    country = _weighted(rng, geo.country_cum, n)
    centre, width = bursts
    burst = rng.integers(0, len(centre), n)
    in_burst = np.clip(np.rint(rng.normal(centre[burst], width[burst])), 0, DAYS - 1).astype(np.int64)
    day = np.where(rng.random(n) < 0.4, rng.integers(0, DAYS, n), in_burst)
    aggregate = rng.random(n) < 0.02
    span = np.where(aggregate, rng.integers(7, 60, n), (rng.random(n) < 0.08).astype(np.int64))

    roll = rng.random(n)
    has_places = geo.country_place_end[country] > geo.country_place_first[country]
    at_place = (roll < 0.72) & ~aggregate & has_places
    at_admin1 = ~at_place & (roll < 0.93) & (geo.country_admin1_count[country] > 0)
    lo, hi = geo.country_place_lo[country], geo.country_place_hi[country]
    drawn_place = np.searchsorted(geo.place_cum, lo + rng.random(n) * (hi - lo), side="right")
    # Float rounding at a country's upper edge must not step into the next country.
    drawn_place = np.clip(drawn_place, geo.country_place_first[country], geo.country_place_end[country] - 1)
    drawn_admin1 = geo.country_admin1_first[country] + np.floor(
        rng.random(n) * geo.country_admin1_count[country]
    ).astype(np.int64)
    place = np.where(at_place, drawn_place, -1)
    admin1 = np.where(
        at_place,
        geo.place_admin1[np.maximum(drawn_place, 0)],
        np.where(at_admin1, geo.admin1_id[np.minimum(drawn_admin1, len(geo.admin1_id) - 1)], -1),
    )
    location = np.where(at_place, 0, np.where(at_admin1, 1, 2))

    killed = _tolls(rng, n) * np.where(aggregate, AGGREGATE_FACTOR, 1)
    claims = np.asarray(CLAIM_COUNTS)[rng.integers(0, len(CLAIM_COUNTS), n)]
    # Sources disagree on some incidents with several claims: the later claims give a higher toll.
    spread = np.where((claims > 1) & (rng.random(n) < 0.5), rng.integers(1, 6, n), 0)
    injured = np.where(rng.random(n) < 0.6, _tolls(rng, n) * 2, -1)
    children = np.where((killed > 0) & (rng.random(n) < 0.2), np.floor(rng.random(n) * (killed + 1)) // 3, -1)
    women = np.where((killed > 0) & (rng.random(n) < 0.15), np.floor(rng.random(n) * (killed + 1)) // 4, -1)
    event = _weighted(rng, np.cumsum(list(EVENT_WEIGHTS.values())), n)
    victims = rng.integers(0, len(VICTIMS), n)
    actor = rng.integers(0, len(ACTORS), n)
    status = _weighted(rng, np.cumsum(list(STATUS_WEIGHTS.values())), n)

    of = np.repeat(np.arange(n), claims)
    first_claim = np.repeat(np.cumsum(claims) - claims, claims)
    claim_number = np.arange(len(of)) - first_claim
    return Draws(
        country=country,
        day=day,
        span=span,
        aggregate=aggregate,
        location=location,
        place=place,
        admin1=admin1,
        killed=killed,
        killed_max=killed + spread,
        injured=injured,
        children=children.astype(np.int64),
        women=women.astype(np.int64),
        event=event,
        victims=victims,
        actor=actor,
        status=status,
        of=of,
        claim_number=claim_number,
        claim_toll=killed[of] + np.where(claim_number > 0, spread[of], 0),
        published_hour=rng.integers(6, 23, len(of)),
    )
