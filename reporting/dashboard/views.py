"""The dashboard of a plan and period, and its XLSX export of the period's updates.

Everyone with a role may open it: the secretariat and viewers see every agency; agency people
see the actions their agencies coordinate (``dashboard.actions_in_scope`` and the update
visibility rules decide).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from actions.models import ActionPlan
from agencies.models import Agency
from agencies.roles import sees_every_agency
from core import page_cache
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


# The longest tables and the most indicator cards the dashboard shows; past them it says how
# many more there are and links to the period's review page (filtered as the dashboard is).
TABLE_ROWS = 50
INDICATOR_CARDS = 12


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
        shown = page_cache.cached(
            plan.pk,
            # The language too: the charts' and tables' words are cached in it.
            (
                "dashboard",
                period.pk,
                _scope_key(request.user),
                _filters_key(filters),
                _today(),
                get_language(),
            ),
            lambda: _dashboard_shown(plan, period, request.user, filters),
        )
        mark_page(request, DEFAULT_MARKING, shown["data"]["contents_marking"])
        context |= shown
        blocked = on_off_track(plan, user=request.user, period=period)
        context |= {
            "blocked": blocked,
            "blocked_count": dependent_count(blocked),
            "review_is_period_page": allows(ReportingPeriod.objects.overseeable_by(request.user)),
            "review_url": _review_url(request.user, period, filters),
        }
    return render(request, "reporting/dashboard.html", context)


def _dashboard_shown(plan, period, user, filters) -> dict:
    """What the dashboard shows of ``build_dashboard``'s data (without the text it doesn't
    show, the long tables cut at ``TABLE_ROWS`` rows and the indicators at
    ``INDICATOR_CARDS``), and its charts: the part kept in the cache."""
    data = build_dashboard(plan, period, scope=Scope.of(user), filters=filters, texts=False)
    exceptions = [a for a in data.pop("actions") if a["is_exception"]]
    data["exceptions"] = exceptions[:TABLE_ROWS]
    data["indicator_count"] = len(data["indicators"])
    data["indicators"] = data["indicators"][:INDICATOR_CARDS]
    outstanding = data["returns"]["outstanding"]
    data["returns"] = {
        **data["returns"],
        "outstanding": outstanding[:TABLE_ROWS],
        "outstanding_count": len(outstanding),
    }
    return {"data": data, "charts": dashboard_charts(data, prefix="dash")}


def _scope_key(user) -> tuple:
    """Who sees the same dashboard: everyone who sees every agency, else the people of the same
    agencies (``Scope.of`` reads the actions their agencies coordinate)."""
    if sees_every_agency(user):
        return ("every agency",)
    return tuple(Agency.objects.of_member(user).order_by("pk").values_list("pk", flat=True))


def _filters_key(filters) -> tuple:
    return tuple(
        getattr(filters, name).pk if getattr(filters, name) else None
        for name in ("agency", "priority_area", "focus_area")
    )


def _today():
    # Overdue returns and past timeframes are counted against today.
    return timezone.localdate().isoformat()


def _review_url(user, period, filters) -> str:
    """Where every row of a cut table is: the period's review page (filtered to the dashboard's
    agency), for those who may read it; My actions for agency people."""
    if not allows(ReportingPeriod.objects.overseeable_by(user)):
        return reverse("reporting:my_actions")
    url = reverse("reporting:period_detail", kwargs={"code": period.code})
    return f"{url}?agency={filters.agency.slug}" if filters.agency else url


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
