"""Totals, timelines and counts for a validated filterset, from the fastest source that gives the right answer.

The API, the dashboard and its JSON endpoints call these. When every filter is
one the pre-aggregated counts are keyed by, they read the counts
(casualties.selectors.rollups: thousands of rows whatever the size of the
record); otherwise they aggregate the filtered incidents
(casualties.selectors.stats). Both give the same numbers.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Max, Min

from casualties.filters import IncidentFilterSet
from casualties.selectors import rollups, stats
from casualties.selectors.count_query import count_query_from


def filtered_incident_totals(*, filterset: IncidentFilterSet) -> dict[str, int | None]:
    """The figures (None where no incident gives one), the incidents, how many give each (stats.incident_totals)."""
    query = count_query_from(filterset)
    return rollups.rollup_totals(query=query) if query else stats.incident_totals(incidents=filterset.qs)


def filtered_incident_count(*, filterset: IncidentFilterSet) -> int:
    """How many incidents the filters select, without COUNT(*) over the incident table when the counts can answer."""
    query = count_query_from(filterset)
    return rollups.rollup_count(query=query) if query else filterset.qs.order_by().count()


def filtered_incident_timeline(
    *, filterset: IncidentFilterSet, interval: stats.Interval = "month", group_by: stats.GroupBy | None = None
) -> list[dict[str, Any]]:
    query = count_query_from(filterset)
    if query:
        return rollups.rollup_timeline(query=query, interval=interval, group_by=group_by)
    return stats.incident_timeline(incidents=filterset.qs, interval=interval, group_by=group_by)


def filtered_timeline_for_chart(
    *, filterset: IncidentFilterSet, interval: stats.Interval, group_by: stats.GroupBy | None, measure: str, top: int
) -> list[dict[str, Any]]:
    """The stacked timeline chart's rows: with many divisions or countries, only the `top` largest and "Other".

    From the counts; the incident-table path returns every group and leaves the lumping to the chart.
    """
    query = count_query_from(filterset)
    if query and group_by in ("admin1", "country"):
        return rollups.rollup_timeline_top_groups(
            query=query, interval=interval, group_by=group_by, measure=measure, top=top
        )
    return filtered_incident_timeline(filterset=filterset, interval=interval, group_by=group_by)


def timeline_top_groups(rows: list[dict[str, Any]], *, measure: str, top: int) -> list[dict[str, Any]]:
    """Grouped timeline rows (filtered_incident_timeline's) with at most `top` groups, the largest by `measure`,
    and one named rollups.OTHER_GROUP holding the rest, incidents with no division among them: bounded whatever
    the number of divisions, and each period still sums as before. With `top` + 1 groups or fewer, `rows` as
    they are. Ranked and ordered as rollups.rollup_timeline_top_groups does, without its three ranking queries.
    """
    ranked: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["group"] is not None:
            ranked[row["group"]] += row[measure] or 0
    names = rollups.top_group_names(ranked, top=top)
    if names is None:
        return rows
    kept = set(names)
    lumped: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        group = row["group"] if row["group"] in kept else rollups.OTHER_GROUP
        into = lumped.setdefault((row["period"], group), dict.fromkeys(stats.ROW_MEASURES, 0))
        for name in stats.ROW_MEASURES:
            into[name] += row[name] or 0
    rows = [
        {"period": period, "group": group, **stats.unknown_as_none(sums)} for (period, group), sums in lumped.items()
    ]
    return sorted(rows, key=rollups.grouped_row_order)


def filtered_totals_by_admin1(*, filterset: IncidentFilterSet) -> list[dict[str, Any]]:
    query = count_query_from(filterset)
    if query:
        return rollups.rollup_totals_by_admin1(query=query)
    return stats.incident_totals_by_admin1(incidents=filterset.qs)


def filtered_admin1_list(*, filterset: IncidentFilterSet, countries: list[str] | None = None) -> list[dict[str, Any]]:
    """Every division (of `countries` when given) with how many filtered incidents lie in it."""
    query = count_query_from(filterset)
    if query:
        return stats.admin1_list_with_count_map(counts=rollups.rollup_admin1_counts(query=query), countries=countries)
    return stats.admin1_list_with_counts(incidents=filterset.qs, countries=countries)


def filtered_date_span(*, filterset: IncidentFilterSet) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last date_start among the filtered incidents (None, None when there are none)."""
    query = count_query_from(filterset)
    if query:
        return rollups.rollup_date_span(query=query)
    span = filterset.qs.order_by().aggregate(first=Min("date_start"), last=Max("date_start"))
    return span["first"], span["last"]
