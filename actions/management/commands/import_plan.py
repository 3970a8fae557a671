"""Import a plan's actions from a spreadsheet in the plan template (CSV UTF-8 or XLSX)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from actions.services import PlanChanges, PlanImportError, import_plan_file, preview_plan_file
from actions.services.plan_template import COLUMNS


class Command(BaseCommand):
    help = (
        "Import actions from a CSV (UTF-8) or XLSX file into a plan, creating the plan if it "
        "doesn't exist. Columns: " + ", ".join(COLUMNS) + ". Actions are matched by number; a "
        "file with any problem is reported row by row and nothing is written. With --dry-run, "
        "says what the import would change, cell by cell, and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file")
        parser.add_argument("--plan", required=True, help="Slug of the plan to import into")
        parser.add_argument(
            "--strategy",
            help="Slug of the strategy a new plan belongs to (default: the most recent one)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would change (added, changed with before and after, unchanged); "
            "write nothing",
        )
        parser.add_argument(
            "--by", metavar="USERNAME", help="Whom the plan's history names as making the change"
        )

    def handle(self, *args, file, plan, strategy, dry_run, by, **options):
        user = self._user(by)
        try:
            if dry_run:
                changes = preview_plan_file(file, plan_slug=plan, strategy_slug=strategy)
            else:
                result = import_plan_file(file, plan_slug=plan, strategy_slug=strategy, by=user)
                changes = result.changes
        except PlanImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{file.name} was not imported ({count} problem{'s' if count != 1 else ''}); "
                "nothing was changed."
            ) from None
        for warning in changes.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if dry_run:
            self._describe(changes)
            self.stdout.write(f"Would change {plan}: {changes} Nothing was changed (--dry-run).")
            return
        self.stdout.write(self.style.SUCCESS(str(result)))
        if result.plan_created:
            self.stdout.write(
                "The new plan has a placeholder title, code and dates: complete them in the admin."
            )

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--by: no active user “{username}”")
        return user

    def _describe(self, changes: PlanChanges) -> None:
        for heading, actions in (("Added", changes.added), ("Changed", changes.changed)):
            for action in actions:
                where = f" (row {action.row})" if action.row else ""
                self.stdout.write(f"{heading} {action.number}{where}: {action.title}")
                for cell in action.cells:
                    if heading == "Added":
                        self.stdout.write(f"  {cell.label}: {cell.after}")
                    else:
                        self.stdout.write(f"  {cell.label}: {cell.before!r} → {cell.after!r}")
