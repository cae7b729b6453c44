"""Who may do what in the Django admin: admins manage users, feeds and sources; analysts and
viewers never reach them; an admin who is not a superuser cannot make anyone a superuser."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from casualties.models import ApiToken
from casualties.services.tokens import api_token_issue
from reports.models import Feed, Source
from tests.security.conftest import PASSWORD, make_user, session_client_for

pytestmark = pytest.mark.django_db

MANAGEMENT_PAGES = [
    "/admin/auth/user/",
    "/admin/auth/user/add/",
    "/admin/reports/feed/",
    "/admin/reports/feed/add/",
    "/admin/reports/source/add/",
]
# Non-staff users and dead sessions are sent to the admin's sign-in page; staff without the permission get 403.
EXPECTED = {"anonymous": 302, "viewer": 302, "analyst": 302, "admin": 200, "inactive": 302}


@pytest.mark.parametrize(("role", "expected"), EXPECTED.items())
def test_user_and_feed_pages(role, expected):
    client = session_client_for(role)
    for url in MANAGEMENT_PAGES:
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith("/admin/login/")


def test_an_analyst_made_staff_still_cannot_reach_users_feeds_or_sources(client):
    analyst = make_user("analyst1", "analysts", is_staff=True)
    client.force_login(analyst)
    for url in MANAGEMENT_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post("/admin/reports/feed/add/", {"url": "https://news.example/feed"}).status_code == 403
    assert not Feed.objects.exists()
    # What the role does allow: reading and reviewing incidents.
    assert client.get("/admin/casualties/incident/").status_code == 200


def test_an_admin_adds_a_feed_and_a_user(client):
    client.force_login(make_user("admin1", "admins", is_staff=True))
    source = Source.objects.create(name="Outlet")
    response = client.post(
        "/admin/reports/feed/add/",
        {"url": "https://news.example/feed.xml", "source": source.pk, "active": "on", "interval_minutes": 30},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Feed.objects.filter(url="https://news.example/feed.xml").exists()
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "newviewer",
            "password1": "Another-long-pass-1",
            "password2": "Another-long-pass-1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="newviewer").exists()


def _change_form(user: User, **changes) -> dict:
    form = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [group.pk for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        **changes,
    }
    return {key: value for key, value in form.items() if value != ""}


def test_an_admin_assigns_roles_but_cannot_grant_superuser_or_permissions(client):
    admin = make_user("admin1", "admins", is_staff=True)
    client.force_login(admin)
    viewer = make_user("viewer1", "viewers")
    analysts = Group.objects.get(name="analysts")
    response = client.post(
        f"/admin/auth/user/{viewer.pk}/change/",
        _change_form(viewer, groups=[analysts.pk], is_superuser="on", user_permissions=[1, 2, 3]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    viewer.refresh_from_db()
    assert list(viewer.groups.all()) == [analysts]  # the role changed
    assert not viewer.is_superuser  # but superuser status and direct permissions are read-only
    assert not viewer.user_permissions.exists()
    # Nor for themselves.
    client.post(f"/admin/auth/user/{admin.pk}/change/", _change_form(admin, is_superuser="on"))
    admin.refresh_from_db()
    assert not admin.is_superuser


def test_an_admin_cannot_change_a_superuser_or_reset_their_password(client):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(make_user("admin1", "admins", is_staff=True))
    assert client.get(f"/admin/auth/user/{root.pk}/change/").status_code == 200  # read-only view
    response = client.post(f"/admin/auth/user/{root.pk}/change/", _change_form(root, is_active=""))
    assert response.status_code == 403
    response = client.post(
        f"/admin/auth/user/{root.pk}/password/",
        {"password1": "Taken-over-pass-1", "password2": "Taken-over-pass-1", "usable_password": "true"},
    )
    assert response.status_code == 403
    assert client.post(f"/admin/auth/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.is_active
    assert root.check_password(PASSWORD)


def test_a_superuser_may_do_all_of_it(client):
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    viewer = make_user("viewer1", "viewers")
    response = client.post(f"/admin/auth/user/{viewer.pk}/change/", _change_form(viewer, is_superuser="on"))
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_superuser


def test_an_admin_revokes_tokens_but_cannot_create_one_for_someone_else(client):
    analyst = make_user("analyst1", "analysts")
    api_token_issue(user=analyst)
    token = ApiToken.objects.get(user=analyst)
    client.force_login(make_user("admin1", "admins", is_staff=True))
    assert client.get("/admin/casualties/apitoken/").status_code == 200
    assert client.get("/admin/casualties/apitoken/add/").status_code == 403
    response = client.post(f"/admin/casualties/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_an_inactive_staff_user_cannot_sign_in_to_the_admin():
    make_user("gone", "admins", is_staff=True, is_active=False)
    response = Client().post("/admin/login/", {"username": "gone", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in response.client.session
