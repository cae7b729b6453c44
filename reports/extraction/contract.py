"""What the engine returns: typed values, and the vocabularies they use.

This is the seam between the engine and whatever records its output. The
vocabularies are the annotation guide's (``GUIDE.md``); the record's choices
derive from them (``casualties.models.incidents``). JSON is made from these
values at the edge only (``as_json``: the guide's field names, in the order the
command line has always written them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class EventType(StrEnum):
    """ACLED's violent sub-event types, as the annotation guide lists them."""

    AIR_DRONE_STRIKE = "air_drone_strike"
    SHELLING_ARTILLERY_MISSILE = "shelling_artillery_missile"
    REMOTE_EXPLOSIVE = "remote_explosive"
    SUICIDE_BOMB = "suicide_bomb"
    ARMED_CLASH = "armed_clash"
    ATTACK = "attack"
    OTHER = "other"


class Victims(StrEnum):
    CIVILIANS = "civilians"
    COMBATANTS = "combatants"
    MIXED = "mixed"
    UNSPECIFIED = "unspecified"


class DatePrecision(StrEnum):
    """How closely the dates are known; a date named in the text is a day, a month or a span."""

    DAY = "day"
    SPAN = "span"
    MONTH = "month"
    PUBLISHED = "published"  # no date in the text: the publication date stands in


class LocationPrecision(StrEnum):
    PLACE = "place"
    ADMIN1 = "admin1"
    COUNTRY = "country"


@dataclass(frozen=True)
class Figures:
    """The tolls; None where the article gives none. min <= max, children and women <= killed_max."""

    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    children_killed: int | None = None
    women_killed: int | None = None


@dataclass(frozen=True)
class Evidence:
    """The sentences that report the incident: ``article_text[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Location:
    """Where: a place (with a point when the gazetteer knows it), else a first-level division, else the country."""

    name: str | None = None  # the place as reported, or as the gazetteer names it
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    precision: LocationPrecision = LocationPrecision.COUNTRY


@dataclass(frozen=True)
class Dates:
    """When: one day or a span, start <= end."""

    start: datetime.date
    end: datetime.date
    precision: DatePrecision = DatePrecision.DAY


# The fields GUIDE.md defines for an incident, in the order of the JSON: what the scorer reads.
# `ExtractedIncident.as_json` writes them first, then offsets, coordinates and precisions.
GUIDE_FIELDS = (
    "date_start",
    "date_end",
    "country",
    "admin1",
    "place",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed",
    "women_killed",
    "victims",
    "actor",
    "event_type",
    "aggregate",
    "evidence",
)


@dataclass(frozen=True)
class ExtractedIncident:
    """One incident an article reports, with the evidence for it."""

    country: str | None  # ISO 3166-1 alpha-2; None when the article does not say where
    dates: Dates
    evidence: Evidence
    figures: Figures = field(default_factory=Figures)
    location: Location = field(default_factory=Location)
    victims: Victims = Victims.UNSPECIFIED
    actor: str | None = None  # the alleged perpetrator, canonicalised
    event_type: EventType = EventType.OTHER
    aggregate: bool = False  # a toll summed over many events, a period or a region
    confidence: float = 0.0

    def as_json(self) -> dict[str, object]:
        """The guide's flat record (plus offsets, coordinates and precisions), ready for ``json.dumps``."""
        figures, location = self.figures, self.location
        return {
            "date_start": self.dates.start.isoformat(),
            "date_end": self.dates.end.isoformat(),
            "country": self.country,
            "admin1": location.admin1,
            "place": location.name,
            "killed_min": figures.killed_min,
            "killed_max": figures.killed_max,
            "injured_min": figures.injured_min,
            "injured_max": figures.injured_max,
            "children_killed": figures.children_killed,
            "women_killed": figures.women_killed,
            "victims": self.victims.value,
            "actor": self.actor,
            "event_type": self.event_type.value,
            "aggregate": self.aggregate,
            "evidence": self.evidence.text,
            "evidence_start": self.evidence.start,
            "evidence_end": self.evidence.end,
            "lat": location.lat,
            "lon": location.lon,
            "geonameid": location.geonameid,
            "admin1_code": location.admin1_code,
            "location_precision": location.precision.value,
            "date_precision": self.dates.precision.value,
            "confidence": self.confidence,
        }
