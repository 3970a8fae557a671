"""Load the shipped "depends on" links between actions (after load_plans)."""

from django.core.management.base import BaseCommand, CommandError

from reporting.governance.seed import DependencySeedError, load_dependencies


class Command(BaseCommand):
    help = "Load the shipped dependencies between actions. Safe to run again."

    def handle(self, *args, **options):
        try:
            created = load_dependencies()
        except DependencySeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{created} dependencies created.")
