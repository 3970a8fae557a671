"""The API's period filters take a quarter's label (“Q1 2026/27”) as well as its code."""

import pytest

from tests.api.helpers import assert_error, results

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Q1 2026/27", "2026/27-Q1", "2026-Q3"])
def test_the_api_filters_updates_periods_and_actions_by_label_or_code(api_as, world, viewer, name):
    client = api_as(viewer)
    updates = results(client.get("/api/v1/status-updates/", {"period": name}))
    periods = results(client.get("/api/v1/periods/", {"code": name}))
    actions = results(client.get("/api/v1/actions/", {"period": name}))

    assert {u["period"] for u in updates} == {"2026-Q3"} and len(updates) == 3
    assert [p["code"] for p in periods] == ["2026-Q3"]
    # The period chooses the quarter whose progress is shown.
    assert {a["progress"]["period"] for a in actions} == {"2026-Q3"} and len(actions) == 3


def test_an_unreadable_period_is_a_400_naming_the_forms(api_as, world, viewer):
    response = api_as(viewer).get("/api/v1/status-updates/", {"period": "Q1 2026"})

    errors = assert_error(response, 400, "validation_error")["errors"]
    assert "2026/27-Q1" in str(errors["period"])


@pytest.mark.parametrize("name", ["2026/29-Q1", "9999-Q1", "Q1 2026/2030"])
def test_a_name_shaped_like_a_quarter_that_is_none_matches_nothing(api_as, world, viewer, name):
    client = api_as(viewer)

    for path, parameter in [
        ("/api/v1/status-updates/", "period"),
        ("/api/v1/periods/", "code"),
        ("/api/v1/actions/", "period"),
    ]:
        response = client.get(path, {parameter: name})
        assert response.status_code == 200, (path, response.content)
        assert results(response) == []


def new_update(world, period: str) -> dict:
    return {"action_id": world["two_a"].pk, "period": period, "agency": "customs"}


def test_a_new_update_names_its_period_by_label(api_with_token, world, lead):
    response = api_with_token(lead).post(
        "/api/v1/status-updates/", new_update(world, "Q1 2026/27"), format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["period"], response.json()["period_label"]) == (
        "2026-Q3",
        "Q1 2026/27",
    )


def test_a_new_update_with_an_unreadable_period_is_a_400(api_with_token, world, lead):
    response = api_with_token(lead).post(
        "/api/v1/status-updates/", new_update(world, "Q1 2026"), format="json"
    )

    errors = assert_error(response, 400, "validation_error")["errors"]
    assert "2026/27-Q1" in str(errors["period"])
