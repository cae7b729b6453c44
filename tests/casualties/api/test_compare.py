"""GET /api/v1/compare/: the comparison, its CSV, and the restriction of ACLED's rows to analysts."""

import pytest

from casualties.models import ReferenceDataset
from tests.factories import UserFactory, token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/compare/"


def test_anyone_who_reads_gets_an_unrestricted_dataset_s_rows(client, compared):
    ReferenceDataset.objects.filter(format="acled").update(restricted=False)

    body = client.get(URL, {"dataset": "acled", "admin1": "Idlib"}).json()

    assert body["rows_withheld"] is False
    assert [pair["theirs"]["event_id"] for pair in body["matched"]] == ["SYR1001"]
    assert body["matched"][0]["ours"]["url"] == f"/incidents/{compared['A'].pk}/"
    assert [row["event_id"] for row in body["theirs_only"]] == ["SYR1002"]
    assert body["theirs_only"][0]["url"] == "/api/v1/compare/acled/events/SYR1002/"
    assert (body["totals"]["matched"], body["totals"]["ours_only"], body["totals"]["theirs_only"]) == (1, 2, 1)


def test_a_restricted_dataset_s_rows_are_never_served_anonymously(client, compared):
    response = client.get(URL, {"dataset": "acled"})

    body = response.json()
    assert response.status_code == 200
    assert body["rows_withheld"] is True
    assert body["theirs_only"] is None
    assert all(pair["theirs"] is None for pair in body["matched"])
    assert "SYR10" not in response.content.decode()
    assert body["totals"]["theirs_only"] == 2
    assert client.get(URL, {"dataset": "acled", "format": "csv"}).status_code in (401, 403)
    assert client.get("/api/v1/compare/acled/events/SYR1002/").status_code in (401, 403)


def test_a_signed_in_user_without_the_analyst_role_does_not_see_them_either(compared):
    body = token_client(UserFactory(viewer=True)).get(URL, {"dataset": "acled"}).json()

    assert body["rows_withheld"] is True


def test_an_analyst_sees_a_restricted_dataset_s_rows_and_exports_them(compared):
    analyst = token_client(UserFactory(analyst=True))

    body = analyst.get(URL, {"dataset": "acled", "set": "theirs_only"}).json()
    export = analyst.get(URL, {"dataset": "acled", "admin1": "Idlib", "format": "csv"})
    event = analyst.get("/api/v1/compare/acled/events/SYR1002/").json()

    assert [row["event_id"] for row in body["theirs_only"]] == ["SYR1002", "SYR1005"]
    assert "matched" not in body
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0].startswith("set,days_apart,distance_km,ours_id")
    assert [line.split(",")[0] for line in lines[1:]] == ["matched", "ours_only", "ours_only", "theirs_only"]
    assert (event["admin1"], event["killed_best"], event["fields"]["location"]) == ("Idlib", 2, "Tell Nabi")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "dataset"),
        ({"dataset": "ucdp"}, "dataset"),
        ({"dataset": "acled", "set": "mine"}, "set"),
        ({"dataset": "acled", "admin1": "Nowhere"}, "admin1"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, compared, query, field):
    response = client.get(URL, query)

    assert response.status_code == 400
    assert field in response.json()["errors"]
