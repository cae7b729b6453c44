"""Who may do what on the dashboard: the review forms (verify, reject, correct, merge), and
reading when PUBLIC_READ is off. A refused action changes nothing."""

import pytest

from casualties.models import Incident
from tests.factories import ClaimFactory, IncidentFactory
from tests.security.conftest import make_user, session_client_for

pytestmark = pytest.mark.django_db

ALLOWED = {"anonymous": False, "viewer": False, "analyst": True, "admin": True, "inactive": False}


def _state(incident: Incident) -> tuple:
    incident.refresh_from_db()
    return (incident.review_status, incident.killed_min, incident.killed_max, incident.merged_into_id)


@pytest.mark.parametrize(("role", "allowed"), ALLOWED.items())
@pytest.mark.parametrize(
    ("action", "form", "after"),
    [
        ("verify", {"reason": "two outlets agree"}, ("verified", 10, 12, None)),
        ("reject", {"reason": "not an attack"}, ("rejected", 10, 12, None)),
        ("correct", {"killed_min": 14, "killed_max": 15}, ("unverified", 14, 15, None)),
        ("merge", {"into": "KEEP"}, ("merged", 10, 12, "KEEP")),
    ],
)
def test_review_forms(role, allowed, action, form, after):
    client = session_client_for(role)
    incident = ClaimFactory(incident=IncidentFactory(killed_min=10, killed_max=12)).incident
    keep = ClaimFactory().incident
    form = {key: keep.pk if value == "KEEP" else value for key, value in form.items()}
    after = tuple(keep.pk if value == "KEEP" else value for value in after)
    before = _state(incident)
    response = client.post(f"/incidents/{incident.pk}/{action}/", form)
    if allowed:
        assert response.status_code == 302, response.content
        assert _state(incident) == after
    else:
        assert response.status_code == 403
        assert _state(incident) == before


@pytest.mark.parametrize(("role", "allowed"), ALLOWED.items())
def test_the_review_controls_show_only_to_those_who_may_use_them(role, allowed):
    client = session_client_for(role)
    html = client.get(f"/incidents/{IncidentFactory().pk}/").content.decode()
    assert ('id="review"' in html) is allowed


def test_an_inactive_users_session_is_signed_out():
    client = session_client_for("inactive")
    html = client.get("/").content.decode()
    assert "Signed in as" not in html


# --- PUBLIC_READ=false: the dashboard needs the viewer role ------------------------------------

READ_PAGES = [
    "/",
    "/incidents/{pk}/",
    "/dashboard/timeline.json",
    "/dashboard/admin1.json",
    "/dashboard/map.json",
    "/export/incidents.geojson",
    "/export/incidents.json",
]


@pytest.mark.parametrize(
    ("role", "expected"),
    {"anonymous": 302, "viewer": 200, "analyst": 200, "admin": 200, "inactive": 302}.items(),
)
def test_with_public_read_off_reading_needs_the_viewer_role(settings, role, expected):
    settings.PUBLIC_READ = False
    client = session_client_for(role)
    pk = IncidentFactory().pk
    for page in READ_PAGES:
        url = page.format(pk=pk)
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith("/accounts/login/?next=")


def test_with_public_read_off_a_user_without_a_role_gets_403(settings, client):
    settings.PUBLIC_READ = False
    client.force_login(make_user("nobody"))
    response = client.get("/")
    assert response.status_code == 403
    assert b"viewer" in response.content


def test_with_public_read_off_sign_in_and_health_stay_open(settings, client):
    settings.PUBLIC_READ = False
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)  # its own answer, never a redirect to sign in


def test_with_public_read_on_anyone_reads(client):
    pk = IncidentFactory().pk
    for page in READ_PAGES:
        assert client.get(page.format(pk=pk)).status_code == 200, page


@pytest.mark.parametrize(("role", "allowed"), ALLOWED.items())
def test_the_review_queue_and_its_bulk_decision(role, allowed):
    client = session_client_for(role)
    incident = IncidentFactory()
    page = client.get("/review/")
    response = client.post("/review/decide/", {"incidents": [incident.pk], "decision": "verify"})
    incident.refresh_from_db()
    if allowed:
        assert (page.status_code, response.status_code, incident.review_status) == (200, 302, "verified")
    else:
        # Visitors (and a switched-off user's session) go to the sign-in page; signed-in users without the role: 403.
        assert page.status_code == response.status_code == (403 if role == "viewer" else 302)
        assert incident.review_status == "unverified"
