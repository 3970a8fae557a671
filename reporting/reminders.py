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
once per (address, period, kind, occurrence). Inserting the row claims the send; a second run,
worker or redelivered task loses the insert and sends nothing. The send task locks the row, sends,
and marks it sent, so a task delivered twice sends once. (An email the mail server accepted just
before the worker died, not yet marked sent, is sent again: the one gap no database can close.)
A failed send is retried with growing pauses by the worker, or hourly by the next run when tasks
run in-process, and marked failed after ``MAX_SEND_ATTEMPTS``; the period page shows both.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agencies.models import Membership
from agencies.roles import SECRETARIAT

from .models import ReminderLog, ReportingPeriod
from .returns import Return, returns_for

logger = logging.getLogger(__name__)

Kind = ReminderLog.Kind

# A send is tried this many times (with growing pauses between, see tasks.send_reminder) before
# the row is marked failed.
MAX_SEND_ATTEMPTS = 5
# A pending row untouched this long has lost its task (a broker outage, a worker killed before it
# queued the send) or, with tasks run in-process and so no Celery retries, awaits its next
# attempt: the next run queues it again. Longer than the longest retry pause of the send task.
STALE_AFTER = datetime.timedelta(hours=1)

TICK_TASK = "reporting.tasks.tick_reminders"
TICK_NAME = "Send due reminders"


class ReminderNotSent(Exception):
    """Sending failed; the task tries again later."""


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


def outstanding_lead_returns(period: ReportingPeriod) -> list[Return]:
    """The lead returns of the period not yet submitted: not started, in draft or sent back."""
    return [r for r in returns_for(period) if r.is_lead and r.is_outstanding]


@dataclass
class OutstandingReturn:
    """One line of a reminder: a lead return still to come, and where to write it."""

    ret: Return
    url: str

    @property
    def action(self):
        return self.ret.action

    @property
    def agency(self):
        return self.ret.agency

    @property
    def scopes(self) -> list[str]:
        return self.ret.scopes

    @property
    def state_label(self) -> str:
        return self.ret.state_label


@dataclass
class Recipient:
    email: str
    name: str
    user: object | None = None
    returns: list[OutstandingReturn] = field(default_factory=list)


@dataclass
class ReminderDraft:
    """An email the current step calls for, rendered, not yet claimed."""

    period: ReportingPeriod
    step: Step
    recipient: Recipient
    subject: str
    text_body: str
    html_body: str
    action_count: int

    def claim(self) -> ReminderLog | None:
        """Record the email, and queue its send once recorded; None if it was already claimed."""
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(
                    period=self.period,
                    kind=self.step.kind,
                    occurrence=self.step.occurrence,
                    email=self.recipient.email,
                    recipient=self.recipient.user,
                    subject=self.subject,
                    text_body=self.text_body,
                    html_body=self.html_body,
                    action_count=self.action_count,
                )
                transaction.on_commit(lambda pk=log.pk: queue_send(pk))
        except IntegrityError:
            return None
        return log

    def already_claimed(self) -> bool:
        return ReminderLog.objects.filter(
            period=self.period,
            kind=self.step.kind,
            occurrence=self.step.occurrence,
            email=self.recipient.email,
        ).exists()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _update_url(ret: Return) -> str:
    return _absolute(
        reverse(
            "reporting:update_form",
            kwargs={
                "period": ret.period.code,
                "plan": ret.action.plan.slug,
                "number": ret.action.number,
                "agency": ret.agency.slug,
            },
        )
    )


def _add(recipients: dict[str, Recipient], email: str, name: str, user=None) -> Recipient:
    key = email.strip().lower()
    recipient = recipients.setdefault(key, Recipient(email=key, name=name, user=user))
    if user is not None and recipient.user is None:
        recipient.user, recipient.name = user, name
    return recipient


def _lead_addresses(agencies) -> dict[int, list[tuple[str, str, object | None]]]:
    """agency id → (email, greeting name, user or None) of its active leads and shared inbox."""
    addresses = defaultdict(list)
    memberships = (
        Membership.objects.leads()
        .filter(agency__in=agencies, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__pk")
    )
    for membership in memberships:
        user = membership.user
        addresses[membership.agency_id].append(
            (user.email, user.first_name or user.get_username(), user)
        )
    for agency in agencies:
        if agency.email:
            addresses[agency.pk].append((agency.email, agency.name, None))
    return addresses


def _secretariat_recipients() -> dict[str, Recipient]:
    recipients: dict[str, Recipient] = {}
    users = get_user_model().objects.filter(groups__name=SECRETARIAT, is_active=True)
    for user in users.exclude(email="").order_by("pk"):
        _add(recipients, user.email, user.first_name or user.get_username(), user)
    if settings.SECRETARIAT_EMAIL:
        _add(recipients, settings.SECRETARIAT_EMAIL, "Secretariat")
    return recipients


def _context(period: ReportingPeriod, step: Step, today: datetime.date, **extra) -> dict:
    return {
        "period": period,
        "step": step,
        "kind": step.kind,
        "due_on": date_format(period.due_on, "j F Y"),
        "days_left": (period.due_on - today).days,
        "days_late": (today - period.due_on).days,
        "home_url": _absolute(reverse("reporting:home")),
        **extra,
    }


SUBJECTS = {
    Kind.OPENED: "{period} returns are open: due {due}",
    Kind.DUE_SOON: "Reminder: your {period} returns are due on {due}",
    Kind.OVERDUE: "Overdue: your {period} returns were due on {due}",
    Kind.ESCALATION: "{count} {returns} outstanding for {period} (due {due})",
}


def _subject(step: Step, period: ReportingPeriod, count: int) -> str:
    text = SUBJECTS[step.kind].format(
        period=period.label,
        due=date_format(period.due_on, "j F Y"),
        count=count,
        returns="return" if count == 1 else "returns",
    )
    return f"TSOC Tracker: {text}"


def _render(template: str, context: dict) -> tuple[str, str]:
    return (
        render_to_string(f"reporting/email/{template}.txt", context),
        render_to_string(f"reporting/email/{template}.html", context),
    )


def _draft(period, step, recipient, template, today, count, **context) -> ReminderDraft:
    context = _context(period, step, today, recipient=recipient, **context)
    text, html = _render(template, context)
    return ReminderDraft(period, step, recipient, _subject(step, period, count), text, html, count)


def _drafts_for_period(period: ReportingPeriod, today: datetime.date) -> list[ReminderDraft]:
    step = lead_step(period, today)
    if step is None:
        return []
    outstanding = [
        OutstandingReturn(ret, _update_url(ret)) for ret in outstanding_lead_returns(period)
    ]
    if not outstanding:
        return []

    addresses = _lead_addresses({item.agency for item in outstanding})
    leads: dict[str, Recipient] = {}
    for item in outstanding:
        for email, name, user in addresses.get(item.agency.pk, []):
            _add(leads, email, name, user).returns.append(item)
    drafts = [
        _draft(period, step, lead, "lead_reminder", today, len(lead.returns), returns=lead.returns)
        for lead in leads.values()
    ]

    if step.kind == Kind.OVERDUE:
        escalation = Step(Kind.ESCALATION, step.occurrence)
        by_agency = defaultdict(list)
        for item in outstanding:
            by_agency[item.agency].append(item)
        agencies = [
            {"agency": agency, "returns": items, "reminded": agency.pk in addresses}
            for agency, items in sorted(by_agency.items(), key=lambda pair: pair[0].short_name)
        ]
        drafts += [
            _draft(
                period,
                escalation,
                secretariat,
                "escalation",
                today,
                len(outstanding),
                agencies=agencies,
                outstanding_count=len(outstanding),
            )
            for secretariat in _secretariat_recipients().values()
        ]
    return drafts


def due_reminders(*, today: datetime.date | None = None, periods=None) -> list[ReminderDraft]:
    """Every email the current step of each open period calls for (claimed or not)."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.open() if periods is None else periods
    return [draft for period in periods for draft in _drafts_for_period(period, today)]


def queue_due_reminders(
    *, today: datetime.date | None = None, periods=None
) -> list[tuple[ReminderDraft, ReminderLog | None]]:
    """Claim and queue every due email not already claimed: the job beat runs every hour.

    Returns each due email with its new log row, or None where it had been claimed before.
    """
    requeue_stale_reminders()
    results = []
    for draft in due_reminders(today=today, periods=periods):
        log = draft.claim()
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
    from .tasks import send_reminder  # tasks.py is built on this module

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


def ensure_reminder_schedule():
    """The hourly beat entry for the reminder job, created once; later admin edits are kept."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.filter(name=TICK_NAME).exists():
        return
    hourly = IntervalSchedule.objects.filter(every=1, period=IntervalSchedule.HOURS).first()
    hourly = hourly or IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.get_or_create(
        name=TICK_NAME,
        defaults={
            "task": TICK_TASK,
            "interval": hourly,
            "description": (
                "Works out from the open reporting periods' dates which reminders are due and "
                "sends those not yet sent. Running it more or less often never repeats or skips "
                "a reminder."
            ),
        },
    )
