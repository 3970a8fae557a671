"""Sending claimed reminders exactly once: the rows are locked while they are sent (many at a
time, over one mail connection), the outcomes recorded, and a failure worth retrying raised as
``ReminderNotSent``."""

import logging
from collections import defaultdict

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from reporting.models import ReminderLog

# A send is tried this many times (with growing pauses between, see tasks.send_reminder) before
# the row is marked failed.
MAX_SEND_ATTEMPTS = 5
OUTCOME_FIELDS = ["status", "sent_at", "last_error", "attempts", "updated_at"]

logger = logging.getLogger(__name__)


class ReminderNotSent(Exception):
    """Sending failed; the task tries again later."""


def deliver_reminders(log_ids: list[int]) -> list[ReminderLog]:
    """Send the claimed reminders ``log_ids`` not sent already, and record each outcome.

    The rows stay locked while sending, so a duplicate task waits and then finds them sent. One
    mail connection carries them all, and the outcomes are written in a statement or two, so the
    queries are the same for one email or a thousand. Raises ``ReminderNotSent`` when a failure
    left any of them to be tried again; the others are recorded as sent first.
    """
    failures = []
    with transaction.atomic():
        logs = list(
            ReminderLog.objects.select_for_update()
            .filter(pk__in=log_ids, status=ReminderLog.Status.PENDING)
            .order_by("pk")
        )
        if not logs:
            return []
        now = timezone.now()  # one time for the batch, so its sent rows are one statement
        with get_connection() as mail:
            for log in logs:
                log.attempts += 1
                log.updated_at = now
                try:
                    mail.send_messages([log.as_email()])
                except Exception as error:  # recorded; one address never stops the others
                    log.set_failure(error, final=log.attempts >= MAX_SEND_ATTEMPTS)
                    failures.append(log)
                else:
                    log.set_sent(at=now)
        record_outcomes(logs)
    for log in failures:
        logger.warning(
            "Reminder %s to %s: attempt %d failed: %s",
            log.pk,
            log.email,
            log.attempts,
            log.last_error,
        )
    retry = [log for log in failures if log.status == ReminderLog.Status.PENDING]
    if retry:
        raise ReminderNotSent("; ".join(f"{log.email}: {log.last_error}" for log in retry))
    return logs


def record_outcomes(logs: list[ReminderLog]) -> None:
    """Write what a batch's sends did, one statement for each set of outcomes: one for every
    row sent (they differ only in attempts, for retries), one for each distinct failure."""
    rows = defaultdict(list)
    for log in logs:
        rows[tuple(getattr(log, field) for field in OUTCOME_FIELDS)].append(log.pk)
    for outcome, pks in rows.items():
        ReminderLog.objects.filter(pk__in=pks).update(
            **dict(zip(OUTCOME_FIELDS, outcome, strict=True))
        )


def deliver_reminder(log_id: int) -> ReminderLog:
    """Send one claimed reminder unless it has been sent already; record the outcome.

    Raises ``ReminderNotSent`` after a failure that should be tried again.
    """
    delivered = deliver_reminders([log_id])
    return delivered[0] if delivered else ReminderLog.objects.get(pk=log_id)
