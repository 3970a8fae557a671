from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_reminder_schedule(sender, **kwargs):
    from reporting.reminders.schedule import ensure_reminder_schedule

    ensure_reminder_schedule()


def _ensure_sweep_schedule(sender, **kwargs):
    from reporting.reports.schedule import ensure_sweep_schedule

    ensure_sweep_schedule()


def _grant_secretariat_admin(sender, **kwargs):
    from agencies.services import grant_secretariat_admin

    grant_secretariat_admin()


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Quarterly reporting"

    def ready(self):
        # After every migrate (and every test-database flush), the hourly reminder job is in
        # django-celery-beat's schedule; the secretariat can change it in the admin.
        post_migrate.connect(_ensure_reminder_schedule, sender=self)
        # And the sweep that fails report builds whose worker died.
        post_migrate.connect(_ensure_sweep_schedule, sender=self)
        # And the Secretariat group has its admin permissions, so an upgrade that adds a model
        # grants them too. This app migrates last, so every permission it needs exists by then.
        post_migrate.connect(_grant_secretariat_admin, sender=self)
