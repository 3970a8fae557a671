"""Reporting periods: the quarters agencies report on."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from actions.timeframes import financial_quarter_label, parse_quarter_name, quarter_bounds

from ..querysets import ReportingPeriodQuerySet


def quarter_label(year: int, quarter: int) -> str:
    """“Q1 2026/27”: a calendar quarter as a quarter of the financial year that starts in
    ``FINANCIAL_YEAR_START_MONTH`` (“Q3 2026” if it starts in January)."""
    return financial_quarter_label(year, quarter, settings.FINANCIAL_YEAR_START_MONTH)


class ReportingPeriod(models.Model):
    """A calendar quarter agencies report on, with the dates its return opens, is due and closes.

    People read and write its label, the financial-year quarter (“Q1 2026/27” when the year
    starts on 1 July), shown with its months (``long_label``). The code is the calendar quarter
    (“2026-Q3” is July–September 2026): the slug in URLs, and still accepted wherever a period is
    named (``ReportingPeriod.objects.by_name``).
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
        return quarter_label(self.year, self.quarter)

    @property
    def months(self) -> str:
        """“July–September 2026”: the quarter's months (in the page's language)."""
        first, last = quarter_bounds(self.year, self.quarter)
        return f"{date_format(first, 'F')}–{date_format(last, 'F Y')}"

    @property
    def long_label(self) -> str:
        """“Q1 2026/27, July–September 2026”: the quarter's name wherever people read it."""
        return f"{self.label}, {self.months}"

    @staticmethod
    def parse_name(name: str) -> tuple[int, int]:
        """The calendar (year, quarter) of “Q1 2026/27”, “2026/27-Q1” or the code “2026-Q3”;
        ``QuarterNameError`` (a ``ValueError``) naming the accepted forms for anything else."""
        return parse_quarter_name(
            name, financial_year_start_month=settings.FINANCIAL_YEAR_START_MONTH
        )

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
