"""A Celery worker killed in the middle of sending a reminder: the reminder is not lost, and it
is not sent twice. The worker runs with production settings (acks late, requeue on a lost
worker) against Redis and the test database; the mail server is a small SMTP server of the
test's own that holds the first send open until the worker has been killed."""

import os
import signal
import socketserver
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from reporting.models import ReminderLog
from tests.production.processes import BIN, Service, free_port, production_env
from tests.reporting.factories import ReminderLogFactory
from tsoc_tracker.celery import app as celery_app

pytestmark = [pytest.mark.postgres, pytest.mark.worker]


class SMTPServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP to take a message. Until ``release`` is set, a connection gets no
    greeting: the client is stuck in the middle of sending."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int):
        self.release = threading.Event()
        self.connections = 0
        self.messages: list[bytes] = []
        super().__init__(("127.0.0.1", port), SMTPHandler)


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.server.connections += 1
        self.server.release.wait()
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith("DATA"):
                self.reply("354 go ahead")
                body = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body += chunk
                self.server.messages.append(body)
                self.reply("250 queued")
            elif command.startswith("QUIT"):
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def wait_until(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


@pytest.fixture
def smtp():
    server = SMTPServer(free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def worker(transactional_db, test_database_url, smtp, tmp_path, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)  # this test sends for real
    queue = f"killed-worker-{uuid.uuid4().hex[:12]}"
    env = production_env(
        test_database_url,
        settings.REDIS_URL,
        tmp_path,
        CELERY_QUEUE=queue,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.server_address[1]}",
    )
    args = [str(BIN / "celery"), "-A", "tsoc_tracker", "worker", "--concurrency", "1"]
    args += ["--queues", queue, "--hostname", f"{queue}@localhost", "--without-mingle"]
    service = Service("worker", args, env, tmp_path).start()
    service.wait_for_log(" ready.", timeout=90)
    service.queue = queue
    yield service
    service.stop()  # before the test database is flushed
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete(queue, f"_kombu.binding.{queue}")


def send(worker, reminder) -> None:
    celery_app.send_task("reporting.tasks.send_reminder", args=[reminder.pk], queue=worker.queue)


def test_a_worker_killed_mid_send_loses_no_reminder_and_sends_it_once(worker, smtp):
    reminder = ReminderLogFactory(email="lee.lead@example.govt.nz")

    send(worker, reminder)
    wait_until(lambda: smtp.connections == 1, "the worker to start sending")
    (child,) = pool_children(worker.process.pid)
    os.kill(child, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    # The worker requeues the task it lost, and a new pool process starts the send again.
    wait_until(lambda: smtp.connections == 2, "the lost send to start again")
    smtp.release.set()
    wait_until(
        lambda: ReminderLog.objects.get(pk=reminder.pk).status == ReminderLog.Status.SENT,
        "the reminder to be marked sent",
    )

    assert "signal 9" in worker.log
    assert len(smtp.messages) == 1
    assert b"lee.lead@example.govt.nz" in smtp.messages[0]
    reminder.refresh_from_db()
    assert reminder.attempts == 1  # the killed attempt's transaction never committed


def test_a_send_delivered_again_after_it_succeeded_sends_nothing(worker, smtp):
    smtp.release.set()
    reminder = ReminderLogFactory(email="lee.lead@example.govt.nz")
    send(worker, reminder)
    wait_until(
        lambda: ReminderLog.objects.get(pk=reminder.pk).status == ReminderLog.Status.SENT,
        "the reminder to be marked sent",
    )

    # Redis hands an unacknowledged task out again after a worker is lost: the same send twice.
    send(worker, reminder)
    wait_until(lambda: worker.log.count("send_reminder[") >= 4, "the second delivery to run")

    assert len(smtp.messages) == 1
