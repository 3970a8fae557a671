"""Status updates: each agency's quarterly return on each action."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import Action
from agencies.models import Agency

from ..querysets import StatusUpdateQuerySet
from .periods import ReportingPeriod


class StatusUpdate(models.Model):
    """One agency's return on one action for one quarter.

    ``version`` goes up by one on every save; a save that names an older version is refused, so
    two people editing at once can't overwrite each other (see ``save_if_unchanged``).
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        COMPLETE = "complete", "Complete"
        ON_HOLD = "on_hold", "On hold"
        DISCONTINUED = "discontinued", "Discontinued"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for changes"

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
        "per cent complete", null=True, blank=True, help_text="0 to 100."
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
        return f"{self.action.plan.code} {self.action.number}, {self.agency}, {self.period.code}"
