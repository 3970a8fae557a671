"""Who each reminder goes to and what it says: recipients, subject and body."""

import datetime
import heapq
from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import chain, islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from agencies.models import Agency, Membership
from agencies.roles import SECRETARIAT
from reporting.models import ReminderLog, ReportingPeriod
from reporting.models.reports import DEFAULT_MARKING
from reporting.reminders.cycle import Kind, Step, lead_step
from reporting.returns.obligations import (
    Return,
    as_returns,
    due_coordinations,
    outstanding_coordinations,
)

# An email lists this many of its reader's returns at most, and counts the rest with a link to
# them all: at 10,000 actions a lead could owe a hundred and the secretariat thousands, which
# no one reads in an email (and which made a run's cost grow with the programme).
RETURNS_LISTED = 10
# The secretariat's overdue summary lists this many of each agency's returns.
AGENCY_RETURNS_LISTED = 5


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
    def state_label(self) -> str:
        return self.ret.state_label

    @property
    def role_label(self) -> str:
        """“Return” or “Supporting input”."""
        return self.ret.kind_label


@dataclass
class Recipient:
    email: str
    name: str
    user: object | None = None
    agencies: list[int] = field(default_factory=list)  # whose returns a reminder is about


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
    update: object | None = None  # a notification about one update names it and its version
    update_version: int | None = None
    comment: object | None = None  # a new comment's notification names it (and its update)

    def already_claimed(self) -> bool:
        if self.comment is not None:
            return ReminderLog.objects.filter(
                comment=self.comment, email=self.recipient.email
            ).exists()
        if self.update is not None:
            return ReminderLog.objects.filter(
                update=self.update,
                update_version=self.update_version,
                kind=self.step.kind,
                email=self.recipient.email,
            ).exists()
        return ReminderLog.objects.filter(
            period=self.period,
            kind=self.step.kind,
            occurrence=self.step.occurrence,
            email=self.recipient.email,
            update__isnull=True,
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
        _add(recipients, settings.SECRETARIAT_EMAIL, gettext("Secretariat"))
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
    Kind.OPENED: gettext_lazy("%(period)s returns are open: due %(due)s"),
    Kind.DUE_SOON: gettext_lazy("Reminder: your %(period)s returns are due on %(due)s"),
    Kind.OVERDUE: gettext_lazy("Overdue: your %(period)s returns were due on %(due)s"),
    Kind.ESCALATION: ngettext_lazy(
        "%(n)s return outstanding for %(period)s (due %(due)s)",
        "%(n)s returns outstanding for %(period)s (due %(due)s)",
        "count",
    ),
}


def _subject(step: Step, period: ReportingPeriod, count: int) -> str:
    text = SUBJECTS[step.kind] % {
        "period": period.label,
        "due": date_format(period.due_on, "j F Y"),
        "count": count,
        "n": intcomma(count),  # “3,061”: the count as the email's body prints it
    }
    return f"TSOC Tracker: {text}"


# Every email names agencies' returns and their states: it is marked as returns are.
EMAIL_MARKING = DEFAULT_MARKING


def marked_subject(subject: str, marking: str = EMAIL_MARKING) -> str:
    """“[IN CONFIDENCE] TSOC Tracker: …”: the marking first in the subject line."""
    return f"[{marking}] {subject}"


def render_email(template: str, context: dict, marking: str = EMAIL_MARKING) -> tuple[str, str]:
    """The plain-text and HTML bodies of ``reporting/email/<template>``, each with the protective
    marking at its top and bottom (the HTML's from ``_base.html``)."""
    context = {**context, "marking": marking}
    text = render_to_string(f"reporting/email/{template}.txt", context).strip("\n")
    html = render_to_string(f"reporting/email/{template}.html", context)
    return f"{marking}\n\n{text}\n\n{marking}\n", html


@dataclass(frozen=True)
class EmailPart:
    """A part of emails (a list of returns) rendered once for every email that shows it."""

    text: str
    html: str


def render_part(template: str, context: dict) -> EmailPart:
    """``reporting/email/_<template>`` in plain text and HTML, to put in emails' bodies."""
    return EmailPart(
        render_to_string(f"reporting/email/_{template}.txt", context),
        render_to_string(f"reporting/email/_{template}.html", context),
    )


# Where the reader's name goes in a letter rendered for many readers: no template or escaping
# writes a NUL, and no name holds one (Django's form fields refuse them).
NAME_SLOT = "\x00name\x00"


class Letters:
    """A period step's emails, each distinct letter rendered once: an agency's leads and its
    inbox are sent the same list, every secretariat member the same escalation, and the
    letters differ only in the name they greet. So a letter is rendered with ``NAME_SLOT`` for
    its reader and filled in for each reader (escaped in the HTML, as the template would)."""

    def __init__(self, period: ReportingPeriod, step: Step, today: datetime.date):
        self.period, self.step, self.today = period, step, today
        self.rendered: dict[tuple, ReminderDraft] = {}

    def draft(self, letter: tuple, recipient: Recipient, template, count, **context):
        """The email ``template`` with ``context`` to ``recipient``: ``letter`` names the
        content, the same for every reader sent it."""
        key = (template, *letter)
        if key not in self.rendered:
            self.rendered[key] = self._render(template, count, **context)
        rendered = self.rendered[key]
        return replace(
            rendered,
            recipient=recipient,
            text_body=rendered.text_body.replace(NAME_SLOT, recipient.name),
            html_body=rendered.html_body.replace(NAME_SLOT, escape(recipient.name)),
        )

    def _render(self, template, count, **context) -> ReminderDraft:
        period, step = self.period, self.step
        reader = Recipient(email="", name=NAME_SLOT)
        context = _context(period, step, self.today, recipient=reader, **context)
        text, html = render_email(template, context)
        subject = marked_subject(_subject(step, period, count))
        return ReminderDraft(period, step, reader, subject, text, html, count)


class Outstanding:
    """A period's outstanding returns, counted whole and built only where an email lists them:
    at 10,000 actions a run reminds leads of 3,000 returns and lists a few hundred."""

    def __init__(self, coordinations):
        self.rows = list(coordinations.values_list("pk", "agency_id"))  # in plan order
        # agency id → the places of its returns in ``rows``, first outstanding agency first
        self.by_agency: dict[int, list[int]] = defaultdict(list)
        for place, (_, agency_id) in enumerate(self.rows):
            self.by_agency[agency_id].append(place)
        self.built: dict[int, OutstandingReturn] = {}

    def count(self, agencies: list[int]) -> int:
        return sum(len(self.by_agency[agency]) for agency in agencies)

    def first(self, agencies: list[int], limit: int) -> list[int]:
        """The places of the first ``limit`` of ``agencies``' returns, in plan order."""
        return list(islice(heapq.merge(*(self.by_agency[agency] for agency in agencies)), limit))

    def build(self, period: ReportingPeriod, places) -> None:
        """Build the returns at ``places`` (two queries, however many)."""
        wanted = {self.rows[place][0] for place in places}
        due = due_coordinations(period).filter(pk__in=wanted)
        self.built = {
            ret.coordination.pk: OutstandingReturn(ret, _update_url(ret))
            for ret in as_returns(period, due)
        }

    def returns(self, places: list[int]) -> list[OutstandingReturn]:
        return [self.built[self.rows[place][0]] for place in places]


def _drafts_for_period(period: ReportingPeriod, today: datetime.date) -> list[ReminderDraft]:
    step = lead_step(period, today)
    if step is None:
        return []
    # Returns open and due soon: supporting agencies are asked for their input too; overdue
    # notices and escalations are about the lead returns alone.
    outstanding = Outstanding(
        outstanding_coordinations(
            period, responsible_only=step.kind not in (Kind.OPENED, Kind.DUE_SOON)
        )
    )
    if not outstanding.rows:
        return []

    agencies = Agency.objects.in_bulk(outstanding.by_agency)
    addresses = _lead_addresses(list(agencies.values()))
    leads: dict[str, Recipient] = {}
    for agency in outstanding.by_agency:
        for email, name, user in addresses.get(agency, []):
            _add(leads, email, name, user).agencies.append(agency)
    listed = {key: outstanding.first(lead.agencies, RETURNS_LISTED) for key, lead in leads.items()}
    escalating = step.kind == Kind.OVERDUE
    agency_listed = (
        {agency: places[:AGENCY_RETURNS_LISTED] for agency, places in outstanding.by_agency.items()}
        if escalating
        else {}
    )
    outstanding.build(period, set(chain(*listed.values(), *agency_listed.values())))

    lists: dict[tuple, EmailPart] = {}  # an agency's leads and inbox are sent the same list

    def return_list(places: list[int]) -> EmailPart:
        key = tuple(places)
        if key not in lists:
            lists[key] = render_part("return_list", {"returns": outstanding.returns(places)})
        return lists[key]

    letters = Letters(period, step, today)
    drafts = []
    for key, lead in leads.items():
        count = outstanding.count(lead.agencies)
        drafts.append(
            letters.draft(
                tuple(lead.agencies),
                lead,
                "lead_reminder",
                count,
                return_count=count,
                return_list=return_list(listed[key]),
                unlisted=count - len(listed[key]),
            )
        )

    if escalating:
        escalation = Step(Kind.ESCALATION, step.occurrence)
        period_url = _absolute(reverse("reporting:period_detail", kwargs={"code": period.code}))
        rows = [
            {
                "agency": agencies[agency],
                "count": len(places),
                "returns": outstanding.returns(agency_listed[agency]),
                "unlisted": len(places) - len(agency_listed[agency]),
                "url": f"{period_url}?agency={agencies[agency].slug}",
                "reminded": agency in addresses,
            }
            for agency, places in sorted(
                outstanding.by_agency.items(), key=lambda pair: agencies[pair[0]].short_name
            )
        ]
        agency_list = render_part("escalation_agencies", {"agencies": rows})
        letters = Letters(period, escalation, today)
        drafts += [
            letters.draft(
                (),
                secretariat,
                "escalation",
                len(outstanding.rows),
                agency_list=agency_list,
                outstanding_count=len(outstanding.rows),
            )
            for secretariat in _secretariat_recipients().values()
        ]
    return drafts


@translation.override(settings.LANGUAGE_CODE)  # emails are in English
def due_reminders(*, today: datetime.date | None = None, periods=None) -> list[ReminderDraft]:
    """Every email the current step of each open period calls for (claimed or not)."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.open() if periods is None else periods
    return [draft for period in periods for draft in _drafts_for_period(period, today)]
