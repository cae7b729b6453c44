"""A slow server cannot hold the ingestion workers (issue 14, finding 3).

reports/http.py stops a fetch at one total deadline (tests/reports/test_http.py); here,
every task has Celery time limits, and a fetch that hit the deadline is tried again
minutes later and once only (a feed: at its next poll), rather than at once.
"""

import pytest
from celery import Task
from celery.exceptions import Retry, SoftTimeLimitExceeded

from config.celery import app
from reports import tasks
from reports.http import FetchDeadlineError, TemporaryFetchError
from reports.models import Article, Feed

pytestmark = pytest.mark.django_db


def test_every_task_has_a_soft_and_a_hard_time_limit():
    ours = {name: task for name, task in app.tasks.items() if name.startswith(("reports.", "casualties."))}
    assert ours, "no tasks registered"
    for name, task in ours.items():
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft, f"{name} has no soft time limit"
        assert hard, f"{name} has no hard time limit"
        assert soft < hard, f"{name}: the soft limit must come first, so the task can record why it stopped"


@pytest.fixture
def retries(monkeypatch) -> list[int]:
    """The countdowns a task asked to be retried after (the retry itself is not run)."""
    countdowns: list[int] = []

    def retry(task, exc=None, countdown=None, **kwargs):
        countdowns.append(countdown)
        raise Retry(exc=exc, when=countdown)

    monkeypatch.setattr(Task, "retry", retry)
    return countdowns


def _pending_url_article() -> Article:
    return Article.objects.create(url="https://slow.example/a")


def _service_raising(monkeypatch, error: Exception) -> None:
    def fetch(*, article_id: int) -> None:
        raise error

    monkeypatch.setattr(tasks.articles, "article_fetch", fetch)


def test_a_fetch_that_hit_the_deadline_is_retried_much_later(monkeypatch, retries):
    article = _pending_url_article()
    _service_raising(monkeypatch, FetchDeadlineError("timed out after 20 s"))
    tasks.article_fetch.apply(args=(article.pk,))
    assert retries == [tasks.SLOW_SERVER_BACKOFF]
    assert tasks.SLOW_SERVER_BACKOFF >= 300


def test_other_temporary_errors_keep_their_short_backoff(monkeypatch, retries):
    article = _pending_url_article()
    _service_raising(monkeypatch, TemporaryFetchError("network error talking to slow.example: ConnectionError"))
    tasks.article_fetch.apply(args=(article.pk,))
    assert retries == [5]


def test_a_server_that_keeps_hitting_the_deadline_fails_the_article(monkeypatch, retries):
    article = _pending_url_article()
    _service_raising(monkeypatch, FetchDeadlineError("timed out after 20 s"))
    tasks.article_fetch.apply(args=(article.pk,), retries=tasks.SLOW_SERVER_RETRIES)
    article.refresh_from_db()
    assert retries == []
    assert (article.status, article.failure_reason) == ("failed", "gave up after retries: timed out after 20 s")


def test_a_fetch_stopped_by_the_soft_time_limit_fails_the_article(monkeypatch, retries):
    article = _pending_url_article()
    _service_raising(monkeypatch, SoftTimeLimitExceeded())
    tasks.article_fetch.apply(args=(article.pk,))
    article.refresh_from_db()
    assert retries == []
    assert article.status == "failed"
    assert article.failure_reason.startswith("stopped: took longer than")


def test_a_feed_that_hit_the_deadline_waits_for_its_next_poll(monkeypatch, retries):
    feed = Feed.objects.create(url="https://slow.example/feed.xml")

    def poll(*, feed_id: int) -> int:
        raise FetchDeadlineError("timed out after 20 s")

    monkeypatch.setattr(tasks.feeds, "feed_poll", poll)
    tasks.feed_poll.apply(args=(feed.pk,))
    assert retries == []
