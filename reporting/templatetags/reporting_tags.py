"""Template filters for reporting's pages."""

from django import template

from reporting.statuses import NO_RETURN

register = template.Library()


@register.filter
def status_class(value) -> str:
    """The CSS class of a status or state (``status--<value>``); no value is “no return yet”."""
    return f"status--{value or NO_RETURN}"


@register.filter
def person(user, fallback: str = "someone") -> str:
    """A user as people see them: their full name, else their username (``fallback`` if gone)."""
    if user is None:
        return fallback
    return user.get_full_name() or user.username
