"""Export a plan to the plan template, as CSV (UTF-8) or XLSX, for import_plan to read back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actions.models import ActionPlan
from actions.services import EXPORT_FORMATS, export_plan


class Command(BaseCommand):
    help = "Export a plan's actions to a .csv or .xlsx file in the template import_plan reads."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Slug of the plan to export")
        parser.add_argument(
            "--output", required=True, type=Path, help="The file to write: FILE.csv or FILE.xlsx"
        )

    def handle(self, *args, plan, output, **options):
        file_format = output.suffix.lower().lstrip(".")
        if file_format not in EXPORT_FORMATS:
            raise CommandError(f"--output must end in .csv or .xlsx, not “{output.suffix}”")
        found = ActionPlan.objects.filter(slug=plan).first()
        if found is None:
            known = ", ".join(ActionPlan.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No plan “{plan}” (known: {known})")
        try:
            export_plan(found, output, format=file_format)
        except OSError as error:
            raise CommandError(f"Can't write {output}: {error.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {found.shape_summary()} of {found.slug} to {output}")
        )
