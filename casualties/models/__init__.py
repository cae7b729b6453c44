from casualties.models.gazetteer import Admin1, Place
from casualties.models.incidents import (
    Claim,
    DatePrecision,
    EventType,
    Incident,
    LocationPrecision,
    Victims,
)
from casualties.models.markers import REVIEW_MARKER_TTL, ReviewMarker
from casualties.models.reference import ReferenceDataset, ReferenceEvent, ReferenceHeader
from casualties.models.rollups import (
    IncidentAllTimeCount,
    IncidentDayCount,
    IncidentMonthCount,
    IncidentMonthDivisionCount,
    IncidentMonthWorldCount,
)
from casualties.models.rules import COUNT_FIELDS, FIGURE_RULE, SAME_EVENT_WINDOW, figures_over
from casualties.models.tokens import ApiToken
from casualties.models.versions import DataVersion

__all__ = [
    "COUNT_FIELDS",
    "FIGURE_RULE",
    "REVIEW_MARKER_TTL",
    "SAME_EVENT_WINDOW",
    "Admin1",
    "ApiToken",
    "Claim",
    "DataVersion",
    "DatePrecision",
    "EventType",
    "Incident",
    "IncidentAllTimeCount",
    "IncidentDayCount",
    "IncidentMonthCount",
    "IncidentMonthDivisionCount",
    "IncidentMonthWorldCount",
    "LocationPrecision",
    "Place",
    "ReferenceDataset",
    "ReferenceEvent",
    "ReferenceHeader",
    "ReviewMarker",
    "Victims",
    "figures_over",
]
