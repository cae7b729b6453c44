"""Celery tasks of the ingestion pipeline: thin wrappers that take ids and call services.

Tasks are acknowledged late (settings), so a worker killed mid-task leaves its
message to be redelivered; every service they call is idempotent. Articles that
arrive many at once are extracted a chunk to a task (`articles_extract`);
articles that arrive one at a time are taken together by `articles_extract_waiting`,
one message for all that wait (`reports/services/queueing.py`). An article that
fails in a chunk goes on alone through `article_extract`, with its own retries,
backoff and failure reason.

Every task has time limits (CELERY_TASK_SOFT_TIME_LIMIT and CELERY_TASK_TIME_LIMIT
in settings; tighter for the tasks that fetch). A fetch that hit its deadline is
tried once more, minutes later, not at once: a server that slow may be so on purpose.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from reports.http import FetchDeadlineError, TemporaryFetchError
from reports.services import articles, extracting, feeds, queueing

logger = logging.getLogger(__name__)


# A fetch lasts at most HTTP_TIMEOUT_SECONDS (reports/http.py); parsing and storing the page take the rest.
FETCH_TIME_LIMITS = {
    "soft_time_limit": settings.HTTP_TIMEOUT_SECONDS + 60,
    "time_limit": settings.HTTP_TIMEOUT_SECONDS + 90,
}
# After a fetch that hit the deadline: one more try, this many seconds later. It ends before the beat
# sweep (ARTICLE_PENDING_SWEEP_AFTER, 10 minutes) would queue the article again.
SLOW_SERVER_RETRIES = 1
SLOW_SERVER_BACKOFF = 300


def _backoff(retries: int) -> int:
    return min(600, 5 * 2**retries)


@shared_task(bind=True, max_retries=None, **FETCH_TIME_LIMITS)
def article_fetch(self, article_id: int) -> None:
    try:
        articles.article_fetch(article_id=article_id)
    except SoftTimeLimitExceeded:
        articles.article_fail(article_id=article_id, reason=f"stopped: took longer than {self.soft_time_limit} s")
    except FetchDeadlineError as error:
        if self.request.retries >= SLOW_SERVER_RETRIES:
            articles.article_fail(article_id=article_id, reason=f"gave up after retries: {error}")
            return
        raise self.retry(exc=error, countdown=SLOW_SERVER_BACKOFF) from error
    except TemporaryFetchError as error:
        if self.request.retries >= settings.INGEST_MAX_RETRIES:
            articles.article_fail(article_id=article_id, reason=f"gave up after retries: {error}")
            return
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(bind=True, max_retries=None)
def article_extract(self, article_id: int) -> None:
    try:
        extracting.article_extract(article_id=article_id)
    except Exception as error:
        # A crash in extraction or filing: retry in case it was passing (a lost database
        # connection), then give up with the reason so the queue keeps moving.
        if self.request.retries >= settings.INGEST_MAX_RETRIES:
            logger.exception("article %s: extraction failed for good", article_id)
            articles.article_fail(
                article_id=article_id, reason=f"extraction failed: {type(error).__name__}: {error}"[:2000]
            )
            return
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(bind=True, max_retries=None)
def articles_extract(self, article_ids: list[int]) -> None:
    try:
        failures = extracting.articles_extract(article_ids=article_ids)
    except Exception as error:
        # The chunk as a whole could not run (the database went away): retry it; past the limit,
        # each article goes on alone so that each ends with its own outcome.
        if self.request.retries >= settings.INGEST_MAX_RETRIES:
            logger.exception("articles %s: chunk failed for good, queueing them one by one", article_ids)
            for article_id in article_ids:
                article_extract.delay(article_id)
            return
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
    _retry_alone(failures)


@shared_task(bind=True, max_retries=None)
def articles_extract_waiting(self) -> None:
    """The articles stored one at a time, INGEST_BATCH_SIZE at most; again if that many were taken."""
    queueing.extraction_queued_unmark()  # first: an article stored from now on sends its own message
    limit = settings.INGEST_BATCH_SIZE
    try:
        taken, failures = extracting.articles_extract_waiting(limit=limit)
    except Exception as error:
        # Nothing could run (the database went away): the articles still wait. Retry; past the
        # limit, the sweep queues them.
        if self.request.retries >= settings.INGEST_MAX_RETRIES:
            logger.exception("waiting articles: could not extract them; the sweep will queue them")
            return
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
    _retry_alone(failures)
    if taken >= limit:
        queueing.extraction_waiting_send()  # more may wait


def _retry_alone(failures: dict[int, Exception]) -> None:
    for article_id, error in failures.items():
        logger.warning(
            "article %s failed in a chunk (%s: %s): retrying it alone", article_id, type(error).__name__, error
        )
        article_extract.apply_async((article_id,), countdown=_backoff(0))


@shared_task(bind=True, max_retries=3, **FETCH_TIME_LIMITS)
def feed_poll(self, feed_id: int) -> None:
    try:
        feeds.feed_poll(feed_id=feed_id)
    except FetchDeadlineError:
        # Not retried: the feed keeps the error, and its next poll comes at its interval.
        logger.warning("feed %s: poll hit the fetch deadline", feed_id)
    except TemporaryFetchError as error:
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
    except Exception:
        logger.exception("feed %s: poll failed", feed_id)


@shared_task
def feeds_poll_due() -> int:
    due = feeds.feeds_due()
    for feed_id in due:
        feed_poll.delay(feed_id)
    return len(due)


@shared_task
def articles_sweep_pending() -> int:
    return articles.articles_requeue_pending(older_than=settings.ARTICLE_PENDING_SWEEP_AFTER)
