"""An action rolls up from every line beneath it, its sub-actions' strands included: the same
in the API's progress and in ``progress_in`` (the action page, My actions, the period page)."""

import datetime

import pytest

from actions.models import Action, ActionAgency
from reporting.lines import progress_in
from reporting.models import ReportingPeriod
from reporting.progress.by_action import progress_by_action
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.agencies.factories import AgencyFactory
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action_over_strands():
    """TSOC 7 › 7a › two strands: the first reported complete, the second silent."""
    plan = ActionPlanFactory(
        code="TSOC", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2030, 12, 31)
    )
    period = ReportingPeriodFactory(year=2026, quarter=3, state=ReportingPeriod.State.OPEN)
    action = ActionFactory(plan=plan, number="7")
    sub_action = ActionFactory(plan=plan, number="7a", parent=action)
    reported, silent = (
        ActionFactory(plan=plan, number=f"7a strand {n}", parent=sub_action, kind="strand")
        for n in (1, 2)
    )
    for strand in (reported, silent):
        ActionAgencyFactory(
            action=strand, agency=AgencyFactory(), role=ActionAgency.Role.COORDINATING
        )
    StatusUpdateFactory(
        action=reported,
        agency=reported.coordinators.get().agency,
        period=period,
        status="complete",
        state="accepted",
        percent_complete=100,
    )
    return action, period


def test_an_actions_progress_counts_its_sub_actions_strands(action_over_strands):
    action, period = action_over_strands

    progress = progress_in(period, Action.objects.filter(pk=action.pk))[action.pk]

    assert (progress.status, progress.line_count, progress.lines_reported) == (
        "partly_reported",
        2,
        1,
    )


def test_the_api_counts_them_the_same(action_over_strands, secretariat_user):
    action, period = action_over_strands

    progress = progress_by_action([action.pk], user=secretariat_user, period=period)[action.pk]

    assert (progress["status"], progress["lines"], progress["lines_reported"]) == (
        "partly_reported",
        2,
        1,
    )
