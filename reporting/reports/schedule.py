"""The beat entry that runs the sweep of stuck report builds (reporting/reports/sweep.py)."""

SWEEP_TASK = "reporting.tasks.fail_stuck_report_builds"
SWEEP_NAME = "Fail stuck report builds"
SWEEP_EVERY_MINUTES = 5


def ensure_sweep_schedule():
    """The five-minutely beat entry for the sweep, created once; later admin edits are kept."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.filter(name=SWEEP_NAME).exists():
        return
    every, _ = IntervalSchedule.objects.get_or_create(
        every=SWEEP_EVERY_MINUTES, period=IntervalSchedule.MINUTES
    )
    PeriodicTask.objects.get_or_create(
        name=SWEEP_NAME,
        defaults={
            "task": SWEEP_TASK,
            "interval": every,
            "description": (
                "Marks failed, with the reason, any progress report still being built after "
                "the build's hard time limit (its worker died), so its page offers Try again."
            ),
        },
    )
