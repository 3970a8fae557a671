"""A list costs the same number of queries for 10 actions as for 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ActionAgency, SuccessMeasure, natural_sort_key
from core import counts
from reporting.models import StatusUpdate

pytestmark = pytest.mark.django_db


def grow(world, agency, other_agency, total: int) -> None:
    """Add actions until the plan has ``total``, each led by Customs, supported by Police, with
    two success measures, both area tags and a submitted return this quarter."""
    plan, period = world["plan"], world["current"]
    start = Action.objects.filter(plan=plan).count()
    numbers = [f"x{i}" for i in range(start, total)]
    actions = Action.objects.bulk_create(
        Action(plan=plan, number=n, sort_key=natural_sort_key(n), title=f"Action {n}")
        for n in numbers
    )
    ActionAgency.objects.bulk_create(
        coordinator
        for action in actions
        for coordinator in (
            ActionAgency(action=action, agency=agency, role="coordinating", order=1),
            ActionAgency(action=action, agency=other_agency, role="supporting", order=2),
        )
    )
    SuccessMeasure.objects.bulk_create(
        SuccessMeasure(action=action, statement=f"Measure {m}", order=m)
        for action in actions
        for m in (1, 2)
    )
    Action.priority_areas.through.objects.bulk_create(
        Action.priority_areas.through(action=action, priorityarea=world["prevent"])
        for action in actions
    )
    Action.focus_areas.through.objects.bulk_create(
        Action.focus_areas.through(action=action, focusarea=world["border"]) for action in actions
    )
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            action=action, period=period, agency=agency, status="on_track", state="submitted"
        )
        for action in actions
    )
    counts.retire()  # bulk_create sends no signal; every write the product makes does


def queries_for(client, url: str) -> tuple[int, int]:
    """How many queries the request made, and how many results it gave."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("role", ["viewer", "lead"])
@pytest.mark.parametrize(
    "url",
    ["/api/v1/actions/?page_size=1000", "/api/v1/status-updates/?page_size=1000&period=2026-Q3"],
)
def test_query_count_is_the_same_for_10_and_1000_actions(
    api_with_token, world, agency, other_agency, request, role, url
):
    client = api_with_token(request.getfixturevalue(role))
    client.get("/api/v1/me/")  # the token's first use is recorded once; leave that out
    client.get(url)  # and the content types Django reads once per process
    grow(world, agency, other_agency, 10)
    few_queries, few_results = queries_for(client, url)
    grow(world, agency, other_agency, 1000)
    many_queries, many_results = queries_for(client, url)
    assert few_results >= 9 and many_results >= 999
    assert few_queries == many_queries
