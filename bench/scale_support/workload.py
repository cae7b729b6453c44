"""The requests the benchmark times: varied so that no cache answers them all, the same for app and baseline.

Parameters come from the loaded data (governorates that hold incidents, points where
incidents are) and a seeded random generator, so two runs on the same database ask
the same questions. Each series is a list of (app path, baseline path) pairs that
select the same incidents.
"""

import datetime
import random
from dataclasses import dataclass
from urllib.parse import urlencode

from casualties.models import Incident

FIRST_DAY = datetime.date(2011, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
ALL_STATUSES = "unverified,verified,rejected,merged"


@dataclass(frozen=True)
class Governorate:
    country: str
    name: str
    incidents: int

    def params(self) -> dict[str, str]:
        # With the country, a name shared by divisions of several countries still means one.
        return {"country": self.country, "admin1": self.name}


def governorates(*, limit: int = 40) -> list[Governorate]:
    """The governorates holding the most visible incidents, most first."""
    from django.db.models import Count

    from casualties.filters import HIDDEN_BY_DEFAULT

    rows = (
        Incident.objects.exclude(review_status__in=HIDDEN_BY_DEFAULT)
        .filter(admin1__isnull=False)
        .values("admin1__country", "admin1__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:limit]
    )
    return [Governorate(row["admin1__country"], row["admin1__name"], row["n"]) for row in rows]


def date_range(rng: random.Random, *, min_days: int = 30, max_days: int = 365) -> dict[str, str]:
    length = rng.randint(min_days, max_days)
    start = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days - length))
    return {"date_from": start.isoformat(), "date_to": (start + datetime.timedelta(days=length)).isoformat()}


def located_points(*, count: int, seed: int) -> list[tuple[float, float]]:
    """About `count` (lon, lat) of located incidents, sampled where incidents are (so, weighted like the data)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [((seed % 1000) / 1000.0)])
        cursor.execute(
            "SELECT lon, lat FROM casualties_incident TABLESAMPLE BERNOULLI (%s) WHERE lat IS NOT NULL LIMIT %s",
            [min(100.0, max(0.001, 100.0 * count * 4 / max(1, Incident.objects.count()))), count],
        )
        return [(lon, lat) for lon, lat in cursor.fetchall()]


def bbox(rng: random.Random, centre: tuple[float, float], *, min_half: float, max_half: float) -> str:
    lon, lat = centre
    half = rng.uniform(min_half, max_half)
    box = (max(-180.0, lon - half), max(-90.0, lat - half), min(180.0, lon + half), min(90.0, lat + half))
    return ",".join(f"{value:.4f}" for value in box)


def query(params: dict[str, str | list[str]]) -> str:
    """A query string; a list value repeats the parameter (admin1=A&admin1=B)."""
    return "?" + urlencode(params, doseq=True) if params else ""


@dataclass
class Workload:
    """Every timed series: name -> list of (app path, baseline path); plus the deep pages' set-up."""

    series: dict[str, list[tuple[str, str]]]
    deep_filters: list[dict[str, str | list[str]]]
    deep_page: int


def workload_build(*, requests: int, warm_up: int, seed: int, deep_page: int, page_size: int = 100) -> Workload:
    """`requests + warm_up` pairs per series (the first `warm_up` are the untimed warm-up)."""
    rng = random.Random(seed)
    total = requests + warm_up
    divisions = governorates()
    if not divisions:
        raise RuntimeError("no incident is located to a governorate: is the database loaded?")
    points = located_points(count=total, seed=seed)
    if not points:
        raise RuntimeError("no located incident to centre the map's bounding boxes on")

    def list_params(i: int) -> dict[str, str]:
        # Governorates cycle (each asked several times, with other dates); date ranges of one to twelve months.
        return {**divisions[i % len(divisions)].params(), **date_range(rng)}

    series: dict[str, list[tuple[str, str]]] = {}
    params = [list_params(i) for i in range(total)]
    series["list_first_page"] = [(f"/api/v1/incidents/{query(p)}", f"/baseline/incidents/{query(p)}") for p in params]
    series["timeline_all"] = [("/api/v1/stats/timeline/?interval=month", "/baseline/stats/timeline/")] * total
    params = [divisions[i % len(divisions)].params() for i in range(total)]
    series["timeline_governorate"] = [
        (f"/api/v1/stats/timeline/{query({**p, 'interval': 'month'})}", f"/baseline/stats/timeline/{query(p)}")
        for p in params
    ]
    params = [date_range(rng, max_days=3 * 365) for _ in range(total)]
    series["admin1_totals"] = [
        (f"/api/v1/stats/admin1/{query(p)}", f"/baseline/stats/admin1/{query(p)}") for p in params
    ]
    # 0.1° to 1° wide: a zoomed-in map view. At 2M, boxes in dense regions still pass the 5,000-point cap.
    boxes = [bbox(rng, points[i % len(points)], min_half=0.05, max_half=0.5) for i in range(total)]
    series["map_bbox"] = [(f"/dashboard/map.json?bbox={box}", f"/baseline/map/?bbox={box}") for box in boxes]
    # The page as people open it: every fifth with no filter, the others a governorate and a date range.
    params = [{} if i % 5 == 0 else list_params(i) for i in range(total)]
    series["dashboard_page"] = [(f"/{query(p)}", f"/baseline/dashboard/{query(p)}") for p in params]

    deep_filters = deep_page_filters(divisions=divisions, rows_needed=deep_page * page_size, variants=2)
    return Workload(series=series, deep_filters=deep_filters, deep_page=deep_page)


def deep_page_filters(
    *, divisions: list[Governorate], rows_needed: int, variants: int
) -> list[dict[str, str | list[str]]]:
    """Governorate filters over the whole date span, each holding `rows_needed` incidents or more when possible.

    One governorate when it is large enough, else it and the next largest of its country
    (admin1=A&admin1=B...), so the deep page exists. Variants start from the largest
    governorates of the countries that can hold the deep page (the largest country when
    none can: at small N the deep page is then the last one, and the report says which
    page was reached).
    """
    span = {"date_from": FIRST_DAY.isoformat(), "date_to": LAST_DAY.isoformat()}
    by_country: dict[str, int] = {}
    for division in divisions:
        by_country[division.country] = by_country.get(division.country, 0) + division.incidents
    deep_enough = {country for country, held in by_country.items() if held >= rows_needed}
    if not deep_enough:
        deep_enough = {max(by_country, key=by_country.__getitem__)}
    starts = [division for division in divisions if division.country in deep_enough][:variants]
    filters = []
    for first in starts:
        names, held = [first.name], first.incidents
        for other in divisions[divisions.index(first) + 1 :]:
            if held >= rows_needed or len(names) >= 50:
                break
            if other.country == first.country:
                names.append(other.name)
                held += other.incidents
        filters.append({"country": first.country, "admin1": names, **span})
    return filters
