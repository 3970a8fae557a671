"""Importing a plan from a spreadsheet (CSV or XLSX) in the plan template (``plan_template``).

The whole file is read and checked first, collecting every problem with the row and column a
spreadsheet user sees (the header is row 1); only a file without problems is written, all in
one transaction. Importing into an existing plan updates its actions by number and creates the
missing ones; actions the file doesn't mention are left alone, so importing the same file again
changes nothing.

A file is read only within limits, so a huge CSV or a zip bomb dressed as a workbook can't
exhaust memory: at most ``PLAN_IMPORT_MAX_BYTES`` (an .xlsx may unpack to at most
``XLSX_UNPACKED_RATIO`` times that), at most ``PLAN_IMPORT_MAX_ROWS`` rows of actions, and the
first ``MAX_COLUMNS`` columns.
"""

import csv
import datetime
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Count
from openpyxl import load_workbook

from agencies.models import Agency
from agencies.querysets import normalise_agency_name
from core.spreadsheets import unguard_formula

from ..models import Action, ActionAgency, ActionGroup, ActionPlan, Strategy, SuccessMeasure
from ..timeframes import parse_timeframe
from .plan_template import (
    COLUMNS,
    split_group_path,
    split_names,
    split_scope,
    split_statements,
)
from .writer import (
    ActionSpec,
    CoordinatorSpec,
    MeasureHasReadings,
    MeasureSpec,
    PlanWriter,
    match_measures,
)

XLSX_MAGIC = b"PK\x03\x04"
FILE_TYPES = (".csv", ".xlsx", ".xlsm")
XLSX_UNPACKED_RATIO = 4
MAX_COLUMNS = 100
BLANK_ROW = ()


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with a file, where a spreadsheet user would look for it."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"Row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class PlanImportError(Exception):
    """The file can't be imported; ``problems`` lists everything wrong with it. Nothing was
    written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class ImportResult:
    plan: ActionPlan
    plan_created: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[ImportProblem] = field(default_factory=list)

    def __str__(self) -> str:
        verb = "Created" if self.plan_created else "Updated"
        return (
            f"{verb} {self.plan.slug}: {self.created} actions created, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


def import_plan_file(
    source: str | Path | BinaryIO,
    *,
    plan_slug: str,
    strategy_slug: str | None = None,
    filename: str | None = None,
) -> ImportResult:
    """Import the actions in ``source`` (a path or a binary file) into the plan ``plan_slug``,
    creating the plan under ``strategy_slug`` (or the most recent strategy) if it doesn't
    exist. ``filename`` names an uploaded file, to tell CSV from XLSX. Raises
    ``PlanImportError`` and writes nothing if anything is wrong, including a file over the
    limits in the module's docstring."""
    plan, strategy = _target(plan_slug, strategy_slug)
    data, name = _read_bytes(source, filename)
    rows = read_rows(data, filename=name)
    checked, warnings = _RowChecker(plan, strategy).check(rows)
    try:
        with transaction.atomic():
            plan_created = plan is None
            if plan is None:
                plan = _new_plan(plan_slug, strategy, name)
            counts = _write(plan, checked)
    except MeasureHasReadings as error:  # readings recorded since the file was checked
        raise PlanImportError([ImportProblem(str(error))]) from None
    return ImportResult(plan, plan_created, warnings=warnings, **counts)


# Reading the file ----------------------------------------------------------------------------


@dataclass
class Row:
    row_number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict[str, str]


def _size(size: int) -> str:
    """“5 MB”, “20 MB”, “512 KB”."""
    megabytes = size / 1024 / 1024
    return f"{megabytes:.3g} MB" if megabytes >= 1 else f"{size / 1024:.3g} KB"


def _read_bytes(source: str | Path | BinaryIO, filename: str | None) -> tuple[bytes, str]:
    """The file's bytes, read no further than ``PLAN_IMPORT_MAX_BYTES``, and its name."""
    limit = settings.PLAN_IMPORT_MAX_BYTES
    if isinstance(source, str | Path):
        try:
            with Path(source).open("rb") as file:
                data = file.read(limit + 1)
        except OSError as error:
            raise PlanImportError(
                [ImportProblem(f"can't open {source}: {error.strerror}")]
            ) from None
        name = filename or Path(source).name
    else:
        data = source.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = filename or Path(getattr(source, "name", "") or "").name
    if len(data) > limit:
        raise PlanImportError(
            [
                ImportProblem(
                    f"the file is larger than {_size(limit)}, the most a plan import reads "
                    f"(PLAN_IMPORT_MAX_BYTES = {limit}): is it the right file?"
                )
            ]
        )
    return data, name


def read_rows(data: bytes, *, filename: str = "") -> list[Row]:
    """The file's non-blank rows under the template's columns, or ``PlanImportError``."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        raise PlanImportError(
            [ImportProblem("old-style .xls workbooks can't be read: save it as .xlsx or CSV UTF-8")]
        )
    if suffix and suffix not in FILE_TYPES:
        raise PlanImportError(
            [ImportProblem(f"a plan is imported from a .csv or .xlsx file, not “{suffix}”")]
        )
    is_xlsx = suffix in (".xlsx", ".xlsm") or (suffix != ".csv" and data[:4] == XLSX_MAGIC)
    table = _xlsx_table(data) if is_xlsx else _csv_table(data)
    return _rows(table)


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanImportError(
            [
                ImportProblem(
                    f"the file is not UTF-8 text (byte {data[error.start]:#04x} at position "
                    f"{error.start} can't be read). In Excel, choose Save As › “CSV UTF-8 "
                    "(Comma delimited)” and import that file.",
                    row=_csv_row_at(data, error.start),
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # The export quotes cells a spreadsheet would run as formulas (``guard_formula``).
        return _limited(
            [_unify_line_breaks(unguard_formula(cell)) for cell in row[:MAX_COLUMNS]]
            for row in reader
        )
    except csv.Error as error:
        raise PlanImportError(
            [ImportProblem(f"the file can't be read as CSV: {error}", row=reader.line_num)]
        ) from None


def _csv_row_at(data: bytes, position: int) -> int:
    """The spreadsheet row that byte ``position`` falls in (quoted cells may span lines)."""
    before = data[:position].decode("utf-8-sig", errors="replace")
    # A marker where the bad byte was lands in the row being read at that point.
    return len(list(csv.reader(io.StringIO(before + "|", newline=""))))


def _xlsx_table(data: bytes) -> list[Sequence[str]]:
    try:
        _check_unpacked_size(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return _limited(
                # A sheet may claim a million empty rows: they cost no list each.
                BLANK_ROW if row.count(None) == len(row) else [_cell_text(v) for v in row]
                for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            )
        finally:
            workbook.close()
    except PlanImportError:
        raise
    except Exception as error:  # a damaged workbook can fail in many ways inside openpyxl
        raise PlanImportError(
            [ImportProblem(f"the file can't be read as an Excel workbook (.xlsx): {error}")]
        ) from None


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook that would unpack to more than ``XLSX_UNPACKED_RATIO`` times the size
    limit (a zip bomb). Python's zipfile never unpacks a member beyond its declared size."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    limit = XLSX_UNPACKED_RATIO * settings.PLAN_IMPORT_MAX_BYTES
    if unpacked > limit:
        raise PlanImportError(
            [
                ImportProblem(
                    f"the workbook unpacks to {_size(unpacked)}, more than the "
                    f"{_size(limit)} a plan import reads ({XLSX_UNPACKED_RATIO} × "
                    "PLAN_IMPORT_MAX_BYTES): save it as CSV UTF-8, or remove what isn't the plan"
                )
            ]
        )


def _limited(rows: Iterable[Sequence[str]]) -> list[Sequence[str]]:
    """The rows, read no further than ``PLAN_IMPORT_MAX_ROWS`` rows with something in them
    (besides the header); blank rows keep their place, so problems name the right row."""
    limit = settings.PLAN_IMPORT_MAX_ROWS
    table: list[Sequence[str]] = []
    filled = 0
    for row in rows:
        filled += any(cell.strip() for cell in row)
        if filled > limit + 1:
            raise PlanImportError(
                [
                    ImportProblem(
                        f"the file has more than {limit:,} rows of actions, the most a plan "
                        f"import reads (PLAN_IMPORT_MAX_ROWS)",
                        row=len(table) + 1,
                    )
                ]
            )
        table.append(row)
    return table


def _cell_text(value) -> str:
    """A spreadsheet cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return _unify_line_breaks(str(value))


def _unify_line_breaks(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def _column_name(heading: str) -> str:
    """``"Lead agencies"`` and ``"lead_agencies"`` name the same column."""
    return "_".join(heading.replace("_", " ").split()).lower()


def _rows(table: list[Sequence[str]]) -> list[Row]:
    if not table or not any(cell.strip() for cell in table[0]):
        raise PlanImportError(
            [ImportProblem(f"the first row must name the columns: {', '.join(COLUMNS)}", row=1)]
        )
    header = [_column_name(cell) for cell in table[0]]
    problems = [
        ImportProblem("the header has no such column", row=1, column=column)
        for column in COLUMNS
        if column not in header
    ]
    problems += [
        ImportProblem("the header has this column twice", row=1, column=column)
        for column in COLUMNS
        if header.count(column) > 1
    ]
    if problems:
        if len(header) == 1 and ";" in table[0][0]:
            problems.append(
                ImportProblem(
                    "the columns seem to be separated by “;”: save as CSV UTF-8 (Comma delimited)"
                )
            )
        raise PlanImportError(problems)
    where = {column: header.index(column) for column in COLUMNS}
    rows = []
    for row_number, cells in enumerate(table[1:], start=2):
        if not cells:  # a blank line, or one of the empty rows a workbook may claim by the million
            continue
        values = {
            column: cells[index] if index < len(cells) else "" for column, index in where.items()
        }
        if any(value.strip() for value in values.values()):
            rows.append(Row(row_number, values))
    return rows


# Checking the rows ---------------------------------------------------------------------------


@dataclass
class _CheckedRow:
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
        self.existing_measures: dict[str, list[SuccessMeasure]] = {}
        if plan is not None:
            for number, parent in plan.actions.values_list("number", "parent__number"):
                self.existing_parents[number] = parent or ""
            measures = SuccessMeasure.objects.filter(action__plan=plan).annotate(
                reading_count=Count("readings")
            )
            for measure in measures.select_related("action"):
                self.existing_measures.setdefault(measure.action.number, []).append(measure)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(message, row=row, column=column))

    def check(self, rows: list[Row]) -> tuple[list[_CheckedRow], list[ImportProblem]]:
        if not rows:
            raise PlanImportError([ImportProblem("the file has a header but no actions")])
        checked = [self.check_row(row) for row in rows]
        self.check_numbers(checked)
        self.check_parents(checked)
        if self.problems:
            raise PlanImportError(sorted(self.problems, key=lambda p: p.row or 0))
        return checked, self.warnings

    def check_row(self, row: Row) -> _CheckedRow:
        cells, at = {name: value.strip() for name, value in row.cells.items()}, row.row_number
        number = cells["number"]
        if not number:
            self.problem(at, "number", "every action needs a number")
        elif "/" in number:
            self.problem(at, "number", f"“{number}”: an action number can't contain “/”")
        if not cells["title"]:
            self.problem(at, "title", "every action needs a title")
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
                    f"“{cells['timeframe']}” is not a timeframe the tracker can date; it is kept "
                    "as written and flagged “dates not understood”",
                    row=at,
                    column="timeframe",
                )
            )
        # Unstripped: a line break at the end marks one measure that contains a ";".
        measures = self.measures(at, row.cells["success_measures"])
        self.check_measures_kept(at, number, measures)
        return _CheckedRow(
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
                coordinators=self.coordinators(at, cells),
                measures=measures,
            ),
        )

    def check_length(self, at: int, column: str, value: str, limit: int) -> None:
        if len(value) > limit:
            self.problem(at, column, f"is {len(value)} characters long; the limit is {limit}")

    def group_path(self, at: int, cell: str) -> list[tuple[str, str]]:
        path = split_group_path(cell)
        for number, title in path:
            if not title:
                self.problem(at, "group", f"“{cell}” has an empty heading between “›” marks")
                return []
            self.check_length(at, "group", title, _max_length(ActionGroup, "title"))
            self.check_length(at, "group", number, _max_length(ActionGroup, "number"))
        return path

    def resolve_areas(self, at: int, column: str, cell: str) -> list:
        index, found = self.areas[column], []
        for name in split_names(cell):
            area = index.get(_area_key(name))
            if area is None:
                known = ", ".join(dict.fromkeys(a.name for a in index.values())) or "none"
                what = column.replace("_", " ").removesuffix("s")
                self.problem(
                    at,
                    column,
                    f"unknown {what} “{name}” (the {self.strategy} has: {known})",
                )
            elif area not in found:
                found.append(area)
        return found

    def coordinators(self, at: int, cells: dict[str, str]) -> list[CoordinatorSpec]:
        coordinators: list[CoordinatorSpec] = []
        seen: set[tuple[int, str]] = set()
        for column, role in (
            ("lead_agencies", ActionAgency.Role.LEAD),
            ("supporting_agencies", ActionAgency.Role.SUPPORTING),
        ):
            for value in split_names(cells[column]):
                scope, name = split_scope(value)
                agency = self.agencies.get(normalise_agency_name(name))
                if agency is None:
                    self.problem(at, column, f"unknown agency “{name}”{self.suggest(name)}")
                    continue
                self.check_length(at, column, scope, _max_length(ActionAgency, "scope"))
                if (agency.pk, scope) in seen:
                    self.problem(at, column, f"“{name}” is listed more than once")
                    continue
                seen.add((agency.pk, scope))
                coordinators.append(CoordinatorSpec(agency, role, scope))
        return coordinators

    def suggest(self, name: str) -> str:
        close = difflib.get_close_matches(normalise_agency_name(name), self.agencies, n=1)
        return f" (did you mean “{self.agencies[close[0]].name}”?)" if close else ""

    def measures(self, at: int, cell: str) -> list[MeasureSpec]:
        measures = []
        for value in split_statements(cell):
            scope, statement = split_scope(value)
            if not statement:
                self.problem(at, "success_measures", f"“{value}” has no statement after its “[…]”")
                continue
            self.check_length(at, "success_measures", scope, _max_length(SuccessMeasure, "scope"))
            measures.append(MeasureSpec(statement, scope))
        return measures

    def check_measures_kept(self, at: int, number: str, measures: list[MeasureSpec]) -> None:
        """A measure with indicator readings is never dropped by an import."""
        _, leftovers = match_measures(self.existing_measures.get(number, []), measures)
        for measure in leftovers:
            if measure.reading_count:
                self.problem(at, "success_measures", str(MeasureHasReadings(measure)))

    def check_numbers(self, checked: list[_CheckedRow]) -> None:
        first_row: dict[str, int] = {}
        for row in checked:
            key = row.number.casefold()
            if row.number and key in first_row:
                self.problem(
                    row.row, "number", f"“{row.number}” is already on row {first_row[key]}"
                )
            first_row.setdefault(key, row.row)

    def check_parents(self, checked: list[_CheckedRow]) -> None:
        parents = {**self.existing_parents, **{row.number: row.parent for row in checked}}
        for row in checked:
            if not row.parent:
                continue
            if row.parent == row.number:
                self.problem(row.row, "parent", "an action can't be its own parent")
            elif row.parent not in parents:
                self.problem(
                    row.row,
                    "parent",
                    f"unknown parent “{row.parent}”: no action has that number in the file"
                    + (" or the plan" if self.plan else ""),
                )
            elif loop := _parent_loop(row.number, parents):
                self.problem(row.row, "parent", f"“{row.parent}” makes a loop: {' → '.join(loop)}")


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


# Finding the plan and writing ----------------------------------------------------------------


def _target(plan_slug: str, strategy_slug: str | None) -> tuple[ActionPlan | None, Strategy]:
    try:
        validate_slug(plan_slug)
    except ValidationError:
        raise PlanImportError(
            [ImportProblem(f"“{plan_slug}” is not a plan slug: use letters, numbers and hyphens")]
        ) from None
    if len(plan_slug) > _max_length(ActionPlan, "slug"):
        raise PlanImportError([ImportProblem(f"the plan slug “{plan_slug}” is too long")])
    plan = ActionPlan.objects.select_related("strategy").filter(slug=plan_slug).first()
    if strategy_slug:
        strategy = Strategy.objects.filter(slug=strategy_slug).first()
        if strategy is None:
            known = (
                ", ".join(Strategy.objects.order_by("slug").values_list("slug", flat=True))
                or "none yet"
            )
            raise PlanImportError(
                [ImportProblem(f"no strategy “{strategy_slug}” (known: {known})")]
            )
        if plan is not None and plan.strategy != strategy:
            raise PlanImportError(
                [
                    ImportProblem(
                        f"the plan “{plan_slug}” belongs to the {plan.strategy}, not {strategy}"
                    )
                ]
            )
    elif plan is not None:
        strategy = plan.strategy
    else:
        strategy = Strategy.objects.order_by("-start_year", "-pk").first()
        if strategy is None:
            raise PlanImportError(
                [
                    ImportProblem(
                        "there is no strategy to put a new plan under: run load_plans first"
                    )
                ]
            )
    return plan, strategy


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


def _write(plan: ActionPlan, checked: list[_CheckedRow]) -> dict[str, int]:
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
