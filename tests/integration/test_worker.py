"""The pipeline on the real parts: a Celery worker process, Redis and PostgreSQL.

Runs when DATABASE_URL names PostgreSQL and CELERY_BROKER_URL names Redis (as
.ci/run sets them); skipped, saying so, otherwise.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from casualties.models import Claim, Incident
from config.celery import app as celery_app
from reports import extraction
from reports.models import Article, Feed
from reports.services import articles
from reports.services.queueing import extraction_queued_unmark

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres")
        or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
        reason="needs DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://... (the real services)",
    ),
    pytest.mark.django_db(transaction=True),
]

ARTICLE = """Title: {title}
Published: {published}
Source: Integration Desk

{body}
"""
BODIES = [
    (
        "2015-10-16",
        "An air strike hit a residential building in the town of Talbiseh in Homs governorate on "
        "Thursday, killing {n} civilians, local activists said.",
    ),
    (
        "2015-11-02",
        "Shelling struck a market in Douma, east of Damascus, on Sunday and killed {n} people, "
        "according to medics in the town.",
    ),
    (
        "2016-02-16",
        "A car bomb exploded near a checkpoint in Homs city on Monday, killing {n} people and "
        "wounding dozens more, the provincial governor said.",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    user = f"{db['USER']}@" if db.get("USER") else ""
    return f"postgres://{user}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker() -> Iterator[Callable[[], subprocess.Popen]]:
    """Start real `celery worker` processes on the test database; stop them after the test."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "HTTP_ALLOW_LOOPBACK": "true",
        "INGEST_MAX_RETRIES": "1",
    }
    workers: list[subprocess.Popen] = []

    def start(**extra_env: str) -> subprocess.Popen:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env={**env, **extra_env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        workers.append(worker)
        return worker

    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    extraction_queued_unmark()  # a mark whose message the purge removed would hold back the next one
    yield start
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    extraction_queued_unmark()
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
    celery_app.control.purge()


def _wait_until_final(timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while Article.objects.filter(status="pending").exists():
        assert time.monotonic() < deadline, list(Article.objects.filter(status="pending").values("id", "url"))
        time.sleep(0.5)


def _write_folder(folder: Path, count: int) -> None:
    for i in range(count):
        published, body = BODIES[i % len(BODIES)]
        text = ARTICLE.format(title=f"Report {i}", published=published, body=body.format(n=5 + i))
        (folder / f"report_{i:03}.txt").write_text(text)


def _assert_claims_match_a_fresh_extraction() -> None:
    """No partial rows: every extracted article has exactly the claims the engine gives for it."""
    for article in Article.objects.filter(status="extracted"):
        expected = extraction.extract(
            text=article.text, published=articles.article_reference_date(article=article), title=article.title or None
        )
        assert article.claims.count() == len([i for i in expected if i.country]), article.title
    for incident in Incident.objects.all():
        assert incident.claims.exists()


def test_a_worker_ingests_a_folder_and_a_feed(start_worker, tmp_path, local_server):
    start_worker()
    _write_folder(tmp_path, 3)
    call_command("ingest", str(tmp_path), wait=120, verbosity=0)
    # The same folder again changes nothing.
    call_command("ingest", str(tmp_path), wait=120, verbosity=0)

    page = "<html><head><title>Idlib</title></head><body><article><p>{}</p></article></body></html>"
    one = local_server.add(
        "/one",
        body=page.format(
            "An air strike on a market in Ariha, in Idlib governorate, killed 31 civilians on Sunday, "
            "rescue workers said, adding that dozens more were wounded."
        ).encode(),
    )
    rss = f"<rss version='2.0'><channel><title>Local feed</title><item><link>{one}</link></item></channel></rss>"
    feed = Feed.objects.create(
        url=local_server.add("/feed.xml", body=rss.encode(), headers={"Content-Type": "application/rss+xml"})
    )
    celery_app.send_task("reports.tasks.feed_poll", args=[feed.pk])
    deadline = time.monotonic() + 60
    while not Article.objects.filter(feed=feed).exclude(status="pending").exists():
        assert time.monotonic() < deadline, "the feed's article was not processed"
        time.sleep(0.5)

    assert Article.objects.count() == 4
    fed = Article.objects.get(feed=feed)
    assert (fed.status, fed.failure_reason) == ("extracted", "")
    assert fed.claims.get().incident.killed_max == 31
    assert Claim.objects.count() == Incident.objects.count() == 4
    _assert_claims_match_a_fresh_extraction()


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(start_worker, tmp_path, settings):
    settings.INGEST_BATCH_SIZE = 10  # several chunks, so that the kill falls between some of them
    worker = start_worker(INGEST_BATCH_SIZE="10")
    _write_folder(tmp_path, 60)
    call_command("ingest", str(tmp_path), wait=0, verbosity=0)
    # Kill the worker with SIGKILL while it holds reserved and running tasks.
    deadline = time.monotonic() + 60
    while not Article.objects.filter(status="extracted").exists():
        assert time.monotonic() < deadline, "the worker processed nothing"
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    unfinished = Article.objects.filter(status="pending").count()
    assert unfinished > 0, "the worker finished everything before it was killed: nothing was tested"

    # A new worker, and the sweep that beat runs, finish the work.
    start_worker()
    articles.articles_requeue_pending(older_than=datetime.timedelta(0))
    _wait_until_final()
    assert Article.objects.filter(status="extracted").count() == 60
    _assert_claims_match_a_fresh_extraction()
    assert Claim.objects.values("article", "incident").distinct().count() == Claim.objects.count()


def test_two_worker_processes_filing_chunks_side_by_side_open_one_incident_per_event(start_worker, tmp_path, settings):
    """Four reports of each of three events, two to a chunk, filed by two processes at once: every
    chunk is filed (none deadlocks or fails) and each event is one incident with its four claims.
    (tests/casualties/test_filing.py shows the region lock itself deterministically.)"""
    settings.INGEST_BATCH_SIZE = 2
    start_worker(INGEST_BATCH_SIZE="2")
    _write_folder(tmp_path, 12)
    call_command("ingest", str(tmp_path), wait=120, verbosity=0)
    assert Article.objects.filter(status="extracted").count() == 12
    assert Incident.objects.count() == 3
    for incident in Incident.objects.all():
        tolls = sorted(incident.claims.values_list("killed_max", flat=True))
        assert len(tolls) == 4
        assert (incident.killed_min, incident.killed_max) == (tolls[0], tolls[-1])
    _assert_claims_match_a_fresh_extraction()


def test_articles_sent_one_at_a_time_are_filed_together_once_each(start_worker, tmp_path):
    """As the API, feeds and URLs send them: one transaction an article. Stored while no worker runs,
    then taken by two worker processes: each article is extracted once, by a few filings (one update
    of the articles' status each), and one message was sent for all of them."""
    for i in range(30):
        published, body = BODIES[i % len(BODIES)]
        articles.article_submit_text(
            text=body.format(n=5 + i), title=f"Report {i}", published=datetime.date.fromisoformat(published)
        )
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).llen("celery") == 1  # one message for the 30
    start_worker()
    _wait_until_final()
    assert Article.objects.filter(status="extracted").count() == 30
    filings = Article.objects.values("updated_at").distinct().count()
    assert filings <= 4, f"{filings} filings for 30 articles"
    _assert_claims_match_a_fresh_extraction()
    assert Claim.objects.values("article", "incident").distinct().count() == Claim.objects.count()
    assert Incident.objects.count() == 3
