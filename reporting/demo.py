"""Demonstration accounts and sample returns, so a new user sees a living product.

Everything here is marked as demonstration data (``StatusUpdate.is_demo``) and shown as such;
the seed plans themselves are not changed.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionAgency, ActionPlan, IndicatorReading, SuccessMeasure
from agencies.models import Agency, Membership
from agencies.roles import SECRETARIAT, VIEWER, ensure_role_groups

from .models import ReportingPeriod, StatusUpdate

DEMO_PASSWORD = "tsoc-demo-2026"
DEMO_PLAN = "tsoc-action-plan-2026-2030"
# The agency whose first led action has a draft this quarter (the README's "Try it" walk).
DEMO_DRAFT_AGENCY = "police"
DEMO_DRAFT_ACTION = "5"  # the README's walk continues Police's draft on TSOC 5
# Demonstration indicator readings are marked ``is_demo``, which pages and reports label; the note
# says so to anyone reading them in the admin.
DEMO_READING_NOTE = "Demonstration data"

# username, full name, agency slug or role group, membership role
DEMO_ACCOUNTS = [
    ("secretariat", "Sam Secretariat", SECRETARIAT, None),
    ("viewer", "Vic Steering-Group", VIEWER, None),
    ("police.lead", "Pita Police", "police", Membership.Role.LEAD),
    ("police.contributor", "Pat Police", "police", Membership.Role.CONTRIBUTOR),
    ("customs.lead", "Cara Customs", "customs", Membership.Role.LEAD),
    ("mbie.lead", "Mere MBIE", "mbie", Membership.Role.LEAD),
    ("justice.lead", "Jo Justice", "justice", Membership.Role.LEAD),
    ("health.lead", "Hemi Health", "health", Membership.Role.LEAD),
]

# What each kind of demo account can do, for the sign-in page in demo mode.
DEMO_ABILITIES = {
    SECRETARIAT: "reviews returns, opens and closes periods, builds reports",
    VIEWER: "reads the dashboard, every return and the reports (steering group)",
    Membership.Role.LEAD: "writes and submits {agency}'s returns",
    Membership.Role.CONTRIBUTOR: "drafts {agency}'s returns; a lead submits them",
}

SAMPLE_COMMENTARY = {
    StatusUpdate.Status.ON_TRACK: "Progressing to plan; the quarter's milestones were met.",
    StatusUpdate.Status.AT_RISK: "Progress has slowed while funding and resourcing are confirmed.",
    StatusUpdate.Status.OFF_TRACK: "Behind plan; a recovery plan goes to the steering group.",
    StatusUpdate.Status.NOT_STARTED: "Scoping will begin next quarter.",
    StatusUpdate.Status.COMPLETE: "Delivered; benefits are tracked through the success measures.",
}


def create_demo_accounts() -> list[tuple[str, str]]:
    """Create the demo users (password ``DEMO_PASSWORD``); return (username, what they are)."""
    ensure_role_groups()
    User = get_user_model()
    accounts = []
    for username, full_name, where, role in DEMO_ACCOUNTS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.govt.nz",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role is None:
            user.groups.add(Group.objects.get(name=where))
            description = where
            if where == SECRETARIAT:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        else:
            agency = Agency.objects.get(slug=where)
            Membership.objects.get_or_create(user=user, agency=agency, defaults={"role": role})
            description = f"{Membership.Role(role).label}, {agency}"
        accounts.append((username, description))
    return accounts


@transaction.atomic
def create_demo_returns(today: datetime.date | None = None) -> tuple[ReportingPeriod, int]:
    """Two quarters of sample updates on the TSOC plan: the last closed quarter, accepted, and
    the quarter just ended, open for returns with a mix of states. Returns the open period and
    how many updates were created."""
    today = today or timezone.localdate()
    plan = ActionPlan.objects.get(slug=DEMO_PLAN)
    open_period = ReportingPeriod.objects.for_date(today - datetime.timedelta(days=92))
    previous = ReportingPeriod.objects.for_quarter(
        *(
            (open_period.year, open_period.quarter - 1)
            if open_period.quarter > 1
            else (open_period.year - 1, 4)
        )
    )
    previous.state = ReportingPeriod.State.CLOSED
    previous.save()
    if not open_period.is_open:
        open_period.state = ReportingPeriod.State.OPEN
        open_period.opens_on = min(open_period.opens_on, today)
        open_period.due_on = max(open_period.due_on, today + datetime.timedelta(days=10))
        open_period.closes_on = max(open_period.closes_on, today + datetime.timedelta(days=38))
        open_period.save()

    demo_author = get_user_model().objects.get(username="secretariat")
    rng = random.Random(2026)
    # Every agency's return on every line it coordinates, jointly or in support.
    coordinations = ActionAgency.objects.filter(
        action__plan=plan, action__in=Action.objects.lines()
    ).select_related("action", "agency")
    created = 0
    for coordinator in coordinations.order_by("action__sort_key", "order"):
        last_quarter = _first_quarter(rng)
        this_quarter = _next_quarter(*last_quarter, rng)
        state_now = rng.choice([None, "draft", "submitted", "submitted"])
        # The README's walk: police.lead continues a draft and submits it.
        if (coordinator.agency.slug, coordinator.action.number) == (
            DEMO_DRAFT_AGENCY,
            DEMO_DRAFT_ACTION,
        ):
            state_now = "draft"
        for period, (status, percent), state in (
            (previous, last_quarter, StatusUpdate.State.ACCEPTED),
            (open_period, this_quarter, state_now),
        ):
            if state is None:  # a return not yet started, so the dashboard has some outstanding
                continue
            _, was_created = StatusUpdate.objects.get_or_create(
                action=coordinator.action,
                period=period,
                agency=coordinator.agency,
                defaults={
                    "status": status,
                    "percent_complete": percent,
                    "commentary": SAMPLE_COMMENTARY[status],
                    "state": state,
                    "is_demo": True,
                    "created_by": demo_author,
                    "updated_by": demo_author,
                    "submitted_by": demo_author if state != "draft" else None,
                    "submitted_at": timezone.now() if state != "draft" else None,
                },
            )
            created += was_created
    create_demo_indicator(plan, [previous, open_period])
    return open_period, created


def _first_quarter(rng: random.Random) -> tuple[str, int]:
    """A plausible first quarter: a quarter of the actions not started yet (0 per cent), the
    rest under way at 5 to 35 per cent."""
    Status = StatusUpdate.Status
    if rng.random() < 0.25:
        return Status.NOT_STARTED, 0
    return rng.choice([Status.ON_TRACK, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]), (
        rng.randrange(5, 40, 5)
    )


def _next_quarter(status: str, percent: int, rng: random.Random) -> tuple[str, int]:
    """The quarter after: a not-started action starts or waits; one under way moves on by 5 to
    25 per cent, and only one past 80 per cent is completed. Every pair obeys the
    status–per cent rule (``reporting.models.return_rules``)."""
    Status = StatusUpdate.Status
    if status == Status.NOT_STARTED:
        if rng.random() < 0.5:
            return Status.NOT_STARTED, 0
        return Status.ON_TRACK, rng.randrange(5, 25, 5)
    if percent >= 80:
        return Status.COMPLETE, 100
    moved_on = min(percent + rng.randrange(5, 30, 5), 95)
    return rng.choice([Status.ON_TRACK, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]), (
        moved_on
    )


# The action the demonstration indicator hangs off, its order (after any seed measure) and its
# reading in each demo quarter.
DEMO_INDICATOR_ACTION = "3"
DEMO_INDICATOR_ORDER = 900
DEMO_INDICATOR_VALUES = (4, 7)


def create_demo_indicator(plan: ActionPlan, periods: list[ReportingPeriod]) -> SuccessMeasure:
    """A sample numeric indicator with a reading per demo quarter, so the dashboard has one to
    chart. It is added beside the seed measures (never changing them) and labelled as demo."""
    measure, _ = SuccessMeasure.objects.get_or_create(
        action=Action.objects.get(plan=plan, number=DEMO_INDICATOR_ACTION),
        order=DEMO_INDICATOR_ORDER,
        defaults={
            "statement": "Demonstration indicator (sample data, not a real measure): maritime "
            "disruption operations in the Pacific.",
            "indicator": "Maritime disruption operations (demonstration)",
            "unit": "operations",
            "baseline": 0,
            "target": 12,
            "target_date": plan.end_date,
        },
    )
    for period, value in zip(periods, DEMO_INDICATOR_VALUES, strict=True):
        IndicatorReading.objects.get_or_create(
            measure=measure,
            date=period.ends_on,
            defaults={"value": value, "note": DEMO_READING_NOTE, "is_demo": True},
        )
    return measure


def demo_plan_exists() -> bool:
    return Action.objects.filter(plan__slug=DEMO_PLAN).exists()


def demo_sign_in() -> dict | None:
    """The demo accounts and their password for the sign-in page: only in development (DEBUG)
    once ``load_demo`` has run, never in production."""
    if not settings.DEBUG or not StatusUpdate.objects.filter(is_demo=True).exists():
        return None
    existing = set(
        get_user_model()
        .objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS], is_active=True)
        .values_list("username", flat=True)
    )
    agencies = {agency.slug: str(agency) for agency in Agency.objects.all()}
    accounts = [
        {
            "username": username,
            "name": full_name,
            "can": DEMO_ABILITIES[role or where].format(agency=agencies.get(where, where)),
        }
        for username, full_name, where, role in DEMO_ACCOUNTS
        if username in existing
    ]
    return {"password": DEMO_PASSWORD, "accounts": accounts} if accounts else None
