"""Changing which claims make an incident: split one that joined two events, undo a merge.

Both move claims between incidents (saved through the model, so the claims'
history names the analyst and the reason), recompute both incidents' figures
(casualties.services.figures) and write a history row on both incidents with
the user and reason, in one transaction.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min

from casualties.models import Claim, Incident
from casualties.services.figures import incident_refresh_figures
from casualties.services.review import merge_claim_reason

Status = Incident.ReviewStatus

# What a split-off incident takes from the incident it leaves: where it is and what kind of count it is.
# Its dates, figures and event description come from the claims it takes.
_LOCATION_FIELDS = ("country", "admin1", "place", "place_name", "lat", "lon", "location_precision", "aggregate")
_DESCRIPTION_FIELDS = ("date_precision", "event_type", "victims", "actor")


def _recompute(incident: Incident, *, user: AbstractBaseUser | None, reason: str) -> Incident:
    """Figures from the claims (casualties.services.figures), and a history row naming the user and reason
    even when no figure moves (locked figures, no claims left)."""
    incident._history_user = user
    incident._change_reason = reason
    if incident.figures_locked or not incident.claims.exists():
        incident.save(update_fields=["updated_at"])
        return incident
    return incident_refresh_figures(incident=incident)


def _locked(*incidents: Incident) -> list[Incident]:
    # A fixed order, so two concurrent restructurings of the same incidents cannot deadlock.
    rows = {row.pk: row for row in Incident.objects.select_for_update().filter(pk__in=[i.pk for i in incidents])}
    return [rows[incident.pk] for incident in incidents]


def _move(claims: Iterable[Claim], *, to: Incident, user: AbstractBaseUser | None, reason: str) -> None:
    for claim in claims:
        claim.incident = to
        claim._history_user = user
        claim._change_reason = reason
        claim.save(update_fields=["incident", "opened_incident"])


def _ensure_opener(incident: Incident, *, user: AbstractBaseUser | None, reason: str) -> None:
    """One "first reported by" per incident: its earliest claim when none is marked."""
    claims = incident.claims.order_by("pk")
    if not claims.exists() or claims.filter(opened_incident=True).exists():
        return
    first = claims.first()
    first.opened_incident = True
    first._history_user = user
    first._change_reason = reason
    first.save(update_fields=["opened_incident"])


@transaction.atomic
def incident_split(
    *, incident: Incident, claim_ids: list[int], user: AbstractBaseUser | None, reason: str = ""
) -> Incident:
    """Move the claims `claim_ids` of `incident` to a new incident; returns the new incident.

    The new incident is unverified, placed where `incident` is (relocate it after if the
    claims name another place), dated over its claims, described by its first claim, its
    figures taken from its claims. `incident`'s figures are recomputed from the claims it keeps
    (unless an analyst locked them). Raises ValidationError, saving nothing, for a merged
    incident, no claims, a claim that is not one of `incident`'s, or all of its claims.
    """
    if not claim_ids:
        raise ValidationError({"claims": ["Choose the claims that form the new incident."]})
    (incident,) = _locked(incident)
    if incident.review_status == Status.MERGED:
        raise ValidationError(f"Incident {incident.pk} was merged into {incident.merged_into_id}; split that one.")
    wanted = set(claim_ids)
    claims = list(incident.claims.filter(pk__in=wanted).order_by("pk"))
    strangers = sorted(wanted - {claim.pk for claim in claims})
    if strangers:
        listed = ", ".join(map(str, strangers))
        raise ValidationError({"claims": [f"Not claims of incident {incident.pk}: {listed}."]})
    if len(claims) == incident.claims.count():
        raise ValidationError({"claims": ["Leave at least one claim on this incident: splitting all moves nothing."]})

    first = claims[0]
    span = Claim.objects.filter(pk__in=wanted).aggregate(start=Min("date_start"), end=Max("date_end"))
    new = Incident(
        date_start=span["start"],
        date_end=span["end"],
        **{field: getattr(incident, field) for field in _LOCATION_FIELDS},
        **{field: getattr(first, field) for field in _DESCRIPTION_FIELDS},
    )
    new.full_clean(validate_unique=False)
    new._history_user = user
    new._change_reason = reason or f"Split from incident {incident.pk}"
    new.save()

    moved_reason = reason or f"Split from incident {incident.pk} into incident {new.pk}"
    for index, claim in enumerate(claims):
        claim.opened_incident = index == 0
    _move(claims, to=new, user=user, reason=moved_reason)
    _ensure_opener(incident, user=user, reason=moved_reason)

    _recompute(incident, user=user, reason=moved_reason)
    _recompute(new, user=user, reason=moved_reason)
    return new


def _status_before_merge(incident: Incident) -> str:
    """The review status the incident had before it was merged (unverified when its history does not say)."""
    for record in incident.history.order_by("-history_date", "-history_id"):
        if record.review_status != Status.MERGED:
            return record.review_status
    return Status.UNVERIFIED


def _claims_from(*, drop: Incident, keep: Incident) -> tuple[list[tuple[Claim, bool]], list[Claim]]:
    """Which of keep's claims came from drop (each with the opened_incident it had there), and drop's claims
    the merge deleted as duplicates of an article keep already had (rebuilt from their history, not saved).

    A claim came from drop when the history row before its latest run on keep is on drop.
    Deleted claims are found by the reason merges write (merge_claim_reason); merges made before
    that reason existed leave them unfound.
    """
    moved = []
    for claim in keep.claims.order_by("pk"):
        for record in claim.history.order_by("-history_date", "-history_id"):
            if record.incident_id != keep.pk:
                if record.incident_id == drop.pk:
                    moved.append((claim, record.opened_incident))
                break
    deleted_rows = Claim.history.filter(
        history_type="-", incident_id=drop.pk, history_change_reason=merge_claim_reason(keep=keep, drop=drop)
    ).order_by("id", "-history_date")
    deleted, seen = [], set()
    for record in deleted_rows:
        if record.id in seen or Claim.objects.filter(pk=record.id).exists():
            continue
        seen.add(record.id)
        deleted.append(record.instance)
    return moved, deleted


@transaction.atomic
def incident_unmerge(*, incident: Incident, user: AbstractBaseUser | None, reason: str = "") -> Incident:
    """Undo the merge of `incident` into the incident it points at; returns `incident`, restored.

    Its review status goes back to what it was before the merge, merged_into is cleared,
    incidents that had been merged into it point at it again, the claims that came from it
    move back (with their "first report" mark), the claims the merge deleted as duplicates of
    one article are re-created from their history, and both incidents' figures are
    recomputed. Raises ValidationError, saving nothing, when `incident` is not merged, or
    when the incident it was merged into was itself merged since (undo that merge first).
    """
    if incident.review_status != Status.MERGED:
        raise ValidationError(f"Incident {incident.pk} is not merged: there is nothing to undo.")
    drop, keep = _locked(incident, incident.merged_into)
    # A merge of the kept incident re-points drop at the new target: drop's claims are two moves away.
    latest = list(drop.history.order_by("-history_date", "-history_id")[:2])
    first_target = latest[1].merged_into_id if len(latest) == 2 else None
    if first_target not in (None, keep.pk):
        raise ValidationError(
            f"Incident {drop.pk} was merged into incident {first_target}, itself merged into incident "
            f"{keep.pk} since; undo that merge first."
        )
    if keep.review_status == Status.MERGED:  # merges re-point, so only a hand-made link gets here
        raise ValidationError(f"Incident {keep.pk} is merged too; undo its merge first.")
    why = reason or f"Undo the merge of {drop.pk} into {keep.pk}"
    moved, deleted = _claims_from(drop=drop, keep=keep)

    drop.review_status = _status_before_merge(drop)
    drop.merged_into = None
    drop._history_user = user
    drop._change_reason = why
    drop.save(update_fields=["review_status", "merged_into", "updated_at"])

    for earlier in keep.merged_incidents.order_by("pk"):
        previous = list(earlier.history.order_by("-history_date", "-history_id")[:2])
        if len(previous) == 2 and previous[1].merged_into_id == drop.pk:
            earlier.merged_into = drop
            earlier._history_user = user
            earlier._change_reason = why
            earlier.save(update_fields=["merged_into", "updated_at"])

    for claim, opened in moved:
        claim.opened_incident = opened
    _move([claim for claim, _opened in moved], to=drop, user=user, reason=why)
    for claim in deleted:
        claim.incident = drop
        claim._history_user = user
        claim._change_reason = why
        claim.save(force_insert=True)
    _ensure_opener(keep, user=user, reason=why)

    _recompute(keep, user=user, reason=why)
    _recompute(drop, user=user, reason=why)
    return drop
