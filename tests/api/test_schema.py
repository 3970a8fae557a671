"""The OpenAPI schema describes every endpoint, filter, field and error truthfully."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # --fail-on-warn: anything drf-spectacular had to guess would be a guess in the schema.
        call_command("spectacular", "--file", str(path), "--validate", "--fail-on-warn")
    return yaml.safe_load(path.read_text())


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_resource_is_there(schema):
    names = {path.split("/")[3] for path in schema["paths"]}
    assert names == {
        "action-dependencies",
        "actions",
        "agencies",
        "evidence",
        "follow-ups",
        "meetings",
        "focus-areas",
        "indicator-readings",
        "me",
        "periods",
        "plans",
        "priority-areas",
        "search",
        "risks",
        "status-updates",
        "strategies",
    }


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    for path, method, operation in operations(schema):
        for status in ("401", "403", "404", "406", "429"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method)


def test_lists_document_paging_csv_and_bad_input(schema):
    for path, method, operation in operations(schema):
        if method == "get" and "{id}" not in path and path != "/api/v1/me/":
            names = {parameter["name"] for parameter in operation["parameters"]}
            ranked = path == "/api/v1/search/"  # best match first: no other ordering
            assert {"page", "page_size", "format", *({} if ranked else {"ordering"})} <= names, path
            assert "400" in operation["responses"], path
            ok = operation["responses"]["200"]
            assert ok["content"]["text/csv"]["schema"]["type"] == "string"
            assert "Link" in ok["headers"]


def test_action_filters_are_all_documented(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}
    assert names >= {
        "plan",
        "plan_id",
        "agency",
        "agency_id",
        "responsible_agency",
        "responsible_agency_id",
        "priority_area",
        "priority_area_id",
        "focus_area",
        "focus_area_id",
        "status",
        "period",
        "period_id",
        "overdue",
        "search",
    }


def test_conditional_writes_document_if_match_412_and_428(schema):
    for path, method in [
        ("/api/v1/status-updates/{id}/", "patch"),
        ("/api/v1/status-updates/{id}/submit/", "post"),
    ]:
        operation = schema["paths"][path][method]
        if_match = next(p for p in operation["parameters"] if p["name"] == "If-Match")
        assert if_match["required"] is True and if_match["in"] == "header"
        assert {"409", "412", "428"} <= set(operation["responses"])
        assert "ETag" in operation["responses"]["200"]["headers"]


def test_write_bodies_refuse_unknown_fields(schema):
    body = schema["components"]["schemas"]["StatusUpdateCreateRequest"]
    assert body["additionalProperties"] is False
    assert set(body["required"]) == {"action_id", "period", "agency"}


def test_token_authentication_is_declared(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")


def test_schema_and_docs_are_served_to_anyone(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
