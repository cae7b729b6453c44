"""The dashboard page and its JSON endpoints: same filters, same numbers as the API."""

import datetime
import json
import re

import plotly
import pytest
from django.http import QueryDict

from casualties.models import Incident, LocationPrecision
from casualties.selectors.map import incident_map_data
from tests.factories import Admin1Factory, ArticleFactory, ClaimFactory, IncidentFactory, PlacedIncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib", lat=35.8, lon=36.6)
    homs = Admin1Factory(country="SY", code="11", name="Homs", lat=34.6, lon=37.6, aliases=["Hims"])
    ariha = PlacedIncidentFactory(
        admin1=idlib,
        place__admin1=idlib,
        place__name="Ariha",
        place__lat=35.81,
        place__lon=36.61,
        killed_min=40,
        killed_max=46,
        injured_max=70,
        date_start=datetime.date(2015, 10, 20),
        date_end=datetime.date(2015, 10, 20),
    )
    idlib_only = IncidentFactory(
        admin1=idlib,
        killed_min=5,
        killed_max=5,
        date_start=datetime.date(2015, 11, 2),
        date_end=datetime.date(2015, 11, 2),
        event_type="shelling_artillery_missile",
    )
    homs_one = PlacedIncidentFactory(
        admin1=homs,
        place__admin1=homs,
        place__name="Homs",
        place__lat=34.73,
        place__lon=36.72,
        killed_min=3,
        killed_max=3,
        injured_max=10,
        date_start=datetime.date(2016, 1, 5),
        date_end=datetime.date(2016, 1, 5),
        event_type="armed_clash",
    )
    country_only = IncidentFactory(
        admin1=None,
        location_precision=LocationPrecision.COUNTRY,
        killed_min=100,
        killed_max=100,
        aggregate=True,
        date_start=datetime.date(2016, 2, 1),
        date_end=datetime.date(2016, 2, 29),
    )
    rejected = IncidentFactory(admin1=homs, review_status=Incident.ReviewStatus.REJECTED, killed_max=999)
    ClaimFactory(incident=ariha, evidence="an air strike killed 4 people on Monday.")
    return {
        "idlib": idlib,
        "homs": homs,
        "ariha": ariha,
        "idlib_only": idlib_only,
        "homs_one": homs_one,
        "country_only": country_only,
        "rejected": rejected,
    }


def _total(response, name: str) -> int:
    match = re.search(rf'data-total="{name}">(\d+)<', response.content.decode())
    assert match, f"no total {name}"
    return int(match.group(1))


def test_the_page_shows_totals_for_all_live_incidents_and_adds_aggregates_only_when_asked(client, data):
    response = client.get("/")
    assert response.status_code == 200
    assert _total(response, "incidents") == 3
    assert _total(response, "killed") == 46 + 5 + 3
    assert _total(response, "injured") == 80
    both = client.get("/?aggregate=any")
    assert _total(both, "incidents") == 4
    assert _total(both, "killed") == 46 + 5 + 3 + 100
    assert _total(client.get("/?aggregate=true"), "killed") == 100


def test_its_totals_equal_the_apis_for_the_same_query_string(client, data):
    query = "admin1=Idlib&date_from=2015-10-01&date_to=2015-12-31"
    page = client.get(f"/?{query}")
    api_rows = client.get(f"/api/v1/stats/admin1/?{query}").json()
    assert _total(page, "killed") == sum(row["killed"] for row in api_rows) == 51
    assert _total(page, "incidents") == sum(row["incidents"] for row in api_rows) == 2


def test_choosing_a_governorate_narrows_totals_and_table(client, data):
    response = client.get("/?admin1=Homs")
    assert _total(response, "incidents") == 1
    html = response.content.decode()
    assert f'data-incident-id="{data["homs_one"].pk}"' in html
    assert f'data-incident-id="{data["ariha"].pk}"' not in html
    # The check box stays ticked, and each governorate shows its count under the other filters.
    assert re.search(r'<input[^>]*value="Homs"[^>]*checked', html)
    assert "Idlib · 2" in html
    assert "Homs · 1" in html


def test_an_alias_or_a_comma_list_selects_the_same_governorates(client, data):
    by_alias = client.get("/?admin1=Hims")
    assert _total(by_alias, "incidents") == 1
    both = client.get("/?admin1=Idlib,Homs")
    assert _total(both, "incidents") == 3


def test_a_bad_filter_shows_the_parsers_message_with_400_not_500(client, data):
    response = client.get("/?date_from=2016-01-01&date_to=2015-01-01&admin1=Atlantis")
    assert response.status_code == 400
    html = response.content.decode()
    assert "date_to is before date_from." in html
    assert "Unknown admin1: &#x27;Atlantis&#x27;." in html
    api = client.get("/api/v1/incidents/?date_from=2016-01-01&date_to=2015-01-01")
    assert api.status_code == 400
    assert "date_to is before date_from." in json.dumps(api.json())


@pytest.mark.parametrize("endpoint", ["/dashboard/timeline.json", "/dashboard/map.json", "/dashboard/admin1.json"])
def test_the_json_endpoints_answer_a_bad_filter_with_400_and_the_message(client, data, endpoint):
    response = client.get(f"{endpoint}?killed_min=lots")
    assert response.status_code == 400
    assert "killed_min" in response.json()["errors"]


def test_an_empty_result_shows_the_empty_state(client, data):
    response = client.get("/?date_from=2025-01-01")
    assert response.status_code == 200
    assert 'id="empty-state"' in response.content.decode()
    assert _total(response, "incidents") == 0


def test_the_table_sorts_by_killed_and_ignores_an_unknown_sort(client, data):
    html = client.get("/?sort=-killed&aggregate=any").content.decode()
    ids = [int(pk) for pk in re.findall(r'data-incident-id="(\d+)"', html)]
    assert ids[:2] == [data["country_only"].pk, data["ariha"].pk]
    ascending = client.get("/?sort=killed&aggregate=any").content.decode()
    assert next(int(pk) for pk in re.findall(r'data-incident-id="(\d+)"', ascending)) == data["homs_one"].pk
    assert client.get("/?sort=drop_table").status_code == 200


def test_the_table_is_paginated(client, data):
    for day in range(60):
        IncidentFactory(
            admin1=data["idlib"],
            date_start=datetime.date(2017, 1, 1) + datetime.timedelta(days=day),
            date_end=datetime.date(2017, 1, 1) + datetime.timedelta(days=day),
        )
    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()
    assert len(re.findall(r"data-incident-id=", first)) == 50
    assert len(re.findall(r"data-incident-id=", second)) == 13  # the aggregate toll is left out
    assert "Page 2 of 2 (63 incidents)" in second


def test_export_links_carry_the_filters_but_not_the_page_parameters(client, data):
    html = client.get("/?admin1=Idlib&sort=killed&page=1&measure=injured").content.decode()
    assert 'href="/api/v1/incidents/?admin1=Idlib&amp;format=csv"' in html
    assert 'href="/export/incidents.geojson?admin1=Idlib"' in html
    # The comparison with a reference dataset opens on the same filters.
    assert 'id="compare-link" href="/compare/?admin1=Idlib"' in html


def test_the_page_has_no_inline_script_no_inline_handler_and_no_outside_host(client, data):
    html = client.get("/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all("src=" in tag for tag in scripts)
    assert re.search(r"<script[^>]*>\s*[^<\s]", html) is None
    assert re.search(r"\son[a-z]+\s*=", html) is None
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    assert f"/static/vendor/plotly-{plotly.__version__}/plotly.min.js" in html


def test_timeline_endpoint_picks_the_interval_by_the_span_and_stacks(client, data):
    body = client.get("/dashboard/timeline.json?admin1=Idlib").json()
    assert body["interval"] == "day"  # 20 Oct to 2 Nov
    names = [trace["name"] for trace in body["figure"]["data"] if trace["type"] == "bar"]
    assert names == ["Idlib"]
    assert sum(body["figure"]["data"][0]["y"]) == 51
    whole = client.get("/dashboard/timeline.json?stack=event_type&measure=incidents&aggregate=any").json()
    assert whole["interval"] == "week"
    # The three incidents are bars; the aggregate toll is a span over its period, never a bar.
    bars = [trace for trace in whole["figure"]["data"] if trace["type"] == "bar"]
    assert sum(sum(trace["y"]) for trace in bars) == 3
    assert [shape["x0"] for shape in whole["figure"]["layout"]["shapes"]] == ["2016-02-01"]
    assert client.get("/dashboard/timeline.json?measure=deaths").status_code == 400


def test_map_endpoint_puts_governorate_only_incidents_at_the_centre(client, data):
    figure = client.get("/dashboard/map.json?aggregate=any").json()["figure"]
    diamonds = next(trace for trace in figure["data"] if trace["marker"]["symbol"] == "diamond-open")
    assert diamonds["lat"] == [35.8]
    assert diamonds["lon"] == [36.6]
    circles = [trace for trace in figure["data"] if trace["marker"]["symbol"] == "circle"]
    assert sorted(point[0] for trace in circles for point in trace["customdata"]) == sorted(
        [data["ariha"].pk, data["homs_one"].pk]
    )
    assert figure["unmapped"] == 1  # the country-level aggregate


def test_map_bbox_keeps_only_points_inside(client, data):
    figure = client.get("/dashboard/map.json?bbox=36,35,37,36.5").json()["figure"]
    ids = [point[0] for trace in figure["data"] for point in trace.get("customdata", []) if point[1] == "incident"]
    assert ids == [data["ariha"].pk]


def test_map_selector_aggregates_to_a_grid_beyond_the_cap(data, django_assert_max_num_queries):
    incidents = Incident.objects.exclude(review_status__in=["merged", "rejected"])
    with django_assert_max_num_queries(6):
        layers = incident_map_data(incidents=incidents, cap=1)
    assert layers["points"] is None
    assert sum(cell["incidents"] for cell in layers["cells"]) == 2
    assert sum(cell["killed"] for cell in layers["cells"]) == 49
    assert layers["cell_size"] > 0


def test_map_selector_shades_loaded_boundaries(data):
    data["idlib"].boundary = {"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 35]]]}
    data["idlib"].save()
    layers = incident_map_data(incidents=Incident.objects.exclude(review_status="rejected"))
    assert [(row["name"], row["killed"]) for row in layers["boundaries"]] == [("Idlib", 51)]


def test_admin1_endpoint_matches_the_api(client, data):
    body = client.get("/dashboard/admin1.json?date_from=2015-10-01").json()
    api = client.get("/api/v1/stats/admin1/?date_from=2015-10-01").json()
    assert body["rows"] == api


def _export_ids_from_api(client, query: str) -> set[int]:
    return {row["id"] for row in client.get(f"/api/v1/incidents/?{query}&page_size=1000").json()["results"]}


def test_geojson_and_json_exports_hold_the_same_incidents_as_the_api(client, data):
    query = "admin1=Idlib,Homs"
    expected = _export_ids_from_api(client, query)
    geojson = json.loads(b"".join(client.get(f"/export/incidents.geojson?{query}").streaming_content))
    assert geojson["type"] == "FeatureCollection"
    assert {feature["id"] for feature in geojson["features"]} == expected
    idlib_only = next(f for f in geojson["features"] if f["id"] == data["idlib_only"].pk)
    assert idlib_only["geometry"] is None
    ariha = next(f for f in geojson["features"] if f["id"] == data["ariha"].pk)
    assert ariha["geometry"] == {"type": "Point", "coordinates": [36.61, 35.81]}
    plain = json.loads(b"".join(client.get(f"/export/incidents.json?{query}").streaming_content))
    assert {row["id"] for row in plain["results"]} == expected
    assert client.get("/export/incidents.json?admin1=Nowhere").status_code == 400


def test_the_evidence_text_filter_reaches_the_page(client, data):
    ArticleFactory()  # an article without claims changes nothing
    assert _total(client.get("/?q=air+strike+killed"), "incidents") == 1


def test_filter_query_string_drops_page_parameters_and_empty_values():
    from casualties.selectors.dashboard import filter_query_string

    params = QueryDict("admin1=Idlib&admin1=Homs&page=3&sort=killed&q=&measure=injured&killed_min=5")
    assert filter_query_string(params=params) == "admin1=Idlib&admin1=Homs&killed_min=5"


def test_the_governorate_table_shows_the_largest_and_links_the_rest(client, monkeypatch):
    from casualties.selectors import dashboard as dashboard_selectors

    monkeypatch.setattr(dashboard_selectors, "ADMIN1_TABLE_ROWS", 1)
    for code, name, killed in (("12", "Idlib", 9), ("11", "Homs", 4)):
        IncidentFactory(admin1=Admin1Factory(country="SY", code=code, name=name), killed_min=killed, killed_max=killed)
    page = client.get("/", {"country": "SY"}).content.decode()
    table = page[page.index('id="admin1-table"') :]
    assert "Idlib" in table[: table.index("</table>")]
    assert ">Homs<" not in table[: table.index("</table>")]
    assert "And 1 more governorates" in table
    assert "/api/v1/stats/admin1/?format=csv&amp;country=SY" in table


def test_a_world_of_divisions_lists_the_busiest_and_the_chosen(client, monkeypatch):
    from casualties import forms as dashboard_forms

    monkeypatch.setattr(dashboard_forms, "ADMIN1_CHOICES_LIMIT", 2)
    busy = [Admin1Factory(country="SY", code=str(n), name=f"Busy {n}") for n in range(2)]
    quiet = Admin1Factory(country="SY", code="9", name="Quiet")
    Admin1Factory(country="SY", code="8", name="Empty")
    for division in busy:
        IncidentFactory.create_batch(2, admin1=division)
    IncidentFactory(admin1=quiet)
    page = client.get("/").content.decode()
    assert 'value="Busy 0"' in page
    assert 'value="Busy 1"' in page
    assert 'value="Quiet"' not in page
    assert "choose a country to list all of its own" in page
    assert 'value="Quiet"' in client.get("/", {"admin1": "Quiet"}).content.decode()


# What a filtered page computed afresh costs (a governorate, a date range, reported totals listed), whatever
# the number of incidents and tolls: filters, totals, governorate table and choices, tolls with their coverage
# and the incident table. It was 27 with five tolls (a division lookup per toll, a count); 19 in session 9, when
# the page also scanned for possible duplicates (now /dashboard/duplicates.json, fetched once the page is shown)
# and the tolls' coverages took three queries (now two: area_totals_many).
FILTERED_PAGE_QUERIES = 17


def test_a_filtered_page_costs_a_fixed_number_of_queries(client, data, django_assert_num_queries):
    idlib = data["ariha"].admin1
    for n in range(5):
        IncidentFactory(
            admin1=idlib,
            aggregate=True,
            killed_min=100 + n,
            killed_max=100 + n,
            date_start=datetime.date(2015, 10, 1) + datetime.timedelta(days=7 * n),
            date_end=datetime.date(2015, 10, 31) + datetime.timedelta(days=7 * n),
        )
    query = "/?country=SY&admin1=Idlib&date_from=2015-10-01&date_to=2016-03-31"
    with django_assert_num_queries(FILTERED_PAGE_QUERIES):
        response = client.get(query)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-coverage="') == 5
    assert f'data-incident-id="{data["ariha"].pk}"' in page


@pytest.mark.django_db
def test_a_table_row_shows_ranges_spans_precision_and_labels(client):
    """The table's cells are worked out in Python (incident_table_rows): what the template used to compute."""
    incident = IncidentFactory(
        date_start=datetime.date(2015, 10, 15),
        date_end=datetime.date(2015, 10, 17),
        admin1=Admin1Factory(name="Homs", display_name="Homs", country="SY"),
        killed_min=10,
        killed_max=12,
        injured_min=None,
        injured_max=None,
    )
    html = client.get("/", {"country": "SY"}).content.decode()
    row = re.search(rf'<tr data-incident-id="{incident.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0] == "2015-10-15 to 2015-10-17"
    assert cells[1].endswith(f"{incident.get_location_precision_display()} only")
    assert cells[2:5] == ["Homs", "10\u201312", "\u2014"]
    assert cells[5] == incident.get_event_type_display()
    assert f'href="/incidents/{incident.pk}/?country=SY"' in row
