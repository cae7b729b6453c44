"""The comparison page: the tables, the links both ways, and ACLED's rows withheld from anyone but analysts."""

import pytest

from casualties.models import ReferenceDataset
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_sets_and_totals_and_links_to_both_sides(client, compared):
    client.force_login(UserFactory(analyst=True))

    response = client.get("/compare/", {"dataset": "acled", "admin1": "Idlib"})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<strong data-count="matched">1</strong>' in page
    assert '<strong data-count="theirs_only">1</strong>' in page
    assert f'href="/incidents/{compared["A"].pk}/"' in page
    assert 'href="/api/v1/compare/acled/events/SYR1002/"' in page
    assert "?admin1=Idlib&amp;dataset=acled&amp;date_from=2023-02-01&amp;date_to=2023-02-28" in page
    assert 'href="/?admin1=Idlib"' in page


def test_a_restricted_dataset_s_events_are_not_on_the_page_for_anonymous_readers(client, compared):
    page = client.get("/compare/", {"dataset": "acled"}).content.decode()

    assert "SYR10" not in page
    assert 'id="rows-withheld"' in page
    assert '<strong data-count="theirs_only">2</strong>' in page


def test_an_unrestricted_dataset_s_events_are_on_the_page_for_everyone(client, compared):
    ReferenceDataset.objects.filter(format="acled").update(restricted=False)

    page = client.get("/compare/", {"dataset": "acled"}).content.decode()

    assert 'href="/api/v1/compare/acled/events/SYR1005/"' in page


def test_a_bad_filter_is_a_400_naming_it(client, compared):
    response = client.get("/compare/", {"dataset": "acled", "date_from": "yesterday"})

    assert response.status_code == 400
    assert "<strong>date_from</strong>" in response.content.decode()
