"""The dashboard's timeline draws the killed range from the rows both count paths give (issue 18)."""

import datetime

import pytest

from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", [{}, {"date_from": "2016-01-01", "date_to": "2016-01-31"}, {"stack": "none"}])
def test_the_timeline_endpoint_draws_the_lowest_to_highest_killed(client, query):
    day = datetime.date(2016, 1, 12)
    IncidentFactory(date_start=day, date_end=day, killed_min=4, killed_max=9)
    IncidentFactory(date_start=day, date_end=day, killed_min=2, killed_max=2)
    figure = client.get("/dashboard/timeline.json", {"measure": "killed", **query}).json()["figure"]
    (whisker,) = [trace for trace in figure["data"] if trace["type"] == "scatter"]
    assert whisker["y"] == [6]
    assert whisker["error_y"]["array"] == [5]
    assert sum(sum(trace["y"]) for trace in figure["data"] if trace["type"] == "bar") == 11
