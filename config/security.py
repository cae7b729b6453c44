"""Security plumbing of the web app: the content security policy, which proxies are believed
about HTTPS, and a sign-in lockout store that can be reset as a whole.

The dashboard and incident pages load only our own scripts (no inline script or
event handler), our own JSON and our own map data. plotly.js writes <style>
elements and style attributes at run time, hence 'unsafe-inline' for styles only.
The admin and the API's documentation pages are Django's and drf-spectacular's
templates; they are left to their own headers.
"""

import functools
import ipaddress
from collections.abc import Callable

from axes.handlers.cache import AxesCacheHandler
from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
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
# Swagger UI and Redoc run inline scripts and styles of their own, and Redoc draws a logo from
# its makers' CDN: on those pages inline code is allowed, but every fetch still stays on our host.
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)
_DOCS = ("/api/docs/", "/api/redoc/")
_EXEMPT = ("/admin/",)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(_EXEMPT) or "Content-Security-Policy" in response.headers:
            return response
        response.headers["Content-Security-Policy"] = DOCS_POLICY if request.path.startswith(_DOCS) else POLICY
        return response


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted_proxy(address: str) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


class ForwardedProtoMiddleware:
    """X-Forwarded-Proto counts only from a proxy in TRUSTED_PROXIES; from any other peer it is dropped.

    SECURE_PROXY_SSL_HEADER makes Django believe the header; with gunicorn reachable
    directly, a client could otherwise pass plain HTTP off as HTTPS and dodge the
    redirect. First in MIDDLEWARE, before SecurityMiddleware reads it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_X_FORWARDED_PROTO" in request.META and not _trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)


class ResettableAxesCacheHandler(AxesCacheHandler):
    """django-axes' cache handler, which can also lift every lockout at once (`manage.py axes_reset`).

    django-axes refuses that with a cache (NotImplementedError): clearing the cache
    would drop everything else in it, throttle counts included. This deletes
    django-axes' own keys only, found by their prefix.
    """

    def reset_attempts(
        self, *, ip_address: str | None = None, username: str | None = None, ip_or_username: bool = False
    ) -> int:
        if ip_address is None and username is None and not ip_or_username:
            keys = _keys_with_prefix(self.cache, "axes-")
            self.cache.delete_many(keys)
            return len(keys)
        return super().reset_attempts(ip_address=ip_address, username=username, ip_or_username=ip_or_username)


def _keys_with_prefix(cache: BaseCache, prefix: str) -> list[str]:
    """The keys of `cache` that start with `prefix`, as the cache API takes them (before make_key).

    Django's cache API cannot list keys, so this reads the two stores the settings
    allow (CACHE_URL): Redis, scanned, and local memory.
    """
    made_prefix = cache.make_key(prefix)
    added = len(made_prefix) - len(prefix)  # KEY_PREFIX and version, put in front by make_key
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=False)
        pattern = "".join(f"\\{char}" if char in "*?[]\\" else char for char in made_prefix) + "*"
        made = [key.decode() for key in client.scan_iter(match=pattern, count=1000)]
    elif isinstance(cache, LocMemCache):
        with cache._lock:
            made = [key for key in cache._cache if key.startswith(made_prefix)]
    else:
        raise NotImplementedError(f"cannot list the keys of a {type(cache).__name__}")
    return [key[added:] for key in made]
