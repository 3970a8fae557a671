"""Two reminder runs at the same moment, on PostgreSQL: the database, not luck, decides who sends.

Each thread has its own database connection, as two Celery workers would.
"""

import datetime
import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from actions.models import ActionAgency
from reporting.models import ReminderLog
from reporting.reminders.delivery import deliver_reminder
from reporting.reminders.tasks import queue_due_reminders
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.agencies.factories import AgencyFactory, MembershipFactory
from tests.reporting.factories import ReminderLogFactory, ReportingPeriodFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OPENS = datetime.date(2026, 9, 16)
DAY_AFTER_DUE = datetime.date(2026, 10, 15)


def at_once(job, times=2):
    """Run ``job`` in ``times`` threads released together; re-raise the first error."""
    start = threading.Barrier(times)
    errors = []

    def worker():
        try:
            start.wait()
            job()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]


@pytest.fixture
def period(secretariat_user):
    period = ReportingPeriodFactory(year=2026, quarter=3)
    plan = ActionPlanFactory(slug="tsoc")
    for n in range(12):
        agency = AgencyFactory(slug=f"agency-{n}", name=f"Agency {n}", short_name=f"A{n}")
        MembershipFactory(user__username=f"lead{n}", agency=agency)
        action = ActionFactory(plan=plan, number=str(n + 1))
        ActionAgencyFactory(action=action, agency=agency, role=ActionAgency.Role.COORDINATING)
    return period


def test_two_runs_at_once_send_each_person_one_email_per_step(period):
    for today in (OPENS, DAY_AFTER_DUE):
        mail.outbox.clear()

        at_once(lambda today=today: queue_due_reminders(today=today))

        per_address = Counter(message.to[0] for message in mail.outbox)
        assert len(per_address) == 12 + (2 if today == DAY_AFTER_DUE else 0)
        assert set(per_address.values()) == {1}
        rows = Counter(ReminderLog.objects.filter(status="sent").values_list("email", "kind"))
        assert set(rows.values()) == {1}


class SlowBackend(EmailBackend):
    """The test outbox, with a mail server slow enough for a duplicate task to overlap."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


def test_a_send_task_delivered_twice_at_once_sends_once(period, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    log = ReminderLogFactory(period=period, email="lee@example.govt.nz")

    at_once(lambda: deliver_reminder(log.pk))

    assert [message.to for message in mail.outbox] == [["lee@example.govt.nz"]]
    log.refresh_from_db()
    assert (log.status, log.attempts) == (ReminderLog.Status.SENT, 1)
