"""Exporting a plan to the plan template (CSV or XLSX), which ``import_plan_file`` reads back."""

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.markings import ProtectiveMarking, mark_workbook
from core.spreadsheets import guard_formula

from ..models import Action, ActionGroup, ActionPlan
from .plan_template import COLUMNS, ROLE_COLUMNS, group_path, join_values, with_scope

EXPORT_FORMATS = ("csv", "xlsx")
# What else decides a plan export's marking: apps above this one add a function of the plan
# giving the marking of the plan's text they know to be marked (reporting: withheld text). With
# none, the plan (a published document) is UNCLASSIFIED.
plan_marking_sources: list[Callable[[ActionPlan], str]] = []


def plan_marking(plan: ActionPlan) -> str:
    return ProtectiveMarking.highest(*(source(plan) for source in plan_marking_sources))


# The template's columns, then the facts the source doesn't state (the import reads no further).
EXPORT_COLUMNS = (*COLUMNS, "assumptions")
COLUMN_WIDTHS = {
    "number": 8,
    "parent": 8,
    "title": 40,
    "description": 60,
    "group": 40,
    "coordinating_agencies": 30,
    "lead_agencies": 30,
    "supporting_agencies": 30,
    "success_measures": 60,
    "resourcing": 30,
    "assumptions": 50,
}


def plan_rows(plan: ActionPlan) -> Iterator[dict[str, str]]:
    """The plan as template rows, in the plan's order: group by group (depth first), actions by
    number, each action followed by its sub-actions; actions without a group last."""
    groups = {group.pk: group for group in plan.groups.all()}
    actions = list(Action.objects.filter(plan=plan).with_plan_details().order_by("sort_key"))
    numbers = {action.pk: action.number for action in actions}
    children: dict[int | None, list[Action]] = {}
    for action in actions:
        children.setdefault(action.parent_id, []).append(action)

    def with_descendants(action: Action) -> Iterator[Action]:
        yield action
        for child in children.get(action.pk, []):
            if not child.is_strand:
                yield from with_descendants(child)

    group_rank = {pk: rank for rank, pk in enumerate(_depth_first(groups))}
    top_level = sorted(
        children.get(None, []),
        key=lambda a: (a.group_id is None, group_rank.get(a.group_id, 0), a.sort_key),
    )
    for action in top_level:
        for each in with_descendants(action):
            strands = [c for c in children.get(each.pk, []) if c.is_strand]
            parent_number = numbers.get(each.parent_id, "")
            yield _row(each, strands, parent_number, group_path(each.group, groups))


def _depth_first(groups: dict[int, ActionGroup]) -> list[int]:
    children: dict[int | None, list[ActionGroup]] = {}
    for group in sorted(groups.values(), key=lambda g: (g.order, g.pk)):
        children.setdefault(group.parent_id, []).append(group)
    ordered: list[int] = []

    def visit(parent_id):
        for group in children.get(parent_id, []):
            ordered.append(group.pk)
            visit(group.pk)

    visit(None)
    return ordered


def _row(action: Action, strands: list[Action], parent_number: str, group: str) -> dict[str, str]:
    """The action's row; its strands' agencies and measures are its cells' ``[Strand]`` values."""
    parts = [("", action), *((strand.title, strand) for strand in strands)]

    def agencies(role: str) -> str:
        return join_values(
            [
                with_scope(scope, c.agency.name)
                for scope, part in parts
                for c in part.coordinator_list
                if c.role == role
            ]
        )

    return {
        "number": action.number,
        "parent": parent_number,
        "title": action.title,
        "description": action.description,
        "group": group,
        "priority_areas": join_values([area.name for area in action.priority_area_list]),
        "focus_areas": join_values([area.name for area in action.focus_area_list]),
        **{column: agencies(role) for column, role in ROLE_COLUMNS},
        "success_measures": join_values(
            [with_scope(scope, m.statement) for scope, part in parts for m in part.measure_list]
        ),
        "resourcing": action.resourcing,
        "timeframe": action.timeframe,
        "assumptions": join_values([line for _, part in parts for line in _assumptions(part)]),
    }


def _assumptions(action: Action) -> list[str]:
    """“Assumption: …” for each fact of the action (and its agencies) the source doesn't state."""
    lines = [
        f"{a.field.replace('_', ' ')}: {a.reason}" if a.field else a.reason
        for a in action.open_assumptions()
    ]
    for coordinator in action.coordinator_list:
        lines += [f"{coordinator.agency.name}: {a.reason}" for a in coordinator.open_assumptions()]
    return [f"Assumption: {line}" for line in lines]


def export_plan(plan: ActionPlan, destination: str | Path | BinaryIO, *, format: str) -> None:
    """Write the plan in the template to a path or binary file, as ``"csv"`` or ``"xlsx"``."""
    if format not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {EXPORT_FORMATS}, not {format!r}")
    content = _csv_bytes(plan) if format == "csv" else _xlsx_bytes(plan)
    if isinstance(destination, str | Path):
        Path(destination).write_bytes(content)
    else:
        destination.write(content)


def _csv_bytes(plan: ActionPlan) -> bytes:
    """UTF-8 with a byte order mark, which is how Excel recognises a UTF-8 CSV file; a cell a
    spreadsheet would run as a formula is quoted (``guard_formula``), and the import unquotes it."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in plan_rows(plan):
        writer.writerow({column: guard_formula(value) for column, value in row.items()})
    return text.getvalue().encode("utf-8-sig")


def _xlsx_bytes(plan: ActionPlan) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(EXPORT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in plan_rows(plan):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", row[column]) for column in EXPORT_COLUMNS])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # Text stays text: a title starting with "=" is not a formula, "1.10" not a number.
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS.get(column, 16)
    sheet.freeze_panes = "A2"
    # The first row of "Actions" is the template's header, which the import reads, so the
    # marking's first row is on a sheet of its own; every sheet prints it top and bottom.
    marking = plan_marking(plan)
    about = workbook.create_sheet("Marking")
    about.append([marking])
    about["A1"].font = Font(bold=True, color="A4161A")
    about.append([f"{plan.title}: the plan in the import template. Marked {marking}."])
    mark_workbook(workbook, marking)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
