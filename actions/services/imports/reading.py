"""Reading a plan file (CSV UTF-8 or XLSX) into rows under the template's columns.

A file is read only within limits, so a huge CSV or a zip bomb dressed as a workbook can't
exhaust memory: at most ``PLAN_IMPORT_MAX_BYTES`` (an .xlsx may unpack to at most
``XLSX_UNPACKED_RATIO`` times that), at most ``PLAN_IMPORT_MAX_ROWS`` rows of actions, and the
first ``MAX_COLUMNS`` columns.

A cell reads as the text a person sees in it: a workbook's formula as the value it last
calculated. A formula with no saved value (and a CSV cell starting with ``=``, which a
spreadsheet would run) reads as an ``UnsavedFormula``, for the checker to refuse by name.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.spreadsheets import unguard_formula

from ..plan_template import COLUMNS, OPTIONAL_COLUMNS
from .problems import ImportProblem, PlanImportError

XLSX_MAGIC = b"PK\x03\x04"
FILE_TYPES = (".csv", ".xlsx", ".xlsm")
XLSX_UNPACKED_RATIO = 4
MAX_COLUMNS = 100
BLANK_ROW = ()
# Excel writes a control character in a cell as ``_xHHHH_`` (OOXML's ST_Xstring escape), which
# openpyxl leaves as it is; read back, it is the character the person put there.
XLSX_CONTROL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f])_")


class UnsavedFormula(str):
    """A formula cell with no value to read: the text is the formula, for the problem message.
    ``in_csv`` says it came from a CSV file, where a leading ``'`` keeps such text as text."""

    in_csv: bool = False

    def __new__(cls, formula: str, *, in_csv: bool = False):
        cell = super().__new__(cls, formula)
        cell.in_csv = in_csv
        return cell


@dataclass
class Row:
    row_number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict[str, str]


def _size(size: int) -> str:
    """“5 MB”, “20 MB”, “512 KB”."""
    megabytes = size / 1024 / 1024
    return f"{megabytes:.3g} MB" if megabytes >= 1 else f"{size / 1024:.3g} KB"


def read_bytes(source: str | Path | BinaryIO, filename: str | None) -> tuple[bytes, str]:
    """The file's bytes, read no further than ``PLAN_IMPORT_MAX_BYTES``, and its name."""
    limit = settings.PLAN_IMPORT_MAX_BYTES
    if isinstance(source, str | Path):
        try:
            with Path(source).open("rb") as file:
                data = file.read(limit + 1)
        except OSError as error:
            raise PlanImportError(
                [
                    ImportProblem(
                        _("can't open %(file)s: %(error)s")
                        % {"file": source, "error": error.strerror}
                    )
                ]
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
                    _(
                        "the file is larger than %(size)s, the most a plan import reads "
                        "(PLAN_IMPORT_MAX_BYTES = %(limit)s): is it the right file?"
                    )
                    % {"size": _size(limit), "limit": limit}
                )
            ]
        )
    return data, name


def read_rows(data: bytes, *, filename: str = "") -> list[Row]:
    """The file's non-blank rows under the template's columns, or ``PlanImportError``."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        raise PlanImportError(
            [
                ImportProblem(
                    _("old-style .xls workbooks can't be read: save it as .xlsx or CSV UTF-8")
                )
            ]
        )
    if suffix and suffix not in FILE_TYPES:
        raise PlanImportError(
            [
                ImportProblem(
                    _("a plan is imported from a .csv or .xlsx file, not “%(suffix)s”")
                    % {"suffix": suffix}
                )
            ]
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
                    _(
                        "the file is not UTF-8 text (byte %(byte)s at position %(position)s "
                        "can't be read). In Excel, choose Save As › “CSV UTF-8 (Comma "
                        "delimited)” and import that file."
                    )
                    % {"byte": f"{data[error.start]:#04x}", "position": error.start},
                    row=_csv_row_at(data, error.start),
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # The export quotes cells a spreadsheet would run as formulas (``guard_formula``).
        return _limited([_csv_cell(cell) for cell in row[:MAX_COLUMNS]] for row in reader)
    except csv.Error as error:
        raise PlanImportError(
            [
                ImportProblem(
                    _("the file can't be read as CSV: %(error)s") % {"error": error},
                    row=reader.line_num,
                )
            ]
        ) from None


def _csv_cell(cell: str) -> str:
    """A CSV cell holds no saved value, so a formula in it has none: one starting with ``=``
    is refused (the export quotes text like that with a ``'``)."""
    if cell.startswith("=") and cell.strip("= "):
        return UnsavedFormula(_unify_line_breaks(cell), in_csv=True)
    return _unify_line_breaks(unguard_formula(cell))


def _csv_row_at(data: bytes, position: int) -> int:
    """The spreadsheet row that byte ``position`` falls in (quoted cells may span lines)."""
    before = data[:position].decode("utf-8-sig", errors="replace")
    # A marker where the bad byte was lands in the row being read at that point.
    return len(list(csv.reader(io.StringIO(before + "|", newline=""))))


def _xlsx_table(data: bytes) -> list[Sequence[str]]:
    try:
        _check_unpacked_size(data)
        # Two readings of the same sheet: the values last calculated, and which cells hold
        # formulas (openpyxl gives one or the other).
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return _limited(
                _xlsx_row(value_row, formula_row)
                for value_row, formula_row in zip(
                    values.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True),
                    formulas.worksheets[0].iter_rows(max_col=MAX_COLUMNS),
                    strict=False,
                )
            )
        finally:
            values.close()
            formulas.close()
    except PlanImportError:
        raise
    except Exception as error:  # a damaged workbook can fail in many ways inside openpyxl
        raise PlanImportError(
            [
                ImportProblem(
                    _("the file can't be read as an Excel workbook (.xlsx): %(error)s")
                    % {"error": error}
                )
            ]
        ) from None


def _xlsx_row(values: Sequence, cells: Sequence) -> Sequence[str]:
    # A sheet may claim a million empty rows: they cost no list each.
    if values.count(None) == len(values) and not any(c.data_type == "f" for c in cells):
        return BLANK_ROW
    return [_xlsx_cell(value, cell) for value, cell in zip(values, cells, strict=False)]


def _xlsx_cell(value, cell) -> str:
    """The value a formula last calculated, as any cell's; one never calculated (a workbook
    written by a program rather than saved by a spreadsheet) has nothing to read."""
    if value is None and cell.data_type == "f":
        return UnsavedFormula(str(getattr(cell.value, "text", cell.value)))  # or ArrayFormula
    return _cell_text(value)


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
                    _(
                        "the workbook unpacks to %(size)s, more than the %(limit)s a plan import "
                        "reads (%(ratio)s × PLAN_IMPORT_MAX_BYTES): save it as CSV UTF-8, or "
                        "remove what isn't the plan"
                    )
                    % {
                        "size": _size(unpacked),
                        "limit": _size(limit),
                        "ratio": XLSX_UNPACKED_RATIO,
                    }
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
                        _(
                            "the file has more than %(limit)s rows of actions, the most a plan "
                            "import reads (PLAN_IMPORT_MAX_ROWS)"
                        )
                        % {"limit": f"{limit:,}"},
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
    text = XLSX_CONTROL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), str(value))
    return _unify_line_breaks(text)


def _unify_line_breaks(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def _column_name(heading: str) -> str:
    """``"Lead agencies"`` and ``"lead_agencies"`` name the same column."""
    return "_".join(heading.replace("_", " ").split()).lower()


def _rows(table: list[Sequence[str]]) -> list[Row]:
    if not table or not any(cell.strip() for cell in table[0]):
        raise PlanImportError(
            [
                ImportProblem(
                    _("the first row must name the columns: %(columns)s")
                    % {"columns": ", ".join(COLUMNS)},
                    row=1,
                )
            ]
        )
    header = [_column_name(cell) for cell in table[0]]
    problems = [
        ImportProblem(_("the header has no such column"), row=1, column=column)
        for column in COLUMNS
        if column not in header and column not in OPTIONAL_COLUMNS
    ]
    problems += [
        ImportProblem(_("the header has this column twice"), row=1, column=column)
        for column in COLUMNS
        if header.count(column) > 1
    ]
    if problems:
        if len(header) == 1 and ";" in table[0][0]:
            problems.append(
                ImportProblem(
                    _(
                        "the columns seem to be separated by “;”: save as CSV UTF-8 (Comma "
                        "delimited)"
                    )
                )
            )
        raise PlanImportError(problems)
    where = {column: header.index(column) for column in COLUMNS if column in header}
    rows = []
    for row_number, cells in enumerate(table[1:], start=2):
        if not cells:  # a blank line, or one of the empty rows a workbook may claim by the million
            continue
        values = dict.fromkeys(OPTIONAL_COLUMNS, "") | {
            column: cells[index] if index < len(cells) else "" for column, index in where.items()
        }
        if any(value.strip() for value in values.values()):
            rows.append(Row(row_number, values))
    return rows
