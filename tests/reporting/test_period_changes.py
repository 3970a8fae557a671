"""Periods that can't be opened by mistake: an early opening is confirmed and says who is emailed,
a mistaken opening is undone while nothing is submitted, and closing counts every state. Each
change is in the period's history."""

import pytest
from django.urls import reverse

from reporting.models import ReportingPeriod
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory
from tests.reporting.scenes import shared_action

pytestmark = pytest.mark.django_db


def url(name, period):
    return reverse(f"reporting:{name}", kwargs={"code": period.code})


@pytest.fixture
def upcoming(db):
    return ReportingPeriodFactory(year=2027, quarter=1, state="upcoming")


def test_opening_before_the_scheduled_date_needs_confirming_and_says_who_is_emailed(
    client_for, secretariat_user, upcoming, agency, lead
):
    shared_action(agency, plan__start_date=upcoming.starts_on, plan__end_date=upcoming.ends_on)
    client = client_for(secretariat_user)
    page = client.get(url("period_open", upcoming)).content.decode()
    assert f"is scheduled to open on {upcoming.opens_on:%-d %B %Y}" in page
    assert "The “returns are open” email goes to 1 lead of Customs." in page
    response = client.post(url("period_open", upcoming))
    assert response.status_code == 400
    assert "Tick the box to confirm opening it early." in response.content.decode()
    assert ReportingPeriod.objects.get(pk=upcoming.pk).state == "upcoming"
    client.post(url("period_open", upcoming), {"early": "yes"})
    assert ReportingPeriod.objects.get(pk=upcoming.pk).is_open
    latest = upcoming.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Opened early", secretariat_user)


def test_an_open_period_with_nothing_submitted_goes_back_to_scheduled(
    client_for, secretariat_user, period, action, agency
):
    StatusUpdateFactory(action=action, agency=agency, period=period, state="draft")
    client_for(secretariat_user).post(url("period_unopen", period))
    period.refresh_from_db()
    assert period.state == "upcoming"
    assert period.history.first().history_change_reason == "Put back to scheduled"
    assert period.status_updates.get().state == "draft"  # drafts are kept


def test_a_period_with_a_submitted_return_cannot_go_back(
    client_for, secretariat_user, period, action, agency
):
    StatusUpdateFactory(action=action, agency=agency, period=period, state="submitted")
    response = client_for(secretariat_user).post(url("period_unopen", period))
    assert response.status_code == 400
    assert "1 return has been submitted. Close it instead" in response.content.decode()
    assert ReportingPeriod.objects.get(pk=period.pk).is_open


def test_the_close_confirmation_counts_every_state_and_names_what_freezes_unreviewed(
    client_for, secretariat_user, period, agency, other_agency
):
    for state in ("draft", "submitted", "submitted", "returned", "accepted"):
        action = shared_action(agency)
        StatusUpdateFactory(action=action, agency=agency, period=period, state=state)
    shared_action(agency)  # not started
    page = client_for(secretariat_user).get(url("period_close", period)).content.decode()
    for label, count in (
        ("Not started yet", 1),
        ("Draft", 1),
        ("Submitted", 2),
        ("Returned for changes", 1),
        ("Accepted", 1),
    ):
        assert f"{label}</span>: {count}</li>" in page, label
    assert (
        "2 submitted returns are still awaiting review</strong> and will freeze unreviewed" in page
    )
    assert "3 returns</strong> are still not submitted" in page


def test_a_period_that_cant_go_back_offers_no_button_to_try(
    client_for, secretariat_user, period, action, agency
):
    StatusUpdateFactory(action=action, agency=agency, period=period, state="accepted")
    page = client_for(secretariat_user).get(url("period_unopen", period)).content.decode()
    assert "1 return has been submitted, so it can't be put back." in page
    assert "back to scheduled</button>" not in page
