"""Template filters for reporting's pages."""

from django import template

register = template.Library()


@register.filter
def person(user, fallback: str = "someone") -> str:
    """A user as people see them: their full name, else their username (``fallback`` if gone)."""
    if user is None:
        return fallback
    return user.get_full_name() or user.username
