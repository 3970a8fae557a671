"""Agencies, the names they go by, and the people who report for them.

Roles: every agency user is a *lead* or *contributor* of one or more agencies (Membership).
The secretariat and steering-group viewers are Django groups (see ``roles``), because they act
across agencies.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from .querysets import AgencyQuerySet, MembershipQuerySet


class Agency(models.Model):
    """A government agency (or the TSOC Department/Agency) that coordinates actions."""

    name = models.CharField("name", max_length=200, unique=True, help_text="The official name.")
    short_name = models.CharField(
        "short name", max_length=80, help_text="What people call it, e.g. “Customs”."
    )
    maori_name = models.CharField(
        "Māori name",
        max_length=200,
        blank=True,
        help_text=(
            "The agency's official name in te reo Māori, shown beside the English one. Leave it "
            "blank unless the agency itself uses one (docs/te-reo.md lists each name's source)."
        ),
    )
    slug = models.SlugField("slug", max_length=80, unique=True)
    email = models.EmailField(
        "reporting inbox",
        blank=True,
        help_text="Optional shared inbox copied on reminders.",
    )

    objects = AgencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "agency"
        verbose_name_plural = "agencies"
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class AgencyAlias(models.Model):
    """Another spelling of an agency's name, so “Customs” and “NZ Customs Service” are one."""

    agency = models.ForeignKey(
        Agency, verbose_name="agency", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField("alias", max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "agency alias"
        verbose_name_plural = "agency aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="agency_alias_unique_name",
                violation_error_message="This alias already names an agency.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in an agency: a lead submits returns, a contributor drafts them."""

    class Role(models.TextChoices):
        LEAD = "lead", "Agency lead"
        CONTRIBUTOR = "contributor", "Contributor"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="user",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="agency", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("role", max_length=20, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "membership"
        ordering = ["agency__short_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"],
                name="membership_one_per_user_and_agency",
                violation_error_message="This person already belongs to this agency.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"


class PersonEvent(models.Model):
    """One change to someone's account, and who made it: invitations, passwords set, groups,
    deactivation (Django's user keeps no history; memberships and agencies keep theirs)."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        INVITATION_SENT_AGAIN = "invitation_sent_again", "Invitation sent again"
        PASSWORD_SET = "password_set", "Set their password from the invitation"
        GROUPS_CHANGED = "groups_changed", "Groups changed"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person_events",
        verbose_name="person",
        help_text="Whose account changed.",
    )
    kind = models.CharField("what happened", max_length=32, choices=Kind.choices)
    detail = models.CharField(
        "detail", max_length=300, blank=True, help_text="Before and after, where it helps."
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="done by",
        help_text="The secretariat member, or the person themselves.",
    )
    at = models.DateTimeField("when", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "change to a person's account"
        verbose_name_plural = "changes to people's accounts"
        indexes = [models.Index(fields=["person", "-at"], name="person_event_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} by {self.by}"


from .signin.models import SecondFactorEvent  # noqa: E402  (sign-in keeps its own room)
from .tokens import ApiToken  # noqa: E402  (API tokens live in their own module)

__all__ = ["Agency", "AgencyAlias", "ApiToken", "Membership", "PersonEvent", "SecondFactorEvent"]
