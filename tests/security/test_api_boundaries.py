"""Who may do what on the API, role by role: reads, PATCH, merge, POST articles.

Expected codes: 401 without valid credentials (anonymous, an inactive user's token),
403 for a signed-in user without the permission, success for analysts and admins.
"""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from casualties.models import Incident
from reports.models import Article
from tests.factories import ClaimFactory, IncidentFactory
from tests.security.conftest import api_client_for, make_user, token_client

pytestmark = pytest.mark.django_db

WRITES = {"anonymous": 401, "viewer": 403, "analyst": 200, "admin": 200, "inactive": 401}


@pytest.mark.parametrize(("role", "expected"), WRITES.items())
def test_patch_an_incident(role, expected):
    client = api_client_for(role)
    incident = IncidentFactory()
    response = client.patch(f"/api/v1/incidents/{incident.pk}/", {"review_status": "verified"})
    assert response.status_code == expected, response.content
    incident.refresh_from_db()
    assert incident.review_status == ("verified" if expected == 200 else "unverified")


@pytest.mark.parametrize(("role", "expected"), WRITES.items())
def test_merge_incidents(role, expected):
    client = api_client_for(role)
    keep, drop = ClaimFactory().incident, ClaimFactory().incident
    response = client.post(f"/api/v1/incidents/{drop.pk}/merge/", {"into": keep.pk})
    assert response.status_code == expected, response.content
    drop.refresh_from_db()
    if expected == 200:
        assert (drop.review_status, drop.merged_into_id) == ("merged", keep.pk)
    else:
        assert (drop.review_status, drop.merged_into_id, drop.claims.count()) == ("unverified", None, 1)


@pytest.mark.parametrize(("role", "expected"), {**WRITES, "analyst": 202, "admin": 202}.items(), ids=list(WRITES))
def test_submit_an_article(role, expected):
    client = api_client_for(role)
    response = client.post("/api/v1/articles/", {"text": "An air strike killed 4 people in Ariha on Monday."})
    assert response.status_code == expected, response.content
    assert Article.objects.count() == (1 if expected == 202 else 0)


# Anonymous reads are open (PUBLIC_READ, the default); an inactive user's token is refused even for reads.
PUBLIC_READS = {"anonymous": 200, "viewer": 200, "analyst": 200, "admin": 200, "inactive": 401}


@pytest.mark.parametrize(("role", "expected"), PUBLIC_READS.items())
def test_reads_are_public_but_a_dead_token_is_refused(role, expected):
    client = api_client_for(role)
    incident = IncidentFactory()
    for url in ("/api/v1/incidents/", f"/api/v1/incidents/{incident.pk}/", "/api/v1/stats/timeline/"):
        assert client.get(url).status_code == expected, url


def test_permissions_not_group_names_decide():
    """A user outside every group, granted one permission directly, may do just that."""
    reviewer = make_user("reviewer")
    reviewer.user_permissions.add(Permission.objects.get(codename="change_incident"))
    submitter = make_user("submitter")
    submitter.user_permissions.add(Permission.objects.get(codename="add_article"))
    incident = IncidentFactory()
    text = {"text": "A shell killed 2 people in Binnish."}
    assert (
        token_client(reviewer).patch(f"/api/v1/incidents/{incident.pk}/", {"review_status": "rejected"}).status_code
        == 200
    )
    assert token_client(reviewer).post("/api/v1/articles/", text).status_code == 403
    assert token_client(submitter).post("/api/v1/articles/", text).status_code == 202
    assert (
        token_client(submitter).patch(f"/api/v1/incidents/{incident.pk}/", {"review_status": "verified"}).status_code
        == 403
    )
    incident.refresh_from_db()
    assert incident.review_status == Incident.ReviewStatus.REJECTED


# --- PUBLIC_READ=false: reading needs the viewer role ----------------------------------------

CLOSED_READS = {"anonymous": 401, "viewer": 200, "analyst": 200, "admin": 200, "inactive": 401}


@pytest.mark.parametrize(("role", "expected"), CLOSED_READS.items())
def test_with_public_read_off_reading_needs_the_viewer_role(settings, role, expected):
    settings.PUBLIC_READ = False
    client = api_client_for(role)
    incident = IncidentFactory()
    article = ClaimFactory(incident=incident).article
    urls = [
        "/api/v1/incidents/",
        "/api/v1/incidents/?format=csv",
        "/api/v1/incidents.geojson",
        f"/api/v1/incidents/{incident.pk}/",
        "/api/v1/stats/timeline/",
        "/api/v1/stats/admin1/",
        "/api/v1/admin1/",
        "/api/v1/places/?q=Ari",
        f"/api/v1/articles/{article.pk}/",
    ]
    for url in urls:
        assert client.get(url).status_code == expected, url


def test_with_public_read_off_a_user_without_a_role_gets_403(settings):
    settings.PUBLIC_READ = False
    response = token_client(make_user("nobody")).get("/api/v1/incidents/")
    assert response.status_code == 403
    assert "viewer" in response.json()["detail"]


def test_with_public_read_off_the_token_endpoint_and_schema_stay_open(settings, analyst):
    settings.PUBLIC_READ = False
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "analyst1", "password": "a-long-test-password"})
    assert response.status_code == 200
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.parametrize(("role", "expected"), WRITES.items())
def test_relocate_an_incident(role, expected):
    from tests.factories import SearchablePlaceFactory

    client = api_client_for(role)
    incident, place = IncidentFactory(), SearchablePlaceFactory()
    response = client.patch(f"/api/v1/incidents/{incident.pk}/", {"place_id": place.pk})
    assert response.status_code == expected, response.content
    incident.refresh_from_db()
    assert incident.place_id == (place.pk if expected == 200 else None)


@pytest.mark.parametrize(("role", "expected"), {**WRITES, "analyst": 201, "admin": 201}.items(), ids=list(WRITES))
def test_split_an_incident(role, expected):
    client = api_client_for(role)
    incident = ClaimFactory().incident
    leaving = ClaimFactory(incident=incident)
    response = client.post(f"/api/v1/incidents/{incident.pk}/split/", {"claims": [leaving.pk]}, format="json")
    assert response.status_code == expected, response.content
    assert Incident.objects.count() == (2 if expected == 201 else 1)
    assert incident.claims.count() == (1 if expected == 201 else 2)


@pytest.mark.parametrize(("role", "expected"), WRITES.items())
def test_unmerge_an_incident(role, expected):
    from casualties.services.review import incident_merge

    client = api_client_for(role)
    keep, drop = ClaimFactory().incident, ClaimFactory().incident
    incident_merge(keep=keep, drop=drop, user=None)
    response = client.post(f"/api/v1/incidents/{drop.pk}/unmerge/", {})
    assert response.status_code == expected, response.content
    drop.refresh_from_db()
    assert drop.review_status == ("unverified" if expected == 200 else "merged")
