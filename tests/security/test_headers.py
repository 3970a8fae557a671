"""Security headers and cookies on every page: CSP, framing, referrer, HSTS, session lifetime."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_that_allows_only_this_site(client):
    response = client.get("/accounts/login/")

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_pages_cannot_be_framed_or_sniffed_and_leak_no_referrer_to_other_sites(client):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_responses_tell_browsers_to_use_https_for_a_year(client):
    response = client.get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_session_cookie_is_https_only_hidden_from_scripts_and_ends_with_the_browser(
    client, lead, settings
):
    response = client.post(
        "/accounts/login/", {"username": lead.username, "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["expires"], "a session cookie, gone when the browser closes"
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_the_csrf_cookie_is_https_only(client):
    response = client.get("/accounts/login/")

    assert response.cookies["csrftoken"]["secure"] is True
