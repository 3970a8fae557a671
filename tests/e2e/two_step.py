"""The second step of signing in, in Chromium, as a person with an authenticator app does it."""

import re

from tests.agencies.two_step import code_from_key, next_code


def finish_sign_in(page, username: str) -> None:
    """After the password: set up the app when asked (typing in the key the page shows), saving
    the recovery codes; or give the app's code; or nothing, for people who don't use one."""
    page.wait_for_url(lambda url: not re.search(r"/accounts/login/(\?|$)", url))
    if "/accounts/two-step/set-up/" in page.url:
        key = page.locator("#totp-secret").inner_text()
        page.get_by_label("Code").fill(code_from_key(key))
        page.get_by_role("button", name="Turn on two-step sign-in").click()
        page.get_by_role("link", name="I've saved my codes — continue").click()
    elif "/accounts/login/code/" in page.url:
        page.get_by_label("Code").fill(next_code(username))
        page.get_by_role("button", name="Sign in").click()
