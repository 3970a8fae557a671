"""Governance pieces that pages of other rooms show: a person's follow-up actions (on My
actions) and, on a return, whether its risks may be raised on the register."""

from django import template
from django.utils import timezone

from reporting.models import FollowUp, Risk, StatusUpdate

register = template.Library()


@register.inclusion_tag("reporting/governance/_my_follow_ups.html", takes_context=True)
def my_follow_ups(context):
    """The open follow-ups the signed-in person or their agencies own, overdue first."""
    user = context["request"].user
    today = timezone.localdate()
    follow_ups = list(
        FollowUp.objects.visible_to(user)
        .owned_by(user)
        .still_open()
        .select_related("meeting", "owner_agency", "owner_user")
        .order_by("due_on", "pk")
    )
    for follow_up in follow_ups:
        follow_up.overdue = follow_up.is_overdue(today)
    return {"follow_ups": follow_ups, "overdue": sum(f.overdue for f in follow_ups)}


@register.inclusion_tag("reporting/governance/_update_risks.html", takes_context=True)
def update_risk_register(context, update):
    """On a return: the register entries raised from it, and the way to raise one."""
    user = context["request"].user
    return {
        "update": update,
        "raised": Risk.objects.visible_to(user).filter(source_update=update),
        "may_raise": StatusUpdate.objects.risks_promotable_by(user).filter(pk=update.pk).exists(),
    }
