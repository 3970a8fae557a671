"""The API's answers, JSON, CSV and errors alike, are never stored by a cache."""

import pytest

pytestmark = pytest.mark.django_db
NO_STORE = "private, no-store"


@pytest.mark.parametrize("form", ["json", "csv"])
def test_api_answers_to_a_token_are_not_stored(api_with_token, lead, world, form):
    response = api_with_token(lead).get(f"/api/v1/actions/?format={form}")

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_an_api_error_is_not_stored_either(api):
    assert api.get("/api/v1/actions/")["Cache-Control"] == NO_STORE
