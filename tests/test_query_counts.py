"""Every page and API list costs the same number of SQL queries however big the programme grows.

Each test requests a page once to warm the session and role caches, counts the queries of the
second request, grows the programme four-fold (more actions, their agencies, measures, sub-actions
and returns), and counts again. Counts only: timings live in the benchmark suite (``make bench``,
docs/benchmarks.md). The plan page and the dashboard's data set have their own tests
(tests/actions/test_plan_pages.py, tests/reporting/test_dashboard.py).
"""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionAgency
from reporting.models import ReportingPeriod, StatusUpdate
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    ActionGroupFactory,
    ActionPlanFactory,
    FocusAreaFactory,
    PriorityAreaFactory,
    SuccessMeasureFactory,
)
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory
from tests.reporting.scenes import open_period

COORDINATING, SUPPORTING = ActionAgency.Role.COORDINATING, ActionAgency.Role.SUPPORTING


@pytest.fixture
def programme(agency, other_agency):
    """A plan whose actions ``agency`` leads and ``other_agency`` supports, with last quarter's
    returns accepted and this (overdue) quarter's half submitted; ``grow(n)`` adds n actions."""
    plan = ActionPlanFactory(slug="tsoc", code="TSOC")
    group = ActionGroupFactory(plan=plan)
    priority = PriorityAreaFactory(strategy=plan.strategy)
    focus = FocusAreaFactory(strategy=plan.strategy)
    previous = ReportingPeriodFactory(year=2026, quarter=2, state=ReportingPeriod.State.CLOSED)
    current = open_period(due_in_days=-3)

    def grow(count: int) -> None:
        first = plan.actions.count() + 1
        for n in range(first, first + count):
            action = ActionFactory(plan=plan, group=group, number=str(n))
            sub_action = ActionFactory(plan=plan, group=group, number=f"{n}a", parent=action)
            action.priority_areas.add(priority)
            action.focus_areas.add(focus)
            SuccessMeasureFactory(action=action, indicator="Seizures", unit="count", target=10)
            for item in (action, sub_action):
                ActionAgencyFactory(action=item, agency=agency, role=COORDINATING)
                ActionAgencyFactory(action=item, agency=other_agency, role=SUPPORTING)
                StatusUpdateFactory(
                    action=item, agency=agency, period=previous, state=StatusUpdate.State.ACCEPTED
                )
                if n % 2:
                    StatusUpdateFactory(
                        action=item,
                        agency=agency,
                        period=current,
                        state=StatusUpdate.State.SUBMITTED,
                        risks="Funding is not yet confirmed.",
                    )

    grow(3)
    return SimpleNamespace(plan=plan, period=current, grow=grow)


# Who reads each page, and where it is.
PAGES = {
    "my actions": ("lead", lambda p: reverse("reporting:my_actions")),
    "action page": (
        "lead",
        lambda p: reverse("actions:action_detail", kwargs={"plan": p.plan.slug, "number": "1"}),
    ),
    "period review": (
        "secretariat_user",
        lambda p: reverse("reporting:period_detail", kwargs={"code": p.period.code}),
    ),
    "dashboard": (
        "secretariat_user",
        lambda p: reverse("reporting:dashboard", kwargs={"plan": p.plan.slug}),
    ),
    "dashboard for an agency lead": (
        "lead",
        lambda p: reverse("reporting:dashboard", kwargs={"plan": p.plan.slug}),
    ),
    "API action list": ("secretariat_user", lambda p: reverse("actions-list")),
    "API action list for an agency lead": ("lead", lambda p: reverse("actions-list")),
    "API status-update list": ("secretariat_user", lambda p: reverse("status-updates-list")),
}


def queries_for(client, url: str) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_queries_per_request_do_not_grow_with_the_programme(page, programme, client_for, request):
    role, url = PAGES[page]
    client = client_for(request.getfixturevalue(role))
    with_few_actions = queries_for(client, url(programme))

    programme.grow(9)

    assert queries_for(client, url(programme)) == with_few_actions


# The pages that list returns a page at a time, and the module holding each page's size.
PAGED = {
    "my actions": "reporting.returns.views",
    "period review": "reporting.periods.views",
}


@pytest.mark.parametrize("page", PAGED)
def test_paged_lists_build_only_the_page_shown(page, programme, client_for, request, monkeypatch):
    """However many returns there are, the page builds a page of them: the counts come from the
    database."""
    from reporting.returns import obligations

    built = []

    class Counted(obligations.Return):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            built.append(self)

    monkeypatch.setattr(importlib.import_module(PAGED[page]), "RETURNS_PER_PAGE", 2)
    monkeypatch.setattr(obligations, "Return", Counted)
    role, url = PAGES[page]
    programme.grow(9)
    response = client_for(request.getfixturevalue(role)).get(url(programme))

    assert response.status_code == 200
    assert len(built) == len(response.context["returns"]) == 2
