"""Error pages. A lost database or broker connection is an outage, not a bug: it gets a 503 page
that says so, and the app recovers by itself when the server is back (each request reconnects)."""

import sys

import kombu.exceptions
import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

RETRY_AFTER_SECONDS = 30
OUTAGES = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    redis.ConnectionError,
    redis.TimeoutError,
)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the friendly 500 page, or the 503 page when a server we need is unreachable.

    Rendered without the request context, as Django's own handler is: the context processors
    would read the session and the user from the database that may be the thing that failed.
    Django has already logged the exception with its traceback.
    """
    if isinstance(sys.exc_info()[1], OUTAGES):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
