"""The API's documentation pages in a browser: they draw, and they ask nothing of any other host."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "drawn"), [("/api/docs/", ".swagger-ui .info"), ("/api/redoc/", ".api-info")])
def test_the_api_documentation_draws_without_any_outside_request(browser_page, path, drawn):
    page = browser_page.page
    page.goto(path)
    page.wait_for_selector(drawn)
    page.wait_for_load_state("networkidle")
    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
