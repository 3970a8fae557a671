"""Exact counts (an API list's ``count``, a period's returns by state), kept in Django's cache
until a row they could count changes.

A list's count is a ``COUNT(*)`` of every record the reader may see through the filters given: at
10,000 actions that is 330,000 status updates and most of a page's time, asked again for every
page of a sync; the period review counts its 21,000 returns by state on every view. Each is kept
under its own SQL and parameters (so each reader's visibility, each
filter and each day a filter compares with has its own entry) and the data's version. A save or
delete of any row of the apps the API reads, or of the people and groups that decide who sees what
(``COUNTED_APPS``), starts a new version, now and again when the transaction commits, as the plan
pages' cache does (``core.page_cache``); a write that sends no signal (``QuerySet.update()``)
calls ``retire()`` itself. So a count never outlives the rows it counted (if the cache is away
during a write, the counts it kept before last ten minutes at most).
"""

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Callable

import redis
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION = "api-counts:version"
TIMEOUT = 10 * 60  # a sync's paging; and what a write the cache missed (it was away) can leave
COUNTED_APPS = frozenset({"actions", "agencies", "reporting", "auth"})

logger = logging.getLogger(__name__)


def _version() -> str:
    version = cache.get(VERSION)
    if version is None:
        cache.add(VERSION, uuid.uuid4().hex, None)
        version = cache.get(VERSION)
    return version


def count(queryset) -> int:
    """``queryset.count()``, from the cache while no row it could count has changed."""
    return kept(queryset, lambda rows: rows.count(), "count")


def kept(queryset, compute: Callable, name: str):
    """``compute(queryset)`` (a count or a few counts: ``name`` says which), from the cache
    while no row the queryset reads has changed."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing: Django answers unasked
        return compute(queryset)
    try:
        raw = repr((name, queryset.db, sql, params, _version()))
        key = f"api-counts:{hashlib.sha256(raw.encode()).hexdigest()}"
        found = cache.get(key)
    except redis.RedisError:  # the cache is away: count, and keep nothing
        return compute(queryset)
    if found is None:
        found = compute(queryset)
        with contextlib.suppress(redis.RedisError):
            cache.set(key, found, TIMEOUT)
    return found


def retire() -> None:
    """Start a new version: now, and again when the transaction commits (a count taken by
    another request before the commit saw the old rows)."""

    def new_version():
        try:
            cache.set(VERSION, uuid.uuid4().hex, None)
        except redis.RedisError as error:  # the write stands; counts kept before expire
            logger.warning("API list counts not retired, the cache is unreachable: %s", error)

    new_version()
    transaction.on_commit(new_version)


def _retire_for(sender, **kwargs) -> None:
    if sender._meta.app_label in COUNTED_APPS:
        retire()


def connect(*also) -> None:
    """Retire the counts on every save, delete and many-to-many change of ``COUNTED_APPS``,
    and on each signal in ``also`` (sent, with the model as sender, by a write that saves
    through ``QuerySet.update()``)."""
    for signal in (post_save, post_delete, m2m_changed, *also):
        signal.connect(_retire_for, dispatch_uid=f"api-counts.{id(signal)}")
