"""The invitation email: who invited the person, where they start, and the one-time link that
sets their password. Marked at the top and bottom of each body and first in the subject, as
every email the tracker sends is (``core.markings``)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.markings import ProtectiveMarking

from .invitations import invitation_path

# It carries a credential (the link) and says who reports for which agency.
INVITATION_MARKING = ProtectiveMarking.IN_CONFIDENCE
INVITATION_SUBJECT = _("TSOC Tracker: you're invited — set your password")


@translation.override(settings.LANGUAGE_CODE)  # emails are in English
def invitation_message(person, *, invited_by) -> EmailMultiAlternatives:
    expires = timezone.localtime() + datetime.timedelta(days=settings.INVITATION_TIMEOUT_DAYS)
    context = {
        "person": person,
        "invited_by": invited_by.get_full_name() or invited_by.username,
        "places": _places(person),
        "link": settings.SITE_URL + invitation_path(person),
        "sign_in_url": settings.SITE_URL + "/accounts/login/",
        "expires": date_format(expires, "DATETIME_FORMAT"),
        "marking": INVITATION_MARKING,
    }
    text = render_to_string("agencies/people/email/invitation.txt", context).strip("\n")
    html = render_to_string("agencies/people/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{INVITATION_MARKING}] {INVITATION_SUBJECT}",
        body=f"{INVITATION_MARKING}\n\n{text}\n\n{INVITATION_MARKING}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def send_invitation(person, *, invited_by) -> None:
    invitation_message(person, invited_by=invited_by).send()


def _places(person) -> list[str]:
    places = [
        f"{m.get_role_display()}, {m.agency.name}"
        for m in person.memberships.select_related("agency")
    ]
    places += list(person.groups.order_by("name").values_list("name", flat=True))
    return places
