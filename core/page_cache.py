"""Pages built from a whole plan (the dashboard's data, the plan page's body), kept in Django's
cache (Redis in production, each process's memory by default) until something they show changes.

Every entry's key holds two versions: the plan's and the programme's. A change to anything a
plan's pages show bumps its plan's version (``bump(plan_id)``), a change to something every plan
shows (a period, an agency's name, an area) the programme's (``bump()``), so the next request
builds afresh and the old entries are left to expire. ``reporting.page_cache_signals`` bumps them
from model signals, in one place, whichever page or service made the change.
"""

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Callable

import redis
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

PROGRAMME = "plan-pages:version:all"
TIMEOUT = 60 * 60 * 24  # a day: entries also name the day they were built for

logger = logging.getLogger(__name__)


def _plan_key(plan_id: int) -> str:
    return f"plan-pages:version:{plan_id}"


def versions(plan_id: int) -> tuple[str, str]:
    """The programme's and the plan's current versions (a missing one is started afresh, never
    read as an old value)."""
    keys = [PROGRAMME, _plan_key(plan_id)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return found[PROGRAMME], found[_plan_key(plan_id)]


def bump(plan_id: int | None = None) -> None:
    """Retire the cached pages of one plan (``plan_id``), or of every plan (None): now, for
    the rest of this transaction, and again when it commits, so a page built from the old rows
    by another request in the meantime is retired too."""

    def retire():
        try:
            cache.set(PROGRAMME if plan_id is None else _plan_key(plan_id), uuid.uuid4().hex, None)
        except redis.RedisError as error:  # the write stands; the pages kept before may linger
            logger.warning("Cached plan pages not retired, the cache is unreachable: %s", error)

    retire()
    transaction.on_commit(retire)


def cached(plan_id: int, parts: tuple, build: Callable[[], object]):
    """``build()``'s value for these key ``parts`` of plan ``plan_id``'s pages, from the cache
    while the plan's and the programme's versions stand, in the language the page is shown in
    (built afresh, and kept nowhere, while the cache is unreachable)."""
    try:
        raw = repr((plan_id, parts, translation.get_language(), versions(plan_id)))
        key = f"plan-pages:{hashlib.sha256(raw.encode()).hexdigest()}"
        value = cache.get(key)
    except redis.RedisError:
        return build()
    if value is None:
        value = build()
        with contextlib.suppress(redis.RedisError):
            cache.set(key, value, TIMEOUT)
    return value
