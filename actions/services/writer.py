"""Bringing a plan's groups and actions to a described state.

Shared by the seed loader and the spreadsheet importer, so both follow the same rules: an action
is found by its number within the plan; with ``update`` its text, group, parent, areas,
coordinating agencies and success measures are brought to the description; only what differs
is saved, so a repeat run writes nothing and adds no history.
"""

from collections import Counter
from dataclasses import dataclass, field

from agencies.models import Agency

from ..models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionPlan,
    FocusArea,
    PriorityArea,
    SuccessMeasure,
)


@dataclass(frozen=True)
class CoordinatorSpec:
    agency: Agency
    role: str
    scope: str = ""


@dataclass(frozen=True)
class MeasureSpec:
    statement: str
    scope: str = ""


@dataclass
class ActionSpec:
    """Everything the plan template says about one action."""

    number: str
    title: str
    description: str = ""
    short_title: str | None = None  # None: leave the stored short label as it is
    resourcing: str = ""
    timeframe: str = ""
    group: ActionGroup | None = None
    parent: Action | None = None
    priority_areas: list[PriorityArea] = field(default_factory=list)
    focus_areas: list[FocusArea] = field(default_factory=list)
    coordinators: list[CoordinatorSpec] = field(default_factory=list)
    measures: list[MeasureSpec] = field(default_factory=list)


class MeasureHasReadings(ValueError):
    """Removing this success measure would delete the indicator readings recorded against it."""

    def __init__(self, measure: SuccessMeasure):
        self.measure = measure
        super().__init__(
            f"success measure {measure.statement[:60]!r} has indicator readings, so it can't be "
            "removed by an import; remove it in the admin if that is really meant"
        )


def match_measures(
    current: list[SuccessMeasure], wanted: list[MeasureSpec]
) -> tuple[list[SuccessMeasure | None], list[SuccessMeasure]]:
    """Pair each wanted measure with an existing one of the same statement and scope (or None),
    and list the existing measures left over. Matching by text keeps readings with the
    statement they were recorded against when measures are added or reordered."""
    available: dict[tuple[str, str], list[SuccessMeasure]] = {}
    for measure in current:
        available.setdefault((measure.statement, measure.scope), []).append(measure)
    pairs = []
    for spec in wanted:
        bucket = available.get((spec.statement, spec.scope))
        pairs.append(bucket.pop(0) if bucket else None)
    leftovers = [m for bucket in available.values() for m in bucket]
    return pairs, leftovers


class PlanWriter:
    """Writes groups and actions into one plan; counts records and actions as it goes.

    Without ``update`` an existing group or action is left exactly as it is (the secretariat may
    have edited it); with ``update`` it is brought to the description.
    """

    def __init__(self, plan: ActionPlan, *, update: bool):
        self.plan = plan
        self.update = update
        self.records = Counter()  # "created" / "updated" records of any model
        self.actions = Counter()  # "created" / "updated" / "unchanged" actions
        existing = plan.actions.prefetch_related(
            "priority_areas", "focus_areas", "coordinators", "success_measures"
        )
        self._actions = {action.number: action for action in existing}
        self._groups = {(g.parent_id, g.title): g for g in plan.groups.all()}
        self._next_group_order = max((g.order for g in self._groups.values()), default=0) + 1

    def existing_action(self, number: str) -> Action | None:
        return self._actions.get(number)

    def group(
        self,
        parent: ActionGroup | None,
        title: str,
        number: str = "",
        *,
        order: int | None = None,
        priority_areas: list[PriorityArea] | None = None,
    ) -> ActionGroup:
        """The plan's group of this title under ``parent``, created at the end (or at
        ``order``) if new."""
        key = (parent.pk if parent else None, title)
        group = self._groups.get(key)
        created = group is None
        if created:
            group = ActionGroup.objects.create(
                plan=self.plan,
                parent=parent,
                title=title,
                number=number,
                order=order if order is not None else self._next_group_order,
            )
            self._groups[key] = group
            self._next_group_order = max(self._next_group_order, group.order) + 1
            self.records["created"] += 1
        elif self.update:
            values = {"number": number} if order is None else {"number": number, "order": order}
            if _assign_changed(group, values):
                group.save()
                self.records["updated"] += 1
        if priority_areas is not None and (created or self.update):
            _set_changed(group.priority_areas, priority_areas, new=created)
        return group

    def action(self, spec: ActionSpec) -> Action:
        """Create the action, or (with ``update``) bring it to ``spec``."""
        values = {
            "title": spec.title,
            "description": spec.description,
            "resourcing": spec.resourcing,
            "timeframe": spec.timeframe,
            "group_id": spec.group.pk if spec.group else None,
            "parent_id": spec.parent.pk if spec.parent else None,
        }
        if spec.short_title is not None:
            values["short_title"] = spec.short_title
        action = self._actions.get(spec.number)
        if action is None:
            action = Action.objects.create(plan=self.plan, number=spec.number, **values)
            self._actions[spec.number] = action
            self.records["created"] += 1
            self._write_relations(action, spec, new=True)
            self.actions["created"] += 1
            return action
        if not self.update:
            self.actions["unchanged"] += 1
            return action
        changed = _assign_changed(action, values)
        if changed:
            action.save()
            self.records["updated"] += 1
        changed |= self._write_relations(action, spec, new=False)
        self.actions["updated" if changed else "unchanged"] += 1
        return action

    def _write_relations(self, action: Action, spec: ActionSpec, *, new: bool) -> bool:
        """Areas, agencies and measures; a new action has none yet, which saves the queries."""
        changed = _set_changed(action.priority_areas, spec.priority_areas, new=new)
        changed |= _set_changed(action.focus_areas, spec.focus_areas, new=new)
        changed |= self._sync_coordinators(
            action, spec.coordinators, [] if new else action.coordinators.all()
        )
        changed |= self._sync_measures(
            action, spec.measures, [] if new else list(action.success_measures.all())
        )
        return changed

    def _sync_coordinators(self, action: Action, wanted: list[CoordinatorSpec], existing) -> bool:
        current = {(c.agency_id, c.scope): c for c in existing}
        changed = False
        for order, spec in enumerate(wanted, start=1):
            coordinator = current.pop((spec.agency.pk, spec.scope), None)
            if coordinator is None:
                ActionAgency.objects.create(
                    action=action, agency=spec.agency, role=spec.role, scope=spec.scope, order=order
                )
                self.records["created"] += 1
                changed = True
            elif _assign_changed(coordinator, {"role": spec.role, "order": order}):
                coordinator.save()
                self.records["updated"] += 1
                changed = True
        for coordinator in current.values():
            coordinator.delete()
            changed = True
        return changed

    def _sync_measures(
        self, action: Action, wanted: list[MeasureSpec], existing: list[SuccessMeasure]
    ) -> bool:
        pairs, leftovers = match_measures(existing, wanted)
        for measure in leftovers:
            if measure.readings.exists():
                raise MeasureHasReadings(measure)
        changed = bool(leftovers)
        for measure in leftovers:
            measure.delete()
        for order, (spec, measure) in enumerate(zip(wanted, pairs, strict=True), start=1):
            if measure is None:
                SuccessMeasure.objects.create(
                    action=action, statement=spec.statement, scope=spec.scope, order=order
                )
                self.records["created"] += 1
                changed = True
            elif _assign_changed(measure, {"order": order}):
                measure.save()
                self.records["updated"] += 1
                changed = True
        return changed


def _assign_changed(obj, values: dict) -> bool:
    """Set the attributes that differ; say whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _set_changed(related_manager, objects: list, *, new: bool) -> bool:
    """Set a many-to-many relation if it differs (a ``new`` object's is empty); say whether it
    did."""
    current = set() if new else {obj.pk for obj in related_manager.all()}
    if current == {obj.pk for obj in objects}:
        return False
    related_manager.set(objects)
    return True
