"""A worker keeps its database connection from task to task, and drops it when it breaks."""

import os
import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from config.celery import _database_connections_between_tasks, app

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a PostgreSQL connection: SQLite's costs nothing to open",
    ),
    pytest.mark.django_db(transaction=True),
]

ON_A_WORKER = SimpleNamespace(request=SimpleNamespace(is_eager=False))


def _open() -> object:
    connection.ensure_connection()
    return connection.connection


def test_celerys_django_fixup_leaves_the_connection_open_around_a_task():
    fixup = DjangoWorkerFixup(app)
    opened = _open()
    fixup.on_task_prerun(sender=ON_A_WORKER)
    fixup.on_task_postrun(sender=ON_A_WORKER)
    assert connection.connection is opened


def test_the_connection_is_kept_between_tasks_while_usable_and_young():
    opened = _open()
    _database_connections_between_tasks(task=ON_A_WORKER)
    assert connection.connection is opened

    connection.close_at = time.monotonic() - 1  # older than CONN_MAX_AGE
    _database_connections_between_tasks(task=ON_A_WORKER)
    assert connection.connection is None


def test_a_connection_broken_during_a_task_is_replaced_before_the_next():
    opened = _open()
    opened.close()  # as a database restart leaves it
    connection.errors_occurred = True  # Django notes the failed query
    _database_connections_between_tasks(task=ON_A_WORKER)
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_task_run_in_process_leaves_the_callers_connection_alone():
    opened = _open()
    connection.close_at = time.monotonic() - 1
    _database_connections_between_tasks(task=SimpleNamespace(request=SimpleNamespace(is_eager=True)))
    assert connection.connection is opened
