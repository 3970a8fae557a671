"""Write static/css/statuses.css from the status table in reporting/statuses.py."""

from django.core.management.base import BaseCommand

from reporting.status_stylesheet import STYLESHEET_PATH, status_stylesheet


class Command(BaseCommand):
    help = "Write static/css/statuses.css from the status table (run after changing a status)."

    def handle(self, *args, **options):
        STYLESHEET_PATH.write_text(status_stylesheet(), encoding="utf-8")
        self.stdout.write(f"Wrote {STYLESHEET_PATH}")
