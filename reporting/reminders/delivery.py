"""Sending one claimed reminder, exactly once: the row is locked while it is sent, the outcome
recorded, and a failure worth retrying raised as ``ReminderNotSent``."""

import logging

from django.db import transaction

from reporting.models import ReminderLog

# A send is tried this many times (with growing pauses between, see tasks.send_reminder) before
# the row is marked failed.
MAX_SEND_ATTEMPTS = 5

logger = logging.getLogger(__name__)


class ReminderNotSent(Exception):
    """Sending failed; the task tries again later."""


def deliver_reminder(log_id: int) -> ReminderLog:
    """Send a claimed reminder unless it has been sent already; record the outcome.

    The row stays locked while sending, so a duplicate task waits and then finds it sent. Raises
    ``ReminderNotSent`` after a failure that should be tried again.
    """
    failure = None
    with transaction.atomic():
        log = ReminderLog.objects.select_for_update().get(pk=log_id)
        if log.status != ReminderLog.Status.PENDING:
            return log
        log.attempts += 1
        try:
            log.as_email().send()
        except Exception as error:  # any failure is recorded; one address never stops the others
            failure = error
            log.record_failure(error, final=log.attempts >= MAX_SEND_ATTEMPTS)
        else:
            log.mark_sent()
    if failure is not None:
        logger.warning(
            "Reminder %s to %s: attempt %d failed: %s",
            log.pk,
            log.email,
            log.attempts,
            log.last_error,
        )
        if log.status == ReminderLog.Status.PENDING:
            raise ReminderNotSent(log.last_error) from failure
    return log
