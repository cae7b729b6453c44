"""`manage.py ingest` while the broker is down: one plain line, exit 0, every article kept pending for the sweep."""

import socket
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from config.celery import app as celery_app
from reports.models import Article

# The queue messages go out when the transaction commits: the test needs real commits.
pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "Title: Strike on Ariha\nPublished: 2015-11-30\n\nShelling killed {n} people in Ariha on Monday.\n"


@pytest.fixture
def broker_down(settings, monkeypatch) -> Iterator[str]:
    """Celery sends to a Redis on a loopback port that refuses connections (bound, never listening)."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        settings.CELERY_BROKER_URL = url
        # Celery prefers the environment's CELERY_BROKER_URL (set for the PostgreSQL and Redis runs) to its conf.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.setitem(celery_app.conf, "broker_url", url)
        monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
        # The app keeps its connection and producer pools: new ones pick up the closed port.
        monkeypatch.setattr(celery_app, "_pool", None)
        monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
        yield url


def test_ingest_while_the_broker_is_down_says_so_in_one_line_and_keeps_the_articles(
    broker_down, tmp_path, capsys, caplog
):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(ARTICLE.format(n=n + 4))
    call_command("ingest", str(tmp_path), "--wait", "0", verbosity=1)
    captured = capsys.readouterr()
    said = [line for line in captured.err.splitlines() if "broker is unreachable" in line]
    assert len(said) == 1, captured.err
    assert "kept pending" in said[0]
    assert "sweep will queue them" in said[0]
    assert "Traceback" not in captured.err + captured.out
    assert not [record for record in caplog.records if record.exc_info], "a traceback was logged"
    assert "3 still pending" in captured.out
    assert list(Article.objects.values_list("status", flat=True)) == [Article.Status.PENDING] * 3
