"""Lookups for periods and updates. Who may see and change an update is decided here only.

The rules, in one place:

- **See**: the secretariat and steering-group viewers see every update; agency people see the
  updates on actions their agency coordinates (lead or supporting), including other agencies'.
- **Edit** (save a draft): members of the update's agency, lead or contributor, while the period
  is open and the update is a draft or was returned for changes.
- **Submit**: the agency's leads, on the same terms; contributors can't.
- **Review** (accept or return): the secretariat, on submitted updates in an open period.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from actions.models import ActionAgency
from actions.timeframes import parse_quarter_name, quarter_bounds
from agencies.models import Agency, Membership
from agencies.roles import is_secretariat, sees_everything

EDITABLE_STATES = ("draft", "returned")


def _is_active(user) -> bool:
    return user.is_authenticated and user.is_active


def agencies_of(user, *, role: str | None = None):
    """The agencies the user reports for (only those they ``role``, e.g. lead, if given)."""
    if not _is_active(user):
        return Agency.objects.none()
    filters = {"memberships__user": user}
    if role:
        filters["memberships__role"] = role
    return Agency.objects.filter(**filters).distinct()


def _coordinations_of_users_agencies(user, action):
    return ActionAgency.objects.filter(action=action, agency__in=agencies_of(user))


def may_see_updates_on(user, action) -> bool:
    """Whether the user may read the updates on ``action`` (the rule of ``visible_to``)."""
    if not _is_active(user):
        return False
    return sees_everything(user) or _coordinations_of_users_agencies(user, action).exists()


def may_report_on(user, action, agency) -> bool:
    """Whether the user may write ``agency``'s updates on ``action``: they belong to the agency
    and it coordinates the action. (Whether the period and state allow it is the update's say.)"""
    return _coordinations_of_users_agencies(user, action).filter(agency=agency).exists()


def may_submit_for(user, agency) -> bool:
    return agencies_of(user, role=Membership.Role.LEAD).filter(pk=agency.pk).exists()


def may_see_periods(user) -> bool:
    """The cross-agency period pages are for the secretariat and steering-group viewers."""
    return _is_active(user) and sees_everything(user)


def may_manage_periods(user) -> bool:
    return _is_active(user) and is_secretariat(user)


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

    def by_name(self, name: str):
        """The period called ``name``: “Q1 2026/27”, “2026/27-Q1” or its code “2026-Q3” (see
        ``actions.timeframes.parse_quarter_name``). Raises ``QuarterNameError`` if unreadable."""
        year, quarter = parse_quarter_name(
            name, financial_year_start_month=settings.FINANCIAL_YEAR_START_MONTH
        )
        return self.filter(year=year, quarter=quarter)

    def named(self, name: str | None):
        """``by_name``'s period, or None when there is none or the name is missing or unreadable
        (a query string's ``?period=``, ignored when wrong)."""
        try:
            return self.by_name(name or "").first()
        except ValueError:
            return None

    def open(self):
        return self.filter(state="open")

    def current(self):
        """The open period people are reporting on now (the latest, if several are open)."""
        return self.open().order_by("-year", "-quarter").first()


class StatusUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Secretariat and viewers see all; agency people, updates on their agency's actions."""
        if not _is_active(user):
            return self.none()
        if sees_everything(user):
            return self
        coordinated_by_users_agency = ActionAgency.objects.filter(
            action=OuterRef("action"), agency__in=agencies_of(user)
        )
        return self.filter(Exists(coordinated_by_users_agency))

    def of_users_agencies(self, user):
        """Updates the user writes for: their own agencies' (whatever the state)."""
        return self.filter(agency__in=agencies_of(user))

    def in_editable_state(self):
        """Drafts and returned updates in an open period (see ``StatusUpdate.is_editable``)."""
        return self.filter(period__state="open", state__in=EDITABLE_STATES)

    def editable_by(self, user):
        """Drafts and returned updates of the user's own agencies, while the period is open."""
        return self.of_users_agencies(user).in_editable_state()

    def submittable_by(self, user):
        """What ``editable_by`` allows, for the agencies the user leads."""
        return self.in_editable_state().filter(
            agency__in=agencies_of(user, role=Membership.Role.LEAD)
        )

    def reviewable_by(self, user):
        """Submitted updates in an open period, for the secretariat to accept or return."""
        if not may_manage_periods(user):
            return self.none()
        return self.filter(period__state="open", state="submitted")
