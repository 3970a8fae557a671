"""Send the reminders due now, by hand: the same job Celery beat runs every hour."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from actions.timeframes import QuarterNameError
from reporting.models import ReminderLog, ReportingPeriod
from reporting.reminders.compose import due_reminders
from reporting.reminders.tasks import queue_due_reminders


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--date {text!r}: give a date as YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Send the reminders and escalations due today for the open reporting periods (or one "
        "period), exactly as the hourly schedule does. A reminder already sent is never sent "
        "again, so running this twice is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            metavar="QUARTER",
            help="Only this period: “Q1 2026/27”, “2026/27-Q1”, or its code “2026-Q3”.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what is due and whether it has been sent, and send nothing.",
        )
        parser.add_argument(
            "--date",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help="Work out what is due as if today were this date (default: today in NZ).",
        )

    def handle(self, *args, period, dry_run, date, **options):
        periods = None
        if period:
            try:
                periods = [ReportingPeriod.objects.by_name(period).get()]
            except QuarterNameError as error:
                raise CommandError(f"--period: {error}") from None
            except ReportingPeriod.DoesNotExist:
                raise CommandError(f"There is no reporting period {period}.") from None
            if not periods[0].is_open:
                self.stdout.write(
                    f"{periods[0].label} is not open for returns: no reminders are due."
                )
                return

        if dry_run:
            drafts = due_reminders(today=date, periods=periods)
            for draft in drafts:
                done = "already sent" if draft.already_claimed() else "would send"
                self.stdout.write(f"{done}: {self._describe(draft)}")
            self.stdout.write(self.style.SUCCESS(f"Dry run: {len(drafts)} due, nothing sent."))
            return

        results = queue_due_reminders(today=date, periods=periods)
        for draft, log in results:
            self.stdout.write(f"{self._outcome(log)}: {self._describe(draft)}")
        claimed = sum(log is not None for _, log in results)
        self.stdout.write(
            self.style.SUCCESS(f"{claimed} new reminders; {len(results) - claimed} sent before.")
        )

    @staticmethod
    def _outcome(log: ReminderLog | None) -> str:
        if log is None:
            return "already sent"
        log.refresh_from_db()
        if log.status == ReminderLog.Status.PENDING:
            return f"not sent yet, will retry ({log.last_error})" if log.last_error else "queued"
        if log.status == ReminderLog.Status.FAILED:
            return f"failed ({log.last_error})"
        return "sent"

    @staticmethod
    def _describe(draft) -> str:
        step = draft.step
        return (
            f"{draft.period.label} {step.kind.label}"
            f"{f' (repeat {step.occurrence - 1})' if step.occurrence > 1 else ''}"
            f" to {draft.recipient.email}, {draft.action_count} actions"
        )
