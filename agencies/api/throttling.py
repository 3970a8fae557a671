"""Request rates per token (machine clients), per person (browser sessions) and per address.

The counts live in the cache: Redis when there is one, shared by every worker (settings.py,
``cache_settings``). While Redis is unreachable the API answers without rate limits rather than
not at all, and the log says so.
"""

import logging

import redis
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
            return super().allow_request(request, view)
        except redis.RedisError as error:
            logger.warning("API rate limit not checked, the cache is unreachable: %s", error)
            return True

    def get_rate(self):
        return self.THROTTLE_RATES.get(getattr(self, "scope", None) or "anon")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
