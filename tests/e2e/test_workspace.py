"""The analyst's workspace in headless Chromium: the queue by keyboard, relocation by another spelling,
a split and an undo of a merge. Each against the demo data (seeds/articles through the real pipeline)."""

import re

import pytest

from casualties.models import Claim, Incident, Place
from casualties.services.review import incident_merge
from tests.e2e.conftest import save_screenshot
from tests.factories import PASSWORD, SearchablePlaceFactory, UserFactory

pytestmark = pytest.mark.browser

MAARAT_GEONAMEID = 167611


def _sign_in(recorded, path: str):
    UserFactory(username="analyst", analyst=True)
    page = recorded.page
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    return page


def _queue_ids(page) -> list[int]:
    return [
        int(value) for value in page.eval_on_selector_all(".queue-row", "rows => rows.map(r => r.dataset.incidentId)")
    ]


def test_an_analyst_works_through_the_queue_with_the_keyboard(browser_page, demo, artifacts):
    page = _sign_in(browser_page, "/review/")
    page.wait_for_selector("#review-queue[data-keys-ready=true]")
    ids = _queue_ids(page)
    assert len(ids) >= 3
    # The dashboard's default: incidents, not reported period totals.
    unverified = Incident.objects.filter(review_status="unverified", aggregate=False).count()
    assert page.inner_text('[data-count="total"]') == str(unverified)
    assert page.get_attribute("#review-queue", "data-current") == str(ids[0])

    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.get_attribute("#review-queue", "data-current") == str(ids[2])
    page.keyboard.press("k")
    assert page.get_attribute("#review-queue", "data-current") == str(ids[1])
    save_screenshot(page, artifacts, "review-queue.png", publish=True)

    page.keyboard.press("v")
    page.wait_for_selector("text=1 incident verified")
    assert Incident.objects.get(pk=ids[1]).review_status == "verified"
    assert ids[1] not in _queue_ids(page)

    page.wait_for_selector("#review-queue[data-keys-ready=true]")
    first = _queue_ids(page)[0]
    page.keyboard.press("x")
    page.wait_for_selector("text=1 incident rejected")
    assert Incident.objects.get(pk=first).review_status == "rejected"

    page.wait_for_selector("#review-queue[data-keys-ready=true]")
    opened = _queue_ids(page)[0]
    page.keyboard.press("o")
    page.wait_for_url(re.compile(rf"/incidents/{opened}/$"))
    assert Incident.objects.get(pk=ids[1]).history.latest().history_user.username == "analyst"
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []


def test_an_analyst_relocates_an_incident_by_another_spelling(browser_page, demo):
    maarat = Place.objects.filter(geonameid=MAARAT_GEONAMEID).first() or SearchablePlaceFactory(
        geonameid=MAARAT_GEONAMEID, name="Ma‘arrat an Nu‘mān", ascii_name="Maarrat an Numan", lat=35.6483, lon=36.67693
    )
    incident = Incident.objects.exclude(place=maarat).filter(review_status="unverified").first()
    page = _sign_in(browser_page, f"/incidents/{incident.pk}/")

    page.get_by_label("Search the gazetteer").press_sequentially("Maarat al-Numan", delay=20)
    page.wait_for_selector(f'#relocate-place option[value="{maarat.pk}"]', state="attached")
    page.select_option("#relocate-place", str(maarat.pk))
    page.fill("#relocate-reason", "the market strike was in Maarat")
    page.get_by_role("button", name="Move here").click()
    page.wait_for_selector(f"text=moved to {maarat.name}")

    incident.refresh_from_db()
    assert (incident.place_id, incident.location_precision, incident.lat) == (maarat.pk, "place", maarat.lat)
    history = page.inner_text("#history")
    assert "the market strike was in Maarat" in history
    assert "by analyst" in history
    assert browser_page.outside_requests() == []


def _two_live_incidents():
    return Incident.objects.filter(review_status="unverified", aggregate=False).order_by("pk")[:2]


def test_an_analyst_undoes_a_merge(browser_page, demo):
    keep, drop = _two_live_incidents()
    drop_claims = set(drop.claims.values_list("pk", flat=True))
    incident_merge(keep=keep, drop=drop, user=None, reason="looked alike")

    page = _sign_in(browser_page, f"/incidents/{drop.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.fill("#unmerge-reason", "two events")
    page.get_by_role("button", name="Undo merge").click()
    page.wait_for_selector("text=Merge undone")

    drop.refresh_from_db()
    assert (drop.review_status, drop.merged_into_id) == ("unverified", None)
    assert set(drop.claims.values_list("pk", flat=True)) == drop_claims
    assert page.inner_text("#review-status") == "Unverified"
    assert "two events" in page.inner_text("#history")
    assert browser_page.outside_requests() == []


def test_an_analyst_splits_an_incident(browser_page, demo, artifacts):
    # The demo files every report as its own incident: a merge makes one that joined two events.
    keep, drop = _two_live_incidents()
    incident_merge(keep=keep, drop=drop, user=None, reason="looked alike")
    claims = list(keep.claims.order_by("pk").values_list("pk", flat=True))
    assert len(claims) >= 2

    page = _sign_in(browser_page, f"/incidents/{keep.pk}/")
    page.check(f"#split-claim-{claims[-1]}")
    page.fill("#split-reason", "another village")
    page.get_by_role("button", name="Split the ticked sources into a new incident").click()
    page.wait_for_selector("text=into this new incident")

    new_id = int(re.search(r"/incidents/(\d+)/$", page.url).group(1))
    assert new_id not in (keep.pk, drop.pk)
    assert list(Claim.objects.filter(incident_id=new_id).values_list("pk", flat=True)) == [claims[-1]]
    assert list(keep.claims.values_list("pk", flat=True)) == claims[:-1]
    assert "another village" in page.inner_text("#history")
    save_screenshot(page, artifacts, "incident-split.png")
    assert browser_page.outside_requests() == []
