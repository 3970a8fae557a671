"""The public pages' language switch.

The product's switch is a form (Django's ``set_language``, with a CSRF token), but the public pages
are cached whole and are the same for every reader of a language, so theirs is a pair of links:
each sets the same language cookie and goes back to the public page it came from. It can only go
back to a public page, and it changes nothing but the reader's own choice of language.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_safe


def public_page(path: str) -> str:
    """``path`` if it is one of the public pages, else the public index."""
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or match.namespace != "public" or not path.startswith("/"):
        return reverse("public:index")
    return path


@login_not_required
@require_safe
def choose_language(request, language: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404("The public pages are in English or te reo Māori.")
    response = HttpResponseRedirect(public_page(request.GET.get("next", "")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
