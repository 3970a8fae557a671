"""The dashboard of a plan and period, and its XLSX export of the period's updates.

Everyone with a role may open it: the secretariat and viewers see every agency; agency people
see the actions their agencies coordinate (``dashboard.actions_in_scope`` and the update
visibility rules decide).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from actions.models import ActionPlan
from core.markings import mark_page
from core.rules import allows
from reporting.governance.dependencies import dependent_count, on_off_track
from reporting.models import Report, ReportingPeriod
from reporting.models.reports import DEFAULT_MARKING
from reporting.periods.forms import DashboardFilterForm
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.reports.charts import dashboard_charts
from reporting.reports.exports import XLSX_CONTENT_TYPE, updates_workbook


def _plan(request, slug: str) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("strategy"), slug=slug
    )


def dashboard_index(request):
    """The newest plan's dashboard."""
    plan = ActionPlan.objects.visible_to(request.user).order_by("-start_date").first()
    if plan is None:
        raise Http404("There is no plan to show.")
    return redirect("reporting:dashboard", plan=plan.slug)


def dashboard(request, plan: str):
    plan = _plan(request, plan)
    form = DashboardFilterForm(request.GET, plan=plan)
    period, filters = form.selection()
    context = {
        "plan": plan,
        "context_plan": plan,
        "form": form,
        "period": period,
        "context_period": period,
        "other_plans": ActionPlan.objects.visible_to(request.user).exclude(pk=plan.pk),
        "may_build_reports": allows(Report.objects.buildable_by(request.user)),
    }
    if period is not None:
        data = build_dashboard(plan, period, scope=Scope.of(request.user), filters=filters)
        mark_page(request, DEFAULT_MARKING, data["contents_marking"])
        context |= {
            "data": data,
            "charts": dashboard_charts(data, prefix="dash"),
        }
        blocked = on_off_track(plan, user=request.user, period=period)
        context |= {"blocked": blocked, "blocked_count": dependent_count(blocked)}
    return render(request, "reporting/dashboard.html", context)


def updates_xlsx(request, plan: str, period: str):
    """The period's updates the user may see, one row each, as a spreadsheet."""
    plan = _plan(request, plan)
    period = get_object_or_404(ReportingPeriod.objects.begun_in(plan), code=period)
    response = HttpResponse(
        updates_workbook(plan, period, user=request.user), content_type=XLSX_CONTENT_TYPE
    )
    filename = f"{plan.code.lower()}-{period.code}-updates.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
