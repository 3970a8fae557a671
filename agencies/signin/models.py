"""The record of every change to a person's second factor: who, what, when and by whom."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop


class SecondFactorEvent(models.Model):
    """One change to someone's second factor, kept after the device itself is gone."""

    # Labels are English in the data; the two-step sign-in page translates them where it shows
    # them (templates/registration/two_factor.html). gettext_noop puts them in the catalogue.
    class Kind(models.TextChoices):
        ENROLLED = "enrolled", gettext_noop("Set up an authenticator app")
        RECOVERY_CODES_MADE = "recovery_codes_made", gettext_noop("Made new recovery codes")
        RECOVERY_CODE_USED = "recovery_code_used", gettext_noop("Signed in with a recovery code")
        TURNED_OFF = "turned_off", gettext_noop("Turned off two-step sign-in")
        RESET = "reset", gettext_noop("Reset two-step sign-in")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="second_factor_events",
        verbose_name="person",
        help_text="Whose second factor changed.",
    )
    kind = models.CharField("what happened", max_length=32, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="done by",
        help_text="The person themselves, or the secretariat or staff member who reset it.",
    )
    at = models.DateTimeField("when", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "second factor change"
        indexes = [models.Index(fields=["person", "-at"], name="second_factor_event_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} by {self.by}"
