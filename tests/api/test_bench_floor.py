"""The bench's API floor (benchmarks/measure.py) is the API's page of actions, value for value:
if the API gains a field or changes a rule, this fails before ``make bench`` times a floor that
no longer does the API's work."""

import pytest
from django.urls import reverse

from benchmarks.measure import api_floor, check_floor_matches, first_difference
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.postgres  # the floor's SQL is PostgreSQL's (arrays, DISTINCT ON)


def test_the_floor_gives_the_apis_page_of_actions_value_for_value(
    agency, other_agency, secretariat_user, client_for
):
    small_plan(agency, other_agency)
    path = reverse("actions-list")

    api = client_for(secretariat_user).get(f"{path}?page_size=1000").content

    assert check_floor_matches(api, api_floor(1000, f"http://testserver{path}")) == 5


def test_a_changed_value_is_found_where_it_differs():
    api = {"results": [{"id": 1, "latest_status": {"status": "at_risk"}}]}
    floor = {"results": [{"id": 1, "latest_status": {"status": "on_track"}}]}

    assert first_difference(api, floor) == (
        "$.results[0].latest_status.status: API 'at_risk', floor 'on_track'"
    )
