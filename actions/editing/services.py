"""The secretariat's changes to plans on the editing pages.

Each service checks the person against ``ActionPlan.objects.editable_by`` (the one rule), names
the version it was made from (``StaleEditError`` when someone changed the record since), and
leaves a history row naming who made it and, for changes to an action's agencies, tags and links,
what changed (the action's history row's reason). Removing something that other records hang on
(returns, indicator readings, risks …) is refused with the reason (``RemovalRefused``), never
cascaded.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    Assumption,
    FocusArea,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)
from actions.timeframes import parse_timeframe
from agencies.models import Agency
from core.rules import allows

PLAN_FIELDS = (
    "title",
    "short_title",
    "code",
    "start_date",
    "end_date",
    "introduction",
    "source",
)
GROUP_FIELDS = ("number", "title", "parent")
ACTION_FIELDS = (
    "number",
    "title",
    "short_title",
    "description",
    "resourcing",
    "timeframe",
    "group",
)
COPIED_ACTION_FIELDS = ("kind", "number", "title", "short_title", "description", "resourcing")
COPIED_ACTION_FIELDS += ("timeframe",)
MEASURE_FIELDS = (
    "statement",
    "indicator",
    "unit",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "direction",
)
# What an action's removal may take with it: its own parts. Anything else (returns, readings,
# drafts, risks, dependencies …) refuses the removal.
OWN_PARTS = {
    Action,
    ActionAgency,
    SuccessMeasure,
    ActionLink,
    Assumption,
    Action.priority_areas.through,
    Action.focus_areas.through,
}


class StaleEditError(Exception):
    """Someone changed the record since the form was read; ``current`` is what is stored now,
    ``changed_by`` and ``changed_at`` who changed it last and when (from its history)."""

    def __init__(self, current):
        latest = current.history.select_related("history_user").first()
        self.current = current
        self.changed_by = latest.history_user if latest else None
        self.changed_at = latest.history_date if latest else None
        super().__init__(f"{current} was changed by someone else (now version {current.version}).")


class RemovalRefused(Exception):
    """The thing can't be removed; the message says why and what to do instead."""


def timeframe_reading(text: str) -> str:
    """How the product reads a timeframe: “Reads as 1 April – 31 December 2020.”, “Reads as
    ongoing from 1 July 2026.”, or “Dates not understood: kept as written.”."""
    parsed = parse_timeframe(text, financial_year_start_month=settings.FINANCIAL_YEAR_START_MONTH)
    if not parsed.parsed:
        return _("Dates not understood: kept as written.")
    if parsed.ongoing:
        if parsed.start:
            return _("Reads as ongoing from %(start)s.") % {
                "start": date_format(parsed.start, "j F Y")
            }
        return _("Reads as ongoing, with no dates.")
    if parsed.start is None:
        return _("No timeframe given.")
    start_format = "j F" if parsed.start.year == parsed.end.year else "j F Y"
    return _("Reads as %(start)s – %(end)s.") % {
        "start": date_format(parsed.start, start_format),
        "end": date_format(parsed.end, "j F Y"),
    }


# --- The rule and the version check ----------------------------------------------------------


def _require_editable(plan: ActionPlan, by) -> None:
    if not ActionPlan.objects.editable_by(by).filter(pk=plan.pk).exists():
        raise PermissionDenied("Only the secretariat changes plans.")


def _save_checked(record, expected_version: int, by, reason: str = "") -> None:
    """Save ``record`` as its next version, only if the stored row is still
    ``expected_version`` (locked for the check), with a history row naming ``by``."""
    with transaction.atomic():
        current = type(record).objects.select_for_update().get(pk=record.pk)
        if current.version != expected_version:
            raise StaleEditError(current)
        record.version = expected_version + 1
        record._history_user = by
        record._change_reason = reason[:100] or None
        record.save()


def _check_action(action: Action, expected_version: int, by, reason: str) -> None:
    """A change to an action's agencies, tags or links: the action's version moves on, and its
    history row says who changed what."""
    _require_editable(action.plan, by)
    _save_checked(action, expected_version, by, reason)


def _saved_by(record, by, reason: str = "") -> None:
    record._history_user = by
    record._change_reason = reason[:100] or None
    record.save()


def _changed(record, data: dict, fields: Iterable[str]) -> list[str]:
    """Set the fields ``data`` names (only those: a field the form didn't send keeps its
    value) and return the names of those that changed."""
    changed = []
    for name in fields:
        if name in data and getattr(record, name) != data[name]:
            setattr(record, name, data[name])
            changed.append(name)
    return changed


def _refuse_if_anything_hangs_on(record, what: str, own_parts: set) -> None:
    """``RemovalRefused`` naming what else would go with ``record``, if anything outside its own
    parts would."""
    collector = Collector(using=router.db_for_write(type(record)), origin=record)
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError) as held:
        raise RemovalRefused(
            _("%(what)s can't be removed: other records depend on it.") % {"what": what}
        ) from held
    hanging = Counter()
    for model, instances in collector.data.items():
        if model not in own_parts:
            hanging[model._meta] += len(instances)
    for batch in collector.fast_deletes:
        if batch.model not in own_parts and (count := batch.count()):
            hanging[batch.model._meta] += count
    if hanging:
        reasons = ", ".join(
            sorted(
                f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
                for meta, count in hanging.items()
            )
        )
        raise RemovalRefused(
            _(
                "%(what)s can't be removed: it would take %(reasons)s with it. Leave it in place, "
                "or change it instead."
            )
            % {"what": what, "reasons": reasons}
        )


# --- Plans -----------------------------------------------------------------------------------


def create_plan(strategy: Strategy, data: dict, by) -> ActionPlan:
    """A new, empty plan under ``strategy``."""
    if not allows(ActionPlan.objects.editable_by(by)):
        raise PermissionDenied("Only the secretariat adds plans.")
    plan = ActionPlan(strategy=strategy, slug=data["slug"])
    _changed(plan, data, PLAN_FIELDS)
    plan.full_clean()
    _saved_by(plan, by, "plan created")
    return plan


def create_revision(earlier: ActionPlan, data: dict, by) -> ActionPlan:
    """The next revision of ``earlier``: a new plan under the same strategy with a copy of its
    group headings, actions, sub-actions and strands, their coordinating agencies (roles and
    designations kept), tags and success measures (without readings). Each copied action is
    linked to the one it came from as carrying it on. The earlier plan and its returns are left
    as they are."""
    _require_editable(earlier, by)
    with transaction.atomic():
        plan = create_plan(earlier.strategy, data, by)
        groups: dict[int, ActionGroup] = {}
        for group in earlier.groups.order_by("parent_id", "order", "pk"):
            copy = ActionGroup(
                plan=plan,
                parent=groups.get(group.parent_id),
                number=group.number,
                title=group.title,
                order=group.order,
            )
            _saved_by(copy, by, f"copied from {earlier.code}")
            copy.priority_areas.set(group.priority_areas.all())
            groups[group.pk] = copy
        copies: dict[int, Action] = {}
        originals = earlier.actions.order_by("parent_id", "sort_key").prefetch_related(
            "coordinators", "success_measures", "priority_areas", "focus_areas"
        )
        for original in sorted(originals, key=lambda a: a.parent_id is not None):
            copy = Action(
                plan=plan,
                group=groups.get(original.group_id),
                parent=copies.get(original.parent_id),
                **{name: getattr(original, name) for name in COPIED_ACTION_FIELDS},
            )
            _saved_by(copy, by, f"copied from {earlier.code} {original.number}")
            copies[original.pk] = copy
            copy.priority_areas.set(original.priority_areas.all())
            copy.focus_areas.set(original.focus_areas.all())
            for coordination in original.coordinators.all():
                _saved_by(
                    ActionAgency(
                        action=copy,
                        agency_id=coordination.agency_id,
                        role=coordination.role,
                        designated_by_id=coordination.designated_by_id,
                        designated_at=coordination.designated_at,
                        order=coordination.order,
                    ),
                    by,
                    f"copied from {earlier.code} {original.number}",
                )
            for measure in original.success_measures.all():
                values = {name: getattr(measure, name) for name in MEASURE_FIELDS}
                _saved_by(SuccessMeasure(action=copy, order=measure.order, **values), by)
            _saved_by(
                ActionLink(action=copy, earlier_action=original, kind=ActionLink.Kind.CARRIES_ON),
                by,
                "next revision",
            )
    return plan


def change_plan(plan: ActionPlan, data: dict, by, expected_version: int) -> list[str]:
    """Change the plan's title, code, dates, introduction or source."""
    _require_editable(plan, by)
    with transaction.atomic():
        changed = _changed(plan, data, PLAN_FIELDS)
        plan.full_clean()
        _save_checked(plan, expected_version, by, f"changed {', '.join(changed)}")
    return changed


# --- Group headings --------------------------------------------------------------------------


def add_group(plan: ActionPlan, data: dict, by) -> ActionGroup:
    """A new group heading at the end of the plan (or of its parent heading)."""
    _require_editable(plan, by)
    group = ActionGroup(plan=plan)
    _changed(group, data, GROUP_FIELDS)
    _check_parent_group(group)
    last = plan.groups.filter(parent=group.parent).aggregate(models.Max("order"))["order__max"]
    group.order = 0 if last is None else last + 1
    group.full_clean()
    _saved_by(group, by, "heading added")
    return group


def _check_parent_group(group: ActionGroup) -> None:
    parent = group.parent
    while parent is not None:
        if parent.plan_id != group.plan_id:
            raise ValidationError({"parent": "The heading it sits under must be in this plan."})
        if group.pk and parent.pk == group.pk:
            raise ValidationError({"parent": "A heading can't sit under itself."})
        parent = parent.parent


def change_group(group: ActionGroup, data: dict, by, expected_version: int) -> list[str]:
    _require_editable(group.plan, by)
    with transaction.atomic():
        changed = _changed(group, data, GROUP_FIELDS)
        _check_parent_group(group)
        group.full_clean()
        _save_checked(group, expected_version, by, f"changed {', '.join(changed)}")
    return changed


def move_group(group: ActionGroup, step: int, by, expected_version: int) -> None:
    """Move a heading up (``step`` −1) or down (+1) among the headings beside it."""
    _require_editable(group.plan, by)
    with transaction.atomic():
        siblings = list(group.plan.groups.filter(parent=group.parent_id).order_by("order", "pk"))
        place = next(i for i, g in enumerate(siblings) if g.pk == group.pk)
        target = place + step
        if not 0 <= target < len(siblings):
            return
        siblings.insert(target, siblings.pop(place))
        for order, sibling in enumerate(siblings):
            if sibling.pk == group.pk:
                group.order = order
                _save_checked(group, expected_version, by, "moved")
            elif sibling.order != order:
                sibling.order = order
                sibling.version += 1
                _saved_by(sibling, by, "moved")


def remove_group(group: ActionGroup, by, expected_version: int) -> None:
    """Remove an empty heading; one with actions or headings under it is refused (removing it
    would silently ungroup them)."""
    _require_editable(group.plan, by)
    with transaction.atomic():
        current = ActionGroup.objects.select_for_update().get(pk=group.pk)
        if current.version != expected_version:
            raise StaleEditError(current)
        actions, children = group.actions.count(), group.children.count()
        if actions or children:
            counts = {
                "group": group,
                "actions": ngettext("%(n)s action", "%(n)s actions", actions) % {"n": actions},
                "headings": ngettext("%(n)s heading", "%(n)s headings", children) % {"n": children},
            }
            if actions and children:
                reason = _(
                    "The heading “%(group)s” can't be removed: %(actions)s and %(headings)s sit "
                    "under it. Move them to another heading first."
                )
            elif actions:
                reason = _(
                    "The heading “%(group)s” can't be removed: %(actions)s sit under it. Move them "
                    "to another heading first."
                )
            else:
                reason = _(
                    "The heading “%(group)s” can't be removed: %(headings)s sit under it. Move "
                    "them to another heading first."
                )
            raise RemovalRefused(reason % counts)
        group._history_user = by
        group.delete()


# --- Actions, sub-actions and strands ------------------------------------------------------


def add_action(
    plan: ActionPlan, data: dict, by, *, parent: Action | None = None, kind: str = "action"
) -> Action:
    """A new action, or a sub-action or strand of ``parent``, with its tags."""
    _require_editable(plan, by)
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError(_("The action it belongs to must be in this plan."))
    if kind == Action.Kind.STRAND and parent is None:
        raise ValidationError(_("A strand belongs to an action."))
    if parent is not None and parent.parent_id:
        raise ValidationError(_("A sub-action or strand belongs to a top-level action."))
    with transaction.atomic():
        action = Action(plan=plan, parent=parent, kind=kind)
        if parent is not None and "group" not in data:
            action.group = parent.group
        _changed(action, data, ACTION_FIELDS)
        action.full_clean()
        _saved_by(action, by, "added")
        _set_tags(action, data)
    return action


def change_action(action: Action, data: dict, by, expected_version: int) -> list[str]:
    """Change an action's number, wording, timeframe, group heading or tags. Returns the names
    of what changed."""
    _require_editable(action.plan, by)
    with transaction.atomic():
        changed = _changed(action, data, ACTION_FIELDS)
        changed += _tag_changes(action, data)
        action.full_clean()
        _save_checked(action, expected_version, by, f"changed {', '.join(changed)}")
        _set_tags(action, data)
    return changed


def _tag_changes(action: Action, data: dict) -> list[str]:
    changed = []
    for name in ("priority_areas", "focus_areas"):
        if name in data and set(getattr(action, name).all()) != set(data[name]):
            changed.append(name)
    return changed


def _set_tags(action: Action, data: dict) -> None:
    for name in ("priority_areas", "focus_areas"):
        if name in data:
            areas = list(data[name])
            if any(area.strategy_id != action.plan.strategy_id for area in areas):
                raise ValidationError({name: _("Tags come from the plan's own strategy.")})
            getattr(action, name).set(areas)


def remove_action(action: Action, by, expected_version: int) -> None:
    """Remove an action (with its sub-actions and strands, agencies, measures and links) only
    when nothing else refers to it: one with returns, readings, drafts, risks or dependencies is
    refused with the reason."""
    _require_editable(action.plan, by)
    with transaction.atomic():
        current = Action.objects.select_for_update().get(pk=action.pk)
        if current.version != expected_version:
            raise StaleEditError(current)
        label = f"{action.plan.code} {action.number}"
        _refuse_if_anything_hangs_on(action, label, OWN_PARTS)
        action._history_user = by
        for part in action.sub_actions.all():
            part._history_user = by
            part.delete()
        action.delete()


def tag_in_bulk(
    plan: ActionPlan, wanted: dict[int, set], versions: dict[int, int], by
) -> list[Action]:
    """Set the priority and focus tags of many of the plan's actions at once: ``wanted`` maps an
    action's id to the areas it is to carry, ``versions`` each action's version as the grid
    showed it. All or nothing: if any action changed since, nothing is saved. Returns the
    actions whose tags changed."""
    _require_editable(plan, by)
    changed = []
    with transaction.atomic():
        actions = {
            a.pk: a for a in plan.actions.select_for_update().filter(pk__in=wanted).order_by("pk")
        }
        if set(actions) != set(wanted):
            raise ValidationError(_("Some of those actions aren't in this plan."))
        for pk, action in actions.items():
            if action.version != versions.get(pk):
                raise StaleEditError(action)
        for pk, action in sorted(actions.items(), key=lambda item: item[1].sort_key):
            areas = wanted[pk]
            data = {
                "priority_areas": [a for a in areas if isinstance(a, PriorityArea)],
                "focus_areas": [a for a in areas if isinstance(a, FocusArea)],
            }
            if names := _tag_changes(action, data):
                _save_checked(action, versions[pk], by, f"changed {', '.join(names)} (bulk)")
                _set_tags(action, data)
                changed.append(action)
    return changed


# --- Coordinating agencies --------------------------------------------------------------------


def add_coordinator(action: Action, agency: Agency, role: str, by, expected_version: int):
    """Another agency coordinating (jointly) or supporting the action."""
    if role not in (ActionAgency.Role.COORDINATING, ActionAgency.Role.SUPPORTING):
        raise ValidationError({"role": _("An agency is added as coordinating or supporting.")})
    with transaction.atomic():
        _check_action(action, expected_version, by, f"{agency.short_name} added ({role})")
        if action.coordinators.filter(agency=agency).exists():
            raise ValidationError(
                {"agency": _("%(agency)s already coordinates this action.") % {"agency": agency}}
            )
        last = action.coordinators.aggregate(models.Max("order"))["order__max"]
        coordination = ActionAgency(
            action=action, agency=agency, role=role, order=0 if last is None else last + 1
        )
        _saved_by(coordination, by, "added")
    return coordination


def change_role(coordination: ActionAgency, role: str, by, expected_version: int) -> None:
    """Coordinating or supporting; a designated lead is made with ``designate_lead`` and stops
    being lead when made coordinating again. The role it has already changes nothing."""
    if role == coordination.role:
        return
    if role not in (ActionAgency.Role.COORDINATING, ActionAgency.Role.SUPPORTING):
        raise ValidationError({"role": _("Choose coordinating or supporting.")})
    action = coordination.action
    with transaction.atomic():
        reason = f"{coordination.agency.short_name}: {coordination.role} to {role}"
        _check_action(action, expected_version, by, reason)
        coordination.role, coordination.designated_by, coordination.designated_at = role, None, None
        _saved_by(coordination, by, reason)


def designate_lead(coordination: ActionAgency, by, expected_version: int) -> None:
    """Make one of a line's coordinating agencies its lead (``ActionAgency.designate_as_lead``:
    recorded with who and when; any earlier lead becomes coordinating again)."""
    if coordination.role == ActionAgency.Role.SUPPORTING:
        raise ValidationError(
            _("A supporting agency can't be the lead: make it coordinating first.")
        )
    with transaction.atomic():
        reason = f"{coordination.agency.short_name} designated lead"
        _check_action(coordination.action, expected_version, by, reason)
        coordination._history_user = by
        coordination.designate_as_lead(by=by)


def remove_coordinator(coordination: ActionAgency, by, expected_version: int) -> None:
    """An agency stops coordinating the action; refused while it has returns on it."""
    action = coordination.action
    with transaction.atomic():
        _check_action(action, expected_version, by, f"{coordination.agency.short_name} removed")
        returns = action.status_updates.filter(agency_id=coordination.agency_id).count()
        if returns:
            raise RemovalRefused(
                ngettext(
                    "%(agency)s can't be removed from %(code)s %(number)s: it has %(count)s "
                    "return on it. Make it a supporting agency instead, so its returns stay "
                    "readable.",
                    "%(agency)s can't be removed from %(code)s %(number)s: it has %(count)s "
                    "returns on it. Make it a supporting agency instead, so its returns stay "
                    "readable.",
                    returns,
                )
                % {
                    "agency": coordination.agency,
                    "code": action.plan.code,
                    "number": action.number,
                    "count": returns,
                }
            )
        coordination._history_user = by
        coordination.delete()


# --- Success measures -------------------------------------------------------------------------


def add_measure(action: Action, data: dict, by) -> SuccessMeasure:
    _require_editable(action.plan, by)
    last = action.success_measures.aggregate(models.Max("order"))["order__max"]
    measure = SuccessMeasure(action=action, order=0 if last is None else last + 1)
    _changed(measure, data, MEASURE_FIELDS)
    _check_indicator(measure)
    measure.full_clean()
    _saved_by(measure, by, "added")
    return measure


def change_measure(measure: SuccessMeasure, data: dict, by, expected_version: int) -> list[str]:
    _require_editable(measure.action.plan, by)
    with transaction.atomic():
        changed = _changed(measure, data, MEASURE_FIELDS)
        _check_indicator(measure)
        measure.full_clean()
        _save_checked(measure, expected_version, by, f"changed {', '.join(changed)}")
    return changed


def _check_indicator(measure: SuccessMeasure) -> None:
    """Numbers need something counted, and a date belongs with its number."""
    errors = {}
    numeric = (measure.baseline, measure.target)
    if any(value is not None for value in numeric) and not measure.indicator:
        errors["indicator"] = _("Say what is counted, for a baseline or target to mean something.")
    if measure.baseline_date and measure.baseline is None:
        errors["baseline"] = _("Give the baseline the date is for.")
    if measure.target_date and measure.target is None:
        errors["target"] = _("Give the target the date is for.")
    if (
        measure.baseline_date
        and measure.target_date
        and measure.target_date < measure.baseline_date
    ):
        errors["target_date"] = _("The target date can't be before the baseline's.")
    if errors:
        raise ValidationError(errors)


def remove_measure(measure: SuccessMeasure, by, expected_version: int) -> None:
    """Refused while agencies have recorded readings of it."""
    _require_editable(measure.action.plan, by)
    with transaction.atomic():
        current = SuccessMeasure.objects.select_for_update().get(pk=measure.pk)
        if current.version != expected_version:
            raise StaleEditError(current)
        _refuse_if_anything_hangs_on(measure, _("This success measure"), {SuccessMeasure})
        measure._history_user = by
        measure.delete()


# --- Links to earlier plans' actions ---------------------------------------------------------


def link_to_earlier(
    action: Action, earlier: Action, kind: str, note: str, by, expected_version: int
) -> ActionLink:
    """Record that ``action`` carries on, merges or replaces ``earlier``, an action of an
    earlier plan."""
    if earlier.plan_id == action.plan_id:
        raise ValidationError({"earlier_action": _("Choose an action of an earlier plan.")})
    if earlier.plan.start_date > action.plan.start_date:
        raise ValidationError({"earlier_action": _("That plan starts after this one.")})
    with transaction.atomic():
        label = f"{earlier.plan.code} {earlier.number}"
        _check_action(action, expected_version, by, f"{kind} {label}")
        if action.links_to_earlier.filter(earlier_action=earlier).exists():
            raise ValidationError(
                {"earlier_action": _("Already linked to %(label)s.") % {"label": label}}
            )
        link = ActionLink(action=action, earlier_action=earlier, kind=kind, note=note)
        link.full_clean()
        _saved_by(link, by, "linked")
    return link


def unlink(link: ActionLink, by, expected_version: int) -> None:
    earlier = link.earlier_action
    with transaction.atomic():
        reason = f"link to {earlier.plan.code} {earlier.number} removed"
        _check_action(link.action, expected_version, by, reason)
        link._history_user = by
        link.delete()


def default_revision(plan: ActionPlan) -> dict:
    """What the next revision's form starts with: the same length of plan, starting the day
    after this one ends."""
    start = plan.end_date + datetime.timedelta(days=1)
    length = plan.end_date - plan.start_date
    return {
        "title": plan.title,
        "short_title": plan.short_title,
        "code": plan.code,
        "start_date": start,
        "end_date": start + length,
        "introduction": plan.introduction,
        "source": plan.source,
    }
