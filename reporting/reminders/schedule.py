"""The hourly beat entry that runs the reminder job."""

from core.schedules import ensure_periodic_task

TICK_TASK = "reporting.tasks.tick_reminders"
TICK_NAME = "Send due reminders"


def ensure_reminder_schedule():
    """The hourly beat entry for the reminder job, created once; later admin edits are kept."""
    ensure_periodic_task(
        name=TICK_NAME,
        task=TICK_TASK,
        every=1,
        period="hours",
        description=(
            "Works out from the open reporting periods' dates which reminders are due and "
            "sends those not yet sent. Running it more or less often never repeats or skips "
            "a reminder."
        ),
    )
