"""Real headless Chromium for end-to-end tests, with an axe-core accessibility check.

``browser`` is one Chromium for the session; ``page`` a fresh context per test. ``check_a11y``
runs axe on the page and fails on any serious or critical violation. Tests here use pytest-django's
``live_server``.
"""

import os

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; the live server's data is set up with
# the ORM from the same thread, which Django's async-safety guard would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# On SQLite the live server shares the test's one database connection between its threads, and
# a page's parallel requests (the page, its stylesheet, the favicon) then tangle that connection's
# savepoints ("no such savepoint"). One request at a time there; PostgreSQL keeps the threads.
class OneRequestAtATime(WSGIServer):
    """Django's plain WSGI server (it closes each connection), taking the live server's
    connection override, which its own thread has applied already."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LiveServerThread.server_class = OneRequestAtATime

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = os.environ.get("TSOC_SCREENSHOTS", "")  # a folder to keep page images in, if set


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-NZ")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_a11y(axe):
    """``check_a11y(page, name)``: no axe violation of any impact (and a screenshot named
    ``name`` in $TSOC_SCREENSHOTS, when set)."""

    def check(page, name: str) -> None:
        if SCREENSHOTS:
            os.makedirs(SCREENSHOTS, exist_ok=True)
            page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
        violations = axe.run(page).response["violations"]
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in violations
        ]
        assert found == [], f"{name}: {page.url}"

    return check
