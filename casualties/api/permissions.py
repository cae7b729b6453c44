"""Who may do what, checked by permission, never by group name.

Reading is open to everyone while settings.PUBLIC_READ is true (the default); with
it false, reading needs READ_PERMISSION (the viewer role). Writing needs the
permission its view names: reviewing incidents REVIEW_PERMISSION, submitting
articles SUBMIT_PERMISSION (both held by the analyst role). The roles themselves
are in casualties/services/roles.py; docs/security.md has the table.

DRF answers 401 when a check fails for a client that sent no credentials, and 403
when it fails for an authenticated user.
"""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

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


class CanReadOrAuthenticated(BasePermission):
    """The API's default: reads as user_can_read says; anything else needs a signed-in user
    (views that accept writes name a stricter class)."""

    message = "Reading needs the viewer role."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return user_can_read(request.user)
        return bool(request.user and request.user.is_authenticated)


class IsAnalystOrReadOnly(CanReadOrAuthenticated):
    """Incidents: reads as the default; writes (review, correct, merge) for analysts."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return super().has_permission(request, view)
        self.message = "Only analysts may change incidents."
        return user_is_analyst(request.user)


class CanSubmitArticlesOrReadOnly(CanReadOrAuthenticated):
    """Articles: reads as the default; submitting one needs reports.add_article (analysts)."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return super().has_permission(request, view)
        self.message = "Only analysts may submit articles."
        return user_can_submit_articles(request.user)
