"""Background jobs of the reporting app. Each task is a thin wrapper over a service function."""

from celery import shared_task
from django.conf import settings

from .reminders import MAX_SEND_ATTEMPTS, ReminderNotSent, deliver_reminder, queue_due_reminders

# Reminders (reporting/reminders.py) -----------------------------------------------------------


@shared_task
def tick_reminders() -> int:
    """Beat runs this every hour: claim and queue every reminder now due; return how many."""
    return sum(log is not None for _, log in queue_due_reminders())


@shared_task(
    autoretry_for=(ReminderNotSent,),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=True,
    # The log row counts attempts and gives up after MAX_SEND_ATTEMPTS; this is only a backstop.
    max_retries=MAX_SEND_ATTEMPTS,
)
def send_reminder(log_id: int) -> str:
    """Send one claimed reminder (a no-op if it was sent already); return its status."""
    return deliver_reminder(log_id).status


# Reports (reporting/reports.py) ---------------------------------------------------------------
# The render itself stops at REPORT_RENDER_TIME_LIMIT (reporting/pdf.py); these limits stand
# behind it on a worker, and a report whose build is cut short is marked failed.


@shared_task(
    soft_time_limit=settings.REPORT_RENDER_TIME_LIMIT + 60,
    time_limit=settings.REPORT_RENDER_TIME_LIMIT + 120,
)
def build_report_pdf(report_id: int) -> str:
    """Build one queued report's PDF; return its state (ready or failed)."""
    from celery.exceptions import SoftTimeLimitExceeded

    from .reports import build_report, fail_report

    try:
        return build_report(report_id).state
    except SoftTimeLimitExceeded:
        return fail_report(report_id, "Building the report took too long.").state
