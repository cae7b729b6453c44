from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The evidence: sources, fetched articles, ingestion jobs and the extraction engine."""

    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"
