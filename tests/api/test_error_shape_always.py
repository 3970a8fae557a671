"""The API answers in its error shape whatever goes wrong: a body nested too deep is a 400
naming the field, and a database or broker outage is the JSON 503 docs/api.md describes, never
Django's HTML pages."""

import kombu.exceptions
import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.urls import path
from rest_framework.views import APIView

from core.api.parsers import MAX_JSON_DEPTH
from tests.api.helpers import assert_error
from tsoc_tracker.urls import handler500
from tsoc_tracker.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

UPDATES = "/api/v1/status-updates/"


def nested(depth: int):
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_a_body_nested_five_thousand_levels_deep_is_a_400_in_the_error_shape(
    api_with_token, world, lead
):
    response = api_with_token(lead).post(UPDATES, "[" * 5000, content_type="application/json")

    body = assert_error(response, 400, "validation_error")
    assert "levels deep" in body["errors"]["non_field_errors"][0]


def test_a_balanced_body_nested_five_thousand_levels_deep_is_a_400(api_with_token, world, lead):
    response = api_with_token(lead).post(
        UPDATES, "[" * 5000 + "]" * 5000, content_type="application/json"
    )

    assert_error(response, 400, "validation_error")


def test_a_field_nested_too_deep_is_named_in_the_errors(api_with_token, world, lead):
    data = {"action_id": world["two_a"].pk, "next_steps": nested(MAX_JSON_DEPTH + 1)}

    response = api_with_token(lead).post(UPDATES, data, format="json")

    body = assert_error(response, 400, "validation_error")
    assert list(body["errors"]) == ["next_steps"]


def test_a_body_just_within_the_depth_reaches_the_serializer(api_with_token, world, lead):
    data = {"action_id": world["two_a"].pk, "next_steps": nested(MAX_JSON_DEPTH - 1)}

    response = api_with_token(lead).post(UPDATES, data, format="json")

    body = assert_error(response, 400, "validation_error")
    assert "levels deep" not in str(body["errors"])


# Outages ------------------------------------------------------------------------------------


class DatabaseGone(APIView):
    def get(self, request):
        raise OperationalError("connection to server failed: secret")


class BrokerGone(APIView):
    def get(self, request):
        raise kombu.exceptions.OperationalError("Error 111 secret")


@login_not_required  # as DRF's views are: the token is read inside
def _database_gone_before_the_view(request):
    raise OperationalError("connection to server failed: secret")


@login_not_required
def _bug(request):
    raise ZeroDivisionError("secret")


urlpatterns = [
    path("api/v1/boom/database/", DatabaseGone.as_view()),
    path("api/v1/boom/broker/", BrokerGone.as_view()),
    path("api/v1/boom/outside-drf/", _database_gone_before_the_view),
    path("api/v1/boom/bug/", _bug),
    *site_urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("outage", ["database", "broker", "outside-drf"])
def test_an_outage_is_the_json_503_with_retry_after(api_with_token, lead, outage):
    client = api_with_token(lead)
    client.raise_request_exception = False

    response = client.get(f"/api/v1/boom/{outage}/")

    assert_error(response, 503, "service_unavailable")
    assert response["Retry-After"] == "30"
    assert "secret" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_bug_under_the_api_is_a_json_500_without_the_details(api_with_token, lead):
    client = api_with_token(lead)
    client.raise_request_exception = False

    response = client.get("/api/v1/boom/bug/")

    assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_an_outage_on_a_page_is_still_the_html_503(client_for, lead):
    client = client_for(lead)
    client.raise_request_exception = False
    urlpatterns.append(path("boom/page/", _database_gone_before_the_view))
    try:
        response = client.get("/boom/page/")
    finally:
        urlpatterns.pop()

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
