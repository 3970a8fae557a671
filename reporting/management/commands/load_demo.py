"""Create demo accounts and two quarters of sample returns (for make run, never production)."""

from django.core.management.base import BaseCommand, CommandError

from reporting.demo import (
    DEMO_PASSWORD,
    create_demo_accounts,
    create_demo_returns,
    demo_plan_exists,
)


class Command(BaseCommand):
    help = "Create demo accounts for every role and two quarters of sample (demonstration) returns."

    def handle(self, *args, **options):
        if not demo_plan_exists():
            raise CommandError("Load the seed plans first: python manage.py load_plans")
        accounts = create_demo_accounts()
        period, created = create_demo_returns()
        self.stdout.write(f"Sample returns: {created} created; {period.label} is open for returns.")
        self.stdout.write(self.style.SUCCESS(f"Demo sign-in (password for all: {DEMO_PASSWORD}):"))
        for username, description in accounts:
            self.stdout.write(f"  {username:<20} {description}")
