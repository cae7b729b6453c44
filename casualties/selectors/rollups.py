"""Totals, timelines and governorate counts read from the pre-aggregated tables instead of the incidents.

Each function takes a CountQuery (casualties.selectors.count_query: which
filters the counts can answer, and how the dates stay exact) and returns
exactly what its counterpart in casualties.selectors.stats returns for the
same filters; tests/casualties/test_rollups.py holds them to it.
`incident_rollups_verify` compares the count tables with a fresh computation.
"""

import datetime
from collections import defaultdict
from dataclasses import replace
from typing import Any

from django.db import connection
from django.db.models import Count, IntegerField, Max, Min, Sum, Value
from django.db.models.functions import Coalesce, TruncDay, TruncMonth

from casualties.models import (
    Admin1,
    Incident,
    IncidentAllTimeCount,
    IncidentDayCount,
    IncidentMonthCount,
    IncidentMonthDivisionCount,
    IncidentMonthWorldCount,
)
from casualties.models.rollups import (
    DIVISION_KEY,
    NO_ADMIN1,
    REPORTED_COUNTS,
    ROLLUP_KEY,
    ROLLUP_MEASURES,
    WORLD_KEY,
)
from casualties.selectors.count_query import (
    CountQuery,
    as_date,
    count_rows,
    crossing_spans,
    day_range,
    grouped_sums,
    grouped_sums_sql,
    key_filter,
    longest_span_days,
    measure_sums,
)
from casualties.selectors.stats import (
    INTERVALS,
    REPORTED_BY,
    ROW_MEASURES,
    TOTAL_FIGURES,
    TOTAL_MEASURES,
    incident_timeline,
    incident_total_sums_many,
    incident_totals_by_admin1,
    unknown_as_none,
)

_GROUP_COLUMNS = {"admin1": "admin1_key", "country": "country", "event_type": "event_type"}
# The count column behind each measure timelines and governorate rows show (the figures by the name they show them
# under, the incident counts by their own).
_ROW_SOURCES = {name: TOTAL_FIGURES.get(name, name) for name in ROW_MEASURES}
_ROW_SOURCES_TUPLE = tuple(_ROW_SOURCES.values())
_TOTAL_SOURCES = {name: TOTAL_FIGURES.get(name, name) for name in TOTAL_MEASURES}


def _row_value(row: dict[str, Any], name: str) -> int:
    """A measure of a finished row (stats' or ours) as a number to add: an unknown sum adds 0."""
    return row[name] or 0


def rollup_totals(*, query: CountQuery) -> dict[str, int | None]:
    """As casualties.selectors.stats.incident_totals: the figures, the incidents, how many give each figure."""
    return rollup_totals_many(queries=[query])[0]


def rollup_totals_many(*, queries: list[CountQuery]) -> list[dict[str, int | None]]:
    """rollup_totals of each of `queries`, in at most three queries whatever their number: the count rows of
    all of them together, the longest span, and the spans crossing each date_from together."""
    if not queries:
        return []
    measures = tuple(_TOTAL_SOURCES.values())
    parts = [
        part.annotate(query_label=Value(n, output_field=IntegerField()))
        for n, query in enumerate(queries)
        for part in count_rows(query, timeless=True, places=False)
    ]
    counted = {label: sums for label, *sums in grouped_sums(parts, ("query_label",), measures)}
    dated = [n for n, query in enumerate(queries) if query.date_from is not None]
    longest = longest_span_days() if dated else None
    spans = dict.fromkeys(range(len(queries)), dict.fromkeys(TOTAL_MEASURES, 0))
    if longest is not None:
        sets = [crossing_spans(queries[n], longest=longest) for n in dated]
        spans.update(zip(dated, incident_total_sums_many(incident_sets=sets), strict=True))
    return [
        unknown_as_none(
            {
                name: (counted[n][index] if n in counted else 0) + spans[n][name]
                for index, name in enumerate(_TOTAL_SOURCES)
            }
        )
        for n in range(len(queries))
    ]


def rollup_count(*, query: CountQuery) -> int:
    """How many incidents match: what a paginator would get from COUNT(*)."""
    return rollup_totals(query=query)["incidents"]


def _admin1_rows(keys: set[int]) -> dict[int, dict[str, Any]]:
    rows = Admin1.objects.filter(id__in=keys).values("id", "country", "code", "name", "display_name")
    return {row["id"]: row for row in rows}


def rollup_timeline(*, query: CountQuery, interval: str = "month", group_by: str | None = None) -> list[dict[str, Any]]:
    """As casualties.selectors.stats.incident_timeline, for the same filters."""
    truncate = INTERVALS[interval]
    group_column = _GROUP_COLUMNS.get(group_by) if group_by else None
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ROLLUP_MEASURES, 0))
    places = group_by in ("admin1", "country")
    for part in count_rows(query, by_day=interval != "month", places=places, event_types=group_by == "event_type"):
        grouped = part.annotate(period=truncate("period_day"))
        for row in measure_sums(grouped, "period", *([group_column] if group_column else [])):
            bucket = totals[(as_date(row["period"]), row[group_column] if group_column else None)]
            for measure in ROLLUP_MEASURES:
                bucket[measure] += row[measure] or 0
    names = _admin1_rows({key for _period, key in totals if key}) if group_by == "admin1" else {}
    merged: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ROW_MEASURES, 0))
    for (period, key), sums in totals.items():
        if sums["incidents"] == 0:
            continue
        group = (names[key]["display_name"] if key else None) if group_by == "admin1" else key
        row = merged[(period, group)]
        for name, measure in _ROW_SOURCES.items():
            row[name] += sums[measure]
    for span_row in incident_timeline(incidents=query.crossing_spans, interval=interval, group_by=group_by):
        row = merged[(span_row["period"], span_row.get("group"))]
        for name in ROW_MEASURES:
            row[name] += _row_value(span_row, name)
    ordered = sorted(merged.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or ""))
    return [
        {"period": period, **({"group": group} if group_by else {}), **unknown_as_none(sums)}
        for (period, group), sums in ordered
    ]


# The name casualties.charts gives the groups it lumps together, so the chart draws one Other series.
OTHER_GROUP = "Other"


def top_group_names(ranked: dict[str, int], *, top: int) -> list[str] | None:
    """The `top` largest groups, largest first and ties by name; None with `top` + 1 groups or fewer (none to lump)."""
    if len(ranked) <= top + 1:
        return None
    return sorted(ranked, key=lambda name: (-ranked[name], name))[:top]


def grouped_row_order(row: dict[str, Any]) -> tuple:
    """Periods in order, and in each the named groups by name, then OTHER_GROUP."""
    return (row["period"], row["group"] == OTHER_GROUP, row["group"])


def rollup_timeline_top_groups(
    *, query: CountQuery, interval: str, group_by: str, measure: str, top: int
) -> list[dict[str, Any]]:
    """A timeline grouped by admin1 or country with only the `top` largest groups (by `measure`), the rest summed
    into one group named OTHER_GROUP: what a stacked chart shows, without fetching every division's series.

    With few groups it is rollup_timeline itself. Incidents with no division are counted in OTHER_GROUP.
    """
    ranked: dict[str, int] = defaultdict(int)
    for row in rollup_totals_by_admin1(query=query):
        name = row["display_name"] if group_by == "admin1" else row["country"]
        if name is not None:
            ranked[name] += _row_value(row, measure)
    names = top_group_names(ranked, top=top)
    if names is None:
        return rollup_timeline(query=query, interval=interval, group_by=group_by)
    if group_by == "admin1":
        wanted = set(Admin1.objects.filter(display_name__in=names).values_list("id", flat=True))
        ids = tuple(sorted(wanted & set(query.admin1_ids))) if query.admin1_ids else tuple(sorted(wanted))
        narrowed = replace(query, admin1_ids=ids, incidents=query.incidents.filter(admin1_id__in=ids))
    else:
        countries = tuple(name for name in names if not query.countries or name in query.countries)
        narrowed = replace(query, countries=countries, incidents=query.incidents.filter(country__in=countries))
    rows = [
        row for row in rollup_timeline(query=narrowed, interval=interval, group_by=group_by) if row["group"] in names
    ]
    other = {
        row["period"]: {name: _row_value(row, name) for name in ROW_MEASURES}
        for row in rollup_timeline(query=query, interval=interval)
    }
    for row in rows:
        for name in ROW_MEASURES:
            other[row["period"]][name] -= _row_value(row, name)
    rows += [
        {"period": period, "group": OTHER_GROUP, **unknown_as_none(sums)}
        for period, sums in other.items()
        if sums["incidents"]
    ]
    return sorted(rows, key=grouped_row_order)


def _division_rows_sql(query: CountQuery) -> tuple[str, list]:
    """The SQL of rollup_totals_by_admin1's rows as they are sent: grouped, named (the division's code and names
    joined in), each total no incident gives NULL (stats.unknown_as_none), and in incident_totals_by_admin1's
    order, so that Python only zips thousands of rows into dicts (at 2M, building, making unknown and sorting
    them in Python took longer than reading them)."""
    sums, params = grouped_sums_sql(count_rows(query, timeless=True), ("country", "admin1_key"), _ROW_SOURCES_TUPLE)
    quote = connection.ops.quote_name
    values = {}
    for name, source in _ROW_SOURCES.items():
        reported = REPORTED_BY.get(name)
        values[name] = f"CASE WHEN g.{reported} = 0 THEN NULL ELSE g.{source} END" if reported else f"g.{source}"
    shown = [f"{value} AS {quote(name)}" for name, value in values.items()]
    # Code point order, as Python compares strings: PostgreSQL's "C" collation, SQLite's default.
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    admin1_id = f"CASE WHEN g.admin1_key = {int(NO_ADMIN1)} THEN NULL ELSE g.admin1_key END"
    # The names formatted in are the count tables' columns and the division table's; the values are parameters.
    sql = (
        f"SELECT {admin1_id} AS admin1_id, g.country AS country, a.code AS code, a.name AS {quote('name')}, "  # noqa: S608
        f"a.display_name AS display_name, {', '.join(shown)} "
        f"FROM ({sums}) AS g LEFT JOIN {Admin1._meta.db_table} AS a ON a.id = g.admin1_key "
        f"ORDER BY COALESCE({values['killed']}, 0) DESC, g.country{collate}, a.name IS NULL, a.name{collate}, "
        "g.admin1_key"
    )
    return sql, params


def _division_row_order(row: dict[str, Any]) -> tuple:
    return (-_row_value(row, "killed"), row["country"], row["name"] is None, row["name"] or "", row["admin1_id"] or 0)


def rollup_totals_by_admin1(*, query: CountQuery) -> list[dict[str, Any]]:
    """As casualties.selectors.stats.incident_totals_by_admin1, for the same filters."""
    sql, params = _division_rows_sql(query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        finished = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    spans = incident_totals_by_admin1(incidents=query.crossing_spans)
    if not spans:
        return finished
    # The spans crossing date_from (a few incidents): added to their division's row, or a row of their own.
    rows = {(row["country"], row["admin1_id"]): row for row in finished}
    for span_row in spans:
        key = (span_row["country"], span_row["admin1_id"])
        row = rows.get(key) or {**span_row, **dict.fromkeys(ROW_MEASURES, 0)}
        sums = {name: _row_value(row, name) + _row_value(span_row, name) for name in ROW_MEASURES}
        rows[key] = {**row, **unknown_as_none(sums)}
    return sorted(rows.values(), key=_division_row_order)


def rollup_admin1_counts(*, query: CountQuery) -> dict[int, int]:
    """{admin1 id: incidents} over the divisions with any: as the counts admin1_list_with_counts attaches."""
    counts: dict[int, int] = defaultdict(int)
    # Every part (whole months, the days at either end) in one grouped query.
    for key, n in grouped_sums(count_rows(query, timeless=True), ("admin1_key",), ("incidents",)):
        if key != NO_ADMIN1:
            counts[key] += n
    for admin1_id, n in (
        query.crossing_spans.filter(admin1__isnull=False).order_by().values_list("admin1_id").annotate(n=Count("id"))
    ):
        counts[admin1_id] += n
    return {key: n for key, n in counts.items() if n}


def rollup_date_span(*, query: CountQuery) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last date_start among the matching incidents: (None, None) when none match."""
    days = day_range(IncidentDayCount.objects.filter(key_filter(query)), "day", query.date_from, query.date_to)
    span = days.aggregate(first=Min("day"), last=Max("day"))
    spans = query.crossing_spans.aggregate(first=Min("date_start"), last=Max("date_start"))
    firsts = [as_date(day) for day in (span["first"], spans["first"]) if day is not None]
    lasts = [as_date(day) for day in (span["last"], spans["last"]) if day is not None]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def incident_rollups_verify() -> list[dict[str, Any]]:
    """Every key where a count table differs from a fresh GROUP BY over the incidents; empty when they agree."""
    tables = (
        (IncidentDayCount, "day", TruncDay, ROLLUP_KEY),
        (IncidentMonthCount, "month", TruncMonth, ROLLUP_KEY),
        (IncidentAllTimeCount, None, None, ROLLUP_KEY),
        (IncidentMonthWorldCount, "month", TruncMonth, WORLD_KEY),
        (IncidentMonthDivisionCount, "month", TruncMonth, DIVISION_KEY),
    )
    # Annotated as "sum_<measure>": under a figure's own name a sum would hide the column the counts read.
    sums = {
        "sum_incidents": Count("id"),
        **{f"sum_{m}": Sum(m) for m in ROLLUP_MEASURES[1:] if m not in REPORTED_COUNTS},
        **{f"sum_{m}": Count(figure) for m, figure in REPORTED_COUNTS.items()},
    }
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
            want = {m: (fresh.get(key) or {}).get(f"sum_{m}") or 0 for m in ROLLUP_MEASURES}
            have = {m: (stored.get(key) or {}).get(m) or 0 for m in ROLLUP_MEASURES}
            if want != have:
                differences.append({"table": model._meta.db_table, "key": key, "expected": want, "stored": have})
    return differences


def _row_key(row: dict[str, Any], columns: list[str]) -> tuple:
    def normal(name: str) -> Any:
        value = row[name]
        if name in ("day", "month"):
            return as_date(value)
        return bool(value) if name == "aggregate" else value

    return tuple(normal(name) for name in columns)
