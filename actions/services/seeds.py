"""Loading the published strategies and action plans that ship with the product.

The files in ``actions/data/plans/`` are transcriptions of the source documents: a strategy
with every part the source sets out (sections of items, priority and focus areas, priority
actions, contributing agencies, work programme overviews) and its plans. A fact the source
doesn't state is listed under ``assumptions`` (``{field: reason}``, or ``assumption: reason``
on a coordinating agency) and loaded as an ``Assumption`` beside it.

Loading is idempotent: what already exists is left as it is (the secretariat may have edited it
since, or confirmed an assumption), so a second run changes nothing. ``update=True`` brings
existing records back to the file's text, saving only what differs.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

from agencies.models import Agency
from agencies.querysets import normalise_agency_name

from ..models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    Assumption,
    FocusArea,
    PriorityArea,
    Strategy,
    StrategyItem,
    StrategyPriorityAction,
    StrategySection,
    WorkProgrammeOverview,
)
from .plan_template import ROLE_COLUMN_ORDER
from .writer import ActionSpec, CoordinatorSpec, MeasureSpec, PlanWriter, WouldLoseData

# libyaml's loader where installed: the pure-Python one is ten times slower.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLANS_DIR = Path(__file__).resolve().parent.parent / "data" / "plans"

STRATEGY_TEXT_FIELDS = (
    "title",
    "short_title",
    "source",
    "vision",
    "goal",
    "priority_areas_heading",
    "priority_areas_introduction",
    "focus_areas_heading",
)
OVERVIEW_FIELDS = ("title", "marking", "source", "note", "lanes", "levels", "parts")
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
            # After the plans: a strategy's priority actions name the plan actions delivering them.
            _load_priority_actions(strategy, data["strategy"], update=update, result=result)
    except KeyError as missing:
        raise SeedError(f"{path.name}: an entry has no {missing}") from None
    except WouldLoseData as error:
        raise SeedError(f"{path.name}: {error}") from None
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


def _assume(obj: models.Model, assumptions: dict | None, *, update: bool, result: LoadResult):
    """Mark each ``{field: reason}`` of ``obj`` as an assumption. One already there keeps its
    status (the secretariat may have confirmed it); with ``update`` its reason is brought back."""
    if not assumptions:
        return
    content_type = ContentType.objects.get_for_model(obj)
    for field_name, reason in assumptions.items():
        _sync(
            Assumption,
            {"content_type": content_type, "object_id": obj.pk, "field": field_name or ""},
            {"reason": " ".join(str(reason).split())},
            update=update,
            result=result,
        )


def _load_strategy(data: dict, *, update: bool, result: LoadResult) -> Strategy:
    values = {name: data.get(name) or "" for name in STRATEGY_TEXT_FIELDS}
    values["priority_areas_heading"] = values["priority_areas_heading"] or "Priorities"
    values["focus_areas_heading"] = values["focus_areas_heading"] or "Areas of focus"
    values |= {"start_year": data["start_year"], "end_year": data.get("end_year")}
    strategy, created = _sync(
        Strategy, {"slug": data["slug"]}, values, update=update, result=result
    )
    _assume(strategy, data.get("assumptions"), update=update, result=result)
    if created or update:
        agencies = Agency.objects.name_index()
        try:
            wanted = [
                agencies[normalise_agency_name(n)] for n in data.get("contributing_agencies", [])
            ]
        except KeyError as missing:
            raise SeedError(f"{data['slug']}: unknown contributing agency {missing}") from None
        if {a.pk for a in strategy.contributing_agencies.all()} != {a.pk for a in wanted}:
            strategy.contributing_agencies.set(wanted)
            result.record(False, not created)
    for order, section in enumerate(data.get("sections", []), start=1):
        _load_section(strategy, section, order, update=update, result=result)
    for model, key in ((PriorityArea, "priority_areas"), (FocusArea, "focus_areas")):
        for order, area in enumerate(data.get(key, []), start=1):
            _sync(
                model,
                {"strategy": strategy, "slug": area["slug"]},
                {
                    "name": area["name"],
                    "summary": area.get("summary") or "",
                    "description": (area.get("description") or "").strip(),
                    "order": order,
                },
                update=update,
                result=result,
            )
    for overview in data.get("work_programme_overviews", []):
        values = {
            name: overview.get(name) or ("" if name in OVERVIEW_FIELDS[:4] else [])
            for name in OVERVIEW_FIELDS
        }
        _sync(
            WorkProgrammeOverview,
            {"slug": overview["slug"]},
            {**values, "strategy": strategy},
            update=update,
            result=result,
        )
    return strategy


def _item_rows(items: list[dict]) -> list[tuple]:
    """A section's items as comparable rows: (title, summary, body, children's rows)."""
    return [
        (
            item.get("title") or "",
            item.get("summary") or "",
            (item.get("body") or "").strip(),
            tuple(_item_rows(item.get("items", []))),
        )
        for item in items
    ]


def _stored_rows(items) -> list[tuple]:
    return [
        (item.title, item.summary, item.body, tuple(_stored_rows(item.children.all())))
        for item in items
    ]


def _load_section(strategy, data: dict, order: int, *, update: bool, result: LoadResult):
    """A section and its items. Items have no key of their own, so with ``update`` a section
    whose items differ from the file gets the file's items afresh; an unchanged one is left."""
    section, created = _sync(
        StrategySection,
        {"strategy": strategy, "kind": data["kind"]},
        {
            "heading": data["heading"],
            "introduction": (data.get("introduction") or "").strip(),
            "closing": (data.get("closing") or "").strip(),
            "order": order,
        },
        update=update,
        result=result,
    )
    wanted = _item_rows(data.get("items", []))
    if not created:
        if not update or _stored_rows(section.items.filter(parent=None)) == wanted:
            return
        section.items.all().delete()
        result.record(False, True)

    def create(rows, parent):
        for position, (title, summary, body, children) in enumerate(rows, start=1):
            item = StrategyItem.objects.create(
                section=section,
                parent=parent,
                title=title,
                summary=summary,
                body=body,
                order=position,
            )
            result.record(True)
            create(children, item)

    create(wanted, None)


def _load_priority_actions(strategy, data: dict, *, update: bool, result: LoadResult) -> None:
    areas = {area.slug: area for area in strategy.priority_areas.all()}
    for area_data in data.get("priority_areas", []):
        for order, pa in enumerate(area_data.get("priority_actions", []), start=1):
            action, created = _sync(
                StrategyPriorityAction,
                {"priority_area": areas[area_data["slug"]], "title": pa["title"]},
                {
                    "lead_in": " ".join((pa.get("lead_in") or "").split()),
                    "bullets": [" ".join(b.split()) for b in pa.get("bullets", [])],
                    "description": (pa.get("description") or "").strip(),
                    "delivery_note": " ".join((pa.get("delivery_note") or "").split()),
                    "order": order,
                },
                update=update,
                result=result,
            )
            if not (created or update):
                continue
            delivered = pa.get("delivered_by") or {}
            wanted = list(
                Action.objects.filter(
                    plan__slug=delivered.get("plan", ""), number__in=delivered.get("numbers", [])
                )
            )
            if len(wanted) != len(delivered.get("numbers", [])):
                raise SeedError(f"{strategy.slug}: {pa['title']!r} names an unknown action")
            if {a.pk for a in action.delivered_by.all()} != {a.pk for a in wanted}:
                action.delivered_by.set(wanted)


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
    _assume(plan, data.get("assumptions"), update=update, result=result)
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
            # In the plan template's column order (lead, coordinating, supporting), so an export
            # imports back unchanged.
            coordinators=sorted(
                (
                    CoordinatorSpec(self.agency(c["agency"]), c["role"], c.get("scope") or "")
                    for c in data.get("agencies", [])
                ),
                key=lambda c: ROLE_COLUMN_ORDER.index(c.role),
            ),
            measures=[
                MeasureSpec(m["statement"], m.get("scope") or "")
                for m in data.get("success_measures", [])
            ],
            short_title=str(data.get("short_title") or ""),
            **{name: str(data.get(name) or "") for name in ACTION_TEXT_FIELDS},
        )
        action = self.writer.action(spec)
        self.mark_assumptions(action, data)
        if is_new or self.writer.update:
            for link in data.get("carries_on", []):
                self.link(action, link)
        for sub_action in data.get("sub_actions", []):
            self.load_action(sub_action, group, action, inherited)

    def mark_assumptions(self, action: Action, data: dict) -> None:
        """The action's assumed facts, and each coordinating agency's (``assumption:``)."""
        _assume(action, data.get("assumptions"), update=self.writer.update, result=self.links)
        marked = {
            (self.agency(c["agency"]).pk, c.get("scope") or ""): c["assumption"]
            for c in data.get("agencies", [])
            if c.get("assumption")
        }
        if marked:
            own_or_strands = Q(action=action) | Q(action__parent=action, action__kind="strand")
            for coordinator in ActionAgency.objects.filter(own_or_strands).select_related("action"):
                strand = coordinator.action.title if coordinator.action.is_strand else ""
                reason = marked.get((coordinator.agency_id, strand))
                if reason:
                    _assume(coordinator, {"": reason}, update=self.writer.update, result=self.links)

    def link(self, action, link: dict) -> None:
        earlier = Action.objects.filter(plan__slug=link["plan"], number=str(link["number"])).first()
        if earlier is None:
            raise SeedError(f"{self.plan.slug} {action.number}: no earlier action {link}")
        action_link, _ = _sync(
            ActionLink,
            {"action": action, "earlier_action": earlier},
            {"kind": link["kind"], "note": link.get("note", "")},
            update=self.writer.update,
            result=self.links,
        )
        if link.get("assumption"):
            _assume(
                action_link, {"": link["assumption"]}, update=self.writer.update, result=self.links
            )
