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


@shared_task(
    bind=True,
    soft_time_limit=settings.REPORT_RENDER_TIME_LIMIT,
    time_limit=settings.REPORT_RENDER_TIME_LIMIT + 30,
)
def build_report_pdf(self, report_id: int) -> str:
    """Build one queued report's PDF; return its state (ready or failed). On a worker these
    time limits stop a render that runs too long (the soft one marks the report failed); run
    in-process, the render guards itself (reporting/pdf.py)."""
    from .reports import build_report

    return build_report(report_id, in_worker=not self.request.is_eager).state
