"""The governance reminder job (beat runs it hourly; sending goes through the reminders room's
``send_reminder``). Its registered name is pinned."""

from celery import shared_task

from reporting.governance.reminders import queue_governance_reminders


@shared_task(name="reporting.tasks.tick_governance_reminders")
def tick_governance_reminders() -> int:
    """Claim and queue every governance reminder now due; return how many."""
    return len(queue_governance_reminders())
