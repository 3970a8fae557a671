"""Reporting's section of the action page: your returns this quarter, every quarter's updates
you may see, and who changed what. ``ReportingConfig.ready()`` adds it to the page."""

from itertools import groupby

from django.http import HttpRequest
from django.template.loader import render_to_string

from actions.models import Action
from agencies.models import Agency
from core.markings import mark_page
from reporting.returns.obligations import returns_for

from .audit import action_history
from .lines import progress_in
from .models import ReportingPeriod, StatusUpdate, Withholding


def action_reporting(request: HttpRequest, action: Action) -> str:
    user = request.user
    visible = StatusUpdate.objects.visible_to(user).filter(action=action)
    updates = visible.select_related(
        "period", "agency", "updated_by", "submitted_by", "reviewed_by"
    ).order_by("-period__year", "-period__quarter", "agency__short_name")
    period = ReportingPeriod.objects.current()
    mine = []
    if period is not None:
        mine = returns_for(period, agencies=Agency.objects.of_member(user), action=action)
    mark_page(request, Withholding.objects.marking_of(actions=[action], updates=updates))
    context = {
        "action": action,
        **_status(user, action),
        "current_period": period,
        "my_returns": mine,
        "timeline": [(p, list(us)) for p, us in groupby(updates, key=lambda u: u.period)],
        "history": action_history(action, visible),
    }
    return render_to_string("reporting/_action_reporting.html", context, request=request)


def _status(user, action: Action) -> dict:
    """The action's status by the status rule in the quarter the dashboard shows, and each of
    its lines', for people who may read its progress."""
    quarter = ReportingPeriod.objects.default_for(action.plan)
    readable = Action.objects.progress_visible_to(user).filter(pk=action.pk).exists()
    if quarter is None or not readable:
        return {}
    parts = [action, *action.sub_actions.order_by("sort_key")]
    progress = progress_in(
        quarter, Action.objects.filter(pk=action.pk), updates=StatusUpdate.objects.visible_to(user)
    )
    agencies = Agency.objects.in_bulk(
        {a for p in progress.values() for a in [*p.responsible, *p.supporting]}
    )
    return {
        "status_period": quarter,
        "status": progress[action.pk],
        "line_statuses": [
            (
                part,
                progress[part.pk],
                [agencies[a] for a in progress[part.pk].responsible],
                [agencies[a] for a in progress[part.pk].supporting],
            )
            for part in parts[1:]
            if part.pk in progress
        ],
    }
