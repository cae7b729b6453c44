"""The soft "being reviewed by" marker (casualties.models.markers): set on opening, cleared on a decision."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from casualties.models import Incident, ReviewMarker


def review_marker_set(*, incident: Incident, user: AbstractBaseUser) -> ReviewMarker:
    """Mark the incident as being reviewed by `user` from now on (the latest analyst to open it wins)."""
    marker, _created = ReviewMarker.objects.update_or_create(
        incident=incident, defaults={"user": user, "started_at": timezone.now()}
    )
    return marker


def review_marker_clear(*, incident_ids: list[int]) -> None:
    """Drop the markers of these incidents: a decision was made, nobody is on them any more."""
    ReviewMarker.objects.filter(incident_id__in=incident_ids).delete()
