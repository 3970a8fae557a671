"""Every page satisfies the Content Security Policy in a real browser: signed in as each role,
Chromium follows the links from page to page and reports anything the policy blocked (an inline
script or style, a resource from another site)."""

import os
import re
from collections import Counter
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from reporting.demo import DEMO_PASSWORD
from tests.e2e.two_step import finish_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("TSOC_SCREENSHOTS", "")
MAX_PAGES = 25
PER_SHAPE = 1  # pages whose addresses differ only in numbers are alike: visit one of each
EXTRA_PAGES = ("/no-such-page/", "/api/docs/", "/admin/")
# Files rather than pages, and the admin's add forms (its change forms' template, visited).
SKIPPED = (".pdf", ".csv", ".xlsx", ".docx", "/download", "/export", "format=", "/logout", "/add/")


@pytest.fixture
def demo_site(live_server):
    call_command("load_plans", verbosity=0)
    call_command("load_demo", verbosity=0)
    return live_server.url


def crawl(browser, base_url: str, username: str, extra: tuple[str, ...] = ()) -> dict:
    """Visit every page reachable by links from the home page; return what the CSP blocked,
    by page, and the pages that failed."""
    context = browser.new_context(accept_downloads=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked, failed = {}, {}
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and blocked.setdefault(page.url, []).append(message.text)
        ),
    )
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()  # not the language switch
    finish_sign_in(page, username)

    queue, seen, shapes = ["/", *extra], set(), Counter()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if path in seen or shapes[shape] >= PER_SHAPE or any(part in path for part in SKIPPED):
            continue
        seen.add(path)
        shapes[shape] += 1
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file (e.g. the OpenAPI schema), not a page
            raise
        if response is None or response.status >= 500:
            failed[path] = response and response.status
            continue
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            name = f"{username}-{len(seen):02d}-{shape.strip('/').replace('/', '_')[:60]}.png"
            page.screenshot(path=os.path.join(SHOTS, name), full_page=True)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlsplit(urldefrag(href).url)
            if url.netloc == urlsplit(base_url).netloc:
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    context.close()
    return {"blocked": blocked, "failed": failed, "visited": seen}


def test_no_page_breaks_the_content_security_policy_for_any_role(browser, demo_site):
    results = {
        username: crawl(browser, demo_site, username, extra=EXTRA_PAGES)
        for username in ("secretariat", "police.lead", "viewer")
    }

    for username, result in results.items():
        assert len(result["visited"]) > 5, username
        assert result["failed"] == {}, username
        assert result["blocked"] == {}, username


def test_the_api_docs_render_within_the_policy(browser, live_server):
    page = browser.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and blocked.append(message.text),
    )

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    page.get_by_text("GET", exact=True).first.click()  # open an operation: more of the UI
    page.wait_for_load_state("networkidle")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "api-docs.png"), full_page=False)
    page.close()

    assert blocked == []
