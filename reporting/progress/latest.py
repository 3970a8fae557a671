"""Whether an action's return is overdue, computed in SQL so a list of any length costs the
same few queries.

**Overdue**: a reporting period covering the action's plan is open and past its due date, and
an agency responsible for the action (if it is a line) or for one of its lines has no
submitted or accepted return for it. It depends on the state of returns only, not on their
content. (An action's status is the status rule's: ``reporting.lines``.)
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from actions.models import Action, ActionAgency
from reporting.models import ReportingPeriod, StatusUpdate

COUNTED_STATES = (StatusUpdate.State.SUBMITTED, StatusUpdate.State.ACCEPTED)


def with_overdue(actions, *, today: datetime.date | None = None):
    """Annotate ``overdue`` (see the module's docstring)."""
    today = today or timezone.localdate()
    counted_return = StatusUpdate.objects.filter(
        action=OuterRef("action"),
        agency=OuterRef("agency"),
        period=OuterRef(OuterRef("pk")),
        state__in=COUNTED_STATES,
    )
    action = OuterRef(OuterRef("pk"))
    without_return = (
        ActionAgency.objects.responsible()
        .filter(action__in=Action.objects.lines())
        .filter(~Exists(counted_return))
    )
    # The action itself, its parts, their parts: three lookups the planner answers from the
    # indexes (one OR of the three made it read every coordination for every action).
    responsible_without_return = (
        Exists(without_return.filter(action=action))
        | Exists(without_return.filter(action__parent=action))
        | Exists(without_return.filter(action__parent__parent=action))
    )
    overdue_periods = ReportingPeriod.objects.filter(
        responsible_without_return,
        state=ReportingPeriod.State.OPEN,
        due_on__lt=today,
        starts_on__lte=OuterRef("plan__end_date"),
        ends_on__gte=OuterRef("plan__start_date"),
    )
    return actions.annotate(overdue=Exists(overdue_periods))
