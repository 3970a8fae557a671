"""The reminder jobs and their queue: claim and queue what is due (beat runs ``tick_reminders``
hourly), send one claimed reminder, and claim a review's notifications (``notify_review``, which
answers the returns room's ``update_reviewed``) and a new comment's (``notify_comment``, which
answers ``comment_posted``). The tasks' registered names are pinned, so beat
rows and queued messages survive a move."""

import datetime
import logging

from celery import shared_task
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from reporting.models import ReminderLog
from reporting.reminders.compose import ReminderDraft, due_reminders
from reporting.reminders.delivery import (
    MAX_SEND_ATTEMPTS,
    ReminderNotSent,
    deliver_reminder,
    deliver_reminders,
)
from reporting.reminders.notify import (
    accepted_notices,
    comment_notices,
    returned_notices,
    submission_digests,
)
from reporting.returns.signals import ACCEPTED, comment_posted, update_reviewed

# A pending row untouched this long has lost its task (a broker outage, a worker killed before it
# queued the send) or, with tasks run in-process and so no Celery retries, awaits its next
# attempt: the next run queues it again. Longer than the longest retry pause of the send task.
STALE_AFTER = datetime.timedelta(hours=1)

logger = logging.getLogger(__name__)


def draft_log(draft: ReminderDraft) -> ReminderLog:
    """The unsaved log row that claims ``draft``."""
    return ReminderLog(
        period=draft.period,
        kind=draft.step.kind,
        occurrence=draft.step.occurrence,
        email=draft.recipient.email,
        recipient=draft.recipient.user,
        subject=draft.subject,
        text_body=draft.text_body,
        html_body=draft.html_body,
        action_count=draft.action_count,
        update=draft.update,
        update_version=draft.update_version,
        comment=draft.comment,
    )


def claim_all(drafts: list[ReminderDraft]) -> list[ReminderLog | None]:
    """Record every draft not claimed before, in one statement, and queue their sends as one
    task once recorded. Returns each draft's new row, or None where it had been claimed."""
    logs = [draft_log(draft) for draft in drafts]
    with transaction.atomic():
        claimed = ReminderLog.objects.claim_new(logs)
        if claimed:
            pks = [log.pk for log in claimed]
            transaction.on_commit(lambda: queue_sends(pks))
    return [log if log.pk is not None else None for log in logs]


def claim(draft: ReminderDraft) -> ReminderLog | None:
    """Record ``draft``, and queue its send once recorded; None if it was already claimed."""
    return claim_all([draft])[0]


def queue_due_reminders(
    *, today: datetime.date | None = None, periods=None
) -> list[tuple[ReminderDraft, ReminderLog | None]]:
    """Claim and queue every due email not already claimed: the job beat runs every hour.

    Returns each due email with its new log row, or None where it had been claimed before. The
    queries are the same however many emails are due: the drafts are worked out in a fixed
    number of queries, claimed in one statement and sent by one task over one mail connection.
    """
    requeue_stale_reminders()
    drafts = [
        *due_reminders(today=today, periods=periods),
        *submission_digests(today=today, periods=periods),
    ]
    results = list(zip(drafts, claim_all(drafts), strict=True))
    for _, log in results:
        if log is not None:
            logger.info("Queued %s", log)
    return results


def queue_sends(log_ids: list[int]) -> None:
    """Queue one send task for claimed reminders.

    If it can't be queued (the broker is down) or, run in-process, a first attempt failed, the
    rows left pending are queued again by a later run (``requeue_stale_reminders``); one
    reminder's trouble never stops the others.
    """
    try:
        send_reminders.delay(log_ids)
    except Exception as error:
        logger.warning(
            "%d reminders not all sent yet; a later run tries again: %s", len(log_ids), error
        )


def requeue_stale_reminders(now: datetime.datetime | None = None) -> int:
    """Queue again the pending rows whose send task was lost or gave up; return how many."""
    now = now or timezone.now()
    stale = list(ReminderLog.objects.stale(now - STALE_AFTER).values_list("pk", flat=True))
    if stale:
        ReminderLog.objects.filter(pk__in=stale).update(updated_at=now)
        queue_sends(stale)
        logger.warning("Queued %d pending reminders again", len(stale))
    return len(stale)


@shared_task(name="reporting.tasks.tick_reminders")
def tick_reminders() -> int:
    """Beat runs this every hour: claim and queue every reminder now due; return how many."""
    return sum(log is not None for _, log in queue_due_reminders())


@shared_task(
    name="reporting.tasks.send_reminder",
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


@shared_task(
    name="reporting.tasks.send_reminders",
    autoretry_for=(ReminderNotSent,),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=MAX_SEND_ATTEMPTS,
)
def send_reminders(log_ids: list[int]) -> int:
    """Send claimed reminders over one mail connection (those sent already are skipped); a
    retry sends only the ones still pending. Returns how many this attempt handled."""
    return len(deliver_reminders(log_ids))


@receiver(update_reviewed, dispatch_uid="reporting.reminders.notify_review")
def notify_review(sender, *, update, decision: str, **kwargs) -> None:
    """Record the review's notifications with the change (each once), sent after it commits."""
    notices = accepted_notices if decision == ACCEPTED else returned_notices
    claim_all(notices(update))


@receiver(comment_posted, dispatch_uid="reporting.reminders.notify_comment")
def notify_comment(sender, *, comment, **kwargs) -> None:
    """Record the new comment's notifications to the others in the thread (each once), sent
    after it commits."""
    claim_all(comment_notices(comment))
