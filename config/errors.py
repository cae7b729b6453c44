"""One JSON error shape for the API and the dashboard's JSON endpoints (docs/api.md).

    {"code": "invalid", "detail": "Invalid input: see errors.", "errors": {"date_from": ["Enter a valid date."]}}

`code` is a stable word a client may branch on (invalid, not_authenticated,
permission_denied, not_found, throttled, unavailable, timeout, ...), `detail` one
sentence for people, `errors` the messages per parameter or field ({} when the
error is not about one). The API gets it from api_exception_handler (REST_FRAMEWORK
EXCEPTION_HANDLER), the dashboard's views and the outage middleware from
error_response, so both say it the same way. After HackSoftware's Styleguide-Example
`styleguide_example/api/exception_handlers.py`.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

INVALID = "Invalid input: see errors."
# Keys DRF uses for messages about the whole request rather than one field.
_GENERAL_KEYS = ("detail", "non_field_errors")


def error_body(*, code: str, detail: str, errors: dict | None = None) -> dict:
    return {"code": code, "detail": detail, "errors": errors or {}}


def error_response(*, status: int, code: str, detail: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse(error_body(code=code, detail=detail, errors=errors), status=status)


def _messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    return [str(value)]


def _validation_body(detail) -> dict:
    if not isinstance(detail, dict):
        return error_body(code="invalid", detail=" ".join(_messages(detail)) or INVALID)
    general = [message for key in _GENERAL_KEYS for message in _messages(detail.get(key, []))]
    fields = {key: value for key, value in detail.items() if key not in _GENERAL_KEYS}
    return error_body(code="invalid", detail=" ".join(general) or INVALID, errors=fields)


def api_exception_handler(exc: Exception, context: dict):
    """DRF's handler, with Django's own exceptions mapped first and every answer in the one shape.

    Returns None (the exception propagates) for anything DRF does not handle; a database
    outage then reaches config.outage's middleware, which answers in the same shape.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(
            code=code if isinstance(code, str) else "error", detail=" ".join(_messages(exc.detail))
        )
    return response


class NulInQueryMiddleware:
    """A NUL in any query parameter's name or value is a 400 before any view runs.

    PostgreSQL text cannot hold NUL, so such a value would fail deep in a query (the
    dashboard's division choices, every filter) as a 500; refused here, no view needs to know.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = sorted(
            {key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in value for value in values)}
        )
        if bad:
            message = "Null characters are not allowed."
            return error_response(
                status=400,
                code="invalid",
                detail=message,
                errors={key.replace("\x00", "\\0"): [message] for key in bad},
            )
        return self.get_response(request)
