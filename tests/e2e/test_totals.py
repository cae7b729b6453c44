"""Headline numbers in Chromium (issue 16): reported period totals apart with their coverage, "—" for unknown,
and a click from a bar to the table of its incidents."""

import datetime
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.http import QueryDict

from casualties.filters import incident_filter
from casualties.models import Incident
from tests.e2e.conftest import save_screenshot
from tests.factories import Admin1Factory, IncidentFactory

pytestmark = pytest.mark.browser


def _open_dashboard(recorded, path: str = "/"):
    page = recorded.page
    page.goto(path)
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    return page


def _filtered_ids(query: str) -> set[int]:
    incidents, errors = incident_filter(params=QueryDict(query))
    assert not errors
    return set(incidents.values_list("pk", flat=True))


def _table_ids(page) -> set[int]:
    rows = page.eval_on_selector_all(
        "#incident-table tbody tr[data-incident-id]", "rows => rows.map(row => row.dataset.incidentId)"
    )
    return {int(pk) for pk in rows}


def test_reported_period_totals_have_their_table_their_spans_and_a_coverage_link(browser_page, demo, artifacts):
    tolls = Incident.objects.filter(aggregate=True).exclude(review_status__in=["merged", "rejected"])
    assert tolls.exists(), "the demo should hold reported period totals"
    page = _open_dashboard(browser_page, "/?country=SY")
    shown = page.eval_on_selector_all(
        "#aggregate-table tr[data-aggregate-id]", "rows => rows.map(r => r.dataset.aggregateId)"
    )
    assert {int(pk) for pk in shown} == set(tolls.filter(country="SY").values_list("pk", flat=True))
    # Every toll says what the incidents on record add up to for its area and period.
    cells = page.locator("#aggregate-table td.coverage")
    assert cells.count() == len(shown)
    assert all("on record" in text for text in cells.all_inner_texts())
    # On the timeline, each is a span over its period (a shape), and no bar.
    shapes = page.evaluate("(document.getElementById('timeline').layout.shapes || []).length")
    assert shapes == len(shown)
    assert page.evaluate("document.getElementById('timeline').data.some(t => t.type === 'scatter')")
    save_screenshot(page, artifacts, "dashboard-reported-totals.png")

    # The coverage link lists exactly the incidents it counted.
    link = cells.first.locator("a")
    link.click()
    page.wait_for_url(re.compile(r"date_from=.*date_to=.*#incidents$"))
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    query = urlsplit(page.url).query
    expected = _filtered_ids(query)
    assert int(page.inner_text('[data-total="incidents"]')) == len(expected)
    if len(expected) <= 50:
        assert _table_ids(page) == expected
    assert browser_page.errors == []


def test_an_unknown_figure_shows_as_a_dash_never_as_zero(browser_page, demo):
    testland = Admin1Factory(country="SY", code="98", name="Testland")
    day = datetime.date(2016, 1, 4)
    unknown = IncidentFactory(
        admin1=testland, date_start=day, date_end=day, killed_min=None, killed_max=None, injured_min=3, injured_max=3
    )
    page = _open_dashboard(browser_page, "/?admin1=Testland")
    assert page.inner_text('[data-total="killed"]') == "—"
    assert page.inner_text('[data-reported="killed"]') == "not reported"
    assert page.inner_text('[data-total="injured"]') == "3"
    assert page.inner_text('[data-reported="injured"]') == "in 1 incident"
    row = page.locator(f'#incident-table tr[data-incident-id="{unknown.pk}"] td.num')
    assert row.all_inner_texts() == ["—", "3"]
    assert page.locator("#admin1-table tbody td.num").first.inner_text() == "—"
    # The timeline of killed draws no bar for it, not a bar of 0.
    ys = page.evaluate("document.getElementById('timeline').data.filter(t => t.type === 'bar').map(t => t.y)")
    assert ys == [[None]]


def test_clicking_a_bar_lists_its_incidents(browser_page, demo, artifacts):
    page = _open_dashboard(browser_page, "/?country=SY&stack=admin1")
    first = page.evaluate("document.getElementById('timeline').data[0].name")
    points = page.locator("#timeline g.trace.bars").first.locator("g.point path")
    points.first.scroll_into_view_if_needed()
    # The first bar of the trace that is drawn (a period with 0 killed there has a bar of no height).
    box = next(b for b in (p.bounding_box() for p in points.all()) if b and b["height"] >= 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"#incidents$"))
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    params = parse_qs(urlsplit(page.url).query)
    assert params["admin1"] == [first]
    assert params["country"] == ["SY"]
    assert {"date_from", "date_to"} <= set(params)
    expected = _filtered_ids(urlsplit(page.url).query)
    assert expected
    assert int(page.inner_text('[data-total="incidents"]')) == len(expected)
    table = _table_ids(page)
    assert table <= expected
    assert len(table) == min(len(expected), 50)
    # Every incident in the table lies in the bar's governorate and period.
    date_from = datetime.date.fromisoformat(params["date_from"][0])
    date_to = datetime.date.fromisoformat(params["date_to"][0])
    for incident in Incident.objects.filter(pk__in=table).select_related("admin1"):
        assert incident.admin1.name == first
        assert incident.date_end >= date_from
        assert incident.date_start <= date_to
    save_screenshot(page, artifacts, "dashboard-bar-clicked.png")


def test_clicking_a_governorate_bar_lists_its_incidents(browser_page, demo):
    page = _open_dashboard(browser_page, "/?country=SY")
    names = page.evaluate("document.getElementById('admin1-chart').data[0].customdata")
    bar = page.locator("#admin1-chart g.trace.bars").first.locator("g.point path").last  # the top bar
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"admin1=.*#incidents$"))
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    params = parse_qs(urlsplit(page.url).query)
    assert params["admin1"] == [unquote(names[-1])]  # percent-encoded in the figure
    expected = _filtered_ids(urlsplit(page.url).query)
    assert int(page.inner_text('[data-total="incidents"]')) == len(expected)
