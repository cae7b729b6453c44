"""Reported period totals (aggregate tolls) apart from the incidents, each beside what our incidents add up to.

An aggregate toll is a total a monitor or an official reported for a period and an area
(`Incident.aggregate`). The totals, the timeline and the governorate table leave them
out by default, so a toll is never summed with the incidents it covers; they are listed
here instead, under the page's other filters, and each comes with its coverage: what the
incidents on record add up to for the same area (its division, else its country) and
period, so a reader sees how much of the reported toll the record holds.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from casualties.dates import validate_record_date
from casualties.filters import incident_filterset
from casualties.models import Claim, Incident
from casualties.selectors.area_totals import Area, area_totals_many
from casualties.selectors.count_query import count_query_from
from casualties.selectors.counts import filtered_incident_count

# The dashboard's table and the API's answer list at most this many tolls, newest first; each costs a few queries.
AGGREGATE_ROWS_LIMIT = 100
# The page's own parameters and the filters a toll's coverage replaces with its own area and period.
_NOT_FILTERS = ("sort", "page", "measure", "stack", "format")


def aggregate_params(params: QueryDict) -> QueryDict:
    """The query string's filters with aggregate=true: the tolls the other filters select."""
    tolls = params.copy()
    for name in _NOT_FILTERS:
        tolls.pop(name, None)
    tolls["aggregate"] = "true"
    return tolls


def _coverage_params(*, toll: Incident, params: QueryDict) -> QueryDict:
    """The incidents (not tolls) in the toll's division (else its country) and period, under the same review filter.

    Only the review status carries over from the page: the toll counts every kind of event in its area,
    so its coverage does too.
    """
    coverage = QueryDict(mutable=True)
    if params.getlist("review_status"):
        coverage.setlist("review_status", params.getlist("review_status"))
    coverage["country"] = toll.country
    if toll.admin1_id is not None:
        coverage["admin1"] = toll.admin1.code
    coverage["date_from"] = toll.date_start.isoformat()
    coverage["date_to"] = toll.date_end.isoformat()
    return coverage


@dataclass(frozen=True)
class Coverage:
    """What the incidents on record add up to for a toll's area and period (figures None where none gives one)."""

    incidents: int
    killed_min: int | None
    killed: int | None
    injured: int | None
    incidents_with_killed: int
    incidents_with_injured: int
    area: str  # the division's name, else the country code
    query: str  # the filters selecting those incidents, for a link to the incident table

    @property
    def incidents_without_killed(self) -> int:
        return self.incidents - self.incidents_with_killed


@dataclass(frozen=True)
class ReportedTotal:
    """One aggregate toll with its sources and coverage. `toll` is the Incident row (admin1 joined)."""

    toll: Incident
    sources: list[dict[str, Any]]  # {"name", "title", "url", "published_at"} per claim, first report first
    evidence: str  # the sentence of the first report
    coverage: Coverage


def _tolls(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    claims = Claim.objects.select_related("article", "article__source").order_by("-opened_incident", "id")
    return (
        incidents.select_related("admin1")
        .prefetch_related(Prefetch("claims", queryset=claims))
        .order_by("-date_start", "-id")
    )


def reported_totals(*, params: QueryDict, limit: int = AGGREGATE_ROWS_LIMIT) -> tuple[list[ReportedTotal], int]:
    """The tolls the page's other filters select (newest first, at most `limit`) and how many there are in all.

    `params` is the page's or the API's query string; its `aggregate` is ignored (the tolls are what
    is listed). Bad filters give ([], 0): the caller reports them through the incident filters' errors.
    """
    filterset, errors = incident_filterset(params=aggregate_params(params))
    if errors:
        return [], 0
    tolls = list(_tolls(filterset.qs)[:limit])
    # Fewer than `limit` are all there are: counted without asking the counts.
    count = len(tolls) if len(tolls) < limit else filtered_incident_count(filterset=filterset)
    rows = []
    for toll, coverage in zip(tolls, toll_coverages(tolls=tolls, params=params), strict=True):
        claims = list(toll.claims.all())
        rows.append(
            ReportedTotal(
                toll=toll,
                sources=[
                    {
                        "name": claim.article.source.name if claim.article.source_id else "",
                        "title": claim.article.title,
                        "url": claim.article.url,
                        "published_at": claim.article.published_at,
                    }
                    for claim in claims
                ],
                evidence=claims[0].evidence if claims else "",
                coverage=coverage,
            )
        )
    return rows, count


def toll_coverages(*, tolls: list[Incident], params: QueryDict) -> list[Coverage]:
    """What the incidents on record add up to in each toll's area and period (see the module's docstring).

    From the counts, every toll's in one query (area_totals_many) plus the longest-span probe. The page's
    review filter is parsed once; each toll's own division, country and dates are known already (its division
    by id, not looked up again by code), so a page of 25 tolls parses one filter, not 25.
    """
    coverages = [_coverage_params(toll=toll, params=params) for toll in tolls]
    base, errors = incident_filterset(params=_review_filter(params))
    base_query = None if errors else count_query_from(base)
    none: dict[str, Any] = {"incidents": 0, "incidents_with_killed": 0, "incidents_with_injured": 0}
    areas = [None if base_query is None else _toll_area(toll) for toll in tolls]
    summed = iter(
        []
        if base_query is None
        else area_totals_many(base=base_query, areas=[area for area in areas if area is not None])
    )
    return [
        _coverage(toll=toll, coverage=coverage, totals=none if area is None else next(summed))
        for toll, coverage, area in zip(tolls, coverages, areas, strict=True)
    ]


def _review_filter(params: QueryDict) -> QueryDict:
    """The one filter of the page a toll's coverage keeps: its review status (see _coverage_params)."""
    kept = QueryDict(mutable=True)
    if params.getlist("review_status"):
        kept.setlist("review_status", params.getlist("review_status"))
    return kept


def _toll_area(toll: Incident) -> Area | None:
    """The toll's division (else its country) and period; None when its dates are outside what a filter accepts
    (casualties.dates): no coverage, as the filters would refuse them."""
    try:
        validate_record_date(toll.date_start)
        validate_record_date(toll.date_end)
    except ValidationError:
        return None
    return Area(country=toll.country, admin1_id=toll.admin1_id, date_from=toll.date_start, date_to=toll.date_end)


def _coverage(*, toll: Incident, coverage: QueryDict, totals: dict[str, Any]) -> Coverage:
    return Coverage(
        incidents=totals["incidents"],
        killed_min=totals.get("killed_min"),
        killed=totals.get("killed"),
        injured=totals.get("injured"),
        incidents_with_killed=totals["incidents_with_killed"],
        incidents_with_injured=totals["incidents_with_injured"],
        area=toll.admin1.display_name if toll.admin1_id is not None else toll.country,
        query=coverage.urlencode(),
    )


def toll_spans(*, params: QueryDict, limit: int = AGGREGATE_ROWS_LIMIT) -> list[dict[str, Any]]:
    """The tolls the other filters select as the timeline draws them: a span over their period. One query.

    Rows: {"id", "date_start", "date_end", "killed_min", "killed_max", "injured_max", "area"}, newest first.
    """
    filterset, errors = incident_filterset(params=aggregate_params(params))
    if errors:
        return []
    rows = filterset.qs.order_by("-date_start", "-id").values(
        "id", "date_start", "date_end", "killed_min", "killed_max", "injured_max", "country", "admin1__display_name"
    )[:limit]
    return [
        {
            **{key: row[key] for key in ("id", "date_start", "date_end", "killed_min", "killed_max", "injured_max")},
            "area": row["admin1__display_name"] or row["country"],
        }
        for row in rows
    ]
