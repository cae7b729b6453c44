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


def admin1_display_name(*, country: str, name: str) -> str:
    """The name readers use for a division, found by its name (any spelling the alias table knows).

    Not by its code alone: the table's keys are the names the gazetteer loader gives divisions, and
    a division named otherwise (a GeoNames dump, a test's "Division 05") keeps its own name."""
    divisions = ADMIN1_ALIASES.get(country, {})
    key = name_key(name)
    chosen = next(
        (
            geonames_name
            for geonames_name, (_code, spellings) in divisions.items()
            if key in {name_key(geonames_name), *map(name_key, spellings)}
        ),
        None,
    )
    if chosen is None:
        return plain_name(name)
    return PREFERRED.get((country, chosen)) or divisions[chosen][1][0]
