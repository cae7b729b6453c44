"""An admin grades a source in the admin, and the incident it reported changes grade, in headless Chromium."""

import re

import pytest

from reports.models import Source
from tests.e2e.conftest import save_screenshot
from tests.factories import PASSWORD, ArticleFactory, ClaimFactory, IncidentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.browser


def test_grading_a_source_changes_the_incident_grade(transactional_db, browser_page, artifacts):
    UserFactory(username="boss", admin=True)
    incident = IncidentFactory(review_status="verified")
    levant = SourceFactory(name="Levant Desk", grade=Source.Grade.UNKNOWN)
    ClaimFactory(incident=incident, article=ArticleFactory(source=levant))
    ClaimFactory(incident=incident, article=ArticleFactory(source=SourceFactory(name="Party TV", grade="party")))
    page = browser_page.page

    page.goto(f"/incidents/{incident.pk}/")
    assert page.inner_text("#incident-grade") == "grade: weak"
    page.goto("/?grade=weak")
    assert page.locator(f'#incident-table tr[data-incident-id="{incident.pk}"]').count() == 1

    page.goto("/admin/login/?next=/admin/reports/source/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/reports/source/")
    row = page.locator("#result_list tr", has_text="Levant Desk")
    row.locator("select[name$='-grade']").select_option("wire")
    page.click("input[name=_save]")
    page.wait_for_selector("text=was changed successfully")

    page.goto(f"/incidents/{incident.pk}/")
    assert page.inner_text("#incident-grade") == "grade: confirmed"
    save_screenshot(page, artifacts, "incident-grade.png")
    page.goto("/?grade=confirmed")
    assert page.locator(f'#incident-table tr[data-incident-id="{incident.pk}"]').count() == 1
    assert re.search(r"confirmed", page.inner_text(f'#incident-table tr[data-incident-id="{incident.pk}"]'))
    assert browser_page.outside_requests() == []
