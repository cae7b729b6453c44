"""Finding 9 of the review of 9600419: a failed article's reason named internal addresses to anyone.
Analysts (who submit and debug articles) see the reason in full; anonymous readers and viewers a generic one."""

import pytest
from rest_framework.test import APIClient

from casualties.api.articles import GENERIC_FAILURE_REASON
from reports.models import Article
from tests.security.conftest import make_user, token_client

pytestmark = pytest.mark.django_db

REASON = "refused: localhost resolves to a private or reserved address (127.0.0.1)"


@pytest.fixture
def failed() -> Article:
    return Article.objects.create(
        url="http://localhost:8174/internal", status=Article.Status.FAILED, failure_reason=REASON
    )


def test_anonymous_readers_get_a_generic_reason(failed):
    body = APIClient().get(f"/api/v1/articles/{failed.pk}/").json()
    assert body["status"] == "failed"
    assert body["failure_reason"] == GENERIC_FAILURE_REASON
    assert "127.0.0.1" not in str(body["failure_reason"])


def test_viewers_get_a_generic_reason(failed):
    body = token_client(make_user("viewer1", "viewers")).get(f"/api/v1/articles/{failed.pk}/").json()
    assert body["failure_reason"] == GENERIC_FAILURE_REASON


def test_analysts_get_the_reason_in_full(failed):
    body = token_client(make_user("analyst1", "analysts")).get(f"/api/v1/articles/{failed.pk}/").json()
    assert body["failure_reason"] == REASON


def test_an_article_that_did_not_fail_has_no_reason(failed):
    failed.status, failed.failure_reason = Article.Status.PENDING, ""
    failed.save()
    assert APIClient().get(f"/api/v1/articles/{failed.pk}/").json()["failure_reason"] == ""
