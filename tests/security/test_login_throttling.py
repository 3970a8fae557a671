"""Sign-in throttling (django-axes): repeated wrong passwords lock that username on that address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def throttling_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def sign_in(client, username, password, address="198.51.100.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_four_wrong_passwords_still_get_the_sign_in_form_back(client, lead):
    for _ in range(4):
        response = sign_in(client, lead.username, "wrong")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_fifth_wrong_password_locks_the_account_with_a_clear_page(client, lead):
    for _ in range(4):
        sign_in(client, lead.username, "wrong")

    response = sign_in(client, lead.username, "wrong")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert "blocked for 15 minutes" in page
    assert lead.username in page


def test_the_right_password_is_refused_during_the_lockout(client, lead):
    for _ in range(5):
        sign_in(client, lead.username, "wrong")

    response = sign_in(client, lead.username, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_password_works_again_after_the_cool_off(client, lead):
    for _ in range(5):
        sign_in(client, lead.username, "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = sign_in(client, lead.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lead.pk)


def test_the_secretariat_unlocks_someone_early_in_the_admin(client, lead, secretariat_user):
    for _ in range(5):
        sign_in(client, lead.username, "wrong")
    secretariat_user.is_staff = True
    secretariat_user.save()
    admin = Client()
    admin.force_login(secretariat_user)
    attempts = reverse("admin:axes_accessattempt_changelist")

    listed = admin.get(attempts)
    admin.post(
        attempts,
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert listed.status_code == 200
    assert lead.username in listed.content.decode()
    assert sign_in(client, lead.username, PASSWORD).status_code == 302


def test_a_lockout_does_not_block_other_people_at_the_same_address(client, lead, other_lead):
    for _ in range(5):
        sign_in(client, lead.username, "wrong")

    response = sign_in(client, other_lead.username, PASSWORD)

    assert response.status_code == 302


def test_a_successful_sign_in_forgets_earlier_mistakes(client, lead):
    for _ in range(4):
        sign_in(client, lead.username, "wrong")
    sign_in(client, lead.username, PASSWORD)
    client.logout()

    for _ in range(4):
        response = sign_in(client, lead.username, "wrong")

    assert response.status_code == 200


def test_the_admin_sign_in_is_the_throttled_sign_in_page(client, secretariat_user):
    secretariat_user.is_staff = True
    secretariat_user.save()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": secretariat_user.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )

    # The admin has no password form of its own to throttle (or to skip the second step).
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert "_auth_user_id" not in client.session
