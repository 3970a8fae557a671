"""In a real browser: the secretariat reads the dashboard (desktop and phone, no accessibility
violations) and builds a report from it through to the download."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from conftest import CHROMIUM
from reporting.models import Report
from tests.reporting.reports_setup import small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"  # the user factory's
# Playwright's sync API runs an event loop in this thread, where the test also uses the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_the_dashboard_reads_well_on_a_desktop_and_a_phone(
    live_server, browser, agency, other_agency, secretariat_user
):
    setup = small_plan(agency, other_agency)
    url = f"{live_server.url}/dashboard/{setup.plan.slug}/"

    for width in (1280, 390):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_default_timeout(60_000)  # a busy CI machine
        sign_in(page, live_server.url, secretariat_user.username)
        page.goto(url)

        assert page.locator("svg[role=img]").count() == 5
        assert page.get_by_role("img", name="Actions by status").is_visible()
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], v["impact"]) for v in violations] == []
        page.get_by_text("Actions by status as a table").click()  # no script needed
        assert page.get_by_role("table", name="Actions by status, Q1 2026/27").is_visible()
        page.close()


def test_the_secretariat_builds_a_report_and_downloads_it(
    live_server, browser, agency, other_agency, secretariat_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    setup = small_plan(agency, other_agency)
    page = browser.new_page(accept_downloads=True)
    page.set_default_timeout(60_000)  # a busy CI machine
    sign_in(page, live_server.url, secretariat_user.username)
    page.goto(f"{live_server.url}/dashboard/{setup.plan.slug}/")

    page.get_by_role("link", name="Build a PDF report").click()
    page.get_by_label("Steering group").check()
    page.get_by_role("button", name="Build the report").click()
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=120_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()

    report = Report.objects.get()
    assert report.audience == "steering" and report.state == Report.State.READY
    assert download.value.suggested_filename == f"{report.download_name}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")
