"""Which incidents need review: those still unverified that a claim under the confidence threshold feeds.

An incident's figures are the min/max over its claims, so one doubtful reading
moves them: the incident needs review until an analyst verifies, rejects or
merges it. Read live against EXTRACTION_REVIEW_THRESHOLD (the articles' own flag,
`Article.needs_review`, is decided when they are filed: reports.services.review).
"""

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery

from casualties.models import Claim, Incident
from reports.services.review import ReviewKind, confidence_below


def review_threshold() -> float:
    return settings.EXTRACTION_REVIEW_THRESHOLD


def incident_needs_review_condition(*, threshold: float) -> Q:
    """The incidents that need review, as a filter: unverified, with a claim under `threshold`."""
    doubtful = Claim.objects.filter(incident=OuterRef("pk"), confidence__lt=threshold)
    return Q(review_status=Incident.ReviewStatus.UNVERIFIED) & Q(Exists(doubtful))


def lowest_claim_confidence() -> Subquery:
    """An annotation: the lowest confidence among the incident's claims (NULL with none)."""
    return Subquery(Claim.objects.filter(incident=OuterRef("pk")).order_by("confidence").values("confidence")[:1])


def incident_review_reasons(*, review_status: str, lowest_confidence: float | None) -> list[dict[str, Any]]:
    """Why the incident needs review, as the API and the page show it; [] when it does not."""
    threshold = review_threshold()
    if review_status != Incident.ReviewStatus.UNVERIFIED or lowest_confidence is None:
        return []
    if lowest_confidence >= threshold:
        return []
    return [{"kind": ReviewKind.LOW_CONFIDENCE.value, "reason": confidence_below(lowest_confidence, threshold)}]
