"""Progress reports: ask for one, build it in the background, and render it from its snapshot.

Contract:

- ``request_report(plan=, period=, audience=, variant=, marking=, by=)`` → a queued ``Report``;
  the secretariat only (``PermissionDenied`` otherwise). The build task is enqueued after the
  transaction commits; if the broker can't be reached then, the report is marked failed
  (``QUEUE_UNREACHABLE``) so it can be retried.
- ``build_report(report_id, in_worker=)`` → the Report, ready or failed (the task's body). The
  first build freezes ``build_dashboard(...)`` into ``report.snapshot``; rendering reads only
  the snapshot, so a rebuild prints the same data.
- ``retry_report(report, by=)``: queue a failed report again (the secretariat only);
  ``fail_report(report_id, error)`` records why a build failed.
- ``report_html(report)`` → the HTML WeasyPrint renders; ``report_marking(...)`` the marking.
"""

import datetime
import logging
from functools import partial

import kombu.exceptions
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import ActionPlan
from agencies.roles import is_secretariat

from .charts import dashboard_charts
from .dashboard import build_dashboard
from .models import ProtectiveMarking, Report, ReportingPeriod
from .pdf import RenderError, render_pdf, render_pdf_with_time_limit, static_url

logger = logging.getLogger(__name__)

QUEUE_UNREACHABLE = (
    "The build could not be started: the task queue (Redis) could not be reached. Nothing was "
    "built. Try again in a few minutes; if it keeps failing, tell your system administrator."
)


def request_report(
    *,
    plan: ActionPlan,
    period: ReportingPeriod,
    audience: str,
    variant: str = Report.Variant.FULL,
    marking: str = ProtectiveMarking.IN_CONFIDENCE,
    by,
) -> Report:
    """Record a report to build and queue its build."""
    if not is_secretariat(by):
        raise PermissionDenied("Only the secretariat builds reports.")
    report = Report.objects.create(
        plan=plan,
        period=period,
        audience=audience,
        variant=variant,
        chosen_marking=marking,
        requested_by=by,
    )
    _enqueue(report)
    return report


def retry_report(report: Report, *, by) -> Report:
    """Queue a failed report again; it renders from the snapshot it already took, if any."""
    if not is_secretariat(by):
        raise PermissionDenied("Only the secretariat builds reports.")
    if report.state != Report.State.FAILED:
        return report
    report.state, report.error = Report.State.QUEUED, ""
    report.save(update_fields=["state", "error"])
    _enqueue(report)
    return report


def _enqueue(report: Report) -> None:
    transaction.on_commit(partial(_queue_build, report))


def _queue_build(report: Report) -> None:
    """Queue the build; if the broker can't be reached, mark ``report`` failed, so it doesn't
    wait for ever and its page offers a retry."""
    from .tasks import build_report_pdf

    try:
        build_report_pdf.delay(report.pk)
    except kombu.exceptions.OperationalError as error:
        logger.error("Report %s could not be queued for building: %s", report.pk, error)
        report.state, report.error = Report.State.FAILED, QUEUE_UNREACHABLE
        report.save(update_fields=["state", "error"])


def report_marking(report: Report, snapshot: dict) -> str:
    """Blank for the public version; otherwise the chosen marking, raised to the highest marking
    of the withheld text the report prints."""
    if report.is_public:
        return ""
    return ProtectiveMarking.highest(report.chosen_marking, snapshot.get("contents_marking", ""))


def build_report(report_id: int, *, in_worker: bool = False) -> Report:
    """Take the snapshot (first time only), render the PDF and store it on the report.

    The render is stopped after ``REPORT_RENDER_TIME_LIMIT``: on a Celery worker
    (``in_worker``) by the task's own time limits, elsewhere (the shell, tasks run in-process) by
    rendering in a child process that is killed when the time is up.
    """
    report = Report.objects.select_related("plan", "period", "requested_by").get(pk=report_id)
    if report.state == Report.State.READY:
        return report
    report.state = Report.State.BUILDING
    report.save(update_fields=["state"])
    if not report.snapshot:
        report.snapshot = build_dashboard(
            report.plan, report.period, user=report.requested_by, public=report.is_public
        )
    report.marking = report_marking(report, report.snapshot)
    report.save(update_fields=["snapshot", "marking"])
    render = render_pdf if in_worker else render_pdf_with_time_limit
    try:
        rendered = render(report_html(report))
    except RenderError as error:
        logger.warning("Report %s failed to build: %s", report.pk, error)
        return fail_report(report.pk, str(error))
    except SoftTimeLimitExceeded:
        logger.warning("Report %s took too long to build", report.pk)
        limit = settings.REPORT_RENDER_TIME_LIMIT
        return fail_report(report.pk, f"Rendering took longer than {limit} seconds.")
    except Exception as error:  # the report page says it failed; the log keeps the traceback
        logger.exception("Report %s failed to build", report.pk)
        return fail_report(report.pk, f"Unexpected error: {type(error).__name__}: {error}")
    report.file.save(f"{report.download_name}.pdf", ContentFile(rendered.content), save=False)
    report.page_count = rendered.page_count
    report.state, report.error, report.built_at = Report.State.READY, "", timezone.now()
    report.save()
    return report


def fail_report(report_id: int, error: str) -> Report:
    """Mark a report failed with what went wrong, so its page offers a retry."""
    report = Report.objects.get(pk=report_id)
    report.state, report.error = Report.State.FAILED, error
    report.save(update_fields=["state", "error"])
    return report


def report_html(report: Report) -> str:
    """The report as HTML, from its snapshot alone."""
    data = report.snapshot
    charts = dashboard_charts(data, prefix="pdf")
    return render_to_string(
        f"reporting/reports/pdf/{report.audience}.html",
        {
            "report": report,
            "stylesheet": static_url("css/report.css"),
            "title": report.title,
            "audience_label": report.get_audience_display(),
            "marking": report.marking,
            "data": data,
            "as_at": timezone.localtime(datetime.datetime.fromisoformat(data["as_at"])),
            "charts": charts,
            "indicators": indicator_items(data, charts),
            "priority_sections": priority_sections(data),
            "exceptions": [a for a in data["actions"] if a["is_exception"]],
            "changed": [a for a in data["actions"] if a["changed"]],
            "summary": summary_figures(data),
        },
    )


def indicator_items(data: dict, charts: dict) -> list[dict]:
    """Each indicator with its chart, and whether its readings are demonstration data."""
    return [
        {"data": i, "chart": chart, "is_demo": any(r["is_demo"] for r in i["readings"])}
        for i, chart in zip(data["indicators"], charts["indicators"], strict=True)
    ]


def priority_sections(data: dict) -> list[dict]:
    """Each priority area with its actions (and the untagged ones last), for the SIB report."""
    by_id = {action["id"]: action for action in data["actions"]}
    sections = [
        {**area, "actions": [by_id[i] for i in area["action_ids"]]}
        for area in data["priority_areas"]
    ]
    if data["unprioritised_action_ids"]:
        sections.append(
            {
                "slug": "not-tagged",
                "name": "Actions not tagged to a priority area",
                "description": "",
                "actions": [by_id[i] for i in data["unprioritised_action_ids"]],
            }
        )
    return sections


def summary_figures(data: dict) -> dict:
    """The executive summary's numbers."""
    counts = {item["status"]: item["count"] for item in data["counts"]}
    return {
        "total": data["reportable_count"],
        "on_track": counts["on_track"] + counts["complete"],
        "complete": counts["complete"],
        "at_risk": counts["at_risk"],
        "off_track": counts["off_track"],
        "no_return": counts["none"],
        "past_end": data["past_end_count"],
        "changed": data["changed_count"],
        "received": data["returns"]["received"],
        "expected": data["returns"]["expected"],
    }
