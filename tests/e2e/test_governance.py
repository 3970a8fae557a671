"""In Chromium: a lead raises a return's risks on the register; the secretariat rates it and
records a meeting with a decision and a follow-up owned by Customs; Customs' lead sees the
follow-up on My actions. The register, meeting and My actions pages are checked with axe."""

import datetime

import pytest

from reporting.models import FollowUp, Risk, StatusUpdate
from tests.e2e.test_dashboard_and_reports import sign_in
from tests.reporting.reports_setup import small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_risk_goes_from_a_return_to_the_register_and_a_follow_up_to_its_owner(
    browser, live_server, check_a11y, agency, other_agency, lead, secretariat_user
):
    setup = small_plan(agency, other_agency)
    update = setup.updates[("1", "customs", "2026-Q3")]
    StatusUpdate.objects.filter(pk=update.pk).update(risks="Couriers move to smaller ports.")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-NZ")
    page = context.new_page()
    page.set_default_timeout(60_000)

    sign_in(page, live_server, lead.username)
    page.goto(f"{live_server.url}/updates/{update.pk}/")
    page.get_by_role("link", name="Raise a risk on the register").click()
    page.get_by_label("Title").fill("Couriers move to smaller ports")
    page.get_by_label("Likelihood", exact=True).select_option("4")
    page.get_by_role("button", name="Raise on the register").click()
    assert page.get_by_text("raised on the register").is_visible()
    risk = Risk.objects.get()
    assert risk.source_update_id == update.pk
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, secretariat_user.username)
    page.goto(f"{live_server.url}/governance/risks/{risk.pk}/")
    page.get_by_label("Consequence rating").select_option("5")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{live_server.url}/governance/risks/")
    assert page.get_by_role("img", name="Risks by rating").is_visible()
    check_a11y(page, "governance-register")

    page.goto(f"{live_server.url}/governance/meetings/new/")
    page.get_by_role("button", name="Record the meeting").click()
    page.get_by_role("textbox", name="Decision").fill("Customs reviews the ports.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("What is to be done").fill("Report on the ports review.")
    page.locator("#id_follow_up-owner_agency").select_option(label="Customs")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    page.locator("#id_follow_up-due_on").fill(yesterday.isoformat())
    page.get_by_role("button", name="Add the follow-up").click()
    assert page.get_by_text("Follow-up action recorded.").is_visible()
    check_a11y(page, "governance-meeting")
    assert FollowUp.objects.get().owner_agency == agency
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, lead.username)
    page.goto(f"{live_server.url}/my-actions/")
    follow_ups = page.get_by_role("region", name="Steering group follow-ups")
    assert follow_ups.get_by_text("Report on the ports review.").is_visible()
    assert follow_ups.get_by_text("Overdue", exact=True).is_visible()
    check_a11y(page, "governance-my-actions")
    context.close()
