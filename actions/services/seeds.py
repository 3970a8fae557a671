"""Loading the published strategies and action plans that ship with the product.

The files in ``actions/data/plans/`` are transcriptions of the source documents. Loading is
idempotent: what already exists is left as it is (the secretariat may have edited it since), so
a second run changes nothing. ``update=True`` brings existing records back to the file's text,
saving only what differs.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from agencies.models import Agency
from agencies.querysets import normalise_agency_name

from ..models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    FocusArea,
    PriorityArea,
    Strategy,
)
from .writer import ActionSpec, CoordinatorSpec, MeasureHasReadings, MeasureSpec, PlanWriter

# libyaml's loader where installed: the pure-Python one is ten times slower.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLANS_DIR = Path(__file__).resolve().parent.parent / "data" / "plans"

STRATEGY_TEXT_FIELDS = ("title", "short_title", "source", "vision")
STRATEGY_LIST_FIELDS = (
    "principles",
    "objectives",
    "success_statements",
    "indicators",
    "vulnerabilities",
    "related_programmes",
)
PLAN_TEXT_FIELDS = ("code", "title", "short_title", "source", "introduction")
ACTION_TEXT_FIELDS = ("title", "description", "resourcing", "timeframe")


class SeedError(ValueError):
    """The seed file is malformed or refers to something that doesn't exist (an agency, an
    area, an earlier action)."""


@dataclass
class LoadResult:
    """What a load created (and, with ``update``, changed), for the command to report."""

    plans: list[ActionPlan] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    def record(self, was_created: bool, was_updated: bool = False) -> None:
        self.created += was_created
        self.updated += was_updated


def load_plan_file(path: Path, *, update: bool = False) -> LoadResult:
    """Load one strategy with its plans from a seed file, all or nothing."""
    data = _read(path)
    result = LoadResult()
    try:
        with transaction.atomic():
            strategy = _load_strategy(data["strategy"], update=update, result=result)
            for plan_data in data.get("plans", []):
                result.plans.append(_load_plan(strategy, plan_data, update=update, result=result))
    except KeyError as missing:
        raise SeedError(f"{path.name}: an entry has no {missing}") from None
    except MeasureHasReadings as error:
        raise SeedError(f"{path.name}, action {error.measure.action.number}: {error}") from None
    return result


def seed_plan_files() -> list[Path]:
    """The shipped seed files, earliest strategy first (later plans link to earlier ones)."""
    return sorted(PLANS_DIR.glob("*.yaml"), key=lambda path: _start_year(_read(path)))


def _read(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise SeedError(f"{path.name} is not valid YAML: {error}") from None
    if not isinstance(data, dict) or "strategy" not in data:
        raise SeedError(f"{path.name} has no 'strategy' section")
    return data


def _start_year(data: dict) -> int:
    return data["strategy"].get("start_year") or 0


def _sync(model, lookup: dict, values: dict, *, update: bool, result: LoadResult):
    """Get or create ``model`` by ``lookup``; with ``update``, save ``values`` only where they
    differ, so an unchanged record gets no new history entry."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    changed = False
    if not created and update:
        changed = any(getattr(obj, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
    result.record(created, changed)
    return obj, created


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _load_strategy(data: dict, *, update: bool, result: LoadResult) -> Strategy:
    values = {name: data.get(name) or "" for name in STRATEGY_TEXT_FIELDS}
    values |= {name: data.get(name) or [] for name in STRATEGY_LIST_FIELDS}
    values |= {"start_year": data["start_year"], "end_year": data.get("end_year")}
    strategy, _ = _sync(Strategy, {"slug": data["slug"]}, values, update=update, result=result)
    for model, key in ((PriorityArea, "priority_areas"), (FocusArea, "focus_areas")):
        for order, area in enumerate(data.get(key, []), start=1):
            _sync(
                model,
                {"strategy": strategy, "slug": area["slug"]},
                {"name": area["name"], "description": area.get("description", ""), "order": order},
                update=update,
                result=result,
            )
    return strategy


def _load_plan(strategy: Strategy, data: dict, *, update: bool, result: LoadResult) -> ActionPlan:
    values = {name: data.get(name) or "" for name in PLAN_TEXT_FIELDS}
    values |= {"start_date": _date(data["start_date"]), "end_date": _date(data["end_date"])}
    plan, _ = _sync(
        ActionPlan,
        {"slug": data["slug"]},
        {**values, "strategy": strategy},
        update=update,
        result=result,
    )
    loader = _PlanLoader(strategy, plan, update=update)
    loader.load_groups(data.get("groups", []), parent=None, inherited=[])
    result.created += loader.writer.records["created"] + loader.links.created
    result.updated += loader.writer.records["updated"] + loader.links.updated
    return plan


class _PlanLoader:
    """Walks a plan's nested groups and actions, handing each to a ``PlanWriter``."""

    def __init__(self, strategy: Strategy, plan: ActionPlan, *, update: bool):
        self.plan = plan
        self.writer = PlanWriter(plan, update=update)
        self.links = LoadResult()
        self.priority_areas = {a.slug: a for a in strategy.priority_areas.all()}
        self.focus_areas = {a.slug: a for a in strategy.focus_areas.all()}
        self.agencies = Agency.objects.name_index()
        self.group_order = 0

    def areas(self, lookup: dict, slugs: list[str], what: str) -> list:
        try:
            return [lookup[slug] for slug in slugs]
        except KeyError as missing:
            raise SeedError(f"{self.plan.slug}: unknown {what} {missing}") from None

    def agency(self, name: str) -> Agency:
        try:
            return self.agencies[normalise_agency_name(name)]
        except KeyError:
            raise SeedError(f"{self.plan.slug}: unknown agency {name!r}") from None

    def load_groups(self, groups: list[dict], parent: ActionGroup | None, inherited: list) -> None:
        """Groups in source order (depth first), each with its actions, then its subgroups."""
        for data in groups:
            self.group_order += 1
            areas = self.areas(self.priority_areas, data.get("priority_areas", []), "priority area")
            group = self.writer.group(
                parent,
                data["title"],
                str(data.get("number") or ""),
                order=self.group_order,
                priority_areas=areas,
            )
            for action in data.get("actions", []):
                self.load_action(action, group, None, inherited + areas)
            self.load_groups(data.get("groups", []), group, inherited + areas)

    def load_action(self, data: dict, group, parent, inherited: list) -> None:
        """An action takes the priority areas of the groups it sits in, as well as its own."""
        number = str(data["number"])
        is_new = self.writer.existing_action(number) is None
        own_areas = self.areas(self.priority_areas, data.get("priority_areas", []), "priority area")
        spec = ActionSpec(
            number=number,
            group=group,
            parent=parent,
            priority_areas=list(dict.fromkeys([*inherited, *own_areas])),
            focus_areas=self.areas(self.focus_areas, data.get("focus_areas", []), "focus area"),
            # Leads first, as the plan template lists them, so an export imports back unchanged.
            coordinators=sorted(
                (
                    CoordinatorSpec(self.agency(c["agency"]), c["role"], c.get("scope") or "")
                    for c in data.get("agencies", [])
                ),
                key=lambda c: c.role != ActionAgency.Role.LEAD,
            ),
            measures=[
                MeasureSpec(m["statement"], m.get("scope") or "")
                for m in data.get("success_measures", [])
            ],
            **{name: str(data.get(name) or "") for name in ACTION_TEXT_FIELDS},
        )
        action = self.writer.action(spec)
        if is_new or self.writer.update:
            for link in data.get("carries_on", []):
                self.link(action, link)
        for sub_action in data.get("sub_actions", []):
            self.load_action(sub_action, group, action, inherited)

    def link(self, action, link: dict) -> None:
        earlier = Action.objects.filter(plan__slug=link["plan"], number=str(link["number"])).first()
        if earlier is None:
            raise SeedError(f"{self.plan.slug} {action.number}: no earlier action {link}")
        _sync(
            ActionLink,
            {"action": action, "earlier_action": earlier},
            {"kind": link["kind"], "note": link.get("note", "")},
            update=self.writer.update,
            result=self.links,
        )
