"""Who may do what, checked by permission, never by group name.

Reading is open to everyone while settings.PUBLIC_READ is true (the default); with
it false, reading needs READ_PERMISSION (the viewer role). Writing needs the
permission its view names: reviewing incidents REVIEW_PERMISSION, submitting
articles SUBMIT_PERMISSION (both held by the analyst role). The roles themselves
are in casualties/services/roles.py; docs/security.md has the table.

DRF answers 401 when a check fails for a client that sent no credentials, and 403
when it fails for an authenticated user.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from casualties.access import user_can_read, user_can_submit_articles, user_is_analyst


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
