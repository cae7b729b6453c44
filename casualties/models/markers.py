"""A soft "being reviewed by" marker, so two analysts do not work on one incident at once.

Soft: it locks nothing. Opening an incident page as an analyst sets it; it lapses
after REVIEW_MARKER_TTL, and a decision (verify, reject) clears it. Kept apart
from Incident so that setting it neither writes the incident's history nor
touches the pre-aggregated counts the incident table's triggers keep.
"""

import datetime

from django.conf import settings
from django.db import models

from casualties.models.incidents import Incident

# How long a marker holds without the analyst coming back to the incident.
REVIEW_MARKER_TTL = datetime.timedelta(minutes=10)


class ReviewMarker(models.Model):
    """Who last opened an incident for review, and when. One per incident: the latest analyst wins."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="review_marker")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Incident {self.incident_id} reviewed by {self.user_id} since {self.started_at:%H:%M}"
