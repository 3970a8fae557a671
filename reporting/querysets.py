"""Lookups for periods and updates, and who may see and change them: one method per rule.

- **See an update**: the secretariat and steering-group viewers see every update; agency people
  see the updates on actions their agency coordinates, other agencies' included
  (``Action.objects.progress_visible_to``).
- **Edit** (save a draft): members of the update's agency, lead or contributor, on an action the
  agency coordinates, while the period is open and the update is a draft or was returned.
- **Submit**: what ``editable_by`` allows, for the agency's leads; contributors can't.
- **Review** (accept or return): the secretariat, on submitted updates in an open period.
- **Correct** (a small fix without returning it): the secretariat, on submitted or accepted
  updates in an open period, with a reason.
- **Comment**: the secretariat on every update, and the update's own agency's people (lead or
  contributor) on theirs, until the period closes.
- **Raise a return's risks on the register**: the secretariat, and the leads of the return's
  agency, on returns with risks written (``risks_promotable_by``).
- **Periods**: everyone with a role reads them; the cross-agency period pages are for the
  secretariat and viewers (``overseeable_by``); only the secretariat opens, closes and adds them
  (``manageable_by``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from actions.models import Action, ActionAgency
from actions.timeframes import parse_quarter_name, quarter_bounds
from agencies.models import Agency
from agencies.roles import has_role, is_secretariat, sees_every_agency


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

    def visible_to(self, user):
        """Periods and their dates: everyone with a role."""
        return self if has_role(user) else self.none()

    def overseeable_by(self, user):
        """The cross-agency period pages, every agency's returns on them: the secretariat and
        steering-group viewers."""
        return self if sees_every_agency(user) else self.none()

    def manageable_by(self, user):
        """Opening, closing and adding periods: the secretariat."""
        return self if is_secretariat(user) else self.none()

    def begun_in(self, plan, today: datetime.date | None = None):
        """The quarters of ``plan`` that have begun, latest first."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(
            ends_on__gte=plan.start_date, starts_on__lte=min(plan.end_date, today)
        ).order_by("-starts_on")

    def default_for(self, plan):
        """The quarter the dashboard, reports and API show for ``plan`` unless asked for
        another: the one open for returns if it is one of the plan's, else its latest begun."""
        return self.default_for_plans([plan])[plan.pk]

    def default_for_plans(self, plans) -> dict:
        """``default_for`` of each of ``plans`` (plan id → period or None), from one query."""
        from django.utils import timezone

        today = timezone.localdate()
        periods = list(self.filter(starts_on__lte=today).order_by("-starts_on"))
        chosen = {}
        for plan in plans:
            begun = [
                p
                for p in periods
                if p.ends_on >= plan.start_date and p.starts_on <= min(plan.end_date, today)
            ]
            chosen[plan.pk] = next((p for p in begun if p.state == "open"), None) or next(
                iter(begun), None
            )
        return chosen

    def current(self):
        """The open period people are reporting on now (the latest, if several are open)."""
        return self.open().order_by("-year", "-quarter").first()


class StatusUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Updates on the actions whose progress ``user`` may read: every one for those who
        see every agency (without a condition the database would check on each)."""
        if sees_every_agency(user):
            return self
        return self.filter(action__in=Action.objects.progress_visible_to(user))

    def in_editable_state(self):
        """Drafts and returned updates in an open period (see ``StatusUpdate.is_editable``)."""
        return self.filter(period__state="open", state__in=self.model.EDITABLE_STATES)

    def _coordinated_as(self, coordinations):
        return self.filter(
            Exists(coordinations.filter(action=OuterRef("action"), agency=OuterRef("agency")))
        )

    def editable_by(self, user):
        """Drafts and returned updates the user writes for, while the period is open."""
        return self._coordinated_as(ActionAgency.objects.reportable_by(user)).in_editable_state()

    def submittable_by(self, user):
        """What ``editable_by`` allows, for the agencies the user leads."""
        return self._coordinated_as(ActionAgency.objects.submittable_by(user)).in_editable_state()

    def withdrawable_by(self, user):
        """Submitted updates not yet reviewed, in an open period, of the agencies the user
        leads: a lead may take one back to draft."""
        return self._coordinated_as(ActionAgency.objects.submittable_by(user)).filter(
            period__state="open", state="submitted"
        )

    def risks_promotable_by(self, user):
        """Returns whose risks a person may raise on the register: the secretariat any return
        with risks written; an agency's leads their own agency's."""
        written = self.exclude(risks="")
        if is_secretariat(user):
            return written
        return written.filter(agency__in=Agency.objects.of_member(user, role="lead"))

    def in_reviewable_state(self):
        """Submitted updates in an open period."""
        return self.filter(period__state="open", state="submitted")

    def reviewable_by(self, user):
        """Submitted updates in an open period, for the secretariat to accept or return."""
        return self.in_reviewable_state() if is_secretariat(user) else self.none()

    def correctable_by(self, user):
        """Submitted or accepted updates in an open period: the secretariat may correct a
        slip in their text without returning them."""
        if not is_secretariat(user):
            return self.none()
        return self.filter(period__state="open", state__in=("submitted", "accepted"))

    def commentable_by(self, user):
        """The updates whose conversation ``user`` may write in: every one for the secretariat,
        their own agency's for its people; none once the period has closed."""
        updates = self.exclude(period__state="closed")
        if is_secretariat(user):
            return updates
        return updates._coordinated_as(ActionAgency.objects.reportable_by(user))

    def before(self, period):
        """Updates for quarters before ``period``, latest first."""
        return self.filter(
            models.Q(period__year__lt=period.year)
            | models.Q(period__year=period.year, period__quarter__lt=period.quarter)
        ).order_by("-period__year", "-period__quarter")
