"""Which pre-aggregated count rows answer a filter, and which incidents they leave out.

`count_query_from(filterset)` decides whether a query can be answered from the
counts: it can when every filter given is one the counts are keyed by
(country, admin1, dates, event type, review status, aggregate). Anything else
(place, bbox, actor, victims, killed_min, text, updated_since) returns None and
the caller reads the incident table as before.

How the dates stay exact: the counts are keyed by date_start, while date_from
selects incidents whose span *ends* on or after it. So a query is answered in
two disjoint parts: the counts for date_start in [date_from, date_to]
(`count_rows`), plus the incidents that start before date_from and end on or
after it (`CountQuery.crossing_spans`: spans crossing it, a few percent of
incidents, found through a partial index), read from the incident table and
added in. Whole months come from the month table, the days at either end from
the day table. casualties.selectors.rollups reads them.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Sum

from casualties.dates import shift_date
from casualties.filters import HIDDEN_BY_DEFAULT, IncidentFilterSet
from casualties.models import (
    Incident,
    IncidentAllTimeCount,
    IncidentDayCount,
    IncidentMonthCount,
    IncidentMonthDivisionCount,
    IncidentMonthWorldCount,
)
from casualties.models.rollups import ROLLUP_MEASURES

# Filters the counts are keyed by; any other filter given sends the query to the incident table.
_ROLLUP_FILTERS = {"country", "admin1", "date_from", "date_to", "event_type", "aggregate", "review_status"}


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
        """The spans crossing date_from (see crossing_spans), its longest-span probe run once a query."""
        return crossing_spans(self, longest=longest_span_days() if self.date_from is not None else None)


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


def key_filter(query: CountQuery) -> Q:
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


def count_rows(
    query: CountQuery,
    *,
    by_day: bool = False,
    timeless: bool = False,
    places: bool = True,
    event_types: bool = False,
) -> list[QuerySet]:
    """Querysets over the count tables that together cover date_start in [date_from, date_to] exactly once.

    The smallest tables that can answer: with no dates and no period wanted
    (`timeless`), the all-time table; whole months from the world table when
    neither the filter nor the caller (`places`) needs a country or division,
    else from the month x division table when neither the filter nor the caller
    (`event_types`) needs the event type, else from the month table; the rest,
    and day and week periods (`by_day`), from the day table. Each queryset of a
    dated table has a `period_day` annotation: the day, or the first of the month.
    """
    keys = key_filter(query)
    dated = query.date_from is not None or query.date_to is not None
    if timeless and not dated:
        return [IncidentAllTimeCount.objects.filter(keys)]
    days = IncidentDayCount.objects.filter(keys).annotate(period_day=F("day"))
    if by_day:
        return [day_range(days, "day", query.date_from, query.date_to)]
    world = not places and not query.countries and not query.admin1_ids
    division = not event_types and not query.event_types
    month_table = IncidentMonthWorldCount if world else (IncidentMonthDivisionCount if division else IncidentMonthCount)
    months = month_table.objects.filter(keys).annotate(period_day=F("month"))
    # The whole months inside [date_from, date_to]; the days before and after them come from the day table.
    first_whole, end_whole = whole_months(query.date_from, query.date_to)
    if first_whole is not None and end_whole is not None and first_whole >= end_whole:
        return [day_range(days, "day", query.date_from, query.date_to)]
    parts = [day_range(months, "month", first_whole, None if end_whole is None else end_whole - datetime.timedelta(1))]
    if query.date_from is not None and first_whole != query.date_from:
        parts.append(day_range(days, "day", query.date_from, first_whole - datetime.timedelta(days=1)))
    if query.date_to is not None and end_whole - datetime.timedelta(days=1) != query.date_to:
        parts.append(day_range(days, "day", end_whole, query.date_to))
    return parts


def whole_months(
    date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The first day of the first whole month inside [date_from, date_to], and the first day after the last whole
    month (None for an open end). No whole month lies inside when the first is not before the second."""
    first_whole = None if date_from is None else (date_from if date_from.day == 1 else _next_month(date_from))
    end_whole = (
        None
        if date_to is None
        else (
            _next_month(date_to)
            if _next_month(date_to) - datetime.timedelta(days=1) == date_to
            else _month_start(date_to)
        )
    )
    return first_whole, end_whole


def day_range(rows: QuerySet, column: str, first: datetime.date | None, last: datetime.date | None) -> QuerySet:
    """The rows whose date `column` lies in [first, last]; a None end is open."""
    if first is not None:
        rows = rows.filter(**{f"{column}__gte": first})
    if last is not None:
        rows = rows.filter(**{f"{column}__lte": last})
    return rows


def crossing_spans(query: CountQuery, *, longest: int | None) -> QuerySet[Incident]:
    """The matching incidents that start before date_from (and so end on or after it): not in the counts' range.

    `longest`: longest_span_days(), read once by a reader answering several queries at once.
    """
    if query.date_from is None or longest is None:
        return query.incidents.none()
    # Bounded by the longest span, so the (date_start, date_end) index reads a few weeks, not years;
    # date_end > date_start restates what the others imply, for the partial index of spans.
    return query.incidents.filter(
        date_start__lt=query.date_from,
        date_start__gte=shift_date(query.date_from, -longest),  # a stored span of millennia must not overflow
        date_end__gt=F("date_start"),
    )


def longest_span_days() -> int | None:
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


def measure_sums(rows: QuerySet, *group: str) -> list[dict[str, Any]]:
    """The sum of every ROLLUP_MEASURES column over the count rows, one dict per `group` key (one in all without)."""
    sums = {m: Sum(m) for m in ROLLUP_MEASURES}
    if not group:  # .values() with no field would group by every column
        return [rows.order_by().aggregate(**sums)]
    return list(rows.order_by().values(*group).annotate(**sums))


def grouped_sums_sql(parts: list[QuerySet], group: tuple[str, ...], measures: tuple[str, ...]) -> tuple[str, list]:
    """The SQL (and its parameters) of grouped_sums: every row of `parts` together, one row per `group` key whose
    incidents do not sum to 0, the `group` columns then each of `measures` summed as a BIGINT under its own name.
    For a caller that wraps it in a query of its own (casualties.selectors.rollups.rollup_totals_by_admin1)."""
    selects, params = [], []
    for part in parts:
        sql, part_params = part.order_by().values_list(*group, *measures).query.sql_with_params()
        selects.append(sql)
        params.extend(part_params)
    keys = ", ".join(group)
    sums = ", ".join(f"CAST(SUM({measure}) AS BIGINT) AS {measure}" for measure in measures)
    # Every name formatted in is a column of the count tables or a table name; the values are parameters.
    sql = (
        f"SELECT {keys}, {sums} FROM ({' UNION ALL '.join(selects)}) AS parts "  # noqa: S608
        f"GROUP BY {keys} HAVING SUM(incidents) <> 0"
    )
    return sql, params


def grouped_sums(parts: list[QuerySet], group: tuple[str, ...], measures: tuple[str, ...]) -> list[tuple]:
    """measure_sums over every row of `parts` together in one query, as tuples: the `group` columns, then the
    sum of each of `measures` (which include "incidents") as an int, one per key whose incidents do not sum to 0.
    The join of the parts and the grouping stay in the database: a date range's month and day rows come back as
    one row per key.
    """
    sql, params = grouped_sums_sql(parts, group, measures)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_date(value: Any) -> datetime.date:
    """A date as the database returned it (a date, a datetime, or SQLite's text) as a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value
