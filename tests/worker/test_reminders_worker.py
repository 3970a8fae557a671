"""End to end on the real thing: Celery beat, two Celery workers and Redis, on the test database.

Beat reads the reminder job from the database schedule (made to fire every second here, as a
doubled or hurried tick would), two workers run the ticks and the sends at the same time, and the
emails land as files. Each person gets exactly one email however many times the job runs.
"""

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from email import message_from_bytes
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from actions.models import ActionAgency
from reporting.models import ReminderLog
from reporting.reminders.schedule import TICK_NAME
from reporting.reminders.tasks import tick_reminders
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.reporting.factories import ReportingPeriodFactory
from tsoc_tracker.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

CELERY = str(Path(sys.executable).with_name("celery"))
STARTUP_TIMEOUT = 90  # generous: three Django processes starting on a busy two-core machine
DELIVERY_TIMEOUT = 90


def database_url() -> str:
    """The URL of the database this test runs on (the test database), for the subprocesses."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def ticks_run(log: str) -> int:
    return sum("tick_reminders[" in line and "succeeded" in line for line in log.splitlines())


class CeleryProcesses:
    """Beat and workers as subprocesses with production settings, on a queue of their own."""

    def __init__(self, tmp_path: Path):
        self.queue = f"reminders-test-{uuid.uuid4().hex[:12]}"
        self.mail_dir = tmp_path / "mail"
        self.tmp_path = tmp_path
        self.processes: list[tuple[subprocess.Popen, Path]] = []
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "EMAIL_URL"},
            "DJANGO_SETTINGS_MODULE": "tsoc_tracker.settings",
            "SECRET_KEY": "worker-test-only",
            "DEBUG": "0",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_QUEUE": self.queue,
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "SITE_URL": "https://tsoc.example.govt.nz",
            "LOG_LEVEL": "INFO",  # the test counts the workers' "task succeeded" lines
        }

    def start(self, name: str, *args: str) -> None:
        log = self.tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [CELERY, "-A", "tsoc_tracker", *args, "--loglevel=INFO"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.processes.append((process, log))

    def start_worker(self, name: str) -> str:
        hostname = f"{name}.{self.queue}@localhost"
        self.start(
            name,
            "worker",
            "--pool=solo",
            f"--queues={self.queue}",
            f"--hostname={hostname}",
            "--without-gossip",
            "--without-mingle",
        )
        return hostname

    def start_beat(self) -> None:
        beat_files = self.tmp_path / "beat"
        self.start("beat", "beat", f"--pidfile={beat_files}.pid", f"--schedule={beat_files}")

    def log(self) -> str:
        return "\n".join(log.read_text(errors="replace") for _, log in self.processes)

    def stop(self) -> None:
        for process, _ in self.processes:
            process.terminate()
        for process, _ in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with celery_app.connection_for_write() as conn:
            conn.default_channel.client.delete(f"_kombu.binding.{self.queue}")

    def emails(self) -> list:
        if not self.mail_dir.exists():
            return []
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            # The file backend writes each message followed by a line of dashes.
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(message_from_bytes(chunk))
        return messages


@pytest.fixture
def celery_processes(transactional_db, tmp_path):
    processes = CeleryProcesses(tmp_path)
    yield processes
    processes.stop()  # before the test database is flushed


@pytest.fixture
def overdue_period(transactional_db, agency, lead, other_agency, other_lead, secretariat_user):
    """An open period whose returns were due yesterday: overdue notices and escalation today."""
    today = timezone.localdate()
    period = ReportingPeriodFactory(year=today.year, quarter=(today.month - 1) // 3 + 1)
    period.opens_on = today - timezone.timedelta(days=20)
    period.due_on = today - timezone.timedelta(days=1)
    period.closes_on = today + timezone.timedelta(days=20)
    period.save()
    plan = ActionPlanFactory(slug="tsoc", start_date=period.starts_on, end_date=period.ends_on)
    for number, coordinator in (("1", agency), ("2", agency), ("3", other_agency)):
        action = ActionFactory(plan=plan, number=number)
        ActionAgencyFactory(action=action, agency=coordinator, role=ActionAgency.Role.COORDINATING)
    return period


def test_beat_and_two_workers_send_each_person_one_email_however_often_the_job_runs(
    overdue_period, celery_processes, lead, other_lead, secretariat_user, settings
):
    job = PeriodicTask.objects.get(name=TICK_NAME)
    job.interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    job.save()
    workers = [celery_processes.start_worker("first"), celery_processes.start_worker("second")]
    celery_processes.start_beat()  # its ticks wait in Redis until a worker is up
    wait_for(
        lambda: len(celery_app.control.ping(destination=workers, timeout=1)) == len(workers),
        STARTUP_TIMEOUT,
        f"the workers to answer ping\n{celery_processes.log()}",
    )

    # And one tick queued by hand, on top of beat's.
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(celery_app.conf, "task_always_eager", False)
        tick_reminders.apply_async(queue=celery_processes.queue)

    expected = {lead.email, other_lead.email, secretariat_user.email, settings.SECRETARIAT_EMAIL}
    wait_for(
        lambda: (
            ReminderLog.objects.filter(status="sent").count() == len(expected)
            and celery_processes.log().count("reporting.tasks.tick_reminders[") >= 8
        ),
        DELIVERY_TIMEOUT,
        f"four reminders sent and several ticks run\n{celery_processes.log()}",
    )
    celery_processes.stop()

    log = celery_processes.log()
    assert ticks_run(log) >= 3
    assert "first." in log and "second." in log
    emails = celery_processes.emails()
    assert Counter(message["To"] for message in emails) == dict.fromkeys(expected, 1)
    subjects = {message["To"]: message["Subject"] for message in emails}
    assert subjects[lead.email].startswith("[IN CONFIDENCE] TSOC Tracker: Overdue")
    assert "3 returns outstanding" in subjects[secretariat_user.email]
    rows = ReminderLog.objects.filter(period=overdue_period)
    assert sorted(rows.values_list("email", "status", "attempts")) == sorted(
        (email, "sent", 1) for email in expected
    )
