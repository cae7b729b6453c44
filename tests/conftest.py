"""Fixtures shared by the whole suite. No Django imports at module level: the extraction
engine's tests run without Django (`-p no:django`)."""

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    body: bytes = b""
    # For slow servers: seconds between chunks of `chunk` bytes.
    drip: float = 0.0
    chunk: int = 1


class LocalServer:
    """An HTTP server on 127.0.0.1 serving canned responses, for fetch and feed tests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                route = server.routes.get(self.path, Route(status=404, body=b"not found"))
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in route.headers and not route.drip:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    if route.drip:
                        for start in range(0, len(route.body), route.chunk):
                            self.wfile.write(route.body[start : start + route.chunk])
                            self.wfile.flush()
                            time.sleep(route.drip)
                    else:
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, **route: object) -> str:
        self.routes[path] = Route(**route)  # type: ignore[arg-type]
        return self.url(path)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    yield server
    server.close()


@pytest.fixture
def allow_loopback(settings) -> Callable[[], None]:
    settings.HTTP_ALLOW_LOOPBACK = True
    return lambda: None


# Django fixtures import Django inside, for the reason in the module's docstring.


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Django's cache empty before and after the test: throttle and sign-in counts start from zero.

    A folder's conftest asks for it for all its tests with an autouse fixture taking it; a
    module with `pytestmark = pytest.mark.usefixtures("fresh_cache")`.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def analyst(db):
    """A user in the analysts group (review, correct, merge, submit), signing in as analyst1."""
    from tests.factories import UserFactory

    return UserFactory(username="analyst1", analyst=True)


@pytest.fixture
def analyst_client(analyst):
    """An API client sending the analyst's token."""
    from tests.factories import token_client

    return token_client(analyst)
