"""The API's views: parse, call a selector or a service, serialize. Nothing else lives here."""

from django.db import OperationalError
from django.http import StreamingHttpResponse
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from casualties.api.pagination import IncidentCursorPagination
from casualties.api.permissions import IsAnalystOrReadOnly
from casualties.api.renderers import CSVRenderer, GeoJSONRenderer, csv_lines
from casualties.api.serializers import (
    Admin1CountSerializer,
    Admin1TotalsSerializer,
    IncidentDetailSerializer,
    IncidentMergeSerializer,
    IncidentSerializer,
    IncidentSplitSerializer,
    IncidentUnmergeSerializer,
    IncidentUpdateSerializer,
    PlaceSerializer,
    ReportedTotalsSerializer,
    TimelineParamsSerializer,
    TimelineSerializer,
)
from casualties.database import is_statement_timeout, statement_timeout
from casualties.exports import ExportStream, export_admit
from casualties.filters import IncidentFilterSet, country_code
from casualties.models import Admin1, Incident, Place
from casualties.selectors.aggregates import AGGREGATE_ROWS_LIMIT, reported_totals
from casualties.selectors.counts import (
    filtered_admin1_list,
    filtered_incident_timeline,
    filtered_totals_by_admin1,
    timeline_top_groups,
)
from casualties.selectors.incidents import (
    EXPORT_HEADER,
    incident_detail_queryset,
    incident_export_rows,
    incident_list,
    incident_list_record,
    incident_list_values,
)
from casualties.selectors.places import place_autocomplete
from casualties.selectors.stats import ROW_MEASURES
from casualties.services.restructure import incident_split, incident_unmerge
from casualties.services.review import incident_merge, incident_review
from config.errors import error_response

PLACES_LIMIT = 20
# A grouped timeline sends the largest groups and one "Other" holding the rest, as the dashboard's chart does.
TIMELINE_MAX_GROUPS = 10
_FORMAT_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "geojson", "csv"], description="Response format (or a .geojson suffix)"
)


class PublicReadMixin:
    """Reads run under the database statement timeout; errors are JSON whatever format was asked for."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        try:
            with statement_timeout():
                return super().dispatch(request, *args, **kwargs)
        except OperationalError as error:
            if not is_statement_timeout(error):
                raise
            return error_response(
                status=503,
                code="timeout",
                detail="The query took too long. Narrow the filters (dates, admin1) and try again.",
            )

    def handle_exception(self, exc):
        # A CSV or GeoJSON client still gets a readable JSON error naming the parameter.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


@extend_schema_view(
    list=extend_schema(
        summary="List incidents",
        description=(
            "Cursor-paginated, newest first (oldest change first with updated_since). Merged and rejected "
            "incidents are left out unless review_status or updated_since is given. format=geojson gives a "
            "FeatureCollection; format=csv streams every matching incident, unpaginated."
        ),
        parameters=[_FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="One incident with its claims, evidence and sources"),
    partial_update=extend_schema(
        summary="Review or correct an incident (analysts)",
        request=IncidentUpdateSerializer,
        responses=IncidentDetailSerializer,
    ),
)
class IncidentViewSet(PublicReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAnalystOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentFilterSet
    pagination_class = IncidentCursorPagination
    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer]
    queryset = Incident.objects.all()

    def get_queryset(self):
        if self.action == "list":
            return incident_list(incidents=Incident.objects.all())
        return incident_detail_queryset()

    def get_serializer_class(self):
        return IncidentSerializer if self.action == "list" else IncidentDetailSerializer

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "list":
            return renderers
        return [renderer for renderer in renderers if renderer.format != "csv"]

    def filter_queryset(self, queryset):
        # Filters narrow lists only: a merged or rejected incident is still found by its id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request, *args, **kwargs):
        incidents = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format != "csv":
            # Flat rows turned into the serializer's shape: no model instance or serializer per incident.
            page = self.paginate_queryset(incident_list_values(incidents=incidents))
            return self.get_paginated_response([incident_list_record(row) for row in page])
        slot, wait = export_admit(request)
        if slot is None:
            raise Throttled(wait=wait, detail="Too many exports from this client.")
        response = StreamingHttpResponse(
            ExportStream(_incident_csv(incidents), slot), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="incidents.csv"'
        return response

    def partial_update(self, request, *args, **kwargs):
        incident = self.get_object()
        serializer = IncidentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        review_status = changes.pop("review_status", None)
        reason = changes.pop("reason", "")
        place = _by_id(Place, changes.pop("place_id", None), field="place_id", name="place")
        admin1 = _by_id(Admin1, changes.pop("admin1_id", None), field="admin1_id", name="first-level division")
        # A Django ValidationError from the service is a 400 by config.errors.api_exception_handler.
        incident_review(
            incident=incident,
            user=request.user,
            changes=changes,
            review_status=review_status,
            place=place,
            admin1=admin1,
            reason=reason,
        )
        return Response(IncidentDetailSerializer(incident_detail_queryset().get(pk=incident.pk)).data)

    @extend_schema(
        summary="Merge this incident into another (analysts)",
        description=(
            "This incident's claims move to `into` (a claim from an article `into` already has a claim from "
            "is dropped); this incident becomes review_status=merged with merged_into set. Returns the kept incident."
        ),
        request=IncidentMergeSerializer,
        responses=IncidentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        drop = self.get_object()
        serializer = IncidentMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        keep = Incident.objects.filter(pk=serializer.validated_data["into"]).first()
        if keep is None:
            raise ValidationError({"into": ["No incident with this id."]})
        incident_merge(keep=keep, drop=drop, user=request.user, reason=serializer.validated_data.get("reason", ""))
        return Response(IncidentDetailSerializer(incident_detail_queryset().get(pk=keep.pk)).data)

    @extend_schema(
        summary="Split claims off into a new incident (analysts)",
        description=(
            "The listed claims of this incident move to a new, unverified incident placed where this one is; "
            "both incidents' figures are recomputed from their claims. 400 for a claim of another incident, "
            "for all of this incident's claims, or for a merged incident. Returns the new incident (201)."
        ),
        request=IncidentSplitSerializer,
        responses={201: IncidentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def split(self, request, *args, **kwargs):
        incident = self.get_object()
        serializer = IncidentSplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = incident_split(
            incident=incident,
            claim_ids=serializer.validated_data["claims"],
            user=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        body = IncidentDetailSerializer(incident_detail_queryset().get(pk=new.pk)).data
        return Response(body, status=201, headers={"Location": reverse("v1:incident-detail", args=[new.pk])})

    @extend_schema(
        summary="Undo the merge of this incident (analysts)",
        description=(
            "This merged incident gets back its review status from before the merge and the claims that came "
            "from it (also those the merge dropped as a second claim from one article); merged_into is cleared; "
            "both incidents' figures are recomputed. 400 when it is not merged, or when the incident it was "
            "merged into was merged since. Returns this incident."
        ),
        request=IncidentUnmergeSerializer,
        responses=IncidentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def unmerge(self, request, *args, **kwargs):
        incident = self.get_object()
        serializer = IncidentUnmergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident_unmerge(incident=incident, user=request.user, reason=serializer.validated_data.get("reason", ""))
        return Response(IncidentDetailSerializer(incident_detail_queryset().get(pk=incident.pk)).data)


def _by_id(model, pk: int | None, *, field: str, name: str):
    """The row with this id, None when no id was given; a 400 naming the field when there is no such row."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [f"No {name} with id {pk}."]})
    return found


def _incident_csv(incidents):
    # Read while streaming, after the view has returned: ExportStream gives it its own statement timeout.
    return csv_lines(header=EXPORT_HEADER, rows=incident_export_rows(incidents=incidents))


class _FilteredIncidentsView(PublicReadMixin, generics.GenericAPIView):
    """A read-only view over the incidents the query string's filters select (same filters as the list)."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentFilterSet
    queryset = Incident.objects.all()
    pagination_class = None

    def filtered_incidents(self):
        return self.filter_queryset(self.get_queryset())

    def validated_filterset(self) -> IncidentFilterSet:
        """The parsed filters (a 400 naming each bad parameter), for readers that can use the counts."""
        filterset = self.filterset_class(
            data=self.request.query_params, queryset=self.get_queryset(), request=self.request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset


@extend_schema(
    summary="Killed, injured and incidents per day, week or month",
    description=(
        "killed = sum of killed_max, killed_min = sum of killed_min, injured = sum of injured_max, each over the "
        "incidents that give the figure (incidents_with_killed, incidents_with_injured) and null when none does; an "
        "incident counts in the period of its date_start. Same filters as the incident list. format=csv for CSV. "
        f"With group_by, the {TIMELINE_MAX_GROUPS} largest groups by killed and one named Other with the rest."
    ),
    parameters=[TimelineParamsSerializer, OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"])],
    responses=TimelineSerializer,
)
class TimelineView(_FilteredIncidentsView):
    """Totals per period under the incident list's filters."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request, *args, **kwargs):
        params = TimelineParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        interval, group_by = params.validated_data["interval"], params.validated_data.get("group_by")
        rows = filtered_incident_timeline(filterset=self.validated_filterset(), interval=interval, group_by=group_by)
        if group_by:
            rows = timeline_top_groups(rows, measure="killed", top=TIMELINE_MAX_GROUPS)
        return Response({"interval": interval, "group_by": group_by, "results": rows})

    def get_renderer_context(self):
        context = super().get_renderer_context()
        group = ["group"] if self.request.query_params.get("group_by") else []
        context["csv_header"] = ["period", *group, *ROW_MEASURES]
        return context


@extend_schema(
    summary="Totals by first-level division (governorate) for the current filter",
    parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"])],
    responses=Admin1TotalsSerializer(many=True),
)
class Admin1TotalsView(_FilteredIncidentsView):
    """Totals per first-level division under the incident list's filters."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request, *args, **kwargs):
        return Response(filtered_totals_by_admin1(filterset=self.validated_filterset()))

    def get_renderer_context(self):
        context = super().get_renderer_context()
        context["csv_header"] = list(Admin1TotalsSerializer.Meta.columns)
        return context


@extend_schema(
    summary="Reported period totals (aggregate tolls) under the current filter, each with its coverage",
    description=(
        "The aggregate tolls the incident list's filters select, whatever `aggregate` says, newest first (at most "
        f"{AGGREGATE_ROWS_LIMIT}; `count` gives how many in all), each with its sources, the sentence of its first "
        "report and `coverage`: what the incidents on record (not tolls) add up to for the toll's division (else "
        "country) and period, under the same review-status filter. Unknown figures are null, never 0."
    ),
    responses=ReportedTotalsSerializer,
)
class ReportedTotalsView(_FilteredIncidentsView):
    """The aggregate tolls under the incident list's other filters, apart from the incidents, with their coverage."""

    def get(self, request, *args, **kwargs):
        self.validated_filterset()  # a bad filter is a 400 naming it, as everywhere
        rows, count = reported_totals(params=request.query_params, limit=AGGREGATE_ROWS_LIMIT)
        return Response(ReportedTotalsSerializer({"count": count, "results": rows}).data)


@extend_schema(
    summary="First-level divisions with their incident counts under the current filter",
    responses=Admin1CountSerializer(many=True),
)
class Admin1ListView(_FilteredIncidentsView):
    """Divisions (of `country` when given), each with its incident count under the incident list's filters."""

    def get(self, request, *args, **kwargs):
        filterset = self.validated_filterset()
        countries = filterset.form.cleaned_data.get("country") or None
        return Response(filtered_admin1_list(filterset=filterset, countries=countries))


@extend_schema(
    summary="Gazetteer autocomplete: places whose name (any spelling) starts with q, or that q names",
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, required=True),
        OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code or country name"),
    ],
    responses=PlaceSerializer(many=True),
)
class PlaceSearchView(PublicReadMixin, generics.GenericAPIView):
    """Gazetteer autocomplete: at most 20 places, those in countries holding incidents first, then most populous."""

    serializer_class = PlaceSerializer
    pagination_class = None

    def get(self, request, *args, **kwargs):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ValidationError({"q": ["Required: the start of a place name."]})
        if len(query) > 200:
            raise ValidationError({"q": ["At most 200 characters."]})
        asked = request.query_params.get("country") or None
        country = country_code(asked) if asked else None
        if asked and country is None:
            raise ValidationError({"country": ["Expected an ISO 3166-1 alpha-2 code or a country name."]})
        places = place_autocomplete(query=query, country=country, limit=PLACES_LIMIT)
        return Response(PlaceSerializer(places, many=True).data)
