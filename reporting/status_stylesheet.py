"""The status stylesheet, ``static/css/statuses.css``, written from the status table.

Pages (``templates/base.html``) and PDFs (``reporting/reports/pdf/base.html``) both link it.
It is a static file, not a view, because PDFs load only the project's static files
(``reporting.reports.rendering.StaticFilesOnly``). ``python manage.py write_status_css`` writes
it; a test fails when the committed file differs from what the table gives.
"""

from pathlib import Path

from django.conf import settings

from reporting.statuses import STATUSES

STYLESHEET_PATH = Path(settings.BASE_DIR) / "static" / "css" / "statuses.css"


def status_stylesheet() -> str:
    """Each status's colour, and the shape PDFs print before its word (``.pdf`` is the PDF
    template's ``<html>`` class; pages draw a dot in the same colour instead)."""
    lines = [
        "/* Written by `python manage.py write_status_css` from reporting/statuses.py: edit the",
        "   table there, not this file. Pages and PDFs both link it. */",
    ]
    lines += [f".{s.css_class} {{ color: {s.text_colour}; }}" for s in STATUSES.values()]
    lines += [
        f'.pdf .{s.css_class}::before {{ content: "{s.print_mark}"; }}' for s in STATUSES.values()
    ]
    return "\n".join(lines) + "\n"
