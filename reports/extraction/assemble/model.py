"""Incidents under construction and the per-article analysis they are built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reports.extraction.casualties import Mention, SubCount
from reports.extraction.contract import DatePrecision
from reports.extraction.dates import DateMention
from reports.extraction.gazetteer import Place
from reports.extraction.places import PlaceMention
from reports.extraction.text import Sentence
from reports.extraction.tokens import Token


@dataclass(slots=True)
class Incident:
    """An incident being assembled; ``sentences`` index ``Analysis.sentences`` (its evidence)."""

    aggregate: bool
    sentences: list[int]
    killed: list[Mention] = field(default_factory=list)
    injured: list[Mention] = field(default_factory=list)
    children: int | None = None
    women: int | None = None
    date_first: date | None = None
    date_last: date | None = None
    date_precision: DatePrecision = DatePrecision.PUBLISHED
    place: PlaceMention | None = None
    extra_killed: int = 0  # "two soldiers were also killed": added to every killed figure
    later_killed: int = 0  # "two more died of their wounds": raises the final toll only
    admin1: tuple[str, str] | None = None
    country: str | None = None
    paragraph: int = 0
    # The places a toll told over several of them covers ("killed 130 in A and in B"): a total whose
    # parts may follow, pinned to none of them.
    spread: tuple[str, ...] = ()
    # Set on the parts of a total the sum check left out ("44 killed: 37 in A and 7 in B"): the
    # same mark on two incidents says the article itemised them as separate events.
    parts_of: int | None = None
    # Told of a whole country ("300 civilians have been killed in Syria"): no division of its own to
    # borrow from the story's other places.
    country_wide: bool = False
    confidence: float | None = None  # set by the learned layer; None when the rules decided alone
    # A whole war's toll with no stated period ("the conflict has killed 16,000"): background (GUIDE),
    # kept while the story is read so that later sentences retelling it join it, then left out.
    background: bool = False


@dataclass(slots=True)
class Analysis:
    """Everything read from one article, keyed by sentence index.

    ``country_weight`` ranks the countries the article is about;
    ``article_admin1s`` are the (country, code) divisions it names.
    """

    sentences: list[Sentence]
    tokens: dict[int, list[Token]]
    mentions: dict[int, tuple[list[Mention], list[SubCount]]]
    places: dict[int, list[PlaceMention]]
    dates: dict[int, list[DateMention]]
    country_weight: dict[str, float]
    article_admin1s: set[tuple[str, str]]
    named: dict[int, set[str]]
    capital: Place | None = None
