"""The Celery app.

With no broker configured (the embedded default) tasks run in-process, eagerly;
with CELERY_BROKER_URL set they go to real workers. Both are decided in settings.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("casualty_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _database_connections_between_tasks(task=None, **kwargs) -> None:
    """Between tasks, treat the database connection as Django does between requests.

    Celery's Django fix-up would close it around every task, and each task then
    paid for a new PostgreSQL connection (a server process forked, a handshake),
    as much as extracting a few articles. With CELERY_DB_REUSE_MAX set (settings)
    it leaves the connection alone and this keeps it while it is usable and
    younger than CONN_MAX_AGE: a connection broken by a database restart, or
    by an error in the task, is closed here, and the next task opens a new one.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return  # in-process: the caller's connection and transaction, not ours to close
    from django.db import close_old_connections

    close_old_connections()
