"""A report asked for in the browser is built by a real Celery worker (prefork, production
settings, Redis), and the page offers the download once it is ready."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from reporting.models import Report
from tests.reporting.reports_setup import small_plan
from tsoc_tracker.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

CELERY = str(Path(sys.executable).with_name("celery"))
TIMEOUT = 120  # a Django worker starting and rendering on a busy two-core machine


def test_database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    """A prefork worker on a queue of its own, writing reports under ``tmp_path``."""
    queue = f"reports-test-{uuid.uuid4().hex[:12]}"
    settings.MEDIA_ROOT = tmp_path / "media"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tsoc_tracker.settings",
        "SECRET_KEY": "worker-test-only",
        "DEBUG": "0",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STATIC_ROOT": str(tmp_path / "static"),  # not collected: reports don't need it
    }
    hostname = f"reports.{queue}@localhost"
    process = subprocess.Popen(
        [
            CELERY,
            "-A",
            "tsoc_tracker",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            f"--queues={queue}",
            f"--hostname={hostname}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + TIMEOUT
    while not celery_app.control.ping(destination=[hostname], timeout=1):
        assert time.monotonic() < deadline, f"the worker did not start:\n{log.read_text()}"
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(celery_app.conf, "task_always_eager", False)
            patch.setitem(celery_app.conf, "task_default_queue", queue)
            yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with celery_app.connection_for_write() as conn:
            conn.default_channel.client.delete(f"_kombu.binding.{queue}")


def test_a_worker_builds_the_report_and_the_page_then_offers_the_download(
    agency, other_agency, secretariat_user, client_for, worker
):
    setup = small_plan(agency, other_agency)
    client = client_for(secretariat_user)

    client.post(
        reverse("reporting:report_create"),
        {
            "plan": setup.plan.pk,
            "period": setup.period.pk,
            "audience": "sib",
            "variant": "full",
            "chosen_marking": "SENSITIVE",
        },
    )

    report = Report.objects.get()
    deadline = time.monotonic() + TIMEOUT
    while Report.objects.get().is_pending:
        assert time.monotonic() < deadline, f"the report was not built:\n{worker.read_text()}"
        time.sleep(0.5)
    report.refresh_from_db()
    assert report.state == Report.State.READY, report.error
    page = client.get(report.get_absolute_url())
    assert "Refresh" not in page
    assert "Download the PDF" in page.content.decode()
    pdf = client.get(reverse("reporting:report_download", kwargs={"pk": report.pk}))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "build_report_pdf" in worker.read_text()
