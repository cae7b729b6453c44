"""Exports cite their sources: `sources` and `evidence` columns after the existing ones, one query a chunk."""

import csv
import datetime
import io
import json
import math

import pytest

from casualties.models import Incident
from casualties.selectors.incidents import EXPORT_COLUMNS, EXPORT_HEADER, incident_export_rows
from tests.factories import ArticleFactory, ClaimFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db

CSV_URL = "/api/v1/incidents/"


@pytest.fixture
def cited():
    """An incident with two claims: an outlet's article with a URL and a date, and a pasted text with neither."""
    incident = IncidentFactory()
    ClaimFactory(
        incident=incident,
        article=ArticleFactory(
            source=SourceFactory(name="Levant Desk"),
            url="https://levant.example/ariha",
            published_at=datetime.datetime(2015, 10, 16, 9, 30, tzinfo=datetime.UTC),
        ),
        evidence="An air strike killed 10 people\nin Ariha.",
    )
    ClaimFactory(
        incident=incident,
        article=ArticleFactory(source=None, url=None, published_at=None),
        evidence="Twelve dead | rescuers said.",
    )
    return incident


def _csv_rows(client, **params):
    response = client.get(CSV_URL, {"format": "csv", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_keeps_its_columns_and_adds_sources_and_evidence_last(client, cited):
    response = client.get(CSV_URL, {"format": "csv"})
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert header[: len(EXPORT_COLUMNS)] == [name for name, _path in EXPORT_COLUMNS]
    assert header[len(EXPORT_COLUMNS) :] == ["sources", "evidence"]


def test_each_claim_is_cited_in_order_with_outlet_date_and_url(client, cited):
    (row,) = _csv_rows(client)
    assert row["sources"] == "Levant Desk (2015-10-16) https://levant.example/ariha | unknown outlet"
    # One line each; a "|" inside a sentence would read as a separator, so it is written "/".
    assert row["evidence"] == "An air strike killed 10 people in Ariha. | Twelve dead / rescuers said."


def test_an_incident_without_claims_has_empty_citations(client):
    IncidentFactory()
    (row,) = _csv_rows(client)
    assert (row["sources"], row["evidence"]) == ("", "")


def test_a_formula_in_an_outlet_name_is_defused(client):
    ClaimFactory(article=ArticleFactory(source=SourceFactory(name="=HYPERLINK(1)"), url=None))
    (row,) = _csv_rows(client)
    assert row["sources"].startswith("'=HYPERLINK(1)")


def test_geojson_and_json_exports_carry_the_same_citations(client, cited):
    geojson = json.loads(b"".join(client.get("/export/incidents.geojson").streaming_content))
    properties = geojson["features"][0]["properties"]
    assert properties["sources"].startswith("Levant Desk (2015-10-16) https://levant.example/ariha")
    assert properties["evidence"].endswith("Twelve dead / rescuers said.")
    plain = json.loads(b"".join(client.get("/export/incidents.json").streaming_content))
    assert list(plain["results"][0]) == EXPORT_HEADER


@pytest.mark.parametrize("incidents", [2, 30])
def test_the_export_reads_one_query_for_rows_and_one_for_claims_per_chunk(incidents, django_assert_num_queries):
    for _ in range(incidents):
        ClaimFactory.create_batch(2, incident=IncidentFactory())
    with django_assert_num_queries(2):
        rows = list(incident_export_rows(incidents=Incident.objects.all()))
    assert len(rows) == incidents
    assert all(row[-2].count(" | ") == 1 for row in rows)
    # Smaller chunks: one claims query per chunk, still none per row.
    chunk_size = 7
    with django_assert_num_queries(1 + math.ceil(incidents / chunk_size)):
        assert len(list(incident_export_rows(incidents=Incident.objects.all(), chunk_size=chunk_size))) == incidents


def test_the_incident_page_has_a_stable_citation_line(client, cited):
    page = client.get(f"/incidents/{cited.pk}/").content.decode()
    assert f"Casualty tracker, incident {cited.pk}, http://testserver/incidents/{cited.pk}/ (accessed" in page


def test_confidence_is_an_export_column_and_a_filter_on_the_claims_lowest(client):
    from tests.factories import ClaimFactory, IncidentFactory

    sure, doubtful = IncidentFactory(), IncidentFactory()
    ClaimFactory(incident=sure, confidence=0.9)
    ClaimFactory(incident=sure, confidence=0.8)
    ClaimFactory(incident=doubtful, confidence=0.4)

    rows = {int(row["id"]): row for row in _csv_rows(client)}
    assert (rows[sure.pk]["confidence"], rows[doubtful.pk]["confidence"]) == ("0.8", "0.4")

    listed = client.get("/api/v1/incidents/", {"confidence_min": "0.75"}).json()["results"]
    assert [row["id"] for row in listed] == [sure.pk]
    assert client.get("/api/v1/incidents/", {"confidence_min": "1.5"}).status_code == 400


def test_the_dashboard_filters_by_confidence_and_keeps_the_value_in_its_form(client):
    from tests.factories import ClaimFactory, IncidentFactory

    sure, doubtful = IncidentFactory(), IncidentFactory()
    ClaimFactory(incident=sure, confidence=0.9)
    ClaimFactory(incident=doubtful, confidence=0.4)
    html = client.get("/", {"confidence_min": "0.7"}).content.decode()
    assert f'data-incident-id="{sure.pk}"' in html
    assert f'data-incident-id="{doubtful.pk}"' not in html
    assert 'name="confidence_min" value="0.7"' in html
