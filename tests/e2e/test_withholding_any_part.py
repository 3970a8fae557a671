"""The secretariat withholds a strand's title from proactive release in real Chromium: the
form's grouped choices, the list of what is withheld, and axe on both."""

import pytest
from playwright.sync_api import expect

from reporting.models import Withholding
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.e2e.test_return_soundness import sign_in
from tests.reporting.scenes import open_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_withholds_a_strands_title(
    page, live_server, check_a11y, agency, secretariat_user
):
    period = open_period()
    action = ActionFactory(number="7", title="Disrupt maritime smuggling", plan__slug="tsoc")
    strand = ActionFactory(
        plan=action.plan, parent=action, number="7s", kind="strand", title="Covert port watch"
    )
    ActionAgencyFactory(action=strand, agency=agency)
    sign_in(page, live_server, secretariat_user)

    page.goto(f"{live_server.url}/reports/withholdings/tsoc/?period={period.code}")
    page.get_by_label("Action, sub-action or strand").select_option(
        label="TSOC 7s: strand: Covert port watch"
    )
    what = page.get_by_label("What to withhold")
    expect(what.locator("optgroup")).to_have_count(2)
    what.select_option(label="Action title")
    page.get_by_label("Official Information Act ground").select_option("6(c)")
    check_a11y(page, "withholdings-form-filled")
    page.get_by_role("button", name="Withhold").click()

    expect(page.get_by_role("status")).to_contain_text("Withheld: Action title of TSOC 7s")
    row = page.locator("table tr").filter(has_text="Action title")
    expect(row).to_contain_text("s 6(c)")
    check_a11y(page, "withholdings-strand-title-withheld")
    withholding = Withholding.objects.get()
    assert (withholding.action, withholding.field) == (strand, "title")
