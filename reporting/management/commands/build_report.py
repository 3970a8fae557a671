"""Build a PDF progress report from the shell, as the browser does, and write it to a file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actions.models import ActionPlan
from actions.timeframes import QuarterNameError
from core.markings import within_ceiling
from reporting.models import ProtectiveMarking, Report, ReportingPeriod
from reporting.reports.building import build_report


class Command(BaseCommand):
    help = (
        "Build a progress report (kept with the others in the browser) and write its PDF: "
        "build_report --plan SLUG --period 'Q1 2026/27' --audience cabinet --output report.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's slug.")
        parser.add_argument(
            "--period",
            required=True,
            help="The quarter: “Q1 2026/27”, “2026/27-Q1”, or its code “2026-Q3”.",
        )
        parser.add_argument("--audience", required=True, choices=Report.Audience.values)
        parser.add_argument("--output", required=True, type=Path, help="Where to write the PDF.")
        parser.add_argument("--variant", choices=Report.Variant.values, default=Report.Variant.FULL)
        parser.add_argument(
            "--marking",
            choices=ProtectiveMarking.values,
            default=ProtectiveMarking.IN_CONFIDENCE,
            help="The lowest protective marking to print (ignored for the public variant).",
        )

    def handle(self, *args, **options):
        try:
            within_ceiling(options["marking"])
        except ValidationError as error:
            raise CommandError(f"--marking: {error.messages[0]}") from None
        try:
            plan = ActionPlan.objects.get(slug=options["plan"])
        except ActionPlan.DoesNotExist:
            known = ", ".join(ActionPlan.objects.values_list("slug", flat=True))
            raise CommandError(f"No plan {options['plan']!r}. Plans: {known}") from None
        try:
            period = ReportingPeriod.objects.by_name(options["period"]).get()
        except QuarterNameError as error:
            raise CommandError(f"--period: {error}") from None
        except ReportingPeriod.DoesNotExist:
            raise CommandError(f"No reporting period {options['period']!r}.") from None
        report = build_report(
            Report.objects.create(
                plan=plan,
                period=period,
                audience=options["audience"],
                variant=options["variant"],
                chosen_marking=options["marking"],
            ).pk
        )
        if report.state != Report.State.READY:
            raise CommandError(f"Report {report.pk} failed: {report.error}")
        with report.file.open("rb") as pdf:
            options["output"].write_bytes(pdf.read())
        marking = report.marking or "no protective marking (public version)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {options['output']}: {report.title}, {period.label}, "
                f"{report.page_count} pages, {marking} (report {report.pk})."
            )
        )
