"""Loading the published strategies and action plans that ship with the product.

The files in ``actions/data/plans/`` are transcriptions of the source documents. Loading is
idempotent: what already exists is left as it is (the secretariat may have edited it since), so
a second run changes nothing. ``update=True`` brings existing records back to the file's text.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from agencies.models import Agency

from .models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    FocusArea,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)

PLANS_DIR = Path(__file__).resolve().parent / "data" / "plans"

STRATEGY_FIELDS = (
    "title",
    "short_title",
    "start_year",
    "end_year",
    "source",
    "vision",
    "principles",
    "objectives",
    "success_statements",
    "indicators",
    "vulnerabilities",
    "related_programmes",
)
PLAN_FIELDS = ("code", "title", "short_title", "source", "start_date", "end_date", "introduction")
ACTION_FIELDS = ("title", "description", "resourcing", "timeframe")


@dataclass
class LoadResult:
    """What a load created (and, with ``update``, changed), for the command to report."""

    plans: list[ActionPlan] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    def record(self, was_created: bool, was_updated: bool = False) -> None:
        self.created += was_created
        self.updated += was_updated


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


class SeedError(ValueError):
    """The seed file refers to something that doesn't exist (an agency, an area, an action)."""


def load_plan_file(path: Path, *, update: bool = False) -> LoadResult:
    """Load one strategy with its plans from a seed file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = LoadResult()
    with transaction.atomic():
        strategy = _load_strategy(data["strategy"], update=update, result=result)
        for plan_data in data.get("plans", []):
            result.plans.append(_load_plan(strategy, plan_data, update=update, result=result))
    return result


def _load_strategy(data: dict, *, update: bool, result: LoadResult) -> Strategy:
    values = {name: data.get(name) for name in STRATEGY_FIELDS}
    values = {k: v if v is not None or k == "end_year" else "" for k, v in values.items()}
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


class _PlanLoader:
    def __init__(self, strategy: Strategy, plan: ActionPlan, *, update: bool, result: LoadResult):
        self.plan, self.update, self.result = plan, update, result
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
        from agencies.querysets import normalise_agency_name

        try:
            return self.agencies[normalise_agency_name(name)]
        except KeyError:
            raise SeedError(f"{self.plan.slug}: unknown agency {name!r}") from None

    def load_groups(self, groups: list[dict], parent: ActionGroup | None, inherited: list) -> None:
        for data in groups:
            self.group_order += 1
            group, created = _sync(
                ActionGroup,
                {"plan": self.plan, "parent": parent, "title": data["title"]},
                {"number": data.get("number", ""), "order": self.group_order},
                update=self.update,
                result=self.result,
            )
            areas = self.areas(self.priority_areas, data.get("priority_areas", []), "priority area")
            if created or self.update:
                group.priority_areas.set(areas)
            for action in data.get("actions", []):
                self.load_action(action, group, None, inherited + areas)
            self.load_groups(data.get("groups", []), group, inherited + areas)

    def load_action(self, data: dict, group, parent: Action | None, inherited: list) -> Action:
        values = {name: data.get(name) or "" for name in ACTION_FIELDS}
        action, created = _sync(
            Action,
            {"plan": self.plan, "number": str(data["number"])},
            {**values, "group": group, "parent": parent},
            update=self.update,
            result=self.result,
        )
        if created or self.update:
            own = self.areas(self.priority_areas, data.get("priority_areas", []), "priority area")
            action.priority_areas.set({*inherited, *own})
            action.focus_areas.set(
                self.areas(self.focus_areas, data.get("focus_areas", []), "focus area")
            )
        for order, coordinator in enumerate(data.get("agencies", []), start=1):
            _sync(
                ActionAgency,
                {
                    "action": action,
                    "agency": self.agency(coordinator["agency"]),
                    "scope": coordinator.get("scope", ""),
                },
                {"role": coordinator["role"], "order": order},
                update=self.update,
                result=self.result,
            )
        for order, measure in enumerate(data.get("success_measures", []), start=1):
            _sync(
                SuccessMeasure,
                {"action": action, "order": order},
                {"statement": measure["statement"], "scope": measure.get("scope", "")},
                update=self.update,
                result=self.result,
            )
        for link in data.get("carries_on", []):
            earlier = Action.objects.filter(
                plan__slug=link["plan"], number=str(link["number"])
            ).first()
            if earlier is None:
                raise SeedError(f"{self.plan.slug} {action.number}: no earlier action {link}")
            _sync(
                ActionLink,
                {"action": action, "earlier_action": earlier},
                {"kind": link["kind"], "note": link.get("note", "")},
                update=self.update,
                result=self.result,
            )
        for sub_action in data.get("sub_actions", []):
            self.load_action(sub_action, group, action, inherited)
        return action


def _load_plan(strategy: Strategy, data: dict, *, update: bool, result: LoadResult) -> ActionPlan:
    values = {name: data.get(name) or "" for name in PLAN_FIELDS}
    for name in ("start_date", "end_date"):
        if not isinstance(values[name], datetime.date):
            values[name] = datetime.date.fromisoformat(str(values[name]))
    plan, _ = _sync(
        ActionPlan,
        {"slug": data["slug"]},
        {**values, "strategy": strategy},
        update=update,
        result=result,
    )
    _PlanLoader(strategy, plan, update=update, result=result).load_groups(
        data.get("groups", []), None, []
    )
    return plan


def seed_plan_files() -> list[Path]:
    """The shipped seed files, earliest strategy first (later plans link to earlier ones)."""
    files = sorted(PLANS_DIR.glob("*.yaml"))
    return sorted(files, key=lambda p: yaml.safe_load(p.read_text())["strategy"]["start_year"])
