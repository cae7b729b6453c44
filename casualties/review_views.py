"""The analysts' workspace pages: the review queue and its bulk decision.

Apart from casualties.views (the public dashboard) so both stay short; the same
rules hold: parse with casualties.filters, read through a selector, write through
a service, render.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from casualties.access import user_is_analyst
from casualties.filters import incident_filterset
from casualties.forms import DashboardFilterForm, QueueDecisionForm, split_multi_values
from casualties.selectors.dashboard import filter_query_string
from casualties.selectors.duplicates import DUPLICATE_COUNT_CAP
from casualties.selectors.queue import review_queue
from casualties.services.review import incidents_decide

# The dashboard filters the queue's own form offers; any other in the URL still applies.
QUEUE_FILTER_FIELDS = ("date_from", "date_to", "country", "place", "event_type", "killed_min", "q")


def _analysts_only(request: HttpRequest) -> HttpResponse | None:
    """The sign-in page for visitors, 403 for users who are not analysts, None for analysts."""
    if user_is_analyst(request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied("Only analysts may review incidents.")


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Unverified incidents, those needing review first, under the dashboard's filters."""
    if denied := _analysts_only(request):
        return denied
    filterset, errors = incident_filterset(params=request.GET)
    form = DashboardFilterForm(split_multi_values(request.GET))
    context = {
        "errors": errors,
        "filter_fields": [form[name] for name in QUEUE_FILTER_FIELDS],
        "filter_query": filter_query_string(params=request.GET),
        "duplicate_cap": DUPLICATE_COUNT_CAP,
        "queue": None if errors else review_queue(incidents=filterset.qs, user=request.user),
    }
    return render(request, "casualties/review.html", context, status=400 if errors else 200)


@require_POST
def queue_decide(request: HttpRequest) -> HttpResponse:
    """Verify or reject the ticked incidents in one transaction, then back to the same queue."""
    if denied := _analysts_only(request):
        return denied
    form = QueueDecisionForm(request.POST)
    back = reverse("casualties:review")
    if form.is_valid():
        # Re-encoded: whatever the field holds, the redirect stays on this page with a clean query string.
        query = filter_query_string(params=QueryDict(form.cleaned_data["next_query"]))
        back += f"?{query}" if query else ""
        try:
            decided = incidents_decide(
                incident_ids=form.cleaned_data["incidents"],
                decision=form.cleaned_data["decision"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as invalid:
            messages.error(request, "Nothing saved: " + " ".join(invalid.messages))
        else:
            done = "verified" if form.cleaned_data["decision"] == "verify" else "rejected"
            ids = ", ".join(str(incident.pk) for incident in decided)
            messages.success(request, f"{len(decided)} incident{'s' if len(decided) != 1 else ''} {done}: {ids}.")
    else:
        problems = [message for field_errors in form.errors.values() for message in field_errors]
        messages.error(request, "Nothing saved: " + " ".join(problems))
    return redirect(back)
