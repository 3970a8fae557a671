"""The plan page: every action, in the plan's groups and order, in a fixed number of queries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, ActionAgency, ActionPlan
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    ActionGroupFactory,
    ActionPlanFactory,
    PriorityAreaFactory,
    SuccessMeasureFactory,
)
from tests.agencies.factories import AgencyFactory

from .conftest import TNOC_PLAN, TSOC_PLAN


def action_numbers_on(html: str) -> list[str]:
    return re.findall(r'<span class="action-number">([^<]+)</span>', html)


def headings_on(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<h[23][^>]*id="group-\d+"[^>]*>(.*?)</h[23]>', html, re.S)
    ]


@pytest.mark.parametrize("slug", [TSOC_PLAN, TNOC_PLAN])
def test_the_plan_page_shows_every_action_in_order(client_for, viewer, seeded, slug):
    plan = ActionPlan.objects.get(slug=slug)
    response = client_for(viewer).get(plan.get_absolute_url())
    assert response.status_code == 200
    shown = action_numbers_on(response.content.decode())
    assert shown == list(plan.actions.values_list("number", flat=True))


def test_the_plan_page_shows_groups_in_source_order(client_for, viewer, seeded):
    response = client_for(viewer).get(reverse("actions:plan_detail", args=[TNOC_PLAN]))
    assert headings_on(response.content.decode()) == [
        "Unify: drive system governance &amp; coordination",
        "1. Establish a system-wide governance model",
        "2. Align policy &amp; legislative settings",
        "3. Integrate risk monitoring and evidence base",
        "4. Strengthen existing international partnerships",
        "Prevent &amp; Detect: building capability &amp; understanding",
        "5. Create a system view",
        "6. Improve education and grow risk awareness",
        "Dismantle: fuse operational priorities",
        "7. Co-design a risk prioritisation methodology",
        "8. Optimise international and domestic information-sharing powers",
    ]


def test_the_plan_page_shows_sub_actions_agencies_and_scopes(client_for, viewer, seeded):
    html = client_for(viewer).get(reverse("actions:plan_detail", args=[TSOC_PLAN])).content
    html = html.decode()
    assert "MBIE" in html
    assert "Data and Information Sharing" in html
    assert html.index(">13a<") < html.index(">13b<") < html.index(">14<")


def action_links_on(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"><span class="action-number">', html)


@pytest.mark.parametrize("slug", [TSOC_PLAN, TNOC_PLAN])
def test_the_plan_page_links_every_action_to_its_own_page(client_for, viewer, seeded, slug):
    plan = ActionPlan.objects.get(slug=slug)
    html = client_for(viewer).get(plan.get_absolute_url()).content.decode()
    assert action_links_on(html) == [action.get_absolute_url() for action in plan.actions.all()]


def test_the_action_page_links_its_sub_actions(client_for, viewer, seeded):
    action = Action.objects.get(plan__slug=TSOC_PLAN, number="13")
    html = client_for(viewer).get(action.get_absolute_url()).content.decode()
    sub_actions = action.sub_actions.order_by("sort_key")
    assert [sub_action.number for sub_action in sub_actions] == ["13a", "13b", "13c"]
    assert action_links_on(html) == [sub_action.get_absolute_url() for sub_action in sub_actions]


def test_people_without_a_role_do_not_see_plans(client_for, outsider, seeded):
    response = client_for(outsider).get(reverse("actions:plan_detail", args=[TSOC_PLAN]))
    assert response.status_code == 404


def build_plan(size: int):
    """A plan of ``size`` actions in nested groups, each with agencies, a measure, an area and
    a sub-action: everything the page shows."""
    plan = ActionPlanFactory()
    area = PriorityAreaFactory(strategy=plan.strategy)
    outer = ActionGroupFactory(plan=plan, title="Outer")
    inner = ActionGroupFactory(plan=plan, parent=outer, title="Inner")
    lead, support = AgencyFactory(), AgencyFactory()
    for n in range(1, size + 1):
        action = ActionFactory(plan=plan, number=str(n), group=inner if n % 2 else outer)
        action.priority_areas.add(area)
        ActionAgencyFactory(action=action, agency=lead)
        ActionAgencyFactory(action=action, agency=support, role=ActionAgency.Role.SUPPORTING)
        SuccessMeasureFactory(action=action)
        ActionFactory(plan=plan, number=f"{n}a", parent=action, group=action.group)
    return plan


def test_the_plan_page_needs_no_more_queries_for_more_actions(
    client_for, viewer, django_assert_max_num_queries, db
):
    client = client_for(viewer)
    small, large = build_plan(10), build_plan(50)
    client.get(small.get_absolute_url())  # warm the session and user caches
    cache.clear()  # each plan's body built afresh, not read from the page cache
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.get_absolute_url()).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as large_queries:
        response = client.get(large.get_absolute_url())
    assert len(action_numbers_on(response.content.decode())) == 100
    assert len(large_queries) == len(small_queries)
    with django_assert_max_num_queries(20):
        client.get(large.get_absolute_url())
