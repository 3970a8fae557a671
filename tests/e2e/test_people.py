"""The secretariat invites a new agency lead in Chromium; the lead sets a password through the
email's one-time link, signs in and reaches My actions. The secretariat is only in the
Secretariat group (no superuser or staff rights); axe checks every page on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.test_dashboard_and_reports import sign_in
from tests.e2e.two_step import finish_sign_in
from tests.reporting.reports_setup import small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "pōhutukawa-harbour-2026"


def test_the_secretariat_invites_a_lead_who_sets_a_password_and_signs_in(
    page, live_server, check_a11y, agency, other_agency, secretariat_user
):
    small_plan(agency, other_agency)
    assert not (secretariat_user.is_staff or secretariat_user.is_superuser)
    sign_in(page, live_server, secretariat_user.username)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    check_a11y(page, "people-list")

    page.get_by_role("link", name="Invite someone").click()
    check_a11y(page, "people-invite")
    page.get_by_label("Email address").fill("aroha.ngata@customs.govt.nz")
    page.get_by_label("First name").fill("Aroha")
    page.get_by_label("Last name").fill("Ngata")
    page.get_by_label("Agency lead").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the agency")
    check_a11y(page, "people-invite-no-agency")
    page.get_by_label("Agency", exact=True).select_option(label="Customs")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_role("heading", name="Aroha Ngata")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Invited Aroha Ngata")
    expect(page.get_by_text("Invited: password not set yet")).to_be_visible()
    check_a11y(page, "people-person-invited")

    # Inviting the same address again says so, and where to go instead.
    page.goto(f"{live_server.url}/people/invite/")
    page.get_by_label("Email address").fill("Aroha.Ngata@customs.govt.nz")
    page.get_by_label("First name").fill("Aroha")
    page.get_by_label("Last name").fill("Ngata")
    page.get_by_label("Steering group viewer").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("already has an account")
    expect(page.get_by_role("link", name="Aroha Ngata's page")).to_be_visible()
    check_a11y(page, "people-invite-exists")

    page.get_by_role("button", name="Sign out").click()
    (invitation,) = mail.outbox
    assert invitation.subject.startswith("[IN CONFIDENCE] ")
    link = re.search(r"http\S+/people/welcome/\S+/", invitation.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    # Not until the password is set: no password signs in the new account.
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    check_a11y(page, "people-set-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is set")
    check_a11y(page, "people-password-set-sign-in")

    page.get_by_label("Username").fill("aroha.ngata@customs.govt.nz")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page, "aroha.ngata@customs.govt.nz")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My actions").click()
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    expect(page.get_by_text("Signed in as Aroha Ngata")).to_be_visible()
    check_a11y(page, "people-new-lead-my-actions")

    # The link worked once.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name="This link doesn't work")).to_be_visible()
    check_a11y(page, "people-link-used")


def test_the_secretariat_keeps_an_agencys_names_and_deactivates_a_person(
    page, live_server, check_a11y, agency, other_agency, secretariat_user, lead
):
    sign_in(page, live_server, secretariat_user.username)
    page.goto(f"{live_server.url}/people/agencies/")
    check_a11y(page, "people-agencies")
    page.get_by_role("link", name="Police").click()
    page.get_by_label("Other names (aliases)").fill("NZ Police\nCustoms")
    page.get_by_role("button", name="Save the agency").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "“Customs” already names New Zealand Customs Service"
    )
    check_a11y(page, "people-agency-alias-clash")
    page.get_by_label("Other names (aliases)").fill("NZ Police")
    page.get_by_label("Reporting inbox").fill("tsoc@police.govt.nz")
    page.get_by_role("button", name="Save the agency").click()
    expect(page.get_by_role("status")).to_contain_text("Saved New Zealand Police")
    expect(page.get_by_role("row", name=re.compile("Police .* NZ Police"))).to_be_visible()

    page.goto(f"{live_server.url}/people/{lead.pk}/")
    page.get_by_label("Role in Customs").select_option(label="Contributor")
    page.get_by_role("button", name="Change role in Customs").click()
    expect(page.get_by_role("status")).to_contain_text("Now Contributor, Customs")
    page.get_by_role("button", name=f"Deactivate {lead.get_full_name()}").click()
    expect(page.get_by_role("status")).to_contain_text("they can't sign in")
    expect(page.get_by_text("Deactivated", exact=True).first).to_be_visible()
    check_a11y(page, "people-person-deactivated")


def test_the_secretariat_finds_a_person_by_name_and_agency(
    page, live_server, check_a11y, agency, other_agency, secretariat_user, lead, other_lead
):
    sign_in(page, live_server, secretariat_user.username)
    page.goto(f"{live_server.url}/people/")

    page.get_by_label("Name or email").fill(lead.last_name.upper())
    page.get_by_label("Agency").select_option(label=str(agency))
    page.get_by_role("button", name="Find").click()
    expect(page.locator("caption")).to_have_text("1 person found")
    expect(page.get_by_role("link", name=lead.get_full_name())).to_be_visible()
    check_a11y(page, "people-found")

    page.get_by_label("Name or email").fill("Nobody Ever")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("No one matches that search")).to_be_visible()
    expect(page.get_by_label("Name or email")).to_have_value("Nobody Ever")
    check_a11y(page, "people-found-no-one")

    page.get_by_role("link", name="Clear the search and show everyone").click()
    expect(page.get_by_role("link", name=other_lead.get_full_name())).to_be_visible()
    expect(page.get_by_label("Name or email")).to_have_value("")
