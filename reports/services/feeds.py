"""Poll RSS/Atom feeds: every new entry becomes an article submitted by URL."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reports.http import FetchError, fetch
from reports.models import Feed
from reports.services.articles import article_submit_url
from reports.services.parsing import feed_parse

logger = logging.getLogger(__name__)
MAX_ENTRIES_PER_POLL = 500


def feed_poll(*, feed_id: int) -> int:
    """Fetch the feed and submit each entry's link. Returns how many articles were new.

    A feed that cannot be fetched or parsed keeps its error in `last_error`;
    TemporaryFetchError propagates so the task retries.
    """
    feed = Feed.objects.get(pk=feed_id)
    now = timezone.now()
    try:
        page = fetch(feed.url, max_bytes=settings.HTTP_MAX_BYTES, timeout=settings.HTTP_TIMEOUT_SECONDS)
    except FetchError as error:
        Feed.objects.filter(pk=feed_id).update(last_error=str(error)[:2000], last_polled_at=now)
        raise
    parsed = feed_parse(body=page.body)
    if parsed.bozo and not parsed.entries:
        Feed.objects.filter(pk=feed_id).update(last_error="not an RSS or Atom feed", last_polled_at=now)
        return 0
    new = 0
    for entry in parsed.entries[:MAX_ENTRIES_PER_POLL]:
        link = entry.get("link")
        if not link:
            continue
        try:
            _, created = article_submit_url(url=link, feed=feed)
        except ValidationError:
            logger.info("feed %s: skipped entry with a bad link %r", feed_id, link[:200])
            continue
        new += created
    Feed.objects.filter(pk=feed_id).update(
        last_error="",
        last_polled_at=now,
        entries_seen=feed.entries_seen + new,
        title=feed.title or (parsed.feed.get("title") or "")[:500],
    )
    return new


def feeds_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Claim the active feeds whose next poll is due, and set their next poll time. Returns their ids."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Feed.objects.select_for_update(skip_locked=True)
            .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now), active=True)
            .values_list("pk", "interval_minutes")
        )
        for feed_id, interval in due:
            Feed.objects.filter(pk=feed_id).update(next_poll_at=now + datetime.timedelta(minutes=interval))
    return [feed_id for feed_id, _ in due]
