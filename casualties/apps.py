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


def _counts_after_flush(sender, *, using: str = "default", apps=None, **kwargs) -> None:
    """After `flush` (which sends post_migrate too): no count row outlives the incidents."""
    from django.db import connections

    from casualties.services.rollups import incident_rollups_clear_if_no_incidents

    if "casualties_incident" in connections[using].introspection.table_names():
        incident_rollups_clear_if_no_incidents(using=using)


class CasualtiesConfig(AppConfig):
    """The facts: the gazetteer, incidents, their per-source claims and everything users see."""

    name = "casualties"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casualties.selectors.places import gazetteer_for_extraction
        from casualties.services.filing import articles_file_incidents
        from reports.providers import providers_register

        # reports files what the engine finds through these; it never imports casualties.
        providers_register(filer=articles_file_incidents, gazetteer=gazetteer_for_extraction)
        # Once per migrate run: post_migrate is sent for every app; we answer ours, after auth's and reports'.
        post_migrate.connect(_roles_after_migrate, sender=self, dispatch_uid="casualties.roles")
        post_migrate.connect(_counts_after_flush, sender=self, dispatch_uid="casualties.counts")
