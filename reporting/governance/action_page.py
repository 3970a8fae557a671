"""The governance section of the action page: what the action depends on and what depends on
it (each with its latest status), its risks on the register, and, for the secretariat, the form
to link it. ``ReportingConfig.ready()`` adds it to the page."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from actions.models import Action
from core.rules import allows
from reporting.models import ActionDependency, Risk
from reporting.statuses import STATUSES

from .dependencies import latest_statuses
from .forms import DependencyForm


def action_governance(request: HttpRequest, action: Action) -> str:
    user = request.user
    links = ActionDependency.objects.visible_to(user).select_related(
        "action__plan", "depends_on__plan"
    )
    depends_on = list(links.filter(action=action).order_by("depends_on__sort_key"))
    dependents = list(links.filter(depends_on=action).order_by("action__plan", "action__sort_key"))
    statuses = latest_statuses(
        {d.depends_on_id for d in depends_on} | {d.action_id for d in dependents}, user=user
    )

    def row(link, other):
        status = statuses.get(other.pk)
        return {"link": link, "action": other, "status": STATUSES[status] if status else None}

    may_link = allows(ActionDependency.objects.manageable_by(user))
    context = {
        "action": action,
        "depends_on": [row(d, d.depends_on) for d in depends_on],
        "dependents": [row(d, d.action) for d in dependents],
        "risks": Risk.objects.visible_to(user).filter(actions=action).live().highest_first(),
        "may_link": may_link,
        "form": DependencyForm(action=action) if may_link else None,
    }
    return render_to_string(
        "reporting/governance/_action_governance.html", context, request=request
    )
