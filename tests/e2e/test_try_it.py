"""The README's "Try it" walk, step by step as written, in Chromium on the demo data: the lead
continues a draft and submits it, the secretariat accepts it and builds the Cabinet report, the
viewer reads the dashboard."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from reporting.demo import DEMO_PASSWORD
from reporting.models import Report, StatusUpdate
from tests.e2e.two_step import finish_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_plans", verbosity=0)
    call_command("load_demo", verbosity=0)
    return live_server.url


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page, username)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


@override_settings(DEBUG=True)  # make run's demo mode
def test_the_readmes_five_minute_walk(page, demo_site, check_a11y):
    page.goto(f"{demo_site}/")
    demo_accounts = page.get_by_role("region", name="Demo accounts")
    expect(demo_accounts).to_contain_text("police.lead")
    expect(demo_accounts).to_contain_text(DEMO_PASSWORD)
    check_a11y(page, "try-it-sign-in")

    # 1. police.lead: My actions lists Police's returns this quarter.
    sign_in(page, demo_site, "police.lead")
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    # 2. Continue on TSOC 5 (a draft), add to the commentary, check it, submit.
    page.get_by_role("link", name="Continue the Police update on 5").click()
    page.get_by_label("Progress commentary").fill("Terms of reference agreed with the AFP.")
    page.get_by_role("button", name="Check and submit").click()
    expect(page.get_by_text("Terms of reference agreed with the AFP.")).to_be_visible()
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_text("Police's update on TSOC 5 submitted.")).to_be_visible()

    # 3. secretariat: the home page is the open quarter's returns.
    sign_out(page)
    sign_in(page, demo_site, "secretariat")
    expect(page.get_by_role("heading", name="returns")).to_contain_text("July–September")
    # 4. Filter to Police's submitted returns; Review TSOC 5.
    page.get_by_label("State", exact=True).select_option(label="Submitted")
    page.get_by_label("Agency", exact=True).select_option(label="Police")
    page.get_by_role("button", name="Filter").click()
    page.locator("tr", has_text="TSOC 5 ").get_by_role("link", name="Review").click()
    # 5. Accept.
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Police's update on 5 accepted.")).to_be_visible()
    update = StatusUpdate.objects.get(
        action__number="5", agency__slug="police", period__state="open", state="accepted"
    )
    assert update.commentary == "Terms of reference agreed with the AFP."

    # 6. Reports: Cabinet and the open quarter are chosen; build, then download.
    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_label("Cabinet")).to_be_checked()
    page.get_by_role("button", name="Build the report").click()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Report.objects.get().audience == Report.Audience.CABINET

    # 7. viewer: the dashboard, read-only.
    sign_out(page)
    sign_in(page, demo_site, "viewer")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Actions by status")).to_be_visible()
    expect(page.get_by_role("link", name="Build a PDF report")).to_have_count(0)
    check_a11y(page, "try-it-dashboard")
