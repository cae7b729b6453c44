"""Unknown figures stay unknown, reported period totals stand apart with their coverage, and the governorate
list holds the divisions with incidents (issue 16)."""

import datetime
import re

import pytest

from casualties import charts
from tests.factories import Admin1Factory, ClaimFactory, IncidentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

DAY = datetime.date(2016, 5, 10)


def _incident(admin1, *, day=DAY, killed=(None, None), injured=(None, None), **extra):
    return IncidentFactory(
        admin1=admin1,
        date_start=day,
        date_end=extra.pop("date_end", day),
        killed_min=killed[0],
        killed_max=killed[1],
        injured_min=injured[0],
        injured_max=injured[1],
        **extra,
    )


@pytest.fixture
def divisions():
    return {
        "Idlib": Admin1Factory(country="SY", code="12", name="Idlib"),
        "Homs": Admin1Factory(country="SY", code="11", name="Homs"),
        "Aleppo": Admin1Factory(country="SY", code="09", name="Aleppo"),
        "Anbar": Admin1Factory(country="IQ", code="01", name="Anbar"),
    }


def test_the_headline_says_in_how_many_incidents_each_figure_is_reported(client, divisions):
    _incident(divisions["Idlib"], killed=(20, 23))
    _incident(divisions["Idlib"], killed=(3, 3))
    _incident(divisions["Homs"])  # no figure at all
    html = client.get("/").content.decode()
    killed = html[html.index('id="total-killed"') :]
    assert re.search(r'data-total-low="killed">23<', killed)
    assert re.search(r'data-total="killed">26<', killed)
    assert "in 2 incidents; 1 incident with no killed figure" in killed
    # No incident gives an injured, children or women figure: unknown, never 0.
    for name in ("injured", "children", "women"):
        block = html[html.index(f'id="total-{name}"') :]
        assert re.search(rf'data-total="{name}">—<', block), name
        assert re.search(rf'data-reported="{name}">not reported<', block), name
    assert "children killed, where reported" in html
    assert "women killed, where reported" in html


def test_tables_and_the_incident_page_show_unknown_as_a_dash(client, divisions):
    unknown = _incident(divisions["Homs"], injured=(4, 4))
    _incident(divisions["Idlib"], killed=(5, 5))
    html = client.get("/").content.decode()
    row = re.search(rf'data-incident-id="{unknown.pk}">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["—", "4"]
    governorates = html[html.index('id="admin1-table"') :]
    homs = re.search(r'Homs</a></th>\s*<td class="num">([^<]*)</td><td class="num">([^<]*)</td>', governorates)
    idlib = re.search(r'Idlib</a></th>\s*<td class="num">([^<]*)</td><td class="num">([^<]*)</td>', governorates)
    assert (homs.groups(), idlib.groups()) == (("—", "4"), ("5", "—"))
    page = client.get(f"/incidents/{unknown.pk}/").content.decode()
    assert re.search(r'id="field-killed">not reported<', page)


def test_the_timeline_draws_no_bar_where_no_incident_gives_the_figure(client, divisions):
    _incident(divisions["Idlib"], day=datetime.date(2016, 5, 2), killed=(4, 4), injured=(0, 0))
    _incident(divisions["Idlib"], day=datetime.date(2016, 6, 2), killed=(2, 2))
    body = client.get("/dashboard/timeline.json", {"measure": "injured", "stack": "none", "interval": "month"}).json()
    (bars,) = [trace for trace in body["figure"]["data"] if trace["type"] == "bar"]
    # May: one incident, injured 0 (reported). June: one incident, no injured figure: no bar, not a 0.
    assert bars["y"] == [0, None]
    assert [point[4:6] for point in bars["customdata"]] == [[1, 1], [1, 0]]
    assert [point[6] for point in bars["customdata"]] == ["0", "unknown"]  # the hover's figure
    assert "in %{customdata[5]} of %{customdata[4]} incidents" in bars["hovertemplate"]


def test_the_governorate_list_holds_divisions_with_incidents_most_first(client, divisions):
    _incident(divisions["Idlib"], killed=(1, 1))
    _incident(divisions["Homs"], killed=(1, 1))
    _incident(divisions["Homs"], killed=(2, 2))
    html = client.get("/?country=SY").content.decode()
    choices = html[html.index('id="admin1-choices"') : html.index('id="admin1-search"')]
    assert re.findall(r'value="([^"]+)"', choices) == ["Homs", "Idlib"]  # Aleppo has none: left to the search
    assert 'list="admin1-suggestions"' in html
    # A division chosen in the URL stays listed (and ticked) whatever its count.
    chosen = client.get("/?country=SY&admin1=Aleppo").content.decode()
    chosen_choices = chosen[chosen.index('id="admin1-choices"') : chosen.index('id="admin1-search"')]
    assert re.findall(r'value="([^"]+)"', chosen_choices) == ["Homs", "Idlib", "Aleppo"]


@pytest.fixture
def toll_and_incidents(divisions):
    idlib = divisions["Idlib"]
    toll = _incident(
        idlib,
        day=datetime.date(2016, 5, 1),
        date_end=datetime.date(2016, 5, 31),
        killed=(300, 310),
        aggregate=True,
        location_precision="admin1",
        event_type="other",
    )
    ClaimFactory(incident=toll, evidence="A monitor counted 310 dead in the governorate in May.")
    _incident(idlib, killed=(20, 25), injured=(3, 3))
    _incident(idlib, killed=(4, 4))
    _incident(idlib, day=datetime.date(2016, 6, 3), killed=(50, 50))  # after the toll's period
    _incident(divisions["Homs"], killed=(70, 70))  # another governorate
    _incident(idlib, review_status="rejected", killed=(99, 99))  # never counted
    return toll


def test_a_reported_total_is_listed_apart_with_its_coverage(client, toll_and_incidents):
    toll = toll_and_incidents
    html = client.get("/").content.decode()
    row = re.search(rf'data-aggregate-id="{toll.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "300–310" in row
    assert "2016-05-01 to 2016-05-31" in row
    assert "A monitor counted 310 dead" in row
    coverage = re.search(rf'data-coverage="{toll.pk}">(.*?)</td>', row, re.S).group(1)
    assert "incidents on record: 24–29 killed in 2 incidents</a> of the 310 reported" in coverage
    link = re.search(r'href="([^"]+)"', coverage).group(1).replace("&amp;", "&")
    assert link == "/?country=SY&admin1=12&date_from=2016-05-01&date_to=2016-05-31#incidents"
    # The link lists exactly those incidents.
    listed = client.get(link.split("#")[0]).content.decode()
    assert re.search(r'data-total="incidents">2<', listed)
    # The headline does not add the toll in.
    assert re.search(r'data-total="killed">149<', html)


def test_the_api_lists_reported_totals_under_the_other_filters(client, toll_and_incidents):
    body = client.get("/api/v1/aggregates/", {"aggregate": "false"}).json()  # `aggregate` is not what it reads
    assert body["count"] == 1
    (toll,) = body["results"]
    assert (toll["id"], toll["killed_min"], toll["killed_max"], toll["injured_max"]) == (
        toll_and_incidents.pk,
        300,
        310,
        None,
    )
    assert toll["coverage"] == {
        "area": "Idlib",
        "incidents": 2,
        "killed_min": 24,
        "killed": 29,
        "injured": 3,
        "incidents_with_killed": 2,
        "incidents_with_injured": 1,
        "query": "country=SY&admin1=12&date_from=2016-05-01&date_to=2016-05-31",
    }
    assert toll["evidence"] == "A monitor counted 310 dead in the governorate in May."
    assert client.get("/api/v1/aggregates/", {"country": "IQ"}).json() == {"count": 0, "results": []}
    assert client.get("/api/v1/aggregates/", {"admin1": "Narnia"}).status_code == 400


def test_a_governorate_bar_carries_the_division_a_click_filters_on():
    rows = [
        {"name": "Idlib", "country": "SY", "killed": 5, "injured": None},
        {"name": None, "country": "SY", "killed": 2, "injured": 1},
    ]
    figure = charts.admin1_bar_figure(rows)
    assert figure["data"][0]["customdata"] == ["", "Idlib"]  # drawn bottom up
    assert figure["data"][1]["x"] == [1, None]


def _tolls_over(divisions, count: int) -> None:
    """`count` tolls over various divisions (one country-wide) and periods, some crossing incidents' spans."""
    names = ["Idlib", "Homs", "Aleppo", "Anbar", None]
    for n in range(count):
        name = names[n % len(names)]
        start = DAY + datetime.timedelta(days=7 * n - 40)
        _incident(
            divisions[name] if name else None,
            day=start,
            date_end=start + datetime.timedelta(days=20 + 11 * n),
            killed=(n, n + 5),
            aggregate=True,
            country="SY" if name is None else divisions[name].country,
        )


def test_each_tolls_coverage_equals_its_own_totals_and_costs_the_same_queries_however_many(
    divisions, django_assert_max_num_queries
):
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from casualties.filters import incident_filterset
    from casualties.selectors.aggregates import _coverage_params, reported_totals
    from casualties.selectors.counts import filtered_incident_totals

    for n, name in enumerate(["Idlib", "Homs", "Aleppo", "Anbar", "Idlib", "Homs"]):
        day = DAY + datetime.timedelta(days=9 * n - 30)
        _incident(divisions[name], day=day, date_end=day + datetime.timedelta(days=n), killed=(n, 2 * n + 1))
        _incident(divisions[name], day=day, killed=(None, None), review_status="verified")
    _tolls_over(divisions, 2)
    with CaptureQueriesContext(connection) as two:
        reported_totals(params=QueryDict(""), limit=25)
    _tolls_over(divisions, 10)
    params = QueryDict("review_status=unverified,verified")
    rows, count = reported_totals(params=params, limit=25)
    assert count == len(rows) == 12
    # With more tolls than it lists, the count is of them all.
    shown, count = reported_totals(params=params, limit=5)
    assert (len(shown), count) == (5, 12)
    for row in rows:
        filterset, errors = incident_filterset(params=_coverage_params(toll=row.toll, params=params))
        assert not errors
        alone = filtered_incident_totals(filterset=filterset)
        shown = {name: getattr(row.coverage, name) for name in ("incidents", "killed", "killed_min", "injured")}
        assert shown == {name: alone[name] for name in shown}
    assert any(row.coverage.incidents for row in rows)
    # Twelve tolls cost what two did: each toll's division is known, not looked up again.
    with django_assert_max_num_queries(len(two)):
        reported_totals(params=QueryDict(""), limit=25)
