"""A small programme to read and write through the API, and clients for each kind of caller.

Customs coordinates TSOC 1 (Police supports it); Police coordinates TSOC 2 as a whole, and
its one sub-action, 2a, jointly with Customs. Customs' return on TSOC 1 was accepted last
quarter and is a draft this quarter; Police has submitted its return on 2a and its supporting
input on TSOC 1. So this quarter TSOC 1 has no return (a draft and supporting input count for
nothing), 2a is at risk on Police's return, and TSOC 2 rolls up from 2a.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actions.models import ActionAgency
from agencies.tokens import ApiToken
from reporting.models import ReportingPeriod
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    ActionPlanFactory,
    FocusAreaFactory,
    PriorityAreaFactory,
    StrategyFactory,
    SuccessMeasureFactory,
)
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory

COORDINATING, SUPPORTING = ActionAgency.Role.COORDINATING, ActionAgency.Role.SUPPORTING


@pytest.fixture
def hidden_update(world, other_agency):
    """Police's draft on an action only Police coordinates: Customs' people can't see it."""
    action = ActionFactory(plan=world["plan"], number="9", title="Police only")
    ActionAgencyFactory(action=action, agency=other_agency, role=COORDINATING)
    return StatusUpdateFactory(
        action=action, period=world["current"], agency=other_agency, state="draft"
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """``api_as(user)``: a client signed in through the browser session (None: anonymous)."""

    def sign_in(user):
        api.logout()
        api.credentials()
        if user is not None:
            api.force_login(user)
        return api

    return sign_in


@pytest.fixture
def token_for(db):
    """``token_for(user, read_only=False)``: the key of a newly issued token."""

    def issue(user, *, read_only: bool = False) -> str:
        return ApiToken.objects.issue(user, name="Test client", read_only=read_only)[1]

    return issue


@pytest.fixture
def api_with_token(api, token_for):
    """``api_with_token(user, read_only=False)``: a client sending a token acting as ``user``."""

    def client(user, **kwargs):
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, **kwargs)}")
        return api

    return client


@pytest.fixture
def world(agency, other_agency):
    """The programme described in the module docstring, as a dict of its parts."""
    strategy = StrategyFactory(slug="tsoc")
    prevent = PriorityAreaFactory(strategy=strategy, slug="prevent", name="Prevent")
    border = FocusAreaFactory(strategy=strategy, slug="border", name="Border")
    plan = ActionPlanFactory(strategy=strategy, slug="tsoc-plan", code="TSOC")
    one = ActionFactory(plan=plan, number="1", title="Cash wages in high-risk sectors")
    one.priority_areas.add(prevent)
    one.focus_areas.add(border)
    ActionAgencyFactory(action=one, agency=agency, role=COORDINATING, order=1)
    ActionAgencyFactory(action=one, agency=other_agency, role=SUPPORTING, order=2)
    SuccessMeasureFactory(action=one, statement="Fewer cash wages.", indicator="Audits", order=1)
    two = ActionFactory(plan=plan, number="2", title="Disrupt drug supply at the border")
    ActionAgencyFactory(action=two, agency=other_agency, role=COORDINATING)
    two_a = ActionFactory(plan=plan, number="2a", parent=two, title="Scan more containers")
    ActionAgencyFactory(action=two_a, agency=agency, role=COORDINATING, order=1)
    ActionAgencyFactory(action=two_a, agency=other_agency, role=COORDINATING, order=2)

    previous = ReportingPeriodFactory(year=2026, quarter=2, state=ReportingPeriod.State.CLOSED)
    today, days = timezone.localdate(), datetime.timedelta
    current = ReportingPeriodFactory(
        year=2026,
        quarter=3,
        state=ReportingPeriod.State.OPEN,
        opens_on=today - days(30),
        due_on=today + days(10),
        closes_on=today + days(40),
    )
    accepted = StatusUpdateFactory(
        action=one, period=previous, agency=agency, state="accepted", status="on_track"
    )
    draft = StatusUpdateFactory(
        action=one, period=current, agency=agency, state="draft", status="off_track"
    )
    submitted = StatusUpdateFactory(
        action=two_a, period=current, agency=other_agency, state="submitted", status="at_risk"
    )
    supporting = StatusUpdateFactory(
        action=one, period=current, agency=other_agency, state="submitted", status="complete"
    )
    return {
        "plan": plan,
        "one": one,
        "two": two,
        "two_a": two_a,
        "previous": previous,
        "current": current,
        "accepted": accepted,
        "draft": draft,
        "submitted": submitted,
        "supporting": supporting,
        "prevent": prevent,
        "border": border,
    }
