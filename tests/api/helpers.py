"""Assertions the API tests share."""


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def by_reference(response) -> dict[str, dict]:
    return {row["reference"]: row for row in results(response)}


def assert_error(response, status: int, error_type: str | None = None) -> dict:
    """The response is the API's one error shape, with this status (and type)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    if error_type:
        assert body["type"] == error_type
    return body
