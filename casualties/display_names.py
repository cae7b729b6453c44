"""The names readers use for first-level divisions and places, beside GeoNames' own.

GeoNames names divisions as a transliteration, a French form or an administrative title
("Rif-dimashq", "Beyrouth", "Mayorality of Baghdad", "Vinnyts'ka", "Muhafazat Kirkuk") and places
with diacritics ("Ţarţūs"). The page, the charts and the exports show `display_name`; the API keeps
GeoNames' `name` and `code` beside it.

Derived, not vendored: a division's display name is the first English news spelling the
extraction engine's alias table gives it (`reports.extraction.gazetteer.aliases.ADMIN1_ALIASES`,
general knowledge written for this project), or the choice in `PREFERRED` where that first
spelling is not the one English copy uses most; a division the table does not know shows its
GeoNames name without administrative titles and diacritics. See docs/map-data.md.
"""

import re
from functools import lru_cache

from reports.extraction.gazetteer.aliases import ADMIN1_ALIASES
from reports.extraction.text import ascii_fold, name_key

# (country, GeoNames name) -> display name, where the alias table's first spelling is not the usual one.
PREFERRED: dict[tuple[str, str], str] = {
    ("SY", "Latakia"): "Latakia",
    ("SY", "Quneitra"): "Quneitra",
    ("SY", "Daraa"): "Daraa",
    ("SY", "Deir ez-Zor"): "Deir ez-Zor",
    ("SY", "Rif-dimashq"): "Rural Damascus",
    ("SY", "Tartus"): "Tartus",
    ("IQ", "Al Qadisiyah"): "Qadisiyah",
    ("IQ", "Dhi Qar"): "Dhi Qar",
    ("IQ", "Maysan"): "Maysan",
}
# Administrative titles GeoNames puts around a division's name: "Muhafazat Kirkuk", "Sha`biyat Ghat",
# "Basra Governorate", "Misto Sevastopol'".
_TITLES = re.compile(r"^(?:Muhafazat|Mayorality of|Wilayat-e|Sha[`'\u2018\u2019]biyat|Misto|Provincia de)\s+", re.I)
_TITLE_AFTER = re.compile(r"\s+(?:Governorate|Province|Oblast)$", re.I)
_QUOTES = re.compile(r"[`\u2018\u2019\u02bb\u02bc\u02be\u02bf]")


def plain_name(name: str) -> str:
    """A GeoNames name as readers write it: no administrative title, diacritics or trailing apostrophe.

    "Ţarţūs" -> "Tartus", "Muhafazat Karbala'" -> "Karbala".
    A name with no Latin letters is kept as it is.
    """
    stripped = _TITLE_AFTER.sub("", _TITLES.sub("", name.strip()))
    folded = ascii_fold(_QUOTES.sub("'", stripped)).strip().rstrip("'")
    return folded or name


def _division(country: str, name: str) -> tuple[str, tuple[str, ...]] | None:
    """The alias table's (GeoNames name, spellings) of the division a name (any of its spellings) means."""
    key = name_key(name)
    for geonames_name, (_code, spellings) in ADMIN1_ALIASES.get(country, {}).items():
        if key in {name_key(geonames_name), *map(name_key, spellings)}:
            return geonames_name, spellings
    return None


def admin1_display_name(*, country: str, name: str) -> str:
    """The name readers use for a division, found by its name (any spelling the alias table knows).

    Not by its code alone: the table's keys are the names the gazetteer loader gives divisions, and
    a division named otherwise (a GeoNames dump, a test's "Division 05") keeps its own name."""
    found = _division(country, name)
    if found is None:
        return plain_name(name)
    geonames_name, spellings = found
    return PREFERRED.get((country, geonames_name)) or spellings[0]


# An ʿayn or hamza mark opening a word ("\u2018Ayn al \u2018Arab"): English copy leaves it out ("Ayn al Arab").
_WORD_INITIAL_MARK = re.compile(r"(^|[\s-])'+")


@lru_cache(maxsize=65536)
def place_display_name(*, name: str, country: str, admin1_name: str | None = None) -> str:
    """The name readers use for a place, for the page, the charts and the exports (GeoNames' stays in the data).

    A place named as its own division, in any spelling the alias table gives the division, takes the
    division's display name: the city of Daraa ("Dar\u2018\u0101") is "Daraa", "Ar Raqqah" is "Raqqa", the oblast
    capital "Vinnytsya" is "Vinnytsia". Any other place shows GeoNames' name as `plain_name`
    writes it, without a mark opening a word: "Arīḩā" is "Ariha", "\u2018Ayn al \u2018Arab" is "Ayn al Arab".
    An empty name stays empty.
    """
    if not name:
        return name
    division = _division(country, admin1_name) if admin1_name else None
    if division is not None and name_key(name) in {name_key(division[0]), *map(name_key, division[1])}:
        return admin1_display_name(country=country, name=division[0])
    return _WORD_INITIAL_MARK.sub(r"\1", plain_name(name)) or name
