"""Nothing typed into a return is lost to a timeout: kept as it is typed (for its writer only,
never over someone else's save), kept when Save arrives after the session expired, and saved
once the same person signs in again."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import ReturnDraft, StatusUpdate
from reporting.returns import drafts
from tests.reporting.factories import StatusUpdateFactory
from tests.reporting.scenes import open_period, shared_action
from tests.reporting.test_return_pages import filled, form_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(agency):
    period = open_period()
    action = shared_action(agency)
    return action, period


def autosave_url(action, agency, period):
    return form_url(action, agency, period) + "autosave/"


def form_key_on(page: str) -> str:
    return re.search(r'name="form_key" value="([^"]+)"', page).group(1)


def test_what_is_typed_is_kept_and_back_in_the_form_next_time(client, scene, agency, lead):
    action, period = scene
    client.force_login(lead)
    kept = client.post(autosave_url(action, agency, period), filled(commentary="Half a thought"))

    page = client.get(form_url(action, agency, period)).content.decode()

    assert kept.status_code == 200 and kept.json()["revision"] == 1
    assert "Your unsaved changes are back in the form" in page
    assert "Half a thought" in page
    assert not StatusUpdate.objects.exists()  # kept for the writer; the return is unchanged


def test_kept_text_is_its_writers_alone(client, scene, agency, lead, contributor):
    action, period = scene
    client.force_login(lead)
    client.post(autosave_url(action, agency, period), filled(commentary="Lead's private note"))
    client.force_login(contributor)

    page = client.get(form_url(action, agency, period)).content.decode()

    assert "Lead's private note" not in page


def test_nothing_is_kept_over_a_return_someone_else_saved_meanwhile(
    client, scene, agency, lead, contributor
):
    action, period = scene
    update = StatusUpdateFactory(action=action, period=period, agency=agency)
    client.force_login(lead)
    opened_at = update.version
    update.commentary = "Contributor's save"
    update.save_if_unchanged(update.version, by=contributor, reason="Saved")

    answer = client.post(
        autosave_url(action, agency, period), filled(commentary="Mine", version=opened_at)
    )

    assert answer.status_code == 409
    assert "saved this update at" in answer.json()["problem"]
    assert not ReturnDraft.objects.exists()


def test_a_second_window_cannot_overwrite_newer_kept_text(client, scene, agency, lead):
    action, period = scene
    client.force_login(lead)
    url = autosave_url(action, agency, period)
    client.post(url, filled(commentary="Window one"))  # revision 1
    client.post(url, filled(commentary="Window one, later", draft_revision="1"))  # revision 2

    stale = client.post(url, filled(commentary="Window two", draft_revision="1"))

    assert stale.status_code == 409
    assert ReturnDraft.objects.get().data["commentary"] == "Window one, later"


def test_kept_text_typed_over_an_older_version_is_shown_as_a_conflict(
    client, scene, agency, lead, contributor
):
    action, period = scene
    update = StatusUpdateFactory(action=action, period=period, agency=agency)
    client.force_login(lead)
    client.post(
        autosave_url(action, agency, period),
        filled(commentary="Mine, kept", version=update.version),
    )
    update.commentary = "Theirs, saved"
    update.save_if_unchanged(update.version, by=contributor, reason="Saved")

    response = client.get(form_url(action, agency, period))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this update" in page
    assert "Mine, kept" in page and "Theirs, saved" in page


def test_saving_forgets_the_kept_text(client, scene, agency, lead):
    action, period = scene
    client.force_login(lead)
    client.post(autosave_url(action, agency, period), filled(commentary="Draft"))

    client.post(form_url(action, agency, period), filled(commentary="Draft"))

    assert StatusUpdate.objects.get().commentary == "Draft"
    assert not ReturnDraft.objects.exists()


def test_kept_text_can_be_thrown_away(client, scene, agency, lead):
    action, period = scene
    client.force_login(lead)
    client.post(autosave_url(action, agency, period), filled(commentary="Never mind"))

    response = client.post(autosave_url(action, agency, period), {"discard": "1"})

    assert response.url == form_url(action, agency, period)
    assert not ReturnDraft.objects.exists()


def test_save_after_the_session_expired_is_saved_once_the_person_signs_in(
    client, scene, agency, lead
):
    action, period = scene
    client.force_login(lead)
    key = form_key_on(client.get(form_url(action, agency, period)).content.decode())
    signed_out = Client()  # the session has gone; the page and its key are still in the browser

    response = signed_out.post(
        form_url(action, agency, period), filled(commentary="Typed for an hour", form_key=key)
    )
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not StatusUpdate.objects.exists()
    signed_out.force_login(lead)
    after = signed_out.get(form_url(action, agency, period))

    assert StatusUpdate.objects.get().commentary == "Typed for an hour"
    assert after.url == reverse("reporting:my_actions")
    assert not ReturnDraft.objects.exists()


def test_check_and_submit_after_expiry_goes_on_to_the_check_page(client, scene, agency, lead):
    action, period = scene
    client.force_login(lead)
    key = form_key_on(client.get(form_url(action, agency, period)).content.decode())
    signed_out = Client()
    signed_out.post(form_url(action, agency, period), filled(intent="submit", form_key=key))
    signed_out.force_login(lead)

    after = signed_out.get(form_url(action, agency, period))

    assert after.url == form_url(action, agency, period) + "check/"


def test_text_kept_after_expiry_is_never_saved_as_someone_else(
    client, scene, agency, lead, contributor
):
    action, period = scene
    client.force_login(lead)
    key = form_key_on(client.get(form_url(action, agency, period)).content.decode())
    shared_computer = Client()
    shared_computer.post(form_url(action, agency, period), filled(commentary="Lee's", form_key=key))
    shared_computer.force_login(contributor)

    page = shared_computer.get(form_url(action, agency, period)).content.decode()

    assert not StatusUpdate.objects.exists()
    assert "Lee's" not in page
    assert ReturnDraft.objects.get().user == lead  # still kept for Lee


def test_a_forged_form_key_keeps_nothing(scene, agency, lead):
    action, period = scene
    forged = drafts.form_key(lead, action, period, agency)[:-2] + "xx"

    response = Client().post(form_url(action, agency, period), filled(form_key=forged))

    assert response.url.startswith(reverse("login"))
    assert not ReturnDraft.objects.exists()


def test_autosave_after_expiry_keeps_the_text_and_says_so(client, scene, agency, lead):
    action, period = scene
    client.force_login(lead)
    key = form_key_on(client.get(form_url(action, agency, period)).content.decode())

    answer = Client().post(autosave_url(action, agency, period), filled(form_key=key))

    assert answer.status_code == 401
    assert answer.json()["kept"] is True
    assert ReturnDraft.objects.get().intent == ReturnDraft.Intent.KEPT


def test_the_session_says_how_long_it_has_left_and_can_be_renewed(client, lead, settings):
    client.force_login(lead)
    status = client.get(reverse("session_status")).json()
    client.session.set_expiry(60)
    renewed = client.post(reverse("session_status")).json()

    assert status["signed_in"] is True
    assert settings.SESSION_COOKIE_AGE - 5 < status["seconds_left"] <= settings.SESSION_COOKIE_AGE
    assert renewed["seconds_left"] > settings.SESSION_COOKIE_AGE - 5
    assert Client().get(reverse("session_status")).json() == {"signed_in": False, "seconds_left": 0}


def test_pages_carry_the_seconds_left_for_the_warning(client, lead):
    client.force_login(lead)
    page = client.get(reverse("reporting:my_actions")).content.decode()

    assert "data-session-seconds-left=" in page and "js/session.js" in page
