"""What the dashboard page renders server-side: totals, the governorate table and choices, the incident table.

The map is in casualties.selectors.map, the incident page's reads in
casualties.selectors.incident_page. Each list read takes an incident queryset already narrowed by
`casualties.filters.incident_filter`, so the page, its JSON endpoints and the
exports count the same incidents.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import QueryDict

from casualties.filters import incident_filterset
from casualties.models import Incident
from casualties.selectors.aggregates import ReportedTotal, reported_totals
from casualties.selectors.counts import filtered_admin1_list, filtered_incident_totals, filtered_totals_by_admin1
from casualties.selectors.incidents import incident_list
from casualties.selectors.stats import admin1_list_with_count_map

TABLE_PAGE_SIZE = 50
# The reported period totals the page lists (each with its coverage, a few queries); the API lists more.
REPORTED_TOTALS_ROWS = 25
# The governorate table shows the most-killed this many; the rest are in the CSV (thousands worldwide).
ADMIN1_TABLE_ROWS = 100
# Sort keys the table accepts (?sort=killed or ?sort=-killed) and the columns they order by.
TABLE_SORTS: dict[str, tuple[str, ...]] = {
    "date": ("date_start", "id"),
    "place": ("place_name", "id"),
    "admin1": ("admin1__name", "id"),
    "killed": ("killed_max", "id"),
    "injured": ("injured_max", "id"),
    "event_type": ("event_type", "id"),
    "status": ("review_status", "id"),
}
DEFAULT_SORT = "-date"
# Parameters that are the page's own (sorting, paging, chart choices), not filters: left out of export links.
PAGE_PARAMETERS = ("sort", "page", "measure", "stack")


@dataclass(frozen=True)
class HeadlineFigure:
    """One figure of the headline: its sum (None: no incident gives it), how many incidents give it and how many not."""

    name: str  # the totals' name: "killed", "injured", "children", "women"
    label: str
    value: int | None
    low: int | None  # the sum of the lowest counts, when it differs from `value` (shown as a range, 23 to 26)
    reported: int
    missing: int


# (totals name, label, the totals name of its lower bound or None, the count of incidents giving it)
_HEADLINE = (
    ("killed", "killed", "killed_min", "incidents_with_killed"),
    ("injured", "injured", None, "incidents_with_injured"),
    ("children", "children killed, where reported", None, "incidents_with_children"),
    ("women", "women killed, where reported", None, "incidents_with_women"),
)


def headline_figures(totals: dict[str, int | None]) -> list[HeadlineFigure]:
    """The headline's figures from filtered_incident_totals' dict, each with the incidents behind it."""
    figures = []
    for name, label, low_name, reported_name in _HEADLINE:
        value = totals[name]
        low = totals[low_name] if low_name else None
        figures.append(
            HeadlineFigure(
                name=name,
                label=label,
                value=value,
                low=low if low is not None and low != value else None,
                reported=totals[reported_name],
                missing=totals["incidents"] - totals[reported_name],
            )
        )
    return figures


@dataclass
class DashboardSummary:
    """What the dashboard page renders around its charts. `errors` maps bad parameters to messages."""

    errors: dict[str, list[str]]
    totals: dict[str, int | None] = field(default_factory=dict)
    headline: list[HeadlineFigure] = field(default_factory=list)
    admin1_rows: list[dict[str, Any]] = field(default_factory=list)
    admin1_more: int = 0  # governorates with incidents beyond the table's ADMIN1_TABLE_ROWS
    admin1_choices: list[dict[str, Any]] = field(default_factory=list)
    reported_totals: list[ReportedTotal] = field(default_factory=list)
    reported_count: int = 0  # every toll the filters select; the page lists REPORTED_TOTALS_ROWS
    table: Page | None = None
    sort: str = DEFAULT_SORT
    filter_query: str = ""


def filter_query_string(*, params: QueryDict) -> str:
    """The query string of the filters alone (no sort, page or chart choices, no empty values)."""
    kept = QueryDict(mutable=True)
    for key, values in params.lists():
        if key in PAGE_PARAMETERS:
            continue
        non_empty = [value for value in values if value.strip()]
        if non_empty:
            kept.setlist(key, non_empty)
    return kept.urlencode()


def table_sort_key(raw: str | None) -> str:
    """A known sort key ("killed", "-date"...), else the default: a bad ?sort= is not worth a 400."""
    if raw and raw.lstrip("-") in TABLE_SORTS:
        return raw
    return DEFAULT_SORT


class _CountedPaginator(Paginator):
    """A paginator told how many rows there are, so it runs no COUNT(*) over millions of incidents."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def incident_table_page(
    *, incidents: QuerySet[Incident], sort: str, page: str | int | None, count: int | None = None
) -> Page:
    """One page of the incident table, ordered by `sort` (see TABLE_SORTS); out-of-range pages give the last.

    `count`, when the caller knows it (from the pre-aggregated counts), spares the COUNT(*).
    """
    sort = table_sort_key(sort)
    descending = sort.startswith("-")
    columns = TABLE_SORTS[sort.lstrip("-")]
    ordering = [f"-{column}" if descending else column for column in columns]
    if sort.lstrip("-") in ("killed", "injured"):
        # Unknown figures last whichever way the column is sorted.
        ordering = [
            F(columns[0]).desc(nulls_last=True) if descending else F(columns[0]).asc(nulls_last=True),
            ordering[1],
        ]
    rows = incident_list(incidents=incidents).order_by(*ordering)
    paginator = (
        Paginator(rows, TABLE_PAGE_SIZE) if count is None else _CountedPaginator(rows, TABLE_PAGE_SIZE, count=count)
    )
    return paginator.get_page(page)


@dataclass(frozen=True)
class TableRow:
    """One row of the incident table as shown: its cells' text worked out once in Python. The template then prints
    a dozen plain values a row instead of resolving some thirty lookups, filters and choice labels (at 50 rows,
    about a third of the page's template time)."""

    pk: int
    href: str
    dates: str
    place: str
    precision: str  # the location precision's label when the incident is not placed at a town, else ""
    division: str
    killed: str
    injured: str
    event_type: str
    aggregate: bool
    review_status: str
    review_label: str
    grade: str


def _figure_text(low: int | None, high: int | None) -> str:
    """A figure as the table shows it: "3\u20135" for a range (an en dash), "5", or an em dash when unknown."""
    shown = "\u2014" if high is None else str(high)
    return f"{low}\u2013{shown}" if low is not None and low != high else shown


def _choice_labels(name: str) -> dict[Any, str]:
    return {value: str(label) for value, label in Incident._meta.get_field(name).flatchoices}


def incident_table_rows(*, page: Page, href: Callable[[int], str]) -> list[TableRow]:
    """The rows of one page of the incident table (incident_table_page); `href(pk)` links each to its incident."""
    events, statuses, precisions = (
        _choice_labels(name) for name in ("event_type", "review_status", "location_precision")
    )
    rows = []
    for incident in page:
        dates = incident.date_start.isoformat()
        if incident.date_end != incident.date_start:
            dates += f" to {incident.date_end.isoformat() if incident.date_end else ''}"
        precision = incident.location_precision
        division = incident.admin1.display_name if incident.admin1_id else ""
        rows.append(
            TableRow(
                pk=incident.pk,
                href=href(incident.pk),
                dates=dates,
                place=incident.place_display_name or "\u2014",
                precision="" if precision == "place" else precisions.get(precision, precision),
                division=division or incident.country,
                killed=_figure_text(incident.killed_min, incident.killed_max),
                injured=_figure_text(incident.injured_min, incident.injured_max),
                event_type=events.get(incident.event_type, incident.event_type),
                aggregate=incident.aggregate,
                review_status=incident.review_status,
                review_label=statuses.get(incident.review_status, incident.review_status),
                grade=incident.grade,
            )
        )
    return rows


def admin1_choices_with_counts(*, params: QueryDict) -> list[dict[str, Any]]:
    """The divisions with incidents under the current filter *without* the admin1 choice, most incidents first,
    and the divisions chosen in the URL whatever their count.

    So the governorate selector lists what each choice would add and nothing that would add none; the
    rest are found by the page's search (the API's /admin1/ list). A bad filter gives the chosen ones only
    (the page shows the error).
    """
    without_admin1 = params.copy()
    without_admin1.pop("admin1", None)
    filterset, errors = incident_filterset(params=without_admin1)
    countries = [code.strip().upper() for value in params.getlist("country") for code in value.split(",") if code]
    if errors:
        rows = admin1_list_with_count_map(counts={}, countries=countries or None)
    else:
        rows = filtered_admin1_list(filterset=filterset, countries=countries or None)
    chosen = {name.strip().casefold() for value in params.getlist("admin1") for name in value.split(",")}
    kept = [row for row in rows if row["incidents"] or row["name"].casefold() in chosen]
    return sorted(kept, key=lambda row: (-row["incidents"], row["name"], row["country"]))


def dashboard_summary(*, params: QueryDict) -> DashboardSummary:
    """Everything the dashboard page renders server-side for the filters in `params`."""
    filterset, errors = incident_filterset(params=params)
    choices = admin1_choices_with_counts(params=params)
    if errors:
        return DashboardSummary(errors=errors, admin1_choices=choices, filter_query=filter_query_string(params=params))
    sort = table_sort_key(params.get("sort"))
    totals = filtered_incident_totals(filterset=filterset)
    admin1_rows = filtered_totals_by_admin1(filterset=filterset)
    reported, reported_count = reported_totals(params=params, limit=REPORTED_TOTALS_ROWS)
    return DashboardSummary(
        errors={},
        totals=totals,
        headline=headline_figures(totals),
        admin1_rows=admin1_rows[:ADMIN1_TABLE_ROWS],
        admin1_more=max(0, len(admin1_rows) - ADMIN1_TABLE_ROWS),
        admin1_choices=choices,
        reported_totals=reported,
        reported_count=reported_count,
        table=incident_table_page(
            incidents=filterset.qs, sort=sort, page=params.get("page"), count=totals["incidents"]
        ),
        sort=sort,
        filter_query=filter_query_string(params=params),
    )
