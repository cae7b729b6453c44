"""Nothing silent: why an article is filed as needing review, decided when it is filed.

Two reasons, from what the engine returned for the article:

- a casualty sentence gave no incident: the article has a sentence with a
  casualty word and a number (``reports.extraction.unexplained_tolls``) and
  nothing of it was filed;
- a claim is under the confidence threshold (EXTRACTION_REVIEW_THRESHOLD): the
  engine read an incident it is not sure of.

`reports.services.extracting` stores them on the article (`needs_review`,
`review_reasons`) in the transaction that files its claims. An incident's own
flag is read from its claims' confidence when it is shown
(`casualties.selectors.review`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reports.extraction import ExtractedIncident, unexplained_tolls
from reports.models import Article

# The most reasons kept on one article: the first are the ones a reviewer reads.
MAX_REVIEW_REASONS = 20
# How much of a sentence a reason quotes.
QUOTE_CHARS = 200


class ReviewKind(StrEnum):
    NO_INCIDENT = "no_incident"
    LOW_CONFIDENCE = "low_confidence"


@dataclass(frozen=True)
class ReviewReason:
    """Why an article needs review, and the sentence it is about: ``article.text[start:end]``."""

    kind: ReviewKind
    reason: str
    start: int
    end: int

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "reason": self.reason, "start": self.start, "end": self.end}


def confidence_below(confidence: float, threshold: float) -> str:
    """ "confidence 0.31 < 0.50", with as many decimals as it takes for the two to differ (0.495 < 0.50)."""
    digits = 2
    while f"{confidence:.{digits}f}" == f"{threshold:.{digits}f}" and digits < 6:
        digits += 1
    return f"confidence {confidence:.{digits}f} < {threshold:.2f}"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "\u2026"


def article_review_reasons(
    *, text: str, incidents: Sequence[ExtractedIncident], threshold: float
) -> list[ReviewReason]:
    """Why an article whose text is `text` and whose engine output is `incidents` needs review; [] when it does not.

    Only incidents with a country are filed (`casualties.services.filing`): the others explain nothing.
    At most MAX_REVIEW_REASONS, in the order of the text.
    """
    filed = [incident for incident in incidents if incident.country]
    if not filed:
        return [
            ReviewReason(
                ReviewKind.NO_INCIDENT,
                f"a casualty sentence gave no incident: {_quote(toll.text)}",
                toll.start,
                toll.end,
            )
            for toll in unexplained_tolls(text=text, incidents=[])[:MAX_REVIEW_REASONS]
        ]
    doubtful = sorted(
        (incident for incident in filed if incident.confidence < threshold), key=lambda found: found.evidence.start
    )
    return [
        ReviewReason(
            ReviewKind.LOW_CONFIDENCE,
            f"{confidence_below(incident.confidence, threshold)}: {_quote(incident.evidence.text)}",
            incident.evidence.start,
            incident.evidence.end,
        )
        for incident in doubtful[:MAX_REVIEW_REASONS]
    ]


def first_review_reason(reasons: Sequence[dict[str, Any]]) -> str:
    """The first of an article's stored reasons, and how many more there are: for one-line lists."""
    if not reasons:
        return ""
    more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return f"{reasons[0].get('reason', '')}{more}"


@dataclass(frozen=True)
class ReviewCounts:
    """Articles that need review, and of them those with a toll and no incident, and those with a doubtful claim."""

    total: int = 0
    no_incident: int = 0
    low_confidence: int = 0

    def __str__(self) -> str:
        return f"{self.total} need review ({self.no_incident} with no incident, {self.low_confidence} below confidence)"


def review_counts(kinds_by_article: Iterable[Iterable[str]]) -> ReviewCounts:
    """Count the articles that need review, given the kinds of each one's reasons (empty: no review)."""
    total = no_incident = low_confidence = 0
    for kinds in kinds_by_article:
        present = set(kinds)
        total += bool(present)
        no_incident += ReviewKind.NO_INCIDENT in present
        low_confidence += ReviewKind.LOW_CONFIDENCE in present
    return ReviewCounts(total=total, no_incident=no_incident, low_confidence=low_confidence)


def articles_review_counts(*, article_ids: Sequence[int]) -> ReviewCounts:
    """ReviewCounts of these articles, from what was stored when they were filed. One query."""
    flagged = Article.objects.filter(pk__in=article_ids, needs_review=True).values_list("review_reasons", flat=True)
    return review_counts([reason.get("kind") for reason in reasons] for reasons in flagged.iterator())
