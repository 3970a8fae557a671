"""The secretariat's withholdings for proactive release: what is withheld, and releasing it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import ActionPlan
from core.markings import ProtectiveMarking, mark_page
from core.rules import require
from core.views import post_only
from reporting.models import Withholding
from reporting.models.reports import DEFAULT_MARKING
from reporting.periods.forms import DashboardFilterForm
from reporting.withholdings.forms import WithholdingForm


def withholdings(request, plan: str):
    """Text withheld from proactive release in a plan's actions and a period's updates."""
    _manageable(request.user)
    plan = get_object_or_404(ActionPlan.objects.visible_to(request.user), slug=plan)
    chooser = DashboardFilterForm(request.GET, plan=plan)
    period = chooser.selection()[0]
    if period is None:
        raise Http404("This plan has no reporting period yet.")
    form = WithholdingForm(request.POST or None, plan=plan, period=period)
    if request.method == "POST" and form.is_valid():
        withholding = form.save(commit=False)
        withholding.created_by = request.user
        withholding.save()
        messages.success(request, _("Withheld: %(withholding)s.") % {"withholding": withholding})
        return redirect(f"{request.path}?{urlencode({'period': period.code})}")
    items = (
        Withholding.objects.for_content(plan.actions.all(), period)
        .select_related("action__plan", "update__action__plan", "update__agency", "created_by")
        .order_by("-created_at")
    )
    mark_page(request, ProtectiveMarking.highest(DEFAULT_MARKING, *(w.marking for w in items)))
    return render(
        request,
        "reporting/reports/withholdings.html",
        {
            "plan": plan,
            "period": period,
            "context_plan": plan,
            "context_period": period,
            "chooser": chooser,
            "form": form,
            "withholdings": items,
        },
        status=400 if form.errors else 200,
    )


@post_only(
    # The page listing withholdings is per plan; the reports page links to each plan's.
    lambda pk: reverse("reporting:report_list"),
    gettext_lazy("stop withholding text from the public version"),
)
def withholding_release(request, pk: int):
    """Stop withholding: the text goes back into public versions built from now on."""
    withholding = get_object_or_404(
        _manageable(request.user).select_related(
            "action__plan", "update__action__plan", "update__period"
        ),
        pk=pk,
    )
    action = withholding.target_action
    period = withholding.update.period.code if withholding.update else request.POST.get("period")
    withholding.delete()
    messages.success(request, _("No longer withheld."))
    url = reverse("reporting:withholdings", kwargs={"plan": action.plan.slug})
    return redirect(f"{url}?{urlencode({'period': period})}" if period else url)


def _manageable(user):
    return require(
        Withholding.objects.manageable_by(user), _("Only the secretariat withholds text.")
    )
