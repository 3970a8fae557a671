"""Reporting on the action page: this quarter's returns, the updates timeline, the audit trail.

The action page belongs to ``actions``, which can't know about reporting; its template pulls
this in with ``{% action_reporting action %}``.
"""

from itertools import groupby

from django import template

from agencies.models import Agency
from reporting.returns.obligations import returns_for
from reporting.statuses import NO_RETURN

from ..audit import action_history
from ..models import ReportingPeriod, StatusUpdate

register = template.Library()


@register.filter
def status_class(value) -> str:
    """The CSS class of a status or state (``status--<value>``); no value is “no return yet”."""
    return f"status--{value or NO_RETURN}"


@register.inclusion_tag("reporting/_action_reporting.html", takes_context=True)
def action_reporting(context, action):
    user = context["request"].user
    visible = StatusUpdate.objects.visible_to(user).filter(action=action)
    updates = visible.select_related(
        "period", "agency", "updated_by", "submitted_by", "reviewed_by"
    ).order_by("-period__year", "-period__quarter", "agency__short_name")
    period = ReportingPeriod.objects.current()
    mine = []
    if period is not None:
        mine = returns_for(period, agencies=Agency.objects.of_member(user), action=action)
    return {
        "action": action,
        "current_period": period,
        "my_returns": mine,
        "timeline": [(p, list(us)) for p, us in groupby(updates, key=lambda u: u.period)],
        "history": action_history(action, visible),
    }


@register.filter
def person(user, fallback: str = "someone") -> str:
    """A user as people see them: their full name, else their username (``fallback`` if gone)."""
    if user is None:
        return fallback
    return user.get_full_name() or user.username
