"""Fixtures shared by the whole suite. No Django imports at module level: the extraction
engine's tests run without Django (`-p no:django`)."""

import datetime
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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


@pytest.fixture(autouse=True)
def _no_answer_cached_by_an_earlier_test(request: pytest.FixtureRequest) -> None:
    """Django's cache emptied before each test that runs with Django.

    The dashboard's answers are cached under the data version (casualties.selectors.data_version),
    and each test's rollback takes the version back to where it was: the next test reaches the
    same numbers with other data, and must not be answered from the cache the last one filled.
    """
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.core.cache import cache

    cache.clear()


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


# Reference datasets (ACLED, UCDP): small exports written by us, the gazetteer they match, a comparison.
REFERENCE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reference"


@pytest.fixture
def reference_gazetteer(db):
    """Idlib (also spelled Idleb) and Aleppo (also Halab): what the reference exports are matched against."""
    from tests.factories import Admin1Factory

    return {
        "Idlib": Admin1Factory(country="SY", code="12", name="Idlib", aliases=["Idleb"]),
        "Aleppo": Admin1Factory(country="SY", code="09", name="Aleppo", aliases=["Halab"]),
    }


@pytest.fixture
def reference_file():
    """The path of one of the small exports in tests/fixtures/reference."""
    return lambda name: REFERENCE_FIXTURES / name


@pytest.fixture
def compared(reference_gazetteer, reference_file):
    """ACLED's small export imported, and four incidents of ours (hand-computed answers in the tests).

    A: Idlib, 17 Feb, a point 1.4 km from SYR1001's: matches SYR1001 (a day apart).
    B: Idlib, 25 Feb: five days after SYR1002, ours only.
    C: Aleppo, 20 March, division only: inside SYR1003's month, matches it.
    D: Idlib, 16 Feb, a point 36 km east of SYR1001's: too far, ours only.
    Theirs only: SYR1002 and SYR1005 (no division); SYR1006, a protest with no deaths, is left out.
    """
    from casualties.reference.importing import reference_import
    from tests.factories import IncidentFactory

    reference_import(format="acled", path=reference_file("acled.csv"))

    def incident(admin1: str, day: datetime.date, killed: tuple[int, int], point=None):
        where = (
            {"location_precision": "place", "place_name": "Kafr Tala", "lat": point[0], "lon": point[1]}
            if point
            else {}
        )
        return IncidentFactory(
            admin1=reference_gazetteer[admin1],
            date_start=day,
            date_end=day,
            killed_min=killed[0],
            killed_max=killed[1],
            **where,
        )

    return {
        "A": incident("Idlib", datetime.date(2023, 2, 17), (3, 5), point=(35.91, 36.61)),
        "B": incident("Idlib", datetime.date(2023, 2, 25), (6, 6)),
        "C": incident("Aleppo", datetime.date(2023, 3, 20), (7, 9)),
        "D": incident("Idlib", datetime.date(2023, 2, 16), (1, 1), point=(35.90, 37.0)),
    }
