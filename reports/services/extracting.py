"""Extract and file articles, many to a task: the engine per article, the filing in one transaction.

Extraction is a few milliseconds an article; a transaction, a commit and a
queue message each cost as much again, so articles travel in chunks
(INGEST_BATCH_SIZE) and a chunk is filed in one transaction, with the article
rows locked so that a redelivered message, the sweep or another worker cannot
file one twice. Articles that arrive one at a time (the API, feeds, URLs) are
gathered into chunks by the worker: one task takes all those that wait
(`articles_extract_waiting`). One bad article cannot hold up or half-write
the rest: an extraction that crashes leaves that article out, and a filing
that fails is rolled back whole and redone article by article, each on its
own. The articles that still fail are handed back to the caller, which
retries them alone.

Each article filed is also marked as needing review or not, with the reasons
(`reports.services.review`), in the transaction that files its claims; the
counts are logged a chunk at a time.
"""

import logging
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from reports import extraction
from reports.extraction.contract import ExtractedIncident
from reports.models import Article
from reports.providers import gazetteer_provider, incident_filer
from reports.services.articles import article_reference_date
from reports.services.review import ReviewReason, article_review_reasons, review_counts

if TYPE_CHECKING:
    from reports.extraction.gazetteer import Gazetteer

logger = logging.getLogger(__name__)

_SKIPPED = (Article.Status.FAILED, Article.Status.DUPLICATE)


@dataclass(frozen=True)
class _Reading:
    """What the engine found in one article, and why the article needs review (none: it does not)."""

    incidents: list[ExtractedIncident]
    reasons: list[ReviewReason]


def _done(article: Article, version: str) -> bool:
    return article.status in _SKIPPED or (
        article.status == Article.Status.EXTRACTED and article.extractor_version == version
    )


def articles_extract(*, article_ids: Sequence[int]) -> dict[int, Exception]:
    """Run the extraction engine on these articles and file what it found.

    Articles already extracted with this extractor version, failed or duplicate
    are left alone; with a new version an article's claims are replaced
    atomically. Returns the articles that could not be done, with the error
    (the engine crashed on it, or its filing failed); the others are
    `extracted` when this returns, and those that failed keep the reason on
    the article while they wait for their retry.

    On PostgreSQL the articles are locked for the whole run, one transaction,
    and any that another worker holds are left to it, so two workers never
    extract the same article.
    """
    return _claim_and_run(article_ids, waiting=0)[1]


def articles_extract_waiting(*, limit: int) -> tuple[int, dict[int, Exception]]:
    """Extract and file, together, up to `limit` articles that wait: stored one at a time
    (the API, feeds, URLs), not yet extracted, and not failed before (those are retried
    alone, with backoff). Oldest first; on PostgreSQL, none another worker holds.

    Returns how many were taken (`limit` means more may wait) and the failures.
    """
    return _claim_and_run((), waiting=limit)


def _claim_and_run(article_ids: Sequence[int], *, waiting: int) -> tuple[int, dict[int, Exception]]:
    # PostgreSQL: the rows stay locked until the run commits (SKIP LOCKED leaves another worker's to it).
    # SQLite takes no row locks and has one writer at a time: no transaction is held open while the engine runs.
    locking = connection.features.has_select_for_update_skip_locked
    with transaction.atomic() if locking else nullcontext():
        pending = Article.objects.filter(status=Article.Status.PENDING, text_sha256__isnull=False, failure_reason="")
        claimed = [
            *_claimable(Article.objects.filter(pk__in=article_ids)),
            *(_claimable(pending.exclude(pk__in=article_ids))[:waiting] if waiting else ()),
        ]
        return len(claimed), (_extract_and_file(claimed) if claimed else {})


def _claimable(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Their ids, oldest first, less those another transaction holds (locked till commit; no-op on SQLite)."""
    return articles.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)


def _extract_and_file(article_ids: Sequence[int]) -> dict[int, Exception]:
    version = extraction.EXTRACTOR_VERSION
    todo = (
        Article.objects.filter(pk__in=article_ids, text_sha256__isnull=False)
        .exclude(status__in=_SKIPPED)
        .exclude(status=Article.Status.EXTRACTED, extractor_version=version)
        .only("pk", "text", "title", "published_at", "created_at")
        .order_by("pk")
    )
    failures: dict[int, Exception] = {}
    found: dict[int, _Reading] = {}
    threshold = settings.EXTRACTION_REVIEW_THRESHOLD
    gazetteer: Gazetteer | None = None
    asked = False
    # A few rows at a time: articles may be up to extraction.MAX_TEXT_CHARS characters each.
    for article in todo.iterator(chunk_size=8):
        if not asked:  # once a chunk, and only when there is work (None is an answer: the engine's own)
            gazetteer, asked = gazetteer_provider()(), True
        try:
            incidents = extraction.extract(
                text=article.text,
                published=article_reference_date(article=article),
                title=article.title or None,
                gazetteer=gazetteer,
            )
            reasons = article_review_reasons(text=article.text, incidents=incidents, threshold=threshold)
            found[article.pk] = _Reading(incidents=incidents, reasons=reasons)
        except Exception as error:  # noqa: BLE001 - any crash of the engine fails this article alone
            failures[article.pk] = error
    if found:
        try:
            _file(found, version)
        except Exception as error:  # noqa: BLE001 - a bad article must not fail the others: try them alone
            if len(found) == 1:
                failures.update(dict.fromkeys(found, error))
            else:
                logger.warning("filing %d articles together failed (%s); filing them one by one", len(found), error)
                for article_id, reading in found.items():
                    try:
                        _file({article_id: reading}, version)
                    except Exception as single_error:  # noqa: BLE001 - handed back to the caller with the article
                        failures[article_id] = single_error
    for article_id, error in failures.items():
        Article.objects.filter(pk=article_id, status=Article.Status.PENDING).update(
            failure_reason=f"retrying: {type(error).__name__}: {error}"[:2000]
        )
    return failures


def _file(found: Mapping[int, _Reading], version: str) -> None:
    """File the engine's output for these articles in one transaction, with their rows locked,
    and mark those that need review with the reasons."""
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        locked = (
            Article.objects.select_for_update()
            .filter(pk__in=list(found))
            .only("pk", "status", "extractor_version")
            .order_by("pk")
        )
        batch = [(article, found[article.pk].incidents) for article in locked if not _done(article, version)]
        if not batch:
            return  # filed meanwhile by another delivery of the same articles
        incident_filer()(batch=batch, extractor_version=version)
        filed = [article.pk for article, _ in batch]
        Article.objects.filter(pk__in=filed).update(
            status=Article.Status.EXTRACTED,
            failure_reason="",
            extractor_version=version,
            attempts=F("attempts") + 1,
            needs_review=False,
            review_reasons=[],
            updated_at=timezone.now(),
        )
        flagged = [
            Article(pk=pk, needs_review=True, review_reasons=[reason.as_json() for reason in found[pk].reasons])
            for pk in filed
            if found[pk].reasons
        ]
        if flagged:
            Article.objects.bulk_update(flagged, ["needs_review", "review_reasons"])
    counts = review_counts([reason.kind for reason in found[pk].reasons] for pk in filed)
    logger.info("filed %d articles: %s", len(filed), counts)


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the disk.

    Claims are derived data: a database crash in the instant after such a commit can
    lose the chunk, never half of it (the WAL is still atomic and in order), and the
    articles are then pending again, so the sweep files them again. Waiting for the
    disk was a large share of filing a chunk while the disk was busy.
    What came in (the articles themselves) and analysts' work commit as usual.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def article_extract(*, article_id: int) -> None:
    """Extract and file one article; raises what made it fail (the task retries it)."""
    failures = articles_extract(article_ids=[article_id])
    if article_id in failures:
        raise failures[article_id]
