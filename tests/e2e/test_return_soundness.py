"""The return's numbers, readings and narrow screens in real Chromium: what the browser does to a
typed number is the bug, so only a browser can show it fixed. Each screen is checked with axe
(``check_a11y``, which keeps a screenshot in $TSOC_SCREENSHOTS when set)."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from actions.models import ActionAgency, IndicatorReading
from reporting.models import StatusUpdate
from reporting.returns import services
from tests.actions.factories import ActionAgencyFactory, ActionPlanFactory, SuccessMeasureFactory
from tests.e2e.test_quarterly_return import PASSWORD
from tests.e2e.two_step import finish_sign_in
from tests.reporting.scenes import open_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page, user.username)


@pytest.fixture
def scene(agency, other_agency):
    period = open_period()
    plan = ActionPlanFactory(slug="tsoc-action-plan", short_title="TSOC 2026–2030")
    lead_role = ActionAgencyFactory(
        agency=agency,
        role=ActionAgency.Role.COORDINATING,
        action__plan=plan,
        action__number="3",
        action__title="Disrupt maritime smuggling in the Pacific",
    )
    ActionAgencyFactory(
        action=lead_role.action, agency=other_agency, role=ActionAgency.Role.SUPPORTING
    )
    measure = SuccessMeasureFactory(
        action=lead_role.action, indicator="Disruption operations", unit="operations"
    )
    return period, lead_role.action, measure


def form_path(action, agency, period):
    return f"/returns/{period.code}/{action.plan.slug}/{action.number}/{agency.slug}/"


def started_with_reading(lead, action, period, agency, measure, value):
    return services.start_update(
        action,
        period,
        agency,
        data={
            "status": "on_track",
            "percent_complete": 40,
            "commentary": "Two operations this quarter.",
            "readings": {measure.pk: {"value": Decimal(value), "note": "Counted"}},
        },
        by=lead,
    )


def test_lots_typed_into_an_indicator_comes_back_with_a_message_and_the_reading_stays(
    page, live_server, check_a11y, scene, agency, lead
):
    period, action, measure = scene
    started_with_reading(lead, action, period, agency, measure, "7")
    sign_in(page, live_server, lead)
    page.goto(live_server.url + form_path(action, agency, period))
    field = page.get_by_label("Disruption operations (operations)")
    expect(field).to_have_value("7.00")
    field.fill("lots")
    page.get_by_label("Per cent complete").fill("abc")
    page.get_by_role("button", name="Save draft").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "Enter Disruption operations as a number, like 12 or 12.5. “lots” is not a number."
    )
    expect(alert).to_contain_text("Enter per cent complete as a whole number from 0 to 100")
    expect(page.get_by_label("Disruption operations (operations)")).to_have_value("lots")
    expect(page.get_by_label("Per cent complete")).to_have_value("abc")
    check_a11y(page, "number-kept-with-message")
    reading = IndicatorReading.objects.get(measure=measure)
    assert (reading.value, reading.note) == (Decimal("7.00"), "Counted")
    assert StatusUpdate.objects.get().percent_complete == 40


def test_a_stale_save_of_a_reading_gets_the_conflict_screen_and_changes_nothing(
    page, live_server, check_a11y, scene, agency, lead, contributor
):
    period, action, measure = scene
    update = started_with_reading(lead, action, period, agency, measure, "7")
    sign_in(page, live_server, lead)
    page.goto(live_server.url + form_path(action, agency, period))
    # Meanwhile a colleague records 9.
    services.change_update(
        update,
        data={"readings": {measure.pk: {"value": Decimal(9), "note": "Two more"}}},
        by=contributor,
        expected_version=update.version,
    )
    page.get_by_label("Disruption operations (operations)").fill("3")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Someone else saved this update while you were editing"
    )
    expect(page.get_by_label("Disruption operations (operations)")).to_have_value("3")
    expect(page.locator(".card--conflict")).to_contain_text("9 operations (Two more)")
    check_a11y(page, "conflict-on-a-reading")
    assert IndicatorReading.objects.get(measure=measure).value == Decimal(9)


def test_a_lead_withdraws_a_submitted_return(page, live_server, check_a11y, scene, agency, lead):
    period, action, measure = scene
    update = started_with_reading(lead, action, period, agency, measure, "7")
    services.submit_update(update, by=lead, expected_version=update.version)
    sign_in(page, live_server, lead)
    page.goto(live_server.url + form_path(action, agency, period))
    expect(page.get_by_role("heading", name="This update can't be changed")).to_be_visible()
    expect(
        page.get_by_text("Until it is reviewed, a lead of Customs can withdraw it")
    ).to_be_visible()
    check_a11y(page, "withdraw-offered")
    page.get_by_role("button", name="Withdraw it to make changes").click()
    expect(page.get_by_role("status")).to_contain_text("withdrawn and back to draft")
    check_a11y(page, "withdrawn-back-to-the-form")
    assert StatusUpdate.objects.get().state == "draft"


def test_the_submit_summary_shows_what_changed_since_last_quarter(
    page, live_server, check_a11y, scene, agency, lead
):
    period, action, _ = scene
    sign_in(page, live_server, lead)
    page.goto(live_server.url + form_path(action, agency, period))
    page.get_by_label("On track").check()
    page.get_by_label("Per cent complete").fill("40")
    commentary = page.get_by_label("Progress commentary")
    commentary.fill("Two operations with Fiji and Tonga.")
    expect(page.locator("#id_commentary_count")).to_have_text("3,965 characters left")
    page.get_by_label("Disruption operations (operations)").fill("2")
    page.get_by_role("button", name="Check and submit").click()
    expect(page.get_by_role("heading", name=re.compile("before submitting"))).to_be_visible()
    expect(page.locator(".check-answers")).to_contain_text("Two operations with Fiji and Tonga.")
    expect(page.locator(".check-answers")).to_contain_text("2 operations as at 30 September 2026")
    check_a11y(page, "submit-summary")
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_role("status")).to_contain_text("submitted")
    assert StatusUpdate.objects.get().state == "submitted"


def test_the_live_count_says_how_far_over_the_limit_and_lifts_the_hard_stop(
    page, live_server, check_a11y, scene, agency, lead, settings
):
    period, action, _ = scene
    sign_in(page, live_server, lead)
    page.goto(live_server.url + form_path(action, agency, period))
    risks = page.get_by_label("Risks and issues")
    assert risks.get_attribute("maxlength") is None  # the script lifted it: no silent cut-off
    risks.fill("x" * 2003)
    expect(page.locator("#id_risks_count")).to_have_text("3 characters too many")
    expect(page.locator("#id_risks_count")).to_have_class(re.compile("char-count--over"))


NARROW = {"width": 320, "height": 640}


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_at_320_px_nothing_scrolls_sideways_and_my_actions_shows_each_return(
    browser, live_server, check_a11y, scene, agency, lead, secretariat_user
):
    period, action, _ = scene
    context = browser.new_context(viewport=NARROW, locale="en-NZ")
    page = context.new_page()
    try:
        sign_in(page, live_server, lead)
        expect(page.get_by_role("heading", name="My actions")).to_be_visible()
        assert scroll_width(page) <= 320
        card = page.locator("table.returns tr").filter(has_text="Disrupt maritime smuggling")
        for part in (
            card.get_by_text("Not started"),
            card.get_by_text(period.due_on.strftime("%-d %b %Y")),
        ):
            expect(part).to_be_visible()
            assert part.bounding_box()["x"] + part.bounding_box()["width"] <= 320
        start = card.get_by_role("link", name=re.compile("^Start"))
        expect(start).to_be_visible()
        assert start.bounding_box()["x"] + start.bounding_box()["width"] <= 320
        check_a11y(page, "my-actions-320px")
        page.goto(live_server.url + form_path(action, agency, period))
        assert scroll_width(page) <= 320, "update form"
        check_a11y(page, "update-form-320px")
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, live_server, secretariat_user)
        for path in (
            f"/periods/{period.code}/",
            f"/reports/withholdings/{action.plan.slug}/",
            "/periods/",
            f"/periods/{period.code}/close/",
            "/reports/",
            f"/dashboard/{action.plan.slug}/",
            action.get_absolute_url(),
        ):
            page.goto(live_server.url + path)
            assert scroll_width(page) <= 320, path
        check_a11y(page, "withholdings-320px")
    finally:
        context.close()


def test_a_reading_is_removed_only_by_ticking_remove(page, live_server, scene, agency, lead):
    period, action, measure = scene
    started_with_reading(lead, action, period, agency, measure, "7")
    sign_in(page, live_server, lead)
    page.goto(live_server.url + form_path(action, agency, period))
    page.get_by_label("Disruption operations (operations)").fill("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("saved as a draft")
    assert IndicatorReading.objects.filter(measure=measure).exists()
    page.goto(live_server.url + form_path(action, agency, period))
    page.get_by_label("Remove this reading").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("saved as a draft")
    assert not IndicatorReading.objects.filter(measure=measure).exists()
    assert datetime.date(2026, 9, 30) == period.ends_on
