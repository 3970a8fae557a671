"""Import a plan's actions from a spreadsheet in the plan template (CSV UTF-8 or XLSX)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actions.services import PlanImportError, import_plan_file
from actions.services.plan_template import COLUMNS


class Command(BaseCommand):
    help = (
        "Import actions from a CSV (UTF-8) or XLSX file into a plan, creating the plan if it "
        "doesn't exist. Columns: " + ", ".join(COLUMNS) + ". Actions are matched by number; a "
        "file with any problem is reported row by row and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file")
        parser.add_argument("--plan", required=True, help="Slug of the plan to import into")
        parser.add_argument(
            "--strategy",
            help="Slug of the strategy a new plan belongs to (default: the most recent one)",
        )

    def handle(self, *args, file, plan, strategy, **options):
        try:
            result = import_plan_file(file, plan_slug=plan, strategy_slug=strategy)
        except PlanImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{file.name} was not imported ({count} problem{'s' if count != 1 else ''}); "
                "nothing was changed."
            ) from None
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(str(result)))
        if result.plan_created:
            self.stdout.write(
                "The new plan has a placeholder title, code and dates: complete them in the admin."
            )
