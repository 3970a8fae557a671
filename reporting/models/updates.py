"""Status updates: each agency's quarterly return on each action."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from actions.models import Action
from agencies.models import Agency

from ..querysets import StatusUpdateQuerySet
from . import return_rules
from .periods import ReportingPeriod


class StaleUpdateError(Exception):
    """Someone else changed the update since it was read; ``current`` is what is stored now."""

    def __init__(self, current: "StatusUpdate"):
        super().__init__(f"{current} was changed by someone else (now version {current.version}).")
        self.current = current


# Sent (with ``instance``) when ``save_if_unchanged`` has written an update with one UPDATE, which
# sends no ``post_save``.
update_written = Signal()


class StatusUpdate(models.Model):
    """One agency's return on one action for one quarter.

    ``version`` goes up by one on every change; a change that names an older version is refused
    by the database write itself, so two people editing at once can't overwrite each other (see
    ``save_if_unchanged``).
    """

    # Labels are English in the data (reports, exports, the API); pages translate them where
    # they show them (templates/reporting/_status.html). gettext_noop puts them in the catalogue.
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", gettext_noop("Not started")
        ON_TRACK = "on_track", gettext_noop("On track")
        AT_RISK = "at_risk", gettext_noop("At risk")
        OFF_TRACK = "off_track", gettext_noop("Off track")
        COMPLETE = "complete", gettext_noop("Complete")
        ON_HOLD = "on_hold", gettext_noop("On hold")
        DISCONTINUED = "discontinued", gettext_noop("Discontinued")

    class State(models.TextChoices):
        DRAFT = "draft", gettext_noop("Draft")
        SUBMITTED = "submitted", gettext_noop("Submitted")
        ACCEPTED = "accepted", gettext_noop("Accepted")
        RETURNED = "returned", gettext_noop("Returned for changes")

    # The states an agency may still change (``StatusUpdate.objects.in_editable_state``).
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="status_updates"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="reporting period",
        on_delete=models.PROTECT,
        related_name="status_updates",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="agency", on_delete=models.PROTECT, related_name="status_updates"
    )
    status = models.CharField("status", max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField(
        "per cent complete",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="0 to 100.",
    )
    commentary = models.TextField("progress commentary", blank=True)
    risks = models.TextField("risks and issues", blank=True)
    next_steps = models.TextField("next steps", blank=True)
    state = models.CharField(
        "return state", max_length=20, choices=State.choices, default=State.DRAFT
    )
    is_late = models.BooleanField("submitted late", default=False)
    is_demo = models.BooleanField(
        "demonstration data",
        default=False,
        help_text="Sample data loaded by make run, not a real return.",
    )
    review_comment = models.TextField("secretariat's comment", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="created by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="last changed by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="submitted by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="reviewed by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True, db_index=True)
    submitted_at = models.DateTimeField("submitted", null=True, blank=True)
    reviewed_at = models.DateTimeField("reviewed", null=True, blank=True)
    version = models.PositiveIntegerField("version", default=1)
    history = HistoricalRecords()

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = "status update"
        ordering = ["period", "action__sort_key", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period", "agency"],
                name="status_update_one_per_action_period_agency",
                violation_error_message=(
                    "This agency already has an update on this action for this period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True)
                | Q(percent_complete__gte=0, percent_complete__lte=100),
                name="status_update_percent_0_to_100",
                violation_error_message="Per cent complete must be between 0 and 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.plan.code} {self.action.number}, {self.agency}, {self.period.label}"

    @property
    def is_editable(self) -> bool:
        """A draft or returned update in an open period (``in_editable_state`` in SQL)."""
        return self.period.is_open and self.state in self.EDITABLE_STATES

    @property
    def is_frozen(self) -> bool:
        return self.period.is_closed

    def clean(self) -> None:
        """The limits on the text and the status–per cent rule (``return_rules``), on every
        save, draft or not."""
        errors = {}
        for field in return_rules.TEXT_LIMIT_SETTINGS:
            message = return_rules.text_too_long(field, getattr(self, field))
            if message:
                errors[field] = message
        errors.update(return_rules.status_percent_errors(self.status, self.percent_complete))
        if errors:
            raise ValidationError(errors)

    def clean_for_submit(self) -> None:
        """``clean``, and what a submitted return must have: status, per cent, commentary."""
        errors = return_rules.missing_for_submit(
            self.status, self.percent_complete, self.commentary
        )
        try:
            self.clean()
        except ValidationError as invalid:
            errors = {**invalid.message_dict, **errors}
        if errors:
            raise ValidationError(errors)

    def _require(self, condition: bool, message: str) -> None:
        if not condition:
            raise ValidationError(message, code="invalid_state")

    def require_editable(self) -> None:
        """Raise ``ValidationError`` saying why, unless the update can be changed now."""
        self._require(not self.is_frozen, f"{self.period.label} is closed; its returns are frozen.")
        self._require(self.period.is_open, f"{self.period.label} is not open for returns yet.")
        self._require(
            self.state in self.EDITABLE_STATES,
            f"This update is {self.get_state_display().lower()} and can't be changed.",
        )

    def submit(self, *, by, today=None) -> None:
        """Mark submitted; after the due date it still goes in, marked late. Only a complete
        and consistent return is submitted (``clean_for_submit``)."""
        self.require_editable()
        self.clean_for_submit()
        today = today or timezone.localdate()
        self.state = self.State.SUBMITTED
        self.submitted_by, self.submitted_at = by, timezone.now()
        self.is_late = today > self.period.due_on

    def withdraw(self, *, by) -> None:
        """Take a submitted return back to draft before the secretariat reviews it."""
        self._require(self.period.is_open, f"{self.period.label} is not open; nothing can change.")
        self._require(
            self.state == self.State.SUBMITTED,
            f"Only a submitted update can be withdrawn; this one is "
            f"{self.get_state_display().lower()}.",
        )
        self.state = self.State.DRAFT
        self.submitted_by, self.submitted_at, self.is_late = None, None, False

    def accept(self, *, by, comment: str = "") -> None:
        """Accept, keeping the secretariat's comment if it gave one."""
        self._require(self.period.is_open, f"{self.period.label} is not open; nothing can change.")
        self._require(self.state == self.State.SUBMITTED, "Only a submitted update is accepted.")
        self._set_review_comment(comment)
        self.state = self.State.ACCEPTED
        self.reviewed_by, self.reviewed_at = by, timezone.now()

    def return_for_changes(self, *, by, comment: str) -> None:
        """Send back to the agency with the secretariat's comment, for them to resubmit."""
        self._require(self.period.is_open, f"{self.period.label} is not open; nothing can change.")
        self._require(self.state == self.State.SUBMITTED, "Only a submitted update is returned.")
        if not comment.strip():
            raise ValidationError(
                {"review_comment": "Say what needs to change before returning the update."}
            )
        self._set_review_comment(comment)
        self.state = self.State.RETURNED
        self.reviewed_by, self.reviewed_at = by, timezone.now()

    def _set_review_comment(self, comment: str) -> None:
        message = return_rules.text_too_long("review_comment", comment.strip())
        if message:
            raise ValidationError({"review_comment": message})
        self.review_comment = comment.strip()

    def save_if_unchanged(self, expected_version: int, *, by, reason: str) -> None:
        """Write this update only if the stored row is still at ``expected_version``.

        The version is compared in the UPDATE's WHERE clause, so of two concurrent writers the
        database lets exactly one through; the other gets ``StaleUpdateError`` with the stored
        update. Every successful write adds a history row (who, when, ``reason``).
        """
        self.updated_by = by
        now = timezone.now()
        values = {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if not field.primary_key and field.name not in ("version", "created_at")
        }
        values["updated_at"] = now
        with transaction.atomic():
            written = StatusUpdate.objects.filter(pk=self.pk, version=expected_version).update(
                **values, version=expected_version + 1
            )
            if not written:
                raise StaleUpdateError(StatusUpdate.objects.get(pk=self.pk))
            self.version, self.updated_at = expected_version + 1, now
            StatusUpdate.history.bulk_history_create(
                [self], update=True, default_user=by, default_change_reason=reason, default_date=now
            )
            # One UPDATE sends no post_save (and post_save would add a second history row).
            update_written.send(sender=StatusUpdate, instance=self)
