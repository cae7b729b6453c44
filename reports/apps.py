from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The evidence: sources, fetched articles, ingestion jobs and the extraction engine."""

    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reports import tasks
        from reports.services import queueing

        # The tasks import the services; the services queue work through these, never importing the tasks.
        queueing.tasks_register(
            queueing.Tasks(
                article_fetch=tasks.article_fetch,
                article_extract=tasks.article_extract,
                articles_extract=tasks.articles_extract,
                articles_extract_waiting=tasks.articles_extract_waiting,
            )
        )
