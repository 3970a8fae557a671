"""The secretariat's period page shows which reminders went to whom and when, and what failed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReminderLog
from tests.reporting.factories import ReminderLogFactory, ReportingPeriodFactory


@pytest.fixture
def period(db):
    period = ReportingPeriodFactory(year=2026, quarter=3)
    ReminderLogFactory(
        period=period,
        email="lee.lead@example.govt.nz",
        status=ReminderLog.Status.SENT,
        sent_at=timezone.now(),
        attempts=1,
        action_count=2,
    )
    ReminderLogFactory(
        period=period,
        kind=ReminderLog.Kind.OVERDUE,
        occurrence=2,
        email="bounce@example.govt.nz",
        status=ReminderLog.Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: {'bounce@example.govt.nz': (550, b'No such mailbox')}",
    )
    ReminderLogFactory(
        period=period,
        kind=ReminderLog.Kind.ESCALATION,
        email="tsoc-secretariat@localhost",
        attempts=1,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    ReminderLogFactory(period=ReportingPeriodFactory(year=2026, quarter=2), email="old@x.nz")
    return period


def period_page(client, period):
    return client.get(reverse("reporting:period_detail", kwargs={"code": period.code}))


def test_the_secretariat_sees_each_reminder_its_recipient_and_outcome(
    client_for, secretariat_user, period
):
    response = period_page(client_for(secretariat_user), period)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Reminders sent" in page
    assert "3 reminders for Q1 2026/27, newest first" in page
    assert "lee.lead@example.govt.nz" in page
    assert "Sent</span>" in page
    assert "Overdue notice (repeat 1)" in page
    assert "Failed</span> after 5 attempts" in page
    assert "No such mailbox" in page
    assert "Not sent yet</span> 1 failed attempt; trying again" in page
    assert "old@x.nz" not in page


def test_the_steering_group_does_not_see_who_was_emailed(client_for, viewer, period):
    page = period_page(client_for(viewer), period).content.decode()

    assert "Reminders sent" not in page
    assert "lee.lead@example.govt.nz" not in page


def test_a_period_with_no_reminders_says_so(client_for, secretariat_user, db):
    period = ReportingPeriodFactory(year=2027, quarter=1, state="upcoming")

    page = period_page(client_for(secretariat_user), period).content.decode()

    assert "No reminders have been sent for Q3 2026/27" in page
    assert "reminders go out only while a period is open" in page


def test_a_long_log_shows_the_newest_fifty_and_says_how_many_there_are(
    client_for, secretariat_user, period
):
    for n in range(60):
        ReminderLogFactory(period=period, email=f"lead{n:02d}@example.govt.nz")

    page = period_page(client_for(secretariat_user), period).content.decode()

    assert "The newest 50 of 63 reminders for Q1 2026/27" in page
    assert page.count('<tr id="reminder-') == 50
    assert "lead59@example.govt.nz" in page  # the newest
    assert "lee.lead@example.govt.nz" not in page  # among the oldest
