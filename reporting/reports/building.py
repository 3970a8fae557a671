"""Building a report: freeze its snapshot, render its PDF, record the outcome. Run by the task in
``reporting.reports.tasks``; nothing here queues anything."""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from reporting.evidence.listing import evidence_listing
from reporting.governance.pack import governance_pack
from reporting.models import ProtectiveMarking, Report
from reporting.progress.assembly import SnapshotVersionError, read_snapshot
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.reports.documents import report_html
from reporting.reports.rendering import RenderError, render_pdf, render_pdf_with_time_limit

logger = logging.getLogger(__name__)


def report_marking(report: Report, snapshot: dict) -> str:
    """Blank for the public version; otherwise the chosen marking, raised to the highest marking
    of the withheld text the report prints."""
    if report.is_public:
        return ""
    governance = snapshot.get("governance") or {}
    return ProtectiveMarking.highest(
        report.chosen_marking,
        snapshot.get("contents_marking", ""),
        governance.get("contents_marking", ""),
    )


def build_report(report_id: int, *, in_worker: bool = False) -> Report:
    """Take the snapshot (first time only), render the PDF and store it on the report.

    The render is stopped after ``REPORT_RENDER_TIME_LIMIT``: on a Celery worker
    (``in_worker``) by the task's own time limits, elsewhere (the shell, tasks run in-process) by
    rendering in a child process that is killed when the time is up.
    """
    report = Report.objects.select_related("plan", "period", "requested_by").get(pk=report_id)
    if report.state == Report.State.READY:
        return report
    report.state, report.building_since = Report.State.BUILDING, timezone.now()
    report.save(update_fields=["state", "building_since"])
    if not report.snapshot:
        report.snapshot = build_dashboard(
            report.plan, report.period, scope=Scope.for_report(), public=report.is_public
        )
        # Beside the dashboard's data set: the evidence the report lists by name.
        report.snapshot["evidence"] = evidence_listing(
            report.plan, report.period, public=report.is_public
        )
        # The steering group's risks, meetings and dependencies (reporting/governance/pack.py),
        # kept beside the dashboard's data until the snapshot assembles them itself.
        report.snapshot["governance"] = governance_pack(
            report.plan, report.period, user=report.requested_by, public=report.is_public
        )
    try:
        snapshot = read_snapshot(report.snapshot)
    except SnapshotVersionError as error:
        logger.warning("Report %s has a snapshot it can't read: %s", report.pk, error)
        report.save(update_fields=["snapshot"])
        return fail_report(report.pk, f"The report's stored data can't be read: {error}.")
    report.marking = report_marking(report, snapshot)
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
    if report.file:  # built before (now final, say): the new PDF replaces it
        report.file.delete(save=False)
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
