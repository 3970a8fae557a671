"""Governance records on ``small_plan`` (reports_setup.py), shared by the permission tests.

- Risk R (``risk``): owned by Customs, linked to TSOC 1, raised from Customs' Q3 return on 1
  (whose risks text is set here).
- A meeting on 1 August 2026 with one decision and a follow-up owned by Customs
  (``follow_up``), due 1 September 2026.
- TSOC 3b depends on TSOC 1 (``dependency``).
"""

import datetime

from reporting.models import ActionDependency, Decision, FollowUp, Meeting, Risk, StatusUpdate


def governance_records(setup, customs) -> dict:
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    StatusUpdate.objects.filter(pk=u1.pk).update(risks="Couriers move to smaller ports.")
    u1.refresh_from_db()
    risk = Risk.objects.create(
        plan=setup.plan,
        title="Couriers move to smaller ports",
        owner_agency=customs,
        likelihood=4,
        consequence_rating=4,
        residual_likelihood=2,
        residual_consequence=3,
        review_on=datetime.date(2026, 9, 30),
        source_update=u1,
    )
    risk.actions.add(setup.actions["1"])
    meeting = Meeting.objects.create(plan=setup.plan, held_on=datetime.date(2026, 8, 1))
    decision = Decision.objects.create(
        meeting=meeting, text="Customs reviews the ports.", decided_on=meeting.held_on
    )
    follow_up = FollowUp.objects.create(
        meeting=meeting,
        decision=decision,
        what="Report on the ports review.",
        owner_agency=customs,
        due_on=datetime.date(2026, 9, 1),
    )
    dependency = ActionDependency.objects.create(
        action=setup.actions["3b"], depends_on=setup.actions["1"]
    )
    return {
        "risk": risk.pk,
        "meeting": meeting.pk,
        "follow_up": follow_up.pk,
        "dependency": dependency.pk,
    }
