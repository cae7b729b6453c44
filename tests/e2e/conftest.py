"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live_server.

Skipped with a plain reason when /usr/bin/chromium (or the playwright package) is
missing. Never downloads a browser: `playwright install` is not used.
"""

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def _skip_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Chromium not installed: browser tests skipped"
    if importlib.util.find_spec("playwright") is None:
        return "playwright not installed (pip install -r requirements-dev.txt): browser tests skipped"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason is None:
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def _serial_wsgi_server_class():
    from django.core.servers.basehttp import WSGIServer

    class SerialWSGIServer(WSGIServer):
        """One request at a time, in the live server's thread (which holds the shared connection)."""

        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override or {}

    return SerialWSGIServer


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, made safe for an in-memory SQLite test database.

    With in-memory SQLite, Django shares the test's one connection with the server's
    request threads; the page fetches its three JSON endpoints at once, and three
    threads on one sqlite3 connection can deadlock. The server then answers one
    request at a time (and closes each connection, so nothing waits on keep-alive).
    On PostgreSQL each request thread has its own connection and the server stays threaded.
    """
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        server.thread.server_class = _serial_wsgi_server_class()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which trips Django's async-safety
    # check on every ORM call the tests make; the ORM is still used from one thread at a time.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class RecordedPage:
    """A Playwright page that records every request it makes, to prove none leaves the live server."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        # Requests the page's Content-Security-Policy stopped in the browser: nothing left the machine.
        self.blocked: set[str] = set()
        page.on("requestfailed", lambda request: self._failed(request))

    def _failed(self, request) -> None:
        if "csp" in (request.failure or "").lower():
            self.blocked.add(request.url)

    def outside_requests(self) -> list[str]:
        ours = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != ours and url not in self.blocked
        ]


def _recorded_page(browser, live_server, *, width: int, height: int) -> Iterator[RecordedPage]:
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield RecordedPage(page, live_server.url)
    finally:
        # Closed before the database is flushed, so no request of the page is still running then.
        context.close()


@pytest.fixture
def browser_page(browser, live_server) -> Iterator[RecordedPage]:
    """A laptop-sized page."""
    yield from _recorded_page(browser, live_server, width=1400, height=1000)


@pytest.fixture
def phone_page(browser, live_server) -> Iterator[RecordedPage]:
    """A phone-sized page (390 x 844 CSS pixels)."""
    yield from _recorded_page(browser, live_server, width=390, height=844)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds" / "articles"


@pytest.fixture
def demo(transactional_db):
    """The demo: seeds/articles ingested through the real pipeline (extraction, filing), visible to the live
    server's thread. Governorate centres are then set from the places filed, as load_gazetteer does."""
    from django.core.management import call_command

    from casualties.models import Incident
    from casualties.services.gazetteer import admin1_refresh_centres

    call_command("ingest", str(SEEDS), verbosity=0)
    admin1_refresh_centres()
    assert Incident.objects.filter(admin1__name="Idlib").count() >= 3, "the seeds should give Idlib incidents"
    return Incident.objects.all()


def save_screenshot(page, artifacts: Path, name: str, *, publish: bool = False) -> Path:
    """Full-page PNG in tests/artifacts/. With publish, and PUBLISH_SCREENSHOTS=1 in the environment,
    also copied to docs/screenshots/: a plain test run never rewrites tracked files."""
    path = artifacts / name
    page.screenshot(path=str(path), full_page=True)
    if publish and os.environ.get("PUBLISH_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / name)
    return path


def sign_in(page, username: str, *, start: str = "/") -> None:
    """Sign in through the dashboard's own form (the password is tests.factories.PASSWORD)."""
    from tests.factories import PASSWORD

    page.goto(f"/accounts/login/?next={start}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{start}")
