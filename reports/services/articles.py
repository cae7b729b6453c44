"""The life of an article: submitted (as a URL or as text), fetched, extracted, filed.

Each step is one transaction and leaves the article in a state the next step
(or the sweep) can resume from: a crash between steps delays work, never loses
it, and a step run twice changes nothing the second time.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from reports import extraction
from reports.http import FetchError, TemporaryFetchError, fetch
from reports.models import Article, Feed, Source
from reports.services.parsing import page_parse

logger = logging.getLogger(__name__)

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid")
MAX_TEXT_CHARS = 5_000_000


def url_canonical(url: str) -> str:
    """The form of `url` used to recognise the same article: no fragment, no tracking parameters,
    lower-case scheme and host, no default port. Raises ValidationError for anything but http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"not an http(s) URL: {url[:200]!r}")
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError as error:
        raise ValidationError(f"invalid port in URL: {url[:200]!r}") from error
    default_port = {"http": 80, "https": 443}[parts.scheme.lower()]
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(_TRACKING_PARAMS)
        ]
    )
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_for(*, name: str = "", domain: str = "") -> Source | None:
    """The source by name, else by web domain, created when new."""
    name, domain = name.strip()[:200], domain.lower().removeprefix("www.")[:253]
    if not name and not domain:
        return None
    if not name:
        existing = Source.objects.filter(domain=domain).order_by("id").first()
        if existing:
            return existing
        name = domain
    source, _ = Source.objects.get_or_create(name=name, defaults={"domain": domain})
    return source


def _enqueue(task_name: str, article_id: int) -> None:
    # Imported here: tasks import this module.
    from reports import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(article_id))


def article_submit_url(*, url: str, feed: Feed | None = None) -> tuple[Article, bool]:
    """Accept a URL for ingestion. Returns (article, created); a URL seen before is not fetched again."""
    canonical = url_canonical(url)
    with transaction.atomic():
        article, created = Article.objects.get_or_create(url=canonical, defaults={"feed": feed})
        if created:
            _enqueue("article_fetch", article.pk)
    return article, created


def article_submit_text(
    *,
    text: str,
    title: str = "",
    published: datetime.date | None = None,
    source_name: str = "",
    url: str | None = None,
) -> tuple[Article, bool]:
    """Accept an article's text for extraction. Returns (article, created).

    The same text (or URL) submitted again returns the existing article and
    changes nothing. Raises ValidationError for empty or oversized text or a bad URL.
    """
    if not text or not text.strip():
        raise ValidationError("the article has no text")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"the article is longer than {MAX_TEXT_CHARS} characters")
    if "\x00" in text:
        raise ValidationError("the article text holds NUL characters: binary data, not text")
    canonical = url_canonical(url) if url else None
    digest = text_sha256(text)
    with transaction.atomic():
        existing = Article.objects.filter(text_sha256=digest).first()
        if existing is None and canonical:
            existing = Article.objects.filter(url=canonical).first()
        if existing:
            return existing, False
        article = Article.objects.create(
            url=canonical,
            title=title.strip()[:1000],
            text=text,
            text_sha256=digest,
            published_at=_midnight(published),
            source=source_for(name=source_name, domain=(urlsplit(canonical).hostname or "") if canonical else ""),
        )
        _enqueue("article_extract", article.pk)
    return article, True


def _midnight(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def article_fail(*, article_id: int, reason: str) -> None:
    """Record a permanent failure, unless the article already reached a final state."""
    Article.objects.filter(pk=article_id, status=Article.Status.PENDING).update(
        status=Article.Status.FAILED,
        failure_reason=reason[:2000] or "unknown error",
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )


def article_fetch(*, article_id: int) -> None:
    """Fetch and parse a URL article, then queue its extraction.

    FetchError (refused, not an article) marks it failed with the reason;
    TemporaryFetchError propagates so the task retries with backoff.
    """
    article = Article.objects.filter(pk=article_id, status=Article.Status.PENDING, text_sha256__isnull=True).first()
    if article is None or not article.url:
        return  # fetched already, or final: a redelivered message has nothing left to do
    Article.objects.filter(pk=article_id).update(attempts=F("attempts") + 1)
    try:
        page = fetch(article.url, max_bytes=settings.HTTP_MAX_BYTES, timeout=settings.HTTP_TIMEOUT_SECONDS)
        parsed = page_parse(page=page)
    except TemporaryFetchError:
        raise
    except FetchError as error:
        article_fail(article_id=article_id, reason=str(error))
        return
    digest = text_sha256(parsed.text)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.status != Article.Status.PENDING or article.text_sha256:
            return
        original = Article.objects.filter(text_sha256=digest).exclude(pk=article_id).first()
        if original:
            article.status, article.duplicate_of = Article.Status.DUPLICATE, original
            article.save(update_fields=["status", "duplicate_of", "updated_at"])
            return
        article.text, article.text_sha256 = parsed.text, digest
        article.title = parsed.title or article.title
        article.published_at = _midnight(parsed.published) or article.published_at
        article.fetched_at = timezone.now()
        article.language = parsed.language
        if article.source_id is None:
            feed_source = article.feed.source if article.feed_id else None
            article.source = feed_source or source_for(name=parsed.site_name, domain=urlsplit(page.url).hostname or "")
        article.save()
        _enqueue("article_extract", article.pk)


@cache
def _hook(path: str) -> Callable[..., Any]:
    return import_string(path)


def article_reference_date(*, article: Article) -> datetime.date:
    """The date relative dates in the text resolve against: publication, else when we received it."""
    return (article.published_at or article.created_at).date()


def article_extract(*, article_id: int) -> None:
    """Run the extraction engine on the article and file what it found, in one transaction.

    Re-running with the same extractor version does nothing; with a new version
    the article's claims are replaced atomically by the filer.
    """
    article = Article.objects.filter(pk=article_id, text_sha256__isnull=False).first()
    if article is None or article.status in (Article.Status.FAILED, Article.Status.DUPLICATE):
        return
    if article.status == Article.Status.EXTRACTED and article.extractor_version == extraction.EXTRACTOR_VERSION:
        return
    published = article_reference_date(article=article)
    gazetteer = _hook(settings.REPORTS_GAZETTEER_PROVIDER)()
    incidents = extraction.extract(
        text=article.text, published=published, title=article.title or None, gazetteer=gazetteer
    )
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.status == Article.Status.EXTRACTED and article.extractor_version == extraction.EXTRACTOR_VERSION:
            return
        _hook(settings.REPORTS_INCIDENT_FILER)(
            article=article, incidents=incidents, extractor_version=extraction.EXTRACTOR_VERSION
        )
        article.status = Article.Status.EXTRACTED
        article.failure_reason = ""
        article.extractor_version = extraction.EXTRACTOR_VERSION
        article.attempts = F("attempts") + 1
        article.save(update_fields=["status", "failure_reason", "extractor_version", "attempts", "updated_at"])


def articles_requeue_pending(*, older_than: datetime.timedelta) -> int:
    """Queue again every article pending for longer than `older_than`: the broker may have lost it.

    Returns how many were queued. The steps are idempotent, so a message that
    was only slow is harmless when it arrives too.
    """
    cutoff = timezone.now() - older_than
    stuck = list(
        Article.objects.filter(status=Article.Status.PENDING, updated_at__lt=cutoff).values_list("pk", "text_sha256")
    )
    for article_id, digest in stuck:
        # Touch it so the next sweep waits a full period before queueing it again.
        Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
        _enqueue("article_extract" if digest else "article_fetch", article_id)
    return len(stuck)
