"""``/healthz``: is the database reachable, and the Celery broker? For load balancers and compose.

Answered by a middleware at the top of the stack, so it needs no session, no allowed Host header
and no HTTPS redirect: a container health check or a load balancer probing by IP reaches it. It
says which part is down by exception class only; the detail goes to the log, not to the public.
"""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEALTH_PATH = "/healthz"
OK = "ok"
NOT_CONFIGURED = "not configured"
logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health check: database down: %s", error)
        # Drop the broken connection so the next request opens a fresh one.
        connection.close()
        return f"down: {type(error).__name__}"
    return OK


def broker_status() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        logger.warning("Health check: broker down: %s", error)
        return f"down: {type(error).__name__}"
    finally:
        client.close()
    return OK


def health_response() -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(state in (OK, NOT_CONFIGURED) for state in checks.values())
    response = JsonResponse(checks, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    # Answered before SecurityMiddleware, so it sets the one header that matters for JSON itself.
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return health_response()
        return self.get_response(request)
