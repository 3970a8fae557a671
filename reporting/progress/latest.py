"""Progress of actions, computed in SQL so a list of any length costs the same few queries.

- **Latest status** of an action: its lead agency's most recent return that has been submitted
  or accepted (drafts and returned updates don't count), among the updates the user may see:
  the latest period's first, then the most recently changed (where several agencies lead).
- **Overdue**: a reporting period covering the action's plan is open and past its due date,
  and a lead agency of the action has no submitted or accepted return for it. It depends on
  the state of returns only, not on their content.
"""

import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from actions.models import ActionAgency
from reporting.models import ReportingPeriod, StatusUpdate

COUNTED_STATES = (StatusUpdate.State.SUBMITTED, StatusUpdate.State.ACCEPTED)


def with_latest_status(actions, *, user, period: ReportingPeriod | None = None):
    """Annotate ``latest_status_id``: the action's latest counted lead return the user may see
    (in ``period`` only, if given), or None."""
    lead = ActionAgency.objects.filter(
        action=OuterRef("action"), agency=OuterRef("agency"), role=ActionAgency.Role.LEAD
    )
    returns = StatusUpdate.objects.visible_to(user).filter(
        Exists(lead), action=OuterRef("pk"), state__in=COUNTED_STATES
    )
    if period is not None:
        returns = returns.filter(period=period)
    latest = returns.order_by("-period__year", "-period__quarter", "-updated_at", "-pk")
    return actions.annotate(latest_status_id=Subquery(latest.values("pk")[:1]))


def with_overdue(actions, *, today: datetime.date | None = None):
    """Annotate ``overdue`` (see the module's docstring)."""
    today = today or timezone.localdate()
    lead_return = StatusUpdate.objects.filter(
        action=OuterRef("action"),
        agency=OuterRef("agency"),
        period=OuterRef(OuterRef("pk")),
        state__in=COUNTED_STATES,
    )
    lead_without_return = ActionAgency.objects.filter(
        ~Exists(lead_return), action=OuterRef(OuterRef("pk")), role=ActionAgency.Role.LEAD
    )
    overdue_periods = ReportingPeriod.objects.filter(
        Exists(lead_without_return),
        state=ReportingPeriod.State.OPEN,
        due_on__lt=today,
        starts_on__lte=OuterRef("plan__end_date"),
        ends_on__gte=OuterRef("plan__start_date"),
    )
    return actions.annotate(overdue=Exists(overdue_periods))
