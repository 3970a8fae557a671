"""The reminder job in Celery beat's database schedule, and the job itself."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from actions.models import ActionAgency
from reporting.models import ReminderLog
from reporting.reminders.schedule import TICK_NAME, TICK_TASK, ensure_reminder_schedule
from reporting.reminders.tasks import tick_reminders
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.reporting.factories import ReportingPeriodFactory
from tsoc_tracker.celery import app as celery_app


def test_migrate_puts_the_hourly_reminder_job_in_the_database_schedule(db):
    job = PeriodicTask.objects.get(name=TICK_NAME)

    assert job.task == TICK_TASK
    assert job.enabled
    assert (job.interval.every, job.interval.period) == (1, IntervalSchedule.HOURS)
    assert TICK_TASK in celery_app.tasks


def test_beat_reads_the_job_from_the_database(db):
    scheduler = DatabaseScheduler(app=celery_app, lazy=True)

    entry = scheduler.all_as_schedule()[TICK_NAME]

    assert entry.task == TICK_TASK
    assert entry.schedule.run_every == datetime.timedelta(hours=1)


def test_setting_up_the_schedule_again_keeps_the_secretariats_changes(db):
    job = PeriodicTask.objects.get(name=TICK_NAME)
    job.interval = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.MINUTES)
    job.enabled = False
    job.save()

    ensure_reminder_schedule()

    job = PeriodicTask.objects.get(name=TICK_NAME)
    assert (job.interval.every, job.enabled) == (30, False)
    assert PeriodicTask.objects.filter(task=TICK_TASK).count() == 1


def test_setting_up_the_schedule_again_leaves_no_interval_behind(db):
    job = PeriodicTask.objects.get(name=TICK_NAME)
    job.interval = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.MINUTES)
    job.save()
    IntervalSchedule.objects.filter(every=1, period=IntervalSchedule.HOURS).delete()

    ensure_reminder_schedule()

    assert not IntervalSchedule.objects.filter(every=1, period=IntervalSchedule.HOURS).exists()


@pytest.fixture
def period_opened_today(db):
    today = timezone.localdate()
    period = ReportingPeriodFactory(year=today.year, quarter=(today.month - 1) // 3 + 1)
    period.opens_on = today
    period.due_on = today + datetime.timedelta(days=30)
    period.closes_on = today + datetime.timedelta(days=60)
    period.save()
    return period


def test_the_tick_sends_what_is_due_today_and_nothing_the_second_time(
    period_opened_today, agency, lead, django_capture_on_commit_callbacks
):
    plan_dates = {
        "start_date": period_opened_today.starts_on,
        "end_date": period_opened_today.ends_on,
    }
    action = ActionFactory(plan__slug="current", **{f"plan__{k}": v for k, v in plan_dates.items()})
    ActionAgencyFactory(action=action, agency=agency, role=ActionAgency.Role.COORDINATING)

    with django_capture_on_commit_callbacks(execute=True):
        assert tick_reminders.delay().result == 1
        assert tick_reminders.delay().result == 0

    assert [message.to for message in mail.outbox] == [[lead.email]]
    assert ReminderLog.objects.get().kind == ReminderLog.Kind.OPENED
