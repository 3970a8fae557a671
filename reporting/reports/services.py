"""Progress reports: ask for one, build it in the background, and render it from its snapshot.

Contract:

- ``request_report(plan=, period=, audience=, variant=, marking=, by=)`` → a queued ``Report``;
  the secretariat only (``PermissionDenied`` otherwise; ``ValidationError`` for a marking
  above the deployment's ceiling). The build task is enqueued after the transaction commits;
  if the broker can't be reached then, the report is marked failed (``QUEUE_UNREACHABLE``) so
  it can be retried.
- ``build_report(report_id, in_worker=)`` → the Report, ready or failed (the task's body). The
  first build freezes ``build_dashboard(...)`` into ``report.snapshot``; rendering reads only
  the snapshot, so a rebuild prints the same data.
- ``retry_report(report, by=)``: queue a failed report again (the secretariat only);
  ``fail_report(report_id, error)`` records why a build failed.
- ``mark_final(report, by=)``: a ready report is final (who, when, in its history): it can't
  be deleted from then on, and its PDF is built again, from the same snapshot, with “Final” on
  its cover. ``ValidationError`` if it isn't ready or is final already.
- ``delete_report(report, by=)``: a report made by mistake is deleted, its PDF removed from
  storage once that is committed (``Report.objects.removable_by``: not final, not being built,
  not in the release register); the history keeps who deleted it and when.
- ``report_html(report)`` → the HTML WeasyPrint renders; ``report_marking(...)`` the marking.
"""

import logging
from functools import partial

import kombu.exceptions
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionPlan
from core.markings import within_ceiling
from core.rules import allows
from reporting.models import ProtectiveMarking, Report, ReportingPeriod
from reporting.reports.tasks import build_report_pdf

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
    if not allows(Report.objects.buildable_by(by)):
        raise PermissionDenied(_("Only the secretariat builds reports."))
    within_ceiling(marking)
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
    if not Report.objects.buildable_by(by).filter(pk=report.pk).exists():
        raise PermissionDenied(_("Only the secretariat builds reports."))
    if report.state != Report.State.FAILED:
        return report
    report.state, report.error = Report.State.QUEUED, ""
    report.save(update_fields=["state", "error"])
    _enqueue(report)
    return report


@transaction.atomic
def mark_final(report: Report, *, by) -> Report:
    """Mark a ready report final and rebuild its PDF with “Final” on the cover."""
    report = Report.objects.buildable_by(by).select_for_update().filter(pk=report.pk).first()
    if report is None:
        raise PermissionDenied(_("Only the secretariat marks reports final."))
    if report.is_final:
        raise ValidationError(_("This report is final already."))
    if not report.is_ready:
        raise ValidationError(_("Only a report that has been built can be marked final."))
    report.final_at, report.final_by = timezone.now(), by
    report.state, report.error = Report.State.QUEUED, ""
    report._history_user = by
    report.save(update_fields=["final_at", "final_by", "state", "error"])
    _enqueue(report)
    return report


@transaction.atomic
def delete_report(report: Report, *, by) -> None:
    """Delete a report that isn't final, and (after commit) its PDF."""
    report = (
        Report.objects.removable_by(by).select_for_update(of=("self",)).filter(pk=report.pk).first()
    )
    if report is None:
        if allows(Report.objects.buildable_by(by)):
            raise ValidationError(
                _(
                    "This report can't be deleted: it is final, being built, or in the release "
                    "register."
                )
            )
        raise PermissionDenied(_("Only the secretariat deletes reports."))
    name, storage = report.file.name, report.file.storage
    report._history_user = by
    report.delete()
    if name:
        transaction.on_commit(partial(storage.delete, name))


def _enqueue(report: Report) -> None:
    transaction.on_commit(partial(_queue_build, report))


def _queue_build(report: Report) -> None:
    """Queue the build; if the broker can't be reached, mark ``report`` failed, so it doesn't
    wait for ever and its page offers a retry."""
    try:
        build_report_pdf.delay(report.pk)
    except kombu.exceptions.OperationalError as error:
        logger.error("Report %s could not be queued for building: %s", report.pk, error)
        report.state, report.error = Report.State.FAILED, QUEUE_UNREACHABLE
        report.save(update_fields=["state", "error"])
