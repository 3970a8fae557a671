"""The beat entry that runs the sweep of stuck report builds (reporting/reports/sweep.py)."""

from core.schedules import ensure_periodic_task

SWEEP_TASK = "reporting.tasks.fail_stuck_report_builds"
SWEEP_NAME = "Fail stuck report builds"
SWEEP_EVERY_MINUTES = 5


def ensure_sweep_schedule():
    """The five-minutely beat entry for the sweep, created once; later admin edits are kept."""
    ensure_periodic_task(
        name=SWEEP_NAME,
        task=SWEEP_TASK,
        every=SWEEP_EVERY_MINUTES,
        period="minutes",
        description=(
            "Marks failed, with the reason, any progress report still being built after "
            "the build's hard time limit (its worker died), so its page offers Try again."
        ),
    )
