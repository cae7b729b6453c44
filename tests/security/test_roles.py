"""The role groups: created after migrate, each with exactly its permissions, and kept so."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from casualties.services.roles import ADMINS, ANALYSTS, ROLES, VIEWERS, roles_ensure

pytestmark = pytest.mark.django_db


def held(group: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=group).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_migrate_created_the_three_roles_with_exactly_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {VIEWERS, ANALYSTS, ADMINS}
    for role, permissions in ROLES.items():
        assert held(role) == set(permissions), role


def test_each_role_holds_what_its_job_needs_and_no_more():
    viewers, analysts, admins = held(VIEWERS), held(ANALYSTS), held(ADMINS)
    assert viewers < analysts < admins
    assert not any(
        name.startswith("auth.") or "apitoken" in name or "change" in name or "add" in name for name in viewers
    )
    assert analysts - viewers == {"casualties.change_incident", "reports.add_article"}
    assert not {name for name in analysts if "feed" in name or name.startswith("auth.")}
    assert {"auth.change_user", "reports.change_feed", "reports.change_source", "casualties.delete_apitoken"} <= admins
    # Admins cannot rewrite the roles themselves, delete incidents, or mint tokens for others.
    assert not {"auth.change_group", "auth.add_permission", "casualties.delete_incident"} & admins
    assert not {
        name for name in admins if name.startswith("authtoken.") or "add_apitoken" in name or "change_apitoken" in name
    }


def test_running_again_is_idempotent_and_undoes_drift():
    viewers = Group.objects.get(name=VIEWERS)
    viewers.permissions.add(Permission.objects.get(codename="delete_incident"))
    Group.objects.get(name=ADMINS).delete()
    first = roles_ensure()
    second = roles_ensure()
    assert first == second == {role: len(permissions) for role, permissions in ROLES.items()}
    assert Group.objects.filter(name__in=ROLES).count() == 3
    assert "casualties.delete_incident" not in held(VIEWERS)
    assert held(ADMINS) == set(ROLES[ADMINS])


def test_migrate_runs_the_handler():
    Group.objects.filter(name__in=ROLES).delete()
    call_command("migrate", verbosity=0)
    for role, permissions in ROLES.items():
        assert held(role) == set(permissions), role


def test_a_role_naming_a_missing_permission_fails_loudly(monkeypatch):
    monkeypatch.setitem(ROLES, VIEWERS, (*ROLES[VIEWERS], "casualties.view_nothing"))
    with pytest.raises(LookupError, match=r"casualties\.view_nothing"):
        roles_ensure()
