"""In Chromium, as a secretariat user (the Secretariat group and nothing more): download the
TSOC plan, revise it (one title changed, an action added), upload it, read the preview and
confirm it; then read the periods and reports pages, mark a report final (its PDF's cover then
says so) and delete a mistaken one. axe checks every page on the way."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from actions.models import ActionPlan
from reporting.models import Report, ReportingPeriod
from tests.actions.plan_files import NEW_ACTION, revised_plan
from tests.e2e.two_step import finish_sign_in
from tests.reporting.test_reports import ready_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's
TSOC_PLAN = "tsoc-action-plan-2026-2030"


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page, username)


@pytest.fixture
def site(live_server, settings, tmp_path, secretariat_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_plans", stdout=io.StringIO())
    assert not secretariat_user.is_staff and not secretariat_user.is_superuser
    return ActionPlan.objects.get(slug=TSOC_PLAN)


def test_the_secretariat_uploads_a_revised_plan_reads_the_preview_and_confirms(
    page, live_server, site, check_a11y, secretariat_user, tmp_path
):
    old_title = site.actions.get(number="1").title
    revised = tmp_path / "tsoc-revised.csv"
    revised.write_bytes(revised_plan(site).getvalue())
    page.set_default_timeout(60_000)
    sign_in(page, live_server, secretariat_user.username)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload a plan").click()
    check_a11y(page, "plan-upload-choose")
    page.get_by_label("Plan to update").select_option(label=str(site))
    page.get_by_label("Plan file").set_input_files(str(revised))
    page.get_by_role("button", name="Check the file").click()

    assert page.get_by_role("heading", name="What the file would change").is_visible()
    assert page.get_by_role("heading", name="Actions added (1)").is_visible()
    assert page.get_by_role("heading", name=f"99: {NEW_ACTION['title']}").is_visible()
    changed = page.get_by_role("table", name="1: A clearer first action (row 2)")
    assert changed.get_by_role("row", name="Title").inner_text().split("\t")[1:] == [
        old_title,
        "A clearer first action",
    ]
    page.get_by_text("the file has as the plan already does").click()  # the unchanged list
    check_a11y(page, "plan-upload-preview")
    assert site.actions.get(number="1").title == old_title  # nothing yet

    page.get_by_role("button", name="Confirm and apply these changes").click()

    assert page.get_by_role("heading", name="Applied to the plan").is_visible()
    assert page.get_by_text("tsoc-revised.csv: 1 action added, 1 changed").is_visible()
    check_a11y(page, "plan-upload-applied")
    action = site.actions.get(number="1")
    assert action.title == "A clearer first action"
    assert action.history.first().history_user == secretariat_user
    assert site.actions.filter(number="99").exists()


def test_the_secretariat_reads_periods_and_reports_marks_one_final_and_deletes_another(
    browser, live_server, site, check_a11y, secretariat_user, tmp_path
):
    period = ReportingPeriod.objects.for_quarter(2026, 3)
    period.state = ReportingPeriod.State.OPEN
    period.save()
    setup = SimpleNamespace(plan=site, period=period)
    keep = ready_report(setup, requested_by=secretariat_user)
    mistaken = ready_report(setup, requested_by=secretariat_user)
    context = browser.new_context(accept_downloads=True, locale="en-NZ")
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, live_server, secretariat_user.username)

    page.goto(f"{live_server.url}/periods/")
    open_section = page.get_by_role("region", name="Open for returns (1)")
    assert open_section.get_by_role("row", name="Q1 2026/27").is_visible()
    assert "TSOC Action Plan" in open_section.get_by_role("row", name="Q1 2026/27").inner_text()
    check_a11y(page, "periods")

    page.goto(f"{live_server.url}/reports/")
    check_a11y(page, "reports-list")
    page.get_by_role("link", name=re.compile(rf"^No\. {keep.pk}\b")).click()
    page.get_by_role("button", name="Mark this report final").click()
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=180_000)
    assert page.get_by_text("it can't be deleted").is_visible()
    check_a11y(page, "report-final")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    cover = PdfReader(download.value.path()).pages[0].extract_text()
    assert "Final" in cover
    (tmp_path / "final.pdf").write_bytes(download.value.path().read_bytes())
    keep.refresh_from_db()
    assert keep.final_by == secretariat_user and keep.history.first().history_user

    page.goto(f"{live_server.url}/reports/{mistaken.pk}/")
    page.get_by_role(
        "link", name=re.compile(rf"^Delete this report\W+no\. {mistaken.pk}\b")
    ).click()
    check_a11y(page, "report-delete")
    page.get_by_role("button", name="Delete the report").click()
    assert page.get_by_text(f"(no. {mistaken.pk}) is deleted").is_visible()
    assert not Report.objects.filter(pk=mistaken.pk).exists()
    context.close()
