"""The hourly beat entry that runs the reminder job."""

TICK_TASK = "reporting.tasks.tick_reminders"


TICK_NAME = "Send due reminders"


def ensure_reminder_schedule():
    """The hourly beat entry for the reminder job, created once; later admin edits are kept."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.filter(name=TICK_NAME).exists():
        return
    hourly = IntervalSchedule.objects.filter(every=1, period=IntervalSchedule.HOURS).first()
    hourly = hourly or IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.get_or_create(
        name=TICK_NAME,
        defaults={
            "task": TICK_TASK,
            "interval": hourly,
            "description": (
                "Works out from the open reporting periods' dates which reminders are due and "
                "sends those not yet sent. Running it more or less often never repeats or skips "
                "a reminder."
            ),
        },
    )
