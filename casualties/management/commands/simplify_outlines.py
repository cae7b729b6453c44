"""Simplify a GeoJSON file of country outlines for the dashboard's map (docs/map-data.md).

    python manage.py simplify_outlines SOURCE.geojson static/casualties/data/countries.geojson

Every ring is thinned with Douglas-Peucker at --tolerance degrees, its coordinates rounded
to --decimals places; rings that shrink to fewer than three distinct points (islets smaller
than the tolerance) are dropped, and so is a feature left with no polygon. The default
tolerance, 0.01 degree (about 1 km), is about one pixel on the map of a country the size of
Syria, the widest view the page shows closely.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

Point = list[float]


def _distance_squared_to_segment(point: Point, start: Point, end: Point) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx == 0 and dy == 0:
        return (point[0] - start[0]) ** 2 + (point[1] - start[1]) ** 2
    t = max(0.0, min(1.0, ((point[0] - start[0]) * dx + (point[1] - start[1]) * dy) / (dx * dx + dy * dy)))
    return (point[0] - start[0] - t * dx) ** 2 + (point[1] - start[1] - t * dy) ** 2


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The points of a line kept by Douglas-Peucker: no dropped point is farther than `tolerance` from the result.

    The first and last points are always kept, so a closed ring stays closed.
    """
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = -1.0, first
        for middle in range(first + 1, last):
            distance = _distance_squared_to_segment(points[middle], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, middle
        if farthest > limit:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list[Point], *, tolerance: float, decimals: int) -> list[Point] | None:
    """A closed ring thinned and rounded, repeated points removed; None when fewer than three distinct points remain."""
    rounded: list[Point] = []
    for lon, lat in douglas_peucker(ring, tolerance):
        point = [round(lon, decimals), round(lat, decimals)]
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    distinct = {tuple(point) for point in rounded}
    if len(distinct) < 3:
        return None
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded


def simplify_outlines(collection: dict[str, Any], *, tolerance: float, decimals: int) -> dict[str, Any]:
    """A FeatureCollection of (Multi)Polygons simplified; each feature keeps only its `name` property."""
    features = []
    for feature in collection["features"]:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        kept = []
        for polygon in polygons:
            outer = simplify_ring(polygon[0], tolerance=tolerance, decimals=decimals)
            if outer is None:
                continue
            holes = [simplify_ring(ring, tolerance=tolerance, decimals=decimals) for ring in polygon[1:]]
            kept.append([outer, *(hole for hole in holes if hole is not None)])
        if not kept:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": (feature.get("properties") or {}).get("name")},
                "geometry": {"type": "MultiPolygon", "coordinates": kept}
                if len(kept) > 1
                else {"type": "Polygon", "coordinates": kept[0]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


class Command(BaseCommand):
    help = "Simplify a GeoJSON file of country outlines for the dashboard's map."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("output", type=Path)
        parser.add_argument("--tolerance", type=float, default=0.01, help="degrees (default 0.01, about 1 km)")
        parser.add_argument("--decimals", type=int, default=2, help="decimal places kept (default 2)")

    def handle(self, *args, source: Path, output: Path, tolerance: float, decimals: int, **options):
        if tolerance <= 0 or decimals < 0:
            raise CommandError("--tolerance must be > 0 and --decimals >= 0")
        try:
            collection = json.loads(source.read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"{source}: {error}") from None
        simplified = simplify_outlines(collection, tolerance=tolerance, decimals=decimals)
        output.write_text(json.dumps(simplified, separators=(",", ":")))
        points = sum(
            len(ring)
            for feature in simplified["features"]
            for polygon in (
                feature["geometry"]["coordinates"]
                if feature["geometry"]["type"] == "MultiPolygon"
                else [feature["geometry"]["coordinates"]]
            )
            for ring in polygon
        )
        self.stdout.write(
            f"{len(simplified['features'])} features, {points} points, {output.stat().st_size:,} bytes -> {output}"
        )
