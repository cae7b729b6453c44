"""The dashboard in headless Chromium: offline, charts drawn, filters in the URL, exports, the review workflow."""

import csv
import io
import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict

from casualties.filters import incident_filter
from casualties.models import Claim, Incident
from casualties.selectors.stats import incident_totals
from tests.e2e.conftest import save_screenshot
from tests.factories import UserFactory


def _wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression from the test side. Playwright's wait_for_function evaluates a
    string inside the page, which the dashboard's content security policy (no eval) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


pytestmark = pytest.mark.browser


def _open_dashboard(recorded, path: str = "/"):
    page = recorded.page
    page.goto(path)
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    return page


def _apply_filters(page, url_pattern: str) -> None:
    """Submit the filter form; wait for the new URL (matching `url_pattern`) and its charts."""
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(url_pattern))
    page.wait_for_selector("#dashboard[data-charts-ready=true]")


def _totals(page) -> dict[str, int | None]:
    """The headline's figures; "—" (no incident gives the figure) as None, as the selectors give it."""
    shown = {name: page.inner_text(f'[data-total="{name}"]') for name in ("incidents", "killed", "injured")}
    return {name: None if text == "—" else int(text) for name, text in shown.items()}


def _expected_totals(query: str) -> dict[str, int]:
    incidents, errors = incident_filter(params=QueryDict(query))
    assert not errors
    totals = incident_totals(incidents=incidents)
    return {name: totals[name] for name in ("incidents", "killed", "injured")}


def _timeline_names(page) -> list[str]:
    """The names of the timeline's bar traces (not the reported period totals' spans)."""
    return page.evaluate(
        "Array.from(document.getElementById('timeline').data).filter(t => t.type === 'bar').map(t => t.name)"
    )


# The sum of every bar of the timeline (the spans of reported period totals are not bars).
_BARS_SUM = (
    "document.getElementById('timeline').data.filter(t => t.type === 'bar')"
    ".reduce((s, t) => s + t.y.reduce((a, b) => a + b, 0), 0)"
)


def _map_incident_ids(page) -> list[int]:
    """The incidents drawn on the map: each circle's, and those of each cluster (customdata [null, "cluster",
    extent x4, [[id, lon, lat], ...]])."""
    return page.evaluate(
        """Array.from(document.getElementById('map').data)
            .flatMap(trace => trace.customdata || [])
            .flatMap(point => point[1] === 'incident' ? [point[0]]
                : point[1] === 'cluster' ? point[6].map(member => member[0]) : [])
            .sort((a, b) => a - b)"""
    )


def _table_ids(page) -> set[int]:
    return {
        int(pk)
        for pk in page.eval_on_selector_all(
            "#incident-table tbody tr[data-incident-id]", "rows => rows.map(row => row.dataset.incidentId)"
        )
    }


def test_the_dashboard_loads_with_no_request_outside_the_server_and_draws(browser_page, demo, artifacts):
    page = _open_dashboard(browser_page)
    # Every request, plotly.js and the map outlines included, went to the live server.
    assert browser_page.outside_requests() == []
    assert any("/static/vendor/plotly-" in url for url in browser_page.requests)
    assert any("/static/casualties/data/countries.geojson" in url for url in browser_page.requests)
    assert browser_page.errors == []
    # The timeline's bars, the map's markers and its outlines are drawn as SVG.
    assert page.locator("#timeline g.barlayer g.point").count() > 5
    assert page.locator("#map .scattergeo path.point").count() > 5
    assert page.locator("#map .scattergeo path.js-line").count() >= 1
    assert page.locator("#admin1-chart g.barlayer g.point").count() >= 2
    assert _totals(page) == _expected_totals("")
    save_screenshot(page, artifacts, "dashboard-all.png")
    # The published screenshot: one country, where the timeline and the map read best.
    _open_dashboard(browser_page, "/?country=SY")
    assert _totals(page) == _expected_totals("country=SY")
    assert browser_page.outside_requests() == []
    save_screenshot(page, artifacts, "dashboard.png", publish=True)


_CHART_DATA = ("/dashboard/timeline.json", "/dashboard/map.json", "/dashboard/admin1.json")


def _chart_data_requests(recorded) -> list[str]:
    return [url for url in recorded.requests if urlsplit(url).path in _CHART_DATA]


def test_the_charts_data_is_asked_for_without_waiting_for_plotly(browser_page, demo):
    # dashboard_data.js starts the three JSON fetches before plotly.js has loaded: here plotly.js never
    # arrives (the charts say so), and the data was asked for all the same, with the page's filters.
    page = browser_page.page
    page.route(re.compile(r".*/plotly[^/]*\.js(\?.*)?$"), lambda route: route.abort())
    page.goto("/?admin1=Idlib&sort=-killed")
    page.wait_for_selector("#timeline-status.error-text")
    asked = _chart_data_requests(browser_page)
    assert sorted(urlsplit(url).path for url in asked) == sorted(_CHART_DATA)
    for url in asked:
        query = parse_qs(urlsplit(url).query)
        assert query["admin1"] == ["Idlib"]
        assert "sort" not in query  # a page-only parameter, as dashboard.js leaves it out
    timeline = next(url for url in asked if "/timeline.json" in url)
    assert parse_qs(urlsplit(timeline).query)["stack"] == ["admin1"]


def test_the_early_answers_are_the_ones_drawn_each_endpoint_asked_once(browser_page, demo):
    _open_dashboard(browser_page, "/?admin1=Idlib")
    assert sorted(urlsplit(url).path for url in _chart_data_requests(browser_page)) == sorted(_CHART_DATA)
    assert browser_page.errors == []
    # A redraw (another measure) asks the server again rather than reusing the first answer.
    with browser_page.page.expect_request(lambda request: "measure=injured" in request.url):
        browser_page.page.select_option("#measure", "injured")
    assert len(_chart_data_requests(browser_page)) == len(_CHART_DATA) + 1


def test_the_possible_duplicates_line_is_filled_in_from_its_own_answer_asked_once(browser_page, demo):
    page = _open_dashboard(browser_page, "/?admin1=Idlib")
    page.wait_for_selector("#possible-duplicates[data-ready=true]")
    line = page.inner_text("#possible-duplicates")
    assert "possible duplicate" in line.lower()
    assert "Possible duplicates in this view:" not in line  # the placeholder's words are gone
    asked = [url for url in browser_page.requests if urlsplit(url).path == "/dashboard/duplicates.json"]
    assert len(asked) == 1
    assert parse_qs(urlsplit(asked[0]).query)["admin1"] == ["Idlib"]


def test_choosing_idlib_changes_totals_timeline_map_and_url_and_reload_restores_it(browser_page, demo, artifacts):
    page = _open_dashboard(browser_page)
    before = _totals(page)
    map_before = _map_incident_ids(page)
    assert len(_timeline_names(page)) > 1

    idlib_box = page.locator('input[name="admin1"][value="Idlib"]')
    # The check box is labelled with the governorate and its incident count.
    assert re.fullmatch(r"Idlib( \(SY\))? · \d+", page.locator("label.check", has=idlib_box).inner_text().strip())
    idlib_box.check()
    _apply_filters(page, r"admin1=Idlib")

    assert parse_qs(urlsplit(page.url).query) == {"admin1": ["Idlib"]}
    after = _totals(page)
    assert after == _expected_totals("admin1=Idlib")
    assert after != before
    assert after["incidents"] < before["incidents"]
    assert _timeline_names(page) == ["Idlib"]
    map_after = _map_incident_ids(page)
    assert map_after
    assert set(map_after) < set(map_before)
    located_in_idlib = Incident.objects.filter(
        admin1__name="Idlib", location_precision="place", review_status__in=["unverified", "verified"]
    )
    assert set(map_after) == set(located_in_idlib.values_list("pk", flat=True))
    save_screenshot(page, artifacts, "dashboard-idlib.png")

    # The URL is the state: reloading it shows the same view.
    timeline = page.evaluate("JSON.stringify(document.getElementById('timeline').data.map(t => [t.name, t.y]))")
    page.reload()
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    assert _totals(page) == after
    assert page.locator('input[name="admin1"][value="Idlib"]').is_checked()
    assert page.evaluate("JSON.stringify(document.getElementById('timeline').data.map(t => [t.name, t.y]))") == timeline
    assert _map_incident_ids(page) == map_after


def test_aggregate_tolls_are_apart_until_the_form_asks_for_both(browser_page, demo):
    page = _open_dashboard(browser_page)
    tolls = incident_totals(incidents=Incident.objects.filter(aggregate=True, review_status="unverified"))
    assert tolls["killed"] > 0  # the demo's period total
    incidents_only = _totals(page)
    assert incidents_only == _expected_totals("aggregate=false")
    assert "not added in" in page.inner_text("#aggregate-note")
    assert page.locator('select[name="aggregate"]').input_value() == ""
    page.locator('select[name="aggregate"]').select_option(label="Both, summed")
    _apply_filters(page, r"aggregate=any")
    assert parse_qs(urlsplit(page.url).query) == {"aggregate": ["any"]}
    both = _totals(page)
    assert both == _expected_totals("aggregate=any")
    assert both["killed"] == incidents_only["killed"] + tolls["killed"]
    assert both["incidents"] == incidents_only["incidents"] + tolls["incidents"]
    assert "counted twice" in page.inner_text("#aggregate-note")


def test_clicking_a_timeline_bar_narrows_the_dates(browser_page, demo):
    page = _open_dashboard(browser_page, "/?admin1=Idlib&stack=none")
    bar = page.locator("#timeline g.barlayer g.point path").first
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"date_from=\d{4}-\d\d-\d\d&date_to=\d{4}-\d\d-\d\d"))
    params = parse_qs(urlsplit(page.url).query)
    assert params["admin1"] == ["Idlib"]
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    assert _totals(page) == _expected_totals(urlsplit(page.url).query)


def test_a_box_on_the_map_narrows_the_filter_to_that_area(browser_page, demo):
    page = _open_dashboard(browser_page)
    page.locator("#map").scroll_into_view_if_needed()  # a drag works inside the viewport only
    geo = page.locator("#map .geo .bglayer, #map g.geo").first.bounding_box()
    # Drag a box over the left half of the map: dragmode is "select".
    start = (geo["x"] + geo["width"] * 0.05, geo["y"] + geo["height"] * 0.05)
    end = (geo["x"] + geo["width"] * 0.5, geo["y"] + geo["height"] * 0.95)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()
    page.wait_for_url(re.compile(r"bbox="))
    bbox = parse_qs(urlsplit(page.url).query)["bbox"][0]
    min_lon, min_lat, max_lon, max_lat = (float(part) for part in bbox.split(","))
    assert min_lon < max_lon
    assert min_lat < max_lat
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    assert _totals(page) == _expected_totals(urlsplit(page.url).query)
    assert page.locator("#clear-bbox").is_visible()


def test_the_export_holds_the_same_incidents_as_the_table(browser_page, demo):
    query = "country=SY&killed_min=10"
    page = _open_dashboard(browser_page, f"/?{query}")
    shown = _table_ids(page)
    assert 0 < len(shown) < 50  # one page of the table
    for link_id in ("export-geojson", "export-json", "export-csv"):
        href = page.get_attribute(f"#{link_id}", "href")
        response = page.request.get(href)
        assert response.ok, href
        if link_id == "export-csv":
            rows = list(csv.DictReader(io.StringIO(response.text())))
            exported = {int(row["id"]) for row in rows}
        elif link_id == "export-geojson":
            exported = {feature["id"] for feature in json.loads(response.body())["features"]}
        else:
            exported = {row["id"] for row in json.loads(response.body())["results"]}
        assert exported == shown, link_id


def test_a_bad_filter_shows_the_message_and_an_empty_filter_the_empty_state(browser_page, demo):
    page = browser_page.page
    response = page.goto("/?date_from=2016-02-01&date_to=2016-01-01")
    assert response.status == 400
    assert "date_to is before date_from." in page.inner_text("#filter-errors")
    _open_dashboard(browser_page, "/?date_from=2025-01-01")
    assert page.locator("#empty-state").is_visible()
    assert "No incidents" in page.inner_text("#timeline")
    assert browser_page.errors == []


def test_the_page_fits_a_phone(phone_page, demo, artifacts):
    page = _open_dashboard(phone_page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert page.locator("#timeline g.barlayer g.point").count() > 0
    assert page.locator("#map .scattergeo path.point").count() > 0
    # The filters start folded on a phone; the summary opens them.
    assert not page.locator("#filters").is_visible()
    page.get_by_text("Filters", exact=True).click()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    save_screenshot(page, artifacts, "dashboard-phone.png")


def test_an_analyst_verifies_an_incident_and_the_history_shows_it(browser_page, demo, artifacts):
    UserFactory(username="analyst", analyst=True)
    claim = Claim.objects.filter(incident__admin1__name="Idlib").select_related("incident").first()
    incident = claim.incident
    page = browser_page.page
    page.goto(f"/incidents/{incident.pk}/")
    assert page.locator("#review").count() == 0  # no controls before signing in
    page.get_by_role("link", name="Analyst sign-in").click()
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident.pk}/$"))

    page.get_by_label("Reason (kept in the history)").first.fill("checked against two outlets")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_selector("text=verified.")
    assert page.inner_text("#review-status") == "Verified"
    history = page.inner_text("#history")
    assert "by analyst" in history
    assert "review_status: unverified → verified" in history
    assert "checked against two outlets" in history
    assert claim.evidence in page.locator("blockquote.evidence mark").all_inner_texts()
    assert browser_page.outside_requests() == []
    save_screenshot(page, artifacts, "incident.png", publish=True)


def test_place_autocomplete_suggests_gazetteer_names(browser_page, demo):
    page = _open_dashboard(browser_page)
    place = page.get_by_label("Place", exact=True)
    place.press_sequentially("Kafr", delay=30)
    page.wait_for_selector("#place-suggestions option", state="attached")
    values = page.eval_on_selector_all("#place-suggestions option", "options => options.map(o => o.value)")
    assert "Kafranbel" in values
    assert any("/api/v1/places/?q=Kafr" in url for url in browser_page.requests)
    place.fill("Kafranbel")
    _apply_filters(page, r"place=Kafranbel")
    assert _totals(page) == _expected_totals("place=Kafranbel")
    assert _totals(page)["incidents"] >= 1


def test_switching_the_measure_redraws_the_timeline_and_keeps_it_in_the_url(browser_page, demo):
    page = _open_dashboard(browser_page, "/?country=SY")
    killed = page.evaluate(_BARS_SUM)
    page.get_by_label("Show").select_option("incidents")
    page.wait_for_url(re.compile(r"measure=incidents"))
    _wait_until(page, "document.getElementById('timeline').layout.yaxis.title.text === 'Incidents'")
    incidents = page.evaluate(_BARS_SUM)
    assert incidents == _expected_totals("country=SY")["incidents"]
    assert killed == _expected_totals("country=SY")["killed"]
