"""Notifications about returns, sent exactly once through the reminder log (so the period page
lists them with the reminders):

- an update **returned** for changes: to its agency's leads and its author, with the
  secretariat's comment and a link to the form;
- an update **accepted**: to its author (with the comment, if any);
- **submitted** updates: one digest a day to the secretariat, of the day before's submissions;
- a new **comment** in an update's conversation (or a correction by the secretariat): to the
  others in the thread, the people who wrote in it and the update's author, submitter and
  reviewer; an agency's comment goes to the secretariat too when nobody there is in the thread
  yet. Allowed once per address and comment.

``returned_notices`` and ``accepted_notices`` are claimed by ``tasks.notify_review``,
which answers the return's ``update_reviewed`` signal inside the review's transaction: the log rows
are written with the change, and queued for sending once it commits.
A row is allowed once per address and update version, so a retried request or a double click
never sends twice.
"""

import datetime

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from agencies.models import Membership
from agencies.roles import is_secretariat
from reporting.models import Comment, ReportingPeriod, StatusUpdate
from reporting.reminders.compose import (
    Recipient,
    ReminderDraft,
    _absolute,
    _add,
    _secretariat_recipients,
    marked_subject,
    render_email,
)
from reporting.reminders.cycle import Kind, Step


@translation.override(settings.LANGUAGE_CODE)  # emails are in English
def returned_notices(update: StatusUpdate) -> list[ReminderDraft]:
    """To the agency's leads and the update's author, with the comment and the form's link."""
    recipients = _agency_leads(update)
    _add_person(recipients, update.created_by)
    _add_person(recipients, update.submitted_by)
    return _drafts(update, Kind.RETURNED, recipients)


@translation.override(settings.LANGUAGE_CODE)  # emails are in English
def accepted_notices(update: StatusUpdate) -> list[ReminderDraft]:
    """To the update's author."""
    recipients: dict[str, Recipient] = {}
    _add_person(recipients, update.created_by)
    return _drafts(update, Kind.ACCEPTED, recipients)


@translation.override(settings.LANGUAGE_CODE)  # emails are in English
def comment_notices(comment: Comment) -> list[ReminderDraft]:
    """To the others in the thread; the secretariat's inbox and people when an agency writes
    and nobody from the secretariat is in the thread yet."""
    update = comment.update
    people = [entry.author for entry in update.comments.select_related("author").order_by("pk")] + [
        update.created_by,
        update.submitted_by,
        update.reviewed_by,
    ]
    recipients: dict[str, Recipient] = {}
    for person in people:
        if person is not None and person.pk != comment.author_id:
            _add_person(recipients, person)
    agency_wrote = comment.author is not None and not is_secretariat(comment.author)
    secretariat_in_thread = any(r.user and is_secretariat(r.user) for r in recipients.values())
    if agency_wrote and not secretariat_in_thread:
        recipients.update(_secretariat_recipients())
    if comment.author is not None and comment.author.email:
        recipients.pop(comment.author.email.strip().lower(), None)
    action = f"{update.action.plan.code} {update.action.number}"
    detail_url = _absolute(reverse("reporting:update_detail", args=[update.pk])) + "#conversation"
    if comment.kind == Comment.Kind.COMMENT:
        what = gettext("new comment on %(agency)s's update on %(action)s")
    else:
        what = gettext("correction on %(agency)s's update on %(action)s")
    what %= {"agency": update.agency, "action": action}
    subject = marked_subject(f"TSOC Tracker: {what}")
    drafts = []
    for recipient in recipients.values():
        context = {
            "recipient": recipient,
            "comment": comment,
            "update": update,
            "action": action,
            "author": _name(comment.author),
            "detail_url": detail_url,
        }
        text, html = render_email("comment_notice", context)
        drafts.append(
            ReminderDraft(
                update.period,
                Step(Kind.COMMENT),
                recipient,
                subject,
                text,
                html,
                1,
                update=update,
                comment=comment,
            )
        )
    return drafts


def _name(user) -> str:
    if user is None:
        return gettext("Someone")
    return user.get_full_name() or user.get_username()


@translation.override(settings.LANGUAGE_CODE)  # emails are in English
def submission_digests(*, today: datetime.date | None = None, periods=None) -> list[ReminderDraft]:
    """The secretariat's digest of yesterday's submissions, for each open period with any.
    Its occurrence is the day of the period it covers, so each day's digest goes once."""
    today = today or timezone.localdate()
    day = today - datetime.timedelta(days=1)
    periods = ReportingPeriod.objects.open() if periods is None else periods
    drafts = []
    for period in periods:
        occurrence = (day - period.opens_on).days + 1
        if occurrence < 1:
            continue
        submitted = list(
            StatusUpdate.objects.filter(period=period, submitted_at__date=day)
            .exclude(state="draft")
            .select_related("action__plan", "agency", "submitted_by")
            .order_by("action__sort_key", "agency__short_name")
        )
        if not submitted:
            continue
        step = Step(Kind.SUBMITTED, occurrence)
        items = [(u, _absolute(reverse("reporting:update_detail", args=[u.pk]))) for u in submitted]
        submitted_text = ngettext(
            "%(n)s %(period)s update submitted on %(day)s",
            "%(n)s %(period)s updates submitted on %(day)s",
            len(items),
        ) % {"n": intcomma(len(items)), "period": period.label, "day": date_format(day, "j F Y")}
        subject = marked_subject(f"TSOC Tracker: {submitted_text}")
        for recipient in _secretariat_recipients().values():
            context = {"recipient": recipient, "period": period, "day": day, "items": items}
            drafts.append(
                ReminderDraft(
                    period,
                    step,
                    recipient,
                    subject,
                    *render_email("submitted_digest", context),
                    len(items),
                )
            )
    return drafts


def _agency_leads(update: StatusUpdate) -> dict[str, Recipient]:
    recipients: dict[str, Recipient] = {}
    for membership in (
        Membership.objects.leads()
        .filter(agency=update.agency_id, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__pk")
    ):
        _add_person(recipients, membership.user)
    return recipients


def _add_person(recipients: dict[str, Recipient], user) -> None:
    if user is not None and user.is_active and user.email:
        _add(recipients, user.email, user.first_name or user.get_username(), user)


SUBJECTS = {
    Kind.RETURNED: gettext_lazy("%(agency)s's update on %(action)s was returned for changes"),
    Kind.ACCEPTED: gettext_lazy("%(agency)s's update on %(action)s was accepted"),
}


def _drafts(
    update: StatusUpdate, kind: str, recipients: dict[str, Recipient]
) -> list[ReminderDraft]:
    action = f"{update.action.plan.code} {update.action.number}"
    form_url = _absolute(
        reverse(
            "reporting:update_form",
            kwargs={
                "period": update.period.code,
                "plan": update.action.plan.slug,
                "number": update.action.number,
                "agency": update.agency.slug,
            },
        )
    )
    detail_url = _absolute(reverse("reporting:update_detail", args=[update.pk]))
    drafts = []
    for recipient in recipients.values():
        context = {
            "recipient": recipient,
            "update": update,
            "action": action,
            "kind": kind,
            "form_url": form_url,
            "detail_url": detail_url,
        }
        drafts.append(
            ReminderDraft(
                update.period,
                Step(kind),
                recipient,
                marked_subject(
                    "TSOC Tracker: " + SUBJECTS[kind] % {"agency": update.agency, "action": action}
                ),
                *render_email("update_notice", context),
                1,
                update=update,
                update_version=update.version,
            )
        )
    return drafts
