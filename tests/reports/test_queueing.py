"""One message for the articles that arrive one at a time (reports/services/queueing.py)."""

import os

import pytest

from reports import tasks
from reports.services import queueing


@pytest.fixture
def sent(monkeypatch):
    messages = []
    monkeypatch.setattr(tasks.articles_extract_waiting, "delay", lambda: messages.append("sent"))
    return messages


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="the mark lives in the broker's Redis"
)
def test_one_message_is_sent_until_the_task_starts(settings, sent):
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    queueing.extraction_queued_unmark()
    try:
        for _ in range(3):
            queueing.extraction_waiting_send()
        assert sent == ["sent"]
        queueing.extraction_queued_unmark()  # as the task does when it starts
        queueing.extraction_waiting_send()
        assert sent == ["sent", "sent"]
    finally:
        queueing.extraction_queued_unmark()


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="the mark lives in the broker's Redis"
)
def test_a_message_that_could_not_be_sent_leaves_no_mark(settings, monkeypatch):
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    queueing.extraction_queued_unmark()

    def broker_down():
        raise ConnectionError("refused")

    monkeypatch.setattr(tasks.articles_extract_waiting, "delay", broker_down)
    with pytest.raises(ConnectionError):
        queueing.extraction_waiting_send()
    assert queueing.extraction_queued_mark()  # free again: the next article sends its message
    queueing.extraction_queued_unmark()


def test_with_redis_unreachable_every_article_sends_its_message(settings, sent):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    queueing.extraction_waiting_send()
    queueing.extraction_waiting_send()
    assert sent == ["sent", "sent"]


def test_with_no_redis_broker_every_article_sends_its_message(settings, sent):
    settings.CELERY_BROKER_URL = "memory://"
    queueing.extraction_waiting_send()
    queueing.extraction_waiting_send()
    assert sent == ["sent", "sent"]
