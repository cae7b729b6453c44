"""Totals, timelines and governorate counts read from the pre-aggregated tables instead of the incidents.

`count_query_from(filterset)` decides whether a query can be answered from the
counts: it can when every filter given is one the counts are keyed by
(country, admin1, dates, event type, review status, aggregate). Anything else
(place, bbox, actor, victims, killed_min, text, updated_since) returns None and
the caller reads the incident table as before.

How the dates stay exact: the counts are keyed by date_start, while date_from
selects incidents whose span *ends* on or after it. So a query is answered in
two disjoint parts: the counts for date_start in [date_from, date_to], plus the
incidents that start before date_from and end on or after it (spans crossing
it, a few percent of incidents, found through a partial index), read from the
incident table and added in. Whole months come from the month table, the days
at either end from the day table.

Each function returns exactly what its counterpart in casualties.selectors.stats
or casualties.selectors.dashboard returns for the same filters;
tests/casualties/test_rollups.py holds them to it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek

from casualties.dates import shift_date
from casualties.filters import HIDDEN_BY_DEFAULT, IncidentFilterSet
from casualties.models import (
    Admin1,
    Incident,
    IncidentAllTimeCount,
    IncidentDayCount,
    IncidentMonthCount,
    IncidentMonthWorldCount,
)
from casualties.models.rollups import NO_ADMIN1, ROLLUP_KEY, ROLLUP_MEASURES, WORLD_KEY
from casualties.selectors.stats import incident_timeline, incident_totals_by_admin1

# Filters the counts are keyed by; any other filter given sends the query to the incident table.
_ROLLUP_FILTERS = {"country", "admin1", "date_from", "date_to", "event_type", "aggregate", "review_status"}
_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
_TIMELINE_MEASURES = {"killed": "killed_max", "killed_min": "killed_min", "injured": "injured_max"}
_GROUP_COLUMNS = {"admin1": "admin1_key", "country": "country", "event_type": "event_type"}


@dataclass(frozen=True)
class CountQuery:
    """A filter the counts can answer, and the incidents filtered the same way (for the spans part)."""

    countries: tuple[str, ...]
    admin1_ids: tuple[int, ...]
    date_from: datetime.date | None
    date_to: datetime.date | None
    event_types: tuple[str, ...]
    review_statuses: tuple[str, ...]  # empty: every status but merged and rejected
    aggregate: bool | None
    incidents: QuerySet[Incident]

    @cached_property
    def crossing_spans(self) -> QuerySet[Incident]:
        """The spans crossing date_from (see _crossing_spans), its longest-span probe run once per query."""
        return _crossing_spans(self)


def count_query_from(filterset: IncidentFilterSet) -> CountQuery | None:
    """The CountQuery for a *valid* filterset, or None when a filter needs the incident table."""
    # One CountQuery a filterset: the page's several readers then share its spans probe.
    if hasattr(filterset, "_count_query"):
        return filterset._count_query
    data = filterset.form.cleaned_data
    given = {name for name, value in data.items() if value not in (None, "", [])}
    query = None if given - _ROLLUP_FILTERS else _count_query(data, filterset.qs)
    filterset._count_query = query
    return query


def _count_query(data: dict[str, Any], incidents: QuerySet[Incident]) -> CountQuery:
    return CountQuery(
        countries=tuple(data.get("country") or ()),
        admin1_ids=tuple(data.get("admin1") or ()),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        event_types=tuple(data.get("event_type") or ()),
        review_statuses=tuple(data.get("review_status") or ()),
        aggregate=data.get("aggregate"),
        incidents=incidents,
    )


def _key_filter(query: CountQuery) -> Q:
    condition = Q(incidents__gt=0) | Q(incidents__lt=0)  # skip rows of zeros left by deletions
    if query.countries:
        condition &= Q(country__in=query.countries)
    if query.admin1_ids:
        condition &= Q(admin1_key__in=query.admin1_ids)
    if query.event_types:
        condition &= Q(event_type__in=query.event_types)
    if query.review_statuses:
        condition &= Q(review_status__in=query.review_statuses)
    else:
        condition &= ~Q(review_status__in=HIDDEN_BY_DEFAULT)
    if query.aggregate is not None:
        condition &= Q(aggregate=query.aggregate)
    return condition


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _count_rows(
    query: CountQuery, *, by_day: bool = False, timeless: bool = False, places: bool = True
) -> list[QuerySet]:
    """Querysets over the count tables that together cover date_start in [date_from, date_to] exactly once.

    The smallest tables that can answer: with no dates and no period wanted
    (`timeless`), the all-time table; whole months from the month table, or the
    world table when neither the filter nor the caller (`places`) needs a
    country or division; the rest, and day and week periods (`by_day`), from
    the day table. Each queryset of a dated table has a `period_day`
    annotation: the day, or the first of the month.
    """
    keys = _key_filter(query)
    dated = query.date_from is not None or query.date_to is not None
    if timeless and not dated:
        return [IncidentAllTimeCount.objects.filter(keys)]
    days = IncidentDayCount.objects.filter(keys).annotate(period_day=F("day"))
    if by_day:
        return [_day_range(days, "day", query.date_from, query.date_to)]
    world = not places and not query.countries and not query.admin1_ids
    month_table = IncidentMonthWorldCount if world else IncidentMonthCount
    months = month_table.objects.filter(keys).annotate(period_day=F("month"))
    # The whole months inside [date_from, date_to]; the days before and after them come from the day table.
    first_whole = (
        None
        if query.date_from is None
        else (query.date_from if query.date_from.day == 1 else _next_month(query.date_from))
    )
    end_whole = (
        None
        if query.date_to is None
        else (
            _next_month(query.date_to)
            if _next_month(query.date_to) - datetime.timedelta(days=1) == query.date_to
            else _month_start(query.date_to)
        )
    )
    if first_whole is not None and end_whole is not None and first_whole >= end_whole:
        return [_day_range(days, "day", query.date_from, query.date_to)]
    parts = [_day_range(months, "month", first_whole, None if end_whole is None else end_whole - datetime.timedelta(1))]
    if query.date_from is not None and first_whole != query.date_from:
        parts.append(_day_range(days, "day", query.date_from, first_whole - datetime.timedelta(days=1)))
    if query.date_to is not None and end_whole - datetime.timedelta(days=1) != query.date_to:
        parts.append(_day_range(days, "day", end_whole, query.date_to))
    return parts


def _day_range(rows: QuerySet, column: str, first: datetime.date | None, last: datetime.date | None) -> QuerySet:
    if first is not None:
        rows = rows.filter(**{f"{column}__gte": first})
    if last is not None:
        rows = rows.filter(**{f"{column}__lte": last})
    return rows


def _crossing_spans(query: CountQuery) -> QuerySet[Incident]:
    """The matching incidents that start before date_from (and so end on or after it): not in the counts' range."""
    if query.date_from is None:
        return query.incidents.none()
    longest = _longest_span_days()
    if longest is None:
        return query.incidents.none()
    # Bounded by the longest span, so the (date_start, date_end) index reads a few weeks, not years;
    # date_end > date_start restates what the others imply, for the partial index of spans.
    return query.incidents.filter(
        date_start__lt=query.date_from,
        date_start__gte=shift_date(query.date_from, -longest),  # a stored span of millennia must not overflow
        date_end__gt=F("date_start"),
    )


def _longest_span_days() -> int | None:
    """The most days any incident's date_end lies after its date_start; None when no incident spans days.

    On PostgreSQL an expression index (migration 0005) makes this one index probe.
    """
    if connection.vendor == "postgresql":
        sql = "SELECT MAX(date_end - date_start) FROM casualties_incident WHERE date_end > date_start"
    else:
        sql = "SELECT CAST(MAX(julianday(date_end) - julianday(date_start)) AS INTEGER) FROM casualties_incident"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        (days,) = cursor.fetchone()
    return int(days) if days else None


def _sums(rows: QuerySet, *group: str) -> list[dict[str, Any]]:
    sums = {m: Sum(m) for m in ROLLUP_MEASURES}
    if not group:  # .values() with no field would group by every column
        return [rows.order_by().aggregate(**sums)]
    return list(rows.order_by().values(*group).annotate(**sums))


def rollup_totals(*, query: CountQuery) -> dict[str, int]:
    """As casualties.selectors.dashboard.incident_totals: killed, killed_min, injured, children, women, incidents."""
    from casualties.selectors.dashboard import incident_totals

    totals = dict.fromkeys(ROLLUP_MEASURES, 0)
    for part in _count_rows(query, timeless=True, places=False):
        for row in _sums(part):
            for measure in ROLLUP_MEASURES:
                totals[measure] += row[measure] or 0
    spans = incident_totals(incidents=query.crossing_spans)
    return {
        "killed": totals["killed_max"] + spans["killed"],
        "killed_min": totals["killed_min"] + spans["killed_min"],
        "injured": totals["injured_max"] + spans["injured"],
        "children": totals["children_killed"] + spans["children"],
        "women": totals["women_killed"] + spans["women"],
        "incidents": totals["incidents"] + spans["incidents"],
    }


def rollup_count(*, query: CountQuery) -> int:
    """How many incidents match: what a paginator would get from COUNT(*)."""
    return rollup_totals(query=query)["incidents"]


def _admin1_rows(keys: set[int]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in Admin1.objects.filter(id__in=keys).values("id", "country", "code", "name")}


def rollup_timeline(*, query: CountQuery, interval: str = "month", group_by: str | None = None) -> list[dict[str, Any]]:
    """As casualties.selectors.stats.incident_timeline, for the same filters."""
    truncate = _TRUNC[interval]
    group_column = _GROUP_COLUMNS.get(group_by) if group_by else None
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ROLLUP_MEASURES, 0))
    places = group_by in ("admin1", "country")
    for part in _count_rows(query, by_day=interval != "month", places=places):
        grouped = part.annotate(period=truncate("period_day"))
        for row in _sums(grouped, "period", *([group_column] if group_column else [])):
            bucket = totals[(_as_date(row["period"]), row[group_column] if group_column else None)]
            for measure in ROLLUP_MEASURES:
                bucket[measure] += row[measure] or 0
    names = _admin1_rows({key for _period, key in totals if key}) if group_by == "admin1" else {}
    merged: dict[tuple, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("killed", "killed_min", "injured", "incidents"), 0)
    )
    for (period, key), sums in totals.items():
        if sums["incidents"] == 0:
            continue
        group = (names[key]["name"] if key else None) if group_by == "admin1" else key
        row = merged[(period, group)]
        for name, measure in _TIMELINE_MEASURES.items():
            row[name] += sums[measure]
        row["incidents"] += sums["incidents"]
    for span_row in incident_timeline(incidents=query.crossing_spans, interval=interval, group_by=group_by):
        row = merged[(span_row["period"], span_row.get("group"))]
        for name in ("killed", "killed_min", "injured", "incidents"):
            row[name] += span_row[name]
    ordered = sorted(merged.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or ""))
    return [{"period": period, **({"group": group} if group_by else {}), **sums} for (period, group), sums in ordered]


# The name casualties.charts gives the groups it lumps together, so the chart draws one Other series.
OTHER_GROUP = "Other"


def rollup_timeline_top_groups(
    *, query: CountQuery, interval: str, group_by: str, measure: str, top: int
) -> list[dict[str, Any]]:
    """A timeline grouped by admin1 or country with only the `top` largest groups (by `measure`), the rest summed
    into one group named OTHER_GROUP: what a stacked chart shows, without fetching every division's series.

    With few groups it is rollup_timeline itself. Incidents with no division are counted in OTHER_GROUP.
    """
    ranked: dict[str, int] = defaultdict(int)
    for row in rollup_totals_by_admin1(query=query):
        name = row["name"] if group_by == "admin1" else row["country"]
        if name is not None:
            ranked[name] += row[measure]
    if len(ranked) <= top + 1:
        return rollup_timeline(query=query, interval=interval, group_by=group_by)
    names = sorted(ranked, key=lambda name: (-ranked[name], name))[:top]
    if group_by == "admin1":
        wanted = set(Admin1.objects.filter(name__in=names).values_list("id", flat=True))
        ids = tuple(sorted(wanted & set(query.admin1_ids))) if query.admin1_ids else tuple(sorted(wanted))
        narrowed = replace(query, admin1_ids=ids, incidents=query.incidents.filter(admin1_id__in=ids))
    else:
        countries = tuple(name for name in names if not query.countries or name in query.countries)
        narrowed = replace(query, countries=countries, incidents=query.incidents.filter(country__in=countries))
    rows = [
        row for row in rollup_timeline(query=narrowed, interval=interval, group_by=group_by) if row["group"] in names
    ]
    measures = ("killed", "killed_min", "injured", "incidents")
    other = {row["period"]: dict(row) for row in rollup_timeline(query=query, interval=interval)}
    for row in rows:
        for name in measures:
            other[row["period"]][name] -= row[name]
    rows += [
        {"period": period, "group": OTHER_GROUP, **{name: sums[name] for name in measures}}
        for period, sums in other.items()
        if sums["incidents"]
    ]
    return sorted(rows, key=lambda row: (row["period"], row["group"] == OTHER_GROUP, row["group"]))


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def rollup_totals_by_admin1(*, query: CountQuery) -> list[dict[str, Any]]:
    """As casualties.selectors.stats.incident_totals_by_admin1, for the same filters."""
    totals: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(ROLLUP_MEASURES, 0))
    for part in _count_rows(query, timeless=True):
        for row in _sums(part, "country", "admin1_key"):
            bucket = totals[(row["country"], row["admin1_key"])]
            for measure in ROLLUP_MEASURES:
                bucket[measure] += row[measure] or 0
    rows: dict[tuple[str, int | None], dict[str, Any]] = {}
    divisions = _admin1_rows({key for _country, key in totals if key != NO_ADMIN1})
    for (country, key), sums in totals.items():
        if sums["incidents"] == 0:
            continue
        admin1_id = None if key == NO_ADMIN1 else key
        division = divisions.get(admin1_id, {})
        rows[(country, admin1_id)] = {
            "admin1_id": admin1_id,
            # The slow path reads the incident's country, which for a division is the division's.
            "country": country,
            "code": division.get("code"),
            "name": division.get("name"),
            "killed": sums["killed_max"],
            "killed_min": sums["killed_min"],
            "injured": sums["injured_max"],
            "incidents": sums["incidents"],
        }
    for span_row in incident_totals_by_admin1(incidents=query.crossing_spans):
        row = rows.setdefault(
            (span_row["country"], span_row["admin1_id"]),
            {**span_row, **dict.fromkeys(("killed", "killed_min", "injured", "incidents"), 0)},
        )
        for name in ("killed", "killed_min", "injured", "incidents"):
            row[name] += span_row[name]
    return sorted(
        rows.values(), key=lambda row: (-row["killed"], row["country"], row["name"] is None, row["name"] or "")
    )


def rollup_admin1_counts(*, query: CountQuery) -> dict[int, int]:
    """{admin1 id: incidents} over the divisions with any: as the counts admin1_list_with_counts attaches."""
    counts: dict[int, int] = defaultdict(int)
    for part in _count_rows(query, timeless=True):
        for row in part.exclude(admin1_key=NO_ADMIN1).order_by().values("admin1_key").annotate(n=Sum("incidents")):
            counts[row["admin1_key"]] += row["n"] or 0
    for admin1_id, n in (
        query.crossing_spans.filter(admin1__isnull=False).order_by().values_list("admin1_id").annotate(n=Count("id"))
    ):
        counts[admin1_id] += n
    return {key: n for key, n in counts.items() if n}


def rollup_date_span(*, query: CountQuery) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last date_start among the matching incidents: (None, None) when none match."""
    days = _day_range(IncidentDayCount.objects.filter(_key_filter(query)), "day", query.date_from, query.date_to)
    span = days.aggregate(first=Min("day"), last=Max("day"))
    spans = query.crossing_spans.aggregate(first=Min("date_start"), last=Max("date_start"))
    firsts = [_as_date(day) for day in (span["first"], spans["first"]) if day is not None]
    lasts = [_as_date(day) for day in (span["last"], spans["last"]) if day is not None]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def incident_rollups_verify() -> list[dict[str, Any]]:
    """Every key where a count table differs from a fresh GROUP BY over the incidents; empty when they agree."""
    tables = (
        (IncidentDayCount, "day", TruncDay, ROLLUP_KEY),
        (IncidentMonthCount, "month", TruncMonth, ROLLUP_KEY),
        (IncidentAllTimeCount, None, None, ROLLUP_KEY),
        (IncidentMonthWorldCount, "month", TruncMonth, WORLD_KEY),
    )
    sums = {"incidents": Count("id"), **{m: Sum(m) for m in ROLLUP_MEASURES[1:]}}
    differences = []
    for model, column, truncate, keys in tables:
        plain = [key for key in keys if key != "admin1_key"]
        computed: dict[str, Any] = {column: truncate("date_start")} if column else {}
        if "admin1_key" in keys:
            computed["admin1_key"] = Coalesce("admin1_id", NO_ADMIN1)
        fresh_rows = Incident.objects.order_by().values(*plain, **computed).annotate(**sums)
        columns = [column, *keys] if column else list(keys)
        fresh = {_row_key(row, columns): row for row in fresh_rows}
        stored = {_row_key(row, columns): row for row in model.objects.values(*columns, *ROLLUP_MEASURES)}
        for key in fresh.keys() | stored.keys():
            want = {m: (fresh.get(key) or {}).get(m) or 0 for m in ROLLUP_MEASURES}
            have = {m: (stored.get(key) or {}).get(m) or 0 for m in ROLLUP_MEASURES}
            if want != have:
                differences.append({"table": model._meta.db_table, "key": key, "expected": want, "stored": have})
    return differences


def _row_key(row: dict[str, Any], columns: list[str]) -> tuple:
    def normal(name: str) -> Any:
        value = row[name]
        if name in ("day", "month"):
            return _as_date(value)
        return bool(value) if name == "aggregate" else value

    return tuple(normal(name) for name in columns)
