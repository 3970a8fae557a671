"""Values kept in Django's cache under versions that writes renew: the one mechanism behind the
plan pages' cache (``core.page_cache``) and the kept counts (``core.counts``).

An entry's key holds the versions it was built under. A write renews a version (a new random
value), now and again when its transaction commits, so an entry built by another request from
the old rows in the meantime is retired too; entries under old versions are left to expire.
While the cache is unreachable, values are built afresh and kept nowhere, and writes still stand.
"""

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Callable

import redis
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def current(*names: str) -> tuple[str, ...]:
    """The current value of each version (a missing one is started afresh, never read as an
    old value). Raises ``redis.RedisError`` while the cache is unreachable."""
    found = cache.get_many(names)
    for name in names:
        if name not in found:
            cache.add(name, uuid.uuid4().hex, None)
            found[name] = cache.get(name)
    return tuple(found[name] for name in names)


def renew(name: str) -> None:
    """A new value for version ``name``: now, and again when the transaction commits."""

    def new_value():
        try:
            cache.set(name, uuid.uuid4().hex, None)
        except redis.RedisError as error:  # the write stands; what was kept may linger
            logger.warning("%s not renewed, the cache is unreachable: %s", name, error)

    new_value()
    transaction.on_commit(new_value)


def kept(namespace: str, parts: tuple, build: Callable[[], object], timeout: int, *, near=None):
    """``build()``'s value, kept under ``namespace`` and ``parts`` (which name the versions it
    was built under). ``near``, if given, is a process's own ``get``/``put`` store, asked
    before the shared cache."""
    key = f"{namespace}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    if near is not None and (value := near.get(key)) is not None:
        return value
    try:
        value = cache.get(key)
    except redis.RedisError:
        return build()
    if value is None:
        value = build()
        with contextlib.suppress(redis.RedisError):
            cache.set(key, value, timeout)
    if near is not None:
        near.put(key, value)
    return value
