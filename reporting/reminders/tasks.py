"""The reminder jobs and their queue: claim and queue what is due (beat runs ``tick_reminders``
hourly), send one claimed reminder, and claim a review's notifications (``notify_review``, which
answers the returns room's ``update_reviewed``) and a new comment's (``notify_comment``, which
answers ``comment_posted``). The tasks' registered names are pinned, so beat
rows and queued messages survive a move."""

import datetime
import logging

from celery import shared_task
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from reporting.models import ReminderLog
from reporting.reminders.compose import ReminderDraft, due_reminders
from reporting.reminders.delivery import MAX_SEND_ATTEMPTS, ReminderNotSent, deliver_reminder
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


def claim(draft: ReminderDraft) -> ReminderLog | None:
    """Record ``draft``, and queue its send once recorded; None if it was already claimed."""
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
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
            transaction.on_commit(lambda pk=log.pk: queue_send(pk))
    except IntegrityError:
        return None
    return log


def queue_due_reminders(
    *, today: datetime.date | None = None, periods=None
) -> list[tuple[ReminderDraft, ReminderLog | None]]:
    """Claim and queue every due email not already claimed: the job beat runs every hour.

    Returns each due email with its new log row, or None where it had been claimed before.
    """
    requeue_stale_reminders()
    results = []
    for draft in [
        *due_reminders(today=today, periods=periods),
        *submission_digests(today=today, periods=periods),
    ]:
        log = claim(draft)
        results.append((draft, log))
        if log is not None:
            logger.info("Queued %s", log)
    return results


def queue_send(log_id: int) -> None:
    """Queue the send task of a claimed reminder.

    If it can't be queued (the broker is down) or, run in-process, its first attempt failed, the
    row stays pending and a later run queues it again (``requeue_stale_reminders``); one
    reminder's trouble never stops the others.
    """
    try:
        send_reminder.delay(log_id)
    except Exception as error:
        logger.warning("Reminder %s not sent yet; a later run tries again: %s", log_id, error)


def requeue_stale_reminders(now: datetime.datetime | None = None) -> int:
    """Queue again the pending rows whose send task was lost or gave up; return how many."""
    now = now or timezone.now()
    stale = list(ReminderLog.objects.stale(now - STALE_AFTER).values_list("pk", flat=True))
    for pk in stale:
        ReminderLog.objects.filter(pk=pk).update(updated_at=now)
        queue_send(pk)
    if stale:
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


@receiver(update_reviewed, dispatch_uid="reporting.reminders.notify_review")
def notify_review(sender, *, update, decision: str, **kwargs) -> None:
    """Record the review's notifications with the change (each once), sent after it commits."""
    notices = accepted_notices if decision == ACCEPTED else returned_notices
    for draft in notices(update):
        claim(draft)


@receiver(comment_posted, dispatch_uid="reporting.reminders.notify_comment")
def notify_comment(sender, *, comment, **kwargs) -> None:
    """Record the new comment's notifications to the others in the thread (each once), sent
    after it commits."""
    for draft in comment_notices(comment):
        claim(draft)
