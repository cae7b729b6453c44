"""Where an analyst sees what needs review: the incident page (no browser) and the admin's filters."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db

TOLL = "Nine people, three of them children, were killed on Friday when a warplane struck a bakery."
REASON = f"a casualty sentence gave no incident: {TOLL}"


def _flagged_article(**fields):
    reasons = [{"kind": "no_incident", "reason": REASON, "start": 0, "end": len(TOLL)}]
    return ArticleFactory(status="extracted", needs_review=True, review_reasons=reasons, **fields)


def test_the_incident_page_shows_why_its_source_and_itself_need_review(client):
    incident = IncidentFactory()
    ClaimFactory(incident=incident, article=_flagged_article(text=f"{TOLL} More later."), confidence=0.31)
    page = client.get(reverse("casualties:incident", args=[incident.pk])).content.decode()
    assert "article needs review" in page
    assert f"<li>{REASON}</li>" in page
    assert 'id="needs-review">needs review: confidence 0.31 &lt; 0.50</span>' in page


def test_the_incident_page_of_a_confident_incident_from_a_plain_article_says_nothing_of_review(client):
    incident = IncidentFactory()
    ClaimFactory(incident=incident, confidence=0.9)
    page = client.get(reverse("casualties:incident", args=[incident.pk])).content.decode()
    assert "needs review" not in page


def test_the_admin_lists_the_articles_that_need_review_with_their_first_reason(admin_client):
    flagged = _flagged_article(title="Bakery struck")
    plain = ArticleFactory(title="Council meets", status="extracted")
    url = reverse("admin:reports_article_changelist")
    page = admin_client.get(url, {"needs_review__exact": "1"}).content.decode()
    assert flagged.title in page
    assert REASON in page
    assert plain.title not in page
    assert "By needs review" in admin_client.get(url).content.decode()
    change = admin_client.get(reverse("admin:reports_article_change", args=[flagged.pk])).content.decode()
    assert f"<p>{REASON}</p>" in change


def test_the_admin_filters_the_incidents_that_need_review(admin_client):
    doubtful = IncidentFactory(place_name="Kafr Nabl")
    ClaimFactory(incident=doubtful, confidence=0.2)
    confident = IncidentFactory(place_name="Maarat Misrin")
    ClaimFactory(incident=confident, confidence=0.9)
    url = reverse("admin:casualties_incident_changelist")
    flagged = admin_client.get(url, {"needs_review": "yes"}).content.decode()
    others = admin_client.get(url, {"needs_review": "no"}).content.decode()
    assert "Kafr Nabl" in flagged
    assert "Maarat Misrin" not in flagged
    assert "Maarat Misrin" in others
    assert "Kafr Nabl" not in others
