"""Request rates per token (machine clients), per person (browser sessions) and per address.

The counts live in the cache: Redis when there is one, shared by every worker (settings.py,
``cache_settings``). While Redis is unreachable the API answers without rate limits rather than
not at all, and the log says so.
"""

import contextlib
import logging

import redis
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import SimpleRateThrottle

from agencies.tokens import ApiToken

logger = logging.getLogger(__name__)


class ApiRateThrottle(SimpleRateThrottle):
    """One bucket per token, so each client system has its own allowance even when several act
    as the same person. Rates: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` "token", "user"
    (signed in through the browser) and "anon"."""

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            self.scope, ident = "token", request.auth.pk
        elif request.user and request.user.is_authenticated:
            self.scope, ident = "user", request.user.pk
        else:
            self.scope, ident = "anon", self.get_ident(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.ident = ident
        try:
            with self._one_at_a_time(self.get_cache_key(request, view)):
                return super().allow_request(request, view)
        except redis.RedisError as error:
            logger.warning("API rate limit not checked, the cache is unreachable: %s", error)
            return True

    def _one_at_a_time(self, key: str):
        """DRF reads a bucket's history, adds this request and writes it back: two workers
        doing that at once each count one request where there were two (a token past its limit
        of 600 had 755 answered). In Redis, one bucket's check at a time, under a lock."""
        backend = caches[DEFAULT_CACHE_ALIAS]  # ``self.cache`` is a proxy to it
        if not isinstance(backend, RedisCache):
            return contextlib.nullcontext()  # one process's memory: requests already in turn
        client = backend._cache.get_client(key, write=True)
        return client.lock(f"{backend.make_key(key)}:lock", timeout=5, blocking_timeout=5)

    def get_rate(self):
        return self.THROTTLE_RATES.get(getattr(self, "scope", None) or "anon")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
