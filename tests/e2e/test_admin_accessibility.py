"""Every admin page the secretariat uses passes axe, reads as New Zealand English and is branded
as the product: the index, each change list and add page its group can open, and a history page.
The secretariat member here has the Secretariat group and staff status (the admin's door), no
superuser rights."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_dashboard_and_reports import sign_in
from tests.reporting.reports_setup import small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_admin_page_the_secretariat_opens_passes_axe(
    page, live_server, check_a11y, agency, other_agency, secretariat_user
):
    small_plan(agency, other_agency)
    secretariat_user.is_staff = True
    secretariat_user.save()
    sign_in(page, live_server, secretariat_user.username)

    page.goto(f"{live_server.url}/admin/")
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="TSOC Tracker administration")).to_be_visible()
    expect(page).to_have_title("Records the secretariat keeps | TSOC Tracker administration")
    assert "Django" not in page.content()
    check_a11y(page, "admin-index")
    links = page.locator("#content-main a").evaluate_all("links => links.map(a => a.href)")
    pages = sorted({link for link in links if link.startswith(live_server.url)})
    assert any(p.endswith("/admin/agencies/membership/add/") for p in pages)

    failures = []  # every page's violations at once, not only the first page's
    for address in pages:
        page.goto(address)
        name = address.removeprefix(f"{live_server.url}/admin/").strip("/").replace("/", "-")
        try:
            assert page.title().endswith("| TSOC Tracker administration"), page.title()
            assert "Link to an earlier actions" not in page.content()
            check_a11y(page, f"admin-{name}")
        except AssertionError as failure:
            failures.append(str(failure))
    assert failures == [], "\n\n".join(failures)

    # A record's history, where the admin shows who changed it and when, in NZ dates.
    page.goto(f"{live_server.url}/admin/agencies/agency/")
    page.get_by_role("link", name="Customs", exact=True).click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="View history: Customs")).to_be_visible()
    history = page.locator("#change-history").inner_text()
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}\.\d{2} [ap]m\b", history), history
    assert "a.m." not in history and "p.m." not in history
    check_a11y(page, "admin-agency-history")
