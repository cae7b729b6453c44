"""The review workflow: an analyst verifies, rejects, corrects and merges incidents.

Every change is saved through the model (never `QuerySet.update`), so
django-simple-history records it with the analyst as the history user.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from casualties.models import COUNT_FIELDS, Admin1, Incident, LocationPrecision, Place
from casualties.services.figures import incident_refresh_figures
from casualties.services.markers import review_marker_clear

FIGURE_FIELDS = frozenset(COUNT_FIELDS)
# What an analyst may set directly. Location, review status and merge links have their own services.
CORRECTABLE_FIELDS = FIGURE_FIELDS | {
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "victims",
    "actor",
    "aggregate",
    "place_name",
    "note",
}

Status = Incident.ReviewStatus


def _ensure_not_merged(incident: Incident) -> None:
    if incident.review_status == Status.MERGED:
        raise ValidationError(
            f"Incident {incident.pk} was merged into incident {incident.merged_into_id}; edit that one instead."
        )


def _save(incident: Incident, *, user: AbstractBaseUser | None, reason: str = "", fields: list[str]) -> None:
    incident._history_user = user  # read by simple_history when it writes the history row
    if reason:
        incident._change_reason = reason
    incident.save(update_fields=[*fields, "updated_at"])


# Written in the history when the analyst gives no reason of their own.
ASKED_FOR_CONFIRMATION = "verified; awaiting a second analyst's confirmation"
CONFIRMED = "verification confirmed by a second analyst"
NOT_THE_ASKER = "You verified this incident yourself: a second analyst must confirm it."
NOT_THE_LAST_EDITOR = "You made the last change to this incident: another analyst must confirm it."


def incident_last_editor_id(*, incident: Incident) -> int | None:
    """The user who made the incident's latest recorded change (None: the system, or no history)."""
    return incident.history.order_by("-history_date", "-history_id").values_list("history_user_id", flat=True).first()


@transaction.atomic
def incident_verify(*, incident: Incident, user: AbstractBaseUser | None, reason: str = "") -> Incident:
    """Mark the incident verified (also a rejected one). Raises ValidationError for a merged incident.

    With settings.REVIEW_TWO_PERSON on, it takes two analysts: the first one's verify
    leaves the incident unverified and awaiting confirmation (`confirmation_requested_by`);
    a second one's verify confirms it. The confirmer may be neither the one who asked
    nor the one who made the last recorded change (ValidationError naming which). Each
    step is a history row with its user and reason.
    """
    _ensure_not_merged(incident)
    if not settings.REVIEW_TWO_PERSON:
        incident.review_status = Status.VERIFIED
        incident.confirmation_requested_by = None
        _save(incident, user=user, reason=reason, fields=["review_status", "confirmation_requested_by"])
        review_marker_clear(incident_ids=[incident.pk])
        return incident
    if user is None:
        raise ValidationError("Two-person verification needs a signed-in analyst.")
    # Locked, then read again: two analysts confirming at once must not both pass the checks.
    Incident.objects.select_for_update().filter(pk=incident.pk).exists()
    incident.refresh_from_db(fields=["review_status", "confirmation_requested_by"])
    if incident.review_status == Status.VERIFIED:
        return incident  # nothing left to confirm
    if not incident.awaiting_confirmation:
        incident.review_status = Status.UNVERIFIED
        incident.confirmation_requested_by = user
        _save(
            incident,
            user=user,
            reason=reason or ASKED_FOR_CONFIRMATION,
            fields=["review_status", "confirmation_requested_by"],
        )
        return incident
    if incident.confirmation_requested_by_id == user.pk:
        raise ValidationError(NOT_THE_ASKER)
    if incident_last_editor_id(incident=incident) == user.pk:
        raise ValidationError(NOT_THE_LAST_EDITOR)
    incident.review_status = Status.VERIFIED
    incident.confirmation_requested_by = None
    _save(incident, user=user, reason=reason or CONFIRMED, fields=["review_status", "confirmation_requested_by"])
    review_marker_clear(incident_ids=[incident.pk])
    return incident


@transaction.atomic
def incident_reject(*, incident: Incident, user: AbstractBaseUser | None, reason: str = "") -> Incident:
    """Mark the incident rejected: it leaves lists and totals, and any wait for confirmation ends.
    Raises ValidationError for a merged incident."""
    _ensure_not_merged(incident)
    incident.review_status = Status.REJECTED
    incident.confirmation_requested_by = None
    _save(incident, user=user, reason=reason, fields=["review_status", "confirmation_requested_by"])
    review_marker_clear(incident_ids=[incident.pk])
    return incident


@transaction.atomic
def incident_correct(
    *, incident: Incident, user: AbstractBaseUser | None, changes: Mapping[str, Any], reason: str = ""
) -> Incident:
    """Set fields from CORRECTABLE_FIELDS; setting any figure locks the figures against later claims.

    Raises ValidationError (by field) for a field outside the allowed set, a
    merged incident, or values that break the model's constraints (min > max,
    start after end, negative counts): nothing is saved then.
    """
    _ensure_not_merged(incident)
    unknown = sorted(set(changes) - CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set."))
    if not changes:
        return incident
    for field, value in changes.items():
        setattr(incident, field, value)
    fields = list(changes)
    if FIGURE_FIELDS & set(changes):
        incident.figures_locked = True
        fields.append("figures_locked")
    # Checks the database constraints in Python first, so a bad value is a 400 and not an IntegrityError.
    incident.full_clean(validate_unique=False)
    _save(incident, user=user, reason=reason, fields=fields)
    return incident


# What a relocation sets, all together: a place never points one way and the division or point another.
LOCATION_FIELDS = ["place", "place_name", "admin1", "country", "lat", "lon", "location_precision"]


@transaction.atomic
def incident_relocate(
    *,
    incident: Incident,
    user: AbstractBaseUser | None,
    place: Place | None = None,
    admin1: Admin1 | None = None,
    reason: str = "",
) -> Incident:
    """Move the incident to a gazetteer place, or to a first-level division only (exactly one of the two).

    To a place: the place, its name, division, country and point, precision "place".
    To a division: no place, no place name, no point, the division's country, precision
    "admin1". One history row with the user and reason. Raises ValidationError for a
    merged incident or when neither or both of place and admin1 are given.
    """
    _ensure_not_merged(incident)
    if (place is None) == (admin1 is None):
        raise ValidationError("Give a place or a first-level division to move the incident to, not both.")
    if place is not None:
        incident.place = place
        incident.place_name = place.name
        incident.admin1 = place.admin1
        incident.country = place.country
        incident.lat, incident.lon = place.lat, place.lon
        incident.location_precision = LocationPrecision.PLACE
    else:
        incident.place = None
        incident.place_name = ""
        incident.admin1 = admin1
        incident.country = admin1.country
        incident.lat = incident.lon = None
        incident.location_precision = LocationPrecision.ADMIN1
    incident.full_clean(validate_unique=False)
    _save(incident, user=user, reason=reason, fields=LOCATION_FIELDS)
    return incident


def merge_claim_reason(*, keep: Incident, drop: Incident) -> str:
    """The reason a merge writes on the history rows of the claims it moves or deletes."""
    return f"Merged incident {drop.pk} into {keep.pk}"


@transaction.atomic
def incident_merge(*, keep: Incident, drop: Incident, user: AbstractBaseUser | None, reason: str = "") -> Incident:
    """Fold `drop` into `keep`: one event reported twice becomes one incident.

    drop's claims move to keep, except a claim from an article that keep
    already has a claim from: keep's stays and drop's is deleted. drop becomes
    review_status=merged with merged_into=keep, and so do incidents earlier
    merged into drop (so no link points at a merged incident). keep's figures
    are refreshed from its claims (unless locked). All in one transaction.
    Raises ValidationError when keep is drop or either is already merged.
    Returns keep.
    """
    if keep.pk == drop.pk:
        raise ValidationError("An incident cannot be merged into itself.")
    # Lock both rows in a fixed order so two concurrent merges cannot deadlock or cross.
    locked = {i.pk: i for i in Incident.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk]).order_by("pk")}
    keep, drop = locked[keep.pk], locked[drop.pk]
    _ensure_not_merged(keep)
    _ensure_not_merged(drop)

    keep_articles = set(keep.claims.values_list("article_id", flat=True))
    keep_has_opener = keep.claims.filter(opened_incident=True).exists()
    for claim in drop.claims.order_by("pk"):
        claim._history_user = user
        # Names the merge in the claim's history: incident_unmerge finds what to restore by it.
        claim._change_reason = merge_claim_reason(keep=keep, drop=drop)
        if claim.article_id in keep_articles:
            claim.delete()
        else:
            claim.incident = keep
            # One "first reported by" per incident: keep's own, else the first that comes over.
            claim.opened_incident = claim.opened_incident and not keep_has_opener
            keep_has_opener = keep_has_opener or claim.opened_incident
            claim.save(update_fields=["incident", "opened_incident"])
            keep_articles.add(claim.article_id)

    for earlier in drop.merged_incidents.order_by("pk"):
        earlier.merged_into = keep
        _save(earlier, user=user, reason=f"Merged into {keep.pk} with {drop.pk}", fields=["merged_into"])

    drop.review_status = Status.MERGED
    drop.merged_into = keep
    _save(drop, user=user, reason=reason or f"Merged into {keep.pk}", fields=["review_status", "merged_into"])

    keep._history_user = user
    if reason:
        keep._change_reason = reason
    return incident_refresh_figures(incident=keep)


@transaction.atomic
def incident_review(
    *,
    incident: Incident,
    user: AbstractBaseUser | None,
    changes: Mapping[str, Any] | None = None,
    review_status: str | None = None,
    place: Place | None = None,
    admin1: Admin1 | None = None,
    reason: str = "",
) -> Incident:
    """An analyst's edit in one go: a relocation (incident_relocate) when place or admin1 is given,
    corrections (incident_correct), then the decision (verify or reject).

    All or nothing. Raises ValidationError as the services it calls, and for a
    review_status other than verified or rejected.
    """
    if place is not None or admin1 is not None:
        incident_relocate(incident=incident, user=user, place=place, admin1=admin1, reason=reason)
    if changes:
        incident_correct(incident=incident, user=user, changes=changes, reason=reason)
    if review_status == Status.VERIFIED:
        incident_verify(incident=incident, user=user, reason=reason)
    elif review_status == Status.REJECTED:
        incident_reject(incident=incident, user=user, reason=reason)
    elif review_status is not None:
        raise ValidationError({"review_status": "Only verified or rejected can be set; merge has its own endpoint."})
    return incident


@transaction.atomic
def incidents_decide(
    *, incident_ids: list[int], decision: str, user: AbstractBaseUser | None, reason: str = ""
) -> list[Incident]:
    """Verify or reject several incidents at once (the review queue's bulk action): all or none.

    `decision` is "verify" or "reject". Raises ValidationError for another decision, an id
    with no incident, or a merged incident among them; nothing is saved then. Each incident
    gets its own history row with the user and reason. Returns the incidents, by id.
    """
    services = {"verify": incident_verify, "reject": incident_reject}
    if decision not in services:
        raise ValidationError("The decision is verify or reject.")
    incidents = list(Incident.objects.select_for_update().filter(pk__in=incident_ids).order_by("pk"))
    missing = sorted(set(incident_ids) - {incident.pk for incident in incidents})
    if missing:
        raise ValidationError(f"No incident {', '.join(map(str, missing))}.")
    for incident in incidents:
        services[decision](incident=incident, user=user, reason=reason)
    return incidents
