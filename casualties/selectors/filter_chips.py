"""The active filters as removable chips above the dashboard's results: what is filtered, and a link without it."""

from dataclasses import dataclass
from typing import Any

import pycountry
from django.http import QueryDict

from casualties.models import EventType, Incident, Victims
from reports.extraction.gazetteer.aliases import COUNTRY_NAMES

# Parameter -> what a reader calls it; parameters not listed (sort, page, chart choices) are no filters.
FILTER_LABELS: dict[str, str] = {
    "date_from": "From",
    "date_to": "To",
    "country": "Country",
    "admin1": "Governorate",
    "place": "Place",
    "event_type": "Event type",
    "actor": "Actor",
    "victims": "Victims",
    "killed_min": "Killed at least",
    "aggregate": "Count",
    "review_status": "Review",
    "needs_review": "Needs review",
    "grade": "Grade",
    "confidence_min": "Confidence at least",
    "q": "Evidence",
    "bbox": "Map area",
    "updated_since": "Updated since",
}
# Parameters whose values are lists (`admin1=A,B` or `admin1=A&admin1=B`): one chip a value.
_MULTI = ("country", "admin1", "place", "event_type", "victims", "review_status", "grade")
_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "event_type": dict(EventType.choices),
    "victims": dict(Victims.choices),
    "review_status": dict(Incident.ReviewStatus.choices),
    "aggregate": {"true": "aggregate tolls only", "any": "incidents and aggregate tolls"},
}


@dataclass(frozen=True)
class FilterChip:
    label: str  # "Governorate: Rural Damascus"
    remove_query: str  # the page's query string without this value (page number dropped)


def _values(params: QueryDict, key: str) -> list[str]:
    raw = params.getlist(key)
    if key in _MULTI:
        raw = [part for value in raw for part in value.split(",")]
    return [value.strip() for value in raw if value.strip()]


def _shown(key: str, value: str, admin1_names: dict[str, str]) -> str:
    if key == "admin1":
        return admin1_names.get(value.casefold(), value)
    if key == "country" and len(value) == 2:
        # The name news copy uses ("Syria"), else the official one ("Syrian Arab Republic").
        if value.upper() in COUNTRY_NAMES:
            return COUNTRY_NAMES[value.upper()][0]
        country = pycountry.countries.get(alpha_2=value.upper())
        return country.name if country else value
    return _CHOICE_LABELS.get(key, {}).get(value, value)


def filter_chips(*, params: QueryDict, admin1_rows: list[dict[str, Any]]) -> list[FilterChip]:
    """One chip per active filter value, in the order of FILTER_LABELS.

    `admin1_rows` ({"name", "display_name"}, e.g. the dashboard's governorate choices) name a
    division as readers do: `admin1=Rif-dimashq` shows "Governorate: Rural Damascus".
    """
    admin1_names = {str(row["name"]).casefold(): row.get("display_name") or row["name"] for row in admin1_rows}
    chips: list[FilterChip] = []
    for key, label in FILTER_LABELS.items():
        values = _values(params, key)
        for position, value in enumerate(values):
            rest = params.copy()
            rest.pop("page", None)
            others = values[:position] + values[position + 1 :]
            if others:
                rest.setlist(key, others)
            else:
                rest.pop(key, None)
            shown = _shown(key, value, admin1_names)
            chips.append(FilterChip(label=f"{label}: {shown}", remove_query=rest.urlencode()))
    return chips
