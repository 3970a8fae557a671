"""Writing a checked file: all of it in one transaction, or nothing.

A new plan is created with the actions, inside the same transaction, so a failure halfway (a
measure given readings since the file was checked, a lost database connection) leaves neither.
"""

import datetime
import re

from django.db import transaction

from ...models import Action, ActionGroup, ActionPlan, Strategy
from ..writer import PlanWriter, WouldLoseData
from .changes import ImportResult
from .checking import CheckedRow
from .problems import ImportProblem, PlanImportError


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def write_plan(
    checked: list[CheckedRow],
    warnings: list[ImportProblem],
    *,
    plan: ActionPlan | None,
    plan_slug: str,
    strategy: Strategy,
    filename: str,
) -> ImportResult:
    """Write the checked rows into ``plan``, creating it as ``plan_slug`` if it is None."""
    try:
        with transaction.atomic():
            plan_created = plan is None
            if plan is None:
                plan = _new_plan(plan_slug, strategy, filename)
            counts = _write(plan, checked)
    except WouldLoseData as error:  # readings or returns recorded since the file was checked
        raise PlanImportError([ImportProblem(str(error))]) from None
    return ImportResult(plan, plan_created, warnings=warnings, **counts)


def _new_plan(slug: str, strategy: Strategy, filename: str) -> ActionPlan:
    """A plan with placeholder title, code and dates (the strategy's years) for the
    secretariat to complete in the admin."""
    title = slug.replace("-", " ").capitalize()
    return ActionPlan.objects.create(
        strategy=strategy,
        slug=slug,
        code=re.split(r"[-_]", slug)[0].upper()[: _max_length(ActionPlan, "code")],
        title=title,
        short_title=title[: _max_length(ActionPlan, "short_title")],
        start_date=datetime.date(strategy.start_year, 1, 1),
        end_date=datetime.date(strategy.end_year or strategy.start_year, 12, 31),
        source=f"Imported from {filename}"[: _max_length(ActionPlan, "source")] if filename else "",
    )


def _write(plan: ActionPlan, checked: list[CheckedRow]) -> dict[str, int]:
    writer = PlanWriter(plan, update=True)
    groups: dict[tuple, ActionGroup] = {}

    def group_for(path: list[tuple[str, str]]) -> ActionGroup | None:
        group = None
        for depth, (number, title) in enumerate(path, start=1):
            key = tuple(title for _, title in path[:depth])
            if key not in groups:
                groups[key] = writer.group(group, title, number)
            group = groups[key]
        return group

    # Groups first, in the order the file names them; then actions, parents before children.
    own_group = {row.number: group_for(row.group_path) for row in checked}
    parents = {row.number: row.parent for row in checked}
    written: dict[str, Action] = {}
    for row in sorted(checked, key=lambda row: _depth(row.number, parents)):
        spec = row.spec
        if row.parent:
            spec.parent = written.get(row.parent) or writer.existing_action(row.parent)
        # A sub-action without a group of its own sits in its parent's.
        spec.group = own_group[row.number]
        if not row.group_path and spec.parent is not None:
            spec.group = spec.parent.group
        written[row.number] = writer.action(spec)
    return {name: writer.actions[name] for name in ("created", "updated", "unchanged")}


def _depth(number: str, parents: dict[str, str]) -> int:
    depth = 0
    while (number := parents.get(number, "")) and depth <= len(parents):
        depth += 1
    return depth
