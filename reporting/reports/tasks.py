"""The report job: build one queued report's PDF. Its registered name is pinned."""

from celery import shared_task
from django.conf import settings

from reporting.reports.building import build_report
from reporting.reports.sweep import fail_stuck_builds


@shared_task(
    name="reporting.tasks.build_report_pdf",
    bind=True,
    soft_time_limit=settings.REPORT_RENDER_TIME_LIMIT,
    time_limit=settings.REPORT_HARD_TIME_LIMIT,
)
def build_report_pdf(self, report_id: int) -> str:
    """Build one queued report's PDF; return its state (ready or failed). On a worker these
    time limits stop a render that runs too long (the soft one marks the report failed); run
    in-process, the render guards itself (reporting/pdf.py)."""
    return build_report(report_id, in_worker=not self.request.is_eager).state


@shared_task(name="reporting.tasks.fail_stuck_report_builds")
def fail_stuck_report_builds() -> int:
    """The beat job: fail every build older than its hard time limit (its worker died); return
    how many."""
    return len(fail_stuck_builds())
