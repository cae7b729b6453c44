"""Who may read, review and submit: predicates on a user, checked by permission, never by group name.

Reading is open to everyone while settings.PUBLIC_READ is true (the default); with
it false, reading needs READ_PERMISSION (the viewer role). Reviewing incidents needs
REVIEW_PERMISSION, submitting articles SUBMIT_PERMISSION (both held by the analyst
role). The API's permission classes (casualties/api/permissions.py), the dashboard's
views and the read-gate middleware all ask these, so the rules are written once.
"""

from django.conf import settings

from casualties.services.roles import READ_PERMISSION, REVIEW_PERMISSION, SUBMIT_PERMISSION


def _has(user, permission: str) -> bool:
    # has_perm is already False for inactive users; the explicit test keeps that true of any backend.
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(permission))


def user_can_read(user) -> bool:
    """Everyone while PUBLIC_READ is on; otherwise users holding the viewer permission."""
    return settings.PUBLIC_READ or _has(user, READ_PERMISSION)


def user_is_analyst(user) -> bool:
    """May verify, reject, correct and merge incidents (superusers too)."""
    return _has(user, REVIEW_PERMISSION)


def user_can_submit_articles(user) -> bool:
    return _has(user, SUBMIT_PERMISSION)
