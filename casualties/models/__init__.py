from casualties.models.gazetteer import Admin1, Place
from casualties.models.incidents import Claim, DatePrecision, EventType, Incident, LocationPrecision, Victims

__all__ = ["Admin1", "Claim", "DatePrecision", "EventType", "Incident", "LocationPrecision", "Place", "Victims"]
