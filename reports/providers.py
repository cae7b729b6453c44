"""What reports needs from the app that keeps the record, and where that app registers it.

Imports run one way: casualties imports reports, never the reverse. So reports
says here what it needs, as protocols, and `casualties` hands over its
implementations in `CasualtiesConfig.ready()` (`casualties/apps.py`):

- an incident filer, which files what the engine found in a batch of articles
  (`casualties.services.filing.articles_file_incidents`);
- a gazetteer provider, which gives the engine a gazetteer built from the
  database, or None when the engine's own package data is the same
  (`casualties.selectors.places.gazetteer_for_extraction`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from reports.extraction.contract import ExtractedIncident
    from reports.extraction.gazetteer import Gazetteer
    from reports.models import Article


class IncidentFiler(Protocol):
    def __call__(
        self, *, batch: Sequence[tuple[Article, Sequence[ExtractedIncident]]], extractor_version: str
    ) -> object:
        """Replace each article's claims with claims for its incidents, in one transaction."""


class GazetteerProvider(Protocol):
    def __call__(self) -> Gazetteer | None:
        """The gazetteer the engine should use; None for the engine's own."""


@dataclass(frozen=True)
class _Providers:
    filer: IncidentFiler
    gazetteer: GazetteerProvider


_registered: list[_Providers] = []


def providers_register(*, filer: IncidentFiler, gazetteer: GazetteerProvider) -> None:
    """Called once at start-up, by the app that keeps the record; a second call replaces the first."""
    _registered[:] = [_Providers(filer=filer, gazetteer=gazetteer)]


def _providers() -> _Providers:
    if not _registered:
        raise ImproperlyConfigured(
            "reports has no incident filer or gazetteer provider: the app that registers them "
            "('casualties', in CasualtiesConfig.ready()) is not in INSTALLED_APPS"
        )
    return _registered[0]


def incident_filer() -> IncidentFiler:
    return _providers().filer


def gazetteer_provider() -> GazetteerProvider:
    return _providers().gazetteer
