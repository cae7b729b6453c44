"""Reports of one event from several outlets become one incident, whatever order they are filed in."""

import datetime
import functools
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casualties.models import Claim, Incident
from casualties.services import filing
from reports.extraction import extract
from tests.casualties.test_filing import found
from tests.factories import Admin1Factory, ArticleFactory, PlaceFactory

pytestmark = pytest.mark.django_db

_DAY = datetime.date(2015, 11, 29)

# One outlet's account of the strike: its toll (low, spread), whether it names the town, the day it
# gives (the day itself or the next, as a late report may), and whether it names the kind of attack.
_report = st.fixed_dictionaries(
    {
        "killed_min": st.integers(min_value=0, max_value=80),
        "spread": st.integers(min_value=0, max_value=20),
        "injured_max": st.none() | st.integers(min_value=0, max_value=200),
        "names_place": st.booleans(),
        "day_after": st.booleans(),
        "event_type": st.sampled_from(["air_drone_strike", "other"]),
    }
)


@st.composite
def _arrivals(draw):
    """2-5 reports of one strike, the order they arrive in, and how the filer gets them."""
    reports = draw(st.lists(_report, min_size=2, max_size=5))
    order = draw(st.permutations(range(len(reports))))
    # One article at a time, all in one batch, or cut into two batches at some point.
    cut = draw(st.sampled_from(["one_by_one", "one_batch", "two_batches"]))
    split = draw(st.integers(min_value=1, max_value=len(reports) - 1))
    return reports, order, cut, split


def _found(report, ariha):
    day = (_DAY + datetime.timedelta(days=int(report["day_after"]))).isoformat()
    fields = {
        "date_start": day,
        "date_end": day,
        "killed_min": report["killed_min"],
        "killed_max": report["killed_min"] + report["spread"],
        "injured_min": None,
        "injured_max": report["injured_max"],
        "event_type": report["event_type"],
    }
    if report["names_place"]:
        fields.update(place=ariha.name, geonameid=ariha.geonameid, lat=ariha.lat, lon=ariha.lon)
    else:
        fields.update(place=None, geonameid=None, lat=None, lon=None, location_precision="admin1")
    return found(**fields)


@pytest.fixture
def ariha():
    idlib = Admin1Factory(country="SY", code="12", name="Idlib")
    return PlaceFactory(geonameid=172994, name="Ariha", ascii_name="Ariha", admin1=idlib, lat=35.81, lon=36.6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arrivals=_arrivals())
def test_reports_of_one_event_in_any_order_give_one_incident_with_the_right_min_and_max(ariha, arrivals):
    reports, order, cut, split = arrivals
    with transaction.atomic():  # each example starts from an empty table
        batch = [(ArticleFactory(), [_found(reports[i], ariha)]) for i in order]
        if cut == "one_by_one":
            parts = [[item] for item in batch]
        elif cut == "one_batch":
            parts = [batch]
        else:
            parts = [batch[:split], batch[split:]]
        for part in parts:
            filing.articles_file_incidents(batch=part, extractor_version="test-1")

        incidents = list(Incident.objects.all())
        assert len(incidents) == 1, [(i.date_start, i.place_name, i.killed_max) for i in incidents]
        incident = incidents[0]
        assert Claim.objects.filter(incident=incident).count() == len(reports)
        assert incident.killed_min == min(r["killed_min"] for r in reports)
        assert incident.killed_max == max(r["killed_min"] + r["spread"] for r in reports)
        injured = [r["injured_max"] for r in reports if r["injured_max"] is not None]
        assert incident.injured_max == (max(injured) if injured else None)
        # The town is kept once any outlet names it, whichever came first.
        assert incident.place_id == (ariha.pk if any(r["names_place"] for r in reports) else None)
        transaction.set_rollback(True)


# Three outlets' accounts of one strike, in our own words: the engine reads them, the filer files them.
_OUTLETS = (
    "An air strike on a bakery in Saraqib, in Idlib province, killed 12 civilians on Tuesday, rescuers said.",
    "At least 9 people died when warplanes bombed a bakery in the town of Saraqib in Idlib on Tuesday.",
    "Tuesday's raid on a Saraqib bakery in Idlib province left between 10 and 15 people dead, according to medics.",
)


@functools.cache
def _extracted(text):
    return extract(text=text, published="2016-02-11")


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(_OUTLETS)))))
def test_the_engines_reports_of_one_strike_file_as_one_incident_in_any_order(order):
    for i in order:
        filing.article_file_incidents(
            article=ArticleFactory(), incidents=_extracted(_OUTLETS[i]), extractor_version="t"
        )
    (incident,) = Incident.objects.all()
    assert (incident.place_name, incident.killed_min, incident.killed_max) == ("Saraqib", 9, 15)
    assert incident.claims.count() == 3
