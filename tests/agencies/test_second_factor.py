"""Two-step sign-in for local passwords: who must use it, that nobody is signed in before the
second step, recovery codes work once, and every set-up and reset names who did it."""

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import SecondFactorEvent
from agencies.roles import SECRETARIAT
from agencies.signin import second_factor
from tests.agencies.factories import UserFactory
from tests.agencies.two_step import code_from_key, next_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's


def give_password(client, user, **extra):
    return client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, **extra
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def with_app(user) -> list[str]:
    """Set up an app for ``user`` as the set-up page does; returns their recovery codes."""
    device = second_factor.start_enrolment(user)
    return second_factor.confirm_enrolment(
        device, code_from_key(second_factor.secret_for_typing(device))
    )


def test_the_secretariat_must_set_up_an_app_before_being_signed_in(client, secretariat_user):
    response = give_password(client, secretariat_user)

    assert response.status_code == 302 and response["Location"] == "/accounts/two-step/set-up/"
    assert not signed_in(client)
    assert client.get("/my-actions/").status_code == 302  # still the sign-in page


def test_staff_must_set_up_an_app_too(client, lead):
    lead.is_staff = True
    lead.save()

    assert give_password(client, lead)["Location"] == "/accounts/two-step/set-up/"
    assert not signed_in(client)


def test_a_lead_without_an_app_signs_in_with_the_password_alone(client, lead):
    response = give_password(client, lead)

    assert response.status_code == 302 and signed_in(client)


def test_a_lead_with_an_app_gives_its_code_after_the_password(client, lead):
    with_app(lead)

    assert give_password(client, lead)["Location"] == "/accounts/login/code/"
    assert not signed_in(client)
    wrong = client.post("/accounts/login/code/", {"code": "12345"})
    assert wrong.status_code == 400 and not signed_in(client)
    TOTPDevice.objects.filter(user=lead).update(throttling_failure_count=0)  # a second later
    assert (
        client.post("/accounts/login/code/", {"code": next_code(lead.username)}).status_code == 302
    )
    assert signed_in(client)


def test_the_code_step_goes_where_the_person_was_going(client, lead):
    with_app(lead)
    client.post(
        "/accounts/login/?next=/plans/",
        {"username": lead.username, "password": PASSWORD, "next": "/plans/"},
    )

    response = client.post("/accounts/login/code/", {"code": next_code(lead.username)})

    assert response["Location"] == "/plans/"


def test_a_recovery_code_works_once_and_the_use_is_recorded(client, lead):
    codes = with_app(lead)

    give_password(client, lead)
    assert client.post("/accounts/login/code/", {"code": codes[0].upper()}).status_code == 302
    client.logout()
    give_password(client, lead)
    again = client.post("/accounts/login/code/", {"code": codes[0]})

    assert again.status_code == 400 and not signed_in(client)
    assert second_factor.recovery_codes_left(lead) == 9
    assert list(SecondFactorEvent.objects.values_list("kind", "by")) == [
        ("recovery_code_used", lead.pk),
        ("enrolled", lead.pk),
    ]


def test_the_code_step_needs_the_password_step_first(client, lead):
    with_app(lead)

    response = client.post("/accounts/login/code/", {"code": next_code(lead.username)})

    assert response["Location"] == "/accounts/login/" and not signed_in(client)


def test_a_password_step_left_too_long_must_start_again(client, lead, monkeypatch):
    with_app(lead)
    give_password(client, lead)
    session = client.session
    session["signin.pending"]["until"] = 0
    session.save()

    response = client.post("/accounts/login/code/", {"code": next_code(lead.username)})

    assert response["Location"] == "/accounts/login/" and not signed_in(client)


def test_the_admin_signs_in_through_the_same_two_steps(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_the_secretariat_resets_a_lost_phone_and_the_reset_names_them(
    client_for, secretariat_user, lead
):
    with_app(lead)

    response = client_for(secretariat_user).post(f"/accounts/two-step/people/{lead.pk}/reset/")

    assert response.status_code == 302
    assert (
        second_factor.authenticator(lead) is None and second_factor.recovery_codes_left(lead) == 0
    )
    reset = SecondFactorEvent.objects.first()
    assert (reset.person, reset.kind, reset.by) == (lead, "reset", secretariat_user)


def test_nobody_resets_their_own_second_factor(client_for, secretariat_user):
    with_app(secretariat_user)

    response = client_for(secretariat_user).post(
        f"/accounts/two-step/people/{secretariat_user.pk}/reset/"
    )

    assert response.status_code == 404 and second_factor.authenticator(secretariat_user)


@pytest.mark.parametrize("who", ["lead", "viewer", "contributor"])
def test_only_the_secretariat_and_staff_may_reset_anyone(request, who, other_lead):
    user = request.getfixturevalue(who)
    assert list(second_factor.people_resettable_by(user)) == []
    secretary = UserFactory(username="another.secretary")
    secretary.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    assert other_lead in second_factor.people_resettable_by(secretary)


def test_the_secretariat_cannot_turn_two_step_sign_in_off(client_for, secretariat_user):
    with_app(secretariat_user)
    client = client_for(secretariat_user)

    client.post("/accounts/two-step/turn-off/", {"code": next_code(secretariat_user.username)})

    assert second_factor.authenticator(secretariat_user) is not None


def test_a_lead_turns_it_off_with_a_code(client_for, lead):
    with_app(lead)

    client_for(lead).post("/accounts/two-step/turn-off/", {"code": next_code(lead.username)})

    assert second_factor.authenticator(lead) is None
    assert SecondFactorEvent.objects.first().kind == "turned_off"


def test_new_recovery_codes_replace_the_old(client_for, lead):
    old = with_app(lead)

    response = client_for(lead).post(
        "/accounts/two-step/recovery-codes/new/", {"code": next_code(lead.username)}, follow=True
    )

    new = response.context["codes"]
    assert len(new) == 10 and not set(old) & set(new)
    assert not second_factor.verify(lead, old[0])


def test_api_tokens_need_no_second_factor(client, secretariat_user):
    from agencies.models import ApiToken

    with_app(secretariat_user)
    _, secret = ApiToken.objects.issue(secretariat_user, name="Reporting script")

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code == 200


def test_with_local_passwords_off_the_sign_in_page_offers_only_the_agency(client, lead, settings):
    settings.LOCAL_PASSWORDS_ENABLED = False
    settings.OIDC_RP_CLIENT_ID = "tsoc-tracker"
    settings.OIDC_OP_ISSUER = "https://login.example.govt.nz"

    page = client.get("/accounts/login/").content.decode()
    response = give_password(client, lead)

    assert "Sign in with your agency account" in page and 'name="password"' not in page
    assert not signed_in(client) and response.status_code == 200
