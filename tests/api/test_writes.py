"""Agency systems write status updates under exactly the browser's rules (the return service),
with ETag / If-Match so nobody's change is silently overwritten."""

import json

import pytest

from reporting.models import StatusUpdate
from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db

UPDATES = "/api/v1/status-updates/"


def new_update(world, **fields) -> dict:
    return {"action_id": world["two_a"].pk, "period": "2026-Q3", "agency": "customs", **fields}


def patch(client, update, data: dict, etag: str | None = None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.patch(f"{UPDATES}{update.pk}/", data, format="json", **headers)


def etag(update) -> str:
    update.refresh_from_db()
    return f'"{update.version}"'


def test_lead_starts_an_update(api_with_token, world, lead):
    response = api_with_token(lead).post(
        UPDATES, new_update(world, status="on_track", percent_complete=20), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["action_reference"], body["period"], body["agency"]) == (
        "TSOC 2a",
        "2026-Q3",
        "customs",
    )
    assert (body["status"], body["percent_complete"], body["state"]) == ("on_track", 20, "draft")
    assert response["ETag"] == '"1"'
    assert response["Location"].endswith(f"{UPDATES}{body['id']}/")
    update = StatusUpdate.objects.get(pk=body["id"])
    assert update.created_by == lead
    assert [entry.history_user for entry in update.history.all()] == [lead]


def test_fields_left_out_start_from_last_quarters_update(api_with_token, world, lead):
    world["accepted"].action = world["two_a"]
    world["accepted"].save()
    body = api_with_token(lead).post(UPDATES, new_update(world), format="json").json()
    assert (body["status"], body["commentary"]) == ("on_track", world["accepted"].commentary)


def test_contributor_drafts_an_update(api_with_token, world, contributor):
    assert (
        api_with_token(contributor).post(UPDATES, new_update(world), format="json").status_code
        == 201
    )


@pytest.mark.parametrize("role", ["other_lead", "viewer", "secretariat_user"])
def test_nobody_else_writes_customs_updates(api_with_token, world, request, role):
    client = api_with_token(request.getfixturevalue(role))
    assert_error(client.post(UPDATES, new_update(world), format="json"), 403, "permission_denied")


def test_someone_without_a_role_cant_even_name_the_action(api_with_token, world, outsider):
    response = api_with_token(outsider).post(UPDATES, new_update(world), format="json")
    assert "action_id" in assert_error(response, 400)["errors"]


def test_an_agency_that_doesnt_coordinate_the_action_cant_report_on_it(
    api_with_token, world, hidden_update, lead
):
    action = {"action_id": hidden_update.action_id}
    response = api_with_token(lead).post(UPDATES, new_update(world, **action), format="json")
    assert_error(response, 403)


def test_nobody_reports_on_an_action_made_of_lines_only_on_its_lines(
    api_with_token, world, other_lead
):
    # Police coordinates TSOC 2 as a whole; TSOC 2 is reported through its sub-action 2a.
    whole = new_update(world, action_id=world["two"].pk, agency="police")
    assert_error(api_with_token(other_lead).post(UPDATES, whole, format="json"), 403)


def test_a_second_update_for_the_same_action_period_and_agency_is_409(api_with_token, world, lead):
    response = api_with_token(lead).post(
        UPDATES, new_update(world, action_id=world["one"].pk), format="json"
    )
    body = assert_error(response, 409, "conflict")
    assert str(world["draft"].pk) in body["detail"]


def test_a_closed_period_takes_no_updates(api_with_token, world, lead):
    response = api_with_token(lead).post(
        UPDATES, new_update(world, period="2026-Q2"), format="json"
    )
    assert "closed" in assert_error(response, 409)["detail"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent_complete": 101}, "percent_complete"),
        ({"status": "splendid"}, "status"),
        ({"commentary": "nul\x00"}, "commentary"),
        ({"version": 7}, "version"),
        ({"period": "2099-Q1"}, "period"),
        ({"agency": "nobody"}, "agency"),
        ({"action_id": 999999}, "action_id"),
    ],
)
def test_invalid_input_is_400_naming_the_field(api_with_token, world, lead, fields, field):
    response = api_with_token(lead).post(UPDATES, new_update(world, **fields), format="json")
    assert field in assert_error(response, 400, "validation_error")["errors"]


def test_missing_fields_are_named(api_with_token, world, lead):
    errors = assert_error(api_with_token(lead).post(UPDATES, {}, format="json"), 400)["errors"]
    assert set(errors) == {"action_id", "period", "agency"}


def test_malformed_json_is_400(api_with_token, world, lead):
    response = api_with_token(lead).post(UPDATES, "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_a_json_body_over_the_upload_limit_is_413(api_with_token, world, lead, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({**new_update(world), "commentary": "x" * 2000})

    response = api_with_token(lead).post(UPDATES, body, content_type="application/json")

    error = assert_error(response, 413, "request_too_large")
    assert "over 1,000 bytes" in error["detail"]
    assert not StatusUpdate.objects.filter(commentary="x" * 2000).exists()


def test_a_body_that_isnt_json_is_415(api_with_token, world, lead):
    response = api_with_token(lead).post(UPDATES, "status=on_track", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_lead_changes_a_draft_with_if_match(api_with_token, world, lead):
    draft = world["draft"]
    response = patch(api_with_token(lead), draft, {"percent_complete": 60}, etag(draft))
    assert response.status_code == 200, response.content
    assert response.json()["percent_complete"] == 60
    assert response["ETag"] == f'"{draft.version + 1}"'
    draft.refresh_from_db()
    assert (draft.percent_complete, draft.updated_by) == (60, lead)
    assert draft.history.first().history_user == lead  # the audit trail names the token's person


def test_a_change_without_if_match_is_428(api_with_token, world, lead):
    response = patch(api_with_token(lead), world["draft"], {"percent_complete": 60})
    assert_error(response, 428, "precondition_required")


def test_a_stale_change_is_412_and_changes_nothing(api_with_token, world, lead):
    draft = world["draft"]
    stale = etag(draft)
    client = api_with_token(lead)
    assert patch(client, draft, {"percent_complete": 60}, stale).status_code == 200
    response = patch(client, draft, {"percent_complete": 10}, stale)
    assert_error(response, 412, "precondition_failed")
    assert response["ETag"] == etag(draft)  # the current version, to read again
    assert draft.percent_complete == 60


@pytest.mark.parametrize("header", ["*", "3", '"3", "4"', 'W/"abc"'])
def test_if_match_must_be_one_etag(api_with_token, world, lead, header):
    response = patch(api_with_token(lead), world["draft"], {"percent_complete": 60}, header)
    assert "If-Match" in assert_error(response, 400)["errors"]


def test_a_weak_etag_is_accepted(api_with_token, world, lead):
    draft = world["draft"]
    response = patch(api_with_token(lead), draft, {"risks": "None."}, "W/" + etag(draft))
    assert response.status_code == 200


def test_a_submitted_update_cant_be_changed(api_with_token, world, other_lead):
    submitted = world["submitted"]
    response = patch(api_with_token(other_lead), submitted, {"risks": "More."}, etag(submitted))
    assert_error(response, 409, "conflict")


def test_another_agencys_update_is_403_where_visible(api_with_token, world, lead):
    supporting = world["supporting"]  # Police's input on TSOC 1, which Customs leads
    response = patch(api_with_token(lead), supporting, {"risks": "Mine now."}, etag(supporting))
    assert_error(response, 403)


def test_another_agencys_update_is_404_where_not_visible(api_with_token, hidden_update, lead):
    response = patch(api_with_token(lead), hidden_update, {}, etag(hidden_update))
    assert_error(response, 404)


def test_lead_submits_with_if_match(api_with_token, world, lead):
    draft = world["draft"]
    client = api_with_token(lead)
    response = client.post(f"{UPDATES}{draft.pk}/submit/", HTTP_IF_MATCH=etag(draft))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert response.json()["submitted_at"] is not None


def test_submit_without_if_match_is_428(api_with_token, world, lead):
    response = api_with_token(lead).post(f"{UPDATES}{world['draft'].pk}/submit/")
    assert_error(response, 428)


def test_contributor_cannot_submit(api_with_token, world, contributor):
    draft = world["draft"]
    response = api_with_token(contributor).post(
        f"{UPDATES}{draft.pk}/submit/", HTTP_IF_MATCH=etag(draft)
    )
    assert_error(response, 403)


def test_put_and_delete_are_not_offered(api_with_token, world, lead):
    client = api_with_token(lead)
    url = f"{UPDATES}{world['draft'].pk}/"
    assert_error(client.put(url, {}, format="json"), 405, "method_not_allowed")
    assert_error(client.delete(url), 405)


def test_browser_session_writes_need_the_csrf_token(api_as, world, lead):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(UPDATES, new_update(world), format="json")
    assert_error(response, 403)
