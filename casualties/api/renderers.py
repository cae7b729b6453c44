"""GeoJSON (RFC 7946) and CSV renderings of the API's data."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from rest_framework.renderers import BaseRenderer, JSONRenderer

from casualties.geojson import incident_feature

# Spreadsheets run cells starting with these as formulas; text from the news must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class GeoJSONRenderer(JSONRenderer):
    """A page of incidents as a FeatureCollection (with `next`/`previous` links), one incident as a Feature."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            collection = {
                "type": "FeatureCollection",
                "features": [incident_feature(item) for item in data["results"]],
                # Foreign members (RFC 7946 section 6.1): the cursor links of the page.
                "next": data.get("next"),
                "previous": data.get("previous"),
            }
            return super().render(collection, accepted_media_type, renderer_context)
        if isinstance(data, dict) and "id" in data and "location_precision" in data:
            return super().render(incident_feature(data), accepted_media_type, renderer_context)
        return super().render(data, accepted_media_type, renderer_context)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(*, header: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = 500) -> Iterator[str]:
    """CSV text: the header, then the rows, `batch` lines a chunk. Constant memory over any number of rows."""
    writer = csv.writer(_Echo())
    lines = [writer.writerow(header)]
    for row in rows:
        lines.append(writer.writerow([_cell(value) for value in row]))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


class CSVRenderer(BaseRenderer):
    """A list of flat dicts (or {"results": [...]}) as CSV, one column per key of the first row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", []) if isinstance(data, dict) else data or []
        header = list(rows[0]) if rows else []
        if renderer_context and renderer_context.get("csv_header"):
            header = renderer_context["csv_header"]
        buffer = io.StringIO()
        for line in csv_lines(header=header, rows=([row.get(key) for key in header] for row in rows)):
            buffer.write(line)
        return buffer.getvalue().encode(self.charset)
