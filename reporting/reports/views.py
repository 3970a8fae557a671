"""Pages of the progress reports: ask for one, watch it build, download it; and the withholdings
for proactive release. The secretariat builds and withholds; viewers download finished reports.
Files are served only through these permission-checked views, never as public media."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from actions.models import ActionPlan
from core.markings import mark_page
from core.rules import allows, require
from core.views import post_only
from reporting.models import ProactiveRelease, Report, ReportingPeriod
from reporting.progress.assembly import read_snapshot
from reporting.reports import services
from reporting.reports.exports import DOCX_CONTENT_TYPE, status_table_document
from reporting.reports.forms import ReportRequestForm

# While a report is being built its page reloads itself this often (seconds), without script.
REFRESH_SECONDS = 3


# The one way a report is failed as soon as it is asked for (the page says the rest).
NOT_QUEUED = gettext_noop("The report was not built: the task queue could not be reached.")


def _readable(user):
    return require(
        Report.objects.visible_to(user),
        _("Reports are for the secretariat and the steering group."),
    )


def _buildable(user):
    return require(Report.objects.buildable_by(user), _("Only the secretariat builds reports."))


def _visible_report(request, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related(
            "plan", "period", "requested_by", "final_by"
        ),
        pk=pk,
    )


def report_list(request):
    """Every report, newest first, and (for the secretariat) the form to ask for another,
    set to ``?plan=`` and ``?period=`` if given."""
    _readable(request.user)
    form = None
    if allows(Report.objects.buildable_by(request.user)):
        plans = ActionPlan.objects.visible_to(request.user)
        plan = plans.filter(slug=request.GET.get("plan")).first() or plans.first()
        form = ReportRequestForm(plans=plans)
        period = form.fields["period"].queryset.named(request.GET.get("period"))
        form.initial = {
            "plan": plan,
            "period": period or (ReportingPeriod.objects.default_for(plan) if plan else None),
            "audience": Report.Audience.CABINET,
        }
    return _render_list(request, form)


def _render_list(request, form, status=200):
    reports_ = Report.objects.visible_to(request.user).select_related(
        "plan", "period", "requested_by", "final_by"
    )
    return render(
        request,
        "reporting/reports/report_list.html",
        {"reports": reports_[:100], "form": form, "page_title": _("Progress reports")},
        status=status,
    )


# Not in the request's transaction: the build is queued as soon as the report is saved, so the
# view can tell the user when it couldn't be.
@transaction.non_atomic_requests
@post_only(lambda: reverse("reporting:report_list"), gettext_lazy("ask for a progress report"))
def report_create(request):
    _buildable(request.user)
    form = ReportRequestForm(request.POST, plans=ActionPlan.objects.visible_to(request.user))
    if not form.is_valid():
        return _render_list(request, form, status=400)
    report = services.request_report(
        plan=form.cleaned_data["plan"],
        period=form.cleaned_data["period"],
        audience=form.cleaned_data["audience"],
        variant=form.cleaned_data["variant"],
        marking=form.cleaned_data["chosen_marking"],
        by=request.user,
    )
    if report.state == Report.State.FAILED:
        messages.error(request, _(NOT_QUEUED))
    return redirect(report)


def report_detail(request, pk: int):
    report = _visible_report(request, pk)
    release = ProactiveRelease.objects.filter(report=report).first()
    mark_page(request, report.page_marking)
    response = render(
        request,
        "reporting/reports/report_detail.html",
        {
            "report": report,
            "snapshot": read_snapshot(report.snapshot) if report.snapshot else None,
            "context_plan": report.plan,
            "context_period": report.period,
            "may_build": allows(Report.objects.buildable_by(request.user)),
            "may_delete": Report.objects.removable_by(request.user).filter(pk=pk).exists(),
            "release": release,
            "release_history": release.history.select_related("history_user") if release else [],
            "may_release": allows(ProactiveRelease.objects.manageable_by(request.user)),
            "refresh_seconds": REFRESH_SECONDS,
            "hard_limit_minutes": round(settings.REPORT_HARD_TIME_LIMIT / 60),
        },
    )
    if report.is_pending:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@transaction.non_atomic_requests  # as report_create
@post_only(
    lambda pk: reverse("reporting:report_detail", kwargs={"pk": pk}),
    gettext_lazy("build the report again"),
)
def report_retry(request, pk: int):
    report = get_object_or_404(_buildable(request.user), pk=pk)
    report = services.retry_report(report, by=request.user)
    if report.state == Report.State.FAILED:
        messages.error(request, _(NOT_QUEUED))
    else:
        messages.info(request, _("The report is being built again."))
    return redirect(report)


@transaction.non_atomic_requests  # as report_create: the rebuild is queued once it is saved
@post_only(
    lambda pk: reverse("reporting:report_detail", kwargs={"pk": pk}),
    gettext_lazy("mark the report final"),
)
def report_final(request, pk: int):
    report = get_object_or_404(_buildable(request.user), pk=pk)
    try:
        report = services.mark_final(report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    if report.state == Report.State.FAILED:
        messages.error(request, _(NOT_QUEUED))
    else:
        messages.success(
            request,
            _(
                "The report is final: it can no longer be deleted, and its PDF is built again "
                "with “Final” on the cover."
            ),
        )
    return redirect(report)


def report_delete(request, pk: int):
    """A confirmation page, then (POST) the deletion of a report that isn't final."""
    report = _visible_report(request, pk)
    _buildable(request.user)
    if request.method == "POST":
        try:
            services.delete_report(report, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(report)
        messages.success(
            request,
            _("%(title)s, %(period)s (no. %(number)s) is deleted.")
            % {"title": report.title, "period": report.period.label, "number": pk},
        )
        return redirect("reporting:report_list")
    mark_page(request, report.page_marking)
    return render(
        request,
        "reporting/reports/report_delete.html",
        {
            "report": report,
            "may_delete": Report.objects.removable_by(request.user).filter(pk=pk).exists(),
            "page_title": _("Delete %(title)s") % {"title": report.title},
        },
    )


def report_download(request, pk: int):
    report = _visible_report(request, pk)
    if not report.is_ready:
        raise Http404("This report is not ready.")
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"{report.download_name}.pdf",
        content_type="application/pdf",
    )


def report_status_table(request, pk: int):
    """The Cabinet report's status table as a Word document, from the report's snapshot."""
    report = _visible_report(request, pk)
    if not report.has_status_table:
        raise Http404("Only a finished Cabinet report has a status table.")
    response = HttpResponse(status_table_document(report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{report.download_name}-status-table.docx"'
    )
    return response
