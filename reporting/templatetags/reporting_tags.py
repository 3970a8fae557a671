"""Template filters for reporting's pages."""

from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from reporting.statuses import NO_RETURN

register = template.Library()


@register.filter
def status_class(value) -> str:
    """The CSS class of a status or state (``status--<value>``); no value is “no return yet”."""
    return f"status--{value or NO_RETURN}"


@register.filter
def person(user, fallback: str | None = None) -> str:
    """A user as people see them: their full name, else their username (``fallback`` if gone)."""
    if user is None:
        return _("someone") if fallback is None else fallback
    return user.get_full_name() or user.username


@register.filter
def and_list(items, attribute: str = "") -> str:
    """The items (or each one's ``attribute``) as a sentence lists them: “A, B and C”."""
    words = [str(getattr(item, attribute) if attribute else item) for item in items or ()]
    return get_text_list(words, _("and"))
