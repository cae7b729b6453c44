from casualties.models.gazetteer import Admin1, Place
from casualties.models.incidents import (
    COUNT_FIELDS,
    Claim,
    DatePrecision,
    EventType,
    Incident,
    LocationPrecision,
    Victims,
)
from casualties.models.rollups import (
    IncidentAllTimeCount,
    IncidentDayCount,
    IncidentMonthCount,
    IncidentMonthWorldCount,
)
from casualties.models.tokens import ApiToken

__all__ = [
    "COUNT_FIELDS",
    "Admin1",
    "ApiToken",
    "Claim",
    "DatePrecision",
    "EventType",
    "Incident",
    "IncidentAllTimeCount",
    "IncidentDayCount",
    "IncidentMonthCount",
    "IncidentMonthWorldCount",
    "LocationPrecision",
    "Place",
    "Victims",
]
