"""Sign-in with the agency's identity provider: a real OpenID Connect provider
(django-oauth-toolkit, tests/oidc_provider/) runs in a second process, and a real HTTP client
follows the real redirects, from our sign-in button to the provider's sign-in page and back with
a code our server exchanges for RS256-signed tokens. Nothing about the protocol is mocked."""

import html
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from conftest import REQUIRE_SERVICES
from tests.agencies.factories import UserFactory
from tests.oidc_provider.process import ProviderDidNotStart, running_provider

pytestmark = [pytest.mark.oidc_provider, pytest.mark.django_db(transaction=True)]

CLIENT_ID = "tsoc-tracker"
CLIENT_SECRET = "a-client-secret-for-the-tests"
PEOPLE = [
    {
        "username": "aroha",
        "password": "agency-pw-1",
        "email": "Aroha.Ngata@police.govt.nz",
        "verified": True,
    },
    {
        "username": "ben",
        "password": "agency-pw-2",
        "email": "ben.ruru@police.govt.nz",
        "verified": False,
    },
    {
        "username": "stranger",
        "password": "agency-pw-3",
        "email": "someone@police.govt.nz",
        "verified": True,
    },
]


@pytest.fixture(scope="module")
def provider(live_server):
    redirect_uri = f"{live_server.url}/accounts/agency/callback/"
    client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uri": redirect_uri}
    try:
        with running_provider(people=PEOPLE, client=client) as issuer:
            yield issuer
    except ProviderDidNotStart as error:
        reason = f"the test OpenID provider did not start: {error}"
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (TSOC_REQUIRE_SERVICES=1 forbids skipping)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def app(live_server, provider, settings):
    """Our site, configured as docs/operations.md says: the issuer, the client, the claims."""
    settings.OIDC_OP_ISSUER = provider
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "your Police account"
    # requests, unlike a browser, won't send a Secure cookie to http://localhost.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return live_server.url


def sign_in_with_agency(app: str, username: str) -> tuple[requests.Session, requests.Response]:
    """From our sign-in page's button, through the provider's sign-in, back to us."""
    http = requests.Session()
    ours = http.get(f"{app}/accounts/login/")
    [start] = re.findall(r'href="([^"]+)">Sign in with your Police account<', ours.text)
    agency_page = http.get(app + html.unescape(start), timeout=30)
    assert "Agency sign-in" in agency_page.text  # we are at the provider now
    password = next(p["password"] for p in PEOPLE if p["username"] == username)
    form = dict(re.findall(r'name="(csrfmiddlewaretoken|next)" value="([^"]*)"', agency_page.text))
    answer = http.post(
        agency_page.url,
        data={
            **{k: html.unescape(v) for k, v in form.items()},
            "username": username,
            "password": password,
        },
        timeout=30,
    )
    return http, answer


def who(http: requests.Session, app: str) -> str | None:
    response = http.get(f"{app}/api/v1/me/")
    return response.json()["username"] if response.status_code == 200 else None


def test_a_person_the_agency_vouches_for_is_signed_in_to_their_invited_account(app, lead):
    lead.email = "aroha.ngata@police.govt.nz"  # as invited; the provider's differs in case only
    lead.save()

    http, landed = sign_in_with_agency(app, "aroha")

    assert landed.url.startswith(app) and landed.status_code == 200
    assert "My actions" in landed.text
    assert who(http, app) == lead.username
    hops = [r.url.split("?")[0] for r in landed.history]
    assert f"{app}/accounts/agency/callback/" in hops  # back through the code exchange


def test_the_secretariat_signed_in_by_the_agency_is_not_asked_for_a_local_code(
    app, secretariat_user
):
    secretariat_user.email = "aroha.ngata@police.govt.nz"
    secretariat_user.save()

    http, landed = sign_in_with_agency(app, "aroha")

    assert who(http, app) == secretariat_user.username  # the agency's provider is the second step
    assert "Enter your code" not in landed.text


def test_an_email_the_provider_has_not_verified_signs_nobody_in(app, lead):
    lead.email = "ben.ruru@police.govt.nz"
    lead.save()

    http, refused = sign_in_with_agency(app, "ben")

    assert refused.status_code == 403
    assert "didn't confirm that the email address ben.ruru@police.govt.nz is yours" in refused.text
    assert who(http, app) is None


def test_a_stranger_gets_a_clear_page_and_no_account(app, lead):
    people_before = get_user_model().objects.count()

    http, refused = sign_in_with_agency(app, "stranger")

    assert refused.status_code == 403
    assert "no TSOC Tracker account has the email address someone@police.govt.nz" in refused.text
    assert "Ask the secretariat to add you" in refused.text
    assert get_user_model().objects.count() == people_before
    assert who(http, app) is None


def test_two_accounts_with_the_one_email_sign_nobody_in(app):
    for username in ("aroha.one", "aroha.two"):
        UserFactory(username=username, email="aroha.ngata@police.govt.nz")

    http, refused = sign_in_with_agency(app, "aroha")

    assert refused.status_code == 403
    assert "More than one TSOC Tracker account" in refused.text
    assert who(http, app) is None


def test_a_deactivated_account_is_not_signed_in(app, lead):
    lead.email = "aroha.ngata@police.govt.nz"
    lead.is_active = False
    lead.save()

    http, refused = sign_in_with_agency(app, "aroha")

    assert refused.status_code == 403
    assert who(http, app) is None


@pytest.fixture
def impostor_keys(provider):
    """A JWKS naming the provider's key id but holding another key, as a forger would publish."""
    [real] = requests.get(f"{provider}/.well-known/jwks.json", timeout=10).json()["keys"]
    forged = json.loads(
        jwt.algorithms.RSAAlgorithm.to_jwk(
            rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
        )
    ) | {"kid": real["kid"], "alg": "RS256", "use": "sig"}
    body = json.dumps({"keys": [forged]}).encode()

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json"
    server.shutdown()


def test_an_id_token_whose_signature_fails_the_published_keys_signs_nobody_in(
    app, lead, settings, impostor_keys
):
    lead.email = "aroha.ngata@police.govt.nz"
    lead.save()
    settings.OIDC_OP_JWKS_ENDPOINT = impostor_keys

    http, refused = sign_in_with_agency(app, "aroha")

    assert refused.status_code == 403
    assert "failed our security checks" in refused.text
    assert who(http, app) is None
