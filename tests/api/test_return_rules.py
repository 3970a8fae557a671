"""The API applies the return's rules with field errors, as the browser does: text limits with
the count, the status–per cent rule, and what a submitted return needs."""

import pytest

from reporting.models import StatusUpdate
from tests.api.helpers import assert_error
from tests.api.test_writes import etag, patch

pytestmark = pytest.mark.django_db

UPDATES = "/api/v1/status-updates/"


def test_commentary_over_the_limit_is_a_field_error_with_the_count(api_with_token, world, lead):
    draft = world["draft"]
    response = patch(api_with_token(lead), draft, {"commentary": "x" * 4001}, etag(draft))
    body = assert_error(response, 400)
    assert body["errors"]["commentary"] == [
        "Progress commentary is 4,001 characters long; it can be at most 4,000. Shorten it by 1 "
        "character."
    ]
    assert StatusUpdate.objects.get(pk=draft.pk).version == draft.version


def test_status_and_per_cent_must_agree_through_the_api(api_with_token, world, lead):
    draft = world["draft"]
    response = patch(
        api_with_token(lead), draft, {"status": "complete", "percent_complete": 20}, etag(draft)
    )
    assert list(assert_error(response, 400)["errors"]) == ["percent_complete"]


def test_an_empty_return_is_not_submitted_through_the_api(api_with_token, world, lead):
    draft = world["draft"]
    client = api_with_token(lead)
    patch(client, draft, {"percent_complete": None, "commentary": "   "}, etag(draft))
    response = client.post(f"{UPDATES}{draft.pk}/submit/", HTTP_IF_MATCH=etag(draft))
    body = assert_error(response, 400)
    assert set(body["errors"]) == {"percent_complete", "commentary"}
    assert StatusUpdate.objects.get(pk=draft.pk).state == "draft"
