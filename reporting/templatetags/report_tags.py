"""Template filters for pages and PDFs drawn from dashboard data (where dates are ISO text)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def isodate(value: str | None, fmt: str = "j M Y") -> str:
    """“2026-09-30” (or an ISO date-time, in local time) as “30 Sep 2026”; blank stays blank."""
    if not value:
        return ""
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return format_date(moment, fmt)


@register.filter
def index(sequence, position: int):
    """``items|index:n``: the nth item (for lists kept in step with another)."""
    return sequence[position]
