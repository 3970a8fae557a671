"""A synthetic whole-of-government programme, built fast with bulk inserts.

Shape at full size: 3 strategies, 60 agencies, 600 users, ``n_actions`` actions spread over the
strategies' plans, each with a lead and a supporting agency and two success measures, and
``quarters`` quarters of lead returns (the last one open, overdue and partly submitted: a third
of the returns are outstanding, spread so that every agency with actions has some, so a reminder
run writes to every lead at every size from 200 actions up).
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionPlan,
    FocusArea,
    PriorityArea,
    Strategy,
    SuccessMeasure,
    natural_sort_key,
)
from actions.timeframes import parse_timeframe
from agencies.models import Agency, Membership
from agencies.roles import SECRETARIAT, VIEWER, ensure_role_groups
from reporting.models import ReportingPeriod, StatusUpdate

PASSWORD = "bench-password"
STATUSES = [s for s, _ in StatusUpdate.Status.choices]
TIMEFRAMES = ["2021", "Q1-Q2 2020", "Ongoing", "2020/21", "2026-2030"]


def _periods(quarters: int, today: datetime.date) -> list[ReportingPeriod]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    keys = []
    for _ in range(quarters):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        keys.append((year, quarter))
    periods = [ReportingPeriod.objects.for_quarter(y, q) for y, q in reversed(keys)]
    for period in periods[:-1]:
        period.state = ReportingPeriod.State.CLOSED
        period.save()
    current = periods[-1]
    current.state = ReportingPeriod.State.OPEN
    current.opens_on = min(current.opens_on, today)
    current.due_on = today - datetime.timedelta(days=3)  # overdue, so reminders have work
    current.closes_on = max(current.closes_on, today + datetime.timedelta(days=30))
    current.save()
    return periods


@transaction.atomic
def build(
    n_actions: int,
    *,
    n_strategies: int = 3,
    n_agencies: int = 60,
    n_users: int = 600,
    quarters: int = 8,
    seed: int = 7,
) -> dict:
    """Create the data set in the current (empty) database and return handles to it."""
    rng = random.Random(seed)
    ensure_role_groups()
    today = datetime.date.today()
    User = get_user_model()
    hashed = User(username="x")
    hashed.set_password(PASSWORD)

    agencies = Agency.objects.bulk_create(
        Agency(name=f"Agency {i:03d}", short_name=f"AG{i:03d}", slug=f"agency-{i:03d}")
        for i in range(n_agencies)
    )
    users = User.objects.bulk_create(
        User(
            username=f"user{i:04d}",
            email=f"user{i:04d}@example.govt.nz",
            password=hashed.password,
        )
        for i in range(n_users)
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            agency=agencies[i % n_agencies],
            role=Membership.Role.LEAD if i < n_agencies * 2 else Membership.Role.CONTRIBUTOR,
        )
        for i, user in enumerate(users[: n_users - 20])
    )
    secretariat, viewer = Group.objects.get(name=SECRETARIAT), Group.objects.get(name=VIEWER)
    for user in users[n_users - 20 : n_users - 10]:
        user.groups.add(secretariat)
    for user in users[n_users - 10 :]:
        user.groups.add(viewer)

    plans, areas = [], []
    for s in range(n_strategies):
        strategy = Strategy.objects.create(
            slug=f"strategy-{s}", title=f"Strategy {s}", short_title=f"S{s}", start_year=2020 + s
        )
        priority = PriorityArea.objects.bulk_create(
            PriorityArea(strategy=strategy, slug=slug, name=slug.title(), order=i)
            for i, slug in enumerate(["unify", "prevent", "detect", "dismantle"])
        )
        focus = FocusArea.objects.bulk_create(
            FocusArea(strategy=strategy, slug=slug, name=slug.title(), order=i)
            for i, slug in enumerate(["international", "border", "national", "community"])
        )
        plan = ActionPlan.objects.create(
            strategy=strategy,
            slug=f"plan-{s}",
            code=f"P{s}",
            title=f"Action plan {s}",
            short_title=f"Plan {s}",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2030, 12, 31),
        )
        plans.append(plan)
        areas.append((priority, focus))

    per_plan = [
        n_actions // n_strategies + (i < n_actions % n_strategies) for i in range(n_strategies)
    ]
    timeframes = {
        text: parse_timeframe(text, financial_year_start_month=settings.FINANCIAL_YEAR_START_MONTH)
        for text in TIMEFRAMES
    }
    actions = []
    for plan, count in zip(plans, per_plan, strict=True):
        groups = ActionGroup.objects.bulk_create(
            ActionGroup(plan=plan, title=f"Theme {g}", order=g) for g in range(max(1, count // 25))
        )
        for i in range(count):
            timeframe = rng.choice(TIMEFRAMES)
            parsed = timeframes[timeframe]
            actions.append(
                Action(
                    plan=plan,
                    group=groups[i % len(groups)],
                    number=str(i + 1),
                    sort_key=natural_sort_key(str(i + 1)),
                    title=f"Synthetic action {i + 1} of {plan.code}",
                    description="Reduce harm from organised crime through coordinated work. " * 3,
                    timeframe=timeframe,
                    starts_on=parsed.start,
                    ends_on=parsed.end,
                    is_ongoing=parsed.ongoing,
                    timeframe_unparsed=not parsed.parsed,
                )
            )
    actions = Action.objects.bulk_create(actions)
    plan_index = {plan.pk: i for i, plan in enumerate(plans)}
    through_priority, through_focus, coordinators, measures = [], [], [], []
    for i, action in enumerate(actions):
        priority, focus = areas[plan_index[action.plan_id]]
        through_priority.append(
            Action.priority_areas.through(action=action, priorityarea=priority[i % 4])
        )
        through_focus.append(Action.focus_areas.through(action=action, focusarea=focus[i % 4]))
        lead, support = agencies[i % n_agencies], agencies[(i + 7) % n_agencies]
        coordinators += [
            ActionAgency(action=action, agency=lead, role="lead", order=1),
            ActionAgency(action=action, agency=support, role="supporting", order=2),
        ]
        measures += [
            SuccessMeasure(action=action, statement=f"Success statement {m} for {i}.", order=m)
            for m in (1, 2)
        ]
    Action.priority_areas.through.objects.bulk_create(through_priority)
    Action.focus_areas.through.objects.bulk_create(through_focus)
    ActionAgency.objects.bulk_create(coordinators)
    SuccessMeasure.objects.bulk_create(measures)

    periods = _periods(quarters, today)
    updates = []
    for p_index, period in enumerate(periods):
        is_current = period is periods[-1]
        for i, action in enumerate(actions):
            if is_current and (i // n_agencies) % 3 == 0:
                continue  # outstanding: runs of n_agencies actions, one lead agency each
            updates.append(
                StatusUpdate(
                    action=action,
                    period=period,
                    agency=agencies[i % n_agencies],
                    status=rng.choice(STATUSES),
                    percent_complete=min(100, 10 * (p_index + 1)),
                    commentary=f"Progress in {period.code}: milestones reviewed. " * 4,
                    risks="Resourcing pressure." if i % 4 == 0 else "",
                    state="submitted" if is_current else "accepted",
                )
            )
    StatusUpdate.objects.bulk_create(updates, batch_size=5000)
    return {
        "plans": plans,
        "periods": periods,
        "lead": users[0],
        "secretariat": users[n_users - 20],
        "viewer": users[n_users - 1],
        "actions": len(actions),
        "updates": len(updates),
    }
