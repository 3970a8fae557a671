"""Returns: what each agency owes in a period — one per reportable line it coordinates (an
action with no sub-actions or strands, a sub-action, a strand), started or not.

A *return* is a (line, agency) pair of a plan that runs during the period, with the agency's
update for that period if it has started one. A responsible agency's update (the designated
lead's, else each coordinating agency's) is a return the line's status comes from; a
supporting agency's is its supporting input. “My actions”, the secretariat's review page and
the reminders all read this list.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_noop

from actions.models import Action, ActionAgency, ActionPlan
from agencies.models import Agency
from core import counts as kept_counts
from reporting.models import ReportingPeriod, StatusUpdate

# The state of a return with no update yet: a word of its own, not the status "not_started"
# (an update can be submitted with the status "Not started").
TO_START = "to_start"


# What ``?state=`` on the period page also accepts, from links made before the rename.
STATE_ALIASES = {"not_started": TO_START}


STATE_LABELS = {TO_START: gettext_noop("Not started yet"), **dict(StatusUpdate.State.choices)}


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
    coordination: ActionAgency
    is_responsible: bool  # the line's status comes from this agency's return
    update: StatusUpdate | None

    @property
    def state(self) -> str:
        return state_of(self.update)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def role_label(self) -> str:
        return self.coordination.role_label

    @property
    def kind_label(self) -> str:
        """“Return” (the line's status comes from it) or “Supporting input”."""
        return gettext("Return") if self.is_responsible else gettext("Supporting input")

    @property
    def is_outstanding(self) -> bool:
        return self.state in OUTSTANDING

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Still to be submitted after the due date (a submitted-late return is not overdue)."""
        return self.is_outstanding and self.period.is_overdue(today)


def plans_running_in(period: ReportingPeriod):
    """Plans whose dates overlap the period's quarter: the ones agencies report on in it."""
    return ActionPlan.objects.filter(
        start_date__lte=period.ends_on, end_date__gte=period.starts_on
    ).order_by("-start_date")


def runs_in(plan: ActionPlan, period: ReportingPeriod) -> bool:
    """``plans_running_in``'s test for one plan already read (the period list's plan column)."""
    return plan.start_date <= period.ends_on and plan.end_date >= period.starts_on


# Within a plan, due returns come in its lines' order, then each line's agencies'.
WITHIN_A_PLAN = ("action__sort_key", "order", "pk")


def due_coordinations(period: ReportingPeriod, *, agencies=None, action=None):
    """The coordinations that owe a return in ``period`` (of ``agencies`` / on ``action`` or
    its lines, if given), as a queryset annotated with ``is_responsible``, in plan order."""
    plans = plans_running_in(period)
    responsible = ActionAgency.objects.responsible().filter(pk=OuterRef("pk"))
    coordinations = ActionAgency.objects.filter(
        action__plan__in=plans, action__in=Action.objects.lines()
    )
    if agencies is not None:
        coordinations = coordinations.filter(agency__in=agencies)
    if action is not None:
        own_or_lines = Action.objects.filter(pk=action.pk) | Action.objects.filter(parent=action)
        coordinations = coordinations.filter(action__in=own_or_lines)
    return coordinations.annotate(is_responsible=Exists(responsible)).order_by(
        "action__plan", *WITHIN_A_PLAN
    )


class PlanByPlan:
    """The rows of ``due_coordinations`` (or of a narrowing of it: filtered, ``values_list``)
    in plan order, read one running plan at a time: within a plan the order is its lines'
    (``Action.sort_key``, off the ``action_plan_order`` index), then each line's agencies'.
    So a page of them is read without sorting every return due in every plan first, and the
    period page's page of 100 costs the same at any size. Sliced and counted as Django's
    ``Paginator`` does; a plan's rows are counted (kept, ``core.counts``) only when a page
    starts or runs past its end."""

    def __init__(self, rows, period: ReportingPeriod):
        plans = plans_running_in(period).order_by(*ActionPlan._meta.ordering, "pk")
        self.parts = [rows.filter(action__plan=plan).order_by(*WITHIN_A_PLAN) for plan in plans]

    def count(self) -> int:
        return sum(kept_counts.count(part) for part in self.parts)

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        wanted, rows = stop - start, []
        for part in self.parts:
            rows += part[max(start, 0) : stop]
            if len(rows) == wanted:
                break  # the page is full: later plans aren't read
            size = kept_counts.count(part)
            start, stop = start - size, stop - size
        return rows


def count_by_state(period: ReportingPeriod, *, agencies=None) -> dict[str, int]:
    """How many of the returns due in ``period`` (of ``agencies``) are in each state, in two
    aggregate queries: the updates matching a due return, by state, and the due returns in
    all (the rest are ``TO_START``); both kept until a write retires them (``core.counts``)."""
    due = due_coordinations(period, agencies=agencies).order_by()
    counts = dict.fromkeys(STATE_LABELS, 0)
    matching = StatusUpdate.objects.filter(
        Exists(due.filter(action=OuterRef("action"), agency=OuterRef("agency"))), period=period
    )
    by_state = matching.order_by().values_list("state").annotate(n=Count("pk"))
    for state, n in kept_counts.kept(by_state, list, "by state"):
        counts[state] += n
    counts[TO_START] = kept_counts.count(due) - sum(counts.values())
    return counts


def with_return_state(coordinations, period: ReportingPeriod):
    """``coordinations`` annotated with ``return_state``: the state of its return in
    ``period`` (its update's, or ``TO_START``), for counting, filtering and paging in the
    database."""
    state = (
        StatusUpdate.objects.filter(
            period=period, action=OuterRef("action"), agency=OuterRef("agency")
        )
        .order_by()  # one at most: the default order's joins would be made for nothing
        .values("state")[:1]
    )
    return coordinations.annotate(return_state=Coalesce(Subquery(state), Value(TO_START)))


def as_returns(period: ReportingPeriod, coordinations) -> list[Return]:
    """The ``Return`` of each of ``coordinations`` (rows of ``due_coordinations``), with its
    update: two queries, whatever the rows."""
    coordinations = list(coordinations.select_related("action__plan", "action__parent", "agency"))
    updates = {
        (u.action_id, u.agency_id): u
        for u in StatusUpdate.objects.filter(
            period=period,
            action__in={c.action_id for c in coordinations},
            agency__in={c.agency_id for c in coordinations},
        )
    }
    return [
        Return(
            period, c.action, c.agency, c, c.is_responsible, updates.get((c.action_id, c.agency_id))
        )
        for c in coordinations
    ]


def returns_for(period: ReportingPeriod, *, agencies=None, action=None) -> list[Return]:
    """Every return due in ``period`` (of ``agencies`` / on ``action`` or its lines, if
    given), in plan order: one per reportable line and coordinating agency."""
    plans = plans_running_in(period)
    coordinations = due_coordinations(period, agencies=agencies, action=action)
    # Updates are chosen by the same subqueries, not by a list of thousands of action ids.
    period_updates = StatusUpdate.objects.filter(period=period, action__plan__in=plans)
    if agencies is not None:
        period_updates = period_updates.filter(agency__in=agencies)
    if action is not None:
        own_or_lines = Action.objects.filter(pk=action.pk) | Action.objects.filter(parent=action)
        period_updates = period_updates.filter(action__in=own_or_lines)
    coordinations = coordinations.select_related("action__plan", "action__parent", "agency")
    updates = {(u.action_id, u.agency_id): u for u in period_updates}
    return [
        Return(
            period, c.action, c.agency, c, c.is_responsible, updates.get((c.action_id, c.agency_id))
        )
        for c in coordinations
    ]


def outstanding_coordinations(period: ReportingPeriod, *, responsible_only: bool = False):
    """The coordinations whose returns due in ``period`` are not yet submitted (not started, in
    draft or sent back), in plan order (rows of ``due_coordinations``, for ``as_returns``); only
    the responsible agencies' with ``responsible_only``. Chosen in the database, so the returns
    already in are never read."""
    due = with_return_state(due_coordinations(period), period).filter(return_state__in=OUTSTANDING)
    return due.filter(is_responsible=True) if responsible_only else due


def urgent_first(periods, agencies, today: datetime.date):
    """The returns ``agencies`` owe in ``periods``, as ``(coordination id, period id)`` rows in
    order of urgency (overdue first, then the earliest due, returned before not started before
    drafts before done work, returns before supporting input, then plan order), worked out in
    the database so a page of them is read
    without the rest."""
    queries = []
    for period in periods:
        overdue = period.is_overdue(today)
        due = with_return_state(due_coordinations(period, agencies=agencies), period)
        queries.append(
            due.annotate(
                period_key=Value(period.pk),
                not_overdue=Case(
                    When(return_state__in=OUTSTANDING, then=Value(not overdue)),
                    default=Value(True),
                ),
                due_on=Value(period.due_on),
                urgency=Case(*(When(return_state=k, then=Value(v)) for k, v in URGENCY.items())),
                plan_key=F("action__plan_id"),
                sort_key=F("action__sort_key"),
                agency_name=F("agency__short_name"),
            )
            .order_by()
            .values_list(
                "pk",
                "period_key",
                "not_overdue",
                "due_on",
                "urgency",
                "is_responsible",
                "plan_key",
                "sort_key",
                "agency_name",
            )
        )
    if not queries:
        return ActionAgency.objects.none().values_list("pk", "agency_id")
    rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return rows.order_by(
        "not_overdue", "due_on", "urgency", "-is_responsible", "plan_key", "sort_key", "agency_name"
    )


def returns_of_rows(rows, periods, agencies) -> list[Return]:
    """The ``Return`` of each ``(coordination id, period id, …)`` row of ``urgent_first``, in
    the rows' order: a few queries a period."""
    rows = [(row[0], row[1]) for row in rows]
    built = {}
    for period in periods:
        wanted = [pk for pk, period_id in rows if period_id == period.pk]
        if wanted:
            due = due_coordinations(period, agencies=agencies).filter(pk__in=wanted)
            built |= {(r.coordination.pk, period.pk): r for r in as_returns(period, due)}
    return [built[row] for row in rows]
