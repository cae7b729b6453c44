"""The three roles, as groups holding exactly the model permissions each needs.

Code checks permissions (``user.has_perm(REVIEW_PERMISSION)``), never group names,
so a permission granted to one user directly works the same way. The groups are
written by a post_migrate handler (casualties/apps.py), not by a migration: the
permissions they hold are created by Django's own post_migrate handler, and the
table below stays the one place that says who may do what. Running it again sets
each group back to exactly this table.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import transaction

# What the code checks (casualties/api/permissions.py, casualties/middleware.py, the admin).
READ_PERMISSION = "casualties.view_incident"
REVIEW_PERMISSION = "casualties.change_incident"  # verify, reject, correct, merge
SUBMIT_PERMISSION = "reports.add_article"

VIEWERS, ANALYSTS, ADMINS = "viewers", "analysts", "admins"

_VIEWER = (
    READ_PERMISSION,
    "casualties.view_claim",
    "casualties.view_place",
    "casualties.view_admin1",
    "reports.view_article",
    "reports.view_source",
)
_ANALYST = (*_VIEWER, REVIEW_PERMISSION, SUBMIT_PERMISSION)
_ADMIN = (
    *_ANALYST,
    # Users: the admin's user pages (casualties/admin.py keeps superuser rights out of their reach).
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    # Feeds and sources.
    "reports.view_feed",
    "reports.add_feed",
    "reports.change_feed",
    "reports.delete_feed",
    "reports.add_source",
    "reports.change_source",
    "reports.delete_source",
    # Revoke anyone's API token; creating one for someone else would let an admin act as them.
    "casualties.view_apitoken",
    "casualties.delete_apitoken",
    # Reference datasets (ACLED, UCDP): see the imports, mark one restricted or not.
    "casualties.view_referencedataset",
    "casualties.change_referencedataset",
    "casualties.view_referenceevent",
)
ROLES: dict[str, tuple[str, ...]] = {VIEWERS: _VIEWER, ANALYSTS: _ANALYST, ADMINS: _ADMIN}
ROLE_APP_LABELS = frozenset(name.split(".")[0] for names in ROLES.values() for name in names)


def roles_ensure(*, using: str = "default", apps=global_apps) -> dict[str, int]:
    """Create the role groups if missing and set each one's permissions to exactly ROLES.

    Idempotent. `apps` is the app registry to read models from (post_migrate passes the
    migrated state). Returns {group name: number of permissions it holds}. Raises
    LookupError naming a permission that does not exist, so a renamed model fails loudly.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for label in ROLE_APP_LABELS:
        # Permissions of apps migrated later in the same run may not exist yet; this is idempotent.
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=apps)
    wanted = {name for names in ROLES.values() for name in names}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted
    }
    missing = sorted(wanted - set(found))
    if missing:
        raise LookupError(f"Roles name permissions that do not exist: {', '.join(missing)}")
    held = {}
    with transaction.atomic(using=using):
        for role, names in ROLES.items():
            group, _created = group_model.objects.using(using).get_or_create(name=role)
            group.permissions.set([found[name] for name in names])
            held[role] = len(names)
    return held
