"""Template filters for pages and PDFs drawn from dashboard data (where dates are ISO text)."""

import datetime

from django import template
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def isodate(value: str | None, fmt: str = "j M Y") -> str:
    """“2026-09-30” (or an ISO date-time) as “30 Sep 2026”; blank stays blank."""
    if not value:
        return ""
    return format_date(datetime.datetime.fromisoformat(value), fmt)
