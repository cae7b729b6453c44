"""Who may do what: anyone reads; analysts write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

ANALYSTS_GROUP = "analysts"


def user_is_analyst(user) -> bool:
    """Members of the "analysts" group, or anyone granted casualties.change_incident (superusers too)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.groups.filter(name=ANALYSTS_GROUP).exists() or user.has_perm("casualties.change_incident")


class IsAnalystOrReadOnly(BasePermission):
    """Reads for everyone. Writes: anonymous gets 401, an authenticated non-analyst 403."""

    message = "Only analysts may change incidents."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        # Returning False for an anonymous user makes DRF answer 401 (NotAuthenticated), not 403.
        return user_is_analyst(request.user)
