"""A control character anywhere in a URL (a path segment or a query value) is a 400 for every
page and every API route, decided once by core.middleware: never a 500 (PostgreSQL refuses a NUL
byte), logged as a warning without a traceback. Runs on PostgreSQL in CI, where the 500 was."""

import logging
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.reporting.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:\w+:)?\w+>")


def _routes(patterns=None, prefix=""):
    """Every route of the site as a path template (``plans/<slug:plan>/actions/<str:number>/``)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):  # a regex route (the admin's, the API's catch-all)
            continue
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route


def _with_nul_in(route: str, index: int) -> str:
    """``route`` with its ``index``-th parameter holding a NUL byte and the others "tsoc"."""
    parts = CONVERTER.split(route)
    values = ["x%00" if n == index else "tsoc" for n in range(len(parts) - 1)]
    return "/" + "".join(part + value for part, value in zip(parts, [*values, ""], strict=True))


def _with_nul_in_each_segment():
    for route in sorted(set(_routes())):
        if CONVERTER.search(route):
            for index in range(len(CONVERTER.findall(route))):
                yield _with_nul_in(route, index)
        else:
            yield ("/" + route).rstrip("/") + "/%00/"


NUL_PATHS = sorted(set(_with_nul_in_each_segment()))


@pytest.fixture
def site(db):
    plan = ActionPlanFactory(slug="tsoc")
    ActionFactory(plan=plan, number="1")
    ReportingPeriodFactory(year=2026, quarter=3)
    return plan


def test_the_sweep_covers_the_urls_the_outside_test_run_found():
    for found in ("/plans/tsoc/actions/x%00/", "/periods/x%00/", "/periods/x%00/close/"):
        assert found in NUL_PATHS
    assert any(path.startswith("/api/v1/") for path in NUL_PATHS)


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_byte_in_any_path_segment_is_a_400_for_the_secretariat(
    client_for, secretariat_user, site, path
):
    client = client_for(secretariat_user)
    client.raise_request_exception = False

    response = client.get(path)

    assert response.status_code == 400, path


@pytest.mark.parametrize(
    "path", ["/plans/tsoc/actions/%00/", "/periods/%00/", "/dashboard/tsoc/%00/updates.xlsx"]
)
def test_a_nul_byte_is_a_400_page_for_a_viewer(client_for, viewer, site, path):
    response = client_for(viewer).get(path)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("character", ["%00", "%0A", "%0D", "%09", "%1B", "%7F"])
@pytest.mark.parametrize("query", ["/reports/?plan={}", "/dashboard/tsoc/?period=2026-Q3{}"])
def test_a_control_character_in_a_query_value_is_a_400_page(
    client_for, secretariat_user, site, query, character
):
    response = client_for(secretariat_user).get(query.format(character))

    assert response.status_code == 400


def test_the_api_answers_a_control_character_in_its_json_error_shape_naming_the_parameter(
    client_for, lead, site
):
    response = client_for(lead).get("/api/v1/actions/?plan=%00")

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["status"] == 400
    assert "control character" in body["errors"]["plan"][0]


def test_the_api_answers_a_nul_in_its_path_in_its_json_error_shape(client_for, lead, site):
    response = client_for(lead).get("/api/v1/actions/%00/")

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_a_control_character_is_logged_once_as_a_warning_without_a_traceback(
    client_for, viewer, site, caplog
):
    with caplog.at_level(logging.INFO):
        client_for(viewer).get("/periods/%00/")

    records = [r for r in caplog.records if "control character" in r.getMessage()]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_ordinary_text_in_a_query_value_is_still_allowed(client_for, secretariat_user, site):
    response = client_for(secretariat_user).get("/reports/?plan=tsoc")

    assert response.status_code == 200


@pytest.mark.postgres
def test_on_postgresql_which_refuses_a_nul_byte_every_such_url_is_still_a_400(
    client_for, secretariat_user, site
):
    client = client_for(secretariat_user)
    client.raise_request_exception = False

    answers = {path: client.get(path).status_code for path in NUL_PATHS}

    assert {path: code for path, code in answers.items() if code != 400} == {}
