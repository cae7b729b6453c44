"""The grouped timeline is bounded (finding 7 of the review of 9600419).

`/api/v1/stats/timeline/?interval=day&group_by=admin1` sent every division's daily series,
15.8 MB to an anonymous client. It now sends the largest groups and one "Other" holding
the rest, as the dashboard's chart does, and each period still sums to the whole.
"""

import datetime
from collections import defaultdict

import pytest

from casualties.api.views import TIMELINE_MAX_GROUPS
from casualties.selectors.rollups import OTHER_GROUP
from tests.factories import Admin1Factory, IncidentFactory

pytestmark = pytest.mark.django_db

MEASURES = ("killed", "killed_min", "injured", "incidents")
DIVISIONS = TIMELINE_MAX_GROUPS + 5


@pytest.fixture
def many_divisions():
    """More divisions than the cap, each with a different toll, over a few days and two countries."""
    first = datetime.date(2016, 3, 1)
    for number in range(DIVISIONS):
        country = "SY" if number % 2 else "IQ"
        division = Admin1Factory(country=country, code=f"{number:02}", name=f"Division {number:02}")
        for day in range(2):
            date = first + datetime.timedelta(days=day * 3 + number % 2)
            IncidentFactory(
                admin1=division, country=country, date_start=date, date_end=date, killed_min=1, killed_max=number + 1
            )
    IncidentFactory(admin1=None, country="SY", location_precision="country", date_start=first, date_end=first)


def _per_period(rows: list[dict]) -> dict[str, dict[str, int]]:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for row in rows:
        for name in MEASURES:
            sums[row["period"]][name] += row[name] or 0  # a figure no incident gives is null
    return dict(sums)


# killed_min=0 sends the query to the incident table; without it the counts answer.
@pytest.mark.parametrize("extra", ["", "&killed_min=0"])
@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_the_grouped_timeline_keeps_the_largest_groups_and_sums_to_the_whole(client, many_divisions, interval, extra):
    grouped = client.get(f"/api/v1/stats/timeline/?interval={interval}&group_by=admin1{extra}")
    assert grouped.status_code == 200
    rows = grouped.json()["results"]
    groups = {row["group"] for row in rows}
    assert len(groups) == TIMELINE_MAX_GROUPS + 1
    # The largest by killed are kept by name; the rest, and incidents with no division, are in Other.
    largest = {f"Division {number:02}" for number in range(DIVISIONS - TIMELINE_MAX_GROUPS, DIVISIONS)}
    assert groups == largest | {OTHER_GROUP}
    periods = {row["period"] for row in rows}
    assert len(rows) <= len(periods) * (TIMELINE_MAX_GROUPS + 1)
    whole = client.get(f"/api/v1/stats/timeline/?interval={interval}{extra}").json()["results"]
    assert _per_period(rows) == _per_period(whole)


def test_the_capped_timeline_is_the_same_from_the_counts_and_from_the_incidents(client, many_divisions):
    from_counts = client.get("/api/v1/stats/timeline/?interval=day&group_by=country").json()
    from_incidents = client.get("/api/v1/stats/timeline/?interval=day&group_by=country&killed_min=0").json()
    assert from_counts == from_incidents
    by_admin1 = client.get("/api/v1/stats/timeline/?interval=day&group_by=admin1").json()
    assert by_admin1 == client.get("/api/v1/stats/timeline/?interval=day&group_by=admin1&killed_min=0").json()


def test_few_groups_are_returned_as_they_are(client):
    for number in range(3):
        IncidentFactory(admin1=Admin1Factory(code=f"{number:02}", name=f"Division {number:02}"))
    IncidentFactory(admin1=None, location_precision="country")
    rows = client.get("/api/v1/stats/timeline/?group_by=admin1").json()["results"]
    assert [row["group"] for row in rows] == ["Division 00", "Division 01", "Division 02", None]


def test_the_csv_is_capped_too(client, many_divisions):
    response = client.get("/api/v1/stats/timeline/?interval=day&group_by=admin1&format=csv")
    assert response.status_code == 200
    lines = response.content.decode().strip().splitlines()
    groups = {line.split(",")[1] for line in lines[1:]}
    assert len(groups) == TIMELINE_MAX_GROUPS + 1
