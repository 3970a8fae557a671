"""No report stays "being built" for good: builds are acknowledged late with a redelivery timeout
matched to their time limit, and the beat sweep fails a build older than its hard time limit
with the reason, so the page offers "Try again" (a real worker killed mid-build:
tests/production/test_report_worker_killed.py)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from reporting.models import Report
from reporting.reports.schedule import SWEEP_NAME, SWEEP_TASK
from reporting.reports.sweep import fail_stuck_builds
from reporting.reports.tasks import build_report_pdf, fail_stuck_report_builds
from tests.reporting.reports_setup import small_plan
from tsoc_tracker.celery import app as celery_app

pytestmark = pytest.mark.django_db
HARD_LIMIT = datetime.timedelta(seconds=settings.REPORT_HARD_TIME_LIMIT)


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def report_in(setup, state, *, building_for=None, asked_ago=datetime.timedelta(0)) -> Report:
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="cabinet")
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        state=state,
        requested_at=now - asked_ago,
        building_since=None if building_for is None else now - building_for,
    )
    report.refresh_from_db()
    return report


def test_a_build_older_than_its_hard_time_limit_is_failed_with_the_reason(setup):
    stuck = report_in(setup, "building", building_for=HARD_LIMIT + datetime.timedelta(seconds=1))

    assert fail_stuck_builds() == [stuck]

    stuck.refresh_from_db()
    assert stuck.state == Report.State.FAILED
    assert "stopped without finishing" in stuck.error
    assert "Try again" in stuck.error


def test_a_build_within_its_time_limit_is_left_to_finish(setup):
    running = report_in(setup, "building", building_for=HARD_LIMIT - datetime.timedelta(seconds=5))

    assert fail_stuck_builds() == []
    running.refresh_from_db()
    assert running.state == Report.State.BUILDING


def test_finished_and_failed_reports_are_left_alone(setup):
    long_ago = HARD_LIMIT * 10
    ready = report_in(setup, "ready", building_for=long_ago, asked_ago=long_ago)
    failed = report_in(setup, "failed", building_for=long_ago, asked_ago=long_ago)

    assert fail_stuck_builds() == []
    ready.refresh_from_db(), failed.refresh_from_db()
    assert (ready.state, failed.state, failed.error) == ("ready", "failed", "")


def test_a_report_queued_past_the_brokers_redelivery_and_the_time_limit_is_failed(setup):
    redelivery = datetime.timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )
    lost = report_in(setup, "queued", asked_ago=redelivery + HARD_LIMIT + datetime.timedelta(1))
    waiting = report_in(setup, "queued", asked_ago=redelivery)

    assert fail_stuck_builds() == [lost]
    lost.refresh_from_db(), waiting.refresh_from_db()
    assert "never started" in lost.error
    assert waiting.state == Report.State.QUEUED


def test_the_beat_job_runs_the_sweep_and_counts_what_it_failed(setup):
    report_in(setup, "building", building_for=HARD_LIMIT * 2)

    assert fail_stuck_report_builds() == 1
    assert fail_stuck_report_builds() == 0


def test_migrate_puts_the_sweep_in_beats_schedule_every_five_minutes(db):
    job = PeriodicTask.objects.get(name=SWEEP_NAME)

    assert job.task == SWEEP_TASK == "reporting.tasks.fail_stuck_report_builds"
    assert job.enabled
    assert (job.interval.every, job.interval.period) == (5, IntervalSchedule.MINUTES)
    assert SWEEP_TASK in celery_app.tasks


def test_a_build_is_acknowledged_late_and_redelivered_just_after_its_hard_time_limit():
    assert celery_app.conf.task_acks_late
    assert celery_app.conf.task_reject_on_worker_lost
    assert build_report_pdf.time_limit == settings.REPORT_HARD_TIME_LIMIT
    assert build_report_pdf.soft_time_limit == settings.REPORT_RENDER_TIME_LIMIT
    redelivery = celery_app.conf.broker_transport_options["visibility_timeout"]
    # Never before a live build could have finished, and not long after.
    assert settings.REPORT_HARD_TIME_LIMIT < redelivery <= settings.REPORT_HARD_TIME_LIMIT + 120


def test_the_report_page_says_how_long_it_has_been_building(client_for, secretariat_user, setup):
    report = report_in(setup, "building", building_for=datetime.timedelta(minutes=4))

    response = client_for(secretariat_user).get(report.get_absolute_url())

    page = response.content.decode()
    assert "has been building for 4\xa0minutes" in page
    assert response["Refresh"] == "3"


def test_after_the_sweep_the_page_offers_try_again_and_the_retry_queues_it(
    client_for, secretariat_user, setup, django_capture_on_commit_callbacks
):
    report = report_in(setup, "building", building_for=HARD_LIMIT * 2)
    fail_stuck_builds()
    client = client_for(secretariat_user)

    page = client.get(report.get_absolute_url())
    assert "Try again" in page.content.decode()
    assert "Refresh" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report_retry", kwargs={"pk": report.pk}))

    report.refresh_from_db()
    assert report.state == Report.State.READY
