"""Quarterly reminders and escalations: what is due today, claimed once, sent with retries.

The cycle, for each open reporting period, worked out from its dates on each run (so a missed,
doubled or DST-shifted tick neither skips nor repeats a step):

- **Returns open**: to each agency lead with returns outstanding, from when the period opens;
- **due-date reminder**: from ``REMINDER_DAYS_BEFORE_DUE`` days before the due date;
- **overdue notice** to the leads and an **escalation** summary to the secretariat, from the day
  after the due date, repeated every ``OVERDUE_REPEAT_EVERY_DAYS`` days (the repeat number is the
  occurrence) until the period closes.

Only the current step is sent: a step that a later one has overtaken is not sent late. A lead is
reminded only about the returns of the actions their agency leads that are not started, in draft
or returned for changes; once submitted, they drop out of every email.

Exactly once: each email is first recorded as a ``ReminderLog`` row, which the database allows
once per (address, period, kind, occurrence). Inserting the row claims the send (a run inserts all
its rows in one statement, which skips those claimed before); a second run, worker or redelivered
task loses the insert and sends nothing. One send task per run locks the run's rows, sends them
over one mail connection and marks each sent, so a task delivered twice sends once, and a run's
queries stay the same however many emails it sends. (An email the mail server accepted just
before the worker died, not yet marked sent, is sent again: the one gap no database can close.)
A failed send is retried with growing pauses by the worker, or hourly by the next run when tasks
run in-process, and marked failed after ``MAX_SEND_ATTEMPTS``; the period page shows both.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings

from reporting.models import ReminderLog, ReportingPeriod

logger = logging.getLogger(__name__)


Kind = ReminderLog.Kind


@dataclass(frozen=True)
class Step:
    kind: str
    occurrence: int = 1


def lead_step(period: ReportingPeriod, today: datetime.date) -> Step | None:
    """The step of the leads' reminder cycle that is current on ``today``, if any."""
    if not period.is_open or today > period.closes_on:
        return None
    if today > period.due_on:
        return Step(Kind.OVERDUE, overdue_occurrence(period, today))
    due_soon_from = period.due_on - datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE_DUE)
    if today >= due_soon_from and due_soon_from > period.opens_on:
        return Step(Kind.DUE_SOON)
    return Step(Kind.OPENED)


def overdue_occurrence(period: ReportingPeriod, today: datetime.date) -> int:
    """1 from the day after the due date, 2 after the first repeat interval, and so on."""
    days_late = (today - period.due_on).days
    every = settings.OVERDUE_REPEAT_EVERY_DAYS
    return (days_late - 1) // every + 1 if every > 0 else 1
