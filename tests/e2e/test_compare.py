"""The comparison page in headless Chromium: one governorate, its chart drawn, its tables, links both ways."""

import pytest

from casualties.models import ReferenceDataset
from tests.e2e.conftest import save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def compared_live(transactional_db, compared):
    """The `compared` incidents and ACLED's small export, visible to the live server, the dataset unrestricted."""
    ReferenceDataset.objects.filter(format="acled").update(restricted=False)
    return compared


def test_the_comparison_for_one_governorate_draws_its_chart_and_lists_the_three_sets(
    browser_page, compared_live, artifacts
):
    page = browser_page.page

    page.goto("/compare/?dataset=acled&admin1=Idlib")
    page.wait_for_selector("#compare[data-chart-ready=true]")

    assert browser_page.outside_requests() == []
    assert browser_page.errors == []
    # Two bars (ours, theirs) for the one month, February 2023.
    assert page.locator("#compare-chart g.barlayer g.point").count() == 2
    assert page.inner_text('[data-count="matched"]') == "1"
    assert page.inner_text('[data-count="ours_only"]') == "2"
    assert page.inner_text('[data-count="theirs_only"]') == "1"
    assert page.locator("#by-admin1 tbody tr").count() == 1
    assert page.locator("#theirs_only tbody tr").inner_text().startswith("SYR1002")
    save_screenshot(page, artifacts, "compare.png")
    # From our matched incident to its page, and back to the comparison.
    page.click(f'#matched a[href="/incidents/{compared_live["A"].pk}/"]')
    page.wait_for_url(f"**/incidents/{compared_live['A'].pk}/")
    page.go_back()
    # Their event opens as their whole row.
    page.click('#theirs_only a[href="/api/v1/compare/acled/events/SYR1002/"]')
    assert "Tell Nabi" in page.content()
