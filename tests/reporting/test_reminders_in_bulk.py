"""A reminder run in bulk: its queries do not grow with the number of emails, its claims are one
statement, its sends share one mail connection, and each reminder still goes exactly once."""

import datetime
import re
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import ActionAgency
from reporting.models import ReminderLog
from reporting.reminders.tasks import queue_due_reminders
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.agencies.factories import AgencyFactory, MembershipFactory
from tests.reporting.factories import ReportingPeriodFactory

OPENS = datetime.date(2026, 9, 16)
DAY_AFTER_DUE = datetime.date(2026, 10, 15)
A_WEEK_LATER = datetime.date(2026, 10, 22)  # the overdue notice's first repeat


class CountingBackend(EmailBackend):
    """The test outbox, counting the mail connections a run opens."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return super().open()


@pytest.fixture
def counting_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = 0
    return CountingBackend


@pytest.fixture
def programme(db, settings):
    """``programme.grow(n)``: n more agencies, each with a lead and an action it leads."""
    settings.SECRETARIAT_EMAIL = ""
    ReportingPeriodFactory(year=2026, quarter=3)
    plan = ActionPlanFactory(slug="tsoc", code="TSOC")

    class Programme:
        agencies = 0

        def grow(self, n):
            for i in range(self.agencies, self.agencies + n):
                agency = AgencyFactory(slug=f"agency-{i}", name=f"Agency {i}", short_name=f"A{i}")
                MembershipFactory(user__username=f"lead{i}", agency=agency)
                action = ActionFactory(plan=plan, number=str(i + 1))
                ActionAgencyFactory(action=action, agency=agency, role=ActionAgency.Role.LEAD)
            self.agencies += n

    return Programme()


def run(today, django_capture_on_commit_callbacks):
    """One run as beat's tick does it, sends in-process; its queries and the emails it sent."""
    mail.outbox.clear()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        queue_due_reminders(today=today)
    return len(queries), Counter(address for message in mail.outbox for address in message.to)


def test_ten_times_the_emails_cost_no_more_queries(
    programme, counting_mail, django_capture_on_commit_callbacks
):
    programme.grow(3)
    few_queries, few_emails = run(DAY_AFTER_DUE, django_capture_on_commit_callbacks)
    programme.grow(27)
    many_queries, many_emails = run(A_WEEK_LATER, django_capture_on_commit_callbacks)

    assert (len(few_emails), len(many_emails)) == (3, 30)
    assert many_queries == few_queries
    assert set(many_emails.values()) == {1}
    assert counting_mail.opened == 2  # one mail connection per run


def test_a_run_claims_every_email_in_one_statement(
    programme, counting_mail, django_capture_on_commit_callbacks
):
    programme.grow(12)
    mail.outbox.clear()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        queue_due_reminders(today=OPENS)

    inserts = [
        q["sql"] for q in queries if re.match(r'INSERT .*INTO "reporting_reminderlog"', q["sql"])
    ]
    assert len(inserts) == 1
    assert ReminderLog.objects.filter(status=ReminderLog.Status.SENT).count() == 12


def test_a_second_run_on_the_same_step_sends_nothing_and_a_later_step_each_lead_once(
    programme, counting_mail, django_capture_on_commit_callbacks
):
    programme.grow(12)
    _, first = run(OPENS, django_capture_on_commit_callbacks)
    _, again = run(OPENS, django_capture_on_commit_callbacks)
    _, overdue = run(DAY_AFTER_DUE, django_capture_on_commit_callbacks)

    assert len(first) == 12 and set(first.values()) == {1}
    assert again == Counter()
    assert len(overdue) == 12 and set(overdue.values()) == {1}
    rows = Counter(ReminderLog.objects.values_list("email", "kind"))
    assert set(rows.values()) == {1}
