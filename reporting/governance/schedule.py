"""The hourly beat entry that runs the governance reminder job."""

from core.schedules import ensure_periodic_task

TICK_TASK = "reporting.tasks.tick_governance_reminders"
TICK_NAME = "Send governance reminders"


def ensure_governance_schedule():
    """Created once after migrate; later admin edits are kept."""
    ensure_periodic_task(
        name=TICK_NAME,
        task=TICK_TASK,
        every=1,
        period="hours",
        description=(
            "Reminds owners of risks whose review date has passed and of steering group "
            "follow-up actions past their due date, once per address for each date."
        ),
    )
