"""Two-person verification in headless Chromium: one analyst verifies, the same one is refused, a second confirms."""

import pytest

from tests.e2e.conftest import save_screenshot, sign_in
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_second_analyst_confirms_a_verification(transactional_db, browser, live_server, settings, artifacts):
    settings.REVIEW_TWO_PERSON = True
    UserFactory(username="first", analyst=True)
    UserFactory(username="second", analyst=True)
    incident = ClaimFactory().incident
    path = f"/incidents/{incident.pk}/"

    def analyst_page(username: str):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(20_000)
        sign_in(page, username, start=path)
        return context, page

    first_context, page = analyst_page("first")
    try:
        page.get_by_label("Reason (kept in the history)").first.fill("two outlets agree")
        page.get_by_role("button", name="Verify").click()
        page.wait_for_selector("text=awaits a second analyst's confirmation")
        assert page.inner_text("#review-status") == "Unverified"
        assert "verified by first" in page.inner_text("#awaiting-confirmation")
        # The same analyst cannot confirm: the page says why, and nothing changes.
        page.get_by_role("button", name="Confirm verification").click()
        page.wait_for_selector("text=You verified this incident yourself")
        assert page.inner_text("#review-status") == "Unverified"
    finally:
        first_context.close()

    second_context, page = analyst_page("second")
    try:
        page.get_by_role("button", name="Confirm verification").click()
        page.wait_for_selector(f"text=Incident {incident.pk} verified.")
        assert page.inner_text("#review-status") == "Verified"
        assert page.locator("#awaiting-confirmation").count() == 0
        history = page.inner_text("#history")
        assert "by second" in history
        assert "by first" in history
        assert "two outlets agree" in history
        assert "verification confirmed by a second analyst" in history
        save_screenshot(page, artifacts, "incident-two-person.png")
    finally:
        second_context.close()
    incident.refresh_from_db()
    assert incident.review_status == "verified"
