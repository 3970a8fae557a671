"""``post_only``: a form's POST-only address answers a GET (a reload, a bookmark, a link
followed) with a page that says where the form is, instead of a blank 405."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def post_only(form_page: Callable[..., str], what: str):
    """Decorate a view that only takes a form's POST. ``form_page(**view_kwargs)`` is the
    address of the page holding the form; ``what`` says what the form does ("ask for a report")."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            response = render(
                request,
                "405.html",
                {"form_page": form_page(**kwargs), "what": what, "page_title": _("Use the form")},
                status=405,
            )
            response["Allow"] = "POST"
            return response

        return wrapped

    return decorator
