"""Our incidents beside a reference dataset's events, for one dashboard filter: matched, ours only, theirs only.

The match rule (docs/reference-datasets.md): an incident of ours and one of their
events match when both are located to the same first-level division, their date
spans overlap or touch within MATCH_DAYS days, and, when both have a place-precise
point, the points are at most MATCH_DISTANCE_KM apart. Each event matches at most
one of the other side's, greedily: our incidents in date order, each taking the
closest free event (fewest days apart, then nearest, then the closest figure).

Their events that are of no violent type and killed no one (protests, strategic
developments) are left out: our record holds violent events only.
"""

import bisect
import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from casualties.access import user_is_analyst
from casualties.display_names import place_display_name
from casualties.models import Admin1, EventType, Incident, ReferenceDataset, ReferenceEvent

MATCH_DAYS = 1
# UCDP's where_prec 2 places an event within 25 km of a named point; ACLED's geo_precision 2 codes the nearest town.
MATCH_DISTANCE_KM = 25.0
# Events per side a comparison reads; a wider filter is refused with a request to narrow it.
MAX_EVENTS_PER_SIDE = 50_000
_EARTH_RADIUS_KM = 6371.0088
_OURS_FIELDS = (
    "id",
    "date_start",
    "date_end",
    "admin1_id",
    "place_name",
    "lat",
    "lon",
    "location_precision",
    "killed_min",
    "killed_max",
    "event_type",
)
_THEIRS_FIELDS = (
    "id",
    "event_id",
    "date_start",
    "date_end",
    "admin1_id",
    "admin1_name",
    "location",
    "lat",
    "lon",
    "location_precision",
    "killed_min",
    "killed_best",
    "killed_max",
    "event_type",
)


def rows_visible(*, dataset: ReferenceDataset, user) -> bool:
    """Whether `user` may see the dataset's rows: a restricted dataset's are for signed-in analysts only."""
    return not dataset.restricted or user_is_analyst(user)


class TooManyEventsError(ValueError):
    """The filter selects more events than a comparison reads; the message says which side."""


@dataclass
class Comparison:
    """The three sets (rows as dicts of _OURS_FIELDS / _THEIRS_FIELDS) and the killed totals by month and division.

    `matched` rows are {"ours": ..., "theirs": ..., "days_apart": int, "distance_km": float | None}.
    `by_month` and `by_admin1` rows hold ours_killed_min/max, theirs_killed_min/best/max and the event counts.
    """

    dataset: ReferenceDataset
    matched: list[dict[str, Any]] = field(default_factory=list)
    ours_only: list[dict[str, Any]] = field(default_factory=list)
    theirs_only: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    by_admin1: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)


def reference_events_filtered(*, dataset: ReferenceDataset, filters: dict[str, Any]) -> QuerySet[ReferenceEvent]:
    """Their events under the filters that mean the same on both sides: country, admin1, dates, bbox, event type
    and killed_min. `filters` is IncidentFilterSet's cleaned data (admin1 already ids). The others (review status,
    actor, victims, text...) describe our record only and narrow our side alone."""
    events = ReferenceEvent.objects.filter(dataset=dataset).exclude(
        Q(event_type=EventType.OTHER) & (Q(killed_max__isnull=True) | Q(killed_max=0))
    )
    if filters.get("country"):
        events = events.filter(country__in=filters["country"])
    if filters.get("admin1"):
        events = events.filter(admin1_id__in=filters["admin1"])
    if filters.get("date_from"):
        events = events.filter(date_end__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(date_start__lte=filters["date_to"])
    if filters.get("bbox"):
        min_lon, min_lat, max_lon, max_lat = filters["bbox"]
        events = events.filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)
    if filters.get("event_type"):
        events = events.filter(event_type__in=filters["event_type"])
    if filters.get("killed_min") is not None:
        events = events.filter(killed_max__gte=filters["killed_min"])
    return events


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi, half_dlambda = (phi2 - phi1) / 2, math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _point(row: dict[str, Any]) -> tuple[float, float] | None:
    if row["location_precision"] == "place" and row["lat"] is not None:
        return row["lat"], row["lon"]
    return None


def _days_apart(ours: dict[str, Any], theirs: dict[str, Any]) -> int:
    """0 when the spans overlap, else the days between the nearer ends."""
    return max(0, (theirs["date_start"] - ours["date_end"]).days, (ours["date_start"] - theirs["date_end"]).days)


def _match(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], set[int]]:
    """Greedy one-to-one matching (the module docstring's rule): the pairs, and the ids of their events matched."""
    by_admin1: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in theirs:
        if event["admin1_id"] is not None:
            by_admin1[event["admin1_id"]].append(event)
    starts: dict[int, list[datetime.date]] = {}
    longest: dict[int, int] = {}
    for admin1_id, events in by_admin1.items():
        events.sort(key=lambda event: (event["date_start"], event["event_id"]))
        starts[admin1_id] = [event["date_start"] for event in events]
        longest[admin1_id] = max((event["date_end"] - event["date_start"]).days for event in events)
    taken: set[int] = set()
    pairs: list[dict[str, Any]] = []
    window = datetime.timedelta(days=MATCH_DAYS)
    for incident in sorted(ours, key=lambda row: (row["date_start"], row["id"])):
        events = by_admin1.get(incident["admin1_id"]) if incident["admin1_id"] is not None else None
        if not events:
            continue
        admin1_id = incident["admin1_id"]
        # Their events starting late enough to reach our span, and early enough to start before it ends.
        low = bisect.bisect_left(
            starts[admin1_id], incident["date_start"] - window - datetime.timedelta(days=longest[admin1_id])
        )
        high = bisect.bisect_right(starts[admin1_id], incident["date_end"] + window)
        best = None
        ours_point = _point(incident)
        for event in events[low:high]:
            if event["id"] in taken:
                continue
            days = _days_apart(incident, event)
            if days > MATCH_DAYS:
                continue
            theirs_point = _point(event)
            distance = distance_km(*ours_point, *theirs_point) if ours_point and theirs_point else None
            if distance is not None and distance > MATCH_DISTANCE_KM:
                continue
            figure_gap = abs((incident["killed_max"] or 0) - (event["killed_best"] or 0))
            key = (days, distance or 0.0, figure_gap, event["event_id"])
            if best is None or key < best[0]:
                best = (key, event, days, distance)
        if best:
            _key, event, days, distance = best
            taken.add(event["id"])
            pairs.append(
                {
                    "ours": incident,
                    "theirs": event,
                    "days_apart": days,
                    "distance_km": None if distance is None else round(distance, 1),
                }
            )
    return pairs, taken


def _add(total: dict[str, Any], side: str, row: dict[str, Any]) -> None:
    total[f"{side}_events"] += 1
    for figure in ("killed_min", "killed_max") if side == "ours" else ("killed_min", "killed_best", "killed_max"):
        total[f"{side}_{figure}"] += row[figure] or 0


def _empty_total(**keys: Any) -> dict[str, Any]:
    return {
        **keys,
        "ours_events": 0,
        "ours_killed_min": 0,
        "ours_killed_max": 0,
        "theirs_events": 0,
        "theirs_killed_min": 0,
        "theirs_killed_best": 0,
        "theirs_killed_max": 0,
    }


def reference_compare(
    *, dataset: ReferenceDataset, incidents: QuerySet[Incident], filters: dict[str, Any]
) -> Comparison:
    """Compare our filtered incidents with the dataset's events under the same filters.

    `incidents` is already filtered (casualties.filters); `filters` is the filterset's cleaned
    data. Raises TooManyEventsError when either side holds more than MAX_EVENTS_PER_SIDE.
    Each event counts in the month of its date_start and in its division ("" when it has none).
    """
    ours = list(incidents.order_by().values(*_OURS_FIELDS, "country", "admin1__name")[: MAX_EVENTS_PER_SIDE + 1])
    for row in ours:
        # The name readers use ("Ariha", not "Arīḩā") beside GeoNames' own, as on the dashboard.
        country, admin1_name = row.pop("country"), row.pop("admin1__name")
        row["place"] = place_display_name(name=row["place_name"], country=country, admin1_name=admin1_name)
    theirs = list(
        reference_events_filtered(dataset=dataset, filters=filters)
        .order_by()
        .values(*_THEIRS_FIELDS)[: MAX_EVENTS_PER_SIDE + 1]
    )
    for side, rows in (("our incidents", ours), (f"{dataset.get_format_display()} events", theirs)):
        if len(rows) > MAX_EVENTS_PER_SIDE:
            raise TooManyEventsError(
                f"The filter selects more than {MAX_EVENTS_PER_SIDE:,} {side}: narrow it (dates, admin1)."
            )
    pairs, taken = _match(ours, theirs)
    matched_ours = {pair["ours"]["id"] for pair in pairs}
    comparison = Comparison(
        dataset=dataset,
        matched=pairs,
        ours_only=[row for row in ours if row["id"] not in matched_ours],
        theirs_only=[row for row in theirs if row["id"] not in taken],
    )
    months: dict[str, dict[str, Any]] = {}
    divisions: dict[int | None, dict[str, Any]] = {}
    totals = _empty_total()
    for side, rows in (("ours", ours), ("theirs", theirs)):
        for row in rows:
            month = row["date_start"].strftime("%Y-%m")
            _add(months.setdefault(month, _empty_total(month=month)), side, row)
            _add(divisions.setdefault(row["admin1_id"], _empty_total(admin1_id=row["admin1_id"])), side, row)
            _add(totals, side, row)
    names = dict(Admin1.objects.filter(pk__in=[pk for pk in divisions if pk]).values_list("id", "name"))
    for pk, row in divisions.items():
        row["admin1"] = names.get(pk, "") if pk else ""
    comparison.by_month = [months[month] for month in sorted(months)]
    comparison.by_admin1 = sorted(divisions.values(), key=lambda row: (row["admin1"] == "", row["admin1"]))
    comparison.totals = {
        **totals,
        "matched": len(pairs),
        "ours_only": len(comparison.ours_only),
        "theirs_only": len(comparison.theirs_only),
    }
    return comparison


# The CSV export's columns: which set, then our side, then theirs.
CSV_COLUMNS = (
    "set",
    "days_apart",
    "distance_km",
    "ours_id",
    "ours_date_start",
    "ours_date_end",
    "ours_admin1_id",
    "ours_place",
    "ours_killed_min",
    "ours_killed_max",
    "theirs_event_id",
    "theirs_date_start",
    "theirs_date_end",
    "theirs_admin1_id",
    "theirs_admin1_name",
    "theirs_location",
    "theirs_killed_min",
    "theirs_killed_best",
    "theirs_killed_max",
)
SETS = ("matched", "ours_only", "theirs_only")


def comparison_csv_rows(*, comparison: Comparison, sets: tuple[str, ...] = SETS) -> list[tuple]:
    """One row per pair or unmatched event, in CSV_COLUMNS order, for the asked sets."""
    no_ours, no_theirs = (None,) * 7, (None,) * 9

    def ours(row: dict[str, Any]) -> tuple:
        return (
            row["id"],
            row["date_start"],
            row["date_end"],
            row["admin1_id"],
            row["place"],
            row["killed_min"],
            row["killed_max"],
        )

    def theirs(row: dict[str, Any]) -> tuple:
        return (
            row["event_id"],
            row["date_start"],
            row["date_end"],
            row["admin1_id"],
            row["admin1_name"],
            row["location"],
            row["killed_min"],
            row["killed_best"],
            row["killed_max"],
        )

    rows: list[tuple] = []
    if "matched" in sets:
        rows += [
            ("matched", pair["days_apart"], pair["distance_km"], *ours(pair["ours"]), *theirs(pair["theirs"]))
            for pair in comparison.matched
        ]
    if "ours_only" in sets:
        rows += [("ours_only", None, None, *ours(row), *no_theirs) for row in comparison.ours_only]
    if "theirs_only" in sets:
        rows += [("theirs_only", None, None, *no_ours, *theirs(row)) for row in comparison.theirs_only]
    return rows
