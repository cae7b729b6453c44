"""GeoJSON (RFC 7946) of a serialized incident, for the API's renderer and the dashboard's export alike."""

from typing import Any


def incident_feature(incident: dict[str, Any]) -> dict[str, Any]:
    """A serialized incident as a GeoJSON Feature.

    The geometry is a Point ([lon, lat], RFC 7946 order) only for incidents
    located to a place; incidents located to an admin1 or a country have
    `geometry: null`, and `location_precision` in the properties says why.
    """
    properties = {key: value for key, value in incident.items() if key not in ("lat", "lon")}
    lat, lon = incident.get("lat"), incident.get("lon")
    geometry = None
    if incident.get("location_precision") == "place" and lat is not None and lon is not None:
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "id": incident["id"], "geometry": geometry, "properties": properties}
