"""needs_review and review_reasons in the API: on incidents (from their claims' confidence) and on articles."""

import pytest

from tests.factories import ArticleFactory, ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"
TOLL = "Nine people, three of them children, were killed on Friday when a warplane struck a bakery."
NO_INCIDENT = [
    {"kind": "no_incident", "reason": f"a casualty sentence gave no incident: {TOLL}", "start": 0, "end": len(TOLL)}
]


@pytest.fixture
def incidents():
    """A doubtful incident (a claim at 0.31 beside one at 0.9), a confident one, and a doubtful one verified."""
    doubtful = IncidentFactory()
    ClaimFactory(incident=doubtful, confidence=0.31)
    ClaimFactory(incident=doubtful, confidence=0.9)
    confident = IncidentFactory()
    ClaimFactory(incident=confident, confidence=0.8)
    verified = IncidentFactory(review_status="verified")
    ClaimFactory(incident=verified, confidence=0.1)
    return {"doubtful": doubtful, "confident": confident, "verified": verified}


def _listed(client, **params) -> dict[int, dict]:
    response = client.get(URL, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return {record["id"]: record for record in response.json()["results"]}


def test_the_list_says_which_incidents_need_review_and_why(client, incidents):
    listed = _listed(client)
    doubtful = listed[incidents["doubtful"].pk]
    assert doubtful["needs_review"] is True
    assert doubtful["review_reasons"] == [{"kind": "low_confidence", "reason": "confidence 0.31 < 0.50"}]
    for name in ("confident", "verified"):
        assert (listed[incidents[name].pk]["needs_review"], listed[incidents[name].pk]["review_reasons"]) == (False, [])


def test_the_filter_selects_the_incidents_that_need_review_or_the_others(client, incidents):
    assert set(_listed(client, needs_review="true")) == {incidents["doubtful"].pk}
    assert set(_listed(client, needs_review="false")) == {incidents["confident"].pk, incidents["verified"].pk}
    response = client.get(URL, {"needs_review": "perhaps"})
    assert response.status_code == 400
    assert "needs_review" in response.content.decode()


def test_the_threshold_setting_moves_the_line(client, incidents, settings):
    settings.EXTRACTION_REVIEW_THRESHOLD = 0.85
    assert set(_listed(client, needs_review="true")) == {incidents["doubtful"].pk, incidents["confident"].pk}
    assert _listed(client)[incidents["confident"].pk]["review_reasons"][0]["reason"] == "confidence 0.80 < 0.85"
    settings.EXTRACTION_REVIEW_THRESHOLD = 0.0
    assert _listed(client, needs_review="true") == {}


def test_the_detail_has_the_incidents_reasons_and_its_sources(client, incidents):
    article = ArticleFactory(text=TOLL, status="extracted", needs_review=True, review_reasons=NO_INCIDENT)
    ClaimFactory(incident=incidents["doubtful"], article=article, confidence=0.9)
    detail = client.get(f"{URL}{incidents['doubtful'].pk}/").json()
    assert detail["needs_review"] is True
    assert detail["review_reasons"] == [{"kind": "low_confidence", "reason": "confidence 0.31 < 0.50"}]
    by_article = {claim["article"]["id"]: claim["article"] for claim in detail["claims"]}
    assert by_article[article.pk]["needs_review"] is True
    assert by_article[article.pk]["review_reasons"] == NO_INCIDENT
    assert sum(source["needs_review"] for source in by_article.values()) == 1


def test_the_article_job_says_whether_it_needs_review_and_why(client):
    flagged = ArticleFactory(text=TOLL, status="extracted", needs_review=True, review_reasons=NO_INCIDENT)
    plain = ArticleFactory(status="extracted")
    body = client.get(f"/api/v1/articles/{flagged.pk}/").json()
    assert (body["needs_review"], body["review_reasons"]) == (True, NO_INCIDENT)
    body = client.get(f"/api/v1/articles/{plain.pk}/").json()
    assert (body["needs_review"], body["review_reasons"]) == (False, [])


def test_list_records_equal_what_the_serializer_renders_for_the_review_fields(client, incidents):
    import json

    from rest_framework.renderers import JSONRenderer

    from casualties.api.serializers import IncidentSerializer
    from casualties.models import Incident
    from casualties.selectors.incidents import incident_list

    expected = json.loads(
        JSONRenderer().render(IncidentSerializer(incident_list(incidents=Incident.objects.all()), many=True).data)
    )
    listed = _listed(client, review_status="unverified,verified")
    assert {record["id"]: record for record in expected} == listed
    assert sum(record["needs_review"] for record in expected) == 1


def test_the_article_list_gives_the_articles_that_need_review_newest_first(client):
    first = ArticleFactory(text=TOLL, status="extracted", needs_review=True, review_reasons=NO_INCIDENT)
    plain = ArticleFactory(status="extracted")
    second = ArticleFactory(text=f"{TOLL} Again.", status="extracted", needs_review=True, review_reasons=NO_INCIDENT)
    waiting = ArticleFactory()

    def ids(**params):
        response = client.get("/api/v1/articles/", params)
        assert response.status_code == 200, response.content
        return [article["id"] for article in response.json()["results"]]

    assert ids() == [waiting.pk, second.pk, plain.pk, first.pk]
    assert ids(needs_review="true") == [second.pk, first.pk]
    assert ids(needs_review="false", status="extracted") == [plain.pk]
    assert ids(needs_review="true", page_size=1) == [second.pk]
    for bad in ({"needs_review": "perhaps"}, {"status": "lost"}):
        response = client.get("/api/v1/articles/", bad)
        assert response.status_code == 400
        assert next(iter(bad)) in response.content.decode()


def test_with_public_read_off_the_article_list_needs_the_viewer_role(client, settings):
    settings.PUBLIC_READ = False
    assert client.get("/api/v1/articles/", {"needs_review": "true"}).status_code == 401


def test_the_stats_follow_the_needs_review_filter(client, incidents):
    def counted(**params):
        return sum(row["incidents"] for row in client.get("/api/v1/stats/timeline/", params).json()["results"])

    assert (counted(), counted(needs_review="true"), counted(needs_review="false")) == (3, 1, 2)


def test_an_incident_not_annotated_by_the_selectors_reads_its_claims(incidents):
    from casualties.api.serializers import IncidentSerializer

    data = IncidentSerializer(incidents["doubtful"]).data
    assert (data["needs_review"], data["review_reasons"][0]["reason"]) == (True, "confidence 0.31 < 0.50")


def test_an_analysts_note_is_patched_shown_in_the_detail_and_kept_in_the_history(analyst_client, analyst):
    from tests.factories import IncidentFactory

    incident = IncidentFactory()
    response = analyst_client.patch(
        f"/api/v1/incidents/{incident.pk}/",
        {"note": "The hospital's figure is the later one.", "reason": "note"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["note"] == "The hospital's figure is the later one."
    incident.refresh_from_db()
    assert not incident.figures_locked
    latest = incident.history.latest()
    assert (latest.history_user, latest.note) == (analyst, "The hospital's figure is the later one.")


def test_readers_cannot_patch_a_note(reader_client):
    from tests.factories import IncidentFactory

    incident = IncidentFactory()
    response = reader_client.patch(f"/api/v1/incidents/{incident.pk}/", {"note": "x"}, format="json")
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.note == ""
