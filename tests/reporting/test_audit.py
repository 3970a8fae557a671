"""The audit trail: every change to actions, measures and updates — who, when, before, after."""

import pytest
from django.urls import reverse

from reporting.audit import action_history, update_history
from reporting.models import StatusUpdate
from reporting.returns import services
from tests.actions.factories import SuccessMeasureFactory
from tests.reporting.scenes import shared_action

pytestmark = pytest.mark.django_db


def start(user, action, period, agency, commentary="First words."):
    return services.start_update(
        action,
        period,
        agency,
        data={"status": "on_track", "percent_complete": 30, "commentary": commentary},
        by=user,
    )


def test_each_change_to_an_update_records_who_and_what_changed(
    lead, contributor, secretariat_user, agency, action, period
):
    update = start(contributor, action, period, agency)
    services.change_update(
        update, data={"commentary": "Better words."}, by=lead, expected_version=1
    )
    services.submit_update(update, by=lead, expected_version=2)
    services.return_update(
        update, by=secretariat_user, comment="Add figures.", expected_version=update.version
    )

    returned, submitted, saved, started = [
        entry for entry in update_history(update) if entry.subject == "This update"
    ]
    assert (started.kind, started.reason, started.who) == ("Created", "Started", contributor)
    assert (saved.reason, saved.who) == ("Saved", lead)
    assert [(c.field, c.before, c.after) for c in saved.changes] == [
        ("Progress commentary", "First words.", "Better words.")
    ]
    assert [(c.field, c.after) for c in submitted.changes] == [("Return state", "Submitted")]
    assert returned.who == secretariat_user
    assert ("Secretariat's comment", "—", "Add figures.") in [
        (c.field, c.before, c.after) for c in returned.changes
    ]


def test_changes_made_through_pages_record_the_signed_in_user(
    client_for, lead, agency, action, period
):
    """HistoryRequestMiddleware gives history rows the request's user, e.g. admin edits."""
    client_for(lead).post(
        reverse(
            "reporting:update_form",
            kwargs={
                "period": period.code,
                "plan": action.plan.slug,
                "number": action.number,
                "agency": agency.slug,
            },
        ),
        {"status": "on_track", "commentary": "Via the page.", "intent": "save", "version": ""},
    )
    assert StatusUpdate.history.get().history_user == lead


def test_the_action_page_shows_changes_to_the_action_its_measures_and_updates(
    client_for, viewer, lead, agency, action, period
):
    action.title = "Disrupt cash smuggling at every border"
    action._history_user = lead
    action.save()
    measure = SuccessMeasureFactory(action=action, statement="Seizures rise.")
    measure.statement = "Seizures rise year on year."
    measure.save()
    start(lead, action, period, agency)

    page = client_for(viewer).get(action.get_absolute_url()).content.decode()

    assert "Who changed what" in page
    assert "Disrupt cash smuggling at the border" in page  # before
    assert "Disrupt cash smuggling at every border" in page  # after
    assert "Success measure: Seizures rise year on year." in page
    assert "Customs&#x27;s update for Q1 2026/27" in page


def test_another_agency_sees_the_action_but_not_updates_it_has_no_part_in(
    client_for, lead, other_lead, agency, period
):
    ours = shared_action(agency, title="Customs alone")
    start(lead, ours, period, agency, commentary="Customs-only detail.")

    page = client_for(other_lead).get(ours.get_absolute_url()).content.decode()

    assert "Customs alone" in page
    assert "Customs-only detail." not in page
    assert not [
        e
        for e in action_history(ours, StatusUpdate.objects.visible_to(other_lead))
        if "update" in e.subject
    ]


def test_the_admin_shows_an_updates_history_but_cannot_change_it(
    admin_client, lead, agency, action, period
):
    update = start(lead, action, period, agency)
    history = admin_client.get(reverse("admin:reporting_statusupdate_history", args=[update.pk]))
    assert history.status_code == 200
    assert "Started" in history.content.decode()
    change_page = admin_client.get(reverse("admin:reporting_statusupdate_change", args=[update.pk]))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.content.decode()
    refused = admin_client.post(
        reverse("admin:reporting_statusupdate_change", args=[update.pk]),
        {"commentary": "Overwritten in the admin"},
    )
    assert refused.status_code == 403
    update.refresh_from_db()
    assert update.commentary == "First words."
