"""The Cabinet report stays short at any size of plan: it counts every line by status and lists
at most a few of each kind of exception, saying how many more there are and where they are (the
status table that comes with the report); the PDF is as long for 40 actions as for 400."""

import datetime
import io

import pytest
from pypdf import PdfReader

from actions.models import ActionAgency
from reporting.models import Report, ReportingPeriod, StatusUpdate
from reporting.reports import building, documents
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db
S = StatusUpdate.Status
# Each action's return this quarter, in turn; None is no return yet.
CYCLE = [S.OFF_TRACK, S.AT_RISK, None, S.ON_TRACK]


def plan_of(size: int, agency, period, slug: str):
    """A plan of ``size`` actions led by ``agency``, whose returns go off track, at risk, missing
    and on track in turn, every other one (the off-track and missing ones) past the end of its
    timeframe."""
    plan = ActionPlanFactory(slug=slug, title=f"Plan of {size}", short_title=f"Plan {size}")
    for n in range(1, size + 1):
        action = ActionFactory(
            plan=plan,
            number=str(n),
            title=f"Action {n} of the plan, with a title as long as a real one often is",
            timeframe="Q1-Q2 2026" if n % 2 else "",
        )
        ActionAgencyFactory(action=action, agency=agency, role=ActionAgency.Role.COORDINATING)
        status = CYCLE[(n - 1) % len(CYCLE)]
        if status:
            StatusUpdateFactory(
                action=action,
                agency=agency,
                period=period,
                status=status,
                state=StatusUpdate.State.SUBMITTED,
                submitted_at=datetime.datetime.now(datetime.UTC),
                commentary=f"Return on action {n}: " + "what was done this quarter. " * 12,
            )
    return plan


def cabinet_report(plan, period) -> list[str]:
    report = Report.objects.create(plan=plan, period=period, audience="cabinet")
    built = building.build_report(report.pk, in_worker=True)
    with built.file.open("rb") as stored:
        return [page.extract_text() for page in PdfReader(io.BytesIO(stored.read())).pages]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_cabinet_report_is_as_long_for_a_plan_ten_times_the_size(agency):
    period = ReportingPeriodFactory(year=2026, quarter=3, state=ReportingPeriod.State.OPEN)
    small = cabinet_report(plan_of(40, agency, period, "small"), period)
    large = cabinet_report(plan_of(400, agency, period, "large"), period)

    assert len(large) == len(small)
    text = " ".join(" ".join(large).split())
    listed = documents.EXCEPTIONS_LISTED
    for kind in ("Off track", "At risk", "No return yet"):
        assert f"{kind}: 100 lines" in text
    assert "Past the end of their timeframe, not finished: 200 lines" in text
    assert (
        f"The first {listed} of the 100; the other {100 - listed} are in the status table" in text
    )
    assert (
        f"The first {listed} of the 200; the other {200 - listed} are in the status table" in text
    )
    # At risk, off track, and the lines with no return that are past their end: each once.
    assert "300 of the 400 reportable lines are at risk, off track or past the end" in text
    assert "status table that comes with this report (a Word document" in text
    assert "Action 400 of the plan" not in text  # on track: counted, not listed
