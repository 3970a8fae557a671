from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_reminder_schedule(sender, **kwargs):
    from reporting.reminders.schedule import ensure_reminder_schedule

    ensure_reminder_schedule()


def _ensure_sweep_schedule(sender, **kwargs):
    from reporting.reports.schedule import ensure_sweep_schedule

    ensure_sweep_schedule()


def _ensure_governance_schedule(sender, **kwargs):
    from reporting.governance.schedule import ensure_governance_schedule

    ensure_governance_schedule()


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Quarterly reporting"
    # What the secretariat's admin pages offer: periods kept; returns, reminders sent and
    # reports built read; withheld text changed or released; the reminder schedule (in
    # django-celery-beat) changed or paused.
    secretariat_permissions = (
        "reporting.add_reportingperiod",
        "reporting.change_reportingperiod",
        "reporting.view_reportingperiod",
        "reporting.view_statusupdate",
        "reporting.view_reminderlog",
        "reporting.view_report",
        "reporting.change_withholding",
        "reporting.delete_withholding",
        "reporting.view_withholding",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.view_periodictask",
    )

    def ready(self):
        # After every migrate (and every test-database flush), the hourly reminder job is in
        # django-celery-beat's schedule; the secretariat can change it in the admin.
        post_migrate.connect(_ensure_reminder_schedule, sender=self)
        # The action page (``actions``, which can't know about reporting) ends with this
        # quarter's returns, the updates timeline and the audit trail.
        from actions.views import action_page_sections

        from .action_page import action_reporting

        if action_reporting not in action_page_sections:
            action_page_sections.append(action_reporting)
        # A plan export is marked at least as high as the withheld text it prints in full.
        from actions.services.exports import plan_marking_sources

        from .models.reports import withheld_text_marking

        if withheld_text_marking not in plan_marking_sources:
            plan_marking_sources.append(withheld_text_marking)
        # And its governance: dependencies on and of the action, its risks.
        from .governance.action_page import action_governance

        if action_governance not in action_page_sections:
            action_page_sections.append(action_governance)
        post_migrate.connect(_ensure_governance_schedule, sender=self)
        # Reviews email the agency: the reminders room answers the returns room's signal.
        from .reminders import tasks  # noqa: F401  (connects notify_review)

        # What search looks through (each kind registers itself).
        from .search import kinds  # noqa: F401

        # And the sweep that fails report builds whose worker died.
        post_migrate.connect(_ensure_sweep_schedule, sender=self)
        # Cached plan pages are retired by saves and deletes of what they show.
        from . import page_cache_signals

        page_cache_signals.connect()
        # So are the API's list counts, by any write of a row they could count.
        from core import counts

        from .models.updates import update_written

        counts.connect(update_written)
