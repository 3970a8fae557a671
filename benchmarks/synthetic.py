"""A synthetic whole-of-government programme, built fast with bulk inserts, shaped like the real
one.

At full size: 3 strategies, 60 agencies (every fifth with a shared inbox), leads that grow with
the programme (one per 20 actions, at least two per agency), contributors, ``n_actions`` actions
spread over the strategies' plans, one in ten of them a parent whose sub-actions report, each
with a lead and one or two supporting agencies, one to three priority and focus areas and two
success measures (the first a numeric indicator with a reading each quarter). Text lengths are
drawn from the shipped plans' titles and descriptions and from the paragraphs of the seed
documents (commentary, risks, next steps), in the seeds' own words. ``quarters`` quarters of
returns from the lead and the supporting agencies, each with its history row (the last quarter
open, overdue and partly submitted: a third of the lead returns are outstanding, spread so that
every agency with actions has some), and about one action in 25 with its description withheld.
One more agency leads ``FIXED_WORKLOAD`` lines at every size: the bench signs in as its lead, so
"My actions" and the action page show the same amount whatever the programme's size.
"""

import datetime
import random
import re
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    SuccessMeasure,
    natural_sort_key,
)
from actions.timeframes import parse_timeframe
from agencies.models import Agency, Membership
from agencies.roles import SECRETARIAT, VIEWER, ensure_role_groups
from reporting.models import ReportingPeriod, StatusUpdate, Withholding

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")
PASSWORD = "bench-password"
STATUSES = [s for s, _ in StatusUpdate.Status.choices]
# The bench's agency lead: of an agency with the same number of lines at every size.
FIXED_LEAD = "fixed-lead"
FIXED_WORKLOAD = 12
TIMEFRAMES = ["2021", "Q1-Q2 2020", "Ongoing", "2020/21", "2026-2030"]


class Corpus:
    """Text in the lengths and words of the real plans and seed documents."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        titles, descriptions = [], []
        for plan in sorted((ROOT / "actions" / "data" / "plans").glob("*.yaml")):
            for action in _yaml_actions(yaml.safe_load(plan.read_text())):
                titles.append(str(action.get("title") or ""))
                descriptions.append(str(action.get("description") or ""))
        self.titles = [t for t in titles if t] or ["Coordinate work against organised crime"]
        self.descriptions = [d for d in descriptions if d] or self.titles
        paragraphs = []
        for seed in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
            paragraphs += [
                " ".join(p.split())
                for p in re.split(r"\n\s*\n", seed.read_text(errors="replace"))
                if 40 <= len(" ".join(p.split())) <= 1500
            ]
        self.paragraphs = paragraphs or self.descriptions
        self.words = " ".join(self.paragraphs).split()

    def like(self, pool: list[str]) -> str:
        """Text as long as one drawn from ``pool``, in the seeds' words."""
        target = len(self.rng.choice(pool))
        start = self.rng.randrange(len(self.words))
        out, length = [], 0
        while length < target:
            word = self.words[(start + len(out)) % len(self.words)]
            out.append(word)
            length += len(word) + 1
        return " ".join(out)[: max(target, 1)]

    def title(self) -> str:
        return self.like(self.titles)[:300]

    def description(self) -> str:
        return self.like(self.descriptions)

    def paragraph(self) -> str:
        return self.like(self.paragraphs)


def _yaml_actions(node):
    """Every mapping under an ``actions`` key of a plan file, sub-actions included."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("actions", "sub_actions", "strands") and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        yield item
                        yield from _yaml_actions(item)
            else:
                yield from _yaml_actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_actions(item)


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
    quarters: int = 20,
    seed: int = 7,
) -> dict:
    """Create the data set in the current (empty) database and return handles to it."""
    rng = random.Random(seed)
    corpus = Corpus(rng)
    ensure_role_groups()
    today = datetime.date.today()
    User = get_user_model()
    hashed = User(username="x")
    hashed.set_password(PASSWORD)

    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Agency {i:03d}",
            short_name=f"AG{i:03d}",
            slug=f"agency-{i:03d}",
            email=f"tsoc-returns@agency-{i:03d}.govt.nz" if i % 5 == 0 else "",
        )
        for i in range(n_agencies)
    )
    # Leads grow with the programme: one per 20 actions, at least two per agency.
    n_leads = max(2 * n_agencies, n_actions // 20)
    n_contributors, n_staff = 4 * n_agencies + n_actions // 10, 20
    users = User.objects.bulk_create(
        User(
            username=f"user{i:05d}",
            email=f"user{i:05d}@example.govt.nz",
            first_name=f"Person {i}",
            password=hashed.password,
        )
        for i in range(n_leads + n_contributors + n_staff)
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            agency=agencies[i % n_agencies],
            role=Membership.Role.LEAD if i < n_leads else Membership.Role.CONTRIBUTOR,
        )
        for i, user in enumerate(users[: n_leads + n_contributors])
    )
    # One agency with the same workload at every size (FIXED_WORKLOAD lines it leads, no
    # support), whose lead the bench signs in as: its pages show the same amount at any size.
    fixed_agency = Agency.objects.create(
        name="Agency of fixed workload", short_name="AGFIX", slug="agency-fixed"
    )
    fixed_lead = User.objects.create(
        username=FIXED_LEAD,
        email="fixed-lead@example.govt.nz",
        first_name="Fixed lead",
        password=hashed.password,
    )
    Membership.objects.create(user=fixed_lead, agency=fixed_agency, role=Membership.Role.LEAD)
    staff = users[n_leads + n_contributors :]
    secretariat, viewer = Group.objects.get(name=SECRETARIAT), Group.objects.get(name=VIEWER)
    for user in staff[:10]:
        user.groups.add(secretariat)
    for user in staff[10:]:
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

    def action(plan, group, number, parent=None):
        parsed = timeframes[timeframe := rng.choice(TIMEFRAMES)]
        return Action(
            plan=plan,
            group=group,
            parent=parent,
            number=number,
            sort_key=natural_sort_key(number),
            title=corpus.title(),
            description=corpus.description(),
            timeframe=timeframe,
            starts_on=parsed.start,
            ends_on=parsed.end,
            is_ongoing=parsed.ongoing,
            timeframe_unparsed=not parsed.parsed,
        )

    # One action in ten is a parent reported through two or three sub-actions ("7a", "7b").
    parents, children = [], []
    for plan, count in zip(plans, per_plan, strict=True):
        groups = ActionGroup.objects.bulk_create(
            ActionGroup(plan=plan, title=f"Theme {g}", order=g) for g in range(max(1, count // 25))
        )
        made, n = 0, 0
        while made < count:
            n += 1
            group = groups[n % len(groups)]
            parent = action(plan, group, str(n))
            parents.append(parent)
            made += 1
            if n % 10 == 0 and made < count:
                for letter in "abc"[: min(rng.choice((2, 3)), count - made)]:
                    children.append((parent, action(plan, group, f"{n}{letter}")))
                    made += 1
    bulk_create_with_history(parents, Action, batch_size=2000)
    for parent, child in children:
        child.parent = parent
    bulk_create_with_history([child for _, child in children], Action, batch_size=2000)
    with_subs = {parent.pk for parent, _ in children}
    actions = sorted(
        [*parents, *(child for _, child in children)], key=lambda a: (a.plan_id, a.sort_key)
    )
    reportable = [a for a in actions if a.pk not in with_subs]

    plan_index = {plan.pk: i for i, plan in enumerate(plans)}
    # The fixed agency leads FIXED_WORKLOAD lines spread evenly through the plans.
    stride = max(1, len(reportable) // FIXED_WORKLOAD)
    fixed_lines = {line.pk for line in reportable[::stride][:FIXED_WORKLOAD]}
    through_priority, through_focus, coordinators, measures = [], [], [], []
    leads_of, supports_of = {}, {}
    for i, act in enumerate(actions):
        priority, focus = areas[plan_index[act.plan_id]]
        for area in rng.sample(priority, rng.choice((1, 1, 2, 3))):
            through_priority.append(Action.priority_areas.through(action=act, priorityarea=area))
        for area in rng.sample(focus, rng.choice((1, 2, 2, 3))):
            through_focus.append(Action.focus_areas.through(action=act, focusarea=area))
        if act.pk in with_subs:
            continue  # a parent reports through its sub-actions
        lead = fixed_agency if act.pk in fixed_lines else agencies[i % n_agencies]
        supports = [agencies[(i + 7) % n_agencies]]
        if i % 3 == 0:
            supports.append(agencies[(i + 19) % n_agencies])
        leads_of[act.pk], supports_of[act.pk] = lead, supports
        coordinators.append(ActionAgency(action=act, agency=lead, role="lead", order=1))
        coordinators += [
            ActionAgency(action=act, agency=agency, role="supporting", order=2 + k)
            for k, agency in enumerate(supports)
        ]
        measures += [
            SuccessMeasure(
                action=act,
                statement=corpus.description(),
                order=1,
                indicator="Seizures (kg)",
                unit="kg",
                baseline=Decimal(rng.randrange(0, 50)),
                target=Decimal(rng.randrange(60, 400)),
                target_date=datetime.date(2030, 6, 30),
            ),
            SuccessMeasure(action=act, statement=corpus.description(), order=2),
        ]
    Action.priority_areas.through.objects.bulk_create(through_priority)
    Action.focus_areas.through.objects.bulk_create(through_focus)
    ActionAgency.objects.bulk_create(coordinators)
    bulk_create_with_history(measures, SuccessMeasure, batch_size=5000)

    periods = _periods(quarters, today)
    readings = [
        IndicatorReading(
            measure=measure,
            date=period.ends_on,
            value=measure.baseline + Decimal(p_index * rng.randrange(1, 12)),
            agency=leads_of[measure.action_id],
        )
        for measure in measures
        if measure.indicator
        for p_index, period in enumerate(periods[:-1])
    ]
    IndicatorReading.objects.bulk_create(readings, batch_size=5000)

    updates = []
    for p_index, period in enumerate(periods):
        is_current = period is periods[-1]
        for i, act in enumerate(reportable):
            returns = [(leads_of[act.pk], True), *((a, False) for a in supports_of[act.pk])]
            for agency, is_lead in returns:
                if is_current and (
                    (i // stride) % 3 == 0 if act.pk in fixed_lines else (i // n_agencies) % 3 == 2
                ):
                    # outstanding: a third of the fixed agency's lines; every third run of
                    # n_agencies lines (one lead agency each) for the rest, the first run
                    # (the period page's first page) submitted, so it reads alike at any size
                    continue
                if not is_lead and rng.random() < 0.4:
                    continue  # supporting agencies send an input most quarters, not all
                updates.append(
                    StatusUpdate(
                        action=act,
                        period=period,
                        agency=agency,
                        status=rng.choice(STATUSES),
                        percent_complete=min(100, 5 * (p_index + 1)),
                        commentary=corpus.paragraph(),
                        risks=corpus.paragraph() if i % 4 == 0 else "",
                        next_steps=corpus.paragraph() if i % 2 == 0 else "",
                        state="submitted" if is_current else "accepted",
                    )
                )
    bulk_create_with_history(updates, StatusUpdate, batch_size=5000)

    grounds = [g for g, _ in Withholding.Ground.choices]
    Withholding.objects.bulk_create(
        Withholding(
            action=act,
            field=Withholding.Field.DESCRIPTION,
            ground=rng.choice(grounds),
            created_by=staff[0],
        )
        for act in actions[::25]
    )
    return {
        "plans": plans,
        "periods": periods,
        "lead": fixed_lead,
        "secretariat": staff[0],
        "viewer": staff[-1],
        "actions": len(actions),
        "updates": len(updates),
    }


def handles() -> dict:
    """What ``build`` returns, found again in a data set copied from its template."""
    users = get_user_model().objects.order_by("username")
    return {
        "plans": list(ActionPlan.objects.order_by("slug")),
        "periods": list(ReportingPeriod.objects.order_by("year", "quarter")),
        "lead": users.get(username=FIXED_LEAD),
        "secretariat": users.filter(groups__name=SECRETARIAT).first(),
        "viewer": users.filter(groups__name=VIEWER).last(),
        "actions": Action.objects.count(),
        "updates": StatusUpdate.objects.count(),
    }
