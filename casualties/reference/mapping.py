"""Their countries and first-level divisions, resolved against our gazetteer.

ACLED names a country by ISO numeric code (`iso`, older exports `iso3`) and by name;
UCDP by name only ("Yemen (North Yemen)"). Divisions are matched by name within the
country: the gazetteer's name, its aliases and its code, compared with the spelling
key the extraction engine uses (case, accents, articles, hyphens), after dropping a
trailing word for the kind of division ("Halab governorate" -> "Halab"). Names that
match nothing are counted, so the import can report them.
"""

import re
from collections import Counter

import pycountry

from casualties.models import Admin1
from reports.extraction.gazetteer.aliases import COUNTRY_NAMES
from reports.extraction.text import name_key

# Words that say what kind of division a name is, not which one.
_DIVISION_WORDS = re.compile(
    r"\s+(governorate|province|region|state|oblast|district|prefecture|department|county|muhafazah)$",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\s*\(.*?\)")
_COUNTRY_BY_NAME = {name_key(name): code for code, names in COUNTRY_NAMES.items() for name in names}


def division_key(name: str) -> str:
    """The key two spellings of one division share: 'Idlib governorate' and 'idlib' alike."""
    return name_key(_DIVISION_WORDS.sub("", name.strip()))


def country_resolve(*, code: str, name: str) -> str:
    """ISO alpha-2 for their country, from a numeric or alpha-3 code or a name; '' when unknown."""
    found = None
    if code.isdigit():
        found = pycountry.countries.get(numeric=code.zfill(3))
    elif len(code) == 3 and code.isalpha():
        found = pycountry.countries.get(alpha_3=code.upper())
    if found:
        return found.alpha_2
    plain = _PARENTHESES.sub("", name).strip()
    if not plain:
        return ""
    if by_name := _COUNTRY_BY_NAME.get(name_key(plain)):
        return by_name
    try:
        return pycountry.countries.lookup(plain).alpha_2
    except LookupError:
        return ""


class Resolver:
    """Countries and divisions for one import, each distinct spelling looked up once.

    Holds the gazetteer's divisions in memory (a few thousand worldwide) and the
    names that matched none with their row counts (`unmatched`).
    """

    def __init__(self) -> None:
        self._divisions: dict[tuple[str, str], int] = {}
        for pk, country, code, name, aliases in Admin1.objects.values_list("id", "country", "code", "name", "aliases"):
            for spelling in (code, name, *aliases):
                self._divisions.setdefault((country, division_key(str(spelling))), pk)
        self._countries: dict[tuple[str, str], str] = {}
        self._admin1: dict[tuple[str, str], int | None] = {}
        self.unmatched: Counter[str] = Counter()

    def country(self, *, code: str, name: str) -> str:
        key = (code, name)
        if key not in self._countries:
            self._countries[key] = country_resolve(code=code, name=name)
        return self._countries[key]

    def admin1_id(self, *, country: str, name: str) -> int | None:
        """The division's id, or None; not counted."""
        if not name:
            return None
        key = (country, name)
        if key not in self._admin1:
            self._admin1[key] = self._divisions.get((country, division_key(name)))
        return self._admin1[key]

    def admin1(self, *, country: str, name: str) -> int | None:
        """The division's id, or None (counted in `unmatched` as 'country|name' when a name was given)."""
        if not name:
            return None
        found = self.admin1_id(country=country, name=name)
        if found is None:
            self.unmatched[f"{country or '?'}|{name}"] += 1
        return found
