"""Error pages. A lost database or broker connection is an outage, not a bug: it gets a 503 page
that says so, and the app recovers by itself when the server is back (each request reconnects).
Under ``/api/`` both answers are JSON in the API's error shape, as docs/api.md promises."""

import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader

from core.api.exceptions import ServiceUnavailable, error_response
from core.middleware import is_api
from core.outages import RETRY_AFTER_SECONDS, is_outage

__all__ = ["RETRY_AFTER_SECONDS", "server_error"]


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the friendly 500 page, or the 503 page when a server we need is unreachable.

    Rendered without the request context, as Django's own handler is: the context processors
    would read the session and the user from the database that may be the thing that failed.
    Django has already logged the exception with its traceback.
    """
    outage = is_outage(sys.exc_info()[1])
    if is_api(request):
        if outage:
            response = error_response(
                503, ServiceUnavailable.default_code, str(ServiceUnavailable.default_detail)
            )
        else:
            response = error_response(500, "server_error", "Sorry, something went wrong.")
    elif outage:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    else:
        return HttpResponse(loader.render_to_string("500.html"), status=500)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
