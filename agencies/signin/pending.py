"""A sign-in half done: the password was right, the second factor is still to come. The person
is not signed in until it is; the session only remembers who they are, for a few minutes."""

import time

from django.contrib.auth import get_user_model, login

PENDING = "signin.pending"
MINUTES_TO_FINISH = 10


def begin(request, user, next_url: str) -> None:
    request.session.cycle_key()  # a new session id once the password is known to be right
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "until": time.time() + MINUTES_TO_FINISH * 60,
    }


def person(request):
    """Who is half signed in on this session, or None."""
    pending = request.session.get(PENDING)
    if not pending or pending["until"] < time.time():
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def finish(request, user) -> str:
    """Sign the person in; returns where they were going."""
    pending = request.session.pop(PENDING)
    login(request, user, backend=pending["backend"])
    return pending["next"]
