"""A whole Celery worker killed in the middle of a report build, and a fresh one started: the
report doesn't stay "being built" for good. Until the broker's redelivery timeout (just past
the build's hard time limit) nothing hands the build out again, so the beat sweep, run on the
fresh worker once the build is older than that limit, fails it with the reason; "Try again" is
offered and builds it. The build is held mid-way by a table lock the test takes, so the kill
lands while the report is "building", every time."""

import datetime
import json
import os
import signal
import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reporting.models import Report
from tests.production.processes import BIN, Service, production_env
from tests.reporting.reports_setup import small_plan
from tsoc_tracker.celery import app as celery_app

pytestmark = [pytest.mark.postgres, pytest.mark.worker]


def wait_until(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def state_of(report: Report) -> str:
    return Report.objects.values_list("state", flat=True).get(pk=report.pk)


@pytest.fixture
def workers(transactional_db, test_database_url, tmp_path, monkeypatch):
    """``workers()`` starts a worker on this test's own queue; all are stopped at the end."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    queue = f"killed-build-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)  # "Try again" queues here
    env = production_env(
        test_database_url,
        settings.REDIS_URL,
        tmp_path,
        CELERY_QUEUE=queue,
        MEDIA_ROOT=str(tmp_path),
    )
    started = []

    def start() -> Service:
        args = [str(BIN / "celery"), "-A", "tsoc_tracker", "worker", "--concurrency", "1"]
        args += ["--queues", queue, "--hostname", f"{queue}-{len(started)}@localhost"]
        args += ["--without-mingle", "--without-gossip"]
        service = Service(f"worker-{len(started)}", args, env, tmp_path).start()
        service.wait_for_log(" ready.", timeout=90)
        started.append(service)
        return service

    start.queue = queue
    yield start
    for service in started:
        service.stop()
    with celery_app.connection_for_write() as connection:
        client = connection.default_channel.client
        client.delete(queue, f"_kombu.binding.{queue}")
        for tag, payload in client.hgetall("unacked").items():  # the killed worker's message
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


@pytest.fixture
def lock_statuses(test_database_url):
    """``lock_statuses()`` takes an exclusive lock on the status updates, held until its
    connection rolls back: a build reading them waits."""
    connections = []

    def lock() -> psycopg.Connection:
        connection = psycopg.connect(test_database_url, connect_timeout=5)
        connection.execute("SET lock_timeout = '10s'")
        connection.execute("LOCK TABLE reporting_statusupdate IN ACCESS EXCLUSIVE MODE")
        connections.append(connection)
        return connection

    yield lock
    for connection in connections:
        connection.rollback()
        connection.close()


def test_a_build_whose_worker_was_killed_is_failed_by_the_sweep_and_built_on_retry(
    workers, lock_statuses, agency, other_agency, secretariat_user, client_for, settings
):
    setup = small_plan(agency, other_agency)
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="cabinet")
    first = workers()
    statuses_locked = lock_statuses()

    celery_app.send_task("reporting.tasks.build_report_pdf", args=[report.pk], queue=workers.queue)
    wait_until(lambda: state_of(report) == "building", "the build to start")
    os.killpg(first.process.pid, signal.SIGKILL)  # the whole worker, as a host restart would
    first.process.wait(timeout=10)
    statuses_locked.rollback()
    workers()

    # The fresh worker gets nothing: the killed build waits out the redelivery timeout.
    time.sleep(5)
    assert state_of(report) == "building"
    page = client_for(secretariat_user).get(report.get_absolute_url()).content.decode()
    assert "it has been building for" in page
    assert "Try again" not in page

    # Once the build is older than its hard time limit, the sweep fails it, saying why.
    too_long = datetime.timedelta(seconds=settings.REPORT_HARD_TIME_LIMIT + 1)
    Report.objects.filter(pk=report.pk).update(building_since=timezone.now() - too_long)
    celery_app.send_task("reporting.tasks.fail_stuck_report_builds", queue=workers.queue)
    wait_until(lambda: state_of(report) == "failed", "the sweep to fail the build")
    report.refresh_from_db()
    assert "stopped without finishing" in report.error

    client = client_for(secretariat_user)
    assert "Try again" in client.get(report.get_absolute_url()).content.decode()
    client.post(reverse("reporting:report_retry", kwargs={"pk": report.pk}))
    wait_until(lambda: state_of(report) == "ready", "the retried build", timeout=120)
    assert json.dumps(Report.objects.get(pk=report.pk).snapshot)  # built from its snapshot
