"""Error pages: plain words, no stack trace; an unreachable database or broker is a 503."""

import kombu.exceptions
import pytest
from django.db import InterfaceError, OperationalError
from django.urls import path

from tsoc_tracker.urls import handler500
from tsoc_tracker.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _raiser(error):
    def view(request):
        raise error

    return view


urlpatterns = [
    *site_urlpatterns,
    path("boom/bug/", _raiser(ZeroDivisionError("secret detail in the exception"))),
    path("boom/database/", _raiser(OperationalError("connection to server failed: secret"))),
    path("boom/connection/", _raiser(InterfaceError("connection already closed"))),
    path("boom/broker/", _raiser(kombu.exceptions.OperationalError("Error 111 secret"))),
]
__all__ = ["handler500", "urlpatterns"]


@pytest.fixture
def signed_in(client_for, lead):
    client = client_for(lead)
    client.raise_request_exception = False
    return client


def test_an_unexpected_error_shows_the_friendly_page_without_the_details(signed_in):
    response = signed_in.get("/boom/bug/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, something went wrong" in page
    assert "secret" not in page
    assert "Traceback" not in page


@pytest.mark.parametrize("outage", ["database", "connection", "broker"])
def test_an_unreachable_server_is_a_503_saying_the_service_is_temporarily_unavailable(
    signed_in, outage
):
    response = signed_in.get(f"/boom/{outage}/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The service is temporarily unavailable" in page
    assert "secret" not in page
    assert "Traceback" not in page


def test_a_missing_page_is_a_404_in_plain_words(signed_in):
    response = signed_in.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_request_for_a_host_we_do_not_serve_is_refused_plainly(client):
    client.raise_request_exception = False

    response = client.get("/accounts/login/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_a_form_sent_without_its_security_token_explains_what_to_do(lead):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": lead.username, "password": "correct-horse-battery"}
    )

    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
