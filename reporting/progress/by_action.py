"""The ``progress`` of actions in the API: the status rule (``reporting.lines``) for a
period, as the dashboard and reports compute it, for the actions a person may read progress on.

The period is the one asked for (``?period=``), else, for each plan, the quarter the dashboard
shows by default (``ReportingPeriod.objects.default_for``), so the API and the dashboard
agree without being told which quarter.
"""

from collections import defaultdict

from actions.models import Action, ActionPlan
from core.lookups import any_of
from reporting.lines import coordinations_of, family_of, progress_of
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.statuses import REPORTED_STATES


def progress_by_action(
    action_ids: list[int], *, user, period: ReportingPeriod | None = None
) -> dict[int, dict | None]:
    """action id → its ``progress`` object (``ProgressSerializer``'s shape), or None where the
    person may not read its progress or its plan has no quarter yet. A few queries per quarter
    shown (one for every plan, usually), whatever the page's length."""
    readable = Action.objects.progress_visible_to(user).filter(pk__any=any_of(action_ids))
    by_plan: dict[int, list[int]] = defaultdict(list)
    for pk, plan_id in readable.order_by().values_list("pk", "plan_id"):
        by_plan[plan_id].append(pk)
    result: dict[int, dict | None] = dict.fromkeys(action_ids)
    updates = StatusUpdate.objects.visible_to(user)
    plans = list(ActionPlan.objects.filter(pk__in=by_plan))
    quarters = (
        dict.fromkeys(by_plan, period)
        if period
        else ReportingPeriod.objects.default_for_plans(plans)
    )
    # One pass per quarter shown (usually one for the whole page), not one per plan.
    by_quarter: dict[ReportingPeriod, list[int]] = defaultdict(list)
    for plan_id, ids in by_plan.items():
        if quarters.get(plan_id) is not None:
            by_quarter[quarters[plan_id]] += ids
    for quarter, ids in by_quarter.items():
        # The status rule's rows, each read once for the page: the family of lines, their
        # agencies, and the quarter's counted returns (which the lines also list).
        family = family_of(ids)
        lines = [pk for pk, _ in family]
        coordinations = coordinations_of(lines)
        returns = _counted_returns(quarter, lines, updates, coordinations)
        counted = {
            (pk, r["agency_id"]): (r["status"], r["percent_complete"])
            for pk, rows in returns.items()
            for r in rows
        }
        progress = progress_of(family, coordinations, counted)
        for pk in ids:
            line = progress[pk]
            result[pk] = {
                "period": quarter.code,
                "period_label": quarter.label,
                **line.as_dict(),
                "returns": [
                    {**r, "counts": r["agency_id"] in line.responsible} for r in returns.get(pk, [])
                ]
                if line.is_line
                else [],
            }
    return result


def _counted_returns(
    period: ReportingPeriod, ids: list[int], updates, coordinations: dict[int, list[tuple]]
) -> dict[int, list[dict]]:
    """action id → its counted returns in ``period``, by agency name, each with the agency's
    role on the action (from ``coordinations``)."""
    roles = {
        (action_id, agency_id): role
        for action_id, pairs in coordinations.items()
        for agency_id, role in pairs
    }
    grouped: dict[int, list[dict]] = defaultdict(list)
    rows = (
        updates.filter(action__any=any_of(ids), period=period, state__in=REPORTED_STATES)
        .order_by("agency__short_name", "pk")
        .values(
            "pk", "action_id", "agency_id", "agency__slug", "status", "state", "percent_complete"
        )
    )
    for row in rows:
        grouped[row["action_id"]].append(
            {
                "update_id": row["pk"],
                "agency_id": row["agency_id"],
                "agency": row["agency__slug"],
                "role": roles.get((row["action_id"], row["agency_id"]), ""),
                "status": row["status"],
                "state": row["state"],
                "percent_complete": row["percent_complete"],
            }
        )
    return grouped
