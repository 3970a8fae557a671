"""In Chromium: the secretariat reads the dashboard (desktop and phone, checked with axe) and
builds a report from it through to the download."""

import pytest

from reporting.models import Report
from tests.e2e.two_step import finish_sign_in
from tests.reporting.reports_setup import small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page, username)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_reads_well_on_a_desktop_and_a_phone(
    width, browser, live_server, check_a11y, agency, other_agency, secretariat_user
):
    setup = small_plan(agency, other_agency)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-NZ")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a busy CI machine
    sign_in(page, live_server, secretariat_user.username)

    page.goto(f"{live_server.url}/dashboard/{setup.plan.slug}/")

    assert page.locator("svg[role=img]").count() == 6
    assert page.get_by_role("img", name="Reportable lines by status").is_visible()
    check_a11y(page, f"dashboard-{width}")
    page.get_by_text("Reportable lines by status as a table").click()  # no script needed
    table = page.get_by_role("table", name="Reportable lines by status, Q1 2026/27 (4 in all)")
    assert table.is_visible()
    context.close()


def test_the_secretariat_builds_a_report_and_downloads_it(
    browser, live_server, check_a11y, agency, other_agency, secretariat_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    setup = small_plan(agency, other_agency)
    context = browser.new_context(accept_downloads=True, locale="en-NZ")
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, live_server, secretariat_user.username)
    page.goto(f"{live_server.url}/dashboard/{setup.plan.slug}/")

    page.get_by_role("link", name="Build a PDF report").click()
    check_a11y(page, "reports")
    page.get_by_label("Steering group").check()
    page.get_by_role("button", name="Build the report").click()
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=120_000)
    check_a11y(page, "report-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()

    report = Report.objects.get()
    assert report.audience == "steering" and report.state == Report.State.READY
    assert download.value.suggested_filename == f"{report.download_name}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")
    context.close()
