"""Smoke test of the production stack, run natively as the containers would run it: production
settings, gunicorn with two workers, a Celery worker and beat, a fresh PostgreSQL database and
Redis. (The build machines have no Docker engine; test_compose.py validates the compose file.)"""

import json
import re
import time

import pytest
import redis
from celery import Celery

from tests.production.processes import (
    BIN,
    BehindProxy,
    Service,
    free_port,
    gunicorn,
    manage,
    production_env,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(scope="module")
def stack(fresh_database, smoke_redis_url, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("stack")
    env = production_env(fresh_database(), smoke_redis_url, tmp_path, CELERY_QUEUE="smoke")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": "smoke-test-password-2026"},
        "createsuperuser",
        "--noinput",
        "--username",
        "secretariat",
        "--email",
        "secretariat@example.govt.nz",
    )
    port = free_port()
    celery = [str(BIN / "celery"), "-A", "tsoc_tracker"]
    services = {
        "web": gunicorn(env, port, tmp_path),
        "worker": Service(
            "worker",
            [*celery, "worker", "--concurrency", "1", "--hostname", "smoke@%h"],
            env,
            tmp_path,
        ),
        "beat": Service("beat", [*celery, "beat"], env, tmp_path),
    }
    try:
        for service in services.values():
            service.start()
        services["web"].wait_for_log("Booting worker")
        services["worker"].wait_for_log(" ready.", timeout=45)
        services["beat"].wait_for_log("beat: Starting")
        yield {"url": f"http://127.0.0.1:{port}", "services": services, "env": env}
    finally:
        for service in services.values():
            service.stop()
        redis.Redis.from_url(smoke_redis_url).flushdb()


def test_the_production_stack_serves_pages_static_files_and_runs_tasks(stack):
    client = BehindProxy(stack["url"])

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"database": "ok", "broker": "ok"}

    # Plain HTTP is sent to HTTPS; through the proxy, the page has every security header.
    plain = BehindProxy(stack["url"])
    del plain.headers["X-Forwarded-Proto"]
    assert plain.get("/accounts/login/").headers["Location"].startswith("https://127.0.0.1:")
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert "default-src 'self'" in login.headers["Content-Security-Policy"]
    assert login.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert login.headers["X-Frame-Options"] == "DENY"

    # The stylesheet comes from WhiteNoise, hashed, compressed and cached for good.
    stylesheet = re.search(r'href="(/static/css/tsoc\.[0-9a-f]{12}\.css)"', login.text).group(1)
    css = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]

    client.sign_in("secretariat", "smoke-test-password-2026")
    assert client.get("/plans/").status_code == 200

    # The worker takes a real task off the queue.
    broker = Celery(broker=stack["env"]["REDIS_URL"])
    broker.send_task("reporting.tasks.tick_reminders", queue="smoke")
    deadline = time.monotonic() + 30
    while "reporting.tasks.tick_reminders" not in stack["services"]["worker"].log:
        assert time.monotonic() < deadline, stack["services"]["worker"].log
        time.sleep(0.2)
    stack["services"]["worker"].wait_for_log("succeeded")


def test_the_web_servers_log_is_json_lines(stack):
    BehindProxy(stack["url"]).get("/healthz")
    stack["services"]["web"].wait_for_log("GET /healthz")

    lines = stack["services"]["web"].log.splitlines()

    entries = [json.loads(line) for line in lines if line.strip()]
    assert {entry["logger"] for entry in entries} >= {"gunicorn.error", "gunicorn.access"}
