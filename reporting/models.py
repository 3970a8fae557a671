"""Quarterly reporting: periods, and each agency's status update on each action."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from actions.models import Action
from agencies.models import Agency

from .querysets import ReportingPeriodQuerySet, StatusUpdateQuerySet


class ReportingPeriod(models.Model):
    """A calendar quarter agencies report on, with the dates its return opens, is due and closes.

    The code is the calendar quarter (“2026-Q3” is July–September 2026); the label follows the
    financial-year convention (“Q1 2026/27” when the year starts on 1 July).
    """

    class State(models.TextChoices):
        UPCOMING = "upcoming", "Not yet open"
        OPEN = "open", "Open for returns"
        CLOSED = "closed", "Closed"

    code = models.CharField("code", max_length=7, unique=True, editable=False)
    year = models.PositiveSmallIntegerField("year")
    quarter = models.PositiveSmallIntegerField("calendar quarter")
    starts_on = models.DateField("quarter starts")
    ends_on = models.DateField("quarter ends")
    opens_on = models.DateField("returns open")
    due_on = models.DateField("returns due")
    closes_on = models.DateField("returns close")
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.UPCOMING)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "reporting period"
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"],
                name="reporting_period_one_per_quarter",
                violation_error_message="There is already a period for this quarter.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="reporting_period_quarter_1_to_4",
                violation_error_message="A quarter is numbered 1 to 4.",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("due_on"), due_on__lte=F("closes_on")),
                name="reporting_period_dates_in_order",
                violation_error_message=(
                    "Returns must open before they are due, and be due before they close."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.code = f"{self.year}-Q{self.quarter}"
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """“Q1 2026/27”: the quarter of the financial year (“Q3 2026” if it starts in January)."""
        start_month = settings.FINANCIAL_YEAR_START_MONTH
        first_month = 3 * self.quarter - 2
        fy_quarter = (first_month - start_month) % 12 // 3 + 1
        if start_month == 1:
            return f"Q{fy_quarter} {self.year}"
        fy_start = self.year if first_month >= start_month else self.year - 1
        return f"Q{fy_quarter} {fy_start}/{(fy_start + 1) % 100:02d}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (today or datetime.date.today()) > self.due_on


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
