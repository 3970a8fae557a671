"""The exceptions that mean a server we need (the database, the broker, Redis) is unreachable:
an outage, answered with a 503, not a bug."""

import kombu.exceptions
import redis
from django.db import InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 30
OUTAGES = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    redis.ConnectionError,
    redis.TimeoutError,
)


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGES)
