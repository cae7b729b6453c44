"""How the services send work to the Celery tasks, and one queued message for the
articles that arrive one at a time, not one each.

The tasks (`reports/tasks.py`) import the services, so the services cannot import
the tasks: `ReportsConfig.ready()` registers them here (`tasks_register`), and the
services queue work through the functions below.

The API, feeds and URLs store one article a transaction. On a worker, the task
`articles_extract_waiting` takes every article waiting (up to INGEST_BATCH_SIZE)
and files them together, so while one such task is queued and has not started,
another message would only find its articles done. A mark in the broker's Redis
says one is queued: set (with an expiry) when a message is sent, removed by the
task before it looks for waiting articles, so an article stored after that
sends a message of its own. A mark that outlives its message (Redis kept the
key, the message was lost) only delays articles until it expires or the sweep
queues them; the sweep is the safety net for every lost message anyway.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import redis
from celery import Task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

logger = logging.getLogger(__name__)

MARK = "casualty-tracker:extraction-waiting-queued"
MARK_SECONDS = 60


@dataclass(frozen=True)
class Tasks:
    """The tasks the services send messages to."""

    article_fetch: Task
    article_extract: Task
    articles_extract: Task
    articles_extract_waiting: Task


_registered: list[Tasks] = []


def tasks_register(tasks: Tasks) -> None:
    """Called once, by `ReportsConfig.ready()`; a second call replaces the first."""
    _registered[:] = [tasks]


def _tasks() -> Tasks:
    if not _registered:
        raise ImproperlyConfigured("no tasks registered for reports.services.queueing: is 'reports' in INSTALLED_APPS?")
    return _registered[0]


def article_fetch_enqueue(*, article_id: int) -> None:
    """Queue the fetch of a submitted URL once the transaction commits."""
    # robust: with the broker down the article is stored all the same, pending, and the sweep
    # queues it once the broker is back; the caller gets its answer rather than a traceback.
    task = _tasks().article_fetch
    transaction.on_commit(lambda: task.delay(article_id), robust=True)


def article_extraction_enqueue(*, article_id: int) -> None:
    """Queue one stored article's extraction once the transaction commits.

    On a worker it goes with the other articles that wait (`articles_extract_waiting`),
    and one message serves them all. Without a broker the task runs in this process,
    inside the request, so it takes this article and nothing else.
    """
    task = _tasks().article_extract

    def send() -> None:
        if task.app.conf.task_always_eager:
            task.delay(article_id)
        else:
            extraction_waiting_send()

    transaction.on_commit(send, robust=True)


def articles_extraction_enqueue(*, article_ids: Sequence[int]) -> None:
    """Queue extraction for many articles, INGEST_BATCH_SIZE a task, once the transaction commits."""
    if not article_ids:
        return
    task = _tasks().articles_extract
    chunks = id_chunks(sorted(article_ids), settings.INGEST_BATCH_SIZE)
    transaction.on_commit(lambda: [task.delay(chunk) for chunk in chunks], robust=True)


def id_chunks(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _broker() -> redis.Redis | None:
    url = settings.CELERY_BROKER_URL
    return _client(url) if url.startswith(("redis://", "rediss://")) else None


def extraction_queued_mark() -> bool:
    """Mark a waiting-articles task as queued. False when one already was: no message is needed.

    True, too, when no mark can be kept (no Redis broker, Redis unreachable): then a
    message is sent, and a redundant one costs a short task.
    """
    broker = _broker()
    if broker is None:
        return True
    try:
        return bool(broker.set(MARK, 1, nx=True, ex=MARK_SECONDS))
    except redis.RedisError as error:
        logger.warning("could not check the extraction queue mark (%s); sending a message", error)
        return True


def extraction_queued_unmark() -> None:
    """The queued task has started: articles stored from now on need a message of their own."""
    broker = _broker()
    if broker is None:
        return
    try:
        broker.delete(MARK)
    except redis.RedisError as error:
        logger.warning("could not clear the extraction queue mark (%s); it expires by itself", error)


def extraction_waiting_send() -> None:
    """Send one `articles_extract_waiting` message, unless one is queued already."""
    if not extraction_queued_mark():
        return
    try:
        _tasks().articles_extract_waiting.delay()
    except Exception:
        extraction_queued_unmark()  # no message went: the next article must send one
        raise
