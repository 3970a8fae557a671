"""A list's ``count`` is asked once while nothing changes, and is never older than the rows it
counts: whoever reads, whatever the filter, whichever way the rows were written; and the
status updates come in the order they were recorded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Membership
from tests.api.helpers import assert_error
from tests.reporting.factories import StatusUpdateFactory
from tsoc_tracker.settings import cache_settings

pytestmark = pytest.mark.django_db

UPDATES = "/api/v1/status-updates/"


def counted(client, url: str = UPDATES) -> int:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_the_count_is_asked_once_while_nothing_changes(api_with_token, world, viewer):
    client = api_with_token(viewer)
    client.get(UPDATES)
    with CaptureQueriesContext(connection) as again:
        response = client.get(UPDATES)
    assert response.json()["count"] == 4
    assert not [query for query in again.captured_queries if "COUNT(" in query["sql"]]


def test_a_new_update_is_counted_and_listed_at_once(api_with_token, world, lead):
    client = api_with_token(lead)
    before = counted(client)
    created = client.post(
        UPDATES,
        {"action_id": world["two_a"].pk, "period": "2026-Q3", "agency": "customs"},
        format="json",
    ).json()
    response = client.get(f"{UPDATES}?page_size=1000")
    assert response.json()["count"] == before + 1
    assert created["id"] in [update["id"] for update in response.json()["results"]]


def test_a_submitted_draft_leaves_the_drafts_count_at_once(api_with_token, world, lead):
    client = api_with_token(lead)
    assert counted(client, f"{UPDATES}?state=draft") == 1
    draft = world["draft"]
    response = client.post(f"{UPDATES}{draft.pk}/submit/", HTTP_IF_MATCH=f'"{draft.version}"')
    assert response.status_code == 200, response.content
    assert counted(client, f"{UPDATES}?state=draft") == 0
    assert counted(client, f"{UPDATES}?state=submitted") == 3


def test_each_filter_and_each_reader_has_a_count_of_its_own(
    api_with_token, api_as, world, lead, viewer, hidden_update
):
    assert counted(api_with_token(viewer)) == 5
    assert counted(api_with_token(viewer), f"{UPDATES}?state=draft") == 2
    assert counted(api_with_token(viewer), f"{UPDATES}?state=submitted") == 2
    assert counted(api_with_token(lead)) == 4  # not Police's draft on an action of its own


def test_joining_an_agency_counts_what_it_can_now_see(
    api_with_token, world, lead, other_agency, hidden_update
):
    client = api_with_token(lead)
    assert counted(client) == 4
    Membership.objects.create(user=lead, agency=other_agency, role="lead")
    assert counted(client) == 5


def test_with_the_cache_away_lists_are_counted_as_they_are_asked(
    api_with_token, world, viewer, lead, settings
):
    client = api_with_token(viewer)
    settings.CACHES = cache_settings("redis://127.0.0.1:1/0", key_prefix="down")  # no one there
    assert counted(client) == 4
    world["draft"].delete()
    assert counted(client) == 3
    assert_error(client.get(f"{UPDATES}?page=9"), 404, "not_found")


def test_updates_come_in_the_order_they_were_recorded_unless_asked(api_with_token, world, viewer):
    late = StatusUpdateFactory(
        action=world["two_a"], period=world["previous"], agency=world["draft"].agency
    )
    client = api_with_token(viewer)
    ids = [update["id"] for update in client.get(UPDATES).json()["results"]]
    assert ids == sorted(ids) and ids[-1] == late.pk
    by_period = client.get(f"{UPDATES}?ordering=period").json()["results"]
    assert [update["period"] for update in by_period][:2] == ["2026-Q2", "2026-Q2"]
