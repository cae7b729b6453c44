"""Reads for one incident's page: incidents it may duplicate, its edit history, its evidence in the article."""

import datetime
from dataclasses import dataclass
from typing import Any

from casualties.dates import shift_date
from casualties.filters import HIDDEN_BY_DEFAULT
from casualties.models import SAME_EVENT_WINDOW, Incident


def incident_possible_duplicates(
    *, incident: Incident, window: datetime.timedelta = SAME_EVENT_WINDOW, limit: int = 10
) -> list[Incident]:
    """Other live incidents in the same division (same country when none) whose dates lie within `window`.

    The window the filer joins reports within (SAME_EVENT_WINDOW), so the page suggests what it could have joined.

    Closest in date first, then the most killed. One query.
    """
    window_start = shift_date(incident.date_start, -window.days)  # a stored span of millennia must not overflow
    window_end = shift_date(incident.date_end, window.days)
    candidates = Incident.objects.exclude(pk=incident.pk).exclude(review_status__in=HIDDEN_BY_DEFAULT)
    if incident.admin1_id:
        candidates = candidates.filter(admin1_id=incident.admin1_id)
    else:
        candidates = candidates.filter(country=incident.country, admin1__isnull=True)
    candidates = candidates.filter(date_start__lte=window_end, date_end__gte=window_start)
    rows = list(candidates.select_related("admin1", "place")[: limit * 5])
    rows.sort(key=lambda other: (abs((other.date_start - incident.date_start).days), -(other.killed_max or 0)))
    return rows[:limit]


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user: str
    kind: str
    reason: str
    review_status: str
    changes: list[tuple[str, Any, Any]]


_HISTORY_KIND = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _awaiting(record, *, usernames: dict[int, str]) -> str | None:
    """ "yes, verified by <name>" while a second analyst's confirmation is awaited (REVIEW_TWO_PERSON); else None.
    The asker made that history row, so their name is among the history's users."""
    requester = record.confirmation_requested_by_id
    if requester is None:
        return None
    return f"yes, verified by {usernames.get(requester, 'an analyst')}"


def incident_history(*, incident: Incident) -> list[HistoryEntry]:
    """The incident's edit history, newest first, each entry with the fields it changed (old, new). Two queries."""
    records = list(incident.history.select_related("history_user").order_by("-history_date", "-history_id"))
    usernames = {record.history_user_id: str(record.history_user) for record in records if record.history_user}
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["updated_at", "created_at"])
            changes = [(change.field, change.old, change.new) for change in delta.changes]
            if record.confirmation_requested_by_id != previous.confirmation_requested_by_id:
                # Who was asked for: their name, not a user id.
                changes = [
                    (
                        "awaiting confirmation",
                        _awaiting(previous, usernames=usernames),
                        _awaiting(record, usernames=usernames),
                    )
                    if field == "confirmation_requested_by"
                    else (field, old, new)
                    for field, old, new in changes
                ]
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=str(record.history_user) if record.history_user else "system",
                kind=_HISTORY_KIND.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                review_status=record.review_status,
                changes=changes,
            )
        )
    return entries


@dataclass
class EvidenceView:
    """An article's text split around the evidence, for highlighting: before + evidence + after."""

    before: str
    evidence: str
    after: str
    matches: bool
    truncated_before: bool
    truncated_after: bool


def evidence_in_text(*, text: str, start: int, end: int, evidence: str, context: int = 600) -> EvidenceView:
    """Cut the article text around text[start:end] with `context` characters either side.

    `matches` is False when the offsets do not point at the evidence (the text was
    re-fetched or changed): then the evidence is shown alone, never a wrong span.
    """
    if 0 <= start <= end <= len(text) and text[start:end] == evidence:
        begin = max(0, start - context)
        finish = min(len(text), end + context)
        return EvidenceView(
            before=text[begin:start],
            evidence=text[start:end],
            after=text[end:finish],
            matches=True,
            truncated_before=begin > 0,
            truncated_after=finish < len(text),
        )
    return EvidenceView(
        before="", evidence=evidence, after="", matches=False, truncated_before=False, truncated_after=False
    )
