"""Load the published strategies and action plans, their agencies and reporting periods."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.services import SeedError, load_plan_file, seed_plan_files
from agencies.roles import ensure_role_groups
from agencies.services import load_agencies
from reporting.models import ReportingPeriod


class Command(BaseCommand):
    help = (
        "Load the shipped TNOC 2020–2025 and TSOC strategies and action plans (or the given "
        "seed files), with their agencies and the reporting periods each plan spans. Safe to "
        "run again: what exists is left alone unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", type=Path, help="Seed YAML files (default: all shipped)"
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Bring existing records back to the seed files' text.",
        )

    def handle(self, *args, files, update, **options):
        try:
            with transaction.atomic():
                ensure_role_groups()
                agencies_created = load_agencies()
                created = updated = 0
                for path in files or seed_plan_files():
                    result = load_plan_file(path, update=update)
                    created += result.created
                    updated += result.updated
                    for plan in result.plans:
                        periods = ReportingPeriod.objects.spanning(plan.start_date, plan.end_date)
                        self.stdout.write(
                            f"{plan.short_title}: {plan.shape_summary()}, "
                            f"{len(periods)} reporting periods"
                        )
        except (SeedError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded: {agencies_created} agencies and {created} plan records created, "
                f"{updated} updated."
            )
        )
