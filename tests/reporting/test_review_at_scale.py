"""Review at scale: several submitted returns accepted at once from the period page (each
version-checked: a stale one is skipped and named, never overwritten); what changed since last
quarter side by side on each return's page, with text carried forward unchanged flagged; and the
secretariat's small corrections, recorded as theirs in the history with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reporting.audit import update_history
from reporting.models import StatusUpdate
from reporting.models.updates import StaleUpdateError
from reporting.returns import services
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def accept_url(setup):
    return reverse("reporting:period_accept", kwargs={"code": setup.period.code})


def test_bulk_accept_with_one_stale_return_accepts_the_others_and_names_the_stale_one(
    client_for, setup, secretariat_user, lead
):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    u3a_customs = setup.updates[("3a", "customs", "2026-Q3")]
    u3a_police = setup.updates[("3a", "police", "2026-Q3")]
    page = client_for(secretariat_user).get(
        reverse("reporting:period_detail", kwargs={"code": setup.period.code})
    )
    chosen = [f"{u.pk}:{u.version}" for u in (u1, u3a_customs, u3a_police)]
    for value in chosen:
        assert f'value="{value}"' in page.content.decode()
    # Customs' lead withdraws and resubmits 1 after the page was loaded.
    services.withdraw_update(u1, by=lead, expected_version=u1.version)
    services.submit_update(u1, by=lead, expected_version=u1.version)

    response = client_for(secretariat_user).post(accept_url(setup), {"accept": chosen}, follow=True)

    states = dict(
        StatusUpdate.objects.filter(pk__in=[u1.pk, u3a_customs.pk, u3a_police.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {u1.pk: "submitted", u3a_customs.pk: "accepted", u3a_police.pk: "accepted"}
    said = [str(m) for m in response.context["messages"]]
    assert said[0] == "2 returns accepted: Customs on TSOC 3a; Police on TSOC 3a."
    assert said[1].startswith(
        "Not accepted, because someone changed them after this page was loaded: Customs on TSOC 1."
    )


def test_bulk_accept_skips_a_return_no_longer_submitted_and_says_why(
    client_for, setup, secretariat_user, lead
):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    services.accept_update(u1, by=secretariat_user, expected_version=u1.version)

    outcome = services.accept_updates([(u1, u1.version)], by=secretariat_user)

    assert (outcome.accepted, outcome.stale) == ([], [])
    assert outcome.refused == [(u1, "Only a submitted update is accepted.")]


def test_only_the_secretariat_accepts_in_bulk(setup, viewer, lead):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    for person in (viewer, lead):
        with pytest.raises(PermissionDenied):
            services.accept_updates([(u1, u1.version)], by=person)
    u1.refresh_from_db()
    assert u1.state == "submitted"


def test_the_review_page_shows_last_quarter_beside_this_one_and_flags_text_carried_forward(
    client_for, setup, secretariat_user
):
    previous = setup.updates[("1", "customs", "2026-Q2")]
    StatusUpdate.objects.filter(pk=previous.pk).update(
        commentary="Scanners ordered for Auckland.", risks="Supplier delays."
    )
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    StatusUpdate.objects.filter(pk=u1.pk).update(
        commentary="Scanners installed for Auckland.", risks="Supplier delays."
    )

    page = client_for(secretariat_user).get(reverse("reporting:update_detail", args=[u1.pk]))
    html = page.content.decode()

    rows = {a.field: a for a in page.context["changes"]}
    assert (rows["commentary"].changed, rows["commentary"].carried_forward) == (True, False)
    assert (rows["risks"].changed, rows["risks"].carried_forward) == (False, True)
    assert rows["next_steps"].carried_forward is False  # empty both times: nothing carried
    # Last quarter's column marks what was taken out; this quarter's what was added.
    assert 'Scanners <del class="diff">ordered</del> for Auckland.' in html
    assert 'Scanners <ins class="diff">installed</ins> for Auckland.' in html
    assert html.count("Carried forward unchanged") == 1


def test_a_first_update_says_there_is_nothing_to_compare(client_for, setup, secretariat_user):
    u3b = setup.updates[("3b", "police", "2026-Q3")]

    page = client_for(secretariat_user).get(reverse("reporting:update_detail", args=[u3b.pk]))

    assert "no earlier update on this action to compare with" in page.content.decode()


def test_a_correction_by_the_secretariat_is_recorded_as_theirs_with_the_reason(
    setup, secretariat_user
):
    u1 = setup.updates[("1", "customs", "2026-Q3")]

    services.correct_update(
        u1,
        data={"commentary": "Scanners installed at Auckland."},
        reason="Named the port",
        by=secretariat_user,
        expected_version=u1.version,
    )

    u1.refresh_from_db()
    assert (u1.state, u1.commentary) == ("submitted", "Scanners installed at Auckland.")
    entry = next(e for e in update_history(u1) if e.subject == "This update")
    assert (entry.who, entry.reason) == (
        secretariat_user,
        "Corrected by the secretariat: Named the port",
    )
    assert [(c.field, c.before, c.after) for c in entry.changes] == [
        ("Progress commentary", "Scanners installed.", "Scanners installed at Auckland.")
    ]
    assert list(u1.comments.values_list("kind", "body")) == [("corrected", "Named the port")]


def test_a_correction_is_version_checked_and_needs_a_reason(setup, secretariat_user, lead):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    read_at = u1.version
    with pytest.raises(ValidationError, match="Say why"):
        services.correct_update(
            u1, data={"commentary": "x"}, reason=" ", by=secretariat_user, expected_version=read_at
        )
    services.withdraw_update(u1, by=lead, expected_version=read_at)
    services.submit_update(u1, by=lead, expected_version=u1.version)
    stale = StatusUpdate.objects.get(pk=u1.pk)

    with pytest.raises(StaleUpdateError):
        services.correct_update(
            stale,
            data={"commentary": "x"},
            reason="Typo",
            by=secretariat_user,
            expected_version=read_at,
        )
    assert StatusUpdate.objects.get(pk=u1.pk).commentary == "Scanners installed."


def test_a_correction_changes_only_text_and_only_for_the_secretariat(setup, secretariat_user, lead):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    with pytest.raises(ValidationError, match="only the text"):
        services.correct_update(
            u1,
            data={"status": "complete"},
            reason="x",
            by=secretariat_user,
            expected_version=u1.version,
        )
    with pytest.raises(PermissionDenied):
        services.correct_update(
            u1, data={"commentary": "x"}, reason="x", by=lead, expected_version=u1.version
        )
    draft = setup.updates[("3b", "police", "2026-Q3")]
    with pytest.raises(ValidationError, match="Only a submitted or accepted update"):
        services.correct_update(
            draft,
            data={"commentary": "x"},
            reason="x",
            by=secretariat_user,
            expected_version=draft.version,
        )


def test_a_stale_correction_on_the_page_keeps_what_was_typed(
    client_for, setup, secretariat_user, lead
):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    read_at = u1.version
    services.withdraw_update(u1, by=lead, expected_version=read_at)
    services.submit_update(u1, by=lead, expected_version=u1.version)

    response = client_for(secretariat_user).post(
        reverse("reporting:update_correct", args=[u1.pk]),
        {"commentary": "My fixed words.", "reason": "Typo", "version": read_at},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "My fixed words." in html
    assert "Someone else changed this update while you were correcting it" in html
    assert f'name="version" value="{read_at + 2}"' in html


def test_a_return_withdrawn_since_the_page_was_read_is_reported_stale(
    setup, secretariat_user, lead
):
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    read_at = u1.version
    services.withdraw_update(u1, by=lead, expected_version=read_at)

    outcome = services.accept_updates(
        [(StatusUpdate.objects.get(pk=u1.pk), read_at)], by=secretariat_user
    )

    assert ([u.pk for u in outcome.stale], outcome.accepted, outcome.refused) == ([u1.pk], [], [])
    assert StatusUpdate.objects.get(pk=u1.pk).state == "draft"
