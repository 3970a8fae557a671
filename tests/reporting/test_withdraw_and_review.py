"""Check your answers, withdraw before review, and a review that keeps its words."""

import pytest
from django.urls import reverse

from reporting.audit import update_history
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.returns import services
from reporting.returns.check import word_difference
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory
from tests.reporting.test_return_pages import check_url, filled, form_url

pytestmark = pytest.mark.django_db


def submitted(lead, action, period, agency):
    update = services.start_update(
        action,
        period,
        agency,
        data={"status": "on_track", "percent_complete": 30, "commentary": "Two operations."},
        by=lead,
    )
    return services.submit_update(update, by=lead, expected_version=update.version)


# Check your answers -------------------------------------------------------------------------


def test_submit_leads_to_a_summary_and_only_its_button_submits(
    client_for, lead, agency, action, period
):
    client = client_for(lead)
    response = client.post(form_url(action, agency, period), filled(intent="submit"))
    assert response.url == check_url(action, agency, period)
    update = StatusUpdate.objects.get()
    assert update.state == "draft"
    page = client.get(response.url).content.decode()
    assert "Check Customs's update before submitting" in page
    assert "Two operations this quarter." in page
    assert page.count(">Change<") == 5
    assert f'href="{form_url(action, agency, period)}#id_commentary"' in page
    client.post(check_url(action, agency, period), {"version": update.version})
    assert StatusUpdate.objects.get().state == "submitted"


def test_the_summary_marks_the_words_changed_since_last_quarter(
    client_for, lead, agency, action, period
):
    earlier = ReportingPeriodFactory(year=2026, quarter=2, state=ReportingPeriod.State.CLOSED)
    StatusUpdateFactory(
        action=action, agency=agency, period=earlier, commentary="One operation began."
    )
    client = client_for(lead)
    client.post(form_url(action, agency, period), filled(commentary="Two operations began."))
    page = client.get(check_url(action, agency, period)).content.decode()
    assert '<del class="diff">One</del><ins class="diff">Two</ins>' in page
    assert '<del class="diff">operation</del><ins class="diff">operations</ins>' in page


def test_a_word_difference_escapes_what_was_typed():
    assert word_difference("a <b>", "a <i>") == (
        'a <del class="diff">&lt;b&gt;</del><ins class="diff">&lt;i&gt;</ins>'
    )


def test_a_stale_check_page_does_not_submit(client_for, lead, contributor, agency, action, period):
    update = StatusUpdateFactory(action=action, agency=agency, period=period, state="draft")
    services.change_update(
        update, data={"commentary": "Newer."}, by=contributor, expected_version=1
    )
    response = client_for(lead).post(check_url(action, agency, period), {"version": "1"})
    assert response.url == check_url(action, agency, period)
    assert StatusUpdate.objects.get().state == "draft"


# Withdraw -----------------------------------------------------------------------------------


def test_a_lead_withdraws_a_submitted_return_before_review(
    client_for, lead, agency, action, period
):
    update = submitted(lead, action, period, agency)
    client = client_for(lead)
    page = client.get(reverse("reporting:update_detail", kwargs={"pk": update.pk}))
    assert "Withdraw to make changes" in page.content.decode()
    response = client.post(
        reverse("reporting:update_withdraw", kwargs={"pk": update.pk}),
        {"version": update.version},
    )
    assert response.url == form_url(action, agency, period)
    update.refresh_from_db()
    assert (update.state, update.submitted_at) == ("draft", None)
    assert update_history(update)[0].reason == "Withdrawn before review"


def test_a_reviewed_return_cannot_be_withdrawn(lead, secretariat_user, agency, action, period):
    update = submitted(lead, action, period, agency)
    services.accept_update(update, by=secretariat_user, expected_version=update.version)
    with pytest.raises(Exception) as refused:
        services.withdraw_update(update, by=lead, expected_version=update.version)
    assert "Only a submitted update can be withdrawn; this one is accepted." in str(refused.value)
    assert StatusUpdate.objects.get().state == "accepted"


def test_a_contributor_cannot_withdraw(client_for, lead, contributor, agency, action, period):
    update = submitted(lead, action, period, agency)
    response = client_for(contributor).post(
        reverse("reporting:update_withdraw", kwargs={"pk": update.pk}), {"version": update.version}
    )
    assert response.status_code == 403
    assert StatusUpdate.objects.get().state == "submitted"


def test_the_cant_be_changed_page_says_why_and_who_can_help(
    client_for, lead, contributor, agency, action, period
):
    submitted(lead, action, period, agency)
    lead_page = client_for(lead).get(form_url(action, agency, period)).content.decode()
    assert "Until it is reviewed, a lead of Customs can withdraw it" in lead_page
    assert "Withdraw it to make changes" in lead_page
    assert "the secretariat (tsoc-secretariat@localhost) can return it" in lead_page
    page = client_for(contributor).get(form_url(action, agency, period)).content.decode()
    assert "Withdraw it to make changes" not in page


# Review -------------------------------------------------------------------------------------


def test_accept_keeps_its_comment_on_the_update_and_in_its_history(
    client_for, lead, secretariat_user, agency, action, period
):
    update = submitted(lead, action, period, agency)
    client_for(secretariat_user).post(
        reverse("reporting:update_review", kwargs={"pk": update.pk}),
        {"decision": "accept", "version": update.version, "comment": "Clear and complete."},
    )
    update.refresh_from_db()
    assert (update.state, update.review_comment) == ("accepted", "Clear and complete.")
    page = client_for(lead).get(reverse("reporting:update_detail", kwargs={"pk": update.pk}))
    assert "Clear and complete." in page.content.decode()
    accepted = next(e for e in update_history(update) if e.subject == "This update")
    assert ("Secretariat's comment", "Clear and complete.") in [
        (c.field, c.after) for c in accepted.changes
    ]


def test_return_needs_a_comment_in_plain_words(
    client_for, lead, secretariat_user, agency, action, period
):
    update = submitted(lead, action, period, agency)
    response = client_for(secretariat_user).post(
        reverse("reporting:update_review", kwargs={"pk": update.pk}),
        {"decision": "return", "version": update.version, "comment": "  "},
    )
    assert response.context["review_form"].errors == {
        "comment": ["Write a comment saying what needs to change before returning the update."]
    }
    assert StatusUpdate.objects.get().state == "submitted"


def test_a_review_with_no_decision_says_what_to_do(
    client_for, lead, secretariat_user, agency, action, period
):
    update = submitted(lead, action, period, agency)
    response = client_for(secretariat_user).post(
        reverse("reporting:update_review", kwargs={"pk": update.pk}),
        {"decision": "maybe", "version": update.version},
    )
    assert response.context["review_form"].errors == {
        "decision": ["Choose Accept or Return for changes."]
    }
