"""The secretariat runs the programme in the browser, end to end, in Chromium: as a member of
the Secretariat group and nothing more (no staff or superuser rights), it uploads a revised plan
file, reads the preview and confirms it, tags three actions in the bulk view, designates a lead
for a jointly coordinated line, and invites a new agency lead, who sets a password through the
email's link, signs in and starts a return. axe checks every page on the way."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from actions.models import ActionAgency, ActionPlan
from reporting.models import ReportingPeriod, StatusUpdate
from tests.actions.plan_files import NEW_ACTION, revised_plan
from tests.e2e.test_dashboard_and_reports import sign_in
from tests.e2e.test_plan_editing import jointly_coordinated_line
from tests.e2e.two_step import finish_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TSOC_PLAN = "tsoc-action-plan-2026-2030"
NEW_PASSWORD = "kōwhai-in-spring-2026"


def test_the_secretariat_revises_tags_designates_and_onboards_a_lead_who_starts_a_return(
    page, live_server, check_a11y, secretariat_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_plans", stdout=io.StringIO())
    plan = ActionPlan.objects.get(slug=TSOC_PLAN)
    period = ReportingPeriod.objects.for_quarter(2026, 3)
    period.state = ReportingPeriod.State.OPEN
    period.save()
    assert not (secretariat_user.is_staff or secretariat_user.is_superuser)
    page.set_default_timeout(60_000)  # a busy machine
    sign_in(page, live_server, secretariat_user.username)
    menu = page.get_by_role("navigation", name="Main")

    # A revised plan file: previewed, then applied exactly as previewed.
    revised = tmp_path / "tsoc-revised.csv"
    revised.write_bytes(revised_plan(plan).getvalue())
    menu.get_by_role("link", name="Upload a plan").click()
    check_a11y(page, "workspace-upload")
    page.get_by_label("Plan to update").select_option(label=str(plan))
    page.get_by_label("Plan file").set_input_files(str(revised))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="What the file would change")).to_be_visible()
    expect(page.get_by_role("heading", name="Actions added (1)")).to_be_visible()
    check_a11y(page, "workspace-preview")
    assert not plan.actions.filter(number=NEW_ACTION["number"]).exists()  # nothing yet
    page.get_by_role("button", name="Confirm and apply these changes").click()
    expect(page.get_by_role("heading", name="Applied to the plan")).to_be_visible()
    check_a11y(page, "workspace-applied")
    assert plan.actions.get(number="1").title == "A clearer first action"
    assert plan.actions.filter(number=NEW_ACTION["number"]).exists()

    # Three actions tagged in the bulk view, saved at once.
    menu.get_by_role("link", name="Edit plans").click()
    page.get_by_role("link", name=f"Edit {plan.title}").click()
    page.get_by_role("link", name="Tag actions in bulk").click()
    area = plan.strategy.focus_areas.order_by("order").first()
    untagged = [a for a in plan.actions.order_by("sort_key") if not a.focus_areas.exists()][:3]
    assert len(untagged) == 3
    for action in untagged:
        page.get_by_label(f"Tag {plan.code} {action.number} with {area.name}", exact=True).check()
    check_a11y(page, "workspace-tags")
    page.get_by_role("button", name="Save the tags").click()
    expect(page.get_by_role("status")).to_contain_text("Tags saved:")
    for action in untagged:
        assert list(action.focus_areas.all()) == [area]

    # A lead designated among the agencies that coordinate a line jointly.
    joint = jointly_coordinated_line(plan)
    agency = joint.coordinators.filter(role="coordinating").order_by("order").last().agency
    page.goto(f"{live_server.url}/plans/{plan.slug}/edit/actions/{joint.number}/")
    page.get_by_role("button", name=f"Designate {agency.short_name} as lead").click()
    agencies = page.get_by_role("table", name=f"Agencies coordinating {plan.code} {joint.number}")
    expect(agencies.get_by_role("row", name=agency.name, exact=False)).to_contain_text(
        "Lead, designated by the secretariat on"
    )
    check_a11y(page, "workspace-lead")
    designated = ActionAgency.objects.get(action=joint, agency=agency)
    assert (designated.role, designated.designated_by) == ("lead", secretariat_user)

    # A new lead for that agency, invited by email.
    menu.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email address").fill("mere.tawhiri@example.govt.nz")
    page.get_by_label("First name").fill("Mere")
    page.get_by_label("Last name").fill("Tawhiri")
    page.get_by_label("Agency lead").check()
    page.get_by_label("Agency", exact=True).select_option(label=agency.short_name)
    check_a11y(page, "workspace-invite")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invited Mere Tawhiri")
    page.get_by_role("button", name="Sign out").click()

    (invitation,) = mail.outbox
    link = re.search(r"https?://\S+/people/welcome/\S+/", invitation.body).group(0)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    check_a11y(page, "workspace-set-password")
    page.get_by_role("button", name="Set my password").click()
    page.get_by_label("Username").fill("mere.tawhiri@example.govt.nz")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page, "mere.tawhiri@example.govt.nz")

    # The new lead's first return, on the line their agency now leads.
    menu.get_by_role("link", name="My actions").click()
    check_a11y(page, "workspace-new-lead-my-actions")
    page.get_by_role("link", name=re.compile(rf"^Start the .* update on {joint.number}$")).click()
    check_a11y(page, "workspace-return-form")
    page.get_by_label("Progress commentary").fill("First quarter under the new lead.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").first).to_be_visible()
    update = StatusUpdate.objects.get(action=joint, agency=agency, period=period)
    assert update.commentary == "First quarter under the new lead."
    assert update.updated_by.username == "mere.tawhiri@example.govt.nz"
