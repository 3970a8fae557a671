"""Bringing a plan's groups and actions to a described state.

Shared by the seed loader and the spreadsheet importer, so both follow the same rules: an action
is found by its number within the plan; with ``update`` its text, group, parent, areas,
coordinating agencies and success measures are brought to the description; only what differs
is saved, so a repeat run writes nothing and adds no history.

Strands: coordinating agencies and success measures described with a ``scope`` (the
``[Strand] …`` cells of the plan template) belong to a strand of the action of that name, a
child action of kind strand numbered “<number> strand <n>”, found again by its name.
"""

from collections import Counter
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

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
    scope: str = ""  # the strand's name, or "" for the action itself


@dataclass(frozen=True)
class MeasureSpec:
    statement: str
    scope: str = ""  # the strand's name, or "" for the action itself


def strand_number(action_number: str, place: int) -> str:
    return f"{action_number} strand {place}"


# Why a sub-action's coordinating agencies are its parent's, where the source gives none.
INHERITED_COORDINATION = (
    "the source names the coordinating agencies for {code} {number} as a whole, not for each "
    "sub-action: they are taken to coordinate each of its sub-actions"
)


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


class WouldLoseData(ValueError):
    """A change that would delete what people recorded; refused."""


class StrandHasReturns(WouldLoseData):
    """Removing this strand would delete the returns agencies made on it."""

    def __init__(self, strand: Action):
        self.strand = strand
        super().__init__(
            _(
                "strand “%(strand)s” of %(number)s has returns, so it can't be removed by an "
                "import; remove it in the admin if that is really meant"
            )
            % {"strand": strand.title, "number": strand.parent.number}
        )


class MeasureHasReadings(WouldLoseData):
    """Removing this success measure would delete the indicator readings recorded against it."""

    def __init__(self, measure: SuccessMeasure):
        self.measure = measure
        super().__init__(
            _(
                "success measure %(statement)s has indicator readings, so it can't be removed by "
                "an import; remove it in the admin if that is really meant"
            )
            % {"statement": repr(measure.statement[:60])}
        )


def match_measures(
    current: list[SuccessMeasure], wanted: list[MeasureSpec]
) -> tuple[list[SuccessMeasure | None], list[SuccessMeasure]]:
    """Pair each wanted measure with an existing one of the same statement (or None),
    and list the existing measures left over. Matching by text keeps readings with the
    statement they were recorded against when measures are added or reordered."""
    available: dict[str, list[SuccessMeasure]] = {}
    for measure in current:
        available.setdefault(measure.statement, []).append(measure)
    pairs = []
    for spec in wanted:
        bucket = available.get(spec.statement)
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
        self.strands = Counter()  # the same, for strands
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
                group.version += 1
                group.save()
                self.records["updated"] += 1
        if priority_areas is not None and (created or self.update):
            _set_changed(group.priority_areas, priority_areas, new=created)
        return group

    def action(self, spec: ActionSpec) -> Action:
        """Create the action, or (with ``update``) bring it to ``spec``; then its strands."""
        strands = _strands_of(spec)
        own = replace(
            spec,
            coordinators=[c for c in spec.coordinators if not c.scope],
            measures=[m for m in spec.measures if not m.scope],
        )
        inherits = not own.coordinators and not strands and spec.parent is not None
        if inherits:
            own.coordinators = [
                CoordinatorSpec(c.agency, c.role)
                for c in spec.parent.coordinators.select_related("agency").order_by("order")
            ]
        is_new = spec.number not in self._actions
        action = self._write_action(own)
        if is_new or self.update:
            self._write_strands(action, spec, strands)
            if inherits and own.coordinators:
                self._mark_inherited(action, spec.parent)
        return action

    def _mark_inherited(self, action: Action, parent: Action) -> None:
        from django.contrib.contenttypes.models import ContentType

        from ..models import Assumption

        reason = INHERITED_COORDINATION.format(code=self.plan.code, number=parent.number)
        content_type = ContentType.objects.get_for_model(ActionAgency)
        for coordinator in ActionAgency.objects.filter(action=action):
            _, created = Assumption.objects.get_or_create(
                content_type=content_type,
                object_id=coordinator.pk,
                field="",
                defaults={"reason": reason},
            )
            self.records["created"] += created

    def _write_strands(self, action: Action, spec: ActionSpec, strands: list) -> None:
        existing = {s.title: s for s in action.sub_actions.filter(kind=Action.Kind.STRAND)}
        used = {s.number for s in existing.values()}
        for name, coordinators, measures in strands:
            strand = existing.pop(name, None)
            if strand is None:
                place = 1
                while strand_number(spec.number, place) in used:
                    place += 1
                number = strand_number(spec.number, place)
                used.add(number)
            else:
                number = strand.number
            self._write_action(
                ActionSpec(
                    number=number,
                    title=name,
                    group=spec.group,
                    parent=action,
                    coordinators=coordinators,
                    measures=measures,
                ),
                kind=Action.Kind.STRAND,
            )
        for strand in existing.values():
            if strand.status_updates.exists():
                raise StrandHasReturns(strand)
            strand.delete()
            self._actions.pop(strand.number, None)
            self.records["deleted"] += 1

    def _write_action(self, spec: ActionSpec, *, kind: str = Action.Kind.ACTION) -> Action:
        counts = self.strands if kind == Action.Kind.STRAND else self.actions
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
            action = Action.objects.create(plan=self.plan, number=spec.number, kind=kind, **values)
            self._actions[spec.number] = action
            self.records["created"] += 1
            self._write_relations(action, spec, new=True)
            counts["created"] += 1
            return action
        if not self.update:
            counts["unchanged"] += 1
            return action
        changed = _assign_changed(action, values)
        if changed:
            self.records["updated"] += 1
        changed |= self._write_relations(action, spec, new=False)
        if changed:
            action.version += 1  # an editing page opened before the import meets a conflict
            action.save()
        counts["updated" if changed else "unchanged"] += 1
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
        current = {c.agency_id: c for c in existing}
        changed = False
        for order, spec in enumerate(wanted, start=1):
            coordinator = current.pop(spec.agency.pk, None)
            if coordinator is None:
                ActionAgency.objects.create(
                    action=action, agency=spec.agency, role=spec.role, order=order
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
                SuccessMeasure.objects.create(action=action, statement=spec.statement, order=order)
                self.records["created"] += 1
                changed = True
            elif _assign_changed(measure, {"order": order}):
                measure.version += 1
                measure.save()
                self.records["updated"] += 1
                changed = True
        return changed


def _strands_of(spec: ActionSpec) -> list[tuple[str, list, list]]:
    """(name, coordinators, measures) of each strand ``spec`` describes, in the order first
    named."""
    names = list(dict.fromkeys(x.scope for x in [*spec.coordinators, *spec.measures] if x.scope))
    return [
        (
            name,
            [CoordinatorSpec(c.agency, c.role) for c in spec.coordinators if c.scope == name],
            [MeasureSpec(m.statement) for m in spec.measures if m.scope == name],
        )
        for name in names
    ]


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
