"""Who gets in: browser sessions, tokens (full or read-only), and nobody else; throttling."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.api.throttling import ApiRateThrottle
from agencies.tokens import ApiToken, hash_key
from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_in_the_error_shape(api):
    body = assert_error(api.get("/api/v1/actions/"), 401, "not_authenticated")
    assert body["detail"]


def test_401_says_how_to_authenticate(api):
    assert api.get("/api/v1/actions/")["WWW-Authenticate"] == 'Token realm="api"'


def test_browser_session_works(api_as, lead, world):
    assert api_as(lead).get("/api/v1/actions/").status_code == 200


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "token"])
def test_token_works_with_either_scheme(api, token_for, lead, world, scheme):
    api.credentials(HTTP_AUTHORIZATION=f"{scheme} {token_for(lead)}")
    assert api.get("/api/v1/me/").json()["username"] == lead.username


def test_token_acts_as_its_user(api_with_token, lead, agency):
    me = api_with_token(lead).get("/api/v1/me/").json()
    assert me["memberships"] == [{"agency_id": agency.pk, "agency": "customs", "role": "lead"}]
    assert me["token"]["name"] == "Test client"
    assert me["token"]["read_only"] is False


def test_wrong_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token tsoc_not-a-real-key")
    assert_error(api.get("/api/v1/actions/"), 401, "authentication_failed")


def test_token_with_a_space_in_it_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token two words")
    assert_error(api.get("/api/v1/actions/"), 401, "authentication_failed")


def test_revoked_token_is_401(api, token_for, lead):
    key = token_for(lead)
    ApiToken.objects.get(key_hash=hash_key(key)).revoke()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert_error(api.get("/api/v1/actions/"), 401)


def test_token_of_a_deactivated_person_is_401(api, token_for, lead):
    key = token_for(lead)
    lead.is_active = False
    lead.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert_error(api.get("/api/v1/actions/"), 401)


def test_read_only_token_reads(api_with_token, lead, world):
    assert api_with_token(lead, read_only=True).get("/api/v1/status-updates/").status_code == 200


def test_read_only_token_cannot_write(api_with_token, lead, world):
    client = api_with_token(lead, read_only=True)
    body = assert_error(
        client.post(
            "/api/v1/status-updates/",
            {"action_id": world["two_a"].pk, "period": "2026-Q3", "agency": "customs"},
            format="json",
        ),
        403,
        "permission_denied",
    )
    assert "read-only" in body["detail"]


def test_only_a_hash_of_the_key_is_stored(lead):
    token, key = ApiToken.objects.issue(lead, name="Power BI")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert token.key_hash == hash_key(key)
    assert key.startswith(token.prefix)


def test_use_of_a_token_is_recorded(api, token_for, lead):
    key = token_for(lead)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get("/api/v1/me/")
    assert ApiToken.objects.get(key_hash=hash_key(key)).last_used_at is not None


def test_issue_api_token_prints_a_working_key_once(capsys, api, lead):
    call_command("issue_api_token", lead.username, "--read-only", "--name", "Police dashboard")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert (token.user, token.name, token.read_only) == (lead, "Police dashboard", True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["token"]["read_only"] is True


def test_issue_api_token_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="no user"):
        call_command("issue_api_token", "nobody.here")


@pytest.fixture
def tight_throttle(monkeypatch, settings):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(ApiRateThrottle, "THROTTLE_RATES", {"token": "2/min", "user": "2/min"})
    yield
    cache.clear()


def test_throttling_is_per_token(tight_throttle, api, token_for, lead):
    first, second = token_for(lead), token_for(lead)
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert [api.get("/api/v1/me/").status_code for _ in range(2)] == [200, 200]
    throttled = api.get("/api/v1/me/")
    assert_error(throttled, 429, "throttled")
    assert int(throttled["Retry-After"]) > 0
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/v1/me/").status_code == 200  # the other token has its own allowance
