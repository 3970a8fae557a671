from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_reminder_schedule(sender, **kwargs):
    from .reminders import ensure_reminder_schedule

    ensure_reminder_schedule()


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Quarterly reporting"

    def ready(self):
        # After every migrate (and every test-database flush), the hourly reminder job is in
        # django-celery-beat's schedule; the secretariat can change it in the admin.
        post_migrate.connect(_ensure_reminder_schedule, sender=self)
