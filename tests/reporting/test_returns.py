"""What each agency owes in a period: one return per action it coordinates, most urgent first."""

import datetime

import pytest

from actions.models import ActionAgency
from agencies.models import Agency
from reporting.returns.obligations import returns_for, returns_of_rows, urgent_first
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.reporting.factories import StatusUpdateFactory
from tests.reporting.scenes import open_period, shared_action

pytestmark = pytest.mark.django_db


def test_an_agency_owes_a_return_on_each_line_not_on_the_action_they_make_up(agency, period):
    action = shared_action(agency)  # coordinated as a whole, like the source's action 14
    ports = ActionFactory(plan=action.plan, parent=action, kind="strand", number="1 strand 1")
    ActionAgencyFactory(action=ports, agency=agency, role=ActionAgency.Role.SUPPORTING)
    (only,) = returns_for(period, agencies=[agency])
    assert (only.action, only.is_responsible, only.kind_label) == (ports, False, "Supporting input")
    assert only.state == "to_start"


def test_a_designated_lead_is_responsible_and_the_other_coordinators_are_not(
    agency, other_agency, period, secretariat_user
):
    action = shared_action(agency)
    other = ActionAgencyFactory(action=action, agency=other_agency)
    assert {r.agency: r.is_responsible for r in returns_for(period)} == {
        agency: True,
        other_agency: True,
    }
    other.designate_as_lead(by=secretariat_user)
    assert {r.agency: r.is_responsible for r in returns_for(period)} == {
        agency: False,
        other_agency: True,
    }
    assert other.role_label.startswith("Lead, designated by the secretariat on ")


def test_only_plans_running_during_the_period_are_reported_on(agency, period):
    shared_action(agency, title="Current")
    old_plan = ActionPlanFactory(
        start_date=datetime.date(2020, 7, 1), end_date=datetime.date(2021, 6, 30)
    )
    shared_action(agency, title="Finished plan", plan=old_plan)
    assert [r.action.title for r in returns_for(period)] == ["Current"]


def test_overdue_means_not_yet_submitted_after_the_due_date(agency, other_agency):
    period = open_period(due_in_days=-1)
    late_submitted = shared_action(agency)
    StatusUpdateFactory(action=late_submitted, agency=agency, period=period, state="submitted")
    outstanding = shared_action(agency)
    StatusUpdateFactory(action=outstanding, agency=agency, period=period, state="draft")
    states = {r.action: r.is_overdue() for r in returns_for(period)}
    assert states == {late_submitted: False, outstanding: True}


def plan_for_the_first_half_of_2026():
    return ActionPlanFactory(
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30)
    )


def test_urgency_puts_overdue_first_then_returned_not_started_draft_and_done_work_last(agency):
    overdue_period = open_period(due_in_days=-1, quarter=2)
    current = open_period(due_in_days=10)
    for state in ("accepted", "submitted", "draft", "returned", None):
        action = shared_action(agency, title=f"Current {state}")
        if state:
            StatusUpdateFactory(action=action, agency=agency, period=current, state=state)
    shared_action(agency, title="Overdue", plan=plan_for_the_first_half_of_2026())
    periods, agencies = [current, overdue_period], Agency.objects.filter(pk=agency.pk)
    rows = urgent_first(periods, agencies, datetime.date.today())
    assert [r.action.title for r in returns_of_rows(rows, periods, agencies)] == [
        "Overdue",
        "Current returned",
        "Current None",
        "Current draft",
        "Current submitted",
        "Current accepted",
    ]
