"""Incident grades (docs/grading.md): the rule, one case per line, and the grade in the API, exports and pages."""

import csv
import io
import re

import pytest
from rest_framework.test import APIClient

from casualties.models import Incident
from casualties.selectors.grading import incident_grade, incidents_with_grade
from reports.models import Source
from tests.factories import ArticleFactory, ClaimFactory, IncidentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

G = Source.Grade


def incident_from(sources: list[str | None], *, review_status: str = "unverified", killed=None) -> Incident:
    """An incident with one claim per entry: a source of that grade (its own outlet), or None: no outlet."""
    merged_into = IncidentFactory() if review_status == "merged" else None
    incident = IncidentFactory(review_status=review_status, merged_into=merged_into)
    for index, grade in enumerate(sources):
        source = SourceFactory(grade=grade) if grade else None
        low, high = killed[index] if killed else (10, 10)
        ClaimFactory(incident=incident, article=ArticleFactory(source=source), killed_min=low, killed_max=high)
    return incident


@pytest.mark.parametrize(
    ("sources", "review_status", "killed", "grade"),
    [
        # discounted: rejected or merged, whatever the sources
        ([G.WIRE, G.MONITOR], "rejected", None, "discounted"),
        ([G.WIRE, G.MONITOR], "merged", None, "discounted"),
        # contested: a party and another source give tolls that cannot both be true (8-9 and 20-25)
        ([G.WIRE, G.PARTY], "verified", [(8, 9), (20, 25)], "contested"),
        ([G.PARTY, None], "unverified", [(20, 25), (8, 9)], "contested"),
        # overlapping ranges are not a contest
        ([G.WIRE, G.PARTY], "verified", [(8, 20), (12, 25)], "confirmed"),
        # nor are independent outlets whose tolls differ (a toll rises as the dead are counted)
        ([G.WIRE, G.MONITOR], "verified", [(8, 9), (20, 25)], "confirmed"),
        # nor two parties (both give the same side's word)
        ([G.PARTY, G.PARTY], "unverified", [(8, 9), (20, 25)], "weak"),
        # confirmed: verified, two independent sources, one of them an agency or a monitor
        ([G.WIRE, G.PARTY], "verified", None, "confirmed"),
        ([G.MONITOR, None], "verified", None, "confirmed"),
        ([G.LOCAL, G.LOCAL], "verified", None, "fair"),  # no agency or monitor
        ([G.WIRE], "verified", None, "fair"),  # one source only: fair when verified
        # fair: two independent sources with a credible one, or verified with a credible one
        ([G.WIRE, G.MONITOR], "unverified", None, "fair"),
        ([G.LOCAL, G.PARTY], "unverified", None, "fair"),
        ([G.LOCAL], "verified", None, "fair"),
        # weak: one source, or only parties and unknowns
        ([G.WIRE], "unverified", None, "weak"),
        ([G.PARTY, G.UNKNOWN, None], "unverified", None, "weak"),
        ([G.PARTY], "verified", None, "weak"),
        ([], "unverified", None, "weak"),
    ],
)
def test_the_grade_rule(sources, review_status, killed, grade):
    incident = incident_from(sources, review_status=review_status, killed=killed)
    assert incident_grade(incident=incident) == grade


def test_two_articles_from_one_source_are_one_source():
    wire = SourceFactory(grade=G.WIRE)
    incident = IncidentFactory(review_status="verified")
    ClaimFactory(incident=incident, article=ArticleFactory(source=wire))
    ClaimFactory(incident=incident, article=ArticleFactory(source=wire))
    assert incident_grade(incident=incident) == "fair"  # verified with a credible source, but not two
    ClaimFactory(incident=incident, article=ArticleFactory(source=None))
    assert incident_grade(incident=incident) == "confirmed"


def test_regrading_a_source_regrades_its_incidents_at_once():
    incident = incident_from([G.UNKNOWN, G.PARTY], review_status="verified")
    assert incident_grade(incident=incident) == "weak"
    Source.objects.filter(pk=incident.claims.first().article.source_id).update(grade=G.WIRE)
    assert incident_grade(incident=incident) == "confirmed"


def test_grading_a_list_adds_no_query(django_assert_num_queries):
    for _ in range(5):
        incident_from([G.WIRE, G.LOCAL])
    with django_assert_num_queries(1):
        grades = list(incidents_with_grade(incidents=Incident.objects.all()).values_list("grade", flat=True))
    assert grades == ["fair"] * 5


# --- The grade where users see it ------------------------------------------------------------


@pytest.fixture
def graded():
    return {
        "confirmed": incident_from([G.WIRE, G.LOCAL], review_status="verified"),
        "fair": incident_from([G.MONITOR, G.LOCAL]),
        "weak": incident_from([G.PARTY]),
    }


def test_the_api_lists_and_filters_by_grade(graded):
    client = APIClient()
    listed = client.get("/api/v1/incidents/").json()["results"]
    assert {row["id"]: row["grade"] for row in listed} == {incident.pk: name for name, incident in graded.items()}
    chosen = client.get("/api/v1/incidents/", {"grade": "confirmed,fair"}).json()["results"]
    assert {row["id"] for row in chosen} == {graded["confirmed"].pk, graded["fair"].pk}
    assert client.get(f"/api/v1/incidents/{graded['weak'].pk}/").json()["grade"] == "weak"


def test_an_unknown_grade_is_a_400_naming_the_choices():
    response = APIClient().get("/api/v1/incidents/", {"grade": "excellent"})
    assert response.status_code == 400
    assert "confirmed" in str(response.json())


def test_the_stats_follow_the_grade_filter(graded):
    rows = APIClient().get("/api/v1/stats/admin1/", {"grade": "weak"}).json()
    assert sum(row["incidents"] for row in rows) == 1
    rows = APIClient().get("/api/v1/stats/admin1/", {"grade": "weak,fair"}).json()
    assert sum(row["incidents"] for row in rows) == 2


def test_the_csv_export_has_the_grade_column(graded):
    response = APIClient().get("/api/v1/incidents/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {int(row["id"]): row["grade"] for row in rows} == {incident.pk: name for name, incident in graded.items()}


def test_the_dashboard_filters_by_grade_and_shows_it(client, graded):
    page = client.get("/", {"grade": "weak"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-incident-id="{graded["weak"].pk}"' in html
    assert f'data-incident-id="{graded["fair"].pk}"' not in html
    assert re.search(r'<input type="checkbox" name="grade" value="weak"[^>]* checked>', html)
    detail = client.get(f"/incidents/{graded['confirmed'].pk}/").content.decode()
    assert re.search(r'id="incident-grade"[^>]*>grade: confirmed<', detail)


def test_only_admins_grade_sources(client):
    source = SourceFactory(name="Levant Desk")
    for role in ("viewer", "analyst"):
        client.force_login(UserFactory(**{role: True}, is_staff=True))
        response = client.post(f"/admin/reports/source/{source.pk}/change/", {"name": source.name, "grade": "wire"})
        assert response.status_code == 403, role
    client.force_login(UserFactory(admin=True))
    response = client.post(
        f"/admin/reports/source/{source.pk}/change/", {"name": source.name, "kind": "outlet", "grade": "wire"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source.refresh_from_db()
    assert source.grade == "wire"


def test_the_grade_compiled_once_reads_the_right_incident_inside_another_query(graded):
    # The grade's SQL is compiled once a process (casualties.selectors.grading._Grade); each query puts in its
    # own alias for the incident table, so as a subquery (aliased U0) it still grades that query's rows.
    incident_from([G.PARTY, G.WIRE], review_status="rejected")
    graded_rows = incidents_with_grade(incidents=Incident.objects.all())
    for grade, incident in graded.items():
        inner = graded_rows.filter(grade=grade).values("id")
        assert list(Incident.objects.filter(id__in=inner).values_list("id", flat=True)) == [incident.pk]
    assert sorted(graded_rows.values_list("grade", flat=True)) == ["confirmed", "discounted", "fair", "weak"]
