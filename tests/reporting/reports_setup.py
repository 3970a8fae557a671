"""A small plan with two quarters of returns, shared by the dashboard, report and export tests.

Actions (Customs is ``agency``, Police ``other_agency``):

====  ====================  ===================  =======================  ====================
No.   lead (supporting)     tags                 Q2 2026 (accepted)       Q3 2026
====  ====================  ===================  =======================  ====================
1     Customs               Prevent × Border     at risk                  on track, submitted
2     Police (Customs)      Detect               at risk                  at risk, accepted
3     (no agency: parent)
3a    Customs and Police    Community; ended     Customs on track         Customs off track,
                            30 June 2026                                  Police on track
3b    Police                                                              draft (outstanding)
====  ====================  ===================  =======================  ====================
"""

import datetime
from dataclasses import dataclass

from actions.models import Action, ActionAgency, ActionPlan
from reporting.models import ReportingPeriod, StatusUpdate
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    ActionPlanFactory,
    FocusAreaFactory,
    PriorityAreaFactory,
    StrategyFactory,
)
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory

COORDINATING, SUPPORTING = ActionAgency.Role.COORDINATING, ActionAgency.Role.SUPPORTING
S = StatusUpdate.Status


@dataclass
class SmallPlan:
    plan: ActionPlan
    period: ReportingPeriod
    previous: ReportingPeriod
    actions: dict[str, Action]
    updates: dict[tuple[str, str, str], StatusUpdate]  # (number, agency slug, period code)


def reported(**fields) -> dict:
    return {
        "state": StatusUpdate.State.SUBMITTED,
        "submitted_at": datetime.datetime.now(datetime.UTC),
        **fields,
    }


def small_plan(customs, police) -> SmallPlan:
    strategy = StrategyFactory(slug="tsoc-test", title="TSOC Strategy (test)")
    prevent = PriorityAreaFactory(strategy=strategy, slug="prevent", name="Prevent", order=1)
    detect = PriorityAreaFactory(strategy=strategy, slug="detect", name="Detect", order=2)
    border = FocusAreaFactory(strategy=strategy, slug="border", name="Border", order=1)
    community = FocusAreaFactory(strategy=strategy, slug="community", name="Community", order=2)
    plan = ActionPlanFactory(
        strategy=strategy,
        slug="tsoc-test-plan",
        title="TSOC Action Plan (test)",
        short_title="TSOC test plan",
        start_date=datetime.date(2026, 1, 1),
    )
    previous = ReportingPeriodFactory(year=2026, quarter=2, state=ReportingPeriod.State.CLOSED)
    period = ReportingPeriodFactory(year=2026, quarter=3, state=ReportingPeriod.State.OPEN)

    actions = {
        "1": ActionFactory(plan=plan, number="1", title="Harden the border against cash smuggling"),
        "2": ActionFactory(plan=plan, number="2", title="Detect laundering through property"),
        "3": ActionFactory(plan=plan, number="3", title="Legislative amendments"),
    }
    actions["3a"] = ActionFactory(
        plan=plan, parent=actions["3"], number="3a", title="Maritime law", timeframe="Q1-Q2 2026"
    )
    actions["3b"] = ActionFactory(plan=plan, parent=actions["3"], number="3b", title="Search law")
    actions["1"].priority_areas.add(prevent)
    actions["1"].focus_areas.add(border)
    actions["2"].priority_areas.add(detect)
    actions["3a"].focus_areas.add(community)
    for number, agency, role in [
        ("1", customs, COORDINATING),
        ("2", police, COORDINATING),
        ("2", customs, SUPPORTING),
        ("3a", customs, COORDINATING),
        ("3a", police, COORDINATING),
        ("3b", police, COORDINATING),
    ]:
        ActionAgencyFactory(action=actions[number], agency=agency, role=role)

    accepted = {"state": StatusUpdate.State.ACCEPTED}
    rows = [
        ("1", customs, previous, {"status": S.AT_RISK, **accepted}),
        ("2", police, previous, {"status": S.AT_RISK, **accepted}),
        ("3a", customs, previous, {"status": S.ON_TRACK, **accepted}),
        ("1", customs, period, reported(status=S.ON_TRACK, commentary="Scanners installed.")),
        (
            "2",
            police,
            period,
            {"status": S.AT_RISK, "risks": "Funding is not confirmed.", **accepted},
        ),
        ("3a", customs, period, reported(status=S.OFF_TRACK, commentary="The bill is delayed.")),
        ("3a", police, period, reported(status=S.ON_TRACK)),
        ("3b", police, period, {"status": S.ON_TRACK, "state": StatusUpdate.State.DRAFT}),
    ]
    updates = {
        (number, agency.slug, when.code): StatusUpdateFactory(
            action=actions[number], agency=agency, period=when, **fields
        )
        for number, agency, when, fields in rows
    }
    return SmallPlan(plan, period, previous, actions, updates)
