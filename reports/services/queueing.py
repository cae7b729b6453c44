"""One queued message for the articles that arrive one at a time, not one each.

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
from functools import cache

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

MARK = "casualty-tracker:extraction-waiting-queued"
MARK_SECONDS = 60


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
    from reports import tasks  # here: tasks import the services

    if not extraction_queued_mark():
        return
    try:
        tasks.articles_extract_waiting.delay()
    except Exception:
        extraction_queued_unmark()  # no message went: the next article must send one
        raise
