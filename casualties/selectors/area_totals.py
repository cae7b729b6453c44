"""The totals of many (area, period) pairs under one review filter, in one query written as SQL.

The reported period totals' coverages (casualties.selectors.aggregates) ask this for every toll the
page lists: the incidents of the toll's division (else its country) and period. Each pair is answered as
casualties.selectors.count_query answers a filter (whole months from the month x division counts, the
days at either end from the day counts, the spans crossing its first day from the incident table), but
the parts of every pair go into one UNION ALL written here, not built and compiled by the ORM part by
part: at 2M incidents and 15 tolls that was about 60 ms of Python before the database saw a query, and
three queries with parallel workers where one will do.

`tests/casualties/test_unknown_and_reported.py` holds each coverage equal to the same filter's totals.
"""

import datetime
from dataclasses import dataclass

from django.db import connection

from casualties.dates import shift_date
from casualties.filters import HIDDEN_BY_DEFAULT
from casualties.models import Incident, IncidentDayCount, IncidentMonthDivisionCount
from casualties.models.rollups import MEASURE_SQL, ROLLUP_MEASURES
from casualties.selectors.count_query import CountQuery, longest_span_days, whole_months
from casualties.selectors.stats import TOTAL_FIGURES, TOTAL_MEASURES, unknown_as_none

# The count column behind each of the totals (a figure by the name the totals give it, a count by its own).
_SOURCES = {name: TOTAL_FIGURES.get(name, name) for name in TOTAL_MEASURES}


@dataclass(frozen=True)
class Area:
    """A country, or one of its divisions, over [date_from, date_to]."""

    country: str
    admin1_id: int | None
    date_from: datetime.date
    date_to: datetime.date


def _key_conditions(query: CountQuery) -> tuple[list[str], list]:
    """The review and aggregate conditions of `query` as SQL over a count table or the incident table (whose
    columns share those names), with its parameters. Countries and divisions come from each area instead."""
    conditions: list[str] = []
    params: list = []
    statuses = query.review_statuses
    if statuses:
        conditions.append(f"review_status IN ({', '.join(['%s'] * len(statuses))})")
        params += list(statuses)
    else:
        conditions.append(f"review_status NOT IN ({', '.join(['%s'] * len(HIDDEN_BY_DEFAULT))})")
        params += [str(status) for status in HIDDEN_BY_DEFAULT]
    if query.aggregate is not None:
        conditions.append("aggregate = %s")
        params.append(query.aggregate)
    return conditions, params


def _date(value: datetime.date):
    return connection.ops.adapt_datefield_value(value)


def area_totals_many(*, base: CountQuery, areas: list[Area]) -> list[dict[str, int | None]]:
    """For each area, what casualties.selectors.rollups.rollup_totals gives for `base` narrowed to the area's
    country, division and dates. Two queries whatever the number of areas (the longest span, then the sums).

    `base` must need neither event types nor places of its own (the coverage's review filter): its review
    statuses and aggregate apply to every area.
    """
    if not areas:
        return []
    if base.event_types or base.countries or base.admin1_ids or base.date_from or base.date_to:
        raise ValueError("area_totals_many takes a filter of review status and aggregate only")
    longest = longest_span_days()
    months_table = IncidentMonthDivisionCount._meta.db_table
    days_table = IncidentDayCount._meta.db_table
    incidents_table = Incident._meta.db_table
    counted = ", ".join(ROLLUP_MEASURES)
    # The incident rows' measures as the counts hold them (casualties.models.rollups.MEASURE_SQL).
    measured = ", ".join(f"{MEASURE_SQL[m].format(r=incidents_table)} AS {m}" for m in ROLLUP_MEASURES)
    keys, key_params = _key_conditions(base)
    nonzero = "(incidents > 0 OR incidents < 0)"  # skip rows of zeros left by deletions
    selects: list[str] = []
    params: list = []

    def add(n: int, table: str, columns: str, conditions: list[str], values: list) -> None:
        where = " AND ".join(conditions)
        selects.append(f"SELECT {n} AS area, {columns} FROM {table} WHERE {where}")  # noqa: S608 - see below
        params.extend(values)

    for n, area in enumerate(areas):
        place = ["country = %s"]
        place_params: list = [area.country]
        if area.admin1_id is not None:
            place.append("admin1_key = %s")
            place_params.append(area.admin1_id)
        counts_where = [*place, *keys, nonzero]
        counts_params = [*place_params, *key_params]
        first_whole, end_whole = whole_months(area.date_from, area.date_to)
        if first_whole < end_whole:
            add(
                n,
                months_table,
                counted,
                [*counts_where, "month >= %s", "month < %s"],
                [*counts_params, _date(first_whole), _date(end_whole)],
            )
            day_ranges = []
            if first_whole != area.date_from:
                day_ranges.append((area.date_from, first_whole - datetime.timedelta(days=1)))
            if end_whole - datetime.timedelta(days=1) != area.date_to:
                day_ranges.append((end_whole, area.date_to))
        else:
            day_ranges = [(area.date_from, area.date_to)]
        for first, last in day_ranges:
            add(
                n,
                days_table,
                counted,
                [*counts_where, "day >= %s", "day <= %s"],
                [*counts_params, _date(first), _date(last)],
            )
        if longest is not None:
            # The incidents starting before date_from and ending on or after it (count_query.crossing_spans).
            spans_where = [c.replace("admin1_key", "admin1_id") for c in place]
            add(
                n,
                incidents_table,
                measured,
                [
                    *spans_where,
                    *keys,
                    "date_start < %s",
                    "date_start >= %s",
                    "date_end >= %s",
                    "date_end > date_start",
                ],
                [
                    *place_params,
                    *key_params,
                    _date(area.date_from),
                    _date(shift_date(area.date_from, -longest)),
                    _date(area.date_from),
                ],
            )
    sums = ", ".join(f"CAST(SUM({measure}) AS BIGINT)" for measure in ROLLUP_MEASURES)
    # Every name formatted in is a table or column of ours; the values are parameters.
    sql = f"SELECT area, {sums} FROM ({' UNION ALL '.join(selects)}) AS parts GROUP BY area"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {area: dict(zip(ROLLUP_MEASURES, values, strict=True)) for area, *values in cursor.fetchall()}
    empty = dict.fromkeys(ROLLUP_MEASURES, 0)
    return [
        unknown_as_none({name: rows.get(n, empty)[column] or 0 for name, column in _SOURCES.items()})
        for n in range(len(areas))
    ]
