"""Signing in and out, changing a password, and resetting a forgotten one by email."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's


def test_signing_in_takes_a_lead_to_my_actions(client, lead):
    response = client.post(
        reverse("login"), {"username": lead.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:my_actions")


def test_a_wrong_password_is_refused_with_a_message(client, lead):
    response = client.post(reverse("login"), {"username": lead.username, "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_every_page_asks_for_sign_in_first(client):
    response = client.get(reverse("reporting:my_actions"))
    assert response.url == f"{reverse('login')}?next={reverse('reporting:my_actions')}"


def test_signing_out_needs_a_post_and_ends_the_session(client_for, lead):
    client = client_for(lead)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("reporting:my_actions")).status_code == 302


def test_a_user_changes_their_password(client_for, lead):
    client = client_for(lead)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-longer-quarterly-passphrase",
            "new_password2": "a-longer-quarterly-passphrase",
        },
    )
    assert response.url == reverse("password_change_done")
    lead.refresh_from_db()
    assert lead.check_password("a-longer-quarterly-passphrase")


def test_a_mistyped_new_password_is_shown_next_to_the_field(client_for, lead):
    response = client_for(lead).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abd"},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'id="id_new_password2_error"' in page


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, lead):
    response = client.post(reverse("password_reset"), {"email": lead.email})
    assert response.url == reverse("password_reset_done")
    (email,) = mail.outbox
    assert email.subject == "Reset your TSOC Tracker password"
    link = re.search(r"https?://\S+/accounts/reset/\S+/", email.body).group(0)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-start-for-q3", "new_password2": "a-fresh-start-for-q3"},
    )
    lead.refresh_from_db()
    assert lead.check_password("a-fresh-start-for-q3")
