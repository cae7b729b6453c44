"""`/api/v1/auth/token/...`: obtain an API token with a username and password, rotate it, revoke it.

One token per user, stored only as a digest (casualties/services/tokens.py): the key is
shown once, in the answer that issues it, and never again, to its owner or an admin.
Obtaining and rotating both issue a new key and the old one stops working at once;
revoking deletes it. A token always acts as its owner: writes are recorded under
`request.user`, which only the token decides.

Guessing passwords here is bounded twice: DRF throttles cap the requests per client
address and per username (TOKEN_RATE_PER_ADDRESS, TOKEN_RATE_PER_USERNAME), and the
sign-in goes through authenticate(), so django-axes counts its failures together with
the dashboard's and the admin's login forms and locks out the same address or username.
"""

import hashlib
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from casualties.api.parsers import StrictJSONParser
from casualties.api.serializers import NoUnknownFieldsMixin
from casualties.services.tokens import api_token_issue, api_token_revoke

BAD_CREDENTIALS = "Unable to sign in with these credentials."


def client_address(request) -> str:
    """The client's address for every rate limit (DRF throttles and django-axes alike): the peer's
    address, or the one TRUSTED_PROXY_COUNT proxies put in X-Forwarded-For."""
    return BaseThrottle().get_ident(request)


class TokenAddressThrottle(SimpleRateThrottle):
    scope = "token_address"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class TokenUsernameThrottle(SimpleRateThrottle):
    """Counts requests naming one username, whatever address they come from."""

    scope = "token_username"

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        username = data.get("username") if isinstance(data, Mapping) else None
        if not isinstance(username, str) or not username.strip():
            return None  # nothing to count: the serializer answers 400
        digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class TokenObtainSerializer(NoUnknownFieldsMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=1024, trim_whitespace=False, write_only=True)


_TOKEN_RESPONSE = inline_serializer(
    "TokenResponse", fields={"token": serializers.CharField(), "username": serializers.CharField()}
)


def _token_response(key: str, user, *, code: int = status.HTTP_200_OK) -> Response:
    response = Response({"token": key, "username": user.get_username()}, status=code)
    response["Cache-Control"] = "no-store"  # a secret: no proxy or browser keeps it
    return response


class TokenObtainView(APIView):
    """Exchange a username and password for the user's API token."""

    authentication_classes = []  # credentials are in the body; no session, so no CSRF token needed
    permission_classes = [AllowAny]
    throttle_classes = [TokenAddressThrottle, TokenUsernameThrottle]
    parser_classes = [StrictJSONParser, FormParser]

    def throttled(self, request: Request, wait: float | None):
        raise Throttled(wait=wait, detail="Too many token requests from this address or for this username.")

    @extend_schema(
        summary="Obtain your API token (username and password)",
        description=(
            "Returns a new token, which replaces the one you had; send it as `Authorization: Token <key>`. "
            "Only a digest is kept: the key is shown here once and cannot be read back by anyone. "
            "Wrong credentials, or an inactive account: 400. Rate-limited per client address and per "
            "username (429 with Retry-After); repeated failures lock the address or username out for "
            "LOGIN_COOLOFF_MINUTES, as on the sign-in form."
        ),
        auth=[],
        request=TokenObtainSerializer,
        responses={
            200: _TOKEN_RESPONSE,
            400: OpenApiResponse(description="Missing fields, unknown fields or wrong credentials"),
            429: OpenApiResponse(description="Too many requests or failed sign-ins; see Retry-After"),
        },
        examples=[OpenApiExample("Sign in", value={"username": "analyst1", "password": "..."}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        credentials = TokenObtainSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            minutes = settings.LOGIN_COOLOFF_MINUTES
            raise Throttled(
                wait=minutes * 60,
                detail=f"Too many failed sign-ins from this address or for this username; wait {minutes} minutes.",
            )
        if user is None:
            raise ValidationError({"detail": [BAD_CREDENTIALS]})
        # A sign-in like the form's: records last_login and clears this client's failure count.
        user_logged_in.send(sender=type(user), request=request, user=user)
        return _token_response(api_token_issue(user=user), user)


class TokenRotateView(APIView):
    """Replace the current user's token with a new one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Rotate your API token",
        description="Deletes your token and returns a new one; the old key is refused (401) from now on.",
        request=None,
        responses={200: _TOKEN_RESPONSE, 401: OpenApiResponse(description="No valid credentials")},
    )
    def post(self, request: Request) -> Response:
        return _token_response(api_token_issue(user=request.user), request.user)


class TokenRevokeView(APIView):
    """Delete the current user's token."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Revoke your API token",
        description="Deletes your token; it is refused (401) from now on. Obtain a new one to use the API again.",
        request=None,
        responses={204: None, 401: OpenApiResponse(description="No valid credentials")},
    )
    def post(self, request: Request) -> Response:
        api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
