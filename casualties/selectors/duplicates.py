"""Pairs of incidents under the dashboard's filters that may be one event filing did not join.

Filing joins reports of one event only when their places agree (or one is
unknown); two outlets that place one strike in neighbouring villages, or read
its type differently, open two incidents. This finds such pairs for review:
same division (same country when neither has one), dates within the filer's
SAME_EVENT_WINDOW of each other, points within DUPLICATE_DISTANCE_KM when both
are known, and killed ranges that overlap when both are known. Incidents, not
reported period totals. The incident page lists each one's possible duplicates
(the same division and window) with the one-click merge.

The work is bounded: one query of a few columns, capped at DUPLICATE_COUNT_CAP
incidents (a larger view is "not counted"), then a sweep by date per division.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from casualties.filters import HIDDEN_BY_DEFAULT
from casualties.models import SAME_EVENT_WINDOW, Incident

# Views with more incidents than this are not searched for duplicates (the dashboard says so).
DUPLICATE_COUNT_CAP = 5000
# Pairs of incidents compared at most: a view of thousands of incidents on one day in one division is not counted.
DUPLICATE_COMPARISONS_CAP = 50_000
# Two known points further apart than this are two events, whatever else they share.
DUPLICATE_DISTANCE_KM = 25.0
_EARTH_RADIUS_KM = 6371.0
_COLUMNS = ("pk", "country", "admin1_id", "date_start", "date_end", "lat", "lon", "killed_min", "killed_max")


@dataclass(frozen=True)
class DuplicatePairs:
    """The possible duplicate pairs of a view, each (earlier, later) by date; None when the view was too large."""

    pairs: list[tuple[int, int]] | None

    @property
    def counted(self) -> bool:
        return self.pairs is not None

    @property
    def count(self) -> int | None:
        return None if self.pairs is None else len(self.pairs)


def _distance_km(a: dict, b: dict) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _toll(row: dict) -> tuple[int, int] | None:
    low, high = row["killed_min"], row["killed_max"]
    if low is None and high is None:
        return None
    return (low if low is not None else high, high if high is not None else low)


def _may_be_one_event(a: dict, b: dict) -> bool:
    """Whether two incidents of one division whose dates lie within the window may be one event."""
    toll_a, toll_b = _toll(a), _toll(b)
    # An unknown toll or place cannot tell the two apart.
    if toll_a is not None and toll_b is not None and (toll_a[0] > toll_b[1] or toll_b[0] > toll_a[1]):
        return False
    return None in (a["lat"], a["lon"], b["lat"], b["lon"]) or _distance_km(a, b) <= DUPLICATE_DISTANCE_KM


def incidents_possible_duplicate_pairs(
    *,
    incidents: QuerySet[Incident],
    known_count: int | None = None,
    cap: int | None = None,
    comparisons_cap: int | None = None,
) -> DuplicatePairs:
    """The possible duplicate pairs among `incidents` (already filtered), by the earlier one's date.

    Not counted (pairs None) past `cap` incidents or `comparisons_cap` pairs of incidents compared
    (by default DUPLICATE_COUNT_CAP and DUPLICATE_COMPARISONS_CAP).
    `known_count`, when the caller has it, spares reading a view over the cap. One query otherwise.
    """
    cap = DUPLICATE_COUNT_CAP if cap is None else cap
    comparisons_cap = DUPLICATE_COMPARISONS_CAP if comparisons_cap is None else comparisons_cap
    if known_count is not None and known_count > cap:
        return DuplicatePairs(pairs=None)
    # Merged and rejected incidents are no one's duplicate, whatever the filters show.
    # Reported period totals are listed apart and never joined to incidents: left out.
    live = incidents.exclude(review_status__in=HIDDEN_BY_DEFAULT).filter(aggregate=False)
    rows = list(live.order_by().values(*_COLUMNS)[: cap + 1])
    if len(rows) > cap:
        return DuplicatePairs(pairs=None)
    groups: dict[tuple[str, int | None], list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["country"], row["admin1_id"]].append(row)
    pairs = []
    compared = 0
    for group in groups.values():
        group.sort(key=lambda row: (row["date_start"], row["pk"]))
        for i, a in enumerate(group):
            for j in range(i + 1, len(group)):
                b = group[j]
                if b["date_start"] - a["date_end"] > SAME_EVENT_WINDOW:
                    break  # sorted by start: the rest start later still
                compared += 1
                if compared > comparisons_cap:
                    return DuplicatePairs(pairs=None)
                if _may_be_one_event(a, b):
                    pairs.append((a["date_start"], a["pk"], b["pk"]))
    pairs.sort()
    return DuplicatePairs(pairs=[(first, second) for _, first, second in pairs])


def duplicate_pair_incidents(*, pairs: list[tuple[int, int]], limit: int) -> list[tuple[Incident, Incident]]:
    """The first `limit` pairs as incident rows (division and place loaded), for the list page. One query."""
    shown = pairs[:limit]
    ids = {pk for pair in shown for pk in pair}
    rows = Incident.objects.filter(pk__in=ids).select_related("admin1", "place").in_bulk()
    return [(rows[first], rows[second]) for first, second in shown if first in rows and second in rows]
