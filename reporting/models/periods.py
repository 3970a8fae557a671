"""Reporting periods: the quarters agencies report on."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..querysets import ReportingPeriodQuerySet


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
    history = HistoricalRecords(verbose_name_plural="reporting period history")

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
        return (today or timezone.localdate()) > self.due_on

    def open_for_returns(self) -> None:
        """Open (or reopen) the period; agencies can then save and submit returns."""
        if self.is_open:
            raise ValidationError(f"{self.label} is already open.", code="invalid_state")
        self.state = self.State.OPEN

    def put_back_to_scheduled(self, *, submitted: int) -> None:
        """Undo an opening made by mistake: only while nothing has been submitted."""
        if not self.is_open:
            raise ValidationError(f"{self.label} is not open.", code="invalid_state")
        if submitted:
            raise ValidationError(
                f"{self.label} can't be put back to scheduled: {submitted} return"
                f"{'s have' if submitted != 1 else ' has'} been submitted. Close it instead, "
                "or leave it open.",
                code="invalid_state",
            )
        self.state = self.State.UPCOMING

    def close_for_returns(self) -> None:
        """Close the period: its returns are frozen from now on."""
        if not self.is_open:
            raise ValidationError(f"{self.label} is not open.", code="invalid_state")
        self.state = self.State.CLOSED
