"""The life of an article: submitted (as a URL or as text), fetched, then extracted and filed
(`reports.services.extracting`).

Each step is one transaction and leaves the article in a state the next step
(or the sweep) can resume from: a crash between steps delays work, never loses
it, and a step run twice changes nothing the second time. Many texts at once
(a folder, a JSON Lines file, the sweep) are stored in one transaction and
queued for extraction in chunks, since a transaction and a queue message per
article cost more than extracting it.
"""

import datetime
import hashlib
import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reports.extraction import MAX_TEXT_CHARS
from reports.http import FetchError, TemporaryFetchError, fetch
from reports.models import Article, Feed, Source
from reports.services.parsing import page_parse
from reports.services.queueing import (
    article_extraction_enqueue,
    article_fetch_enqueue,
    articles_extraction_enqueue,
    id_chunks,
)

logger = logging.getLogger(__name__)

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid")


def url_canonical(url: str) -> str:
    """The form of `url` used to recognise the same article: no fragment, no tracking parameters,
    lower-case scheme and host (an IPv6 literal compressed, in its brackets), no default port.
    Raises ValidationError for anything but http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"not an http(s) URL: {url[:200]!r}")
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal, which urlsplit gives without its brackets
        try:
            host = f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError as error:
            raise ValidationError(f"invalid IPv6 address in URL: {url[:200]!r}") from error
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


def sources_for(*, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Source | None]:
    """source_for for many (name, domain) pairs: the named sources known already come in one query."""
    names = {name.strip()[:200] for name, _ in keys if name.strip()}
    known = {source.name: source for source in Source.objects.filter(name__in=names)} if names else {}
    return {
        (name, domain): known.get(name.strip()[:200]) or source_for(name=name, domain=domain) for name, domain in keys
    }


def article_submit_url(
    *,
    url: str,
    feed: Feed | None = None,
    title: str = "",
    published: datetime.date | None = None,
    source_name: str = "",
) -> tuple[Article, bool]:
    """Accept a URL for ingestion. Returns (article, created); a URL seen before is not fetched again.

    `title`, `published` and `source_name` (typed by whoever submits it) stand until the fetch:
    the page's own title and date replace them when it has them; the outlet stays.
    """
    canonical = url_canonical(url)
    with transaction.atomic():
        defaults = {"feed": feed, "title": title.strip()[:1000], "published_at": _midnight(published)}
        if source_name.strip():
            defaults["source"] = source_for(name=source_name)
        article, created = Article.objects.get_or_create(url=canonical, defaults=defaults)
        if created:
            article_fetch_enqueue(article_id=article.pk)
    return article, created


@dataclass(frozen=True)
class TextSubmission:
    """An article's text as it arrives from a file, a feed or the API, before it is checked."""

    text: str
    title: str = ""
    published: datetime.date | None = None
    source_name: str = ""
    url: str | None = None


def _checked(submission: TextSubmission) -> tuple[str | None, str]:
    """(canonical URL, text digest) of a submission. Raises ValidationError for empty,
    oversized or binary text or a bad URL."""
    text = submission.text
    if not text or not text.strip():
        raise ValidationError("the article has no text")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"the article is longer than {MAX_TEXT_CHARS} characters")
    if "\x00" in text:
        raise ValidationError("the article text holds NUL characters: binary data, not text")
    return (url_canonical(submission.url) if submission.url else None), text_sha256(text)


def _new_article(submission: TextSubmission, canonical: str | None, digest: str, source: Source | None) -> Article:
    return Article(
        url=canonical,
        title=submission.title.strip()[:1000],
        text=submission.text,
        text_sha256=digest,
        published_at=_midnight(submission.published),
        source=source,
    )


def _source_domain(canonical: str | None) -> str:
    return (urlsplit(canonical).hostname or "") if canonical else ""


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
    submission = TextSubmission(text=text, title=title, published=published, source_name=source_name, url=url)
    canonical, digest = _checked(submission)
    with transaction.atomic():
        existing = Article.objects.filter(text_sha256=digest).first()
        if existing is None and canonical:
            existing = Article.objects.filter(url=canonical).first()
        if existing:
            return existing, False
        article = _new_article(
            submission, canonical, digest, source_for(name=source_name, domain=_source_domain(canonical))
        )
        article.save()
        article_extraction_enqueue(article_id=article.pk)
    return article, True


def articles_submit_texts(*, submissions: Sequence[TextSubmission]) -> list[tuple[Article, bool] | ValidationError]:
    """Accept many articles' texts at once (a folder, a JSON Lines file): article_submit_text for each,
    in one transaction, with their extraction queued in chunks of INGEST_BATCH_SIZE.

    Returns, in the order of `submissions`, (article, created) or the ValidationError
    that refused that one; a refused submission does not stop the others. A text
    (or URL) seen before, or earlier in the same call, gives the existing article.
    """
    results: list[tuple[Article, bool] | ValidationError | None] = [None] * len(submissions)
    checked: list[tuple[int, TextSubmission, str | None, str]] = []
    for index, submission in enumerate(submissions):
        try:
            checked.append((index, submission, *_checked(submission)))
        except ValidationError as error:
            results[index] = error
    if checked:
        try:
            with transaction.atomic():
                _store_many(checked, results)
        except IntegrityError:
            # Another process stored one of these texts or URLs meanwhile: take them one by one,
            # each finding what the other stored.
            for index, submission, _, _ in checked:
                results[index] = article_submit_text(
                    text=submission.text,
                    title=submission.title,
                    published=submission.published,
                    source_name=submission.source_name,
                    url=submission.url,
                )
    return results  # type: ignore[return-value]


def _store_many(
    checked: list[tuple[int, TextSubmission, str | None, str]],
    results: list[tuple[Article, bool] | ValidationError | None],
) -> None:
    """Store the checked submissions that are new, in one INSERT, and queue their extraction."""
    by_digest = {
        a.text_sha256: a for a in Article.objects.filter(text_sha256__in=[c[3] for c in checked]).defer("text")
    }
    urls = [c[2] for c in checked if c[2]]
    by_url = {a.url: a for a in Article.objects.filter(url__in=urls).defer("text")} if urls else {}
    sources = sources_for(keys={(c[1].source_name, _source_domain(c[2])) for c in checked})
    new: list[Article] = []
    for index, submission, canonical, digest in checked:
        existing = by_digest.get(digest) or (by_url.get(canonical) if canonical else None)
        if existing is not None:
            results[index] = (existing, False)
            continue
        source = sources[submission.source_name, _source_domain(canonical)]
        article = _new_article(submission, canonical, digest, source)
        by_digest[digest] = article
        if canonical:
            by_url[canonical] = article
        new.append(article)
        results[index] = (article, True)
    if new:
        Article.objects.bulk_create(new)
        articles_extraction_enqueue(article_ids=[article.pk for article in new])


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
        article_extraction_enqueue(article_id=article.pk)


def article_reference_date(*, article: Article) -> datetime.date:
    """The date relative dates in the text resolve against: publication, else when we received it."""
    return (article.published_at or article.created_at).date()


def articles_requeue_pending(*, older_than: datetime.timedelta) -> int:
    """Queue again every article pending for longer than `older_than`: the broker may have lost it.

    Returns how many were queued. Articles with text go back to extraction in
    chunks of INGEST_BATCH_SIZE, articles still to fetch one by one. The steps
    are idempotent, so a message that was only slow is harmless when it arrives too.
    """
    cutoff = timezone.now() - older_than
    stuck = list(
        Article.objects.filter(status=Article.Status.PENDING, updated_at__lt=cutoff).values_list("pk", "text_sha256")
    )
    for chunk in id_chunks([pk for pk, _ in stuck], 1000):
        # Touch them so the next sweep waits a full period before queueing them again.
        Article.objects.filter(pk__in=chunk).update(updated_at=timezone.now())
    articles_extraction_enqueue(article_ids=[pk for pk, digest in stuck if digest])
    for article_id, digest in stuck:
        if not digest:
            article_fetch_enqueue(article_id=article_id)
    return len(stuck)
