"""Working together on returns, in Chromium: a lead attaches evidence (a renamed file refused)
and asks a question; the secretariat answers, accepts several returns at once while one of them
changes under it, and corrects a slip without returning an update. Every page is checked with
axe-core."""

import pytest
from playwright.sync_api import expect

from reporting.models import StatusUpdate
from reporting.returns import services
from tests.e2e.test_quarterly_return import sign_in, sign_out
from tests.reporting import evidence_files as files
from tests.reporting.reports_setup import small_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(agency, other_agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return small_plan(agency, other_agency)


def test_evidence_and_a_conversation_on_a_draft(
    page, live_server, check_a11y, setup, other_lead, secretariat_user, tmp_path
):
    draft = setup.updates[("3b", "police", "2026-Q3")]
    renamed = tmp_path / "figures.pdf"
    renamed.write_bytes(files.PNG)
    real = tmp_path / "warrants.pdf"
    real.write_bytes(files.PDF)
    sign_in(page, live_server, other_lead.username, check_a11y)
    page.goto(f"{live_server.url}/updates/{draft.pk}/")

    page.get_by_label("A file").set_input_files(str(renamed))
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("alert")).to_contain_text("its content is a PNG image")
    check_a11y(page, "evidence-refused")
    page.get_by_label("A file").set_input_files(str(real))
    page.get_by_role("button", name="Attach").click()
    expect(page.locator("#evidence")).to_contain_text("warrants.pdf")
    with page.expect_download() as download:
        page.get_by_role("link", name="warrants.pdf").click()
    assert download.value.suggested_filename == "warrants.pdf"
    page.get_by_label("Add to the conversation").fill("Is a count of warrants enough?")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#conversation")).to_contain_text("Is a count of warrants enough?")
    check_a11y(page, "conversation-lead")
    sign_out(page)

    sign_in(page, live_server, secretariat_user.username, check_a11y)
    page.goto(f"{live_server.url}/updates/{draft.pk}/")
    page.get_by_label("Add to the conversation").fill("Yes, with the quarter's total.")
    page.get_by_role("button", name="Post comment").click()
    thread = page.locator("#conversation .thread-entry")
    expect(thread).to_have_count(2)
    expect(thread.nth(1)).to_contain_text("Yes, with the quarter's total.")


def test_bulk_accept_side_by_side_and_a_correction(
    page, live_server, check_a11y, setup, secretariat_user, lead
):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    u3a = setup.updates[("3a", "customs", "2026-Q3")]
    sign_in(page, live_server, secretariat_user.username, check_a11y)
    page.goto(f"{live_server.url}/periods/2026-Q3/")
    check_a11y(page, "period-bulk-accept")
    page.get_by_label("Accept Customs's return on TSOC 1").check()
    page.get_by_label("Accept Customs's return on TSOC 3a").check()
    page.get_by_label("Accept Police's return on TSOC 3a").check()
    services.withdraw_update(u3a, by=lead, expected_version=u3a.version)  # meanwhile
    page.get_by_role("button", name="Accept the chosen returns").click()

    expect(
        page.get_by_text("2 returns accepted: Customs on TSOC 1; Police on TSOC 3a.")
    ).to_be_visible()
    expect(page.get_by_text("Not accepted, because someone changed them")).to_contain_text(
        "Customs on TSOC 3a"
    )
    assert StatusUpdate.objects.get(pk=u3a.pk).state == "draft"

    page.goto(f"{live_server.url}/updates/{u1.pk}/")
    expect(page.get_by_role("heading", name="What changed since Q4 2025/26")).to_be_visible()
    page.get_by_role("link", name="Correct a slip in the text without returning it").click()
    check_a11y(page, "correction-form")
    page.get_by_label("Progress commentary").fill("Scanners installed at Auckland.")
    page.get_by_label("Why you are correcting it").fill("Named the port")
    page.get_by_role("button", name="Save the correction").click()

    expect(page.locator("#conversation")).to_contain_text("Corrected by the secretariat")
    expect(page.locator(".audit-trail")).to_contain_text(
        "corrected by the secretariat: named the port"
    )
    check_a11y(page, "after-correction")
    u1.refresh_from_db()
    assert (u1.state, u1.commentary) == ("accepted", "Scanners installed at Auckland.")
