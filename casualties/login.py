"""The page a locked-out sign-in gets (django-axes calls it: AXES_LOCKOUT_CALLABLE).

Axes' own response has no Retry-After and speaks of "accounts"; this one says what
happened in the dashboard's words, answers 429 with Retry-After, and never says
whether the username exists.
"""

from axes.helpers import get_client_username
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login_lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    context = {
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES,
        "username": get_client_username(request, credentials) or "",
    }
    response = render(request, "casualties/login_locked.html", context, status=429)
    response["Retry-After"] = str(settings.LOGIN_COOLOFF_MINUTES * 60)
    return response
