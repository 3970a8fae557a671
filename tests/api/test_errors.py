"""One JSON error shape for every failure, and no 500 for odd input."""

import pytest

from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_unknown_endpoint_is_a_json_404(api_as, viewer):
    assert_error(api_as(viewer).get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api_as(None).get("/api/v2/actions/"), 404, "not_found")


@pytest.mark.parametrize(
    "url",
    ["/api/v1/actions/abc/", "/api/v1/actions/-1/", "/api/v1/actions/9223372036854775808000/"],
)
def test_an_id_that_cant_be_one_is_a_json_404(api_as, viewer, url):
    assert_error(api_as(viewer).get(url), 404)


def test_invalid_filters_are_400_naming_each_parameter(api_as, world, viewer):
    response = api_as(viewer).get("/api/v1/actions/?plan_id=abc&overdue=perhaps")
    errors = assert_error(response, 400, "validation_error")["errors"]
    assert set(errors) == {"plan_id", "overdue"}


@pytest.mark.parametrize("page_size", ["0", "1001", "ten", "-5", ""])
def test_page_size_out_of_range_is_400(api_as, world, viewer, page_size):
    response = api_as(viewer).get(f"/api/v1/actions/?page_size={page_size}")
    assert "page_size" in assert_error(response, 400)["errors"]


def test_a_page_past_the_end_is_404(api_as, world, viewer):
    assert_error(api_as(viewer).get("/api/v1/actions/?page=99"), 404)


@pytest.mark.parametrize("ordering", ["colour", "number,,title", "-", ""])
def test_unknown_ordering_is_400(api_as, world, viewer, ordering):
    response = api_as(viewer).get(f"/api/v1/actions/?ordering={ordering}")
    assert "ordering" in assert_error(response, 400)["errors"]


@pytest.mark.parametrize("fmt", ["xml", ""])
def test_unknown_format_is_404(api_as, world, viewer, fmt):
    assert_error(api_as(viewer).get(f"/api/v1/actions/?format={fmt}"), 404)


def test_unacceptable_accept_header_is_406(api_as, world, viewer):
    response = api_as(viewer).get("/api/v1/actions/", HTTP_ACCEPT="application/xml")
    assert_error(response, 406, "not_acceptable")


def test_errors_are_json_even_when_csv_was_asked_for(api_as, world, viewer):
    assert_error(api_as(viewer).get("/api/v1/actions/?format=csv&plan_id=abc"), 400)


def test_method_not_allowed_is_405(api_as, world, viewer):
    assert_error(api_as(viewer).post("/api/v1/actions/", {}, format="json"), 405)


@pytest.mark.parametrize(
    "query",
    [
        "search=%00",
        "number=%F0%9F%92%A5",
        "agency_id=99999999999999999999999",
        "period=%00%00",
        "status=",
        "page=0",
        "page=99999999999999999999999",
    ],
)
def test_odd_input_never_breaks_the_server(api_as, world, viewer, query):
    assert api_as(viewer).get(f"/api/v1/actions/?{query}").status_code < 500
