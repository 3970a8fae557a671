"""Faults: the database or Redis going away under a running production server and coming back.

The test runs its own PostgreSQL and Redis on free loopback ports (never the shared ones), with
gunicorn in front as in production, and stops and restarts them around live requests.
"""

import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.production.processes import (
    BehindProxy,
    PostgresCluster,
    free_port,
    gunicorn,
    manage,
    production_env,
    redis_server,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

PASSWORD = "fault-test-password-2026"
UNAVAILABLE = "The service is temporarily unavailable"


@pytest.fixture(scope="module")
def outage_stack(tmp_path_factory):
    if reason := PostgresCluster.missing():
        pytest.skip(reason)
    logs = tmp_path_factory.mktemp("faults")
    cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix="tsoc-faults-")), free_port())
    redis_port = free_port()
    redis = redis_server(redis_port, logs)
    web = None
    try:
        cluster.create()
        redis.start().wait_for_log("Ready to accept connections")
        env = production_env(cluster.url, f"redis://127.0.0.1:{redis_port}/0", logs)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            *("createsuperuser", "--noinput", "--username", "secretariat"),
            *("--email", "secretariat@example.govt.nz"),
        )
        port = free_port()
        web = gunicorn(env, port, logs).start()
        web.wait_for_log("Booting worker")
        client = BehindProxy(f"http://127.0.0.1:{port}")
        client.sign_in("secretariat", PASSWORD)
        yield {"client": client, "cluster": cluster, "redis": redis, "web": web}
    finally:
        if web is not None:
            web.stop()
        redis.stop()
        cluster.destroy()


class Hammer:
    """Requests a page over and over from another thread, noting every status it gets."""

    def __init__(self, client: BehindProxy, path: str):
        self.client, self.path = client, path
        self.statuses: list[int | str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.statuses.append(self.client.get(self.path).status_code)
            except requests.RequestException as error:  # noted, so the test can show it
                self.statuses.append(repr(error))

    def wait_for(self, status: int, timeout: float = 15) -> None:
        """Until the page has answered ``status`` at least once since this call."""
        seen = len(self.statuses)
        deadline = time.monotonic() + timeout
        while status not in self.statuses[seen:]:
            assert time.monotonic() < deadline, f"never {status}: {self.statuses}"
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)


def test_while_the_database_is_down_pages_say_so_and_recover_without_a_restart(outage_stack):
    client, cluster = outage_stack["client"], outage_stack["cluster"]
    # A second signed-in client in another thread keeps requests in flight across the outage.
    other = BehindProxy(client.base_url)
    other.sign_in("secretariat", PASSWORD)
    assert client.get("/plans/").status_code == 200

    with Hammer(other, "/plans/") as hammer:
        hammer.wait_for(200)
        cluster.stop()
        try:
            page = client.get("/plans/")
            api = client.get("/api/v1/actions/")
            sign_in_page = client.get("/accounts/login/")
            health = client.get("/healthz")
            hammer.wait_for(503)
        finally:
            cluster.start()
        recovered = [client.get("/plans/").status_code for _ in range(6)]
        hammer.wait_for(200)

    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert UNAVAILABLE in page.text
    assert "Traceback" not in page.text
    # The API keeps its JSON error shape through the outage (docs/api.md).
    assert api.status_code == 503
    assert api.headers["Content-Type"] == "application/json"
    assert api.headers["Retry-After"] == "30"
    assert api.json()["type"] == "service_unavailable"
    assert sign_in_page.status_code == 503
    assert health.status_code == 503
    assert health.json() == {"database": "down: OperationalError", "broker": "ok"}
    # Every worker reconnects by itself; the session survived, so the user is still signed in.
    assert recovered == [200] * 6
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok"}
    # Requests in flight as the database went and came back got a page or the clear 503: never
    # a server error or a dropped connection.
    assert set(hammer.statuses) == {200, 503}


def test_while_redis_is_down_pages_still_work_and_health_names_the_broker(outage_stack):
    client, redis = outage_stack["client"], outage_stack["redis"]

    redis.stop()
    try:
        health = client.get("/healthz")
        page = client.get("/plans/")
    finally:
        redis.start().wait_for_log("Ready to accept connections")

    assert health.status_code == 503
    assert health.json() == {"database": "ok", "broker": "down: ConnectionError"}
    assert page.status_code == 200
    assert client.get("/healthz").status_code == 200
