"""Reminders for overdue risk reviews and overdue follow-up actions, through the reminder log's
exactly-once claim: a row per address for the review or due date that passed, inserted before
the email is sent (``ReminderLog``'s constraints), and sent by the reminders room's task."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from reporting.models import FollowUp, ReminderLog, Risk
from reporting.reminders.compose import Recipient
from reporting.reminders.tasks import queue_sends

Kind = ReminderLog.Kind
logger = logging.getLogger(__name__)


@dataclass
class GovernanceReminder:
    kind: str
    recipient: Recipient
    due_on: datetime.date
    subject: str
    text_body: str
    html_body: str
    risk: Risk | None = None
    follow_up: FollowUp | None = None


def _leads_and_inbox(agency) -> dict[str, Recipient]:
    recipients: dict[str, Recipient] = {}
    if agency is None:
        return recipients
    for membership in (
        Membership.objects.leads()
        .filter(agency=agency, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__pk")
    ):
        user = membership.user
        recipients.setdefault(
            user.email.lower(),
            Recipient(user.email.lower(), user.first_name or user.username, user),
        )
    if agency.email:
        recipients.setdefault(agency.email.lower(), Recipient(agency.email.lower(), agency.name))
    return recipients


def _render(kind: str, context: dict) -> tuple[str, str]:
    return (
        render_to_string(f"reporting/email/{kind}.txt", context),
        render_to_string(f"reporting/email/{kind}.html", context),
    )


def risk_review_reminders(today: datetime.date) -> list[GovernanceReminder]:
    """One per lead (and inbox) of the owner agency of each risk whose review date has passed."""
    reminders = []
    for risk in Risk.objects.review_overdue(today).select_related("owner_agency", "plan"):
        url = settings.SITE_URL + reverse("reporting:risk_detail", args=[risk.pk])
        for recipient in _leads_and_inbox(risk.owner_agency).values():
            context = {"recipient": recipient, "risk": risk, "url": url}
            text, html = _render(Kind.RISK_REVIEW, context)
            reminders.append(
                GovernanceReminder(
                    kind=Kind.RISK_REVIEW,
                    recipient=recipient,
                    due_on=risk.review_on,
                    subject=f"TSOC Tracker: the review of risk {risk.reference} is overdue",
                    text_body=text,
                    html_body=html,
                    risk=risk,
                )
            )
    return reminders


def follow_up_reminders(today: datetime.date) -> list[GovernanceReminder]:
    """One per owner of each follow-up past its due date: the person who owns it, or else the
    owner agency's leads (and inbox)."""
    reminders = []
    overdue = FollowUp.objects.overdue(today).select_related(
        "owner_agency", "owner_user", "meeting"
    )
    for follow_up in overdue:
        recipients: dict[str, Recipient] = {}
        user = follow_up.owner_user
        if user is not None and user.is_active and user.email:
            recipients[user.email.lower()] = Recipient(
                user.email.lower(), user.first_name or user.username, user
            )
        else:
            recipients = _leads_and_inbox(follow_up.owner_agency)
        url = settings.SITE_URL + reverse("reporting:follow_up_detail", args=[follow_up.pk])
        for recipient in recipients.values():
            context = {"recipient": recipient, "follow_up": follow_up, "url": url}
            text, html = _render(Kind.FOLLOW_UP_OVERDUE, context)
            reminders.append(
                GovernanceReminder(
                    kind=Kind.FOLLOW_UP_OVERDUE,
                    recipient=recipient,
                    due_on=follow_up.due_on,
                    subject="TSOC Tracker: a steering group follow-up action is overdue",
                    text_body=text,
                    html_body=html,
                    follow_up=follow_up,
                )
            )
    return reminders


def claim(reminder: GovernanceReminder) -> ReminderLog | None:
    """Record the reminder and queue its send once recorded; None if it was claimed before."""
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                kind=reminder.kind,
                email=reminder.recipient.email,
                recipient=reminder.recipient.user,
                subject=reminder.subject,
                text_body=reminder.text_body,
                html_body=reminder.html_body,
                action_count=0,
                risk=reminder.risk,
                follow_up=reminder.follow_up,
                due_on=reminder.due_on,
            )
            transaction.on_commit(lambda pk=log.pk: queue_sends([pk]))
    except IntegrityError:
        return None
    return log


def queue_governance_reminders(today: datetime.date | None = None) -> list[ReminderLog]:
    """Claim and queue every overdue-review and overdue-follow-up reminder not sent before."""
    today = today or timezone.localdate()
    claimed = []
    for reminder in [*risk_review_reminders(today), *follow_up_reminders(today)]:
        log = claim(reminder)
        if log is not None:
            logger.info("Queued %s", log)
            claimed.append(log)
    return claimed
