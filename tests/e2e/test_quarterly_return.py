"""A quarter's return, end to end in Chromium: the lead writes and submits, the secretariat
accepts. Every page on the way is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import ActionAgency
from reporting.models import StatusUpdate
from reporting.periods import views as period_views
from tests.actions.factories import ActionAgencyFactory, ActionPlanFactory
from tests.e2e.two_step import finish_sign_in
from tests.reporting.scenes import open_period, shared_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


@pytest.fixture
def plan():
    return ActionPlanFactory(
        slug="tsoc-action-plan", title="TSOC Action Plan 2026–2030", short_title="TSOC 2026–2030"
    )


def sign_in(page, live_server, username, check_a11y):
    page.goto(f"{live_server.url}/accounts/login/")
    check_a11y(page, f"sign-in-{username}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page, username)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_lead_submits_a_return_and_the_secretariat_accepts_it(
    page, live_server, check_a11y, plan, agency, other_agency, lead, secretariat_user
):
    period = open_period()
    coordination = ActionAgencyFactory(
        agency=agency,
        role=ActionAgency.Role.COORDINATING,
        action__plan=plan,
        action__number="13a",
        action__title="Cash wages in high-risk sectors",
    )
    ActionAgencyFactory(
        action=coordination.action, agency=other_agency, role=ActionAgency.Role.SUPPORTING
    )
    action = coordination.action

    # The lead signs in and lands on “My actions”.
    sign_in(page, live_server, lead.username, check_a11y)
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    expect(page.locator(".context-bar")).to_contain_text("TSOC 2026–2030")
    expect(page.locator(".context-bar")).to_contain_text(period.label)
    row = page.get_by_role("row").filter(has_text="Cash wages in high-risk sectors")
    expect(row).to_contain_text("Not started yet")
    check_a11y(page, "my-actions")

    # They open the action's update; a mistake is shown next to the field, input kept.
    row.get_by_role("link", name=re.compile("^Start")).click()
    expect(page.get_by_role("heading", name=re.compile("Cash wages"))).to_be_visible()
    check_a11y(page, "update-form")
    page.get_by_label("At risk").check()
    page.get_by_label("Per cent complete").fill("140")
    page.get_by_label("Progress commentary").fill("Inspections began in two regions.")
    page.get_by_label("Risks and issues").fill("Inspector recruitment is slow.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter per cent complete as a whole number from 0 to 100, like 40."
    )
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_label("Progress commentary")).to_have_value(
        "Inspections began in two regions."
    )
    check_a11y(page, "update-form-errors")

    # Corrected, and submitted.
    page.get_by_label("Per cent complete").fill("40")
    page.get_by_role("button", name="Check and submit").click()
    expect(
        page.get_by_role("heading", name="Check Customs's update before submitting")
    ).to_be_visible()
    check_a11y(page, "update-check")
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_role("status")).to_contain_text("submitted")
    expect(page.get_by_role("row").filter(has_text="Cash wages")).to_contain_text("Submitted")
    check_a11y(page, "my-actions-submitted")
    sign_out(page)

    # The secretariat reviews the period and accepts the return.
    sign_in(page, live_server, secretariat_user.username, check_a11y)
    expect(page.get_by_role("heading", name=f"{period.label} returns")).to_be_visible()
    check_a11y(page, "period-review")
    page.get_by_role("row").filter(has_text="Customs").get_by_role(
        "link", name=re.compile("^Review")
    ).click()
    expect(page.get_by_text("Inspector recruitment is slow.")).to_be_visible()
    check_a11y(page, "update-review")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("accepted")
    expect(page.get_by_role("row").filter(has_text="Customs")).to_contain_text("Accepted")

    # The action page shows the accepted update and who changed what.
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Updates, quarter by quarter")).to_be_visible()
    page.get_by_text(re.compile("Show all .* changes")).click()
    expect(page.locator(".audit-trail")).to_contain_text("Accepted")
    check_a11y(page, "action-page")

    update = StatusUpdate.objects.get(action=action, agency=agency)
    assert (update.state, update.status, update.percent_complete) == ("accepted", "at_risk", 40)
    assert (update.submitted_by, update.reviewed_by) == (lead, secretariat_user)


def test_the_secretariat_pages_through_a_periods_returns_keeping_the_filter(
    page, live_server, check_a11y, monkeypatch, plan, agency, other_agency, secretariat_user
):
    monkeypatch.setattr(period_views, "RETURNS_PER_PAGE", 2)
    open_period()
    for number in ("1", "2", "3"):
        shared_action(agency, other_agency, plan=plan, number=number)

    sign_in(page, live_server, secretariat_user.username, check_a11y)
    caption = page.locator("table.returns caption")
    expect(caption).to_have_text("Showing 1–2 of 6 returns")
    page.get_by_label("Agency", exact=True).select_option("customs")
    page.get_by_role("button", name="Filter").click()
    expect(caption).to_have_text("Showing 1–2 of 3 returns matching the filter")
    check_a11y(page, "period-review-paged")

    pages = page.get_by_role("navigation", name="Pages of returns")
    pages.get_by_role("link", name="Next page").click()
    expect(caption).to_have_text("Showing 3 of 3 returns matching the filter")
    expect(pages.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Agency", exact=True)).to_have_value("customs")
    expect(page.locator(".state-counts")).to_contain_text("All returns: 6")
