"""The comparison page: /compare/?dataset=ucdp&<the dashboard's filters>. A selector, then render.

The chart is drawn by static/casualties/compare.js from GET /api/v1/compare/ with the
page's own query string, so the page, the API and the CSV compare the same events.
"""

import calendar
import datetime

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from casualties.filters import incident_filterset
from casualties.models import ReferenceDataset
from casualties.reference.comparison import (
    MATCH_DAYS,
    MATCH_DISTANCE_KM,
    TooManyEventsError,
    reference_compare,
    rows_visible,
)
from casualties.static_finders import PLOTLY_STATIC_PATH

# Rows per list on the page; the CSV export has them all.
PAGE_ROWS = 200


def _query(params: QueryDict, **changes: str | None) -> str:
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def _month_query(params: QueryDict, month: str, dataset: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    last = calendar.monthrange(year, number)[1]
    return _query(
        params,
        dataset=dataset,
        date_from=datetime.date(year, number, 1).isoformat(),
        date_to=datetime.date(year, number, last).isoformat(),
    )


def compare(request: HttpRequest) -> HttpResponse:
    datasets = list(ReferenceDataset.objects.all())
    params = request.GET
    context: dict = {
        "datasets": datasets,
        "params": params,
        "match_days": MATCH_DAYS,
        "match_distance_km": MATCH_DISTANCE_KM,
        "plotly_js": PLOTLY_STATIC_PATH,
        "page_rows": PAGE_ROWS,
    }
    if not datasets:
        return render(request, "casualties/compare.html", context)
    name = params.get("dataset") or datasets[0].format
    dataset = next((candidate for candidate in datasets if candidate.format == name), None)
    filterset, errors = incident_filterset(params=params)
    if dataset is None:
        errors = {**errors, "dataset": [f"No imported dataset {name!r}."]}
    comparison = None
    if not errors:
        try:
            comparison = reference_compare(dataset=dataset, incidents=filterset.qs, filters=filterset.form.cleaned_data)
        except TooManyEventsError as error:
            errors = {"dataset": [str(error)]}
    if errors:
        return render(request, "casualties/compare.html", {**context, "errors": errors}, status=400)
    query = _query(params, dataset=dataset.format)
    context.update(
        dataset=dataset,
        comparison=comparison,
        visible=rows_visible(dataset=dataset, user=request.user),
        query=query,
        dashboard_query=_query(params, dataset=None),
        months=[{**row, "query": _month_query(params, row["month"], dataset.format)} for row in comparison.by_month],
        divisions=[
            {**row, "query": _query(params, admin1=row["admin1"], dataset=dataset.format)}
            for row in comparison.by_admin1
        ],
        matched=comparison.matched[:PAGE_ROWS],
        ours_only=comparison.ours_only[:PAGE_ROWS],
        theirs_only=comparison.theirs_only[:PAGE_ROWS],
    )
    return render(request, "casualties/compare.html", context)
