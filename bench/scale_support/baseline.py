"""The naive baseline: the incident API as a first draft would write it, to measure the real one against.

Every view reads through the app's own filter set (casualties.filters.IncidentFilterSet),
so for one query string the baseline and the app select the same incidents; what
differs is how they are read and sent:

- list: DRF ModelSerializer over every field (admin1 and place as ids), page-number
  pagination (a COUNT(*) of the filtered set on every page, OFFSET for deep pages),
  the model's own ordering (newest first: -date_start, -id, as the app's cursor);
- timeline and admin1 totals: ORM aggregation (TruncMonth, Sum, Count) over the
  incident table on every request;
- map: every located incident in the filter (bbox included) as a GeoJSON Feature,
  through the same ModelSerializer, however many there are;
- dashboard: what the page shows (totals, totals by governorate, the first table
  page with its count) computed the same way, sent as JSON (no template rendering).

Served under /baseline/ by bench/scale_support/urls.py; never part of the app.
"""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from casualties.filters import IncidentFilterSet
from casualties.models import Incident, LocationPrecision

# The dashboard's table page size and the API's default page size, so page for page the work is the same.
DASHBOARD_TABLE_ROWS = 50
LIST_PAGE_SIZE = 100

_SUMS = {
    "killed": Sum("killed_max"),
    "killed_min": Sum("killed_min"),
    "injured": Sum("injured_max"),
    "incidents": Count("id"),
    "incidents_with_killed": Count("killed_max"),
    "incidents_with_injured": Count("injured_max"),
}


def _totals(row: dict[str, Any]) -> dict[str, int | None]:
    # A sum over no figure is NULL in SQL, and the app reports it as null (unknown), so rows compare.
    return {key: row[key] for key in _SUMS}


class BaselineIncidentSerializer(serializers.ModelSerializer):
    """Every field of the model; admin1, place and merged_into as ids."""

    class Meta:
        model = Incident
        fields = "__all__"


class BaselinePagination(PageNumberPagination):
    page_size = LIST_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 1000


class _Filtered(generics.GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentFilterSet
    queryset = Incident.objects.all()
    pagination_class = None

    def filtered(self) -> QuerySet[Incident]:
        return self.filter_queryset(self.get_queryset())


class BaselineIncidentList(generics.ListAPIView):
    """GET /baseline/incidents/?<filters>&page=N: {"count", "next", "previous", "results"}."""

    serializer_class = BaselineIncidentSerializer
    pagination_class = BaselinePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentFilterSet
    queryset = Incident.objects.all()  # Meta.ordering: -date_start, -id


class BaselineTimeline(_Filtered):
    """GET /baseline/stats/timeline/?<filters>: the API's timeline shape, month by month."""

    def get(self, request, *args, **kwargs):
        rows = (
            self.filtered()
            .annotate(period=TruncMonth("date_start"))
            .values("period")
            .annotate(**_SUMS)
            .order_by("period")
        )
        results = [{"period": row["period"], **_totals(row)} for row in rows]
        return Response({"interval": "month", "group_by": None, "results": results})


def baseline_admin1_totals(incidents: QuerySet[Incident]) -> list[dict[str, Any]]:
    rows = (
        incidents.values(
            "admin1_id",
            country_code=F("country"),
            code=F("admin1__code"),
            name=F("admin1__name"),
            display_name=F("admin1__display_name"),
        )
        .annotate(**_SUMS)
        .order_by(F("killed").desc(nulls_last=True), "country_code", "name")
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


class BaselineAdmin1Totals(_Filtered):
    """GET /baseline/stats/admin1/?<filters>: the API's admin1 totals shape."""

    def get(self, request, *args, **kwargs):
        return Response(baseline_admin1_totals(self.filtered()))


class BaselineMap(_Filtered):
    """GET /baseline/map/?<filters>: every located incident as a GeoJSON Feature, no cap."""

    def get(self, request, *args, **kwargs):
        located = self.filtered().filter(location_precision=LocationPrecision.PLACE, lat__isnull=False)
        features = [
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": row,
            }
            for row in BaselineIncidentSerializer(located, many=True).data
        ]
        return Response({"type": "FeatureCollection", "features": features})


class BaselineDashboard(_Filtered):
    """GET /baseline/dashboard/?<filters>: the figures the dashboard page shows, as JSON."""

    def get(self, request, *args, **kwargs):
        incidents = self.filtered()
        totals = incidents.aggregate(
            killed=Sum("killed_max"),
            killed_min=Sum("killed_min"),
            injured=Sum("injured_max"),
            children=Sum("children_killed"),
            women=Sum("women_killed"),
            incidents=Count("id"),
        )
        table = Paginator(incidents, DASHBOARD_TABLE_ROWS).get_page(1)
        return Response(
            {
                "totals": totals,
                "admin1": baseline_admin1_totals(incidents),
                "count": table.paginator.count,
                "table": BaselineIncidentSerializer(table.object_list, many=True).data,
            }
        )
