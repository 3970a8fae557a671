"""Lookups for periods and updates. Who may see and change an update is decided here only."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from actions.timeframes import quarter_bounds
from agencies.roles import sees_everything


class ReportingPeriodQuerySet(models.QuerySet):
    def for_quarter(self, year: int, quarter: int):
        """The period for a calendar quarter, created with the default return dates if new."""
        starts_on, ends_on = quarter_bounds(year, quarter)
        days = datetime.timedelta
        closes_on = ends_on + days(settings.RETURNS_CLOSE_DAYS_AFTER_QUARTER_END)
        period, _ = self.get_or_create(
            year=year,
            quarter=quarter,
            defaults={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "opens_on": ends_on - days(settings.RETURNS_OPEN_DAYS_BEFORE_QUARTER_END),
                "due_on": ends_on + days(settings.RETURNS_DUE_DAYS_AFTER_QUARTER_END),
                "closes_on": closes_on,
                # A quarter whose returns closed in the past is history, not a period to open.
                "state": "closed" if closes_on < datetime.date.today() else "upcoming",
            },
        )
        return period

    def for_date(self, day: datetime.date):
        return self.for_quarter(day.year, (day.month - 1) // 3 + 1)

    def spanning(self, first_day: datetime.date, last_day: datetime.date) -> list:
        """Every quarter's period from the one containing ``first_day`` to ``last_day``'s."""
        periods = []
        year, quarter = first_day.year, (first_day.month - 1) // 3 + 1
        while quarter_bounds(year, quarter)[0] <= last_day:
            periods.append(self.for_quarter(year, quarter))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        return periods

    def open(self):
        return self.filter(state="open")

    def current(self):
        """The open period people are reporting on now (the latest, if several are open)."""
        return self.open().order_by("-year", "-quarter").first()


class StatusUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Secretariat and viewers see all; agency people, updates on their agency's actions."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        from actions.models import ActionAgency

        coordinated_by_users_agency = ActionAgency.objects.filter(
            action=OuterRef("action"), agency__memberships__user=user
        )
        return self.filter(Exists(coordinated_by_users_agency))

    def editable_by(self, user):
        """Drafts and returned updates of the user's own agencies, while the period is open."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(
            agency__memberships__user=user,
            period__state="open",
            state__in=["draft", "returned"],
        )
