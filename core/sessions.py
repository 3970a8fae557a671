"""When a signed-in session expires, so pages can warn before it does and let a person stay.

``SessionExpiryMiddleware`` notes in the session, whenever it is saved (which is what moves its
expiry on), the moment it now expires; ``session_status`` answers a page's script with the
seconds left (GET) and, on POST, keeps the person signed in for another ``SESSION_COOKIE_AGE``;
``session_expiry`` (a context processor) puts the seconds left on every signed-in page.
"""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

EXPIRES_AT = "session_expires_at"  # seconds since the epoch (readable by templates)


class SessionExpiryMiddleware:
    """Sits below ``SessionMiddleware``, so it sees a response before the session is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        user = getattr(request, "user", None)
        # A session from before this was noted is saved once, with the moment noted from now.
        unknown = EXPIRES_AT not in session and user is not None and user.is_authenticated
        if session.modified or unknown:
            session[EXPIRES_AT] = int(time.time()) + session.get_expiry_age()
        return response


@login_not_required
@require_http_methods(["GET", "POST"])
def session_status(request):
    """``{"signed_in": bool, "seconds_left": int}``; a POST from a signed-in person renews it."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    if request.method == "POST":
        request.session.modified = True  # saved with a fresh expiry (and EXPIRES_AT, above)
        expires_at = int(time.time()) + request.session.get_expiry_age()
    else:
        expires_at = _expires_at(request.session)
    return JsonResponse({"signed_in": True, "seconds_left": max(0, expires_at - int(time.time()))})


def session_expiry(request) -> dict:
    """For the page's warning: how long the signed-in session has left, and how long before
    the end to warn (nothing when it isn't known)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return {}
    expires_at = _expires_at(session)
    return {
        "session_seconds_left": max(0, expires_at - int(time.time())),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }


def _expires_at(session) -> int:
    """When the session expires; if not yet noted, the moment the middleware is about to note."""
    return session.get(EXPIRES_AT) or int(time.time()) + session.get_expiry_age()
