"""The secretariat issues and revokes tokens in the admin; nobody else sees them there."""

import re

import pytest

from agencies.tokens import ApiToken, hash_key

pytestmark = pytest.mark.django_db

ADD = "/admin/agencies/apitoken/add/"


@pytest.fixture
def secretariat_staff(secretariat_user):
    secretariat_user.is_staff = True
    secretariat_user.save()
    return secretariat_user


def test_secretariat_issues_a_token_and_sees_its_key_once(client, secretariat_staff, lead, api):
    client.force_login(secretariat_staff)
    response = client.post(
        ADD, {"user": lead.pk, "name": "Customs Power BI", "read_only": "on"}, follow=True
    )
    key = re.search(r"tsoc_[\w-]+", response.content.decode())[0]
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert (token.user, token.read_only, token.issued_by) == (lead, True, secretariat_staff)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["username"] == lead.username
    assert key not in client.get(f"/admin/agencies/apitoken/{token.pk}/change/").content.decode()


def test_secretariat_revokes_tokens(client, secretariat_staff, lead, api):
    token, key = ApiToken.objects.issue(lead, name="Old dashboard")
    client.force_login(secretariat_staff)
    client.post(
        "/admin/agencies/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 401


def test_revoked_tokens_are_listed_apart(client, secretariat_staff, lead):
    ApiToken.objects.issue(lead, name="Current dashboard")
    ApiToken.objects.issue(lead, name="Retired")[0].revoke()
    client.force_login(secretariat_staff)
    page = client.get("/admin/agencies/apitoken/?state=revoked").content.decode()
    assert "Retired" in page and "Current dashboard" not in page


def test_other_staff_cannot_see_tokens(client, lead):
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    assert client.get("/admin/agencies/apitoken/").status_code == 403
