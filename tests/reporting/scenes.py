"""Ready-made situations for return tests: an open period and an action two agencies share."""

import datetime

from django.utils import timezone

from actions.models import Action, ActionAgency, natural_sort_key
from core import counts
from reporting.models import ReportingPeriod
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.reporting.factories import ReportingPeriodFactory


def open_period(*, due_in_days: int = 10, year: int = 2026, quarter: int = 3) -> ReportingPeriod:
    """An open period due ``due_in_days`` from today (negative: overdue), whatever today is."""
    today = timezone.localdate()
    due_on = today + datetime.timedelta(days=due_in_days)
    return ReportingPeriodFactory(
        year=year,
        quarter=quarter,
        state=ReportingPeriod.State.OPEN,
        opens_on=min(today, due_on) - datetime.timedelta(days=20),
        due_on=due_on,
        closes_on=max(today, due_on) + datetime.timedelta(days=30),
    )


def shared_action(lead_agency, supporting_agency=None, **action_fields):
    """An action ``lead_agency`` leads (and ``supporting_agency`` supports, if given)."""
    coordination = ActionAgencyFactory(
        agency=lead_agency,
        role=ActionAgency.Role.COORDINATING,
        **{f"action__{k}": v for k, v in action_fields.items()},
    )
    if supporting_agency is not None:
        ActionAgencyFactory(
            action=coordination.action, agency=supporting_agency, role=ActionAgency.Role.SUPPORTING
        )
    return coordination.action


def led_in_bulk(plan, agency, how_many: int) -> None:
    """Actions 1 to ``how_many`` of ``plan`` ("Action 1", …), each led by ``agency``, in two
    inserts: for counts in the thousands."""
    actions = []
    for number in range(1, how_many + 1):
        action = ActionFactory.build(plan=plan, number=str(number), title=f"Action {number}")
        action.sort_key = natural_sort_key(action.number)
        actions.append(action)
    ActionAgency.objects.bulk_create(
        ActionAgencyFactory.build(action=action, agency=agency, role=ActionAgency.Role.COORDINATING)
        for action in Action.objects.bulk_create(actions)
    )
    counts.retire()  # a bulk write retires the kept counts itself (docs/architecture.md)
