from django.apps import AppConfig


class CasualtiesConfig(AppConfig):
    """The facts: the gazetteer, incidents, their per-source claims and everything users see."""

    name = "casualties"
    default_auto_field = "django.db.models.BigAutoField"
