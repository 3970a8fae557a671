"""Every action's and line's progress in a period, by the status rule (``reporting.statuses``),
for any surface: the snapshot behind the dashboard, reports and exports; the API; My actions, the
period page and the action page.

``progress_of`` works on rows already read (the snapshot reads them anyway); ``progress_in``
reads them for a set of actions in a fixed number of queries.

- A *line* is an action with no sub-actions or strands, a sub-action, or a strand. Its
  *responsible* agencies are its designated lead, else its coordinating agencies
  (``actions.querysets.responsible_among``); supporting agencies' returns are shown beside it.
- A line's status and per cent come from its responsible agencies' counted returns (submitted
  or accepted) for the period; an action with lines rolls up from them, “n of m lines
  reported”.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from actions.models import Action, ActionAgency
from actions.querysets import responsible_among
from core.lookups import any_of
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.statuses import (
    NO_RETURN,
    REPORTED_STATES,
    STATUS_LABELS,
    action_percent,
    action_status,
    line_percent,
    line_status,
)


@dataclass
class Progress:
    """One action's or line's progress in a period."""

    status: str
    percent: int | None
    is_line: bool
    line_count: int  # 1 for a line
    lines_reported: int  # lines with a responsible agency's counted return
    responsible: list = field(default_factory=list)  # agency keys: whose returns count
    supporting: list = field(default_factory=list)  # agency keys: input, shown beside it
    lines: list = field(default_factory=list, repr=False)  # (status, per cent) of each line

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def reported_summary(self) -> str:
        """“2 of 3 lines reported”, for an action with lines; "" for a line."""
        if self.is_line:
            return ""
        lines = "line" if self.line_count == 1 else "lines"
        return f"{self.lines_reported} of {self.line_count} {lines} reported"

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "status_label": self.status_label,
            "percent_complete": self.percent,
            "is_line": self.is_line,
            "lines": self.line_count,
            "lines_reported": self.lines_reported,
        }


def progress_of(
    actions: list[tuple[int, int | None]],
    coordinations: dict[int, list[tuple]],
    counted: dict[tuple[int, object], tuple[str, int | None]],
) -> dict[int, Progress]:
    """Progress of each of ``actions`` ((id, parent id) pairs, lines included), from each
    line's ``coordinations`` (id → [(agency key, role)]) and the period's ``counted`` returns
    ((id, agency key) → (status, per cent)). Agency keys are whatever the caller uses (ids,
    names), the same in both."""
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in actions:
        if parent_id is not None:
            children[parent_id].append(pk)
    result: dict[int, Progress] = {}

    def of(pk: int) -> Progress:
        if pk in result:
            return result[pk]
        if children.get(pk):
            lines = [line for child in children[pk] for line in of(child).lines]
            statuses = [status for status, _ in lines]
            progress = Progress(
                status=action_status(statuses),
                percent=action_percent(lines),
                is_line=False,
                line_count=len(lines),
                lines_reported=sum(status != NO_RETURN for status in statuses),
                lines=lines,
            )
        else:
            pairs = coordinations.get(pk, [])
            responsible = responsible_among(pairs)
            returns = [counted[(pk, agency)] for agency in responsible if (pk, agency) in counted]
            status = line_status(status for status, _ in returns)
            progress = Progress(
                status=status,
                percent=line_percent(percent for _, percent in returns),
                is_line=True,
                line_count=1,
                lines_reported=int(status != NO_RETURN),
                responsible=responsible,
                supporting=[agency for agency, role in pairs if agency not in responsible],
            )
            progress.lines = [(progress.status, progress.percent)]
        result[pk] = progress
        return progress

    for pk, _ in actions:
        of(pk)
    return result


def family_of(wanted) -> list[tuple[int, int | None]]:
    """(id, parent id) of the ``wanted`` actions (ids, or a queryset of them) and the lines
    they roll up from: their parts and their parts' parts, in one query. A parent outside the
    set is given as None: it is not rolled up here."""
    among = "any" if isinstance(wanted, list) else "in"  # a list goes as one array parameter
    actions = Action.objects.order_by()
    parts = actions.filter(**{f"parent__{among}": wanted})
    # Three lookups the planner answers from the indexes (one OR of them reads every action).
    rows = list(
        actions.filter(**{f"pk__{among}": wanted})
        .values_list("pk", "parent_id")
        .union(
            parts.values_list("pk", "parent_id"),
            actions.filter(parent__in=parts.values("pk")).values_list("pk", "parent_id"),
        )
    )
    in_family = {pk for pk, _ in rows}
    return [(pk, parent if parent in in_family else None) for pk, parent in rows]


def coordinations_of(ids: list[int]) -> dict[int, list[tuple]]:
    """action id → its coordinating agencies' (agency id, role), in the plan's order."""
    coordinations: dict[int, list[tuple]] = defaultdict(list)
    for action_id, agency_id, role in (
        ActionAgency.objects.filter(action__any=any_of(ids))
        .order_by("order", "pk")
        .values_list("action_id", "agency_id", "role")
    ):
        coordinations[action_id].append((agency_id, role))
    return coordinations


def progress_in(period: ReportingPeriod, actions, *, updates=None) -> dict[int, Progress]:
    """``progress_of`` for the actions of the ``actions`` queryset (and the lines they roll up
    from) in ``period``, counting ``updates`` (default: all; pass
    ``StatusUpdate.objects.visible_to(user)`` for a person's view). Three queries."""
    updates = StatusUpdate.objects.all() if updates is None else updates
    pairs = family_of(actions.values("pk"))
    ids = [pk for pk, _ in pairs]
    counted = {
        (action_id, agency_id): (status, percent)
        for action_id, agency_id, status, percent in updates.filter(
            action__any=any_of(ids), period=period, state__in=REPORTED_STATES
        )
        .order_by()
        .values_list("action_id", "agency_id", "status", "percent_complete")
    }
    return progress_of(pairs, coordinations_of(ids), counted)


def attach_line_status(returns, *, updates) -> None:
    """Give each return (``reporting.returns.obligations.Return``) its line's ``line_status``
    (a ``Progress``) in the return's period, counting ``updates``: three queries a period."""
    by_period = defaultdict(list)
    for row in returns:
        by_period[row.period].append(row)
    for period, rows in by_period.items():
        actions = Action.objects.filter(pk__in={row.action.pk for row in rows})
        progress = progress_in(period, actions, updates=updates)
        for row in rows:
            row.line_status = progress[row.action.pk]
