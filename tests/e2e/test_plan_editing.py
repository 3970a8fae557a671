"""In Chromium, as the secretariat, on the shipped TSOC plan: change an action's title and read
how its timeframe reads as it is typed, meet a colleague's change instead of overwriting it,
designate a lead on a jointly coordinated line, and tag three actions in the bulk grid; axe
checks each page."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

from actions.editing import services
from actions.models import Action, ActionAgency, ActionPlan
from tests.e2e.test_dashboard_and_reports import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TSOC_PLAN = "tsoc-action-plan-2026-2030"


def jointly_coordinated_line(plan: ActionPlan) -> Action:
    """The first line the plan has two or more coordinating agencies on and no lead."""
    for line in plan.actions.lines().order_by("sort_key"):
        roles = list(line.coordinators.values_list("role", flat=True))
        if roles.count(ActionAgency.Role.COORDINATING) >= 2 and "lead" not in roles:
            return line
    raise AssertionError("the seed plan has no jointly coordinated line")


def test_the_secretariat_edits_an_action_designates_a_lead_and_tags_in_bulk(
    browser, live_server, check_a11y, secretariat_user, django_user_model
):
    call_command("load_plans", stdout=io.StringIO())
    plan = ActionPlan.objects.get(slug=TSOC_PLAN)
    first = plan.actions.top_level().order_by("sort_key").first()
    joint = jointly_coordinated_line(plan)
    agency = joint.coordinators.filter(role="coordinating").order_by("order").first().agency
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-NZ")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a busy machine

    sign_in(page, live_server, secretariat_user.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Edit plans").click()
    check_a11y(page, "plan-editing-index")
    page.get_by_role("link", name=f"Edit {plan.title}").click()
    assert page.get_by_role("heading", name=f"Edit {plan.title}").is_visible()
    check_a11y(page, "plan-editing-plan")

    # The whole page, its deferred script included: typing before the script listens would
    # ask nothing of the server, and the reading would never change.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=f"{plan.code} {first.number}: ", exact=False).first.click()
    page.get_by_label("Title", exact=True).fill("Build one picture of organised crime")
    page.get_by_label("Timeframe", exact=True).fill("Q2-Q4 2027")
    reading = page.locator("#timeframe-reading")
    reading.get_by_text("Reads as 1 April – 31 December 2027.").wait_for()
    page.get_by_label("Timeframe", exact=True).fill("sometime soon")
    reading.get_by_text("Dates not understood: kept as written.").wait_for()
    page.get_by_label("Timeframe", exact=True).fill("Q2-Q4 2027")
    reading.get_by_text("Reads as 1 April – 31 December 2027.").wait_for()
    check_a11y(page, "plan-editing-action")
    page.get_by_role("button", name=f"Save {plan.code} {first.number}").click()
    saved = page.get_by_role("status")
    assert saved.get_by_text("saved: title, timeframe.", exact=False).is_visible()
    assert saved.get_by_text("Reads as 1 April – 31 December 2027.", exact=False).is_visible()
    assert Action.objects.get(pk=first.pk).title == "Build one picture of organised crime"

    # A colleague saves while the page is open: nothing is overwritten, and the page says who.
    colleague = django_user_model.objects.create(
        username="pat.secretariat", first_name="Pat", last_name="Rangi"
    )
    colleague.groups.set(secretariat_user.groups.all())
    page.get_by_label("Short label").fill("One picture")
    services.change_action(
        Action.objects.get(pk=first.pk), {"short_title": "Theirs"}, by=colleague,
        expected_version=2,
    )  # fmt: skip
    page.get_by_role("button", name=f"Save {plan.code} {first.number}").click()
    assert page.get_by_role("alert").get_by_text("Pat Rangi changed it", exact=False).is_visible()
    assert page.get_by_label("Short label").input_value() == "One picture"
    check_a11y(page, "plan-editing-conflict")
    assert Action.objects.get(pk=first.pk).short_title == "Theirs"

    page.goto(f"{live_server.url}/plans/{plan.slug}/edit/actions/{joint.number}/")
    assert page.get_by_text("share this", exact=False).first.is_visible()
    page.get_by_role("button", name=f"Designate {agency.short_name} as lead").click()
    today = date_format(timezone.localdate(), "j F Y")
    agencies = page.get_by_role("table", name=f"Agencies coordinating {plan.code} {joint.number}")
    row = agencies.get_by_role("row", name=agency.name, exact=False)
    assert row.get_by_text(f"Lead, designated by the secretariat on {today}").is_visible()
    check_a11y(page, "plan-editing-lead")
    lead = ActionAgency.objects.get(action=joint, agency=agency)
    assert (lead.role, lead.designated_by) == ("lead", secretariat_user)

    page.goto(f"{live_server.url}/plans/{plan.slug}/edit/")
    page.get_by_role("link", name="Tag actions in bulk").click()
    area = plan.strategy.priority_areas.order_by("order").first()
    untagged = [a for a in plan.actions.order_by("sort_key") if not a.priority_areas.exists()][:3]
    assert len(untagged) == 3
    for action in untagged:
        page.get_by_label(f"Tag {plan.code} {action.number} with {area.name}", exact=True).check()
    check_a11y(page, "plan-editing-tags")
    page.get_by_role("button", name="Save the tags").click()
    assert page.get_by_role("status").get_by_text("Tags saved:", exact=False).is_visible()
    for action in untagged:
        assert list(action.priority_areas.all()) == [area]
    context.close()
