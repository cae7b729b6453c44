"""POST /api/v1/articles/: analysts queue articles; anyone follows the job."""

import pytest

from casualties.models import Incident
from reports.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/articles/"
TEXT = (
    "An air strike hit the market in the town of Ariha in Idlib governorate on Sunday, killing 40 civilians, "
    "local rescue workers said."
)


def test_an_analyst_submits_text_and_follows_the_job(analyst_client, client):
    response = analyst_client.post(URL, {"text": TEXT, "published": "2015-11-30", "source": "Test Desk"}, format="json")
    assert response.status_code == 202, response.json()
    job = response.json()
    # Without a broker the job ran in-process already; anyone can read its state.
    followed = client.get(f"{URL}{job['id']}/").json()
    assert (followed["status"], followed["source"]) == ("extracted", "Test Desk")
    (incident_id,) = followed["incidents"]
    assert Incident.objects.get(pk=incident_id).killed_max == 40


def test_the_same_text_again_returns_the_existing_job(analyst_client):
    first = analyst_client.post(URL, {"text": TEXT}, format="json").json()
    again = analyst_client.post(URL, {"text": TEXT}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert Article.objects.count() == 1


def test_a_url_job_ends_failed_with_the_reason_when_refused(analyst_client, client, settings):
    settings.HTTP_ALLOW_LOOPBACK = False
    job = analyst_client.post(URL, {"url": "http://127.0.0.1:9/private"}, format="json").json()
    followed = analyst_client.get(f"{URL}{job['id']}/").json()
    assert followed["status"] == "failed"
    assert "private or reserved address" in followed["failure_reason"]


def test_anonymous_and_read_only_clients_cannot_submit(client, reader_client):
    assert client.post(URL, {"text": TEXT}, format="json").status_code == 401
    assert reader_client.post(URL, {"text": TEXT}, format="json").status_code == 403
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, None),
        ({"text": TEXT, "url": "https://news.example/a"}, None),
        ({"url": "https://news.example/a", "title": "set by hand"}, None),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"text": TEXT, "status": "extracted"}, "status"),
        ({"text": TEXT, "published": "yesterday"}, "published"),
        ({"text": "x" * 5_000_001}, "text"),
        ({"text": "   "}, "text"),
    ],
)
def test_bad_submissions_get_a_400_naming_the_field(analyst_client, body, field):
    response = analyst_client.post(URL, body, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    if field is None:  # about the submission as a whole: said in detail, no field named
        assert body["errors"] == {}
        assert body["detail"]
    else:
        assert field in body["errors"]
    assert Article.objects.count() == 0


def test_an_unknown_job_is_a_404(client):
    assert client.get(f"{URL}999999/").status_code == 404
