"""The admin's "Add article": text only, URL only, or both; processed through the pipeline; errors on the field."""

import pytest
from django.urls import reverse

from casualties.models import Incident
from reports.models import Article
from reports.services import extracting

pytestmark = pytest.mark.django_db

ADD = "/admin/reports/article/add/"
TEXT = "An air strike on the market of Ariha in Idlib on Sunday killed 40 people, rescuers said."
HTML = f"<html><head><title>Ariha market</title></head><body><article><p>{TEXT}</p></article></body></html>"


@pytest.fixture(autouse=True)
def engine_gazetteer(monkeypatch):
    monkeypatch.setattr(extracting, "gazetteer_provider", lambda: lambda: None)  # the engine's own


def post(client, capture, **fields):
    data = {"url": "", "title": "", "outlet": "", "published": "", "text": "", **fields}
    with capture(execute=True):
        return client.post(ADD, data)


def test_a_text_without_url_is_stored_and_extracted(admin_client, django_capture_on_commit_callbacks):
    response = post(
        admin_client,
        django_capture_on_commit_callbacks,
        title="Ariha",
        outlet="Levant Desk",
        published="2015-11-29",
        text=TEXT,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert response["Location"] == reverse("admin:reports_article_changelist")
    assert (article.url, article.title, article.source.name, article.status) == (
        None,
        "Ariha",
        "Levant Desk",
        "extracted",
    )
    incident = Incident.objects.get()
    assert incident.killed_max == 40
    assert incident.claims.get().article == article


def test_a_url_alone_is_fetched_and_extracted(
    admin_client, django_capture_on_commit_callbacks, local_server, allow_loopback
):
    url = local_server.add("/ariha", body=HTML.encode())
    response = post(admin_client, django_capture_on_commit_callbacks, url=url, outlet="Levant Desk")
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert local_server.hits == ["/ariha"]
    assert (article.url, article.title, article.status) == (url, "Ariha market", "extracted")
    assert article.source.name == "Levant Desk"
    assert Incident.objects.get().killed_max == 40


def test_a_text_with_its_url_keeps_both_and_fetches_nothing(
    admin_client, django_capture_on_commit_callbacks, local_server, allow_loopback
):
    url = local_server.add("/ariha", body=b"<html>other</html>")
    response = post(admin_client, django_capture_on_commit_callbacks, url=url, text=TEXT)
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.url, article.text, article.status) == (url, TEXT, "extracted")
    assert local_server.hits == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "text", "Paste the article&#x27;s text here, or give its web address above."),
        ({"text": "   \n "}, "text", "The text is only spaces"),
        ({"url": "ftp://example.org/x"}, "url", "This is not a web address"),
        ({"text": "killed\x00"}, "text", "Null characters are not allowed."),
        ({"text": TEXT, "published": "2999-01-01"}, "published", "The publication date is in the future."),
        ({"text": TEXT, "published": "31/31/2020"}, "published", "Enter a valid date."),
    ],
)
def test_bad_input_gives_an_error_on_the_field_and_stores_nothing(
    admin_client, django_capture_on_commit_callbacks, fields, field, message
):
    response = post(admin_client, django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_a_text_submitted_twice_is_refused_with_a_link_to_the_first(admin_client, django_capture_on_commit_callbacks):
    post(admin_client, django_capture_on_commit_callbacks, text=TEXT)
    first = Article.objects.get()
    response = post(admin_client, django_capture_on_commit_callbacks, text=TEXT, title="again")
    assert response.status_code == 200
    assert reverse("admin:reports_article_change", args=[first.pk]) in response.content.decode()
    assert Article.objects.count() == 1


def test_an_existing_article_still_edits_with_the_full_form(admin_client, django_capture_on_commit_callbacks):
    post(admin_client, django_capture_on_commit_callbacks, text=TEXT)
    article = Article.objects.get()
    page = admin_client.get(reverse("admin:reports_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert "text_sha256" not in page.context["adminform"].form.fields  # read-only there, as before
    assert article.text_sha256 in page.content.decode()
