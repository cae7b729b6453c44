"""Totals and time series over a filtered set of incidents, computed in the database.

"killed" is the sum of each incident's killed_max (the highest count any source
reported, or the analyst's figure); "killed_min" sums the lowest. "injured" is the
sum of injured_max (TOTAL_FIGURES names them all). An incident counts on the period of its date_start.
Unknown is not zero: an incident with no figure adds nothing to a sum but still counts
as an incident, each sum comes with how many incidents give its figure
(`incidents_with_killed`...), and a sum over incidents none of which gives it is None.
Aggregate tolls are summed like any incident when the filter lets them in: it leaves
them out unless the URL asks (casualties.filters.AggregateField), so a toll and its
events are not counted twice.
"""

from typing import Any, Literal

from django.db.models import Count, F, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek

from casualties.models import Admin1, Incident
from casualties.models.rollups import REPORTED_COUNTS

Interval = Literal["day", "week", "month"]
GroupBy = Literal["admin1", "country", "event_type"]
INTERVALS: dict[str, type] = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
# Divisions by the name readers use (a timeline's legend), which the admin1 filter also accepts.
GROUP_BY_FIELDS: dict[str, str] = {"admin1": "admin1__display_name", "country": "country", "event_type": "event_type"}

# What the totals sum, by the name readers show each under: an incident figure, unknown left out.
TOTAL_FIGURES = {
    "killed": "killed_max",
    "killed_min": "killed_min",
    "injured": "injured_max",
    "children": "children_killed",
    "women": "women_killed",
}
# Which count of incidents giving a figure (REPORTED_COUNTS) stands behind each total: with none, the total is None.
REPORTED_BY = {
    "killed": "incidents_with_killed",
    "killed_min": "incidents_with_killed",
    "injured": "incidents_with_injured",
    "children": "incidents_with_children",
    "women": "incidents_with_women",
}
# What the totals hold: every figure, the incidents, and how many of them give each figure.
TOTAL_MEASURES = (*TOTAL_FIGURES, "incidents", *REPORTED_COUNTS)
# What each row of a timeline or of the governorate totals holds: three of the totals, the incidents,
# and how many of them give a killed and an injured figure.
ROW_MEASURES = ("killed", "killed_min", "injured", "incidents", "incidents_with_killed", "incidents_with_injured")

_COUNTS = {name: Count(figure) for name, figure in REPORTED_COUNTS.items()}
_ROW_SUMS = {
    **{name: Sum(TOTAL_FIGURES[name]) for name in ("killed", "killed_min", "injured")},
    "incidents": Count("id"),
    **{name: _COUNTS[name] for name in ("incidents_with_killed", "incidents_with_injured")},
}


def unknown_as_none(sums: dict[str, Any]) -> dict[str, Any]:
    """`sums` (totals as ints, unknown counted as 0) with each total that no incident gives as None.

    The one place a sum becomes unknown, for the incident-table reads here and the count-table reads
    (casualties.selectors.rollups) alike.
    """
    # Over the five figures rather than every key: the governorate totals call this for thousands of rows.
    unknown = {name: None for name, reported in REPORTED_BY.items() if name in sums and not sums.get(reported)}
    return {**sums, **unknown}  # the keys in their order, the unknown ones None


def _totals(row: dict[str, Any]) -> dict[str, Any]:
    return unknown_as_none({key: row[key] or 0 for key in ROW_MEASURES})


_TOTAL_SUMS = {**{name: Sum(figure) for name, figure in TOTAL_FIGURES.items()}, "incidents": Count("id"), **_COUNTS}


def incident_total_sums(*, incidents: QuerySet[Incident]) -> dict[str, int]:
    """The TOTAL_MEASURES as ints, a figure no incident gives as 0: for readers that add totals together."""
    row = incidents.order_by().aggregate(**_TOTAL_SUMS)
    return {key: row[key] or 0 for key in TOTAL_MEASURES}


def incident_total_sums_many(*, incident_sets: list[QuerySet[Incident]]) -> list[dict[str, int]]:
    """incident_total_sums of each queryset, in one query (a UNION ALL of one aggregate each)."""
    if not incident_sets:
        return []
    labelled = [
        incidents.order_by()
        .annotate(set_label=Value(n, output_field=IntegerField()))
        .values("set_label")
        # A constant label is no GROUP BY: each part is one aggregate row (of zeros and NULLs when it matches none).
        .annotate(**_TOTAL_SUMS)
        for n, incidents in enumerate(incident_sets)
    ]
    rows = {row["set_label"]: row for row in labelled[0].union(*labelled[1:], all=True)}
    return [{key: rows.get(n, {}).get(key) or 0 for key in TOTAL_MEASURES} for n in range(len(incident_sets))]


def incident_totals(*, incidents: QuerySet[Incident]) -> dict[str, int | None]:
    """The TOTAL_FIGURES (killed, killed_min, injured, children, women; None where no incident gives the
    figure), how many incidents, and how many of them give each figure (REPORTED_COUNTS). One query."""
    return unknown_as_none(incident_total_sums(incidents=incidents))


def incident_timeline(
    *, incidents: QuerySet[Incident], interval: Interval = "month", group_by: GroupBy | None = None
) -> list[dict[str, Any]]:
    """Killed, killed_min, injured and incident counts per period (and group), oldest first. One query.

    Rows: {"period": date (first day of the day/ISO week/month), "group": str | None
    (only when group_by is given; None, sorted last, for incidents with no admin1), and the
    ROW_MEASURES: "killed", "killed_min", "injured" (None when no incident of the row gives
    the figure), "incidents", "incidents_with_killed", "incidents_with_injured"}. Periods with no
    incident are absent.
    """
    truncate = INTERVALS[interval]
    keys: dict[str, Any] = {"period": truncate("date_start")}
    if group_by:
        keys["group"] = F(GROUP_BY_FIELDS[group_by])
    # Groups by name, the None group (no admin1) last on every database.
    ordering = ["period", F("group").asc(nulls_last=True)] if group_by else ["period"]
    rows = incidents.order_by().values(**keys).annotate(**_ROW_SUMS).order_by(*ordering)
    return [{**{key: row[key] for key in keys}, **_totals(row)} for row in rows]


def incident_totals_by_admin1(*, incidents: QuerySet[Incident]) -> list[dict[str, Any]]:
    """Totals per first-level division, the most killed first. One query.

    Rows: {"admin1_id", "country", "code", "name" (GeoNames'), "display_name", and the ROW_MEASURES (see
    incident_timeline)}; incidents located only to a country form one row whose
    admin1_id, code and names are None.
    """
    rows = (
        incidents.order_by()
        .values(
            "admin1_id",
            country_code=F("country"),
            code=F("admin1__code"),
            name=F("admin1__name"),
            display_name=F("admin1__display_name"),
        )
        .annotate(**_ROW_SUMS)
        # Unknown tolls count as 0 and unnamed (country-level) rows come last, on every database.
        .order_by(Coalesce("killed", 0).desc(), "country_code", F("name").asc(nulls_last=True))
    )
    return [
        {
            "admin1_id": row["admin1_id"],
            "country": row["country_code"],
            "code": row["code"],
            "name": row["name"],
            "display_name": row["display_name"],
            **_totals(row),
        }
        for row in rows
    ]


def admin1_list_with_counts(
    *, incidents: QuerySet[Incident], countries: list[str] | None = None
) -> list[dict[str, Any]]:
    """Every division (of `countries` when given) with how many of `incidents` lie in it. Two queries.

    Rows: {"id", "country", "code", "name", "display_name", "aliases", "lat", "lon", "incidents"}, by country and name.
    """
    counts = dict(incidents.order_by().filter(admin1__isnull=False).values_list("admin1_id").annotate(n=Count("id")))
    return admin1_list_with_count_map(counts=counts, countries=countries)


def admin1_list_with_count_map(*, counts: dict[int, int], countries: list[str] | None = None) -> list[dict[str, Any]]:
    """As admin1_list_with_counts, with the counts given as {admin1 id: incidents}. One query."""
    divisions = Admin1.objects.order_by("country", "name")
    if countries:
        divisions = divisions.filter(country__in=[country.upper() for country in countries])
    return [
        {**row, "incidents": counts.get(row["id"], 0)}
        for row in divisions.values("id", "country", "code", "name", "display_name", "aliases", "lat", "lon")
    ]
