"""Pages built from a whole plan (the dashboard's data, the plan page's body), kept in Django's
cache (Redis in production, each process's memory by default) until something they show changes.

Every entry's key holds two versions: the plan's and the programme's. A change to anything a
plan's pages show bumps its plan's version (``bump(plan_id)``), a change to something every plan
shows (a period, an agency's name, an area) the programme's (``bump()``), so the next request
builds afresh and the old entries are left to expire. ``reporting.page_cache_signals`` bumps them
from model signals, in one place, whichever page or service made the change.
"""

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

import redis
from django.utils import translation

from core import versioned

PROGRAMME = "plan-pages:version:all"
TIMEOUT = 60 * 60 * 24  # a day: entries also name the day they were built for


def _plan_key(plan_id: int) -> str:
    return f"plan-pages:version:{plan_id}"


def versions(plan_id: int) -> tuple[str, str]:
    """The programme's and the plan's current versions."""
    return versioned.current(PROGRAMME, _plan_key(plan_id))


def bump(plan_id: int | None = None) -> None:
    """Retire the cached pages of one plan (``plan_id``), or of every plan (None)."""
    versioned.renew(PROGRAMME if plan_id is None else _plan_key(plan_id))


class RecentEntries:
    """The entries this process read last, up to ``limit`` bytes, least recently used dropped
    first. Kept pickled, so no caller can change another's copy of a page's data; a value that
    is already bytes (a page's body) can't be changed, and is kept and handed out as it is, so
    a 4 MB page isn't copied on every read."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.entries: OrderedDict[str, tuple[bytes, bool]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            self.entries.move_to_end(key)
        data, pickled = entry
        return pickle.loads(data) if pickled else data

    def put(self, key: str, value) -> None:
        pickled = not isinstance(value, bytes)
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if pickled else value
        if len(data) > self.limit:
            return
        with self.lock:
            old, _ = self.entries.pop(key, (b"", False))
            self.size += len(data) - len(old)
            self.entries[key] = (data, pickled)
            while self.size > self.limit:
                self.size -= len(self.entries.popitem(last=False)[1][0])


# Each process also keeps the entries it read last, under the same versioned keys (so they retire
# when the shared ones do): a plan of 3,000 actions is a 4 MB page, not read from Redis each view.
recent = RecentEntries(limit=64 * 1024 * 1024)


def cached(plan_id: int, parts: tuple, build: Callable[[], object]):
    """``build()``'s value for these key ``parts`` of plan ``plan_id``'s pages, from the cache
    while the plan's and the programme's versions stand, in the language the page is shown in
    (built afresh, and kept nowhere, while the cache is unreachable)."""
    try:
        key = (plan_id, parts, translation.get_language(), versions(plan_id))
    except redis.RedisError:
        return build()
    return versioned.kept("plan-pages", key, build, TIMEOUT, near=recent)
