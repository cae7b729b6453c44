"""A content security policy for the pages we render ourselves.

The dashboard and incident pages load only our own scripts (no inline script or
event handler), our own JSON and our own map data. plotly.js writes <style>
elements and style attributes at run time, hence 'unsafe-inline' for styles only.
The admin and the API's documentation pages are Django's and drf-spectacular's
templates; they are left to their own headers.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_EXEMPT = ("/admin/", "/api/docs/", "/api/redoc/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exempt = request.path.startswith(_EXEMPT)
        if not exempt and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = POLICY
        return response
