"""Dependencies between actions as the dashboard and packs count them: the actions of a plan
that depend on an action whose status is off track. Statuses come from the one status rule
(``reporting.progress.by_action``, as the API's ``progress``)."""

from reporting.models import ActionDependency, StatusUpdate
from reporting.progress.by_action import progress_by_action

OFF_TRACK = StatusUpdate.Status.OFF_TRACK


def latest_statuses(action_ids, *, user, period=None) -> dict[int, str]:
    """Action id → its status by the status rule in ``period`` (by default the quarter the
    dashboard shows for its plan), for the actions whose progress the user may read."""
    progress = progress_by_action(list(action_ids), user=user, period=period)
    return {pk: p["status"] for pk, p in progress.items() if p}


def on_off_track(plan, *, user, period=None) -> list[dict]:
    """Each dependency of ``plan``'s actions on an off-track action (in this plan or another)."""
    links = list(
        ActionDependency.objects.visible_to(user)
        .filter(action__plan=plan)
        .select_related("action__plan", "depends_on__plan")
        .order_by("action__sort_key", "depends_on__plan__slug", "depends_on__sort_key")
    )
    statuses = latest_statuses({link.depends_on_id for link in links}, user=user, period=period)
    return [
        {
            "action_id": link.action_id,
            "action": f"{link.action.plan.code} {link.action.number}",
            "action_title": link.action.title,
            "action_url": link.action.get_absolute_url(),
            "depends_on_id": link.depends_on_id,
            "depends_on": f"{link.depends_on.plan.code} {link.depends_on.number}",
            "depends_on_title": link.depends_on.title,
        }
        for link in links
        if statuses.get(link.depends_on_id) == OFF_TRACK
    ]


def dependent_count(rows: list[dict]) -> int:
    """How many actions depend on an off-track action (each counted once)."""
    return len({row["action_id"] for row in rows})
