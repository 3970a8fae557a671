"""Dependencies between actions as the dashboard and packs count them: the actions of a plan
that depend on an action whose latest status is off track. Statuses come from the one status
lookup (``reporting.progress.latest.with_latest_status``)."""

from actions.models import Action
from reporting.models import ActionDependency, StatusUpdate
from reporting.progress.latest import with_latest_status

OFF_TRACK = StatusUpdate.Status.OFF_TRACK


def latest_statuses(action_ids, *, user, period=None) -> dict[int, str]:
    """Action id → its latest status the user may see (in ``period``, if given)."""
    annotated = with_latest_status(
        Action.objects.filter(pk__in=action_ids), user=user, period=period
    ).values_list("pk", "latest_status_id")
    update_ids = {update: action for action, update in annotated if update}
    statuses = StatusUpdate.objects.filter(pk__in=update_ids).values_list("pk", "status")
    return {update_ids[pk]: status for pk, status in statuses}


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
