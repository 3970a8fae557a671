"""Marks beside facts the sources don't state: ``{% assumed obj "start_date" %}``."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def assumed(obj, field: str = ""):
    """“Assumption: <reason>” beside the fact, while the secretariat hasn't confirmed or
    corrected it; nothing otherwise. Reads ``obj.assumptions`` (prefetch it on lists)."""
    assumption = obj.assumption_for(field) if hasattr(obj, "assumption_for") else None
    if assumption is None:
        return ""
    return format_html(
        ' <span class="assumption"><strong>{}</strong> {}</span>',
        _("Assumption:"),
        assumption.reason,
    )
