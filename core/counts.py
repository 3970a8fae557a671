"""Exact counts (an API list's ``count``, a period's returns by state), kept in Django's cache
until a row they could count changes.

A list's count is a ``COUNT(*)`` of every record the reader may see through the filters given: at
10,000 actions that is 330,000 status updates and most of a page's time, asked again for every
page of a sync; the period review counts its 21,000 returns by state on every view. Each is kept
under its own SQL and parameters (so each reader's visibility, each filter and each day a filter
compares with has its own entry) and the data's version. A save or delete of any row of the apps
the API reads, or of the people and groups that decide who sees what (``COUNTED_APPS``), starts
a new version (``core.versioned``, as the plan pages' cache does); a write that sends no signal
(``QuerySet.update()``) calls ``retire()`` itself. So a count never outlives the rows it counted
(if the cache is away during a write, the counts it kept before last ten minutes at most).
"""

from collections.abc import Callable

import redis
from django.core.exceptions import EmptyResultSet
from django.db.models.signals import m2m_changed, post_delete, post_save

from core import versioned

VERSION = "api-counts:version"
TIMEOUT = 10 * 60  # a sync's paging; and what a write the cache missed (it was away) can leave
COUNTED_APPS = frozenset({"actions", "agencies", "reporting", "auth"})


def count(queryset) -> int:
    """``queryset.count()``, from the cache while no row it could count has changed."""
    return kept(queryset, lambda rows: rows.count(), "count")


def kept(queryset, compute: Callable, name: str):
    """``compute(queryset)`` (a count or a few counts: ``name`` says which), from the cache
    while no row the queryset reads has changed."""
    try:
        sql, params = queryset.query.sql_with_params()
        key = (name, queryset.db, sql, params, versioned.current(VERSION))
    except (EmptyResultSet, redis.RedisError):  # it can match nothing; the cache is away
        return compute(queryset)
    return versioned.kept("api-counts", key, lambda: compute(queryset), TIMEOUT)


def retire() -> None:
    """Retire every kept count."""
    versioned.renew(VERSION)


def _retire_for(sender, **kwargs) -> None:
    if sender._meta.app_label in COUNTED_APPS:
        retire()


def connect(*also) -> None:
    """Retire the counts on every save, delete and many-to-many change of ``COUNTED_APPS``,
    and on each signal in ``also`` (sent, with the model as sender, by a write that saves
    through ``QuerySet.update()``)."""
    for signal in (post_save, post_delete, m2m_changed, *also):
        signal.connect(_retire_for, dispatch_uid=f"api-counts.{id(signal)}")
