"""What a person has typed into a return form and not yet saved: kept as they type (where scripts
run), and kept when they press Save after their session has expired, so nothing is lost to a
timeout. Private to the person who typed it; the return itself changes only when they save."""

from django.conf import settings
from django.db import models

from actions.models import Action
from agencies.models import Agency
from agencies.roles import is_active

from .periods import ReportingPeriod


class ReturnDraftQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A person's own kept text, and nobody else's."""
        return self.filter(user=user) if is_active(user) else self.none()

    def for_form(self, action, period, agency):
        return self.filter(action=action, period=period, agency=agency)


class ReturnDraft(models.Model):
    """One person's unsaved text for one agency's return on one action for one period."""

    class Intent(models.TextChoices):
        KEPT = "kept", "Kept as typed"
        SAVE = "save", "Save draft pressed while signed out"
        SUBMIT = "submit", "Check and submit pressed while signed out"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="typed by",
        on_delete=models.CASCADE,
        related_name="return_drafts",
    )
    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name="reporting period", on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="agency", on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField("the form's fields as typed", default=dict)
    base_version = models.PositiveIntegerField(
        "version typed over",
        null=True,
        blank=True,
        help_text="The return's version when the form was shown; none if it hadn't been started.",
    )
    revision = models.PositiveIntegerField(
        "revision", default=1, help_text="Goes up at each keep, so two windows can't cross."
    )
    intent = models.CharField(
        "what happens after sign-in", max_length=10, choices=Intent.choices, default=Intent.KEPT
    )
    kept_at = models.DateTimeField("kept at", auto_now=True)

    objects = ReturnDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "unsaved return text"
        verbose_name_plural = "unsaved return text"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "action", "period", "agency"],
                name="return_draft_one_per_person_and_form",
                violation_error_message="This person already has text kept for this return.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}'s unsaved text for {self.agency} on {self.action}, {self.period}"
