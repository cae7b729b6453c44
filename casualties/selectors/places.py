"""Find places and divisions by the names the news uses for them."""

import re
import unicodedata

from django.db.models import QuerySet

from casualties.models import Place

# Arabic article prefixes as transliterated in the news: al-Ghantu, el-Bab, ad-Dana, as-Safira.
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|az|ash|ath|adh)[-\s'\u2019]+")


def name_key(name: str) -> str:
    """Fold a place name to a search key: no diacritics, no case, no article, letters and digits only.

    "Al Ghanţū", "al-Ghantu" and "Ghantu" all give "ghantu".
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    folded = _ARTICLE.sub("", folded)
    return re.sub(r"[^a-z0-9]+", "", folded)


def place_search_keys(names: list[str]) -> str:
    """The `search_keys` value for a place known by these names."""
    keys = sorted({key for key in map(name_key, names) if key})
    return "|" + "|".join(keys) + "|" if keys else ""


def place_search(*, query: str, country: str | None = None, prefix: bool = False) -> QuerySet[Place]:
    """Places any of whose names folds to the query's key (or starts with it), most populous first."""
    key = name_key(query)
    if not key:
        return Place.objects.none()
    places = Place.objects.filter(search_keys__contains=f"|{key}" if prefix else f"|{key}|")
    if country:
        places = places.filter(country=country.upper())
    return places.select_related("admin1").order_by("-population", "id")
