"""The dashboard: pages render what a selector returns; charts come from JSON endpoints the page fetches.

Every read parses the query string with casualties.filters.incident_filter, the
parser the API and its exports use, so one URL gives the same incidents everywhere.
"""

import datetime
import functools
import json
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from casualties import charts
from casualties.access import user_is_analyst
from casualties.exports import ExportStream, export_admit
from casualties.filters import BoundingBoxField, incident_filterset
from casualties.forms import (
    NO_FIGURE_CHANGED,
    CorrectDetailsForm,
    CorrectFiguresForm,
    CorrectionForm,
    DashboardFilterForm,
    MergeForm,
    ReasonForm,
    RelocateForm,
    SplitForm,
    split_multi_values,
)
from casualties.geojson import incident_feature
from casualties.models import Incident, Place
from casualties.selectors.aggregates import toll_spans
from casualties.selectors.count_query import count_query_from
from casualties.selectors.counts import filtered_date_span, filtered_timeline_for_chart, filtered_totals_by_admin1
from casualties.selectors.dashboard import dashboard_summary, filter_query_string, incident_table_rows
from casualties.selectors.data_version import cached_for_data
from casualties.selectors.duplicates import (
    DUPLICATE_COUNT_CAP,
    DUPLICATE_DISTANCE_KM,
    duplicate_pair_incidents,
    incidents_possible_duplicate_pairs,
)
from casualties.selectors.filter_chips import filter_chips
from casualties.selectors.incident_page import evidence_in_text, incident_history, incident_possible_duplicates
from casualties.selectors.incidents import export_incident_records, incident_detail_queryset
from casualties.selectors.map import incident_map_data, incident_map_layers, map_focus_extent
from casualties.selectors.queue import incident_reviewed_by_other
from casualties.selectors.review import incident_review_reasons
from casualties.selectors.rollups import rollup_count
from casualties.services.markers import review_marker_set
from casualties.services.restructure import incident_split, incident_unmerge
from casualties.services.review import (
    incident_correct,
    incident_merge,
    incident_reject,
    incident_relocate,
    incident_verify,
)
from casualties.static_finders import PLOTLY_STATIC_PATH
from config.errors import INVALID, error_response

TABLE_COLUMNS = [
    ("date", "Date"),
    ("place", "Place"),
    ("admin1", "Governorate"),
    ("killed", "Killed"),
    ("injured", "Injured"),
    ("event_type", "Event type"),
    ("status", "Review"),
]


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The page. Its body (filters, totals, tables) is the same for everyone asking the same query string, so it
    is cached under the data version (one query when nothing changed); the frame around it (who is signed in,
    messages, the sign-out form's CSRF token) is rendered for each request."""
    body, status = cached_for_data(name="dashboard", params=request.GET, compute=lambda: _dashboard_body(request))
    context = {"body": body, "filter_query": filter_query_string(params=request.GET), "plotly_js": PLOTLY_STATIC_PATH}
    return render(request, "casualties/dashboard.html", context, status=status)


def _dashboard_body(request: HttpRequest) -> tuple[str, int]:
    summary = dashboard_summary(params=request.GET)
    form = DashboardFilterForm(split_multi_values(request.GET), admin1_choices=summary.admin1_choices)
    query = request.GET.urlencode()

    def incident_href(pk: int) -> str:
        return reverse("casualties:incident", args=[pk]) + (f"?{query}" if query else "")

    context = {
        "summary": summary,
        "table_rows": incident_table_rows(page=summary.table, href=incident_href) if summary.table else [],
        "chips": filter_chips(params=request.GET, admin1_rows=summary.admin1_choices),
        "form": form,
        "measures": charts.MEASURES,
        "stacks": charts.STACKS,
        "table_columns": TABLE_COLUMNS,
        "numeric_columns": ("killed", "injured"),
    }
    body = render_to_string("casualties/dashboard_body.html", context, request=request)
    return body, 400 if summary.errors else 200


# The possible duplicate pairs the list page shows; the count above it covers them all.
DUPLICATE_PAIRS_SHOWN = 200


@require_GET
def dashboard_duplicates(request: HttpRequest) -> HttpResponse:
    """The possible duplicate pairs under the dashboard's filters, each with a one-click merge for analysts."""
    filterset, errors = incident_filterset(params=request.GET)
    context = {
        "errors": errors,
        "filter_query": filter_query_string(params=request.GET),
        "shown": DUPLICATE_PAIRS_SHOWN,
    }
    if not errors:
        duplicates = incidents_possible_duplicate_pairs(incidents=filterset.qs)
        context["duplicates"] = duplicates
        if duplicates.counted:
            context["pairs"] = duplicate_pair_incidents(pairs=duplicates.pairs, limit=DUPLICATE_PAIRS_SHOWN)
    context.update(is_analyst=user_is_analyst(request.user), cap=DUPLICATE_COUNT_CAP, distance_km=DUPLICATE_DISTANCE_KM)
    return render(request, "casualties/dashboard_duplicates.html", context, status=400 if errors else 200)


def _filterset_or_400(request: HttpRequest):
    filterset, errors = incident_filterset(params=request.GET)
    if errors:
        return None, error_response(status=400, code="invalid", detail=INVALID, errors=errors)
    return filterset, None


def _filtered_or_400(request: HttpRequest):
    filterset, error = _filterset_or_400(request)
    return (None, error) if error else (filterset.qs, None)


def _choice(request: HttpRequest, name: str, allowed, default: str) -> str:
    value = request.GET.get(name) or default
    if value not in allowed:
        raise ValidationError({name: [f"Expected one of: {', '.join(allowed)}."]})
    return value


def _cached_by_data_version(name: str):
    """A JSON view whose 200 answers are cached under the data version and the query string (cached_for_data):
    a chart or map asked again before the data changed costs one query. Errors are answered afresh each time."""

    def decorate(view):
        @functools.wraps(view)
        def cached(request: HttpRequest) -> HttpResponse:
            fresh = None

            def compute() -> bytes | None:
                nonlocal fresh
                fresh = view(request)
                return fresh.content if fresh.status_code == 200 else None

            content = cached_for_data(name=name, params=request.GET, compute=compute)
            return fresh if content is None else HttpResponse(content, content_type="application/json")

        return cached

    return decorate


@require_GET
@_cached_by_data_version("timeline")
def timeline_data(request: HttpRequest) -> JsonResponse:
    """The timeline figure. ?measure=killed|injured|incidents, ?stack=admin1|event_type|none, ?interval= optional."""
    filterset, error = _filterset_or_400(request)
    if error:
        return error
    try:
        measure = _choice(request, "measure", charts.MEASURES, "killed")
        stack = _choice(request, "stack", charts.STACKS, "admin1")
        interval = request.GET.get("interval") or ""
        if interval and interval not in ("day", "week", "month"):
            raise ValidationError({"interval": ["Expected one of: day, week, month."]})
    except ValidationError as invalid:
        return error_response(status=400, code="invalid", detail=INVALID, errors=invalid.message_dict)
    if not interval:
        # The span shown: the filter's dates, or else the dates of the incidents themselves.
        span_first, span_last = filtered_date_span(filterset=filterset)
        first = _iso_date(request.GET.get("date_from")) or span_first
        last = _iso_date(request.GET.get("date_to")) or span_last
        interval = charts.choose_interval(first, last)
    group_by = None if stack == "none" else stack
    # Bars are incidents; reported period totals are spans over their period (whatever `aggregate` asks), so a
    # toll never stands as a bar in its first month. aggregate=true: the spans alone.
    mode = filterset.form.cleaned_data.get("aggregate")
    rows = []
    if mode is not True:
        if mode is None:
            filterset, _errors = incident_filterset(params=_with(request.GET, aggregate="false"))
        rows = filtered_timeline_for_chart(
            filterset=filterset, interval=interval, group_by=group_by, measure=measure, top=charts.MAX_GROUPS
        )
    spans = toll_spans(params=request.GET)
    figure = charts.timeline_figure(rows, measure=measure, interval=interval, group_by=group_by, spans=spans)
    return JsonResponse({"interval": interval, "measure": measure, "stack": stack, "figure": figure})


def _with(params: QueryDict, **values: str) -> QueryDict:
    changed = params.copy()
    for name, value in values.items():
        changed[name] = value
    return changed


def _iso_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_GET
@_cached_by_data_version("admin1")
def admin1_data(request: HttpRequest) -> JsonResponse:
    filterset, error = _filterset_or_400(request)
    if error:
        return error
    rows = filtered_totals_by_admin1(filterset=filterset)
    return JsonResponse({"rows": rows, "figure": charts.admin1_bar_figure(rows)})


@require_GET
@_cached_by_data_version("map")
def map_data(request: HttpRequest) -> JsonResponse:
    filterset, error = _filterset_or_400(request)
    if error:
        return error
    cleaned = filterset.form.cleaned_data
    focus = map_focus_extent(admin1_ids=cleaned.get("admin1") or None, countries=cleaned.get("country") or None)
    # The part of the map the reader zoomed or panned to: clusters and town labels suit it. Not a filter.
    try:
        shown = BoundingBoxField(required=False).clean(request.GET.get("view"))
    except ValidationError as error:
        return error_response(status=400, code="invalid", detail=INVALID, errors={"view": error.messages})
    view = {"lonaxis": [shown[0], shown[2]], "lataxis": [shown[1], shown[3]]} if shown else None
    layers = incident_map_data(incidents=filterset.qs, bbox=cleaned.get("bbox"), focus=focus, view=view)
    return JsonResponse({"figure": charts.map_figure(layers)})


@require_GET
@_cached_by_data_version("duplicates")
def duplicates_note(request: HttpRequest) -> JsonResponse:
    """The dashboard's possible-duplicates line for its filters: {"counted", "count", "html"}.

    Apart from the page, which fetches it once shown: its scan reads up to DUPLICATE_COUNT_CAP incidents (about
    100 ms at 2M), the page's largest query. A view the counts say is over the cap is not read at all.
    """
    filterset, error = _filterset_or_400(request)
    if error:
        return error
    query = count_query_from(filterset)
    duplicates = incidents_possible_duplicate_pairs(
        incidents=filterset.qs, known_count=rollup_count(query=query) if query else None
    )
    html = render_to_string(
        "casualties/dashboard_duplicates_note.html",
        {"duplicates": duplicates, "filter_query": filter_query_string(params=request.GET)},
    )
    return JsonResponse({"counted": duplicates.counted, "count": duplicates.count, "html": html})


def _stream_json(records: Iterator[dict], *, head: str, tail: str, transform) -> Iterator[str]:
    yield head
    for index, record in enumerate(records):
        yield ("," if index else "") + json.dumps(transform(record), separators=(",", ":"))
    yield tail


EXPORT_FORMATS = {"geojson": "application/geo+json", "json": "application/json"}


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every incident the filters select as GeoJSON or JSON, streamed (the API's own pages stop at 1,000).

    Limited per client in rate and in exports running at once (casualties/exports.py).
    """
    if fmt not in EXPORT_FORMATS:
        # The name is not echoed: it is the client's, and may carry CR/LF or quotes.
        return error_response(status=404, code="not_found", detail="Unknown format: use geojson or json.")
    incidents, error = _filtered_or_400(request)
    if error:
        return error
    slot, wait = export_admit(request)
    if slot is None:
        response = error_response(
            status=429, code="throttled", detail=f"Too many exports from this client; try again in {wait} seconds."
        )
        response["Retry-After"] = str(wait)
        return response
    records = export_incident_records(incidents=incidents)
    if fmt == "geojson":
        body = _stream_json(
            records, head='{"type":"FeatureCollection","features":[', tail="]}", transform=incident_feature
        )
    else:
        body = _stream_json(records, head='{"results":[', tail="]}", transform=lambda record: record)
    response = StreamingHttpResponse(ExportStream(body, slot), content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="incidents.{fmt}"'
    return response


# --- Incident page ----------------------------------------------------------------------


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_page(request, pk)


def _incident_page(
    request: HttpRequest,
    pk: int,
    *,
    correct_form: CorrectFiguresForm | None = None,
    details_form: CorrectDetailsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The incident page; with `correct_form`, the analyst's refused correction, its errors beside its fields."""
    incident = get_object_or_404(incident_detail_queryset(), pk=pk)
    is_analyst = user_is_analyst(request.user)
    reviewed_by = None
    if is_analyst:
        # Read before setting ours: another analyst's live marker is what this one must see.
        reviewed_by = incident_reviewed_by_other(incident=incident, user=request.user)
        review_marker_set(incident=incident, user=request.user)
    claims = [
        {
            "claim": claim,
            "text": evidence_in_text(
                text=claim.article.text,
                start=claim.evidence_start,
                end=claim.evidence_end,
                evidence=claim.evidence,
            ),
        }
        for claim in incident.claims.all()
    ]
    if details_form is None:
        details_form = CorrectDetailsForm(
            initial={field: getattr(incident, field) for field in CorrectDetailsForm.base_fields if field != "reason"}
        )
    if correct_form is None:
        correct_form = CorrectFiguresForm(
            initial={field: getattr(incident, field) for field in CorrectFiguresForm.base_fields if field != "reason"}
        )
    context = {
        "incident": incident,
        "review_reasons": incident_review_reasons(
            review_status=incident.review_status, lowest_confidence=incident.lowest_confidence
        ),
        "claims": claims,
        "history": incident_history(incident=incident),
        "duplicates": incident_possible_duplicates(incident=incident),
        "is_analyst": is_analyst,
        "reviewed_by": reviewed_by,
        # Splitting needs a claim to stay: two at least, on an incident that is not merged.
        "can_split": is_analyst and len(claims) > 1 and incident.review_status != Incident.ReviewStatus.MERGED,
        "correct_form": correct_form,
        "details_form": details_form,
        "reason_form": ReasonForm(),
        "merge_form": MergeForm(),
        # The page's own address is the incident's stable one: a merged incident's page points to the one kept.
        "cite_url": request.build_absolute_uri(reverse("casualties:incident", args=[incident.pk])),
    }
    context["map_figure"] = charts.incident_map_figure(incident_map_layers(incident=incident))
    context["plotly_js"] = PLOTLY_STATIC_PATH
    return render(request, "casualties/incident.html", context, status=status)


def _correct(request: HttpRequest, incident: Incident) -> HttpResponse:
    """Save an analyst's figures, or show the page again with each error next to its field (400)."""
    form = CorrectFiguresForm(request.POST)
    if _save_correction(request, incident, form, nothing_changed=NO_FIGURE_CHANGED) is not None:
        messages.success(request, f"Figures of incident {incident.pk} corrected and locked.")
        return redirect(reverse("casualties:incident", args=[incident.pk]))
    return _incident_page(request, incident.pk, correct_form=form, status=400)


def _details(request: HttpRequest, incident: Incident) -> HttpResponse:
    """Save dates, type, actor, victims and note, or show the page again with each error beside its field (400)."""
    form = CorrectDetailsForm(request.POST)
    if (saved := _save_correction(request, incident, form, nothing_changed="Nothing changed.")) is not None:
        messages.success(request, f"Incident {incident.pk}: {', '.join(sorted(saved))} saved.")
        return redirect(reverse("casualties:incident", args=[incident.pk]))
    return _incident_page(request, incident.pk, details_form=form, status=400)


def _save_correction(
    request: HttpRequest, incident: Incident, form: CorrectionForm, *, nothing_changed: str
) -> dict[str, Any] | None:
    """Apply the form's changes through incident_correct and return them; None, the errors on the form, if refused."""
    changes: dict[str, Any] = {}
    if form.is_valid():
        changes = form.changes(incident)
        if not changes:
            form.add_error(None, nothing_changed)
        else:
            try:
                incident_correct(
                    incident=incident, user=request.user, changes=changes, reason=form.cleaned_data["reason"]
                )
            except ValidationError as invalid:
                form.add_service_errors(invalid)
    return None if form.errors else changes


_ACTIONS = ("verify", "reject", "correct", "details", "merge", "relocate", "split", "unmerge")


@require_POST
def incident_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """An analyst's review decision from the incident page, through casualties.services.review."""
    if not user_is_analyst(request.user):
        raise PermissionDenied("Only analysts may review incidents.")
    if action not in _ACTIONS:
        raise Http404("Unknown action")
    incident = get_object_or_404(Incident, pk=pk)
    if action == "correct":
        return _correct(request, incident)
    if action == "details":
        return _details(request, incident)
    target = incident
    try:
        if action in ("verify", "reject"):
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            service = incident_verify if action == "verify" else incident_reject
            service(incident=incident, user=request.user, reason=form.cleaned_data["reason"])
            if incident.awaiting_confirmation:
                messages.success(request, f"Incident {pk} awaits a second analyst's confirmation.")
            else:
                messages.success(request, f"Incident {pk} {'verified' if action == 'verify' else 'rejected'}.")
        elif action == "split":
            form = SplitForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            target = incident_split(
                incident=incident,
                claim_ids=form.cleaned_data["claims"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"Claims split off incident {pk} into this new incident {target.pk}.")
        elif action == "unmerge":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            incident_unmerge(incident=incident, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, f"Merge undone: incident {pk} stands on its own again.")
        elif action == "relocate":
            form = RelocateForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            place = Place.objects.select_related("admin1").filter(pk=form.cleaned_data["place_id"]).first()
            if place is None:
                raise ValidationError(f"No place {form.cleaned_data['place_id']}.")
            incident_relocate(incident=incident, user=request.user, place=place, reason=form.cleaned_data["reason"])
            messages.success(request, f"Incident {pk} moved to {place.name}.")
        else:
            form = MergeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            target = Incident.objects.filter(pk=form.cleaned_data["into"]).first()
            if target is None:
                raise ValidationError(f"No incident {form.cleaned_data['into']}.")
            incident_merge(keep=target, drop=incident, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, f"Incident {pk} merged into incident {target.pk}.")
    except ValidationError as invalid:
        messages.error(request, "Not saved: " + " ".join(invalid.messages))
        return redirect(reverse("casualties:incident", args=[pk]))
    return redirect(reverse("casualties:incident", args=[target.pk]))
