"""Site-wide request guards that no app owns.

- ``ControlCharacterMiddleware``: a control character (a NUL byte, a newline…) in the path or in
  a query parameter is a 400, decided once here rather than in each view (PostgreSQL refuses a
  NUL byte outright, so without this a lookup with one is a 500). Pages get the ordinary 400
  page, the API its JSON error shape; the log gets a warning, not a traceback.
- ``NoStoreMiddleware``: nothing shown to a signed-in person, and no file download, is kept by a
  browser or a proxy cache (``Cache-Control: private, no-store``).
"""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from django.views.defaults import bad_request

from core.api.exceptions import error_response

API_PREFIX = "/api/"
NO_STORE = "private, no-store"
# C0 controls, DEL and the C1 controls: nothing a person types into an address or a search box.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _control_character_in(request: HttpRequest) -> tuple[str, str] | None:
    """Where the request holds a control character, as (the field to name in the API's
    errors, the words for it), or None."""
    if CONTROL_CHARACTERS.search(request.path_info):
        return "non_field_errors", "the path"
    for name, values in request.GET.lists():
        if CONTROL_CHARACTERS.search(name):
            return "non_field_errors", "a query parameter's name"
        if any(CONTROL_CHARACTERS.search(value) for value in values):
            return name, f"the query parameter “{name}”"
    return None


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _control_character_in(request)
        if found is None:
            return self.get_response(request)
        name, where = found
        if is_api(request):
            response = error_response(
                400,
                "validation_error",
                "The request has errors: see “errors”.",
                {name: [f"A control character is not allowed in {where}."]},
            )
        else:
            response = bad_request(request, ValueError(where))
        log_response(
            "Bad Request (a control character in %s): %s",
            where,
            CONTROL_CHARACTERS.sub("?", request.path_info),
            response=response,
            request=request,
        )
        return response


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read from the request, not the session: this must hold while the database is down.
        signed_in = (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
        )
        is_download = "attachment" in response.get("Content-Disposition", "")
        if signed_in or is_download or is_api(request):
            response["Cache-Control"] = NO_STORE
        return response
