"""Checking a file's rows and turning them into action descriptions for the writer.

Every problem is collected with the row and column a spreadsheet user sees (the header is row 1),
so one attempt lists everything to fix: "Row 4, column title: every action needs a title".
Every cell is checked first for what the database can't store (a NUL or another control
character) and for a formula with no saved value.
"""

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.querysets import normalise_agency_name

from ...models import Action, ActionAgency, ActionGroup, ActionPlan, Strategy, SuccessMeasure
from ...timeframes import parse_timeframe
from ..plan_template import (
    ROLE_COLUMNS,
    split_group_path,
    split_names,
    split_scope,
    split_statements,
)
from ..writer import (
    ActionSpec,
    CoordinatorSpec,
    MeasureHasReadings,
    MeasureSpec,
    StrandHasReturns,
    match_measures,
)
from .problems import ImportProblem, PlanImportError
from .reading import Row, UnsavedFormula

# C0 control characters but tab, line feed and carriage return, which cells may hold (a line
# break separates names and measures). PostgreSQL refuses NUL in text; the rest no one means.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def check_rows(
    rows: list[Row],
    plan: ActionPlan | None,
    strategy: Strategy,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list["CheckedRow"], list[ImportProblem]]:
    """The rows as checked action descriptions, and warnings; or ``PlanImportError`` listing
    every problem. ``on_progress(checked, total)`` is told after each row."""
    return _RowChecker(plan, strategy).check(rows, on_progress)


@dataclass
class CheckedRow:
    row: int
    number: str
    parent: str
    group_path: list[tuple[str, str]]
    spec: ActionSpec  # without group and parent, which exist only once written


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class _RowChecker:
    """Turns rows into action descriptions, collecting every problem on the way."""

    def __init__(self, plan: ActionPlan | None, strategy: Strategy):
        self.plan, self.strategy = plan, strategy
        self.problems: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        self.agencies = Agency.objects.name_index()
        self.areas = {
            "priority_areas": _area_index(strategy.priority_areas.all()),
            "focus_areas": _area_index(strategy.focus_areas.all()),
        }
        self.existing_parents: dict[str, str] = {}
        self.existing_measures: dict[tuple[str, str], list[SuccessMeasure]] = {}
        self.strands_with_returns: dict[str, list[Action]] = {}
        if plan is not None:
            for number, parent in plan.actions.values_list("number", "parent__number"):
                self.existing_parents[number] = parent or ""
            measures = SuccessMeasure.objects.filter(action__plan=plan).annotate(
                reading_count=Count("readings")
            )
            for measure in measures.select_related("action__parent"):
                self.existing_measures.setdefault(_measure_key(measure), []).append(measure)
            strands = plan.actions.filter(kind=Action.Kind.STRAND).annotate(
                return_count=Count("status_updates")
            )
            for strand in strands.filter(return_count__gt=0).select_related("parent"):
                self.strands_with_returns.setdefault(strand.parent.number, []).append(strand)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(message, row=row, column=column))

    def check(
        self, rows: list[Row], on_progress: Callable[[int, int], None] | None
    ) -> tuple[list[CheckedRow], list[ImportProblem]]:
        if not rows:
            raise PlanImportError([ImportProblem(_("the file has a header but no actions"))])
        checked = []
        for row in rows:
            checked.append(self.check_row(row))
            if on_progress is not None:
                on_progress(len(checked), len(rows))
        self.check_numbers(checked)
        self.check_parents(checked)
        if self.problems:
            raise PlanImportError(sorted(self.problems, key=lambda p: p.row or 0))
        return checked, self.warnings

    def check_cells(self, row: Row) -> None:
        for column, cell in row.cells.items():
            if isinstance(cell, UnsavedFormula):
                if cell.in_csv:
                    message = _(
                        "a formula (%(formula)s) with no saved value; type the value instead; to "
                        "keep it as text, start the cell with '"
                    )
                else:
                    message = _(
                        "a formula (%(formula)s) with no saved value; type the value instead"
                    )
                self.problem(row.row_number, column, message % {"formula": cell})
            elif found := CONTROL_CHARACTER.search(cell):
                self.problem(row.row_number, column, _control_character_problem(found[0]))

    def check_row(self, row: Row) -> CheckedRow:
        self.check_cells(row)
        cells, at = {name: value.strip() for name, value in row.cells.items()}, row.row_number
        number = cells["number"]
        if not number:
            self.problem(at, "number", _("every action needs a number"))
        elif "/" in number:
            self.problem(
                at,
                "number",
                _("“%(number)s”: an action number can't contain “/”") % {"number": number},
            )
        if not cells["title"]:
            self.problem(at, "title", _("every action needs a title"))
        for column, model, name in (
            ("number", Action, "number"),
            ("parent", Action, "number"),
            ("title", Action, "title"),
            ("timeframe", Action, "timeframe"),
        ):
            self.check_length(at, column, cells[column], _max_length(model, name))
        timeframe = parse_timeframe(cells["timeframe"])
        if not timeframe.parsed:
            self.warnings.append(
                ImportProblem(
                    _(
                        "“%(timeframe)s” is not a timeframe the tracker can date; it is kept as "
                        "written and flagged “dates not understood”"
                    )
                    % {"timeframe": cells["timeframe"]},
                    row=at,
                    column="timeframe",
                )
            )
        # Unstripped: a line break at the end marks one measure that contains a ";".
        measures = self.measures(at, row.cells["success_measures"])
        self.check_measures_kept(at, number, measures)
        coordinators = self.coordinators(at, cells)
        self.check_strands_kept(at, number, {x.scope for x in [*coordinators, *measures]})
        return CheckedRow(
            row=at,
            number=number,
            parent=cells["parent"],
            group_path=self.group_path(at, cells["group"]),
            spec=ActionSpec(
                number=number,
                title=cells["title"],
                description=cells["description"],
                resourcing=cells["resourcing"],
                timeframe=cells["timeframe"],
                priority_areas=self.resolve_areas(at, "priority_areas", cells["priority_areas"]),
                focus_areas=self.resolve_areas(at, "focus_areas", cells["focus_areas"]),
                coordinators=coordinators,
                measures=measures,
            ),
        )

    def check_length(self, at: int, column: str, value: str, limit: int) -> None:
        if len(value) > limit:
            self.problem(
                at,
                column,
                _("is %(length)s characters long; the limit is %(limit)s")
                % {"length": len(value), "limit": limit},
            )

    def group_path(self, at: int, cell: str) -> list[tuple[str, str]]:
        path = split_group_path(cell)
        for number, title in path:
            if not title:
                self.problem(
                    at,
                    "group",
                    _("“%(cell)s” has an empty heading between “›” marks") % {"cell": cell},
                )
                return []
            self.check_length(at, "group", title, _max_length(ActionGroup, "title"))
            self.check_length(at, "group", number, _max_length(ActionGroup, "number"))
        return path

    def resolve_areas(self, at: int, column: str, cell: str) -> list:
        index, found = self.areas[column], []
        for name in split_names(cell):
            area = index.get(_area_key(name))
            if area is None:
                known = ", ".join(dict.fromkeys(a.name for a in index.values())) or _("none")
                if column == "priority_areas":
                    message = _(
                        "unknown priority area “%(name)s” (the %(strategy)s has: %(known)s)"
                    )
                else:
                    message = _("unknown focus area “%(name)s” (the %(strategy)s has: %(known)s)")
                self.problem(
                    at, column, message % {"name": name, "strategy": self.strategy, "known": known}
                )
            elif area not in found:
                found.append(area)
        return found

    def coordinators(self, at: int, cells: dict[str, str]) -> list[CoordinatorSpec]:
        coordinators: list[CoordinatorSpec] = []
        seen: set[tuple[int, str]] = set()
        leads: set[str] = set()
        for column, role in ROLE_COLUMNS:
            for value in split_names(cells[column]):
                scope, name = split_scope(value)
                agency = self.agencies.get(normalise_agency_name(name))
                if agency is None:
                    self.problem(
                        at,
                        column,
                        self.unknown_agency(name),
                    )
                    continue
                self.check_length(at, column, scope, _max_length(Action, "title"))
                if (agency.pk, scope) in seen:
                    self.problem(
                        at, column, _("“%(name)s” is listed more than once") % {"name": name}
                    )
                    continue
                if role == ActionAgency.Role.LEAD and scope in leads:
                    self.problem(
                        at,
                        column,
                        _(
                            "an action or strand has at most one lead: list the others under "
                            "coordinating_agencies"
                        ),
                    )
                    continue
                if role == ActionAgency.Role.LEAD:
                    leads.add(scope)
                seen.add((agency.pk, scope))
                coordinators.append(CoordinatorSpec(agency, role, scope))
        return coordinators

    def unknown_agency(self, name: str) -> str:
        """The problem naming an agency the tracker doesn't know, with the closest it does."""
        close = difflib.get_close_matches(normalise_agency_name(name), self.agencies, n=1)
        if not close:
            return _("unknown agency “%(name)s”") % {"name": name}
        return _("unknown agency “%(name)s” (did you mean “%(suggestion)s”?)") % {
            "name": name,
            "suggestion": self.agencies[close[0]].name,
        }

    def measures(self, at: int, cell: str) -> list[MeasureSpec]:
        measures = []
        for value in split_statements(cell):
            scope, statement = split_scope(value)
            if not statement:
                self.problem(
                    at,
                    "success_measures",
                    _("“%(value)s” has no statement after its “[…]”") % {"value": value},
                )
                continue
            self.check_length(at, "success_measures", scope, _max_length(Action, "title"))
            measures.append(MeasureSpec(statement, scope))
        return measures

    def check_measures_kept(self, at: int, number: str, measures: list[MeasureSpec]) -> None:
        """A measure with indicator readings is never dropped by an import (the action's own,
        or a strand's)."""
        scopes = {key[1] for key in self.existing_measures if key[0] == number}
        for scope in scopes | {m.scope for m in measures}:
            wanted = [m for m in measures if m.scope == scope]
            _, leftovers = match_measures(self.existing_measures.get((number, scope), []), wanted)
            for measure in leftovers:
                if measure.reading_count:
                    self.problem(at, "success_measures", str(MeasureHasReadings(measure)))

    def check_strands_kept(self, at: int, number: str, scopes: set[str]) -> None:
        """A strand with returns is never dropped by an import."""
        for strand in self.strands_with_returns.get(number, []):
            if strand.title not in scopes:
                self.problem(at, "coordinating_agencies", str(StrandHasReturns(strand)))

    def check_numbers(self, checked: list[CheckedRow]) -> None:
        first_row: dict[str, int] = {}
        for row in checked:
            key = row.number.casefold()
            if row.number and key in first_row:
                self.problem(
                    row.row,
                    "number",
                    _("“%(number)s” is already on row %(row)s")
                    % {"number": row.number, "row": first_row[key]},
                )
            first_row.setdefault(key, row.row)

    def check_parents(self, checked: list[CheckedRow]) -> None:
        parents = {**self.existing_parents, **{row.number: row.parent for row in checked}}
        for row in checked:
            if not row.parent:
                continue
            if row.parent == row.number:
                self.problem(row.row, "parent", _("an action can't be its own parent"))
            elif row.parent not in parents:
                self.problem(
                    row.row,
                    "parent",
                    (
                        _(
                            "unknown parent “%(parent)s”: no action has that number in the file "
                            "or the plan"
                        )
                        if self.plan
                        else _("unknown parent “%(parent)s”: no action has that number in the file")
                    )
                    % {"parent": row.parent},
                )
            elif loop := _parent_loop(row.number, parents):
                self.problem(
                    row.row,
                    "parent",
                    _("“%(parent)s” makes a loop: %(loop)s")
                    % {"parent": row.parent, "loop": " → ".join(loop)},
                )


def _measure_key(measure: SuccessMeasure) -> tuple[str, str]:
    """(the row's number, the strand) a stored measure is written under in the template."""
    action = measure.action
    if action.is_strand:
        return action.parent.number, action.title
    return action.number, ""


def _parent_loop(number: str, parents: dict[str, str]) -> list[str]:
    chain = [number]
    while (parent := parents.get(chain[-1])) and len(chain) <= len(parents):
        chain.append(parent)
        if parent == number:
            return chain
    return []


def _area_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _area_index(areas: Iterable) -> dict:
    index = {}
    for area in areas:
        index[_area_key(area.slug)] = area
        index[_area_key(area.name)] = area
    return index


def _control_character_problem(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character == "\x00":
        message = _(
            "contains a NUL character (%(code)s), which can't be stored; delete it (it may be "
            "invisible)"
        )
    else:
        message = _(
            "contains the control character %(code)s, which can't be stored; delete it (it may "
            "be invisible)"
        )
    return message % {"code": code}
