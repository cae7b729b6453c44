"""An analyst submits a pasted text and a URL (served on loopback) from the dashboard, in headless Chromium."""

import re

import pytest

from casualties.models import Incident
from reports.models import Article
from reports.services import extracting
from tests.e2e.conftest import save_screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

TEXT = "An air strike on the market of Ariha in Idlib on Sunday killed 40 people, rescuers said."
HTML = f"<html><head><title>Ariha market</title></head><body><article><p>{TEXT}</p></article></body></html>"


@pytest.fixture
def analyst_in(transactional_db, browser_page, monkeypatch):
    monkeypatch.setattr(extracting, "gazetteer_provider", lambda: lambda: None)  # the engine's own
    UserFactory(username="analyst", analyst=True)
    sign_in(browser_page.page, "analyst")
    return browser_page.page


def test_an_analyst_pastes_a_text_and_sees_the_incident_it_made(analyst_in, browser_page, artifacts):
    page = analyst_in
    page.get_by_role("link", name="Submit an article").click()
    page.wait_for_url("**/submit/")
    # Nothing filled: the error is on the text field, in words.
    page.get_by_role("button", name="Submit").click()
    assert "Paste the article's text here" in page.inner_text("#field-text")
    page.get_by_label("Title").fill("Market strike in Ariha")
    page.get_by_label("Outlet").fill("Levant Desk")
    page.get_by_label("Publication date").fill("2015-11-29")
    page.get_by_label("Text", exact=True).fill(TEXT)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))

    assert page.inner_text("#article-status") == "Extracted"
    incident = Incident.objects.get()
    assert Article.objects.get().source.name == "Levant Desk"
    save_screenshot(page, artifacts, "article-status.png")
    page.click(f'#article-incidents a[href="/incidents/{incident.pk}/"]')
    page.wait_for_url(f"**/incidents/{incident.pk}/")
    assert "Ariha" in page.inner_text("#incident")
    assert browser_page.outside_requests() == []


def test_an_analyst_gives_a_url_and_the_page_is_fetched(analyst_in, browser_page, local_server, settings):
    settings.HTTP_ALLOW_LOOPBACK = True
    url = local_server.add("/ariha", body=HTML.encode())
    page = analyst_in
    page.goto("/submit/")
    page.get_by_label("Web address").fill("not a url")
    page.get_by_role("button", name="Submit").click()
    assert "This is not a web address" in page.inner_text("#field-url")
    page.get_by_label("Web address").fill(url)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))

    assert local_server.hits == ["/ariha"]
    assert page.inner_text("#article-status") == "Extracted"
    assert page.inner_text("h1") == "Ariha market"
    assert page.locator("#article-incidents li").count() == 1
