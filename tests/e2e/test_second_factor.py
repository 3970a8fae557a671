"""Two-step sign-in in Chromium: the secretariat sets up an authenticator app at their first
sign-in (the test computes the app's codes from the key the page shows, as the app does), signs
in with a code, then with a recovery code that works only once; everything checked with axe."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from agencies.models import SecondFactorEvent
from tests.agencies.two_step import code_from_key, next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def give_password(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_secretariat_sets_up_an_app_at_first_sign_in_then_signs_in_with_its_codes(
    page, live_server, check_a11y, secretariat_user
):
    username = secretariat_user.username
    give_password(page, live_server.url, username)

    # Not signed in yet: asked to set up an app, with a QR code and the key to type.
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_text("you are in the secretariat or on the staff")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for adding TSOC Tracker")).to_be_visible()
    check_a11y(page, "two-step-set-up")
    page.goto(f"{live_server.url}/my-actions/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # no session yet
    page.go_back()
    key = page.locator("#totp-secret").inner_text()

    page.get_by_label("Code").fill("000000" if code_from_key(key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("alert")).to_contain_text("That code didn't match")
    check_a11y(page, "two-step-set-up-wrong-code")
    assert page.locator("#totp-secret").inner_text() == key  # the same app, still unconfirmed
    page.wait_for_timeout(1100)  # a wrong code slows the next try by a second (throttling)

    page.get_by_label("Code").fill(code_from_key(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    check_a11y(page, "two-step-recovery-codes")
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I've saved my codes — continue").click()
    expect(page.get_by_text(f"Signed in as {secretariat_user.get_full_name()}")).to_be_visible()
    assert SecondFactorEvent.objects.get().kind == "enrolled"

    # The next sign-in asks for the app's code.
    sign_out(page)
    give_password(page, live_server.url, username)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    check_a11y(page, "two-step-code")
    page.get_by_label("Code").fill(next_code(username))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {secretariat_user.get_full_name()}")).to_be_visible()

    # Without the phone: a recovery code, once.
    for attempt in ("first", "second"):
        sign_out(page)
        give_password(page, live_server.url, username)
        page.get_by_text("I don't have my phone").click()
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Sign in").click()
        if attempt == "first":
            expect(page.get_by_text("Signed in as")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("That code didn't work")
    check_a11y(page, "two-step-code-refused")
    assert TOTPDevice.objects.filter(user=secretariat_user, confirmed=True).count() == 1


def test_a_lead_turns_on_two_step_sign_in_from_the_header(page, live_server, check_a11y, lead):
    give_password(page, live_server.url, lead.username)
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()  # optional for leads

    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in is off")).to_be_visible()
    check_a11y(page, "two-step-off")
    page.get_by_role("link", name="Set up two-step sign-in").click()
    page.get_by_label("Code").fill(code_from_key(page.locator("#totp-secret").inner_text()))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("link", name="I've saved my codes — continue").click()

    expect(page.get_by_text("Two-step sign-in is on")).to_be_visible()
    expect(page.get_by_text("You have 10 unused recovery codes")).to_be_visible()
    check_a11y(page, "two-step-on")
