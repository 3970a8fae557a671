"""Shared test set-up: the cast of users every permission test needs, and service gating.

Tests marked ``postgres``, ``redis``, ``worker``, ``browser`` or ``oidc_provider`` need a real
server, Chromium or the test OpenID provider (tests/oidc_provider/).
Where one is missing they skip with the reason; with ``TSOC_REQUIRE_SERVICES=1`` (as CI sets)
that skip becomes a failure, so CI can't go green without having run them.
"""

import os
import shutil
from functools import cache

import pytest
from django.contrib.auth.models import Group

from agencies.models import Membership
from agencies.roles import SECRETARIAT, VIEWER

REQUIRE_SERVICES = os.environ.get("TSOC_REQUIRE_SERVICES", "") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _postgres_missing() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsoc"
    return None


@cache
def _redis_missing() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"needs Redis, but {url} did not answer: {error}"
    return None


@cache
def _browser_missing() -> str | None:
    if not shutil.which(CHROMIUM):
        return f"needs Chromium at {CHROMIUM}: apt-get install chromium chromium-driver"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "needs the playwright package"
    return None


@cache
def _oidc_provider_missing() -> str | None:
    try:
        import oauth2_provider  # noqa: F401
    except ImportError:
        return "needs django-oauth-toolkit for the test OpenID provider: pip install -e '.[dev]'"
    return None


SERVICE_CHECKS = {
    "postgres": _postgres_missing,
    "redis": _redis_missing,
    "worker": _redis_missing,
    "browser": _browser_missing,
    "oidc_provider": _oidc_provider_missing,
}


def pytest_runtest_setup(item):
    for marker, missing in SERVICE_CHECKS.items():
        if item.get_closest_marker(marker) and (reason := missing()):
            if REQUIRE_SERVICES:
                pytest.fail(f"{reason} (TSOC_REQUIRE_SERVICES=1 forbids skipping)", pytrace=False)
            pytest.skip(reason)


# The cast -----------------------------------------------------------------------------------


@pytest.fixture
def agency(db):
    from tests.agencies.factories import AgencyFactory

    return AgencyFactory(name="New Zealand Customs Service", short_name="Customs", slug="customs")


@pytest.fixture
def other_agency(db):
    from tests.agencies.factories import AgencyFactory

    return AgencyFactory(name="New Zealand Police", short_name="Police", slug="police")


def _member(username, agency, role):
    from tests.agencies.factories import MembershipFactory, UserFactory

    user = UserFactory(username=username)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def _in_group(username, group_name):
    from tests.agencies.factories import UserFactory

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


@pytest.fixture
def secretariat_user(db):
    return _in_group("sam.secretariat", SECRETARIAT)


@pytest.fixture
def viewer(db):
    return _in_group("vic.viewer", VIEWER)


@pytest.fixture
def lead(agency):
    return _member("lee.lead", agency, Membership.Role.LEAD)


@pytest.fixture
def contributor(agency):
    return _member("cat.contributor", agency, Membership.Role.CONTRIBUTOR)


@pytest.fixture
def other_lead(other_agency):
    return _member("oli.otherlead", other_agency, Membership.Role.LEAD)


@pytest.fixture
def outsider(db):
    """Signed in, but with no role or agency."""
    from tests.agencies.factories import UserFactory

    return UserFactory(username="nora.norole")


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client signed in as that user (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached pages, rate-limit counts)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request answered in te reo Māori leaves that
    language active on the thread (LocaleMiddleware activates it; nothing deactivates it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
