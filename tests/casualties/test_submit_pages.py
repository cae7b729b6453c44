"""/submit/ and /articles/<id>/: analysts submit a text or a URL through the pipeline and see what it gave."""

import pytest
from django.urls import reverse

from casualties.models import Incident
from reports.models import Article
from reports.services import extracting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBMIT = "/submit/"
TEXT = "An air strike on the market of Ariha in Idlib on Sunday killed 40 people, rescuers said."
HTML = f"<html><head><title>Ariha market</title></head><body><article><p>{TEXT}</p></article></body></html>"


@pytest.fixture(autouse=True)
def engine_gazetteer(monkeypatch):
    monkeypatch.setattr(extracting, "gazetteer_provider", lambda: lambda: None)  # the engine's own


@pytest.fixture
def analyst_session(client, analyst):
    client.force_login(analyst)
    return client


def post(client, capture, **fields):
    data = {"url": "", "title": "", "outlet": "", "published": "", "text": "", **fields}
    # The tasks run as the transaction commits, before the redirect is followed (as on the embedded default).
    with capture(execute=True):
        response = client.post(SUBMIT, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    page.redirect_chain = [(response["Location"], 302)]
    return page


def test_anonymous_is_sent_to_sign_in_and_a_viewer_is_refused(client):
    response = client.get(SUBMIT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("casualties:login"))
    client.force_login(UserFactory(viewer=True))
    assert client.get(SUBMIT).status_code == 403
    assert client.post(SUBMIT, {"text": TEXT}).status_code == 403
    assert not Article.objects.exists()
    article = Article.objects.create(url="https://news.example/a")
    assert client.get(reverse("casualties:article", args=[article.pk])).status_code == 403


def test_the_header_links_the_page_for_analysts_only(client, analyst):
    client.force_login(UserFactory(viewer=True))
    assert 'id="submit-link"' not in client.get("/").content.decode()
    client.force_login(analyst)
    assert 'id="submit-link"' in client.get("/").content.decode()


def test_a_pasted_text_is_extracted_and_its_page_links_the_incidents(
    analyst_session, django_capture_on_commit_callbacks
):
    response = post(
        analyst_session,
        django_capture_on_commit_callbacks,
        title="Ariha",
        outlet="Levant Desk",
        published="2015-11-29",
        text=TEXT,
    )
    article = Article.objects.get()
    assert response.redirect_chain == [(reverse("casualties:article", args=[article.pk]), 302)]
    page = response.content.decode()
    incident = Incident.objects.get()
    assert (article.status, article.source.name, incident.killed_max) == ("extracted", "Levant Desk", 40)
    assert 'id="article-status">Extracted' in page
    assert reverse("casualties:incident", args=[incident.pk]) in page
    assert "Levant Desk" in page


def test_a_url_is_fetched_then_extracted(
    analyst_session, django_capture_on_commit_callbacks, local_server, allow_loopback
):
    url = local_server.add("/ariha", body=HTML.encode())
    response = post(analyst_session, django_capture_on_commit_callbacks, url=url)
    article = Article.objects.get()
    assert local_server.hits == ["/ariha"]
    assert (article.status, article.title) == ("extracted", "Ariha market")
    assert reverse("casualties:incident", args=[Incident.objects.get().pk]) in response.content.decode()


def test_a_refused_fetch_shows_the_reason(analyst_session, django_capture_on_commit_callbacks, local_server):
    # Loopback is not allowed here: the fetch is refused, and the page says why.
    url = local_server.add("/ariha", body=HTML.encode())
    response = post(analyst_session, django_capture_on_commit_callbacks, url=url)
    article = Article.objects.get()
    assert article.status == "failed"
    assert 'id="article-failure"' in response.content.decode()
    assert article.failure_reason[:30] in response.content.decode()


def test_a_pending_article_page_reloads_itself(analyst_session):
    article = Article.objects.create(url="https://news.example/a")
    page = analyst_session.get(reverse("casualties:article", args=[article.pk])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert 'id="article-pending"' in page


def test_a_text_without_incident_says_so_with_the_review_reason(analyst_session, django_capture_on_commit_callbacks):
    response = post(
        analyst_session,
        django_capture_on_commit_callbacks,
        text="Nine people were killed on Friday, the local council said.",
    )
    article = Article.objects.get()
    assert article.status == "extracted"
    page = response.content.decode()
    assert 'id="article-no-incidents"' in page
    # A casualty sentence that gave no incident is filed for review, with the reason.
    assert article.needs_review
    assert 'id="article-review-reasons"' in page
    assert article.review_reasons[0]["reason"][:20] in page


def test_the_same_text_twice_goes_to_the_first_article(analyst_session, django_capture_on_commit_callbacks):
    post(analyst_session, django_capture_on_commit_callbacks, text=TEXT)
    first = Article.objects.get()
    response = post(analyst_session, django_capture_on_commit_callbacks, text=TEXT, title="again")
    assert response.redirect_chain[-1][0] == reverse("casualties:article", args=[first.pk])
    assert "submitted already" in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "text", "Paste the article&#x27;s text here, or give its web address above."),
        ({"url": "javascript:alert(1)"}, "url", "This is not a web address"),
        ({"text": TEXT, "published": "yesterday"}, "published", "Enter a valid date."),
    ],
)
def test_bad_input_is_shown_next_to_its_field(analyst_session, fields, field, message):
    response = analyst_session.post(SUBMIT, {"url": "", "text": "", **fields})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    # The message sits inside the field's own block, not in a list at the top.
    block = page[page.index(f'id="field-{field}"') :]
    block = block[: block.index('<div class="field')] if '<div class="field' in block else block
    assert message in block
    assert not Article.objects.exists()
