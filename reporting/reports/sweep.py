"""No report stays "being built" for good. A build whose worker died (killed, out of memory,
the machine restarted) leaves its report building; the sweep, run by beat every few minutes,
fails any build older than the task's hard time limit, which no live build can outlast, with
the reason, so its page offers "Try again". A report still waiting in the queue that long after
it was asked for, past the broker's redelivery too, has lost its message and is failed alike."""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from reporting.models import Report

logger = logging.getLogger(__name__)


def _minutes(seconds: int) -> str:
    return f"{round(seconds / 60)} minutes" if seconds >= 120 else f"{seconds} seconds"


def stuck_builds_reason() -> str:
    return (
        f"The build stopped without finishing: it was still running after "
        f"{_minutes(settings.REPORT_HARD_TIME_LIMIT)}, the most a build may take, so the "
        "process building it must have stopped (restarted or out of memory). Try again."
    )


def never_started_reason() -> str:
    return (
        "The build never started: the request was lost from the task queue (a worker or Redis "
        "restarted). Try again."
    )


def fail_stuck_builds(now: datetime.datetime | None = None) -> list[Report]:
    """Fail every report building longer than the hard time limit, and every one queued
    longer than the broker's redelivery allows; return them."""
    now = now or timezone.now()
    building_cutoff = now - datetime.timedelta(seconds=settings.REPORT_HARD_TIME_LIMIT)
    redelivery = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    queued_cutoff = now - datetime.timedelta(seconds=redelivery + settings.REPORT_HARD_TIME_LIMIT)
    stuck = Report.objects.filter(
        Q(state=Report.State.BUILDING, building_since__lt=building_cutoff)
        | Q(state=Report.State.QUEUED, requested_at__lt=queued_cutoff)
    )
    failed = []
    for report in stuck:
        reason = (
            stuck_builds_reason()
            if report.state == Report.State.BUILDING
            else never_started_reason()
        )
        # Only if it is still stuck: a build that finished meanwhile keeps its outcome.
        changed = Report.objects.filter(pk=report.pk, state=report.state).update(
            state=Report.State.FAILED, error=reason
        )
        if changed:
            logger.warning("Report %s failed by the sweep: %s", report.pk, reason)
            report.state, report.error = Report.State.FAILED, reason
            failed.append(report)
    return failed
