"""The review queue: unverified incidents, those that need a look first, each with why.

An incident needs review for any of four reasons (QueueReason): a claim read
under the confidence threshold, no killed figure at all, a possible duplicate
of another live incident in the view (casualties.selectors.duplicates), or
sources that disagree (two claims whose killed ranges do not overlap). The
queue lists incidents with a reason first, then by toll (unknown last), then
newest first; the dashboard's filters narrow it as they narrow every list.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from casualties.models import REVIEW_MARKER_TTL, Claim, Incident, ReviewMarker
from casualties.selectors.duplicates import incidents_possible_duplicate_pairs
from casualties.selectors.review import review_threshold

# Incidents one page of the queue shows; the counts above it cover the whole queue.
QUEUE_PAGE_SIZE = 50


class QueueReason(StrEnum):
    LOW_CONFIDENCE = "low_confidence"
    NO_KILLED_FIGURE = "no_killed_figure"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    SOURCES_DISAGREE = "sources_disagree"


QUEUE_REASON_LABELS = {
    QueueReason.LOW_CONFIDENCE: "Low confidence",
    QueueReason.NO_KILLED_FIGURE: "No killed figure",
    QueueReason.POSSIBLE_DUPLICATE: "Possible duplicate",
    QueueReason.SOURCES_DISAGREE: "Sources disagree",
}


def _sources_disagree() -> Exists:
    """Two claims of the incident whose killed ranges do not overlap: one's lowest above another's highest.

    A claim giving one bound only stands for that one number; claims giving neither say nothing.
    """
    claims = Claim.objects.annotate(low=Coalesce("killed_min", "killed_max"))
    below = Claim.objects.annotate(high=Coalesce("killed_max", "killed_min")).filter(
        incident=OuterRef("incident"), high__lt=OuterRef("low")
    )
    return Exists(claims.filter(incident=OuterRef("pk"), low__isnull=False).filter(Exists(below)))


def _annotated(*, incidents: QuerySet[Incident], duplicate_ids: set[int] | None) -> QuerySet[Incident]:
    threshold = review_threshold()
    flags = {
        QueueReason.LOW_CONFIDENCE: Exists(Claim.objects.filter(incident=OuterRef("pk"), confidence__lt=threshold)),
        QueueReason.NO_KILLED_FIGURE: ExpressionWrapper(
            Q(killed_min__isnull=True, killed_max__isnull=True), output_field=BooleanField()
        ),
        # A constant when there is none: `pk IN ()` compiles to an integer on PostgreSQL, not a boolean.
        QueueReason.POSSIBLE_DUPLICATE: (
            ExpressionWrapper(Q(pk__in=sorted(duplicate_ids)), output_field=BooleanField())
            if duplicate_ids
            else Value(False, output_field=BooleanField())
        ),
        QueueReason.SOURCES_DISAGREE: _sources_disagree(),
    }
    queue = incidents.annotate(**{f"reason_{name}": flag for name, flag in flags.items()})
    any_reason = Q()
    for name in QueueReason:
        any_reason |= Q(**{f"reason_{name}": True})
    return queue.annotate(needs_review=ExpressionWrapper(any_reason, output_field=BooleanField()))


@dataclass
class QueueRow:
    incident: Incident
    reasons: list[QueueReason]
    claims: list[Claim]
    # Another analyst's marker that has not lapsed; None when nobody else is on it.
    reviewed_by: str | None

    @property
    def reason_labels(self) -> list[tuple[str, str]]:
        return [(str(reason), QUEUE_REASON_LABELS[reason]) for reason in self.reasons]


@dataclass
class ReviewQueue:
    """One page of the queue, the size of the whole queue and how many incidents each reason holds."""

    rows: list[QueueRow]
    total: int
    by_reason: dict[QueueReason, int]
    # False when the view was too large to look for duplicates in (casualties.selectors.duplicates).
    duplicates_counted: bool

    @property
    def reason_counts(self) -> list[tuple[str, str, int]]:
        """(reason, label, incidents) for each reason, in QueueReason's order."""
        return [(str(reason), QUEUE_REASON_LABELS[reason], count) for reason, count in self.by_reason.items()]


def active_review_markers(*, now: datetime.datetime | None = None) -> QuerySet[ReviewMarker]:
    """The markers that have not lapsed (started within REVIEW_MARKER_TTL)."""
    now = now or timezone.now()
    return ReviewMarker.objects.filter(started_at__gt=now - REVIEW_MARKER_TTL)


def incident_reviewed_by_other(*, incident: Incident, user) -> str | None:
    """The name of another analyst whose marker on the incident holds, else None. One query."""
    marker = active_review_markers().filter(incident=incident).exclude(user=user).select_related("user").first()
    return marker.user.get_username() if marker else None


def review_queue(*, incidents: QuerySet[Incident], user, limit: int = QUEUE_PAGE_SIZE) -> ReviewQueue:
    """The queue over `incidents` (already narrowed by the dashboard's filters): unverified ones only.

    Rows hold their claims with articles and sources (the evidence shown inline) and other
    analysts' live markers. A handful of queries whatever the page's size.
    """
    duplicates = incidents_possible_duplicate_pairs(incidents=incidents)
    duplicate_ids = {pk for pair in duplicates.pairs or () for pk in pair}
    unverified = incidents.filter(review_status=Incident.ReviewStatus.UNVERIFIED)
    queue = _annotated(incidents=unverified, duplicate_ids=duplicate_ids)
    counts = queue.aggregate(
        total=Count("pk"),
        **{str(name): Count("pk", filter=Q(**{f"reason_{name}": True})) for name in QueueReason},
    )
    claims = Claim.objects.select_related("article", "article__source").order_by("id")
    markers = active_review_markers().exclude(user=user).select_related("user")
    page = list(
        queue.select_related("admin1", "place")
        .prefetch_related(Prefetch("claims", queryset=claims), Prefetch("review_marker", queryset=markers))
        .order_by(F("needs_review").desc(), F("killed_max").desc(nulls_last=True), "-date_start", "-id")[:limit]
    )
    rows = []
    for incident in page:
        marker = getattr(incident, "review_marker", None)
        rows.append(
            QueueRow(
                incident=incident,
                reasons=[name for name in QueueReason if getattr(incident, f"reason_{name}")],
                claims=list(incident.claims.all()),
                reviewed_by=marker.user.get_username() if marker else None,
            )
        )
    return ReviewQueue(
        rows=rows,
        total=counts["total"],
        by_reason={name: counts[str(name)] for name in QueueReason},
        duplicates_counted=duplicates.counted,
    )
