"""Forms and filters explain themselves: a GET on a form's POST-only address (a reload, a
bookmark) shows a page saying where the form is, and a bad query parameter on the dashboard is
ignored with a message, the controls showing the quarter the figures are for."""

import re

import pytest
from django.urls import reverse

from reporting.models import Report, ReportingPeriod
from tests.reporting.factories import ReportingPeriodFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def post_only_addresses(setup):
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="cabinet")
    update = next(iter(setup.updates.values()))
    return {
        reverse("reporting:report_create"): reverse("reporting:report_list"),
        reverse("reporting:report_retry", kwargs={"pk": report.pk}): report.get_absolute_url(),
        reverse("reporting:period_add_next"): reverse("reporting:period_list"),
        reverse("reporting:update_review", kwargs={"pk": update.pk}): reverse(
            "reporting:update_detail", kwargs={"pk": update.pk}
        ),
        reverse("reporting:withholding_release", kwargs={"pk": 1}): reverse(
            "reporting:report_list"
        ),
    }


def test_a_get_on_a_post_only_address_says_where_the_form_is(client_for, secretariat_user, setup):
    client = client_for(secretariat_user)

    for address, form_page in post_only_addresses(setup).items():
        response = client.get(address)

        assert response.status_code == 405, address
        assert response["Allow"] == "POST"
        page = response.content.decode()
        assert "Use the form on the page" in page, address
        assert f'href="{form_page}"' in page, address
        assert "Nothing was changed" in page


def test_reloading_the_report_request_asks_for_no_report(client_for, secretariat_user, setup):
    client_for(secretariat_user).get(reverse("reporting:report_create"))

    assert not Report.objects.exists()


def selected_option(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def test_a_bogus_period_is_ignored_and_the_chooser_shows_the_quarter_shown(client_for, lead, setup):
    # The default (the open quarter) is not the first in the list: a later one has begun too.
    later = ReportingPeriodFactory(year=2026, quarter=4, state=ReportingPeriod.State.UPCOMING)
    assert list(ReportingPeriod.objects.begun_in(setup.plan))[:2] == [later, setup.period]
    response = client_for(lead).get(f"/dashboard/{setup.plan.slug}/?period=bogus")

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["period"] == setup.period
    assert selected_option(page, "period") == setup.period.code
    assert "is not a quarter" in page  # what was wrong with it, and the names it takes


def test_a_quarter_outside_the_plan_is_ignored_and_said_so(client_for, lead, setup):
    response = client_for(lead).get(f"/dashboard/{setup.plan.slug}/?period=2019-Q1")

    page = response.content.decode()
    assert response.context["period"] == setup.period
    assert "not one of this plan&#x27;s quarters" in page or "not one of this plan's" in page
    assert f"Ignored: showing {setup.period.label}" in page


def test_a_bogus_filter_is_ignored_and_its_control_shows_all(client_for, lead, setup):
    response = client_for(lead).get(f"/dashboard/{setup.plan.slug}/?agency=nobody")

    page = response.content.decode()
    assert response.context["form"].data["agency"] == ""
    assert "Ignored: showing all" in page
    assert 'name="agency"' in page


@pytest.mark.parametrize("query", ["state=bogus", "agency=no-such-agency"])
def test_a_period_page_filter_no_return_can_match_is_ignored_and_said_so(
    client_for, secretariat_user, setup, query
):
    response = client_for(secretariat_user).get(f"/periods/{setup.period.code}/?{query}")

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == len(response.context["page"].object_list) > 0
    assert response.context["selected_state"] == response.context["selected_agency"] == ""
    assert "showing every" in page
