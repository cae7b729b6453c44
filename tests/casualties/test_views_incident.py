"""The incident page: every field, the evidence in its article, history, duplicates, and analysts' review forms."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from casualties.models import Incident
from tests.factories import (
    PASSWORD,
    Admin1Factory,
    ArticleFactory,
    ClaimFactory,
    IncidentFactory,
    PlacedIncidentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Intro <b>bold</b> text. Shelling killed 7 <people> in Ariha & nearby. More text after it."
EVIDENCE = "Shelling killed 7 <people> in Ariha & nearby."


@pytest.fixture
def incident():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib", lat=35.8, lon=36.6)
    incident = PlacedIncidentFactory(
        admin1=idlib,
        place__admin1=idlib,
        place__name="Ariha",
        killed_min=5,
        killed_max=7,
        injured_max=12,
        date_start=datetime.date(2016, 1, 10),
        date_end=datetime.date(2016, 1, 10),
        actor="unknown aircraft",
    )
    article = ArticleFactory(text=TEXT, url="https://news.example/ariha", title="Ariha shelled")
    start = TEXT.index(EVIDENCE)
    ClaimFactory(
        incident=incident,
        article=article,
        evidence=EVIDENCE,
        evidence_start=start,
        evidence_end=start + len(EVIDENCE),
        killed_min=5,
        killed_max=7,
    )
    return incident


@pytest.fixture
def analyst_browser(client, analyst):
    """The dashboard's client, signed in by session as the analyst."""
    client.force_login(analyst)
    return client


def test_it_shows_every_field_with_location_and_date_precision(client, incident):
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Ariha" in html
    assert "Idlib" in html
    assert "(precision: Day)" in html
    assert "Place (35.8000, 36.6000)" in html
    assert '<dd id="field-killed">5 to 7</dd>' in html
    assert "unknown aircraft" in html


def test_it_highlights_the_evidence_in_the_escaped_article_text(client, incident):
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "<mark>Shelling killed 7 &lt;people&gt; in Ariha &amp; nearby.</mark>" in html
    assert "Intro &lt;b&gt;bold&lt;/b&gt; text." in html
    assert "<b>bold</b>" not in html
    assert 'href="https://news.example/ariha"' in html


def test_offsets_that_no_longer_match_show_the_evidence_alone(client, incident):
    claim = incident.claims.get()
    claim.evidence_start += 1
    claim.save()
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "<mark>Shelling killed 7 &lt;people&gt; in Ariha &amp; nearby.</mark>" in html
    assert "Intro &lt;b&gt;" not in html
    assert "The article's text has changed" in html


def test_a_governorate_only_incident_says_it_has_no_point(client):
    incident = IncidentFactory()
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "no point: located only to the first-level division" in html


def test_unknown_incident_is_404(client, db):
    assert client.get("/incidents/999999/").status_code == 404


def test_possible_duplicates_are_same_governorate_and_within_the_same_event_window(client, incident):
    # The window automatic joining uses (SAME_EVENT_WINDOW, a day either side): two days apart is too far.
    near = IncidentFactory(
        admin1=incident.admin1, date_start=datetime.date(2016, 1, 11), date_end=datetime.date(2016, 1, 11)
    )
    far = IncidentFactory(
        admin1=incident.admin1, date_start=datetime.date(2016, 1, 12), date_end=datetime.date(2016, 1, 12)
    )
    elsewhere = IncidentFactory(
        admin1=Admin1Factory(code="11", name="Homs"),
        date_start=datetime.date(2016, 1, 10),
        date_end=datetime.date(2016, 1, 10),
    )
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f'href="/incidents/{near.pk}/"' in html
    assert f'href="/incidents/{far.pk}/"' not in html
    assert f'href="/incidents/{elsewhere.pk}/"' not in html


def test_anonymous_visitors_see_no_controls_and_get_403_on_post(client, incident):
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'id="review"' not in html
    assert "csrfmiddlewaretoken" not in html
    for action in ("verify", "reject", "correct", "merge"):
        assert client.post(f"/incidents/{incident.pk}/{action}/").status_code == 403
    incident.refresh_from_db()
    assert incident.review_status == Incident.ReviewStatus.UNVERIFIED


def test_a_signed_in_reader_gets_403(client, incident):
    client.force_login(UserFactory(username="reader"))
    assert 'id="review"' not in client.get(f"/incidents/{incident.pk}/").content.decode()
    assert client.post(f"/incidents/{incident.pk}/verify/").status_code == 403


def test_the_change_incident_permission_is_enough(client, incident):
    user = UserFactory(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="change_incident"))
    client.force_login(user)
    assert 'id="review"' in client.get(f"/incidents/{incident.pk}/").content.decode()


def test_get_on_an_action_is_not_allowed(analyst_browser, incident):
    assert analyst_browser.get(f"/incidents/{incident.pk}/verify/").status_code == 405


def test_review_forms_require_csrf(analyst, incident):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(analyst)
    assert strict.post(f"/incidents/{incident.pk}/verify/").status_code == 403


def test_an_analyst_verifies_and_the_history_shows_it(analyst_browser, incident):
    response = analyst_browser.post(f"/incidents/{incident.pk}/verify/", {"reason": "two sources agree"}, follow=True)
    incident.refresh_from_db()
    assert incident.review_status == Incident.ReviewStatus.VERIFIED
    html = response.content.decode()
    assert f"Incident {incident.pk} verified." in html
    assert "by analyst" in html
    assert "“two sources agree”" in html
    assert "<code>review_status</code>: unverified → verified" in html


def test_an_analyst_rejects(analyst_browser, incident):
    analyst_browser.post(f"/incidents/{incident.pk}/reject/", {"reason": "not an attack"})
    incident.refresh_from_db()
    assert incident.review_status == Incident.ReviewStatus.REJECTED


def test_an_analyst_corrects_figures_which_locks_them(analyst_browser, incident):
    form = {
        "killed_min": "6",
        "killed_max": "9",
        "injured_min": "",
        "injured_max": "12",
        "children_killed": "2",
        "women_killed": "",
        "reason": "hospital list",
    }
    analyst_browser.post(f"/incidents/{incident.pk}/correct/", form)
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max, incident.children_killed) == (6, 9, 2)
    assert incident.figures_locked is True
    assert incident.history.first().history_user.username == "analyst1"


def test_a_bad_correction_saves_nothing_and_says_why(analyst_browser, incident):
    response = analyst_browser.post(
        f"/incidents/{incident.pk}/correct/", {"killed_min": "10", "killed_max": "3"}, follow=True
    )
    incident.refresh_from_db()
    assert (incident.killed_min, incident.killed_max, incident.figures_locked) == (5, 7, False)
    assert response.status_code == 400
    page = response.content.decode()
    # In plain words, beside the field it is about, and what was typed is kept.
    field = page[page.index('id="field-killed_min"') : page.index('id="field-killed_max"')]
    assert "The lowest number killed (10) is above the highest (3)" in field
    assert 'value="10"' in field
    assert "* killed_min" not in page


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"injured_max": "-2"}, "injured_max", "A count cannot be below 0."),
        ({"children_killed": "three"}, "children_killed", "Enter a whole number, or leave it empty if not known."),
    ],
)
def test_a_figure_that_is_not_a_count_is_refused_beside_its_field(analyst_browser, incident, form, field, message):
    data = {"killed_min": "5", "killed_max": "7", "injured_max": "12", **form}
    response = analyst_browser.post(f"/incidents/{incident.pk}/correct/", data)
    assert response.status_code == 400
    assert list(response.context["correct_form"].errors) == [field]
    page = response.content.decode()
    block = page[page.index(f'id="field-{field}"') :]
    assert message in block[: block.index("</div>")]
    incident.refresh_from_db()
    assert incident.figures_locked is False


def test_saving_unchanged_figures_says_so(analyst_browser, incident):
    data = {"killed_min": "5", "killed_max": "7", "injured_max": "12"}
    response = analyst_browser.post(f"/incidents/{incident.pk}/correct/", data)
    assert response.status_code == 400
    assert "No figure changed" in response.content.decode()


def test_an_analyst_merges_into_a_duplicate(analyst_browser, incident):
    keep = IncidentFactory(admin1=incident.admin1, date_start=incident.date_start, date_end=incident.date_end)
    response = analyst_browser.post(f"/incidents/{incident.pk}/merge/", {"into": keep.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{keep.pk}/"
    incident.refresh_from_db()
    assert incident.review_status == Incident.ReviewStatus.MERGED
    assert incident.merged_into_id == keep.pk
    assert keep.claims.count() == 1
    # The merged incident's page points at the kept one and offers no review.
    html = analyst_browser.get(f"/incidents/{incident.pk}/").content.decode()
    assert f"review incident {keep.pk} instead" in html


def test_merging_into_itself_or_a_missing_incident_is_refused(analyst_browser, incident):
    for into in (incident.pk, 999999):
        response = analyst_browser.post(f"/incidents/{incident.pk}/merge/", {"into": into}, follow=True)
        assert "Not saved" in response.content.decode()
    incident.refresh_from_db()
    assert incident.review_status == Incident.ReviewStatus.UNVERIFIED


def test_login_page_signs_an_analyst_in(client, analyst):
    response = client.post("/accounts/login/", {"username": "analyst1", "password": PASSWORD, "next": "/incidents/1/"})
    assert response.status_code == 302
    assert response["Location"] == "/incidents/1/"


def test_the_incident_page_has_no_inline_script_or_handler(analyst_browser, incident):
    import re

    from casualties.static_finders import PLOTLY_STATIC_PATH

    html = analyst_browser.get(f"/incidents/{incident.pk}/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    # Files only, and the small map's figure as data (a JSON block the browser never runs).
    assert [tag for tag in scripts if 'type="application/json"' not in tag] == [
        f'<script src="/static/{PLOTLY_STATIC_PATH}" defer>',
        '<script src="/static/casualties/outlines.js" defer>',
        '<script src="/static/casualties/incident.js" defer>',
    ]
    assert scripts.count('<script id="incident-map-figure" type="application/json">') == 1
    assert re.search(r"\son[a-z]+\s*=", html) is None
    # Reject and merge ask first (incident.js reads data-confirm).
    assert html.count("data-confirm=") == 2
