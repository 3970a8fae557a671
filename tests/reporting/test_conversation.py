"""The conversation on a return: the agency's people and the secretariat write in it, the review
decisions sit in the same thread with their comments, the others in the thread are emailed
exactly once through the reminder log, it is kept in the update's history, and a comment can be
withheld from proactive release like any update text."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting.audit import update_history
from reporting.conversation import services as conversation
from reporting.models import Comment, ReminderLog, ReportingPeriod, Withholding
from reporting.reminders.notify import comment_notices
from reporting.reminders.tasks import claim
from reporting.returns import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(contributor, lead, agency, action, period):
    update = services.start_update(
        action,
        period,
        agency,
        data={"status": "on_track", "percent_complete": 30, "commentary": "Two operations."},
        by=contributor,
    )
    return services.submit_update(update, by=lead, expected_version=update.version)


def detail(update):
    return reverse("reporting:update_detail", kwargs={"pk": update.pk})


def test_a_question_from_the_secretariat_and_the_agencys_answer_make_one_thread(
    client_for, submitted, secretariat_user, contributor
):
    client_for(secretariat_user).post(
        reverse("reporting:comment_add", kwargs={"pk": submitted.pk}),
        {"body": "Which ports do the two operations cover?"},
    )
    client_for(contributor).post(
        reverse("reporting:comment_add", kwargs={"pk": submitted.pk}),
        {"body": "Auckland and Tauranga."},
    )

    thread = list(submitted.comments.order_by("pk").values_list("author__username", "body"))
    assert thread == [
        ("sam.secretariat", "Which ports do the two operations cover?"),
        ("cat.contributor", "Auckland and Tauranga."),
    ]
    page = client_for(contributor).get(detail(submitted)).content.decode()
    assert page.index("Which ports") < page.index("Auckland and Tauranga.")


def test_the_review_decisions_and_their_comments_are_in_the_thread(
    submitted, secretariat_user, lead
):
    services.return_update(
        submitted, by=secretariat_user, comment="Add the figures.", expected_version=2
    )
    services.change_update(
        submitted, data={"commentary": "Two operations, 40 kg seized."}, by=lead, expected_version=3
    )
    services.submit_update(submitted, by=lead, expected_version=4)
    services.accept_update(
        submitted, by=secretariat_user, comment="Thank you, clear.", expected_version=5
    )

    assert list(
        submitted.comments.order_by("pk").values_list("kind", "body", "update_version")
    ) == [
        ("returned", "Add the figures.", 3),
        ("accepted", "Thank you, clear.", 6),
    ]


def test_an_accept_without_a_comment_is_in_the_thread_too(submitted, secretariat_user):
    services.accept_update(submitted, by=secretariat_user, expected_version=2)

    assert list(submitted.comments.values_list("kind", "body")) == [("accepted", "")]


def test_a_comment_emails_the_others_in_the_thread_once_not_its_writer(
    submitted, secretariat_user, lead, contributor, django_capture_on_commit_callbacks
):
    conversation.add_comment(submitted, body="First question", by=secretariat_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = conversation.add_comment(submitted, body="Here is the answer.", by=lead)

    # The update's author (contributor) and the secretariat member in the thread; not the lead.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [contributor.email, secretariat_user.email]
    )
    assert "Here is the answer." in mail.outbox[0].body
    assert f"/updates/{submitted.pk}/#conversation" in mail.outbox[0].body
    for draft in comment_notices(comment):  # a retried request claims nothing new
        assert claim(draft) is None
    assert ReminderLog.objects.filter(comment=comment).count() == 2
    assert set(ReminderLog.objects.filter(comment=comment).values_list("kind", flat=True)) == {
        "comment"
    }


def test_an_agencys_first_comment_reaches_the_secretariat(
    submitted, contributor, secretariat_user, settings
):
    settings.SECRETARIAT_EMAIL = "tsoc-secretariat@example.govt.nz"
    comment = conversation.add_comment(submitted, body="Can we add a reading late?", by=contributor)

    addresses = set(ReminderLog.objects.filter(comment=comment).values_list("email", flat=True))
    # The lead submitted it; the secretariat is told because nobody there is in the thread yet.
    assert addresses == {
        "lee.lead@example.govt.nz",
        secretariat_user.email,
        "tsoc-secretariat@example.govt.nz",
    }


@pytest.mark.parametrize("who", ["viewer", "other_lead", "outsider"])
def test_people_outside_the_agency_and_secretariat_cannot_comment(request, submitted, who):
    with pytest.raises(PermissionDenied):
        conversation.add_comment(submitted, body="Hello", by=request.getfixturevalue(who))
    assert not Comment.objects.exists()


def test_the_conversation_is_frozen_when_the_period_closes(client_for, submitted, lead):
    ReportingPeriod.objects.filter(pk=submitted.period_id).update(state="closed")
    submitted.refresh_from_db()

    with pytest.raises(PermissionDenied, match="closed"):
        conversation.add_comment(submitted, body="Late thought", by=lead)
    response = client_for(lead).get(detail(submitted))
    assert "conversation is kept as it was" in response.content.decode()
    assert f'action="/updates/{submitted.pk}/comments/"' not in response.content.decode()


def test_an_empty_comment_is_refused_and_what_was_typed_is_kept(client_for, submitted, lead):
    response = client_for(lead).post(
        reverse("reporting:comment_add", kwargs={"pk": submitted.pk}), {"body": "   "}
    )
    assert response.status_code == 400
    assert "Write your comment before posting it." in response.content.decode()

    long = "x" * 2001
    response = client_for(lead).post(
        reverse("reporting:comment_add", kwargs={"pk": submitted.pk}), {"body": long}
    )
    assert response.status_code == 400
    assert long in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_kept_in_the_updates_history(submitted, lead):
    conversation.add_comment(submitted, body="Noted.", by=lead)

    entry = update_history(submitted)[0]
    assert (entry.subject, entry.who, entry.reason) == ("Conversation: comment", lead, "Posted")


def test_the_secretariat_withholds_a_comment_like_any_update_text(
    client_for, submitted, secretariat_user, lead
):
    comment = conversation.add_comment(submitted, body="The informant is ...", by=lead)
    url = reverse("reporting:comment_withhold", kwargs={"pk": comment.pk})

    assert client_for(lead).post(url, {"ground": "6(c)"}).status_code == 403
    client_for(secretariat_user).post(url, {"ground": "6(d)", "marking": "SENSITIVE"})

    withholding = Withholding.objects.get()
    assert (withholding.comment, withholding.update, withholding.field) == (
        comment,
        submitted,
        "comment",
    )
    page = client_for(secretariat_user).get(detail(submitted)).content.decode()
    assert "Withheld from proactive release under s 6(d)" in page
    listing = client_for(secretariat_user).get(
        reverse("reporting:withholdings", kwargs={"plan": submitted.action.plan.slug}),
        {"period": submitted.period.code},
    )
    assert "A comment in the update" in listing.content.decode()
    # A second withholding of the same comment is refused, not doubled.
    client_for(secretariat_user).post(url, {"ground": "6(c)", "marking": "SENSITIVE"})
    assert Withholding.objects.count() == 1


def test_the_withholdings_form_leaves_comments_to_the_conversation(
    client_for, submitted, secretariat_user
):
    page = client_for(secretariat_user).get(
        reverse("reporting:withholdings", kwargs={"plan": submitted.action.plan.slug}),
        {"period": submitted.period.code},
    )

    assert 'value="comment"' not in page.content.decode()
    assert 'value="commentary"' in page.content.decode()
