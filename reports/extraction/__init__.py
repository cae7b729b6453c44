"""The extraction engine: an article's text and publication date in, incidents out.

Plain Python, no Django: ``extract(text=..., published=...)`` returns the
violent incidents the article reports, each a ``contract.ExtractedIncident``
(its figures, evidence span, place and dates; ``as_json()`` gives the fields of
``GUIDE.md`` plus evidence offsets, coordinates and precision markers).
"""

from __future__ import annotations

import datetime
import functools
import logging
from typing import TYPE_CHECKING

from reports.extraction.contract import ExtractedIncident
from reports.extraction.learned import version_suffix

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reports.extraction.gazetteer import Gazetteer
    from reports.extraction.learned import Model
    from reports.extraction.review import UnexplainedToll

# The release (bumped by hand) and the short hash of the committed learned model ("+m1a2b3c4"):
# a retrained model changes the version without a release.
RELEASE = "2026.12.7"
EXTRACTOR_VERSION = RELEASE + version_suffix()
# The longest text the engine reads, and so the longest article the services accept:
# news articles are a few thousand characters, and the cap bounds the worst case
# (the engine is linear below it). Longer text passed to `extract` is cut here.
MAX_TEXT_CHARS = 1_000_000

logger = logging.getLogger(__name__)

__all__ = ["EXTRACTOR_VERSION", "MAX_TEXT_CHARS", "RELEASE", "ExtractedIncident", "extract", "unexplained_tolls"]


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
    learned: bool = True,
    model: Model | None = None,
) -> list[ExtractedIncident]:
    """Incidents reported in ``text``; ``[]`` for empty, junk or casualty-free input.

    The rules find candidates; the learned layer (``model``, else the committed
    one) decides among them, unless ``learned`` is False or there is no model.
    Never raises: the engine runs on untrusted scraped text, and one bad
    article must not stop an ingestion batch. Failures are logged.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    # Loaded on first use, not at the top: Django and the services import this package at start-up
    # for EXTRACTOR_VERSION and MAX_TEXT_CHARS, and the engine's modules take about 0.1 s to load.
    from reports.extraction.assemble import run
    from reports.extraction.gazetteer import Gazetteer as _Gazetteer
    from reports.extraction.learned import default
    from reports.extraction.learned.decide import decide
    from reports.extraction.output import to_incident

    try:
        text_in = text[:MAX_TEXT_CHARS]
        day = _as_date(published, text=text_in)
        gazetteer = gazetteer or _Gazetteer.default()
        headline = title if isinstance(title, str) else None
        weights = (model or default()) if learned else None
        decider = functools.partial(decide, model=weights) if weights is not None else None
        incidents, sentences = run(text=text_in, published=day, title=headline, gazetteer=gazetteer, decide=decider)
        if not incidents:
            return []
        return [
            to_incident(
                incident=incident, text=text_in, sentences=sentences, gazetteer=gazetteer, published=day, title=headline
            )
            for incident in incidents
        ]
    except Exception:
        logger.exception("extraction failed")
        return []


def unexplained_tolls(*, text: str, incidents: Sequence[ExtractedIncident]) -> list[UnexplainedToll]:
    """Sentences with a casualty word and a number that no incident's evidence covers
    (``reports.extraction.review``; loaded on first use, as ``extract`` loads the engine)."""
    from reports.extraction.review import unexplained_tolls as _unexplained_tolls

    return _unexplained_tolls(text=text[:MAX_TEXT_CHARS], incidents=incidents)
