"""Clusters with counts at low zoom that add up to the table (issue 18), and the map's `view` after a zoom:
clusters split and more towns are named as the view narrows; the view never filters."""

import math
import random
import re

import pytest

from casualties.charts.maps import bubble_size, cluster_size, mercator_y
from casualties.models import Incident
from casualties.selectors.map import CLUSTER_OVERLAP, cluster_points, incident_map_data
from tests.factories import Admin1Factory, IncidentFactory, PlacedIncidentFactory, SearchablePlaceFactory

pytestmark = pytest.mark.django_db


def point(pk: int, lat: float, lon: float, killed: int | None = 1) -> dict:
    return {"id": pk, "lat": lat, "lon": lon, "killed": killed}


def test_points_whose_circles_would_cover_each_other_are_one_cluster_and_each_point_is_counted_once():
    points = [point(1, 35.90, 36.60, 10), point(2, 35.95, 36.65, 3), point(3, 35.92, 36.58, None), point(4, 33.5, 36.3)]
    # 100 pixels a degree: the first three are 2-7 pixels apart, the fourth 250 pixels away.
    alone, clusters = cluster_points(points, pixel=0.01)
    assert [p["id"] for p in alone] == [4]
    (cluster,) = clusters
    assert sorted(member[0] for member in cluster["members"]) == [1, 2, 3]
    assert (cluster["incidents"], cluster["killed"]) == (3, 13)  # an unknown toll adds nothing
    extent = (cluster["min_lat"], cluster["max_lat"], cluster["min_lon"], cluster["max_lon"])
    assert extent == (35.90, 35.95, 36.58, 36.65)
    # Zoomed in (10,000 pixels a degree) they are hundreds of pixels apart: no cluster.
    alone, clusters = cluster_points(points, pixel=0.0001)
    assert (len(alone), clusters) == (4, [])


def test_small_circles_stay_apart_where_large_ones_would_cluster():
    # 25 pixels apart: two 40 px circles (the largest tolls) cover each other, two 6 px circles do not.
    large = [point(1, 35.0, 36.0, 100), point(2, 35.0, 36.25, 100)]
    assert cluster_points(large, pixel=0.01)[1]
    small = [point(1, 35.0, 36.0, 100), point(2, 35.0, 36.25, 0), point(3, 35.0, 36.5, 0)]
    alone, clusters = cluster_points(small, pixel=0.01)
    assert ([p["id"] for p in alone], clusters) == ([1, 2, 3], [])


def test_incidents_at_one_place_stay_one_cluster_at_any_zoom():
    points = [point(pk, 34.5, 69.2) for pk in range(1, 4)]
    _alone, (cluster,) = cluster_points(points, pixel=0.000001)
    assert cluster["incidents"] == 3


def test_distance_is_measured_on_the_screen_mercator_stretches_latitudes_far_north():
    # 0.15 degrees of latitude apart, 40 px circles, 0.006 degrees a pixel: 25 px apart at the equator (they
    # cover each other), 50 px at 60 N (they do not).
    assert cluster_points([point(1, 0.0, 10.0), point(2, 0.15, 10.0)], pixel=0.006)[1]
    assert not cluster_points([point(1, 60.0, 10.0), point(2, 60.15, 10.0)], pixel=0.006)[1]


def test_no_two_drawn_circles_cover_each_other_after_clustering():
    rng = random.Random(18)
    points = [
        point(pk, 35 + rng.random() * 2, 36 + rng.random() * 4, rng.choice([None, 0, 1, 5, 40, 300]))
        for pk in range(400)
    ]
    pixel = 6 / 1000  # a 6-degree view on a 1,000 px map
    alone, clusters = cluster_points(points, pixel=pixel)
    assert len(alone) + sum(cluster["incidents"] for cluster in clusters) == 400
    largest = 300
    drawn = [(p["lon"], mercator_y(p["lat"]), bubble_size(p["killed"], largest=largest) / 2) for p in alone] + [
        (c["lon"], mercator_y(c["lat"]), cluster_size(c["incidents"]) / 2) for c in clusters
    ]
    for index, (x, y, r) in enumerate(drawn):
        for other_x, other_y, other_r in drawn[index + 1 :]:
            apart = math.hypot(x - other_x, y - other_y) / pixel
            assert apart >= (1 - CLUSTER_OVERLAP) * (r + other_r) - 0.5, (x, y, other_x, other_y)


@pytest.fixture
def syria(db):
    """30 incidents: 24 at towns of Idlib and Aleppo (clustered on a region-wide view), 4 known only to a
    governorate, 2 only to the country; one merged incident the table does not list."""
    idlib = Admin1Factory(country="SY", code="12", name="Idlib", lat=35.8, lon=36.6)
    aleppo = Admin1Factory(country="SY", code="09", name="Aleppo", lat=36.2, lon=37.4)
    towns = [
        SearchablePlaceFactory(name="Idlib", admin1=idlib, lat=35.93, lon=36.63, population=130_000),
        SearchablePlaceFactory(name="Saraqib", admin1=idlib, lat=35.86, lon=36.80, population=30_000),
        SearchablePlaceFactory(name="Binnish", admin1=idlib, lat=35.96, lon=36.71, population=20_000),
        SearchablePlaceFactory(name="Aleppo", admin1=aleppo, lat=36.20, lon=37.16, population=1_800_000),
        SearchablePlaceFactory(name="Manbij", admin1=aleppo, lat=36.53, lon=37.95, population=100_000),
        SearchablePlaceFactory(name="Yemen town", country="YE", admin1=None, lat=15.35, lon=44.2, population=5_000),
    ]
    for index in range(24):
        PlacedIncidentFactory(place=towns[index % len(towns)], killed_min=index, killed_max=index + 2)
    for division in (idlib, idlib, aleppo, aleppo):
        IncidentFactory(admin1=division)
    IncidentFactory(admin1=None, location_precision="country")
    IncidentFactory(admin1=None, location_precision="country", country="YE")
    kept = Incident.objects.filter(place__name="Idlib").first()
    merged = PlacedIncidentFactory(place=towns[0])
    Incident.objects.filter(pk=merged.pk).update(review_status="merged", merged_into=kept)
    return idlib, aleppo


def table_rows(client, query: dict) -> int:
    html = client.get("/", query).content.decode()
    return len(re.findall(r"<tr[^>]*data-incident-id=", html))


def counted_on_the_map(figure: dict) -> int:
    """Incidents the map draws or counts: a circle is one, a cluster, a cell or a governorate symbol its count."""
    total = figure["unmapped"]
    for trace in figure["data"]:
        kinds = [data[1] for data in trace.get("customdata") or []]
        if not kinds:
            continue
        if kinds[0] == "incident":
            total += len(kinds)
        elif kinds[0] == "cluster":
            total += sum(int(text) for text in trace["text"])
        elif kinds[0] in ("admin1", "cell"):
            total += sum(int(re.search(r"(\d+) incidents", text).group(1)) for text in trace["text"])
    return total


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"admin1": "Idlib"},
        {"country": "Syria"},
        {"killed_min": "10"},
        {"date_from": "2015-10-15", "place": "Aleppo"},
        # After zooming in on Idlib, and far out: the view changes the clusters, never the count.
        {"view": "36.4,35.6,37.0,36.1"},
        {"view": "-20,0,120,60"},
        {"admin1": "Idlib", "view": "36.6,35.9,36.7,36.0"},
    ],
)
def test_the_maps_counts_add_up_to_the_incidents_the_table_lists(client, syria, query):
    figure = client.get("/dashboard/map.json", query).json()["figure"]
    listed = table_rows(client, {key: value for key, value in query.items() if key != "view"})
    assert listed > 0
    assert counted_on_the_map(figure) == listed


def test_a_region_wide_view_clusters_and_a_zoomed_view_splits_them_and_names_more_towns(client, syria):
    wide = client.get("/dashboard/map.json").json()["figure"]
    (clusters,) = [trace for trace in wide["data"] if trace["customdata"][0][1] == "cluster"]
    assert clusters["mode"] == "markers+text"  # the count is written on the cluster
    assert max(int(text) for text in clusters["text"]) >= 5
    zoomed = client.get("/dashboard/map.json", {"view": "36.5,35.8,36.9,36.05"}).json()["figure"]
    zoomed_clusters = [trace for trace in zoomed["data"] if trace["customdata"][0][1] == "cluster"]
    # Idlib's three towns, 0.1-0.2 degrees apart, are told apart at this zoom (each town's own incidents
    # stay one cluster: they share a point).
    assert len(zoomed_clusters[0]["text"]) >= 3

    def towns(figure):
        return {name for trace in figure["data"] if trace.get("name") == "Towns" for name in trace["text"]}

    assert "Binnish" not in towns(wide)
    assert {"Idlib", "Saraqib", "Binnish"} <= towns(zoomed)
    # The view asked for is the view returned.
    assert zoomed["layout"]["geo"]["lonaxis"]["range"] == [36.5, 36.9]


def test_a_cluster_carries_its_extent_for_the_click_that_zooms_in_and_its_incidents(client, syria):
    figure = client.get("/dashboard/map.json").json()["figure"]
    (clusters,) = [trace for trace in figure["data"] if trace["customdata"][0][1] == "cluster"]
    for (_none, _kind, min_lon, min_lat, max_lon, max_lat, _members), lat, lon in zip(
        clusters["customdata"], clusters["lat"], clusters["lon"], strict=True
    ):
        assert min_lon <= lon <= max_lon
        assert min_lat <= lat <= max_lat
    drawn = [data[0] for trace in figure["data"] for data in trace.get("customdata") or [] if data[1] == "incident"]
    drawn += [pk for data in clusters["customdata"] for pk, _lon, _lat in data[6]]
    located = Incident.objects.filter(lat__isnull=False).exclude(review_status="merged")
    assert sorted(drawn) == sorted(located.values_list("id", flat=True))


@pytest.mark.parametrize("view", ["1,2,3", "a,b,c,d", "10,10,5,5", "0,-95,10,10"])
def test_a_bad_view_is_a_400_naming_it(client, syria, view):
    response = client.get("/dashboard/map.json", {"view": view})
    assert response.status_code == 400
    assert "view" in response.json()["errors"]


def test_grid_cells_add_up_too(syria):
    data = incident_map_data(incidents=Incident.objects.exclude(review_status="merged"), cap=3)
    assert data["points"] is None
    drawn = sum(cell["incidents"] for cell in data["cells"]) + sum(row["incidents"] for row in data["admin1"])
    assert drawn + data["unmapped"] == 30
