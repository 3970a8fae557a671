"""Quarterly reminders and escalations, run in-process (Celery eager), on chosen dates.

The period under test is 2026-Q3 with the product's default dates: returns open on 16 September,
are due on 14 October and close on 11 November 2026. The due-date reminder goes 7 days before the
due date, and the overdue notice repeats every 7 days.
"""

import datetime
import smtplib
from collections import Counter
from io import StringIO

import pytest
from celery.exceptions import Retry
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionAgency
from agencies.models import Membership
from agencies.roles import SECRETARIAT
from reporting.models import ReminderLog, ReportingPeriod, StatusUpdate
from reporting.reminders.compose import due_reminders
from reporting.reminders.cycle import Step, lead_step
from reporting.reminders.delivery import MAX_SEND_ATTEMPTS, ReminderNotSent, deliver_reminder
from reporting.reminders.tasks import (
    STALE_AFTER,
    claim,
    queue_due_reminders,
    requeue_stale_reminders,
    send_reminder,
)
from reporting.returns.obligations import as_returns, outstanding_coordinations
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.agencies.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.reporting.factories import (
    ReminderLogFactory,
    ReportingPeriodFactory,
    StatusUpdateFactory,
)
from tests.reporting.scenes import led_in_bulk

Kind = ReminderLog.Kind
OPENS = datetime.date(2026, 9, 16)
DUE_SOON = datetime.date(2026, 10, 7)
DUE = datetime.date(2026, 10, 14)
DAY_AFTER_DUE = datetime.date(2026, 10, 15)
CLOSES = datetime.date(2026, 11, 11)
SECRETARIAT_INBOX = "tsoc-secretariat@localhost"


def day(month, day_of_month):
    return datetime.date(2026, month, day_of_month)


@pytest.fixture(autouse=True)
def reminder_settings(settings):
    settings.REMINDER_DAYS_BEFORE_DUE = 7
    settings.OVERDUE_REPEAT_EVERY_DAYS = 7
    settings.SITE_URL = "https://tsoc.example.govt.nz"
    settings.SECRETARIAT_EMAIL = SECRETARIAT_INBOX
    return settings


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2026, quarter=3)


@pytest.fixture
def plan(db):
    return ActionPlanFactory(slug="tsoc-2026", code="TSOC")


def lead_on(action, agency, **kwargs):
    ActionAgencyFactory(action=action, agency=agency, role=ActionAgency.Role.COORDINATING, **kwargs)
    return action


@pytest.fixture
def actions(plan, agency, other_agency, lead, other_lead, contributor):
    """Customs leads 1 and 2 and supports 3; Police leads 3."""
    first = lead_on(ActionFactory(plan=plan, number="1", title="Cash wages"), agency)
    second = lead_on(ActionFactory(plan=plan, number="2", title="Border intelligence"), agency)
    third = lead_on(ActionFactory(plan=plan, number="3", title="Gang harm"), other_agency)
    ActionAgencyFactory(action=third, agency=agency, role=ActionAgency.Role.SUPPORTING)
    return {"1": first, "2": second, "3": third}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """``run(date)``: one reminder run as beat's tick does it, with the sends run in-process."""

    def run_on(today, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return queue_due_reminders(today=today, **kwargs)

    return run_on


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def html_of(message):
    return next(body for body, mimetype in message.alternatives if mimetype == "text/html")


def emails_per_address():
    return Counter(address for message in mail.outbox for address in message.to)


# The schedule, from the period's dates ------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (OPENS, Step(Kind.OPENED)),
        (day(10, 6), Step(Kind.OPENED)),
        (DUE_SOON, Step(Kind.DUE_SOON)),
        (DUE, Step(Kind.DUE_SOON)),
        (DAY_AFTER_DUE, Step(Kind.OVERDUE, 1)),
        (day(10, 21), Step(Kind.OVERDUE, 1)),
        (day(10, 22), Step(Kind.OVERDUE, 2)),
        (CLOSES, Step(Kind.OVERDUE, 4)),
        (day(11, 12), None),
    ],
)
def test_the_current_step_follows_the_periods_dates(period, today, expected):
    assert lead_step(period, today) == expected


def test_a_period_that_is_not_open_has_no_reminders(period):
    period.state = period.State.UPCOMING
    assert lead_step(period, OPENS) is None
    period.state = period.State.CLOSED
    assert lead_step(period, DAY_AFTER_DUE) is None


def test_a_period_opened_early_sends_its_opening_notice_straight_away(period):
    assert lead_step(period, day(9, 1)) == Step(Kind.OPENED)


def test_days_before_due_and_repeat_interval_come_from_settings(period, settings):
    settings.REMINDER_DAYS_BEFORE_DUE = 3
    settings.OVERDUE_REPEAT_EVERY_DAYS = 0
    assert lead_step(period, DUE_SOON) == Step(Kind.OPENED)
    assert lead_step(period, day(10, 11)) == Step(Kind.DUE_SOON)
    assert lead_step(period, CLOSES) == Step(Kind.OVERDUE, 1)


# Who is reminded about what -----------------------------------------------------------------


def test_opening_notice_goes_to_each_lead_listing_the_actions_their_agency_leads(
    period, actions, lead, other_lead, contributor, secretariat_user, viewer, run
):
    run(OPENS)

    assert emails_per_address() == {lead.email: 1, other_lead.email: 1}
    (message,) = sent_to(lead.email)
    assert (
        message.subject
        == "[IN CONFIDENCE] TSOC Tracker: Q1 2026/27 returns are open: due 14 October 2026"
    )
    assert "TSOC 1: Cash wages" in message.body
    assert "TSOC 2: Border intelligence" in message.body
    # Customs supports action 3: it is asked for its input, marked as such.
    assert "TSOC 3: Gang harm\n  Customs · Supporting input: Not started yet" in message.body
    assert "14 October 2026" in message.body
    form_url = "https://tsoc.example.govt.nz" + reverse(
        "reporting:update_form",
        kwargs={"period": "2026-Q3", "plan": "tsoc-2026", "number": "1", "agency": "customs"},
    )
    assert form_url in message.body
    assert f'href="{form_url}"' in html_of(message)
    assert "Gang harm" in sent_to(other_lead.email)[0].body


def test_a_run_on_the_same_step_again_sends_nothing(period, actions, run):
    run(OPENS)
    first = len(mail.outbox)

    results = run(OPENS)
    run(day(9, 20))

    assert len(mail.outbox) == first
    assert all(log is None for _, log in results)
    assert ReminderLog.objects.count() == first


def test_each_step_reaches_each_lead_once_and_the_secretariat_is_told_when_overdue(
    period, actions, lead, other_lead, secretariat_user, run
):
    # Hourly ticks: several runs a day, some days missed altogether.
    for today in [OPENS, OPENS, day(9, 17), DUE_SOON, DUE_SOON, DUE, DAY_AFTER_DUE, day(10, 16)]:
        run(today)
        run(today)

    kinds = Counter((m.to[0], m.subject.split(":")[1].strip()) for m in mail.outbox)
    assert kinds == {
        (lead.email, "Q1 2026/27 returns are open"): 1,
        (lead.email, "Reminder"): 1,
        (lead.email, "Overdue"): 1,
        (other_lead.email, "Q1 2026/27 returns are open"): 1,
        (other_lead.email, "Reminder"): 1,
        (other_lead.email, "Overdue"): 1,
        (secretariat_user.email, "3 returns outstanding for Q1 2026/27 (due 14 October 2026)"): 1,
        (SECRETARIAT_INBOX, "3 returns outstanding for Q1 2026/27 (due 14 October 2026)"): 1,
    }


def test_the_overdue_notice_and_escalation_repeat_while_returns_are_outstanding(
    period, actions, lead, secretariat_user, run
):
    for today in [DAY_AFTER_DUE, day(10, 21), day(10, 22), day(10, 28), day(10, 29)]:
        run(today)

    assert len(sent_to(lead.email)) == 3
    assert len(sent_to(secretariat_user.email)) == 3
    occurrences = sorted(
        ReminderLog.objects.filter(email=lead.email).values_list("occurrence", flat=True)
    )
    assert occurrences == [1, 2, 3]
    assert "repeat 2" in sent_to(secretariat_user.email)[-1].body


def test_missed_ticks_catch_up_with_the_current_step_only(period, actions, lead, run):
    run(day(10, 30))  # nothing ran since before the period opened

    (message,) = sent_to(lead.email)
    assert message.subject.startswith("[IN CONFIDENCE] TSOC Tracker: Overdue")
    assert "16 days overdue" in message.body
    assert ReminderLog.objects.get(email=lead.email).occurrence == 3


def test_nobody_is_reminded_about_an_update_already_submitted(
    period, actions, agency, lead, secretariat_user, run
):
    StatusUpdateFactory(
        action=actions["1"], period=period, agency=agency, state=StatusUpdate.State.SUBMITTED
    )
    StatusUpdateFactory(
        action=actions["2"], period=period, agency=agency, state=StatusUpdate.State.RETURNED
    )

    run(DAY_AFTER_DUE)

    (message,) = sent_to(lead.email)
    assert "Cash wages" not in message.body
    assert "TSOC 2: Border intelligence" in message.body
    assert "Return: Returned for changes" in message.body
    assert "Gang harm" not in message.body  # overdue notices are about lead returns alone
    assert "Cash wages" not in sent_to(secretariat_user.email)[0].body


def test_a_lead_whose_returns_are_all_in_gets_nothing(period, actions, agency, lead, run):
    for number, state in (("1", "accepted"), ("2", "submitted"), ("3", "submitted")):
        StatusUpdateFactory(action=actions[number], period=period, agency=agency, state=state)

    run(DUE_SOON)

    assert sent_to(lead.email) == []


def test_drafts_and_returns_not_started_are_labelled_in_the_email(
    period, actions, agency, lead, run
):
    StatusUpdateFactory(action=actions["1"], period=period, agency=agency, state="draft")

    run(OPENS)

    body = sent_to(lead.email)[0].body
    assert "Return: Draft" in body
    assert "Return: Not started yet" in body


def test_a_lead_of_two_agencies_gets_one_email_listing_both(
    period, actions, lead, other_agency, run
):
    MembershipFactory(user=lead, agency=other_agency, role=Membership.Role.LEAD)

    run(OPENS)

    (message,) = sent_to(lead.email)
    assert all(
        title in message.body for title in ("Cash wages", "Border intelligence", "Gang harm")
    )


def test_each_strand_an_agency_coordinates_is_its_own_return(period, plan, agency, lead, run):
    action = ActionFactory(plan=plan, number="5", title="Two strands")
    for place, name in enumerate(("Cash wages", "Supply chains"), start=1):
        strand = ActionFactory(
            plan=plan, parent=action, kind="strand", number=f"5 strand {place}", title=name
        )
        lead_on(strand, agency)

    run(OPENS)

    body = sent_to(lead.email)[0].body
    assert "5 strand 1: Cash wages" in body and "5 strand 2: Supply chains" in body
    assert "5: Two strands" not in body  # the action itself is reported through its strands


def test_an_agencys_shared_inbox_gets_its_agencys_list(period, actions, agency, run):
    agency.email = "Returns@Customs.example.govt.nz"
    agency.save()

    run(OPENS)

    (message,) = sent_to("returns@customs.example.govt.nz")
    assert "Cash wages" in message.body
    assert "Gang harm\n  Customs · Supporting input" in message.body  # Customs' input, not Police's


def test_inactive_leads_and_leads_without_an_address_are_skipped(
    period, actions, lead, other_lead, run
):
    lead.is_active = False
    lead.save()
    other_lead.email = ""
    other_lead.save()

    run(OPENS)

    assert mail.outbox == []


def test_actions_of_plans_outside_the_period_are_not_asked_for(period, agency, lead, run):
    old_plan = ActionPlanFactory(
        slug="tnoc-2020", start_date=datetime.date(2020, 7, 1), end_date=datetime.date(2021, 6, 30)
    )
    lead_on(ActionFactory(plan=old_plan, title="Finished long ago"), agency)

    run(OPENS)

    assert mail.outbox == []


def test_escalation_lists_agencies_and_actions_outstanding(
    period, plan, actions, secretariat_user, run
):
    unstaffed = AgencyFactory(name="Ministry of Health", short_name="Health", slug="health")
    lead_on(ActionFactory(plan=plan, number="4", title="Drug harm"), unstaffed)

    run(DAY_AFTER_DUE)

    (message,) = sent_to(secretariat_user.email)
    assert message.subject == (
        "[IN CONFIDENCE] TSOC Tracker: 4 returns outstanding for Q1 2026/27 (due 14 October 2026)"
    )
    body = message.body
    assert body.index("NEW ZEALAND CUSTOMS SERVICE: 2 OUTSTANDING") < body.index("Cash wages")
    assert "NEW ZEALAND POLICE: 1 OUTSTANDING" in body
    assert "MINISTRY OF HEALTH: 1 OUTSTANDING\nNot reminded: this agency has no lead" in body
    assert "Ministry of Health: 1 outstanding" in html_of(message)
    assert len(sent_to(SECRETARIAT_INBOX)) == 1


def lead_many(plan, agency, how_many):
    """Actions 1 to ``how_many`` ("Action 1", …), each led by ``agency``."""
    for number in range(1, how_many + 1):
        lead_on(ActionFactory(plan=plan, number=str(number), title=f"Action {number}"), agency)


def test_a_lead_owing_many_returns_is_sent_the_first_ten_and_how_many_more(
    period, plan, agency, lead, run
):
    lead_many(plan, agency, 13)

    run(DUE_SOON)

    (message,) = sent_to(lead.email)
    assert "These 13 actions still need an update." in message.body
    assert message.body.count("Update it: ") == 10
    assert "Action 10\n" in message.body and "Action 11\n" not in message.body
    assert "And 3 more actions need an update. See them all: https://tsoc.example.govt.nz/" in (
        message.body
    )
    html = html_of(message)
    assert html.count("<li ") == 10 and "And 3 more actions need an update." in html


def test_a_lead_of_two_agencies_is_sent_the_first_ten_of_both_in_plan_order(
    period, plan, agency, other_agency, lead, run
):
    MembershipFactory(user=lead, agency=other_agency, role=Membership.Role.LEAD)
    for number in range(1, 13):  # the two agencies lead every other action
        action = ActionFactory(plan=plan, number=str(number), title=f"Action {number}")
        lead_on(action, agency if number % 2 else other_agency)

    run(DUE_SOON)

    (message,) = sent_to(lead.email)
    assert "These 12 actions still need an update." in message.body
    places = [message.body.find(f"Action {number}\n") for number in range(1, 11)]
    assert -1 not in places and places == sorted(places)
    assert "Action 11\n" not in message.body and "Action 12\n" not in message.body
    assert "And 2 more actions need an update." in message.body


def test_counts_in_the_thousands_are_grouped_in_the_leads_email(period, plan, agency, lead, run):
    led_in_bulk(plan, agency, 1234)

    run(DUE_SOON)

    (message,) = sent_to(lead.email)
    assert "These 1,234 actions still need an update." in message.body
    assert "And 1,224 more actions need an update." in message.body
    html = html_of(message)
    assert "These 1,234 actions" in html and "And 1,224 more actions" in html


def test_counts_in_the_thousands_are_grouped_in_the_escalation(
    period, plan, agency, secretariat_user, run
):
    led_in_bulk(plan, agency, 1234)

    run(DAY_AFTER_DUE)

    (message,) = sent_to(secretariat_user.email)
    assert "TSOC Tracker: 1,234 returns outstanding for Q1 2026/27" in message.subject
    assert "These 1,234 lead returns are still not submitted." in message.body
    assert "NEW ZEALAND CUSTOMS SERVICE: 1,234 OUTSTANDING" in message.body
    assert "And 1,229 more." in message.body
    html = html_of(message)
    assert "1,234 returns outstanding for Q1 2026/27" in html
    assert "Customs Service: 1,234 outstanding" in html and "And 1,229 more." in html


def test_the_escalation_lists_five_of_each_agency_and_links_to_all_of_them(
    period, plan, agency, secretariat_user, run
):
    lead_many(plan, agency, 7)

    run(DAY_AFTER_DUE)

    (message,) = sent_to(secretariat_user.email)
    body = message.body
    assert "7 returns outstanding" in message.subject
    assert "NEW ZEALAND CUSTOMS SERVICE: 7 OUTSTANDING" in body
    assert body.count("Return: Not started yet") == 5
    link = "https://tsoc.example.govt.nz/periods/2026-Q3/?agency=customs"
    assert f"And 2 more. All Customs returns: {link}" in body
    assert f'<a href="{link}"' in html_of(message)


def test_no_escalation_when_every_return_is_in(period, actions, agency, other_agency, run):
    for number, agency_ in (("1", agency), ("2", agency), ("3", other_agency)):
        StatusUpdateFactory(
            action=actions[number], period=period, agency=agency_, state="submitted"
        )

    run(DAY_AFTER_DUE)

    assert mail.outbox == []


def test_user_text_is_escaped_in_the_html_email(period, plan, agency, lead, run):
    lead_on(ActionFactory(plan=plan, title='<img src="https://evil.example/x">'), agency)

    run(OPENS)

    html = html_of(sent_to(lead.email)[0])
    assert "<img" not in html
    assert "&lt;img" in html


def test_each_lead_of_an_agency_is_greeted_by_their_own_name(period, actions, agency, lead, run):
    second = _member_of(agency, "tui.tamati", first_name="Tūī & Rangi <Tamati>")
    agency.email = "returns@customs.example.govt.nz"
    agency.save()

    run(OPENS)

    (first_email,) = sent_to(lead.email)
    (second_email,) = sent_to(second.email)
    (inbox_email,) = sent_to(agency.email)
    assert first_email.body.count(f"Kia ora {lead.first_name},") == 1
    assert second_email.body.count("Kia ora Tūī & Rangi <Tamati>,") == 1
    assert inbox_email.body.count("Kia ora New Zealand Customs Service,") == 1
    assert "Tūī &amp; Rangi &lt;Tamati&gt;," in html_of(second_email)
    assert "<Tamati>" not in html_of(second_email)
    # Apart from whom it greets, each is the same letter.
    assert second_email.body.replace("Tūī & Rangi <Tamati>", lead.first_name) == first_email.body
    assert "Cash wages" in inbox_email.body and "\x00" not in inbox_email.body


def test_each_secretariat_member_is_greeted_by_name_in_the_escalation(
    period, actions, secretariat_user, run
):
    second = _in_secretariat("rua.secretariat", first_name="Rua")

    run(DAY_AFTER_DUE)

    assert f"Kia ora {secretariat_user.first_name}," in sent_to(secretariat_user.email)[0].body
    assert "Kia ora Rua," in sent_to(second.email)[0].body
    assert '<span lang="mi">Kia ora</span> Rua,' in html_of(sent_to(second.email)[0])
    assert "Kia ora Secretariat," in sent_to(SECRETARIAT_INBOX)[0].body


def _member_of(agency, username, **names):
    user = UserFactory(username=username, **names)
    MembershipFactory(user=user, agency=agency, role=Membership.Role.LEAD)
    return user


def _in_secretariat(username, **names):
    user = UserFactory(username=username, **names)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


# Exactly once -------------------------------------------------------------------------------


def test_the_database_refuses_a_second_row_for_the_same_reminder(period):
    ReminderLogFactory(period=period, email="lee@example.govt.nz")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLogFactory(period=period, email="lee@example.govt.nz")


def test_a_claim_lost_to_another_run_sends_nothing(
    period, actions, lead, django_capture_on_commit_callbacks
):
    drafts = due_reminders(today=OPENS)
    mine = next(draft for draft in drafts if draft.recipient.email == lead.email)
    ReminderLogFactory(period=period, kind=Kind.OPENED, email=lead.email)  # the other run won

    with django_capture_on_commit_callbacks(execute=True):
        assert claim(mine) is None

    assert sent_to(lead.email) == []


def test_a_redelivered_send_task_does_not_send_again(period, actions, lead, run):
    run(OPENS)
    log = ReminderLog.objects.get(email=lead.email)

    deliver_reminder(log.pk)
    deliver_reminder(log.pk)

    assert len(sent_to(lead.email)) == 1
    log.refresh_from_db()
    assert (log.status, log.attempts) == (ReminderLog.Status.SENT, 1)


def test_a_reminder_whose_send_task_was_lost_is_queued_again(period, lead, run):
    log = ReminderLogFactory(period=period, email=lead.email, subject="Queued before an outage")
    an_hour_and_more_ago = timezone.now() - datetime.timedelta(minutes=61)
    ReminderLog.objects.filter(pk=log.pk).update(updated_at=an_hour_and_more_ago)

    run(OPENS)

    (message,) = sent_to(lead.email)
    assert message.subject == "Queued before an outage"
    log.refresh_from_db()
    assert log.status == ReminderLog.Status.SENT


def test_a_recently_queued_reminder_is_left_to_its_task(period, lead, run):
    ReminderLogFactory(period=period, email=lead.email)

    run(day(9, 1))  # the period is open but nothing else is due for this lead

    assert sent_to(lead.email) == []


# Failures -----------------------------------------------------------------------------------


class RefusingBackend(EmailBackend):
    """The local test outbox, except that the mail server refuses some addresses."""

    refused: Counter = Counter()  # address → how many more times to refuse it

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if self.refused[address] > 0:
                    self.refused[address] -= 1
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"No such mailbox")})
        return super().send_messages(messages)


@pytest.fixture
def refusing_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refused.clear()
    yield RefusingBackend.refused
    RefusingBackend.refused.clear()


def hours_later(hours):
    return timezone.now() + datetime.timedelta(hours=hours, minutes=1)


def test_a_failed_send_is_recorded_and_tried_again_by_a_later_run(
    period, actions, lead, refusing_mail, run
):
    refusing_mail[lead.email] = 2

    run(OPENS)
    log = ReminderLog.objects.get(email=lead.email)
    assert (log.status, log.attempts) == (ReminderLog.Status.PENDING, 1)
    assert "No such mailbox" in log.last_error
    assert sent_to(lead.email) == []

    requeue_stale_reminders(now=hours_later(1))
    requeue_stale_reminders(now=hours_later(2))

    assert len(sent_to(lead.email)) == 1
    log.refresh_from_db()
    assert (log.status, log.attempts, log.last_error) == (ReminderLog.Status.SENT, 3, "")


def test_the_worker_retries_a_failed_send_with_backoff(period, actions, lead, refusing_mail):
    refusing_mail[lead.email] = 1
    log = ReminderLogFactory(period=period, email=lead.email)

    with pytest.raises(Retry):  # in a worker, Celery queues the retry with a growing countdown
        send_reminder.apply(args=[log.pk])

    assert send_reminder.autoretry_for == (ReminderNotSent,)
    assert send_reminder.retry_backoff
    assert send_reminder.apply(args=[log.pk]).result == ReminderLog.Status.SENT


def test_a_send_that_keeps_failing_is_marked_failed_and_does_not_stop_the_others(
    period, actions, lead, other_lead, refusing_mail, run
):
    refusing_mail[lead.email] = 100

    run(OPENS)
    for hours in range(1, MAX_SEND_ATTEMPTS + 2):
        requeue_stale_reminders(now=hours_later(hours))

    failed = ReminderLog.objects.get(email=lead.email)
    assert failed.status == ReminderLog.Status.FAILED
    assert failed.attempts == MAX_SEND_ATTEMPTS
    assert "SMTPRecipientsRefused" in failed.last_error
    assert len(sent_to(other_lead.email)) == 1
    assert ReminderLog.objects.get(email=other_lead.email).status == ReminderLog.Status.SENT


def test_a_failed_reminder_is_not_sent_again_by_later_runs(
    period, actions, lead, refusing_mail, run
):
    log = ReminderLogFactory(period=period, email=lead.email, status=ReminderLog.Status.FAILED)
    ReminderLog.objects.filter(pk=log.pk).update(updated_at=timezone.now() - STALE_AFTER * 2)

    run(day(9, 20))

    assert sent_to(lead.email) == []


# The period page's log ----------------------------------------------------------------------


def test_the_period_log_lists_what_was_sent_to_whom_newest_first(period, actions, run):
    other_period = ReportingPeriodFactory(year=2026, quarter=2)
    ReminderLogFactory(period=other_period)
    run(OPENS)
    run(DUE_SOON)

    rows = list(ReminderLog.objects.for_period(period))

    assert len(rows) == 4
    assert [row.kind for row in rows[:2]] == [Kind.DUE_SOON, Kind.DUE_SOON]
    assert {row.period for row in rows} == {period}


# Against the shipped TSOC plan --------------------------------------------------------------


@pytest.fixture
def loaded_plan_period(db):
    """The seed plans and demo accounts as ``make run`` loads them; their open period."""
    call_command("load_plans", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    return ReportingPeriod.objects.current()


def test_against_the_loaded_tsoc_plan_each_lead_gets_one_email_per_step(loaded_plan_period, run):
    period = loaded_plan_period
    outstanding = as_returns(period, outstanding_coordinations(period, responsible_only=True))
    numbers_by_agency = {}
    for ret in outstanding:
        numbers_by_agency.setdefault(ret.agency, set()).add(ret.action.number)
    leads = {
        membership.user.email: numbers_by_agency[membership.agency]
        for membership in Membership.objects.leads().filter(agency__in=numbers_by_agency)
    }
    assert len(leads) >= 3  # the demo leaves several leads with returns to do

    steps = [
        (period.opens_on, "returns are open"),
        (period.due_on - datetime.timedelta(days=7), "Reminder"),
        (period.due_on + datetime.timedelta(days=1), "Overdue"),
    ]
    for today, subject in steps:
        mail.outbox.clear()
        run(today)
        run(today)  # the schedule fires again: nothing more goes

        to_leads = [m for m in mail.outbox if m.to[0] in leads]
        assert Counter(m.to[0] for m in to_leads) == dict.fromkeys(leads, 1)
        for message in to_leads:
            assert subject in message.subject
            listed = {n for n in leads[message.to[0]] if f"TSOC {n}:" in message.body}
            assert listed == leads[message.to[0]]

    escalations = [m for m in mail.outbox if m.to[0] not in leads]
    assert sorted(m.to[0] for m in escalations) == [
        "secretariat@example.govt.nz",
        SECRETARIAT_INBOX,
    ]
    assert f"{len(outstanding)} returns outstanding" in escalations[0].subject
