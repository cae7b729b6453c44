"""The article life cycle, with the extraction engine replaced by a predictable stand-in."""

import datetime
import os
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from casualties.models import Claim, Incident
from reports import extraction
from reports.extraction import contract
from reports.models import Article, Feed
from reports.services import articles, extracting, feeds

pytestmark = pytest.mark.django_db

TEXT = "An air strike on the market of Ariha on Sunday killed 40 people, rescuers said."
HTML = f"<html><head><title>Ariha market</title></head><body><article><p>{TEXT}</p></article></body></html>"


def fake_extract(*, text, published, title=None, gazetteer=None):
    """One incident per article that mentions 'killed', its toll the first number in the text."""
    if "killed" not in text:
        return []
    toll = next(int(word) for word in text.split() if word.isdigit())
    return [
        contract.ExtractedIncident(
            country="SY",
            dates=contract.Dates(start=published, end=published, precision=contract.DatePrecision.DAY),
            evidence=contract.Evidence(text=text, start=0, end=len(text)),
            figures=contract.Figures(killed_min=toll, killed_max=toll),
            location=contract.Location(admin1="Idlib", admin1_code="12", precision=contract.LocationPrecision.ADMIN1),
            victims=contract.Victims.CIVILIANS,
            event_type=contract.EventType.AIR_DRONE_STRIKE,
            confidence=0.7,
        )
    ]


@pytest.fixture(autouse=True)
def engine(monkeypatch):
    monkeypatch.setattr(extraction, "extract", fake_extract, raising=False)
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "fake-1", raising=False)
    monkeypatch.setattr(extracting, "gazetteer_provider", lambda: lambda: None)  # the engine's own


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run the tasks queued on commit (in-process, as the embedded default does), once each,
    including the tasks those tasks queue (Django runs callbacks added while it runs callbacks)."""

    def run(submit):
        with django_capture_on_commit_callbacks(execute=True):
            return submit()

    return run


def test_text_is_stored_extracted_and_filed(run_tasks):
    article, created = run_tasks(
        lambda: articles.article_submit_text(
            text=TEXT, title="Ariha", published=datetime.date(2015, 11, 29), source_name="Levant Desk"
        )
    )
    article.refresh_from_db()
    assert created
    assert (article.status, article.extractor_version, article.source.name) == ("extracted", "fake-1", "Levant Desk")
    incident = Incident.objects.get()
    assert (incident.killed_max, incident.date_start) == (40, datetime.date(2015, 11, 29))
    assert incident.claims.get().article == article


def test_the_same_text_twice_changes_nothing(run_tasks):
    first, _ = run_tasks(lambda: articles.article_submit_text(text=TEXT, published=datetime.date(2015, 11, 29)))
    second, created = run_tasks(lambda: articles.article_submit_text(text=TEXT, title="again"))
    assert (second.pk, created) == (first.pk, False)
    assert (Article.objects.count(), Incident.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no text"),
        ("   \n ", "no text"),
        ("x" * 1_000_001, "longer than"),  # the engine reads at most 1,000,000 characters
        ("bin\x00ary", "binary data"),
    ],
)
def test_bad_text_is_refused_before_anything_is_stored(text, message):
    with pytest.raises(ValidationError, match=message):
        articles.article_submit_text(text=text)
    assert Article.objects.count() == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "not a url", "http://"])
def test_bad_urls_are_refused_before_anything_is_stored(url):
    with pytest.raises(ValidationError):
        articles.article_submit_url(url=url)
    assert Article.objects.count() == 0


def test_canonical_urls_ignore_tracking_fragments_and_case():
    assert articles.url_canonical("HTTPS://News.Example:443/a?id=3&utm_source=x#top") == "https://news.example/a?id=3"


def test_a_url_is_fetched_parsed_extracted_and_filed(run_tasks, local_server, allow_loopback):
    url = local_server.add("/ariha", body=HTML.encode())
    article, _ = run_tasks(lambda: articles.article_submit_url(url=url))
    article.refresh_from_db()
    assert article.status == "extracted", article.failure_reason
    assert TEXT in article.text
    assert article.source.domain == "127.0.0.1"
    assert Incident.objects.get().killed_max == 40
    # Submitting it again does not fetch it again.
    run_tasks(lambda: articles.article_submit_url(url=url + "#again"))
    assert local_server.hits == ["/ariha"]


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ({"body": b"x" * 6_000_000, "headers": {"Content-Type": "text/html"}}, "over the 5242880 byte limit"),
        ({"body": b"\x89PNG", "headers": {"Content-Type": "image/png"}}, "content type image/png"),
        (
            {"body": "Sana'a: 12 killed".encode("utf-16"), "headers": {"Content-Type": "text/html; charset=utf-8"}},
            "not valid utf-8 text",
        ),
        ({"status": 404}, "HTTP 404"),
    ],
)
def test_bad_responses_end_as_failed_articles_with_a_reason(run_tasks, local_server, allow_loopback, route, reason):
    url = local_server.add("/bad", **route)
    article, _ = run_tasks(lambda: articles.article_submit_url(url=url))
    article.refresh_from_db()
    assert article.status == "failed"
    assert reason in article.failure_reason
    assert Incident.objects.count() == 0


def test_a_private_address_ends_as_a_failed_article(run_tasks, settings):
    settings.HTTP_ALLOW_LOOPBACK = False
    article, _ = run_tasks(lambda: articles.article_submit_url(url="http://169.254.169.254/latest/meta-data/"))
    article.refresh_from_db()
    assert (article.status, article.failure_reason) == (
        "failed",
        "refused: 169.254.169.254 resolves to a private or reserved address (169.254.169.254)",
    )


def test_the_same_text_at_a_second_url_is_a_duplicate(run_tasks, local_server, allow_loopback):
    first, _ = run_tasks(lambda: articles.article_submit_url(url=local_server.add("/one", body=HTML.encode())))
    second, _ = run_tasks(lambda: articles.article_submit_url(url=local_server.add("/two", body=HTML.encode())))
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == ("duplicate", first.pk)
    assert Incident.objects.get().claims.count() == 1


def test_a_poison_article_fails_after_bounded_retries(run_tasks, monkeypatch, settings):
    settings.INGEST_MAX_RETRIES = 2
    calls = []

    def crash(**kwargs):
        calls.append(1)
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(extraction, "extract", crash)
    article, _ = run_tasks(lambda: articles.article_submit_text(text=TEXT))
    article.refresh_from_db()
    assert article.status == "failed"
    assert article.failure_reason == "extraction failed: RuntimeError: engine exploded"
    assert len(calls) == 3  # the first try and two retries


def test_the_sweep_requeues_articles_stuck_in_pending(run_tasks, monkeypatch):
    # Stored, but its extraction message was lost.
    article, _ = articles.article_submit_text(text=TEXT, published=datetime.date(2015, 11, 29))
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert run_tasks(lambda: articles.articles_requeue_pending(older_than=datetime.timedelta(minutes=10))) == 1
    article.refresh_from_db()
    assert article.status == "extracted"
    # Recent pending articles are left alone.
    assert articles.articles_requeue_pending(older_than=datetime.timedelta(minutes=10)) == 0


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Desk</title>
<item><title>One</title><link>{one}</link></item>
<item><title>Two</title><link>{two}</link></item>
<item><title>No link</title></item>
</channel></rss>"""


def test_a_feed_poll_ingests_each_new_entry_once(run_tasks, local_server, allow_loopback):
    one = local_server.add("/one", body=HTML.encode())
    two = local_server.add("/two", body=HTML.replace("40", "7").encode())
    feed_url = local_server.add(
        "/feed.xml", body=RSS.format(one=one, two=two).encode(), headers={"Content-Type": "application/rss+xml"}
    )
    feed = Feed.objects.create(url=feed_url)
    assert run_tasks(lambda: feeds.feed_poll(feed_id=feed.pk)) == 2
    assert run_tasks(lambda: feeds.feed_poll(feed_id=feed.pk)) == 0
    feed.refresh_from_db()
    assert (feed.title, feed.entries_seen, feed.last_error) == ("Levant Desk", 2, "")
    assert sorted(Article.objects.values_list("status", flat=True)) == ["extracted", "extracted"]


def test_due_feeds_are_claimed_once_per_interval():
    now = timezone.now()
    due = Feed.objects.create(url="https://a.example/feed", interval_minutes=15)
    Feed.objects.create(url="https://b.example/feed", next_poll_at=now + datetime.timedelta(minutes=5))
    Feed.objects.create(url="https://c.example/feed", active=False)
    assert feeds.feeds_due(now=now) == [due.pk]
    assert feeds.feeds_due(now=now) == []
    due.refresh_from_db()
    assert due.next_poll_at == now + datetime.timedelta(minutes=15)


# --- Many articles at once: stored in one transaction, extracted and filed in chunks -----------


def _texts(*tolls):
    """Articles about strikes far enough apart in time (the toll in days) to be separate incidents."""
    return [
        articles.TextSubmission(
            text=f"A strike on Ariha killed {n} people.",
            published=datetime.date(2015, 1, 1) + datetime.timedelta(days=3 * n),
        )
        for n in tolls
    ]


@pytest.fixture
def chunks_sent(monkeypatch):
    """The chunks of article ids handed to the articles_extract task."""
    from reports import tasks

    sent = []
    real = tasks.articles_extract.delay

    def delay(article_ids):
        sent.append(list(article_ids))
        return real(article_ids)

    monkeypatch.setattr(tasks.articles_extract, "delay", delay)
    return sent


def test_many_texts_are_stored_at_once_and_extracted_in_chunks(run_tasks, settings, chunks_sent):
    settings.INGEST_BATCH_SIZE = 2
    known, _ = run_tasks(lambda: articles.article_submit_text(text="Known: 3 were killed.", published=None))
    submissions = [
        *_texts(11, 12),
        articles.TextSubmission(text="  "),
        articles.TextSubmission(text="Known: 3 were killed."),
        *_texts(13, 11),  # 11 again: the same text as the first
        articles.TextSubmission(text="x", url="ftp://example.org/a"),
    ]
    results = run_tasks(lambda: articles.articles_submit_texts(submissions=submissions))

    assert [type(r).__name__ for r in results] == [
        "tuple",
        "tuple",
        "ValidationError",
        "tuple",
        "tuple",
        "tuple",
        "ValidationError",
    ]
    assert results[2].messages == ["the article has no text"]
    assert "not an http(s) URL" in results[6].messages[0]
    assert results[3] == (known, False)
    assert results[5] == (results[0][0], False)
    new_ids = sorted(r[0].pk for r in (results[0], results[1], results[4]))
    assert chunks_sent == [new_ids[:2], new_ids[2:]]
    assert set(Article.objects.values_list("status", flat=True)) == {"extracted"}
    assert sorted(Incident.objects.values_list("killed_max", flat=True)) == [3, 11, 12, 13]


def test_a_chunk_run_twice_changes_nothing_the_second_time(run_tasks):
    results = run_tasks(lambda: articles.articles_submit_texts(submissions=_texts(5, 6, 7)))
    ids = [article.pk for article, _ in results]
    before = list(Incident.objects.values_list("id", "killed_min", "killed_max", "updated_at"))
    assert extracting.articles_extract(article_ids=ids) == {}
    assert list(Incident.objects.values_list("id", "killed_min", "killed_max", "updated_at")) == before
    assert Article.objects.filter(attempts=1).count() == 3


def test_a_new_extractor_version_replaces_a_chunks_claims(run_tasks, monkeypatch):
    results = run_tasks(lambda: articles.articles_submit_texts(submissions=_texts(5, 6)))
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "fake-2")
    assert extracting.articles_extract(article_ids=[article.pk for article, _ in results]) == {}
    assert sorted(Claim.objects.values_list("extractor_version", "killed_max")) == [("fake-2", 5), ("fake-2", 6)]
    assert set(Article.objects.values_list("extractor_version", flat=True)) == {"fake-2"}


def test_an_article_whose_extraction_crashes_fails_alone_and_the_chunk_goes_on(run_tasks, monkeypatch, settings):
    settings.INGEST_MAX_RETRIES = 1

    def extract(*, text, **kwargs):
        if "poison" in text:
            raise RuntimeError("engine exploded")
        return fake_extract(text=text, **kwargs)

    monkeypatch.setattr(extraction, "extract", extract)
    submissions = [*_texts(5), articles.TextSubmission(text="poison: 9 killed"), *_texts(6)]
    results = run_tasks(lambda: articles.articles_submit_texts(submissions=submissions))
    states = {r[0].pk: Article.objects.get(pk=r[0].pk) for r in results}
    good, bad, other = (states[r[0].pk] for r in results)
    assert (good.status, other.status) == ("extracted", "extracted")
    assert (bad.status, bad.failure_reason) == ("failed", "extraction failed: RuntimeError: engine exploded")
    assert sorted(Incident.objects.values_list("killed_max", flat=True)) == [5, 6]


def test_an_article_whose_filing_fails_leaves_the_rest_of_its_chunk_filed(run_tasks, monkeypatch, settings):
    settings.INGEST_MAX_RETRIES = 0

    def extract(*, text, **kwargs):
        incidents = fake_extract(text=text, **kwargs)
        if "backwards" in text:
            # More than killed_max: the database refuses the claim.
            return [replace(incidents[0], figures=replace(incidents[0].figures, killed_min=90))]
        return incidents

    monkeypatch.setattr(extraction, "extract", extract)
    submissions = [
        *_texts(5),
        articles.TextSubmission(text="backwards: 9 killed", published=datetime.date(2016, 11, 29)),
        *_texts(6),
    ]
    results = run_tasks(lambda: articles.articles_submit_texts(submissions=submissions))
    bad = Article.objects.get(pk=results[1][0].pk)
    assert bad.status == "failed"
    assert bad.failure_reason.startswith("extraction failed: IntegrityError")
    assert bad.claims.count() == 0
    assert sorted(Article.objects.exclude(pk=bad.pk).values_list("status", flat=True)) == ["extracted", "extracted"]
    assert sorted(Incident.objects.values_list("killed_max", flat=True)) == [5, 6]


def test_the_sweep_requeues_stuck_articles_in_chunks(run_tasks, settings, chunks_sent):
    settings.INGEST_BATCH_SIZE = 2
    results = articles.articles_submit_texts(submissions=_texts(1, 2, 3))  # stored; the messages were lost
    Article.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert run_tasks(lambda: articles.articles_requeue_pending(older_than=datetime.timedelta(minutes=10))) == 3
    ids = sorted(article.pk for article, _ in results)
    assert chunks_sent == [ids[:2], ids[2:]]
    assert set(Article.objects.values_list("status", flat=True)) == {"extracted"}


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_at_submit_keeps_the_article_pending_for_the_sweep(monkeypatch):
    """Found by bench/faults/redis_kill.py: `ingest` ended in a traceback while Redis was down."""
    from kombu.exceptions import OperationalError

    from reports import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.article_extract, "delay", broker_down)
    monkeypatch.setattr(tasks.articles_extract, "delay", broker_down)
    _article, created = articles.article_submit_text(text="Shelling killed four people in Ariha on Monday.")
    assert created
    stored = articles.articles_submit_texts(
        submissions=[articles.TextSubmission(text="A second report, of a strike on a market.")]
    )
    assert not isinstance(stored[0], ValidationError)
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.PENDING}
    assert Article.objects.count() == 2


# --- Articles that arrive one at a time: a worker files the waiting ones together ---------------

on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="articles are claimed with PostgreSQL's row locks (SKIP LOCKED)",
)


def _waiting(*tolls):
    """Articles stored one at a time whose messages have not run yet (nothing commits in a test)."""
    return [articles.article_submit_text(text=s.text, published=s.published)[0] for s in _texts(*tolls)]


def test_the_waiting_articles_are_taken_oldest_first_and_filed_together():
    stored = _waiting(5, 6, 7, 8)
    assert extracting.articles_extract_waiting(limit=3) == (3, {})
    states = dict(Article.objects.values_list("pk", "status"))
    assert [states[a.pk] for a in stored] == ["extracted", "extracted", "extracted", "pending"]
    # One filing for the three: one statement marked them extracted.
    assert Article.objects.filter(status="extracted").values("updated_at").distinct().count() == 1
    assert sorted(Incident.objects.values_list("killed_max", flat=True)) == [5, 6, 7]
    assert extracting.articles_extract_waiting(limit=3) == (1, {})
    assert extracting.articles_extract_waiting(limit=3) == (0, {})
    # An article's own task, after the others took it: nothing changes.
    before = list(Claim.objects.values_list("pk", "incident_id"))
    extracting.article_extract(article_id=stored[0].pk)
    assert list(Claim.objects.values_list("pk", "incident_id")) == before


def test_an_article_that_failed_is_left_to_its_own_retry(monkeypatch):
    tried = []

    def extract(*, text, **kwargs):
        tried.append(text)
        if "13" in text:
            raise RuntimeError("engine exploded")
        return fake_extract(text=text, **kwargs)

    monkeypatch.setattr(extraction, "extract", extract)
    poison, good = _waiting(13, 5)
    taken, failures = extracting.articles_extract_waiting(limit=10)
    assert (taken, list(failures)) == (2, [poison.pk])
    poison.refresh_from_db()
    assert (poison.status, poison.failure_reason) == ("pending", "retrying: RuntimeError: engine exploded")
    assert Article.objects.get(pk=good.pk).status == "extracted"

    tried.clear()
    (later,) = _waiting(6)
    assert extracting.articles_extract_waiting(limit=10) == (1, {})
    assert tried == [later.text]


def test_without_a_worker_an_article_is_extracted_alone_in_the_request(run_tasks):
    """With no broker the task runs inside the request that stored the article: it must not take on
    every other article that waits."""
    (earlier,) = _waiting(5)
    article, _ = run_tasks(lambda: articles.article_submit_text(text="Shelling killed 6 people.", published=None))
    assert Article.objects.get(pk=article.pk).status == "extracted"
    assert Article.objects.get(pk=earlier.pk).status == "pending"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_articles_another_worker_holds_are_left_to_it(monkeypatch):
    import psycopg

    from reports import tasks

    monkeypatch.setattr(tasks.article_extract, "delay", lambda article_id: None)  # the messages wait
    held, free, other = _waiting(5, 6, 7)
    assert set(Article.objects.values_list("status", flat=True)) == {"pending"}
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or None, dbname=db["NAME"]
    )
    try:
        holder.execute("SELECT id FROM reports_article WHERE id = %s FOR UPDATE", [held.pk])
        assert extracting.articles_extract_waiting(limit=10) == (2, {})
        states = dict(Article.objects.values_list("pk", "status"))
        assert (states[held.pk], states[free.pk], states[other.pk]) == ("pending", "extracted", "extracted")
        # Its own task, while it is held: left to the holder, not waited for.
        assert extracting.articles_extract(article_ids=[held.pk]) == {}
        assert Article.objects.get(pk=held.pk).status == "pending"
    finally:
        # ROLLBACK waits for the server to release the lock; close() alone returns before the
        # backend has ended, and a busy server may still hold the row when the next line runs.
        holder.rollback()
        holder.close()
    extracting.article_extract(article_id=held.pk)
    assert set(Article.objects.values_list("status", flat=True)) == {"extracted"}
    assert Claim.objects.values("article").distinct().count() == Claim.objects.count() == 3
