"""Where the API's rate-limit counts live: in Redis when there is one, in a database of its own
beside the broker's and shared by every gunicorn worker; in each process's memory without it."""

import json
import os
import secrets
import uuid

import pytest
import redis
from django.core.exceptions import ImproperlyConfigured

from agencies.api.throttling import ApiRateThrottle
from tests.api.helpers import assert_error
from tests.security.test_deploy_check import run_manage
from tsoc_tracker.settings import cache_settings

pytestmark = pytest.mark.django_db

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("broker", "cache"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://redis:6379", "redis://redis:6379/1"),
        ("redis://:secret@redis:6379/14", "redis://:secret@redis:6379/15"),
        ("redis://redis:6379/15", "redis://redis:6379/0"),
        (
            "rediss://redis.agency.govt.nz:6380/2?ssl_cert_reqs=required",
            "rediss://redis.agency.govt.nz:6380/3?ssl_cert_reqs=required",
        ),
    ],
)
def test_the_cache_is_the_database_after_the_brokers(broker, cache):
    settings = cache_settings(broker, key_prefix="celery")["default"]
    assert (settings["BACKEND"], settings["LOCATION"], settings["KEY_PREFIX"]) == (
        REDIS_CACHE,
        cache,
        "celery",
    )


@pytest.mark.parametrize("broker", ["unix:///run/redis.sock", "redis://redis:6379/zero"])
def test_a_redis_url_the_cache_cannot_follow_is_refused(broker):
    with pytest.raises(ImproperlyConfigured, match="expected redis://host:port/<database number>"):
        cache_settings(broker, key_prefix="celery")


def test_production_settings_use_redis_for_the_cache_only_when_redis_is_set():
    show = "from django.conf import settings; print(__import__('json').dumps(settings.CACHES))"
    production = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}

    with_redis = run_manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        REDIS_URL="redis://redis:6379/0",
        CELERY_QUEUE="tsoc",
        **production,
    )
    without = run_manage("shell", "--no-imports", "-c", show, REDIS_URL="", **production)

    assert json.loads(with_redis.stdout)["default"] == {
        "BACKEND": REDIS_CACHE,
        "LOCATION": "redis://redis:6379/1",
        "KEY_PREFIX": "tsoc",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }, with_redis.stderr
    assert json.loads(without.stdout)["default"]["BACKEND"].endswith("LocMemCache")


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(ApiRateThrottle, "THROTTLE_RATES", {"token": "2/min", "user": "2/min"})


@pytest.fixture
def redis_cache(settings):
    """The cache as production sets it up from REDIS_URL, with keys of this test's own."""
    prefix = f"throttle-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = cache_settings(os.environ["REDIS_URL"], key_prefix=prefix)
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    yield prefix, client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.mark.redis
def test_with_redis_every_worker_counts_against_the_same_limit(
    two_a_minute, redis_cache, settings, api, token_for, lead
):
    prefix, cache_db = redis_cache
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(lead)}")
    assert [api.get("/api/v1/me/").status_code for _ in range(2)] == [200, 200]

    # Another worker: its own cache client and connections, nothing shared but Redis.
    settings.CACHES = cache_settings(os.environ["REDIS_URL"], key_prefix=prefix)
    assert_error(api.get("/api/v1/me/"), 429, "throttled")

    # (The cache holds other things too: the plan pages' versions.)
    assert [key.decode() for key in cache_db.scan_iter(f"{prefix}:*throttle*")] == [
        f"{prefix}:1:throttle_token_{lead.api_tokens.get().pk}"
    ]
    broker_db = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert not list(broker_db.scan_iter(f"{prefix}:*"))
    broker_db.close()


def test_while_the_cache_is_unreachable_the_api_answers_unthrottled(
    two_a_minute, settings, api, token_for, lead, caplog
):
    settings.CACHES = cache_settings("redis://127.0.0.1:1/0", key_prefix="down")  # no one there
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(lead)}")

    assert [api.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    assert "API rate limit not checked, the cache is unreachable: " in caplog.text
