"""Issue 18 in the browser: screenshots at 1440x900 and 390x844 of the dashboard unfiltered, filtered to one
governorate, and an incident page (published to docs/screenshots/ with PUBLISH_SCREENSHOTS=1); no panel or
control overlaps another; the map's view holds the filtered governorate's incidents; towns are named."""

from collections.abc import Iterator

import pytest

from casualties.models import Admin1, Incident
from tests.e2e.conftest import SEEDS, _recorded_page, save_screenshot

pytestmark = pytest.mark.browser

VIEWPORTS = {"1440": (1440, 900), "390": (390, 844)}


@pytest.fixture
def syria_demo(transactional_db):
    """As `make demo` for Syria: the gazetteer's Syrian places (with their populations, for the map's labels),
    then the seed articles through the real pipeline, then governorate centres from the places filed."""
    from django.core.management import call_command

    from casualties.services.gazetteer import admin1_refresh_centres

    call_command("load_gazetteer", country=["SY"], verbosity=0)
    call_command("ingest", str(SEEDS), verbosity=0)
    admin1_refresh_centres()
    assert Incident.objects.filter(admin1__name="Idlib", lat__isnull=False).count() >= 3
    return Incident.objects.all()


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser, live_server) -> Iterator[tuple[str, object]]:
    width, height = VIEWPORTS[request.param]
    for recorded in _recorded_page(browser, live_server, width=width, height=height):
        yield request.param, recorded


def _boxes(page, selectors: list[str]) -> dict[str, dict]:
    """Bounding boxes (page coordinates) of the visible elements each selector finds, named selector#n."""
    found: dict[str, dict] = {}
    for selector in selectors:
        locator = page.locator(selector)
        for index in range(locator.count()):
            element = locator.nth(index)
            if not element.is_visible():
                continue
            box = element.evaluate(
                "e => { const r = e.getBoundingClientRect();"
                " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }"
            )
            if box["width"] and box["height"]:
                found[f"{selector}#{index}"] = box
    return found


def _overlap(one: dict, other: dict, *, slack: float = 1.0) -> bool:
    return (
        one["x"] + one["width"] - slack > other["x"]
        and other["x"] + other["width"] - slack > one["x"]
        and one["y"] + one["height"] - slack > other["y"]
        and other["y"] + other["height"] - slack > one["y"]
    )


def _assert_apart(boxes: dict[str, dict]) -> None:
    names = sorted(boxes)
    clashes = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if _overlap(boxes[a], boxes[b])]
    assert clashes == [], clashes


# The page's main blocks: none may sit on another.
PANELS = [".filters", "#active-filters", ".totals > *", ".results > section.panel"]


def _open(recorded, path: str):
    page = recorded.page
    page.goto(path)
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    return page


def _assert_charts_read(page, size: str) -> None:
    viewport = page.viewport_size
    # The timeline's legend sits under its plot, never on the bars.
    legend = _boxes(page, ["#timeline g.legend"])
    plot = _boxes(page, ["#timeline g.draglayer .nsewdrag"])
    assert plot
    for legend_box in legend.values():
        for plot_box in plot.values():
            assert not _overlap(legend_box, plot_box), (legend_box, plot_box)
    map_box = page.locator("#map .svg-container").bounding_box()
    # The drawn map: plotly clips the projection to this rectangle.
    geo_height = page.evaluate("+document.querySelector('#map clipPath[id$=geo] rect').getAttribute('height')")
    if size == "390":
        # A phone: the map full width and at least 300 px tall.
        assert map_box["width"] >= viewport["width"] - 40
        assert geo_height >= 300
    else:
        assert geo_height >= 400
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def _assert_filters_fit(page, size: str) -> None:
    if size == "390":
        # Folded into a drawer on a phone; opened, it covers the page and its controls are all reachable.
        assert not page.locator("#filters").is_visible()
        page.locator("#filters-details summary").click()
        drawer = page.locator("#filters-details").bounding_box()
        assert drawer["width"] >= page.viewport_size["width"] - 2
        assert page.get_by_role("button", name="Apply filters").is_visible()
        page.locator("#filters-details summary").click()
        return
    form = page.locator(".filter-fields").bounding_box()
    card = page.locator(".filters").bounding_box()
    # The "To" date is whole, inside the card.
    to_box = page.locator("#id_date_to").bounding_box()
    assert to_box["x"] + to_box["width"] <= card["x"] + card["width"] + 0.5, (to_box, card)
    assert page.locator("#id_date_to").evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    # The Apply bar covers no checkbox, wherever the fields are scrolled.
    actions = page.locator(".filters .actions").bounding_box()
    assert form["y"] + form["height"] <= actions["y"] + 0.5  # the fields end where the bar begins
    for scroll in ("0", "e.scrollHeight / 2", "e.scrollHeight"):
        page.locator(".filter-fields").evaluate(f"e => {{ e.scrollTop = {scroll}; }}")
        # What shows of each checkbox: the part inside the scrolling fields (the rest is scrolled out of view).
        shown = []
        for box in page.locator(".filter-fields label.check").evaluate_all(
            "labels => labels.map(e => e.getBoundingClientRect())"
            ".map(r => ({x: r.left, y: r.top, bottom: r.bottom, width: r.width}))"
        ):
            top, bottom = max(box["y"], form["y"]), min(box["bottom"], form["y"] + form["height"])
            if bottom > top:
                shown.append({"x": box["x"], "y": top, "width": box["width"], "height": bottom - top})
        assert shown
        for box in shown:
            assert not _overlap(box, actions), (box, actions)
    page.locator(".filter-fields").evaluate("e => { e.scrollTop = 0; }")


# The map's words as drawn: each visible town name and cluster count inside the map's frame, with its box.
MAP_WORDS = """(() => {
  const map = document.getElementById('map');
  const frame = map._fullLayout.geo._subplot.bgRect.node().getBoundingClientRect();
  const kindOf = g => { const c = g.__data__[0].trace.customdata; return c && c[0] ? c[0][1] : null; };
  return Array.from(map.querySelectorAll('g.trace.scattergeo'))
    .filter(g => ['label', 'cluster'].includes(kindOf(g)))
    .flatMap(g => Array.from(g.querySelectorAll('text')).map(t => [kindOf(g), t]))
    .filter(([kind, t]) => getComputedStyle(t).visibility !== 'hidden')
    .map(([kind, t]) => { const r = t.getBoundingClientRect();
      return {kind, text: t.textContent, x: r.left + scrollX, y: r.top + scrollY, width: r.width,
              height: r.height, inside: r.left >= frame.left && r.right <= frame.right
                                        && r.top >= frame.top && r.bottom <= frame.bottom}; })
    .filter(word => word.inside && word.width);
})()"""

# What the map counts: a circle is one incident; a cluster, a governorate symbol or a grid cell its number.
MAP_COUNT = """(() => {
  const map = document.getElementById('map');
  let total = Number(map.dataset.unmapped);
  map.data.forEach(trace => {
    const kinds = (trace.customdata || []).map(c => c[1]);
    if (kinds[0] === 'incident') total += kinds.length;
    if (kinds[0] === 'cluster') total += trace.text.reduce((sum, text) => sum + Number(text), 0);
    if (kinds[0] === 'admin1' || kinds[0] === 'cell')
      total += trace.text.reduce((sum, text) => sum + Number(/(\\d+) incidents/.exec(text)[1]), 0);
  });
  return total;
})()"""


def _town_names(page) -> list[str]:
    return [word["text"] for word in page.evaluate(MAP_WORDS) if word["kind"] == "label"]


def _assert_map_reads(page) -> None:
    """No town name or cluster count on the map covers another, and the map counts what the table lists."""
    words = page.evaluate(MAP_WORDS)
    assert words
    _assert_apart({f"{word['kind']}:{word['text']}#{index}": word for index, word in enumerate(words)})
    listed = page.locator("#incident-table tbody tr[data-incident-id]").count()
    assert listed == int(page.locator("[data-total=incidents]").inner_text())  # the whole list is on one page
    assert page.evaluate(MAP_COUNT) == listed


def test_the_dashboard_unfiltered(sized_page, syria_demo, artifacts):
    size, recorded = sized_page
    page = _open(recorded, "/")
    assert recorded.outside_requests() == []
    assert recorded.errors == []
    _assert_apart(_boxes(page, PANELS))
    _assert_charts_read(page, size)
    _assert_filters_fit(page, size)
    # Towns are named on the map, from the gazetteer.
    labels = page.evaluate("document.getElementById('map').data.filter(t => t.name === 'Towns').flatMap(t => t.text)")
    assert "Aleppo" in labels
    _assert_map_reads(page)
    # Incidents too close to tell apart at this scale are clusters with their count.
    assert page.evaluate(
        "document.getElementById('map').data.some(t => t.customdata && t.customdata[0][1] === 'cluster')"
    )
    save_screenshot(page, artifacts, f"dashboard-{size}.png", publish=True)


def test_the_dashboard_filtered_to_one_governorate(sized_page, syria_demo, artifacts):
    size, recorded = sized_page
    page = _open(recorded, "/?admin1=Idlib")
    assert recorded.errors == []
    _assert_apart(_boxes(page, PANELS))
    _assert_charts_read(page, size)
    # The active filter as a chip, in the name readers use.
    chips = [" ".join(text.split()) for text in page.locator("#active-filters .chip").all_inner_texts()]
    assert chips == ["Governorate: Idlib ×"]
    # The map's view holds every Idlib incident with a point, and the governorate's centre.
    lat_range, lon_range = page.evaluate(
        "(() => { const g = document.getElementById('map').layout.geo; return [g.lataxis.range, g.lonaxis.range]; })()"
    )
    idlib = Admin1.objects.get(country="SY", name="Idlib")
    points = list(
        Incident.objects.filter(admin1=idlib, lat__isnull=False)
        .exclude(review_status__in=["merged", "rejected"])
        .values_list("lat", "lon")
    )
    assert points
    for lat, lon in [*points, (idlib.lat, idlib.lon)]:
        assert lat_range[0] <= lat <= lat_range[1]
        assert lon_range[0] <= lon <= lon_range[1]
    # ... and is Idlib's, not Syria's: Deir ez-Zor, 3.5 degrees east, is outside it.
    assert lon_range[1] < 40.1
    labels = page.evaluate("document.getElementById('map').data.filter(t => t.name === 'Towns').flatMap(t => t.text)")
    assert "Idlib" in labels
    _assert_map_reads(page)
    save_screenshot(page, artifacts, f"dashboard-idlib-{size}.png", publish=True)


# The map was drawn again for a view other than `v` (dashboard.js redraws after a zoom, a pan or a click).
REDRAWN = (
    "v => { const m = document.getElementById('map'); return m.dataset.view !== v && m.dataset.ready === 'true'; }"
)


CLUSTERS = "document.getElementById('map').data.filter(t => t.customdata && t.customdata[0][1] === 'cluster')"
# Where each cluster is drawn on the page, with its count and extent (customdata: [null, "cluster", extent, ids]).
CLUSTER_SPOTS = """(() => {
  const map = document.getElementById('map');
  const group = Array.from(map.querySelectorAll('g.trace.scattergeo')).find(g => {
    const c = g.__data__[0].trace.customdata; return c && c[0] && c[0][1] === 'cluster'; });
  if (!group) return [];
  const trace = group.__data__[0].trace;
  return Array.from(group.querySelectorAll('path.point')).map((path, index) => {
    const r = path.getBoundingClientRect(), extent = trace.customdata[index].slice(2, 6);
    return {x: r.left + r.width / 2, y: r.top + r.height / 2, count: Number(trace.text[index]), extent,
            spread: extent[2] > extent[0] || extent[3] > extent[1]};
  });
})()"""


def _zoom_in(page, times: int = 2) -> None:
    """The map's own "Zoom in" button, as a reader presses it; then wait for the redraw for the new view."""
    page.locator("#map").scroll_into_view_if_needed()
    for _ in range(times):
        before = page.locator("#map").get_attribute("data-view")
        page.locator("#map").hover()
        page.locator('#map .modebar-btn[data-title="Zoom in"]').click()
        page.wait_for_function(REDRAWN, arg=before)


def test_zooming_in_names_more_towns_and_splits_clusters(browser_page, syria_demo, artifacts):
    page = _open(browser_page, "/?admin1=Idlib")
    before = set(_town_names(page))
    _zoom_in(page)
    after = set(_town_names(page))
    # Smaller towns near Idlib appear that the governorate-wide view left out.
    assert after - before, (before, after)
    assert "Idlib" in after
    _assert_map_reads(page)
    save_screenshot(page, artifacts, "dashboard-idlib-zoomed.png")
    # Unfiltered, a click on a cluster of incidents at several places zooms in to them: they are drawn apart.
    page = _open(browser_page, "/")
    page.locator("#map").scroll_into_view_if_needed()
    page.evaluate(
        "document.getElementById('map').on('plotly_hover', e => { window.hovered = e.points[0].customdata; })"
    )
    spots = page.evaluate(CLUSTER_SPOTS)
    assert spots
    view = page.locator("#map").get_attribute("data-view")
    for spot in spots:
        # The one plotly picks under the pointer (not a governorate's diamond beside it), spread over places.
        page.mouse.move(spot["x"], spot["y"])
        hovered = page.evaluate("window.hovered")
        if hovered and hovered[1] == "cluster" and hovered[2:6] == spot["extent"] and spot["spread"]:
            break
    else:
        pytest.fail(f"no cluster over several places to click: {spots}")
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function(REDRAWN, arg=view)
    min_lon, min_lat, max_lon, max_lat = spot["extent"]
    west, south, east, north = map(float, page.locator("#map").get_attribute("data-view").split(","))
    assert west <= min_lon
    assert max_lon <= east
    assert south <= min_lat
    assert max_lat <= north
    # Its incidents are now in smaller groups or alone.
    counts = page.evaluate(f"{CLUSTERS}.flatMap(t => t.text.map(Number))")
    assert max(counts, default=0) < spot["count"]
    _assert_map_reads(page)


def test_an_incident_page_with_its_map_and_a_back_link_that_keeps_the_filters(sized_page, syria_demo, artifacts):
    size, recorded = sized_page
    page = _open(recorded, "/?admin1=Idlib")
    page.locator("#incident-table tbody tr[data-incident-id] a").first.click()
    page.wait_for_selector("#incident-map[data-ready=true]")
    assert recorded.errors == []
    assert recorded.outside_requests() == []
    _assert_apart(_boxes(page, [".incident > *"]))
    map_box = page.locator("#incident-map").bounding_box()
    assert map_box["width"] >= min(page.viewport_size["width"] - 40, 600)
    assert map_box["height"] >= 250
    save_screenshot(page, artifacts, f"incident-{size}.png", publish=True)
    page.locator("#back-to-dashboard").click()
    page.wait_for_selector("#dashboard[data-charts-ready=true]")
    assert "admin1=Idlib" in page.url
