"""`python manage.py load_boundaries FILE.geojson [--country SY] [--property NAME]`: store first-level boundaries.

Each Polygon or MultiPolygon feature is matched to an Admin1 by a property's value
against the division's code, name or aliases (folded: case, diacritics and "al-"
do not matter), and its geometry is stored on Admin1.boundary for the dashboard's
map shading. All matched boundaries are saved in one transaction; features that
match nothing are listed. A file that is not GeoJSON, or has a bad geometry, is
an error naming the feature, and nothing is saved.
"""

import json
import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from casualties.models import Admin1
from casualties.selectors.places import name_key

# Properties that name a first-level division in common boundary datasets
# (geoBoundaries, GADM, OCHA/HDX CODs, Natural Earth admin-1).
NAME_PROPERTIES = ("shapeName", "ADM1_EN", "NAME_1", "admin1Name_en", "admin1Name", "name_en", "name", "NAME")
COORDINATE_DECIMALS = 5  # about a metre: finer is noise for a governorate outline


class BoundaryError(ValueError):
    """A feature that cannot be stored, with the reason."""


def _check_ring(ring: Any, where: str) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryError(f"{where}: a linear ring needs at least 4 positions")
    cleaned = []
    for position in ring:
        if not isinstance(position, list) or len(position) < 2:
            raise BoundaryError(f"{where}: a position must be [lon, lat]")
        lon, lat = position[0], position[1]
        if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in (lon, lat)):
            raise BoundaryError(f"{where}: coordinates must be numbers")
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise BoundaryError(f"{where}: coordinate out of range ({lon}, {lat}); expected [lon, lat] in degrees")
        cleaned.append([round(float(lon), COORDINATE_DECIMALS), round(float(lat), COORDINATE_DECIMALS)])
    if cleaned[0] != cleaned[-1]:
        raise BoundaryError(f"{where}: a linear ring must end where it starts")
    return cleaned


def clean_geometry(geometry: Any, where: str) -> dict[str, Any]:
    """A validated copy of a Polygon or MultiPolygon geometry, coordinates rounded. Raises BoundaryError."""
    if not isinstance(geometry, dict):
        raise BoundaryError(f"{where}: no geometry")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise BoundaryError(f"{where}: a Polygon needs at least one ring")
        return {"type": kind, "coordinates": [_check_ring(ring, where) for ring in coordinates]}
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise BoundaryError(f"{where}: a MultiPolygon needs at least one polygon")
        polygons = []
        for polygon in coordinates:
            if not isinstance(polygon, list) or not polygon:
                raise BoundaryError(f"{where}: a polygon needs at least one ring")
            polygons.append([_check_ring(ring, where) for ring in polygon])
        return {"type": kind, "coordinates": polygons}
    raise BoundaryError(f"{where}: geometry type {kind!r} is not a Polygon or MultiPolygon")


def read_features(path: Path) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection (or a single Feature). Raises CommandError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text; GeoJSON is UTF-8") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        return data["features"]
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    if isinstance(data, dict) and data.get("type") == "Topology":
        raise CommandError(f"{path}: this is TopoJSON; convert it to GeoJSON first (see docs/map-data.md)")
    raise CommandError(f"{path}: expected a GeoJSON FeatureCollection")


class Command(BaseCommand):
    help = "Store first-level boundaries (governorates, provinces) from a GeoJSON file on the matching Admin1 rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE.geojson")
        parser.add_argument("--country", help="ISO 3166-1 alpha-2: match only this country's divisions")
        parser.add_argument(
            "--property",
            help=f"The feature property holding the division's name or code (default: the first of "
            f"{', '.join(NAME_PROPERTIES)} present)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Match and check, but save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        features = read_features(options["file"])
        country = (options.get("country") or "").upper() or None
        if country and (len(country) != 2 or not country.isalpha()):
            raise CommandError(f"--country must be an ISO 3166-1 alpha-2 code, not {options['country']!r}")
        divisions = Admin1.objects.all()
        if country:
            divisions = divisions.filter(country=country)
        index: dict[str, list[Admin1]] = {}
        for division in divisions:
            keys = {division.code.casefold(), name_key(division.name)}
            keys |= {name_key(str(alias)) for alias in division.aliases or []}
            for key in keys - {""}:
                index.setdefault(key, []).append(division)
        if not index:
            where = f" for country {country}" if country else ""
            raise CommandError(f"No first-level divisions in the database{where}: load the gazetteer first")

        matched: dict[int, tuple[Admin1, dict[str, Any]]] = {}
        unmatched: list[str] = []
        for number, feature in enumerate(features, start=1):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise CommandError(f"Feature {number}: not a GeoJSON Feature")
            properties = feature.get("properties") or {}
            prop = options.get("property")
            if prop:
                if prop not in properties:
                    raise CommandError(f"Feature {number}: no property {prop!r} (it has: {', '.join(properties)})")
                value = properties[prop]
            else:
                value = next((properties[name] for name in NAME_PROPERTIES if properties.get(name)), None)
                if value is None:
                    raise CommandError(
                        f"Feature {number}: no name property ({', '.join(NAME_PROPERTIES)}); use --property"
                    )
            label = str(value)
            where = f"Feature {number} ({label})"
            try:
                geometry = clean_geometry(feature.get("geometry"), where)
            except BoundaryError as error:
                raise CommandError(str(error)) from None
            candidates = index.get(label.casefold(), []) or index.get(name_key(label), [])
            unique = {division.pk: division for division in candidates}
            if not unique:
                unmatched.append(label)
                continue
            if len(unique) > 1:
                names = ", ".join(sorted(str(division) for division in unique.values()))
                raise CommandError(f"{where}: matches several divisions ({names}); pass --country")
            division = next(iter(unique.values()))
            if division.pk in matched:
                raise CommandError(f"{where}: {division} already matched an earlier feature")
            matched[division.pk] = (division, geometry)

        if not matched:
            raise CommandError(
                f"None of the {len(features)} features matched a division"
                + (f" of {country}" if country else "")
                + f" (first ones: {', '.join(unmatched[:5])})"
            )
        if not options["dry_run"]:
            with transaction.atomic():
                for division, geometry in matched.values():
                    division.boundary = geometry
                    division.save(update_fields=["boundary"])
        verb = "Would store" if options["dry_run"] else "Stored"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(matched)} boundaries."))
        if unmatched:
            self.stderr.write(f"{len(unmatched)} feature(s) matched no division: {', '.join(unmatched)}")
