from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _roles_after_migrate(sender, *, using: str = "default", apps=None, **kwargs) -> None:
    """After `migrate` (and after a test database flush): the role groups exist with their permissions."""
    from django.apps import apps as global_apps

    from casualties.services.roles import ROLE_APP_LABELS, roles_ensure

    apps = apps or global_apps
    migrated = {config.label for config in apps.get_app_configs()}
    if not migrated.issuperset(ROLE_APP_LABELS):
        return  # some app is migrated back to zero: its permissions cannot be granted yet
    roles_ensure(using=using, apps=apps)


class CasualtiesConfig(AppConfig):
    """The facts: the gazetteer, incidents, their per-source claims and everything users see."""

    name = "casualties"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Once per migrate run: post_migrate is sent for every app; we answer ours, after auth's and reports'.
        post_migrate.connect(_roles_after_migrate, sender=self, dispatch_uid="casualties.roles")
