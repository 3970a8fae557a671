"""In Chromium: the return form keeps what is typed, warns before the session ends, saves a
Save pressed after it ended once the person signs in again; and the header's search box."""

import pytest
from playwright.sync_api import expect

from reporting.models import ReturnDraft, StatusUpdate
from tests.e2e.test_quarterly_return import PASSWORD
from tests.reporting.factories import StatusUpdateFactory
from tests.reporting.scenes import open_period, shared_action
from tests.reporting.test_return_pages import form_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def scene(agency):
    period = open_period()
    action = shared_action(agency, number="13a", title="Cash wages in high-risk sectors")
    return action, period


def test_typed_text_is_kept_restored_and_never_kept_over_someone_elses_save(
    page, live_server, check_a11y, scene, agency, lead, contributor
):
    action, period = scene
    update = StatusUpdateFactory(action=action, period=period, agency=agency)
    page.goto(live_server.url + form_url(action, agency, period))
    sign_in(page, lead.username)
    page.get_by_label("Progress commentary").fill("Inspections began in Hawke's Bay orchards.")
    expect(page.locator("#autosave-status")).to_contain_text("Changes kept at")
    check_a11y(page, "autosave-kept")

    page.reload()  # the tab closed, the machine restarted: the text is back
    expect(page.get_by_role("heading", name="Your unsaved changes are back")).to_be_visible()
    expect(page.get_by_label("Progress commentary")).to_have_value(
        "Inspections began in Hawke's Bay orchards."
    )
    check_a11y(page, "autosave-restored")
    assert StatusUpdate.objects.get().commentary == "Work is progressing."

    update.refresh_from_db()
    update.commentary = "A colleague's version"
    update.save_if_unchanged(update.version, by=contributor, reason="Saved")
    page.get_by_label("Progress commentary").press("Control+End")
    page.get_by_label("Progress commentary").press_sequentially(" Two employers warned.")
    expect(page.locator("#autosave-status")).to_contain_text("saved this update at")
    check_a11y(page, "autosave-conflict")
    assert ReturnDraft.objects.get().data["commentary"].endswith("orchards.")  # nothing kept over

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Someone else saved this update")).to_be_visible()
    expect(page.get_by_label("Progress commentary")).to_have_value(
        "Inspections began in Hawke's Bay orchards. Two employers warned."
    )


def test_text_typed_while_the_page_is_still_loading_is_kept_too(
    page, live_server, scene, agency, lead
):
    action, period = scene
    page.goto(live_server.url + form_url(action, agency, period))
    held = []
    page.route(
        "**/autosave.js", lambda route: held.append(route)
    )  # the form is shown, its script not yet run
    sign_in(page, lead.username)
    page.get_by_label("Progress commentary").fill("Typed before the page finished loading.")
    held[0].continue_()
    expect(page.locator("#autosave-status")).to_contain_text("Changes kept at")
    assert ReturnDraft.objects.get().data["commentary"] == "Typed before the page finished loading."


def test_warned_before_the_session_ends_and_a_late_save_is_saved_after_signing_in(
    page, live_server, check_a11y, scene, agency, lead, settings
):
    settings.SESSION_COOKIE_AGE = 14
    settings.SESSION_WARNING_SECONDS = 10
    action, period = scene
    page.goto(live_server.url + form_url(action, agency, period))
    sign_in(page, lead.username)

    warning = page.get_by_role("alert").filter(has_text="You will be signed out soon")
    expect(warning).to_be_visible(timeout=10_000)
    check_a11y(page, "session-warning")
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()

    signed_out = page.get_by_role("alert").filter(has_text="You have been signed out")
    expect(signed_out).to_be_visible(timeout=25_000)
    check_a11y(page, "session-ended")
    page.get_by_label("Progress commentary").fill("Written after the session ended.")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("They are kept: sign in again")).to_be_visible()
    check_a11y(page, "session-sign-in-again")
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    sign_in(page, lead.username)

    expect(page.get_by_text("are saved now that you have signed in again")).to_be_visible()
    check_a11y(page, "session-saved-after-sign-in")
    assert StatusUpdate.objects.get().commentary == "Written after the session ended."


def test_the_header_search_finds_highlighted_text_and_the_filters_explain_themselves(
    page, live_server, check_a11y, scene, agency, lead
):
    action, period = scene
    StatusUpdateFactory(
        action=action,
        period=period,
        agency=agency,
        commentary="Labour inspectors found cash wages paid by O'Brien & Sons at three sites.",
    )
    page.goto(live_server.url + "/")
    sign_in(page, lead.username)
    page.get_by_role("searchbox", name="Search actions, returns").fill("cash wages")
    page.get_by_role("searchbox", name="Search actions, returns").press("Enter")

    expect(page.locator(".search-result mark").first).to_have_text("cash", ignore_case=True)
    expect(page.locator(".search-result").filter(has_text="O'Brien & Sons")).to_be_visible()
    check_a11y(page, "search-results")

    page.get_by_label("Period").select_option(period.code)
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_text("Actions left out: they have no period")).to_be_visible()
    check_a11y(page, "search-filtered")

    page.get_by_role("searchbox", name="Search for").fill("zebra crossing")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_text("Nothing you can see matches")).to_be_visible()
    check_a11y(page, "search-nothing")
