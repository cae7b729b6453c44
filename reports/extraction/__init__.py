"""The extraction engine: an article's text and publication date in, incidents out.

Plain Python, no Django: ``extract(text=..., published=...)`` returns the
violent incidents the article reports, each a dict with the fields of
``GUIDE.md`` plus evidence offsets, coordinates and precision markers.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.extraction.gazetteer import Gazetteer

EXTRACTOR_VERSION = "2026.11.3"
# Text beyond this size is ignored: news articles are a few thousand
# characters, and the cap bounds the worst case (the engine is linear below it).
MAX_TEXT_CHARS = 1_000_000

logger = logging.getLogger(__name__)

__all__ = ["EXTRACTOR_VERSION", "extract"]


def _as_date(published: datetime.date | str | None, *, text: str) -> datetime.date:
    if isinstance(published, datetime.datetime):
        return published.date()
    if isinstance(published, datetime.date):
        return published
    if isinstance(published, str) and published.strip():
        try:
            return datetime.date.fromisoformat(published.strip()[:10])
        except ValueError:
            pass
    # Unknown publication date: the latest full date in the text, else today.
    from reports.extraction.dates import infer_published

    return infer_published(text, today=datetime.date.today())


def extract(
    *,
    text: str,
    published: datetime.date | str | None,
    title: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[dict[str, object]]:
    """Incidents reported in ``text``; ``[]`` for empty, junk or casualty-free input.

    Never raises: the engine runs on untrusted scraped text, and one bad
    article must not stop an ingestion batch. Failures are logged.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    from reports.extraction.assemble import run
    from reports.extraction.gazetteer import Gazetteer as _Gazetteer
    from reports.extraction.output import to_dict

    try:
        text_in = text[:MAX_TEXT_CHARS]
        day = _as_date(published, text=text_in)
        gazetteer = gazetteer or _Gazetteer.default()
        headline = title if isinstance(title, str) else None
        incidents, sentences = run(text=text_in, published=day, title=headline, gazetteer=gazetteer)
        if not incidents:
            return []
        return [
            to_dict(
                incident=incident, text=text_in, sentences=sentences, gazetteer=gazetteer, published=day, title=headline
            )
            for incident in incidents
        ]
    except Exception:
        logger.exception("extraction failed")
        return []
