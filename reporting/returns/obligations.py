"""Returns: what each agency owes in a period — one per action it coordinates, started or not.

A *return* is an (action, agency) pair of a plan that runs during the period, with the agency's
update for that period if it has started one. The lead agency's update is the return the
secretariat accepts; a supporting agency's is its supporting input. “My actions”, the
secretariat's review page and the reminders all read this list.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from actions.models import Action, ActionAgency, ActionPlan
from agencies.models import Agency
from reporting.models import ReportingPeriod, StatusUpdate

# The state of a return with no update yet: a word of its own, not the status "not_started"
# (an update can be submitted with the status "Not started").
TO_START = "to_start"


# What ``?state=`` on the period page also accepts, from links made before the rename.
STATE_ALIASES = {"not_started": TO_START}


STATE_LABELS = {TO_START: "Not started yet", **dict(StatusUpdate.State.choices)}


# Most urgent first: sent back for changes, then not started, then drafts; done work last.
URGENCY = {"returned": 0, TO_START: 1, "draft": 2, "submitted": 3, "accepted": 4}


OUTSTANDING = ("returned", TO_START, "draft")


def state_of(update: StatusUpdate | None) -> str:
    """A return's state: its update's, or ``TO_START`` when there is none yet."""
    return update.state if update else TO_START


@dataclass
class Return:
    period: ReportingPeriod
    action: Action
    agency: Agency
    is_lead: bool
    scopes: list[str]
    update: StatusUpdate | None

    @property
    def state(self) -> str:
        return state_of(self.update)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def role_label(self) -> str:
        return "Lead" if self.is_lead else "Supporting"

    @property
    def is_outstanding(self) -> bool:
        return self.state in OUTSTANDING

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Still to be submitted after the due date (a submitted-late return is not overdue)."""
        return self.is_outstanding and self.period.is_overdue(today)

    def urgency(self, today: datetime.date | None = None) -> tuple:
        return (
            not self.is_overdue(today),
            self.period.due_on,
            URGENCY[self.state],
            not self.is_lead,
            self.action.plan_id,
            self.action.sort_key,
            self.agency.short_name,
        )


def plans_running_in(period: ReportingPeriod):
    """Plans whose dates overlap the period's quarter: the ones agencies report on in it."""
    return ActionPlan.objects.filter(
        start_date__lte=period.ends_on, end_date__gte=period.starts_on
    ).order_by("-start_date")


def returns_for(period: ReportingPeriod, *, agencies=None, action=None) -> list[Return]:
    """Every return due in ``period`` (of ``agencies`` / for ``action``, if given), in plan
    order. An agency that coordinates several strands of an action owes one return for it."""
    plans = plans_running_in(period)
    coordinations = ActionAgency.objects.filter(action__plan__in=plans)
    # Updates are chosen by the same subqueries, not by a list of thousands of action ids.
    period_updates = StatusUpdate.objects.filter(period=period, action__plan__in=plans)
    if agencies is not None:
        coordinations = coordinations.filter(agency__in=agencies)
        period_updates = period_updates.filter(agency__in=agencies)
    if action is not None:
        coordinations = coordinations.filter(action=action)
        period_updates = period_updates.filter(action=action)
    coordinations = list(
        coordinations.select_related("action__plan", "action__parent", "agency").order_by(
            "action__plan", "action__sort_key", "order"
        )
    )
    updates = {(u.action_id, u.agency_id): u for u in period_updates}
    returns: dict[tuple[int, int], Return] = {}
    for c in coordinations:
        key = (c.action_id, c.agency_id)
        if key not in returns:
            returns[key] = Return(period, c.action, c.agency, False, [], updates.get(key))
        returns[key].is_lead |= c.role == ActionAgency.Role.LEAD
        if c.scope:
            returns[key].scopes.append(c.scope)
    return list(returns.values())


def by_urgency(returns: list[Return], today: datetime.date | None = None) -> list[Return]:
    today = today or timezone.localdate()
    return sorted(returns, key=lambda r: r.urgency(today))
