"""GET /api/v1/compare/?dataset=acled&<the incident filters>: our record beside a reference dataset.

Everyone who may read the dashboard may compare; a restricted dataset's rows (ACLED:
its licence limits redistribution) go to signed-in analysts only. Others get the
counts and the totals, `rows_withheld: true`, and a 403 for the CSV export, which
is nothing but rows.
"""

from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from casualties.api.permissions import CanReadOrAuthenticated
from casualties.api.renderers import CSVRenderer, csv_lines
from casualties.api.views import PublicReadMixin
from casualties.exports import ExportStream, export_admit
from casualties.filters import IncidentFilterSet, incident_filterset
from casualties.models import ReferenceDataset, ReferenceEvent
from casualties.reference.comparison import (
    CSV_COLUMNS,
    MATCH_DAYS,
    MATCH_DISTANCE_KM,
    SETS,
    TooManyEventsError,
    comparison_csv_rows,
    reference_compare,
    rows_visible,
)

# Rows per set in the JSON; the CSV export has them all.
MAX_ROWS_PER_SET = 1000


def _dataset(params) -> ReferenceDataset:
    name = params.get("dataset", "")
    if not name:
        raise ValidationError({"dataset": [f"Required: one of {', '.join(ReferenceDataset.Format.values)}."]})
    try:
        return ReferenceDataset.objects.get(format=name)
    except ReferenceDataset.DoesNotExist:
        imported = ", ".join(ReferenceDataset.objects.values_list("format", flat=True)) or "none"
        raise ValidationError({"dataset": [f"No imported dataset {name!r}; imported: {imported}."]}) from None


def _sets(params) -> tuple[str, ...]:
    asked = [value for item in params.getlist("set") for value in item.split(",") if value]
    unknown = [value for value in asked if value not in SETS]
    if unknown:
        raise ValidationError({"set": [f"Unknown set(s) {', '.join(unknown)}; expected {', '.join(SETS)}."]})
    return tuple(asked) or SETS


def _ours(row: dict) -> dict:
    return {**row, "url": reverse("casualties:incident", args=[row["id"]])}


def _theirs(row: dict, dataset: ReferenceDataset) -> dict:
    fields = {key: value for key, value in row.items() if key != "id"}
    return {**fields, "url": reverse("v1:reference-event", args=[dataset.format, row["event_id"]])}


@extend_schema(
    summary="Our incidents beside a reference dataset (ACLED, UCDP GED) under the incident filters",
    description=(
        f"Matched: same first-level division, dates within {MATCH_DAYS} day, points within {MATCH_DISTANCE_KM:g} km "
        "when both have one. Country, admin1, dates, bbox, event_type and killed_min narrow both sides; the other "
        "filters narrow ours only. Killed totals by month and by division side by side. set=matched,ours_only,"
        f"theirs_only picks the lists ({MAX_ROWS_PER_SET} rows each in JSON, all in CSV). A restricted dataset's "
        "rows are for signed-in analysts only."
    ),
    parameters=[
        OpenApiParameter("dataset", OpenApiTypes.STR, enum=list(ReferenceDataset.Format.values), required=True),
        OpenApiParameter("set", OpenApiTypes.STR),
        OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
    ],
    responses=OpenApiTypes.OBJECT,
)
class CompareView(PublicReadMixin, generics.GenericAPIView):
    permission_classes = [CanReadOrAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer]
    filterset_class = IncidentFilterSet
    pagination_class = None

    def get(self, request, *args, **kwargs):
        dataset = _dataset(request.query_params)
        sets = _sets(request.query_params)
        filterset, errors = incident_filterset(params=request.query_params)
        if errors:
            raise ValidationError(errors)
        visible = rows_visible(dataset=dataset, user=request.user)
        if request.accepted_renderer.format == "csv" and not visible:
            raise PermissionDenied(f"{dataset.get_format_display()}'s rows are for signed-in analysts only.")
        try:
            comparison = reference_compare(dataset=dataset, incidents=filterset.qs, filters=filterset.form.cleaned_data)
        except TooManyEventsError as error:
            raise ValidationError({"dataset": [str(error)]}) from None
        if request.accepted_renderer.format == "csv":
            return self._csv(request, dataset, comparison, sets)
        body = {
            "dataset": {
                "format": dataset.format,
                "name": dataset.get_format_display(),
                "version": dataset.version,
                "imported_at": dataset.imported_at,
                "restricted": dataset.restricted,
            },
            "match_rule": {"same_admin1": True, "days": MATCH_DAYS, "distance_km": MATCH_DISTANCE_KM},
            "totals": comparison.totals,
            "by_month": comparison.by_month,
            "by_admin1": comparison.by_admin1,
            "rows_withheld": not visible,
        }
        if "matched" in sets:
            body["matched"] = [
                {
                    "ours": _ours(pair["ours"]),
                    "theirs": _theirs(pair["theirs"], dataset) if visible else None,
                    "days_apart": pair["days_apart"],
                    "distance_km": pair["distance_km"],
                }
                for pair in comparison.matched[:MAX_ROWS_PER_SET]
            ]
        if "ours_only" in sets:
            body["ours_only"] = [_ours(row) for row in comparison.ours_only[:MAX_ROWS_PER_SET]]
        if "theirs_only" in sets:
            body["theirs_only"] = (
                [_theirs(row, dataset) for row in comparison.theirs_only[:MAX_ROWS_PER_SET]] if visible else None
            )
        return Response(body)

    def _csv(self, request, dataset, comparison, sets) -> StreamingHttpResponse:
        slot, wait = export_admit(request)
        if slot is None:
            raise Throttled(wait=wait, detail="Too many exports from this client.")
        rows = comparison_csv_rows(comparison=comparison, sets=sets)
        response = StreamingHttpResponse(
            ExportStream(csv_lines(header=CSV_COLUMNS, rows=rows), slot), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="compare-{dataset.format}.csv"'
        return response


@extend_schema(summary="One reference dataset event, with every column of their row", responses=OpenApiTypes.OBJECT)
class ReferenceEventView(PublicReadMixin, generics.GenericAPIView):
    permission_classes = [CanReadOrAuthenticated]
    renderer_classes = [JSONRenderer]
    pagination_class = None

    def get(self, request, dataset: str, event_id: str, *args, **kwargs):
        event = (
            ReferenceEvent.objects.select_related("dataset", "admin1", "header")
            .filter(dataset__format=dataset, event_id=event_id)
            .first()
        )
        if event is None:
            raise NotFound("No such event.")
        if not rows_visible(dataset=event.dataset, user=request.user):
            raise PermissionDenied(f"{event.dataset.get_format_display()}'s rows are for signed-in analysts only.")
        return Response(
            {
                "dataset": event.dataset.format,
                "event_id": event.event_id,
                "date_start": event.date_start,
                "date_end": event.date_end,
                "date_precision": event.date_precision,
                "event_type": event.event_type,
                "country": event.country,
                "admin1": event.admin1.name if event.admin1 else None,
                "admin1_name": event.admin1_name,
                "location": event.location,
                "lat": event.lat,
                "lon": event.lon,
                "location_precision": event.location_precision,
                "killed_min": event.killed_min,
                "killed_best": event.killed_best,
                "killed_max": event.killed_max,
                "fields": event.fields,
            }
        )
