"""An agency's name in English and, where it has one, its official Māori name beside it.

``{{ agency|bilingual_name }}`` (an ``Agency``, or a snapshot's ``{"name", "maori_name"}``):
“New Zealand Police – Ngā Pirihimana o Aotearoa”, English first as government pages put it,
the Māori name marked ``lang="mi"`` so screen readers and translation tools read it as te reo.
On a page in te reo Māori the English name is marked ``lang="en-NZ"`` in turn.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def _part(agency, key: str) -> str:
    return (agency.get(key, "") if isinstance(agency, dict) else getattr(agency, key, "")) or ""


@register.filter
def bilingual_name(agency) -> str:
    english, maori = _part(agency, "name"), _part(agency, "maori_name")
    if (get_language() or "").lower() == "mi":
        english = format_html('<span lang="en-NZ">{}</span>', english)
    if not maori:
        return format_html("{}", english)
    return format_html('{} – <span class="agency-name__mi" lang="mi">{}</span>', english, maori)
